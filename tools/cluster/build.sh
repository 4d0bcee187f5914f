#!/usr/bin/env bash
# Build the binaries of kwokbook's real KWOK cluster from the Go module proxy.
#
# Usage: tools/cluster/build.sh [--force] [COMPONENT...]
#   COMPONENT: kwok kwokctl etcd kube-apiserver kube-controller-manager kube-scheduler kubectl
#              (default: all of them; up.sh needs all of them).
#   --force:   rebuild even if a cached binary is present and working.
#
# Output: $KWOKBOOK_CACHE/bin/<name>-<version>/<name>   (KWOKBOOK_CACHE defaults to
# ~/.cache/kwokbook). A binary is rebuilt when missing, when `<name> --version` does not
# print its pinned version, or when its build inputs (go.mod/go.sum, flags, Go
# version) changed: each binary has a .stamp file next to it holding a hash of those.
#
# Progress goes to stderr as "[build] ..." lines; on error: one "[cluster] ERROR: ..."
# line and a non-zero exit. Uses the machine's Go (>= 1.26), the module proxy and the
# default GOCACHE/GOMODCACHE (caches speed it up; nothing depends on their contents).
set -euo pipefail
LOG_TAG=build
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

force=0
want=()
for a in "$@"; do
	case "$a" in
	--force) force=1 ;;
	-h | --help)
		sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*) die "unknown option $a" ;;
	*)
		version_of "$a" >/dev/null
		want+=("$a")
		;;
	esac
done
[[ ${#want[@]} -gt 0 ]] || want=("${ALL_COMPONENTS[@]}")

command -v go >/dev/null || die "go not found in PATH (need Go >= 1.26)"
gover="$(go env GOVERSION)" || die "go env GOVERSION failed"
if ! [[ "$gover" =~ ^go1\.([0-9]+) ]] || ((BASH_REMATCH[1] < 26)); then
	die "need Go >= 1.26 (kwok v0.8.0 and k8s v1.36 use Go 1.26 language features); found $gover"
fi

# Hermetic-ish Go settings: no workspace, no toolchain switching, no cgo, go.sum must be
# complete (a wrapper module whose go.sum is stale fails here instead of being edited).
export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"

KUBE_LDFLAGS_PKG=k8s.io/component-base/version
CLIENT_LDFLAGS_PKG=k8s.io/client-go/pkg/version
kube_ldflags() {
	# kwokctl runs `<binary> --version` and picks flags by the version it reads, so the
	# version variables must hold the real release (default is v0.0.0-master).
	local v="$KWOKBOOK_KUBE_VERSION" minor
	minor="$(echo "$v" | cut -d. -f2)"
	local f="-s -w"
	local p
	for p in "$KUBE_LDFLAGS_PKG" "$CLIENT_LDFLAGS_PKG"; do
		f+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor"
		f+=" -X $p.gitTreeState=clean -X $p.gitCommit=kwokbook -X $p.buildDate=1970-01-01T00:00:00Z"
	done
	echo "$f"
}
ETCD_LDFLAGS="-s -w"
KWOK_LDFLAGS="-s -w"

# stamp_of NAME: hash of everything that decides how NAME is built.
stamp_of() {
	local c="$1" v
	v="$(version_of "$c")"
	{
		echo "$c $v $gover CGO_ENABLED=$CGO_ENABLED trimpath"
		case "$c" in
		kwok | kwokctl) echo "$KWOK_LDFLAGS" ;;
		etcd) echo "$ETCD_LDFLAGS" && cat "$CLUSTER_DIR/etcd/go.mod" "$CLUSTER_DIR/etcd/go.sum" "$CLUSTER_DIR/etcd/main.go" ;;
		*) kube_ldflags && cat "$CLUSTER_DIR/kube/go.mod" "$CLUSTER_DIR/kube/go.sum" ;;
		esac
	} | sha256sum | cut -d' ' -f1
}

# version_ok NAME: does the cached binary run and report its pinned version?
version_ok() {
	local c="$1" p v out
	p="$(bin_path "$c")"
	v="$(version_of "$c")"
	[[ -x "$p" ]] || return 1
	case "$c" in
	kwokctl | kwok) out="$("$p" --version 2>&1)" || return 1 ;;
	kubectl) out="$("$p" version --client 2>&1)" || return 1 ;;
	*) out="$("$p" --version 2>&1)" || return 1 ;;
	esac
	# kwok prints "0.8.0", etcd "3.6.16", kubernetes "v1.36.3".
	grep -qF -- "${v#v}" <<<"$out"
}

is_fresh() {
	local c="$1" p
	p="$(bin_path "$c")"
	[[ -f "$p.stamp" ]] && [[ "$(cat "$p.stamp")" == "$(stamp_of "$c")" ]] && version_ok "$c"
}

# install_bin NAME BUILT_FILE: move a fresh build into the cache atomically.
install_bin() {
	local c="$1" built="$2" p
	p="$(bin_path "$c")"
	mkdir -p "$(dirname "$p")"
	mv -f "$built" "$p.tmp.$$"
	mv -f "$p.tmp.$$" "$p"
	stamp_of "$c" >"$p.stamp"
	version_ok "$c" || die "$c was built but '$p --version' does not report $(version_of "$c")"
}

check_wrapper_pins() {
	grep -qE "^(require |[[:space:]]+)k8s.io/kubernetes $KWOKBOOK_KUBE_VERSION( // indirect)?\$" "$CLUSTER_DIR/kube/go.mod" ||
		die "tools/cluster/kube/go.mod does not require k8s.io/kubernetes $KWOKBOOK_KUBE_VERSION (lib.sh pin)"
	grep -qE "^(require |[[:space:]]+)go.etcd.io/etcd/server/v3 $KWOKBOOK_ETCD_VERSION( // indirect)?\$" "$CLUSTER_DIR/etcd/go.mod" ||
		die "tools/cluster/etcd/go.mod does not require go.etcd.io/etcd/server/v3 $KWOKBOOK_ETCD_VERSION (lib.sh pin)"
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/kwokbook-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

t_all="$(now_ms)"
check_wrapper_pins
log "go $gover, cache $KWOKBOOK_BIN"

todo_kwok=() todo_etcd=() todo_kube=()
for c in "${want[@]}"; do
	if ((force == 0)) && is_fresh "$c"; then
		log "$c $(version_of "$c") up to date: $(bin_path "$c")"
		continue
	fi
	case "$c" in
	kwok | kwokctl) todo_kwok+=("$c") ;;
	etcd) todo_etcd+=("$c") ;;
	*) todo_kube+=("$c") ;;
	esac
done

for c in ${todo_kwok[@]+"${todo_kwok[@]}"}; do
	t="$(now_ms)"
	log "$c $KWOKBOOK_KWOK_VERSION ... (go install sigs.k8s.io/kwok/cmd/$c@$KWOKBOOK_KWOK_VERSION)"
	# `go install pkg@version` builds with kwok's own go.mod/go.sum (no replaces upstream).
	GOBIN="$tmp/gobin" GOFLAGS="-buildvcs=false" go install -trimpath -ldflags "$KWOK_LDFLAGS" \
		"sigs.k8s.io/kwok/cmd/$c@$KWOKBOOK_KWOK_VERSION" ||
		die "go install sigs.k8s.io/kwok/cmd/$c@$KWOKBOOK_KWOK_VERSION failed"
	install_bin "$c" "$tmp/gobin/$c"
	log "$c $KWOKBOOK_KWOK_VERSION done in $(secs "$t"): $(bin_path "$c")"
done

for c in ${todo_etcd[@]+"${todo_etcd[@]}"}; do
	t="$(now_ms)"
	log "etcd $KWOKBOOK_ETCD_VERSION ... (wrapper module tools/cluster/etcd)"
	(cd "$CLUSTER_DIR/etcd" && go build -trimpath -ldflags "$ETCD_LDFLAGS" -o "$tmp/etcd" .) ||
		die "building etcd $KWOKBOOK_ETCD_VERSION failed"
	install_bin etcd "$tmp/etcd"
	log "etcd $KWOKBOOK_ETCD_VERSION done in $(secs "$t"): $(bin_path etcd)"
done

if [[ ${#todo_kube[@]} -gt 0 ]]; then
	# One `go build` per binary, sharing the build cache: the first pays for the
	# common k8s packages, the rest mostly compile their own code and link.
	for c in "${todo_kube[@]}"; do
		t="$(now_ms)"
		log "$c $KWOKBOOK_KUBE_VERSION ... (wrapper module tools/cluster/kube)"
		(cd "$CLUSTER_DIR/kube" && go build -trimpath -ldflags "$(kube_ldflags)" -o "$tmp/$c" "k8s.io/kubernetes/cmd/$c") ||
			die "building $c $KWOKBOOK_KUBE_VERSION failed"
		install_bin "$c" "$tmp/$c"
		log "$c $KWOKBOOK_KUBE_VERSION done in $(secs "$t"): $(bin_path "$c")"
	done
fi

log "all done in $(secs "$t_all")"

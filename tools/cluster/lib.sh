# shellcheck shell=bash
# Shared settings for tools/cluster/*.sh. Sourced, never run.
#
# Pinned versions live here and nowhere else (the wrapper go.mod files must agree;
# build.sh checks that they do).

KWOKBOOK_KWOK_VERSION=v0.8.0     # sigs.k8s.io/kwok: kwok, kwokctl
KWOKBOOK_KUBE_VERSION=v1.36.3    # k8s.io/kubernetes: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl
KWOKBOOK_ETCD_VERSION=v3.6.16    # go.etcd.io/etcd/server/v3: etcd

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KWOKBOOK_CACHE="${KWOKBOOK_CACHE:-$HOME/.cache/kwokbook}"
KWOKBOOK_BIN="$KWOKBOOK_CACHE/bin"

# All components, in build order.
ALL_COMPONENTS=(kwok kwokctl etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)

die() {
	echo "[cluster] ERROR: $*" >&2
	exit 1
}

log() {
	echo "[$LOG_TAG] $*" >&2
}

# version_of NAME: the pinned version of a component.
version_of() {
	case "$1" in
	kwok | kwokctl) echo "$KWOKBOOK_KWOK_VERSION" ;;
	etcd) echo "$KWOKBOOK_ETCD_VERSION" ;;
	kube-apiserver | kube-controller-manager | kube-scheduler | kubectl) echo "$KWOKBOOK_KUBE_VERSION" ;;
	*) die "unknown component '$1' (known: ${ALL_COMPONENTS[*]})" ;;
	esac
}

# bin_path NAME: where the cached binary of a component lives.
bin_path() {
	local v
	v="$(version_of "$1")" || exit 1
	echo "$KWOKBOOK_BIN/$1-$v/$1"
}

# now_ms: wall clock in milliseconds, for timings.
now_ms() {
	date +%s%3N
}

# secs START_MS: elapsed seconds since START_MS, one decimal.
secs() {
	local d=$(($(now_ms) - $1))
	printf '%d.%01ds' $((d / 1000)) $(((d % 1000) / 100))
}

# Cluster name: first argument or KWOKBOOK_CLUSTER_NAME or "kwokbook".
cluster_name() {
	local name="${1:-${KWOKBOOK_CLUSTER_NAME:-kwokbook}}"
	[[ "$name" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "bad cluster name '$name' (lowercase letters, digits, '-')"
	echo "$name"
}

# kwokctl's own work dir (KWOK_WORKDIR, default ~/.kwok) and the cluster's dir in it.
KWOK_WORKDIR_EFFECTIVE="${KWOK_WORKDIR:-$HOME/.kwok}"
cluster_dir() {
	echo "$KWOK_WORKDIR_EFFECTIVE/clusters/$1"
}

# Environment for every kwokctl call: local binaries only, pinned versions, so kwokctl
# never tries to download anything (this machine has no GitHub or dl.k8s.io access).
kwokctl_env() {
	export KWOK_RUNTIME=binary
	export KWOK_VERSION="$KWOKBOOK_KWOK_VERSION"
	export KWOK_KUBE_VERSION="$KWOKBOOK_KUBE_VERSION"
	export KWOK_ETCD_VERSION="${KWOKBOOK_ETCD_VERSION#v}"
	export KWOK_CONTROLLER_BINARY
	KWOK_CONTROLLER_BINARY="$(bin_path kwok)"
	export KWOK_KUBE_APISERVER_BINARY
	KWOK_KUBE_APISERVER_BINARY="$(bin_path kube-apiserver)"
	export KWOK_KUBE_CONTROLLER_MANAGER_BINARY
	KWOK_KUBE_CONTROLLER_MANAGER_BINARY="$(bin_path kube-controller-manager)"
	export KWOK_KUBE_SCHEDULER_BINARY
	KWOK_KUBE_SCHEDULER_BINARY="$(bin_path kube-scheduler)"
	export KWOK_KUBECTL_BINARY
	KWOK_KUBECTL_BINARY="$(bin_path kubectl)"
	export KWOK_ETCD_BINARY
	KWOK_ETCD_BINARY="$(bin_path etcd)"
	export KWOKCTL KUBECTL # for the scripts that source this file
	KWOKCTL="$(bin_path kwokctl)"
	KUBECTL="$(bin_path kubectl)"
}

# require_binaries: fail loudly unless build.sh has been run.
require_binaries() {
	local c p
	for c in "${ALL_COMPONENTS[@]}"; do
		p="$(bin_path "$c")"
		[[ -x "$p" ]] || die "missing $p: run tools/cluster/build.sh first"
	done
}

# pid_is_component PIDFILE: is the process named in a kwokctl pid file alive, not a zombie,
# and running the binary the file is named after? (kwokctl itself only checks kill -0.)
pid_is_component() {
	local f="$1" pid want argv0 state
	pid="$(cat "$f" 2>/dev/null)" || return 1
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	want="$(basename "$f" .pid)"
	state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" || return 1
	[[ -n "$state" && "$state" != Z && "$state" != X ]] || return 1
	argv0="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -1)" || return 1
	[[ "$(basename "$argv0")" == "$want" ]]
}

# drop_stale_pidfiles DIR: remove pid files of a cluster whose process is gone (e.g. after
# a reboot or a kill), so kwokctl neither skips starting the component nor kills a
# stranger that reused the pid.
drop_stale_pidfiles() {
	local f
	for f in "$1"/pids/*.pid; do
		[[ -e "$f" ]] || continue
		pid_is_component "$f" || {
			log "removing stale pid file $f"
			rm -f "$f"
		}
	done
}

# cluster_pids NAME: pids of the running components of a cluster (from its pid files).
cluster_pids() {
	local f
	for f in "$(cluster_dir "$1")"/pids/*.pid; do
		[[ -e "$f" ]] || continue
		pid_is_component "$f" && cat "$f" && echo
	done
}

# find_stages_dir: where KWOK v0.8.0's kustomize/stage tree is.
find_stages_dir() {
	local d
	if [[ -n "${KWOKBOOK_STAGES_DIR:-}" ]]; then
		[[ -d "$KWOKBOOK_STAGES_DIR" ]] || die "KWOKBOOK_STAGES_DIR=$KWOKBOOK_STAGES_DIR is not a directory"
		echo "$KWOKBOOK_STAGES_DIR"
		return
	fi
	d="$CLUSTER_DIR/../../../shared/kwok/stages"
	if [[ -f "$d/pod/fast/pod-ready.yaml" ]]; then
		(cd "$d" && pwd)
		return
	fi
	# build.sh's `go install sigs.k8s.io/kwok/...@v0.8.0` put the module source here.
	d="$(cd / && GOFLAGS='' GOWORK=off go mod download -json "sigs.k8s.io/kwok@$KWOKBOOK_KWOK_VERSION" 2>/dev/null |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || true
	[[ -n "$d" && -d "$d/kustomize/stage" ]] || die "cannot find KWOK's stage files (set KWOKBOOK_STAGES_DIR)"
	echo "$d/kustomize/stage"
}

# lock_cluster NAME SECONDS: take an exclusive lock for cluster NAME on fd 9, so that
# up/down/component calls for one cluster queue. The lock file lives beside clusters/, not
# in it (kwokctl warns about any non-directory there), and is never deleted (deleting a
# lock file others wait on breaks the exclusion). Run kwokctl with 9>&- so the daemons it
# forks do not inherit the lock.
lock_cluster() {
	mkdir -p "$KWOK_WORKDIR_EFFECTIVE"
	exec 9>"$KWOK_WORKDIR_EFFECTIVE/kwokbook-$1.lock"
	flock -w "$2" 9 || die "another tools/cluster script holds the lock for cluster $1"
}

# kc ARGS...: kubectl against $kubeconfig (set by the calling script).
# shellcheck disable=SC2154 # kubeconfig and timeout are the calling script's
kc() {
	"$KUBECTL" --kubeconfig "$kubeconfig" --request-timeout=20s "$@"
}

# wait_for WHAT CMD...: retry CMD every $wait_interval s (default 0.2) until it succeeds or $timeout
# seconds pass; the failure message ends with $wait_hint.
# shellcheck disable=SC2154
wait_for() {
	local what="$1" t deadline
	shift
	t="$(now_ms)"
	deadline=$((t + timeout * 1000))
	until "$@" >/dev/null 2>&1; do
		(($(now_ms) < deadline)) || die "timed out after ${timeout}s waiting for ${what}${wait_hint:-}"
		sleep "${wait_interval:-0.2}"
	done
	log "$what after $(secs "$t")"
}

#!/usr/bin/env bash
# Start (or reuse) kwokbook's real KWOK cluster and print its kubeconfig path.
#
# Usage: tools/cluster/up.sh [NAME]        (NAME: default $KWOKBOOK_CLUSTER_NAME or "kwokbook")
#
# - Needs the binaries from tools/cluster/build.sh; downloads nothing.
# - First time: `kwokctl create cluster --runtime binary --enable-crds=Stage` with the
#   local binaries (KWOK_*_BINARY variables, see lib.sh), every component on 127.0.0.1.
#   Existing cluster of that NAME: reused; components that are not running are started
#   again (`kwokctl start cluster`), the etcd data is kept.
# - Waits until kube-apiserver answers /readyz, the kwok controller answers /healthz, and a
#   throwaway node turns Ready (KWOK's controllers have synced; then it is deleted).
# - Applies KWOK v0.8.0's default fast stages as Stage objects (node-initialize,
#   node-heartbeat-with-lease, pod-ready, pod-complete, pod-delete): with
#   --enable-crds=Stage kwokctl creates none itself. `kubectl apply` is idempotent, so a
#   stage changed by a test is put back to the default on the next up.sh.
# - The LAST line of stdout is the kubeconfig path; everything else goes to stderr.
#
# Environment: KWOKBOOK_CACHE (binaries), KWOK_WORKDIR (kwokctl's dir, default ~/.kwok),
# KWOKBOOK_STAGES_DIR (stage set to apply; default: shared/kwok/stages beside the repo,
# else kustomize/stage of sigs.k8s.io/kwok@v0.8.0 in the Go module cache: identical
# files), KWOKBOOK_UP_TIMEOUT (seconds to wait for readiness, default 180).
set -euo pipefail
LOG_TAG=up
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

name="$(cluster_name "${1:-}")"
require_binaries
kwokctl_env
dir="$(cluster_dir "$name")"
kubeconfig="$dir/kubeconfig.yaml"
timeout="${KWOKBOOK_UP_TIMEOUT:-180}"
t0="$(now_ms)"

command -v curl >/dev/null || die "curl not found (needed to probe the kwok controller)"
if [[ -f "$KWOK_WORKDIR_EFFECTIVE/kwok.yaml" ]]; then
	log "warning: $KWOK_WORKDIR_EFFECTIVE/kwok.yaml exists; kwokctl loads it before our config"
fi

# Serialise up/down/component calls for the same cluster (fd 9; see lib.sh).
lock_cluster "$name" "$timeout"

drop_stale_pidfiles "$dir"

if [[ -f "$dir/kwok.yaml" ]]; then
	log "cluster $name exists: starting any stopped component"
	"$KWOKCTL" start cluster --name "$name" --timeout "${timeout}s" >&2 9>&- ||
		die "kwokctl start cluster --name $name failed (logs: $dir/logs/)"
else
	log "creating cluster $name (kwokctl create cluster --runtime binary --enable-crds=Stage)"
	"$KWOKCTL" create cluster --name "$name" \
		--runtime binary \
		--config "$CLUSTER_DIR/kwokctl-config.yaml" \
		--enable-crds=Stage \
		--kubeconfig "" \
		--timeout "${timeout}s" >&2 9>&- ||
		die "kwokctl create cluster --name $name failed (logs: $dir/logs/)"
fi
log "kwokctl done in $(secs "$t0")"
[[ -f "$kubeconfig" ]] || die "no kubeconfig at $kubeconfig"

wait_hint=" (logs: $dir/logs/)" # kc and wait_for: lib.sh

wait_for "kube-apiserver /readyz ok" kc get --raw /readyz

kwok_port="$(grep -o -- '--server-address=[^"[:space:]]*' "$dir/kwok.yaml" | head -1 | sed 's/.*://')"
[[ -n "$kwok_port" ]] || die "cannot find the kwok controller's --server-address in $dir/kwok.yaml"
wait_for "kwok controller /healthz ok (127.0.0.1:$kwok_port)" \
	curl -fsS --max-time 2 "http://127.0.0.1:$kwok_port/healthz"

kc get crd stages.kwok.x-k8s.io >/dev/null 2>&1 ||
	die "cluster $name has no Stage CRD (not created by up.sh?): run tools/cluster/down.sh $name first"
wait_for "Stage CRD established" kc wait --for condition=established --timeout=5s crd/stages.kwok.x-k8s.io

stages_dir="$(find_stages_dir)"
files=()
for f in node/fast/node-initialize.yaml \
	node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
	pod/fast/pod-ready.yaml \
	pod/fast/pod-complete.yaml \
	pod/fast/pod-delete.yaml; do
	[[ -f "$stages_dir/$f" ]] || die "missing stage file $stages_dir/$f"
	files+=(-f "$stages_dir/$f")
done
t="$(now_ms)"
kc apply "${files[@]}" >&2 || die "kubectl apply of the default stages failed"
log "default fast stages applied from $stages_dir in $(secs "$t")"

# /healthz answers before KWOK's node and pod controllers have synced their informers and
# stages (about 5 s on a fresh cluster): a throwaway node that turns Ready proves they run.
warm="kwokbook-warmup-$$"
t="$(now_ms)"
kc create -f - >/dev/null <<YAML || die "cannot create the warm-up node $warm"
apiVersion: v1
kind: Node
metadata:
  name: $warm
  labels: {kwokbook.io/warmup: "true"}
YAML
wait_for "KWOK's controllers running (node $warm Ready)" \
	kc wait --for=condition=Ready --timeout=5s "node/$warm"
kc delete node "$warm" --wait=false >/dev/null 2>&1 || true

# kwokctl writes a pid file as soon as it forks; a component that dies right away (port
# taken, bad flag) only shows here.
for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller; do
	pid_is_component "$dir/pids/$c.pid" || die "$c of cluster $name is not running (log: $dir/logs/$c.log)"
done

log "cluster $name up in $(secs "$t0"); kubeconfig:"
echo "$kubeconfig"

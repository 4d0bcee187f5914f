#!/usr/bin/env bash
# Delete kwokbook's KWOK cluster: stop every component and remove its directory.
#
# Usage: tools/cluster/down.sh [NAME]      (NAME: default $KWOKBOOK_CLUSTER_NAME or "kwokbook")
#
# Runs `kwokctl delete cluster` (SIGKILL to each component from its pid file, then
# removes ~/.kwok/clusters/NAME, etcd data included), then waits until none of the
# component processes is left (not even as a zombie: PID 1 on these machines reaps
# orphans only every second or two). A cluster that does not exist is not an error.
set -euo pipefail
LOG_TAG=down
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

name="$(cluster_name "${1:-}")"
dir="$(cluster_dir "$name")"
t0="$(now_ms)"

if [[ ! -d "$dir" ]]; then
	log "cluster $name does not exist ($dir)"
	exit 0
fi
[[ -x "$(bin_path kwokctl)" ]] || die "missing $(bin_path kwokctl): run tools/cluster/build.sh first"
kwokctl_env

lock_cluster "$name" 120

drop_stale_pidfiles "$dir"
mapfile -t pids < <(cluster_pids "$name")

# --kubeconfig: kwokctl would edit ~/.kube/config; "" is rejected, so point it at the
# cluster's own kubeconfig, which is deleted with the cluster anyway.
"$KWOKCTL" delete cluster --name "$name" --kubeconfig "$dir/kubeconfig.yaml" >&2 9>&- ||
	die "kwokctl delete cluster --name $name failed"

# kwokctl sends SIGKILL and does not wait (the components are not its children).
deadline=$(($(now_ms) + 30000))
for pid in ${pids[@]+"${pids[@]}"}; do
	while [[ -e "/proc/$pid" ]]; do
		(($(now_ms) < deadline)) || die "process $pid of cluster $name still present 30s after delete"
		sleep 0.1
	done
done
[[ ! -e "$dir" ]] || die "kwokctl delete left $dir behind"
log "cluster $name deleted in $(secs "$t0") (${#pids[@]} processes gone)"

#!/usr/bin/env bash
# Tell whether kwokbook's KWOK cluster exists and runs.
#
# Usage: tools/cluster/status.sh [NAME]    (NAME: default $KWOKBOOK_CLUSTER_NAME or "kwokbook")
#
# stdout: one line per component, "<component> running pid=<pid>" or "<component> stopped",
# then a summary line, one of:
#   absent                        no such cluster
#   running <kubeconfig>          every component runs and kube-apiserver answers /readyz
#   degraded <kubeconfig>         exists, but some component is stopped or /readyz fails
# Exit status: 0 running, 1 degraded, 2 absent, 3 usage/setup error.
set -uo pipefail
LOG_TAG=status
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 3

name="$(cluster_name "${1:-}")" || exit 3
dir="$(cluster_dir "$name")"
kubeconfig="$dir/kubeconfig.yaml"
if [[ ! -f "$dir/kwok.yaml" ]]; then
	echo "absent"
	exit 2
fi
ok=1
for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller; do
	f="$dir/pids/$c.pid"
	if [[ -f "$f" ]] && pid_is_component "$f"; then
		echo "$c running pid=$(cat "$f")"
	else
		echo "$c stopped"
		ok=0
	fi
done
if ((ok)) && [[ -x "$(bin_path kubectl)" ]] &&
	"$(bin_path kubectl)" --kubeconfig "$kubeconfig" get --raw /readyz --request-timeout=3s >/dev/null 2>&1; then
	echo "running $kubeconfig"
	exit 0
fi
echo "degraded $kubeconfig"
exit 1

#!/usr/bin/env bash
# Stop or start one component of a running kwokbook cluster (e.g. to test watch resilience).
#
# Usage: tools/cluster/component.sh stop  COMPONENT [NAME]
#        tools/cluster/component.sh start COMPONENT [NAME]
#   COMPONENT: etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller
#   NAME:      default $KWOKBOOK_CLUSTER_NAME or "kwokbook"
#
# kwokctl v0.8.0 has no per-component stop/start command (its StopComponent/StartComponent
# are only used inside `kwokctl snapshot`), so:
#   stop:  signal the pid from ~/.kwok/clusters/NAME/pids/COMPONENT.pid (SIGKILL by default,
#          like `kwokctl stop cluster`; KWOKBOOK_STOP_SIGNAL=TERM for a graceful stop), wait
#          until the process is gone, remove the pid file.
#   start: `kwokctl start cluster --name NAME`, which starts every component whose pid file
#          names no live process -- so it restarts whatever is stopped, not only COMPONENT --
#          with the exact command line kwokctl recorded at create time (same ports, certs,
#          etcd data). Then waits for kube-apiserver /readyz.
# Prints timings on stderr.
set -euo pipefail
LOG_TAG=component
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

action="${1:-}"
component="${2:-}"
case "$component" in
etcd | kube-apiserver | kube-controller-manager | kube-scheduler | kwok-controller) ;;
*) die "usage: component.sh stop|start COMPONENT [NAME] (COMPONENT: etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller)" ;;
esac
name="$(cluster_name "${3:-}")"
dir="$(cluster_dir "$name")"
[[ -f "$dir/kwok.yaml" ]] || die "cluster $name does not exist"
pidfile="$dir/pids/$component.pid"
t0="$(now_ms)"

lock_cluster "$name" 120

case "$action" in
stop)
	if [[ ! -f "$pidfile" ]] || ! pid_is_component "$pidfile"; then
		rm -f "$pidfile"
		log "$component of cluster $name is not running"
		exit 0
	fi
	pid="$(cat "$pidfile")"
	sig="${KWOKBOOK_STOP_SIGNAL:-KILL}"
	kill -s "$sig" "$pid" || die "kill -s $sig $pid failed"
	deadline=$(($(now_ms) + 60000))
	# Gone means gone from /proc: a killed component stays a zombie until PID 1 reaps it
	# (1-2 s here), and kwokctl would take a zombie's pid for a running process.
	while [[ -e "/proc/$pid" ]]; do
		(($(now_ms) < deadline)) || die "$component (pid $pid) still present 60s after SIGNAL $sig"
		sleep 0.1
	done
	rm -f "$pidfile"
	log "$component (pid $pid) stopped with SIG$sig in $(secs "$t0")"
	;;
start)
	require_binaries
	kwokctl_env
	drop_stale_pidfiles "$dir"
	"$KWOKCTL" start cluster --name "$name" --timeout 120s >&2 9>&- ||
		die "kwokctl start cluster --name $name failed (logs: $dir/logs/)"
	if ! [[ -f "$pidfile" ]] || ! pid_is_component "$pidfile"; then
		die "$component did not start (logs: $dir/logs/$component.log)"
	fi
	deadline=$(($(now_ms) + 120000))
	until "$KUBECTL" --kubeconfig "$dir/kubeconfig.yaml" --request-timeout=5s get --raw /readyz >/dev/null 2>&1; do
		(($(now_ms) < deadline)) || die "kube-apiserver not ready 120s after starting $component"
		sleep 0.2
	done
	log "$component started (pid $(cat "$pidfile")), apiserver ready, in $(secs "$t0")"
	;;
*) die "usage: component.sh stop|start COMPONENT [NAME]" ;;
esac

#!/usr/bin/env bash
# Smoke check of a running kwokbook cluster: a fake Node goes Ready, a Pod is scheduled
# onto it and goes Running, then the Pod and the Node are deleted and gone.
#
# Usage: tools/cluster/smoke.sh [NAME]     (NAME: default $KWOKBOOK_CLUSTER_NAME or "kwokbook")
#
# Exercises kube-apiserver, kube-scheduler (the Pod has no spec.nodeName), the
# kube-controller-manager (the default ServiceAccount) and the kwok controller with the
# fast stages up.sh applied (node-initialize, pod-ready, pod-delete). Prints timings
# ("[smoke] ...") on stderr; exits non-zero with one "[cluster] ERROR" line on failure.
# Environment: KWOKBOOK_SMOKE_TIMEOUT (seconds per wait, default 60).
set -euo pipefail
LOG_TAG=smoke
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

name="$(cluster_name "${1:-}")"
require_binaries
kwokctl_env
kubeconfig="$(cluster_dir "$name")/kubeconfig.yaml"
[[ -f "$kubeconfig" ]] || die "cluster $name does not exist: run tools/cluster/up.sh $name first"
timeout="${KWOKBOOK_SMOKE_TIMEOUT:-60}"
node=kwokbook-smoke-node
pod=kwokbook-smoke-pod
ns=default

wait_interval=0.1 # kc and wait_for: lib.sh

jsonpath_is() { # jsonpath_is WANT ARGS...: does `kubectl get ARGS -o jsonpath=...` print WANT?
	local want="$1"
	shift
	[[ "$(kc get "$@" 2>/dev/null)" == "$want" ]]
}
absent() {
	! kc get "$@" >/dev/null 2>&1
}

t0="$(now_ms)"
kc get --raw /readyz >/dev/null || die "kube-apiserver of cluster $name is not ready (tools/cluster/status.sh $name)"

# Leftovers of an interrupted earlier run.
kc delete pod -n "$ns" "$pod" --ignore-not-found --wait=false >/dev/null
kc delete node "$node" --ignore-not-found --wait=false >/dev/null
wait_for "leftovers gone" absent pod -n "$ns" "$pod"
wait_for "leftover node gone" absent node "$node"

# The Node manifest KWOK recommends for fake nodes (site docs "kwok in cluster"): the
# kwok.x-k8s.io/node=fake annotation marks it as kwok-managed, the taint keeps real
# workloads off it.
t="$(now_ms)"
kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $node
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    beta.kubernetes.io/arch: amd64
    beta.kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: $node
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ""
    type: kwok
spec:
  taints:
  - effect: NoSchedule
    key: kwok.x-k8s.io/node
    value: fake
status:
  allocatable:
    cpu: "32"
    memory: 256Gi
    pods: "110"
  capacity:
    cpu: "32"
    memory: 256Gi
    pods: "110"
  nodeInfo:
    architecture: amd64
    bootID: ""
    containerRuntimeVersion: ""
    kernelVersion: ""
    kubeProxyVersion: fake
    kubeletVersion: fake
    machineID: ""
    operatingSystem: linux
    osImage: ""
    systemUUID: ""
  phase: Running
EOF
log "node $node created: $(secs "$t")"
wait_for "node Ready=True (node-initialize stage)" \
	jsonpath_is True node "$node" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'

# The ServiceAccount admission plugin rejects pods until the controller-manager has made
# the namespace's default ServiceAccount.
wait_for "serviceaccount $ns/default present" kc get serviceaccount -n "$ns" default

t="$(now_ms)"
kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $pod
  namespace: $ns
spec:
  nodeSelector:
    kubernetes.io/hostname: $node
    type: kwok
  tolerations:
  - key: kwok.x-k8s.io/node
    operator: Exists
    effect: NoSchedule
  containers:
  - name: fake
    image: fake-image
EOF
log "pod $ns/$pod created: $(secs "$t")"
t_pod="$(now_ms)"
wait_for "pod scheduled onto $node (kube-scheduler)" \
	jsonpath_is "$node" pod -n "$ns" "$pod" -o 'jsonpath={.spec.nodeName}'
wait_for "pod phase=Running (pod-ready stage)" \
	jsonpath_is Running pod -n "$ns" "$pod" -o 'jsonpath={.status.phase}'
wait_for "pod Ready=True" \
	jsonpath_is True pod -n "$ns" "$pod" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'
log "pod created -> Running+Ready: $(secs "$t_pod")"
podip="$(kc get pod -n "$ns" "$pod" -o 'jsonpath={.status.podIP}')"
[[ -n "$podip" ]] || die "Running pod has no status.podIP"
log "pod IP $podip"

t="$(now_ms)"
kc delete pod -n "$ns" "$pod" --wait=false >/dev/null
wait_for "pod deleted and gone (pod-delete stage)" absent pod -n "$ns" "$pod"
t="$(now_ms)"
kc delete node "$node" --wait=false >/dev/null
wait_for "node deleted and gone" absent node "$node"

log "smoke OK in $(secs "$t0")"

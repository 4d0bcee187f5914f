"""Factories for the objects scenarios need: KWOK nodes, pods, Job-owned pods, batches."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

KWOK_TOLERATION = {"key": "kwok.x-k8s.io/node", "operator": "Exists", "effect": "NoSchedule"}


def kwok_node(name: str, *, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None,
              pod_cidr: str | None = None, cpu: str = "32", memory: str = "256Gi", pods: str = "110") -> dict[str, Any]:
    """A fake node in the shape KWOK's documentation recommends (annotation + NoSchedule taint)."""
    node: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake", **(annotations or {})},
            "labels": {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                       "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                       "kubernetes.io/role": "agent", "node-role.kubernetes.io/agent": "", "type": "kwok",
                       **(labels or {})},
        },
        "spec": {"taints": [{"effect": "NoSchedule", "key": "kwok.x-k8s.io/node", "value": "fake"}]},
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods},
                   "capacity": {"cpu": cpu, "memory": memory, "pods": pods}},
    }
    if pod_cidr:
        node["spec"]["podCIDR"] = pod_cidr
        node["spec"]["podCIDRs"] = [pod_cidr]
    return node


def pod(name: str, *, namespace: str = "default", node: str | None = None, containers: int | Sequence[str] = 1,
        init_containers: int | Sequence[str] = 0, labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None, owner_kind: str | None = None, owner_name: str | None = None,
        finalizers: Sequence[str] = (), image: str = "registry.example/app:1.0",
        termination_grace_seconds: int | None = None) -> dict[str, Any]:
    """A pod that tolerates KWOK's node taint; ``node`` pre-binds it (no scheduler needed)."""
    names = [f"c{i}" for i in range(containers)] if isinstance(containers, int) else list(containers)
    init_names = [f"init{i}" for i in range(init_containers)] if isinstance(init_containers, int) \
        else list(init_containers)
    spec: dict[str, Any] = {
        "containers": [{"name": n, "image": image} for n in names],
        "tolerations": [dict(KWOK_TOLERATION)],
    }
    if init_names:
        spec["initContainers"] = [{"name": n, "image": image} for n in init_names]
    if node:
        spec["nodeName"] = node
    if termination_grace_seconds is not None:
        spec["terminationGracePeriodSeconds"] = termination_grace_seconds
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    if finalizers:
        meta["finalizers"] = list(finalizers)
    if owner_kind:
        meta["ownerReferences"] = [{
            "apiVersion": "batch/v1" if owner_kind == "Job" else "apps/v1", "kind": owner_kind,
            "name": owner_name or name.rsplit("-", 1)[0],
            "uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, owner_name or name)),
            "controller": True, "blockOwnerDeletion": True,
        }]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def job_pod(name: str, **kw: Any) -> dict[str, Any]:
    """A pod owned by a Job (KWOK's pod-complete stage takes it to Succeeded)."""
    kw.setdefault("owner_kind", "Job")
    kw.setdefault("labels", {"job-name": kw.get("owner_name") or name.rsplit("-", 1)[0]})
    return pod(name, **kw)

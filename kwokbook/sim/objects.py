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
        termination_grace_seconds: int | None = None, owner_refs: Sequence[Mapping[str, Any]] = (),
        node_selector: Mapping[str, str] | None = None,
        tolerations: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """A pod that tolerates KWOK's node taint; ``node`` pre-binds it (no scheduler needed).

    ``owner_refs``: ownerReferences to real objects (see :func:`owner_reference`); ``owner_kind``
    makes one up (fine in the simulator, but a real cluster's garbage collector deletes a pod
    whose owner does not exist). ``node_selector`` keeps a scheduled pod on chosen nodes;
    ``tolerations`` are added to KWOK's.
    """
    names = [f"c{i}" for i in range(containers)] if isinstance(containers, int) else list(containers)
    init_names = [f"init{i}" for i in range(init_containers)] if isinstance(init_containers, int) \
        else list(init_containers)
    spec: dict[str, Any] = {
        "containers": [{"name": n, "image": image} for n in names],
        "tolerations": [dict(KWOK_TOLERATION), *(dict(t) for t in tolerations)],
    }
    if init_names:
        spec["initContainers"] = [{"name": n, "image": image} for n in init_names]
    if node:
        spec["nodeName"] = node
    if node_selector:
        spec["nodeSelector"] = dict(node_selector)
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
    if owner_refs:
        meta["ownerReferences"] = [*meta.get("ownerReferences", []), *(dict(o) for o in owner_refs)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def job_pod(name: str, **kw: Any) -> dict[str, Any]:
    """A pod owned by a Job (KWOK's pod-complete stage takes it to Succeeded)."""
    kw.setdefault("owner_kind", "Job")
    kw.setdefault("labels", {"job-name": kw.get("owner_name") or name.rsplit("-", 1)[0]})
    return pod(name, **kw)


def placeholder_job(name: str, *, namespace: str = "default") -> dict[str, Any]:
    """A suspended ``batch/v1`` Job whose selector matches no pod: an owner that really exists.

    Give a pod an ownerReference to it with ``controller: false`` (:func:`owner_reference`):
    KWOK's pod-complete stages see a Job owner, the garbage collector sees an existing owner and
    keeps the pod, and the job controller neither adopts the pod (not its selector, not a
    controller reference) nor creates any (suspended). The simulator just stores it.
    """
    sel = {"kwokbook.test/placeholder-job": name}
    return {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": namespace},
        "spec": {"suspend": True, "manualSelector": True, "selector": {"matchLabels": sel},
                 "template": {"metadata": {"labels": dict(sel)},
                              "spec": {"restartPolicy": "Never",
                                       "containers": [{"name": "none", "image": "registry.example/none:1"}]}}},
    }


def owner_reference(owner: Mapping[str, Any], *, controller: bool = False) -> dict[str, Any]:
    """An ownerReference to a stored object (it needs the object's real ``uid``)."""
    meta = owner.get("metadata") or {}
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"], "uid": meta["uid"],
            "controller": controller}

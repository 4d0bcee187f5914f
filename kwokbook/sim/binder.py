"""A minimal scheduler stand-in: binds pending pods to nodes, so the default lifecycle runs.

Rules (deliberately small and documented, not kube-scheduler): a pod without ``spec.nodeName``,
with the default scheduler name and no scheduling gates is bound when it appears (or its gates
are removed, or a node appears or changes), to the node that (1) is Ready, (2) is not cordoned,
(3) has only taints the pod tolerates (``NoSchedule``/``NoExecute``), (4) matches the pod's
``nodeSelector`` — choosing the node with the fewest pods, ties broken by name. Binding sets
``spec.nodeName`` and ``PodScheduled=True`` in one write, as the API server's binding subresource
does. When no node fits, the pod gets ``PodScheduled=False`` (reason ``Unschedulable``) as
kube-scheduler writes it, and is retried on the next node event.

Checked against kube-scheduler v1.36 in tests/e2e/test_differential.py: a pod created when its
node is ready goes ``Pending`` → ``Pending + PodScheduled`` → … on both. Not modelled: resource
fit, affinity, topology spread, preemption, the scheduler's retry back-off.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from functools import partial
from typing import Any

from ..backend import ADDED, DELETED, MODIFIED, NODES, PODS, WatchEvent
from .clock import Clock, rfc3339
from .scheduler import Scheduler
from .store import ApiError, ObjectStore
from .tainteviction import tolerates_taint


def tolerates(pod: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """kube-scheduler's TaintToleration filter for one taint (PreferNoSchedule never blocks)."""
    if taint.get("effect") not in ("NoSchedule", "NoExecute"):
        return True
    return any(tolerates_taint(t, taint) for t in (pod.get("spec") or {}).get("tolerations") or [])


def node_ready(node: Mapping[str, Any]) -> bool:
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


class Binder:
    """Binds as pods and nodes appear; ``enabled=False`` leaves scheduling to the user."""

    def __init__(self, store: ObjectStore, scheduler: Scheduler, clock: Clock, *, enabled: bool = True) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.enabled = enabled
        self._pending: set[tuple[str, str]] = set()
        self._load: dict[str, int] = {}
        store.watch(PODS, self._on_pod)
        store.watch(NODES, self._on_node)

    def _on_pod(self, ev: WatchEvent) -> None:
        if not self.enabled:
            return
        pod = ev.object
        spec = pod.get("spec") or {}
        meta = pod.get("metadata") or {}
        key = (str(meta.get("namespace") or "default"), str(meta.get("name")))
        if ev.type in (ADDED, MODIFIED) and not spec.get("nodeName") and spec.get(
                "schedulerName", "default-scheduler") == "default-scheduler" and not meta.get(
                "deletionTimestamp") and not spec.get("schedulingGates"):
            if key not in self._pending:
                self._pending.add(key)
                self.scheduler.schedule(self.clock.now_ns(), partial(self._try_bind, key), priority=0, label="bind")
        elif ev.type == ADDED and spec.get("nodeName"):
            self._load[spec["nodeName"]] = self._load.get(spec["nodeName"], 0) + 1
        elif ev.type == DELETED and spec.get("nodeName"):
            self._load[spec["nodeName"]] = max(0, self._load.get(spec["nodeName"], 0) - 1)

    def _on_node(self, ev: WatchEvent) -> None:
        if not self.enabled or ev.type not in (ADDED, MODIFIED) or not self._pending:
            return
        for key in sorted(self._pending):
            self.scheduler.schedule(self.clock.now_ns(), partial(self._try_bind, key), priority=0, label="bind")

    def _try_bind(self, key: tuple[str, str]) -> None:
        if key not in self._pending:
            return
        pod = self.store.peek(PODS, key[1], key[0])
        if pod is None or (pod.get("spec") or {}).get("nodeName") or (pod.get("metadata") or {}).get(
                "deletionTimestamp"):
            self._pending.discard(key)
            return
        if (pod.get("spec") or {}).get("schedulingGates"):
            self._pending.discard(key)
            return
        node = self.pick(pod)
        now = rfc3339(self.clock.now_ns())
        if node is None:  # stays pending until a suitable node appears; say so as kube-scheduler does
            n = self.store.count(NODES)
            cond: dict[str, Any] = {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                                    "lastTransitionTime": now, "reason": "Unschedulable",
                                    "message": f"0/{n} nodes are available"}
            generation = (pod.get("metadata") or {}).get("generation")
            if generation:  # kube-scheduler v1.36 records which pod generation it looked at
                cond["observedGeneration"] = generation
            self._set_scheduled(pod, cond)
            return
        name = str(node["metadata"]["name"])
        # pods/binding sets the node and the PodScheduled condition in one update (one event)
        status = dict(pod.get("status") or {})
        conds = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        conds.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": now})
        status["conditions"] = conds
        bound = {**pod, "spec": {**(pod.get("spec") or {}), "nodeName": name}, "status": status}
        try:
            self.store.replace(PODS, bound)
        except ApiError:
            return
        self._pending.discard(key)
        self._load[name] = self._load.get(name, 0) + 1

    def _set_scheduled(self, pod: dict[str, Any], cond: dict[str, Any]) -> None:
        """Write a PodScheduled condition (status subresource), keeping its transition time if unchanged."""
        status = dict(pod.get("status") or {})
        conds = list(status.get("conditions") or [])
        for i, c in enumerate(conds):
            if c.get("type") == "PodScheduled":
                if c.get("status") == cond["status"] and c.get("reason") == cond.get("reason"):
                    return
                conds[i] = cond
                break
        else:
            conds.append(cond)
        status["conditions"] = conds
        with contextlib.suppress(ApiError):  # gone meanwhile
            self.store.replace(PODS, {**pod, "status": status})

    def pick(self, pod: Mapping[str, Any]) -> dict[str, Any] | None:
        selector = (pod.get("spec") or {}).get("nodeSelector") or {}
        best: tuple[int, str] | None = None
        chosen = None
        for node in self.store.iter_objects(NODES):
            meta = node.get("metadata") or {}
            spec = node.get("spec") or {}
            if meta.get("deletionTimestamp") or spec.get("unschedulable") or not node_ready(node):
                continue
            if not all(tolerates(pod, t) for t in spec.get("taints") or []):
                continue
            labels = meta.get("labels") or {}
            if any(labels.get(k) != v for k, v in selector.items()):
                continue
            rank = (self._load.get(str(meta.get("name")), 0), str(meta.get("name")))
            if best is None or rank < best:
                best, chosen = rank, node
        return chosen

"""The part of kube-controller-manager's node lifecycle controller a KWOK cluster shows every time.

``doNoScheduleTaintingPass`` (k8s.io/kubernetes ``pkg/controller/nodelifecycle``): on every node
event, the node's ``NoSchedule`` condition taints are made to match its conditions —
``Ready=False`` → ``node.kubernetes.io/not-ready``, ``Ready=Unknown`` → ``…/unreachable``,
``MemoryPressure``/``DiskPressure``/``PIDPressure``/``NetworkUnavailable=True`` → the matching
``…/memory-pressure`` etc., ``spec.unschedulable`` → ``…/unschedulable``. Missing taints are added
in one update (each with ``timeAdded``: now), stale ones removed in a second. Together with the
API server's TaintNodesByCondition admission (store.py: a new node starts with the not-ready
taint) this is why a fresh node is briefly unschedulable on a real cluster, and why a node KWOK
makes NotReady gets the not-ready taint.

Not modelled (checked on a real cluster: see docs/dev/sim-differential-report.md): node health
monitoring (a node whose status or Lease goes stale turns ``Unknown``), ``NoExecute`` taints and
taint-based eviction of pods from NotReady nodes (the controller suspends it anyway when every
node of a zone is NotReady), marking pods NotReady.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..backend import ADDED, MODIFIED, NODES, WatchEvent
from .clock import Clock, rfc3339
from .scheduler import Scheduler
from .store import ApiError, ObjectStore

CONDITION_TAINTS: dict[str, dict[str, str]] = {
    "Ready": {"False": "node.kubernetes.io/not-ready", "Unknown": "node.kubernetes.io/unreachable"},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
_MANAGED = {k for m in CONDITION_TAINTS.values() for k in m.values()} | {UNSCHEDULABLE}


def wanted_taint_keys(node: Mapping[str, Any]) -> list[str]:
    """The NoSchedule taint keys the node's conditions (and ``spec.unschedulable``) call for."""
    keys: list[str] = []
    for cond in (node.get("status") or {}).get("conditions") or []:
        key = CONDITION_TAINTS.get(str(cond.get("type")), {}).get(str(cond.get("status")))
        if key and key not in keys:
            keys.append(key)
    if (node.get("spec") or {}).get("unschedulable"):
        keys.append(UNSCHEDULABLE)
    return keys


class NodeLifecycle:
    """Keeps condition taints in step with node conditions; ``enabled=False`` leaves taints alone."""

    def __init__(self, store: ObjectStore, scheduler: Scheduler, clock: Clock, *, enabled: bool = True) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.enabled = enabled
        self._queued: set[str] = set()
        store.watch(NODES, self._on_node)

    def _on_node(self, ev: WatchEvent) -> None:
        if not self.enabled or ev.type not in (ADDED, MODIFIED):
            return
        name = ev.name
        if name in self._queued:
            return
        self._queued.add(name)
        self.scheduler.schedule(self.clock.now_ns(), partial(self._pass, name), priority=0, label="node-taints")

    def _pass(self, name: str) -> None:
        self._queued.discard(name)
        node = self.store.peek(NODES, name)
        if node is None or (node.get("metadata") or {}).get("deletionTimestamp"):
            return
        taints = list((node.get("spec") or {}).get("taints") or [])
        have = {str(t.get("key")) for t in taints if t.get("effect") == "NoSchedule" and t.get("key") in _MANAGED}
        want = wanted_taint_keys(node)
        add = [k for k in want if k not in have]
        remove = have - set(want)
        if add:
            now = rfc3339(self.clock.now_ns())
            taints = taints + [{"key": k, "effect": "NoSchedule", "timeAdded": now} for k in add]
            node = self._write(node, taints)
            if node is None:
                return
        if remove:
            taints = [t for t in taints if not (t.get("effect") == "NoSchedule" and t.get("key") in remove)]
            self._write(node, taints)

    def _write(self, node: dict[str, Any], taints: list[dict[str, Any]]) -> dict[str, Any] | None:
        spec = dict(node.get("spec") or {})
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)
        try:
            return self.store.replace(NODES, {**node, "spec": spec}, strategy=True)
        except ApiError:
            return None

"""kube-controller-manager's taint-eviction controller: pods leave nodes with ``NoExecute`` taints.

Follows ``pkg/controller/tainteviction`` (Kubernetes v1.36): when a node's ``NoExecute`` taints
change, every pod on it is looked at; so is a pod whose node or tolerations change. A pod that
does not tolerate every ``NoExecute`` taint is deleted at once; one that tolerates them all for
a limited time (the smallest ``tolerationSeconds`` of the tolerations used) is deleted when that
time has passed since the controller first scheduled it; ``tolerationSeconds`` absent means
forever. Removing the taints cancels a pending deletion. Deleting means: the pod gets the
``DisruptionTarget`` condition (reason ``DeletionByTaintManager``) through its status, then an
ordinary graceful delete — which KWOK's pod-delete stage then finishes.

Every pod carries the API server's default ``not-ready``/``unreachable`` tolerations (300 s, see
store.py), so a NotReady node evicts its pods after five minutes once the node lifecycle
controller has tainted it (:mod:`.nodelifecycle`). Not modelled: the controller's Event
objects (``TaintManagerEviction``) and its retries of a failing delete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..backend import ADDED, DELETED, NODES, PODS, WatchEvent
from .clock import Clock, rfc3339
from .scheduler import Scheduler, Task
from .store import ApiError, ObjectStore

PodKey = tuple[str, str]  # (namespace, name)

DISRUPTION_TARGET = "DisruptionTarget"


def tolerates_taint(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """``v1.Toleration.ToleratesTaint``: empty effect or key match any; operator '' means Equal."""
    effect = toleration.get("effect") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    key = toleration.get("key") or ""
    if key and key != (taint.get("key") or ""):
        return False
    op = toleration.get("operator") or ""
    if op in ("", "Equal"):
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return op == "Exists"


def matching_tolerations(taints: Sequence[Mapping[str, Any]], tolerations: Sequence[Mapping[str, Any]],
                         ) -> tuple[bool, list[Mapping[str, Any]]]:
    """``GetMatchingTolerations``: are all taints tolerated, and the first toleration used for each."""
    if not taints:
        return True, []
    used: list[Mapping[str, Any]] = []
    for taint in taints:
        tol = next((t for t in tolerations if tolerates_taint(t, taint)), None)
        if tol is None:
            return False, []
        used.append(tol)
    return True, used


def min_toleration_ns(used: Sequence[Mapping[str, Any]]) -> int:
    """``getMinTolerationTime``: the smallest ``tolerationSeconds`` (0 if any is ≤ 0); -1 = forever."""
    if not used:
        return 0
    best: int | None = None
    for t in used:
        secs = t.get("tolerationSeconds")
        if secs is None:
            continue
        secs = int(secs)
        if secs <= 0:
            return 0
        best = secs if best is None else min(best, secs)
    return -1 if best is None else best * 1_000_000_000


def no_execute_taints(node: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    if not node:
        return []
    return [t for t in (node.get("spec") or {}).get("taints") or [] if t.get("effect") == "NoExecute"]


@dataclass
class _Work:
    created_ns: int
    fire_ns: int
    task: Task | None  # None: done (kept so the same pod is not evicted twice)


class TaintEviction:
    """Evicts pods from ``NoExecute``-tainted nodes; ``enabled=False`` leaves them alone."""

    def __init__(self, store: ObjectStore, scheduler: Scheduler, clock: Clock, *, enabled: bool = True) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.enabled = enabled
        self.tainted: dict[str, list[dict[str, Any]]] = {}  # node -> its NoExecute taints (as handled)
        self.evicted: list[PodKey] = []  # every pod this controller deleted, in order
        self._seen_taints: dict[str, list[dict[str, Any]]] = {}  # node -> NoExecute taints of its last event
        self._seen_pods: dict[PodKey, tuple[str, Any]] = {}  # pod -> (nodeName, tolerations) of its last event
        self._works: dict[PodKey, _Work | None] = {}
        self._node_queue: set[str] = set()
        store.watch(NODES, self._on_node)
        store.watch(PODS, self._on_pod)

    # -- informer handlers ------------------------------------------------------------------

    def _on_node(self, ev: WatchEvent) -> None:
        if not self.enabled:
            return
        name = ev.name
        new = [] if ev.type == DELETED else no_execute_taints(ev.object)
        old = self._seen_taints.get(name)
        if ev.type == DELETED:
            self._seen_taints.pop(name, None)
        else:
            self._seen_taints[name] = new
            if ev.type != ADDED and old == new:
                return
        if not new and name not in self.tainted and not self._works:
            return  # nothing tainted, nothing scheduled: handling it would change nothing
        if name not in self._node_queue:
            self._node_queue.add(name)
            self.scheduler.schedule(self.clock.now_ns(), partial(self._handle_node, name), priority=0,
                                    label="taint-eviction-node")

    def _on_pod(self, ev: WatchEvent) -> None:
        if not self.enabled:
            return
        meta = ev.object.get("metadata") or {}
        key = (str(meta.get("namespace") or "default"), ev.name)
        if ev.type == DELETED:
            self._seen_pods.pop(key, None)
            self._cancel(key)
            return
        spec = ev.object.get("spec") or {}
        node = str(spec.get("nodeName") or "")
        tols = spec.get("tolerations") or []
        seen = self._seen_pods.get(key)
        self._seen_pods[key] = (node, tols)
        if seen is not None and seen[0] == node and (seen[1] is tols or seen[1] == tols):
            return
        if node and node in self.tainted:
            self._process(key, node, tols, self.tainted[node], self.clock.now_ns())

    def _handle_node(self, name: str) -> None:
        self._node_queue.discard(name)
        node = self.store.peek(NODES, name)
        if node is None:
            self.tainted.pop(name, None)
            return
        taints = no_execute_taints(node)
        if taints:
            self.tainted[name] = taints
        else:
            self.tainted.pop(name, None)
        pods = [p for p in self.store.iter_objects(PODS) if (p.get("spec") or {}).get("nodeName") == name]
        if not taints:
            for p in pods:
                self._cancel(_key(p))
            return
        now = self.clock.now_ns()
        for p in pods:
            self._process(_key(p), name, (p.get("spec") or {}).get("tolerations") or [], taints, now)

    # -- processPodOnNode -------------------------------------------------------------------

    def _process(self, key: PodKey, node: str, tolerations: Sequence[Mapping[str, Any]],
                 taints: Sequence[Mapping[str, Any]], now: int) -> None:
        if not taints:
            self._cancel(key)
        ok, used = matching_tolerations(taints, tolerations)
        if not ok:
            self._cancel(key)
            self._add_work(key, now, now)
            return
        wait = min_toleration_ns(used)
        if wait < 0:
            self._cancel(key)
            return
        start, trigger = now, now + wait
        work = self._works.get(key)
        if work is not None:
            start = work.created_ns
            if start + wait < trigger:
                return
            self._cancel(key)
        self._add_work(key, start, trigger)

    def _add_work(self, key: PodKey, created: int, fire: int) -> None:
        if key in self._works:  # already scheduled, or done
            return
        task = self.scheduler.schedule(max(fire, self.clock.now_ns()), partial(self._evict, key), priority=0,
                                       label="taint-eviction")
        self._works[key] = _Work(created, fire, task)

    def _cancel(self, key: PodKey) -> None:
        work = self._works.pop(key, None)
        if work is not None and work.task is not None:
            work.task.cancel()

    def _evict(self, key: PodKey) -> None:
        """``addConditionAndDeletePod``: the DisruptionTarget condition, then a graceful delete."""
        ns, name = key
        pod = self.store.peek(PODS, name, ns)
        try:
            if pod is None:
                raise ApiError(404, "NotFound", f'pods "{name}" not found')
            cond: dict[str, Any] = {"type": DISRUPTION_TARGET, "status": "True", "lastProbeTime": None,
                                    "lastTransitionTime": rfc3339(self.clock.now_ns()),
                                    "reason": "DeletionByTaintManager",
                                    "message": "Taint manager: deleting due to NoExecute taint"}
            generation = (pod.get("metadata") or {}).get("generation")
            if generation:  # PodObservedGenerationTracking (on in v1.36): found by the differential test
                cond["observedGeneration"] = generation
            old = next((c for c in (pod.get("status") or {}).get("conditions") or []
                        if c.get("type") == DISRUPTION_TARGET), None)
            if old is not None and old.get("status") == cond["status"]:
                cond["lastTransitionTime"] = old.get("lastTransitionTime")
            if old is None or any(old.get(k) != cond.get(k) for k in ("status", "reason", "message", "lastProbeTime",
                                                                         "lastTransitionTime")):
                # PatchPodStatus sends a two-way strategic merge patch: with $setElementOrder the new
                # condition goes last (without it, a new list item would go first)
                types = [c.get("type") for c in (pod.get("status") or {}).get("conditions") or []]
                if DISRUPTION_TARGET not in types:
                    types.append(DISRUPTION_TARGET)
                patch = {"status": {"$setElementOrder/conditions": [{"type": t} for t in types], "conditions": [cond]}}
                self.store.patch(PODS, name, patch, "strategic", namespace=ns, subresource="status")
            self.store.delete(PODS, name, namespace=ns)
        except ApiError:
            self._works.pop(key, None)
            return
        self._works[key] = None
        self.evicted.append(key)


def _key(pod: Mapping[str, Any]) -> PodKey:
    meta = pod.get("metadata") or {}
    return (str(meta.get("namespace") or "default"), str(meta.get("name")))

"""kube-controller-manager's node lifecycle controller, the parts a KWOK cluster shows.

**Condition taints** (``doNoScheduleTaintingPass``, on every node event): the node's
``NoSchedule`` taints are made to match its conditions — ``Ready=False`` →
``node.kubernetes.io/not-ready``, ``Ready=Unknown`` → ``…/unreachable``,
``MemoryPressure``/``DiskPressure``/``PIDPressure``/``NetworkUnavailable=True`` → the matching
``…/memory-pressure`` etc., ``spec.unschedulable`` → ``…/unschedulable``. Missing taints are added
in one update (each with ``timeAdded``: now), stale ones removed in a second. Together with the
API server's TaintNodesByCondition admission (store.py: a new node starts with the not-ready
taint) this is why a fresh node is briefly unschedulable on a real cluster, and why a node KWOK
makes NotReady gets the not-ready taint.

**NoExecute taints** (``monitorNodeHealth`` every ``--node-monitor-period``, 25 s as kwokctl
runs it; ``doNoExecuteTaintingPass`` every 100 ms): at each monitor pass a node whose Ready
condition is ``False`` (``Unknown``) is queued for the ``node.kubernetes.io/not-ready``
(``…/unreachable``) ``NoExecute`` taint, a Ready one loses both. The queue of each zone
(``topology.kubernetes.io/region`` + ``zone`` labels) is drained by a token bucket of
``--node-eviction-rate`` (0.1 nodes/s, burst 1). The zone's state decides the rate: when no node
of the zone is Ready it is in *full disruption*, and when every zone is, the controller assumes
its own connectivity is broken: it removes all NoExecute taints and stops tainting — which is
why a single-node cluster's NotReady node is never tainted, while a node going NotReady next to
a healthy one is, and then loses its pods (:mod:`.tainteviction`). A zone with more than two
NotReady nodes and ≥ 55 % of them NotReady is in *partial disruption* (rate 0.01/s above 50
nodes, else 0). Ticks are aligned to the simulator's start, so a run replays exactly; on a real
cluster the taint comes 0–25 s after NotReady, depending on where the controller's timer is.

**Node health** (``tryUpdateNodeHealth``, in the same pass): a node is heard from when its Ready
condition's ``lastHeartbeatTime`` changes or its Lease's ``renewTime`` moves on (KWOK renews leases
every ~50 s: :mod:`.nodelease`). Not heard from for ``--node-monitor-grace-period`` (200 s under
kwokctl; 60 s ``--node-startup-grace-period`` while it has no Ready condition), its Ready,
MemoryPressure, DiskPressure and PIDPressure conditions turn ``Unknown`` (reason
``NodeStatusUnknown``, or ``NodeStatusNeverUpdated`` with the condition added), its pods' Ready
condition turns False (``MarkPodsNotReady``), and the same pass queues the ``unreachable``
NoExecute taint (v1.36 decides on the condition it just wrote; older releases waited a pass).
So a node KWOK does not manage, or whose lease someone else holds, goes Unknown.

Not modelled: Event objects (``NodeNotReady``, ``RegisteredNode``), the ``nodesToRetry`` retry
path, the ``node.kubernetes.io/exclude-disruption`` label's other effects.
"""

from __future__ import annotations

import bisect
import contextlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..backend import ADDED, LEASES, MODIFIED, NODES, PODS, WatchEvent
from .clock import Clock, parse_rfc3339, rfc3339
from .scheduler import Scheduler, Task
from .store import ApiError, ObjectStore

CONDITION_TAINTS: dict[str, dict[str, str]] = {
    "Ready": {"False": "node.kubernetes.io/not-ready", "Unknown": "node.kubernetes.io/unreachable"},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption"

INITIAL, NORMAL, FULL_DISRUPTION, PARTIAL_DISRUPTION = "Initial", "Normal", "FullDisruption", "PartialDisruption"


@dataclass(frozen=True)
class NodeLifecycleConfig:
    """kube-controller-manager's flags as kwokctl v0.8 starts it (the rest are Kubernetes' defaults)."""

    node_monitor_period: float = 25.0  # kwokctl: --node-monitor-period=25s
    node_monitor_grace_period: float = 200.0  # kwokctl: --node-monitor-grace-period=3m20s
    node_startup_grace_period: float = 60.0
    node_eviction_rate: float = 0.1
    secondary_node_eviction_rate: float = 0.01
    large_cluster_size_threshold: int = 50
    unhealthy_zone_threshold: float = 0.55
    tainting_period: float = 0.1  # scheduler.NodeEvictionPeriod
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


def _without(node: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """The node's taints without the NoExecute taint ``key``."""
    return [t for t in (node.get("spec") or {}).get("taints") or []
            if not (t.get("key") == key and t.get("effect") == "NoExecute")]


def zone_key(node: Mapping[str, Any]) -> str:
    """``nodetopology.GetZoneKey``: region and zone labels (GA names first), '' when neither is set."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    zone = labels.get("topology.kubernetes.io/zone", labels.get("failure-domain.beta.kubernetes.io/zone", ""))
    region = labels.get("topology.kubernetes.io/region", labels.get("failure-domain.beta.kubernetes.io/region", ""))
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


def ready_status(node: Mapping[str, Any]) -> str | None:
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return str(c.get("status"))
    return None


def has_taint(node: Mapping[str, Any], key: str, effect: str) -> bool:
    return any(t.get("key") == key and t.get("effect") == effect for t in (node.get("spec") or {}).get("taints") or [])


@dataclass
class _Health:
    """``nodeHealthData``: the Ready condition last seen, when the node was last heard from."""

    ready: dict[str, Any] | None
    probe: int
    transition: int
    lease_renew: int | None = None


class TokenBucket:
    """``flowcontrol.NewTokenBucketRateLimiter`` (golang.org/x/time/rate) on the injected clock;
    ``qps <= 0`` is the never-accepting limiter."""

    def __init__(self, qps: float, burst: int, now_ns: int) -> None:
        self.qps = qps
        self.burst = burst
        self.tokens = float(burst)
        self.last_ns = now_ns

    def _advance(self, now_ns: int) -> None:
        if now_ns > self.last_ns:
            self.tokens = min(float(self.burst), self.tokens + (now_ns - self.last_ns) / 1e9 * self.qps)
            self.last_ns = now_ns

    def try_accept(self, now_ns: int) -> bool:
        if self.qps <= 0:
            return False
        self._advance(now_ns)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def ready_ns(self, now_ns: int) -> int | None:
        """When the next token is there (None: never)."""
        if self.qps <= 0:
            return None
        self._advance(now_ns)
        if self.tokens >= 1.0:
            return now_ns
        t = now_ns + math.ceil((1.0 - self.tokens) / self.qps * 1e9)
        while min(float(self.burst), self.tokens + (t - self.last_ns) / 1e9 * self.qps) < 1.0:
            t += 1  # float rounding
        return t


class ZoneQueue:
    """``RateLimitedTimedQueue`` over a ``UniqueQueue``: a node is queued once until explicitly removed."""

    def __init__(self, qps: float, now_ns: int) -> None:
        self.limiter = TokenBucket(qps, 1, now_ns)
        self.items: list[tuple[int, int, str]] = []  # (process at, seq, node) ascending
        self.members: set[str] = set()
        self._seq = 0

    def add(self, name: str, now_ns: int) -> bool:
        if name in self.members:
            return False
        self._seq += 1
        bisect.insort(self.items, (now_ns, self._seq, name))
        self.members.add(name)
        return True

    def remove(self, name: str) -> bool:
        """``Remove``: out of the queue and the set (it may be added again)."""
        if name not in self.members:
            return False
        self.members.discard(name)
        self.items = [i for i in self.items if i[2] != name]
        return True

    def swap_limiter(self, qps: float, now_ns: int) -> None:
        if self.limiter.qps == qps:
            return
        new = TokenBucket(qps, 1, now_ns)
        if qps > 0 and not self.limiter.try_accept(now_ns):
            new.try_accept(now_ns)  # the old one was exhausted: so is the new one
        self.limiter = new


class NodeLifecycle:
    """Keeps condition taints in step with node conditions and NoExecute taints with node health;
    ``enabled=False`` leaves taints alone."""

    def __init__(self, store: ObjectStore, scheduler: Scheduler, clock: Clock, *, enabled: bool = True,
                 config: NodeLifecycleConfig | None = None) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.enabled = enabled
        self.config = config or NodeLifecycleConfig()
        self.start_ns = clock.now_ns()
        self._queued: set[str] = set()
        self.known: set[str] = set()
        self.zone_states: dict[str, str] = {}
        self.zone_queues: dict[str, ZoneQueue] = {}
        self._monitor_task: Task | None = None
        self._tainting_task: Task | None = None
        self.health: dict[str, _Health] = {}  # nodeHealthMap (never pruned, as in Go)
        store.watch(NODES, self._on_node)

    def _on_node(self, ev: WatchEvent) -> None:
        if not self.enabled or ev.type not in (ADDED, MODIFIED):
            return
        if self._monitor_task is None:
            self._schedule_monitor()
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

    # -- monitorNodeHealth ------------------------------------------------------------------

    def _grid(self, period_ns: int, at_ns: int) -> int:
        """The first tick of a timer started with the simulator at or after ``at_ns``."""
        k = -(-(at_ns - self.start_ns) // period_ns)
        return self.start_ns + max(0, k) * period_ns

    def _schedule_monitor(self) -> None:
        period = int(self.config.node_monitor_period * 1e9)
        due = self._grid(period, self.clock.now_ns())
        self._monitor_task = self.scheduler.schedule(due, self._monitor, priority=0, label="node-monitor")

    def _monitor(self) -> None:
        # self._monitor_task stays set during the pass: its own writes must not start another pass
        nodes = sorted(self.store.iter_objects(NODES), key=lambda n: str(n["metadata"]["name"]))
        names = {str(n["metadata"]["name"]) for n in nodes}
        for n in nodes:
            name = str(n["metadata"]["name"])
            if name in self.known and zone_key(n) not in self.zone_states:
                self._add_zone(zone_key(n))
        for n in nodes:
            name = str(n["metadata"]["name"])
            if name not in self.known:
                self.known.add(name)
                self._add_zone(zone_key(n))
                self._mark_reachable(name)
        self.known &= names
        conditions: dict[str, list[str | None]] = {}
        for n in nodes:
            name = str(n["metadata"]["name"])
            node = self.store.peek(NODES, name) or n  # this pass's own writes included
            observed, current = self._update_health(node)
            node = self.store.peek(NODES, name) or node
            if EXCLUDE_DISRUPTION not in ((n.get("metadata") or {}).get("labels") or {}):
                conditions.setdefault(zone_key(n), []).append(current)
            if current is not None:
                self._taint_based_eviction(node, current)  # v1.36: the condition after this pass's update
                if current != "True" and observed == "True":
                    self._mark_pods_not_ready(name)
        self._handle_disruption(conditions, [str(n["metadata"]["name"]) for n in nodes])
        if nodes or self.known:
            self._schedule_monitor_after()
        else:
            self._monitor_task = None  # the timer stops until a node appears
        self._want_tainting_pass()

    def _update_health(self, node: dict[str, Any]) -> tuple[str, str | None]:
        """``tryUpdateNodeHealth``: (observed Ready status, current one after this pass).

        A node is heard from when its Ready condition's ``lastHeartbeatTime`` changes or its Lease's
        ``renewTime`` moves on; not heard from for the grace period (the startup one while it has
        no Ready condition), its Ready/MemoryPressure/DiskPressure/PIDPressure conditions are set
        Unknown (``NodeStatusUnknown``; ``NodeStatusNeverUpdated`` when never posted)."""
        cfg = self.config
        now = self.clock.now_ns()
        name = str(node["metadata"]["name"])
        meta = node.get("metadata") or {}
        created = str(meta.get("creationTimestamp") or rfc3339(now))
        created_ns = parse_rfc3339(created)
        conds = (node.get("status") or {}).get("conditions") or []
        cur = next((c for c in conds if c.get("type") == "Ready"), None)
        health = self.health.get(name)
        if cur is None:
            observed: dict[str, Any] = {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": created,
                                        "lastTransitionTime": created}
            grace = int(cfg.node_startup_grace_period * 1e9)
            if health is not None:
                health.ready = None
            else:
                health = _Health(None, created_ns, created_ns)
        else:
            observed = dict(cur)
            grace = int(cfg.node_monitor_grace_period * 1e9)
        saved = health.ready if health is not None else None
        saved_lease = health.lease_renew if health is not None else None
        if health is None or (saved is None and cur is not None) or (saved is not None and cur is None):
            health = _Health(cur, now, now)
        elif saved is not None and cur is not None and saved.get("lastHeartbeatTime") != cur.get("lastHeartbeatTime"):
            moved = saved.get("lastTransitionTime") != cur.get("lastTransitionTime")
            health = _Health(cur, now, now if moved else health.transition)
        lease = self.store.peek(LEASES, name, "kube-node-lease")
        renew = ((lease or {}).get("spec") or {}).get("renewTime")
        if renew:
            renew_ns = parse_rfc3339(str(renew))
            if saved_lease is None or saved_lease < renew_ns:
                health.lease_renew = renew_ns
                health.probe = now
        self.health[name] = health
        current = None if cur is None else str(cur.get("status"))
        if now > health.probe + grace:
            stamp = rfc3339(now)
            new_conds = [dict(c) for c in conds]
            for ctype in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure"):
                c = next((x for x in new_conds if x.get("type") == ctype), None)
                if c is None:
                    new_conds.append({"type": ctype, "status": "Unknown", "lastHeartbeatTime": created,
                                      "lastTransitionTime": stamp, "reason": "NodeStatusNeverUpdated",
                                      "message": "Kubelet never posted node status."})
                elif c.get("status") != "Unknown":
                    c.update(status="Unknown", reason="NodeStatusUnknown",
                             message="Kubelet stopped posting node status.", lastTransitionTime=stamp)
            ready = next(x for x in new_conds if x.get("type") == "Ready")
            current = "Unknown"
            if ready != observed:
                status = dict(node.get("status") or {}, conditions=new_conds)
                try:
                    self.store.replace(NODES, {**node, "status": status}, strategy=False)
                except ApiError:
                    return str(observed.get("status")), current
                self.health[name] = _Health(ready, health.probe, now, renew_ns if renew else None)
        return str(observed.get("status")), current

    def _mark_pods_not_ready(self, node: str) -> None:
        """``MarkPodsNotReady``: the Ready condition of every pod on the node turns False."""
        now = rfc3339(self.clock.now_ns())
        for pod in list(self.store.iter_objects(PODS)):
            if (pod.get("spec") or {}).get("nodeName") != node:
                continue
            conds = [dict(c) for c in (pod.get("status") or {}).get("conditions") or []]
            c = next((x for x in conds if x.get("type") == "Ready"), None)
            if c is None or c.get("status") == "False":
                continue
            c.update(status="False", lastTransitionTime=now)
            with contextlib.suppress(ApiError):
                self.store.replace(PODS, {**pod, "status": dict(pod.get("status") or {}, conditions=conds)},
                                   strategy=False)

    def _schedule_monitor_after(self) -> None:
        period = int(self.config.node_monitor_period * 1e9)
        due = self._grid(period, self.clock.now_ns() + 1)
        self._monitor_task = self.scheduler.schedule(due, self._monitor, priority=0, label="node-monitor")

    def _add_zone(self, zone: str) -> None:
        """``addPodEvictorForNewZone``: a zone seen again after it emptied gets a fresh queue."""
        if zone not in self.zone_states:
            self.zone_states[zone] = INITIAL
            self.zone_queues[zone] = ZoneQueue(self.config.node_eviction_rate, self.clock.now_ns())

    def _taint_based_eviction(self, node: dict[str, Any], status: str) -> None:
        name = str(node["metadata"]["name"])
        if status == "False":
            if has_taint(node, UNREACHABLE, "NoExecute"):
                self._swap(name, add=NOT_READY, remove=UNREACHABLE)
            else:
                self._mark_for_tainting(node, NOT_READY)
        elif status == "Unknown":
            if has_taint(node, NOT_READY, "NoExecute"):
                self._swap(name, add=UNREACHABLE, remove=NOT_READY)
            else:
                self._mark_for_tainting(node, UNREACHABLE)
        elif status == "True":
            self._mark_reachable(name)

    def _mark_for_tainting(self, node: dict[str, Any], key: str) -> None:
        q = self._zone_queue(zone_key(node))
        name = str(node["metadata"]["name"])
        if not has_taint(node, key, "NoExecute"):
            q.remove(name)
        q.add(name, self.clock.now_ns())

    def _mark_reachable(self, name: str) -> None:
        node = self.store.peek(NODES, name)
        if node is None:
            return
        for key in (UNREACHABLE, NOT_READY):
            if has_taint(node, key, "NoExecute"):
                node = self._write(node, _without(node, key)) or node
        q = self.zone_queues.get(zone_key(node))
        if q is not None:
            q.remove(name)

    def _swap(self, name: str, *, add: str, remove: str) -> bool:
        """``SwapNodeControllerTaint``: the ``add`` NoExecute taint (timeAdded now), without ``remove``."""
        node = self.store.peek(NODES, name)
        if node is None:
            return False
        taints = list((node.get("spec") or {}).get("taints") or [])
        new = {"key": add, "effect": "NoExecute", "timeAdded": rfc3339(self.clock.now_ns())}
        for i, t in enumerate(taints):
            if t.get("key") == add and t.get("effect") == "NoExecute":
                if t != new:
                    taints[i] = new
                    node = self._write(node, taints)
                break
        else:
            node = self._write(node, [*taints, new])
        if node is None:
            return False
        if has_taint(node, remove, "NoExecute"):
            return self._write(node, _without(node, remove)) is not None
        return True

    def _handle_disruption(self, conditions: dict[str, list[str | None]], nodes: list[str]) -> None:
        cfg = self.config
        new_states: dict[str, str] = {}
        all_fully = True
        for zone, statuses in sorted(conditions.items()):
            state = self._zone_state(statuses)
            if state != FULL_DISRUPTION:
                all_fully = False
            new_states[zone] = state
            self.zone_states.setdefault(zone, INITIAL)
        all_were_fully = True
        for zone in sorted(self.zone_states):
            if zone not in conditions:
                del self.zone_states[zone]
                continue
            if self.zone_states[zone] != FULL_DISRUPTION:
                all_were_fully = False
                break
        if all_fully and all_were_fully:
            return
        now = self.clock.now_ns()
        if all_fully:  # entering: every zone down ⇒ the controller doubts itself and stops
            for name in nodes:
                self._mark_reachable(name)
            for zone in self.zone_states:
                self._zone_queue(zone).swap_limiter(0, now)
                self.zone_states[zone] = FULL_DISRUPTION
            return
        for zone in list(self.zone_states):
            state = new_states.get(zone, "")  # "": a stale zone the loop above stopped before (as in Go)
            if not all_were_fully and self.zone_states[zone] == state:
                continue
            size = len(conditions.get(zone, []))
            if state == PARTIAL_DISRUPTION:
                qps = cfg.secondary_node_eviction_rate if size > cfg.large_cluster_size_threshold else 0.0
                self._zone_queue(zone).swap_limiter(qps, now)
            elif state in (NORMAL, FULL_DISRUPTION):
                self._zone_queue(zone).swap_limiter(cfg.node_eviction_rate, now)
            self.zone_states[zone] = state

    def _zone_queue(self, zone: str) -> ZoneQueue:
        if zone not in self.zone_queues:
            self.zone_queues[zone] = ZoneQueue(self.config.node_eviction_rate, self.clock.now_ns())
        return self.zone_queues[zone]

    def _zone_state(self, statuses: list[str | None]) -> str:
        ready = sum(1 for s in statuses if s == "True")
        not_ready = len(statuses) - ready
        if ready == 0 and not_ready > 0:
            return FULL_DISRUPTION
        if not_ready > 2 and not_ready / (not_ready + ready) >= self.config.unhealthy_zone_threshold:
            return PARTIAL_DISRUPTION
        return NORMAL

    # -- doNoExecuteTaintingPass ------------------------------------------------------------

    def _want_tainting_pass(self, at_ns: int | None = None) -> None:
        """Schedule the 100 ms tainting timer's next useful tick (none while no queue can move)."""
        now = self.clock.now_ns()
        wake: int | None = None
        for q in self.zone_queues.values():
            if not q.items:
                continue
            ready = q.limiter.ready_ns(now)
            if ready is None:
                continue
            t = max(ready, q.items[0][0], at_ns or now)
            wake = t if wake is None else min(wake, t)
        if wake is None:
            return
        due = self._grid(int(self.config.tainting_period * 1e9), wake)
        if self._tainting_task is not None and not self._tainting_task.cancelled:
            if self._tainting_task.due_ns <= due:
                return
            self._tainting_task.cancel()
        self._tainting_task = self.scheduler.schedule(due, self._tainting_pass, priority=0, label="node-taint-pass")

    def _tainting_pass(self) -> None:
        self._tainting_task = None
        now = self.clock.now_ns()
        for zone in sorted(self.zone_queues):
            q = self.zone_queues[zone]
            while q.items:
                if not q.limiter.try_accept(now):
                    break
                process_at, seq, name = q.items[0]
                if now < process_at:
                    break
                done, retry_ns = self._taint_one(name)
                if done:
                    q.items.pop(0)  # RemoveFromQueue: stays a member until explicitly removed
                else:
                    q.items.pop(0)
                    bisect.insort(q.items, (now + retry_ns + 1, seq, name))
        self._want_tainting_pass(now + 1)

    def _taint_one(self, name: str) -> tuple[bool, int]:
        node = self.store.peek(NODES, name)
        if node is None:
            return True, 0
        status = ready_status(node)
        if status is None:
            return False, 50_000_000
        if status == "False":
            return self._swap(name, add=NOT_READY, remove=UNREACHABLE), 0
        if status == "Unknown":
            return self._swap(name, add=UNREACHABLE, remove=NOT_READY), 0
        return True, 0  # Ready again

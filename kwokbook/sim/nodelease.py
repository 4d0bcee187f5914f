"""KWOK's node lease controller: a Lease in ``kube-node-lease`` per managed node, renewed.

Follows ``pkg/kwok/controllers/node_lease_controller.go`` (KWOK v0.8.0), active when
``--node-lease-duration-seconds`` > 0 (kwokctl passes 200): when KWOK starts managing a node it
tries to hold the node's Lease — creating it (holder: KWOK's id, duration, ``renewTime`` now, an
owner reference to the node) or taking it over once another holder's lease has expired — and then
renews it every ``duration / 4`` plus up to 4 % jitter (50–52 s under kwokctl). Until KWOK holds
the lease, the node and its pods are read-only to it; on first holding it the node and its pods
are processed. This is the heartbeat kube-controller-manager watches (see :mod:`.nodelifecycle`):
a node whose lease stops being renewed turns Unknown after ``--node-monitor-grace-period``.

The garbage collector's part is folded in: a node's Lease is deleted with the node (its owner).
"""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Callable
from typing import Any

from ..backend import LEASES, NODES
from .clock import Clock, micro_time, parse_rfc3339
from .scheduler import Scheduler, Task
from .store import ApiError, ObjectStore

NAMESPACE = "kube-node-lease"
RENEW_JITTER = 0.04  # component-helpers' lease controller, as KWOK copies it


def default_holder(rng: random.Random) -> str:
    """KWOK's id is ``<hostname>_<uuid>``; the simulator's host is ``kwokbook-sim``."""
    return f"kwokbook-sim_{uuid.UUID(int=rng.getrandbits(128), version=4)}"


class NodeLeases:
    """Holds and renews node Leases for KWOK; ``on_held(node)`` when KWOK first holds one."""

    def __init__(self, store: ObjectStore, scheduler: Scheduler, clock: Clock, rng: random.Random, *,
                 duration_seconds: int, holder: str, on_held: Callable[[str], None]) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.rng = rng
        self.duration_seconds = duration_seconds
        self.holder = holder
        self.on_held = on_held
        self.renew_ns = duration_seconds * 1_000_000_000 // 4
        self._hold: dict[str, bool] = {}  # node -> first sync still to come
        self._tasks: dict[str, Task] = {}

    def lease(self, node: str) -> dict[str, Any] | None:
        return self.store.peek(LEASES, node, NAMESPACE)

    def held(self, node: str) -> bool:
        lease = self.lease(node)
        return lease is not None and (lease.get("spec") or {}).get("holderIdentity") == self.holder

    def try_hold(self, node: str) -> None:
        if node not in self._hold:
            self._hold[node] = True
            self._after(node, 0)

    def release(self, node: str) -> None:
        self._hold.pop(node, None)
        task = self._tasks.pop(node, None)
        if task is not None:
            task.cancel()

    def _after(self, node: str, delay_ns: int) -> None:
        old = self._tasks.get(node)
        if old is not None:
            old.cancel()
        self._tasks[node] = self.scheduler.schedule(self.clock.now_ns() + delay_ns, lambda: self._work(node),
                                                    priority=0, label=f"node-lease {node}")

    def _interval(self) -> int:
        """``wait.Jitter(renewInterval, 0.04)``."""
        return self.renew_ns + int(self.rng.random() * RENEW_JITTER * self.renew_ns)

    def _work(self, node: str) -> None:
        self._tasks.pop(node, None)
        first = self._hold.get(node)
        if first is None:
            return
        dur = self._interval()
        try:
            lease = self._sync(node, first)
        except ApiError:
            self._after(node, dur)
            return
        expire = _expire_ns(lease)
        if lease is None or expire is None:
            self._after(node, dur)
            return
        if first:
            self._hold[node] = False
        now = self.clock.now_ns()
        hold = _try_acquire_or_renew(lease, self.holder, now)
        left = expire - now
        if not hold or dur < left:
            nxt = dur
        elif left < 1_000_000_000:
            nxt = 1_000_000_000
        else:
            nxt = left
        self._after(node, nxt)

    def _sync(self, node: str, first: bool) -> dict[str, Any] | None:
        now = self.clock.now_ns()
        lease = self.lease(node)
        if lease is not None:
            if not _try_acquire_or_renew(lease, self.holder, now):
                return None  # another holder's, not expired yet
            spec = dict(lease.get("spec") or {})
            transitions = spec.get("holderIdentity") != self.holder
            if transitions:
                spec["holderIdentity"] = self.holder
                spec["leaseDurationSeconds"] = self.duration_seconds
                spec["leaseTransitions"] = int(spec.get("leaseTransitions") or 0) + 1
            spec["renewTime"] = micro_time(now)
            meta = dict(lease.get("metadata") or {})
            if not meta.get("ownerReferences"):
                refs = self._owner(node)
                if refs:
                    meta["ownerReferences"] = refs
            lease = self.store.update({**lease, "metadata": meta, "spec": spec}, LEASES)
            if first or transitions:
                self.on_held(node)
            return lease
        body: dict[str, Any] = {
            "apiVersion": LEASES.api_version, "kind": "Lease",
            "metadata": {"name": node, "namespace": NAMESPACE},
            "spec": {"holderIdentity": self.holder, "leaseDurationSeconds": self.duration_seconds,
                     "renewTime": micro_time(now)},
        }
        refs = self._owner(node)
        if refs:
            body["metadata"]["ownerReferences"] = refs
        lease = self.store.create(body, LEASES)
        self.on_held(node)
        return lease

    def _owner(self, node: str) -> list[dict[str, Any]]:
        obj = self.store.peek(NODES, node)
        if obj is None:
            return []
        meta = obj.get("metadata") or {}
        return [{"apiVersion": "v1", "kind": "Node", "name": meta.get("name"), "uid": meta.get("uid")}]

    def node_deleted(self, node: str) -> None:
        """KWOK lets go of the lease; the garbage collector deletes it (the node was its owner)."""
        self.release(node)
        lease = self.lease(node)
        if lease is not None and any(r.get("kind") == "Node" and r.get("name") == node
                                     for r in (lease.get("metadata") or {}).get("ownerReferences") or []):
            with contextlib.suppress(ApiError):
                self.store.delete(LEASES, node, namespace=NAMESPACE)


def _try_acquire_or_renew(lease: dict[str, Any], holder: str, now_ns: int) -> bool:
    spec = lease.get("spec") or {}
    if spec.get("holderIdentity") is None or spec.get("holderIdentity") == holder:
        return True
    if spec.get("renewTime") is None or spec.get("leaseDurationSeconds") is None:
        return True
    expire = parse_rfc3339(str(spec["renewTime"])) + int(spec["leaseDurationSeconds"]) * 1_000_000_000
    return expire < now_ns


def _expire_ns(lease: dict[str, Any] | None) -> int | None:
    spec = (lease or {}).get("spec") or {}
    if spec.get("holderIdentity") is None or spec.get("leaseDurationSeconds") is None or spec.get("renewTime") is None:
        return None
    return parse_rfc3339(str(spec["renewTime"])) + int(spec["leaseDurationSeconds"]) * 1_000_000_000

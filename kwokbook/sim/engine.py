"""The embedded simulator: an API server, KWOK's controllers and a binder, on a virtual clock.

It implements :class:`kwokbook.backend.Cluster`, so code written against a real KWOK cluster
runs here unchanged — and ``wait(600)`` takes milliseconds. Everything random (uids, jitter,
weighted choices, generated names) comes from one seeded ``random.Random``: the same seed
replays the same scenario byte for byte.
"""

from __future__ import annotations

import builtins
import copy
import random
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..backend import (
    STAGES,
    ClusterInfo,
    ListResult,
    PatchResult,
    Resource,
    WatchEvent,
    resource_for,
)
from ..errors import SimulatorError
from ..stage.load import LoadResult, load_stages, load_stages_from_text
from ..stage.model import Stage
from .binder import Binder
from .clock import DEFAULT_EPOCH_NS, RealClock, VirtualClock
from .kwok import KwokConfig, KwokControllers
from .nodelifecycle import NodeLifecycle, NodeLifecycleConfig
from .objects import job_pod, kwok_node, pod
from .scheduler import Scheduler
from .store import ObjectStore
from .tainteviction import TaintEviction

StageSource = str | Path | Stage | Mapping[str, Any]


class Simulator:
    """A KWOK cluster in a Python object. ``Simulator(stages="fast", seed=1)``."""

    def __init__(self, stages: StageSource | Sequence[StageSource] | None = "fast", *, seed: int = 0,
                 start_ns: int = DEFAULT_EPOCH_NS, binder: bool = True, realtime: bool = False,
                 config: KwokConfig | None = None, name: str = "kwokbook-sim", node_lifecycle: bool = True,
                 taint_eviction: bool = True, controller_manager: NodeLifecycleConfig | None = None) -> None:
        """``binder=False``: no scheduler stand-in (pods stay unbound unless they name a node);
        ``node_lifecycle=False``: no condition or NoExecute taints on nodes (see :mod:`.nodelifecycle`);
        ``taint_eviction=False``: pods stay on NoExecute-tainted nodes (see :mod:`.tainteviction`);
        ``controller_manager``: kube-controller-manager's node flags (default: as kwokctl runs it);
        ``realtime=True``: the clock is wall time and waiting really waits (live widgets)."""
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock: VirtualClock | RealClock = RealClock() if realtime else VirtualClock(start_ns)
        self.realtime = realtime
        self.scheduler = Scheduler()
        self.store = ObjectStore(self.clock, self.rng)
        self.kwok = KwokControllers(self.store, self.scheduler, self.clock, self.rng, config,
                                    lease_rng=random.Random(f"{seed}/node-leases"))
        self.binder = Binder(self.store, self.scheduler, self.clock, enabled=binder)
        self.node_lifecycle = NodeLifecycle(self.store, self.scheduler, self.clock, enabled=node_lifecycle,
                                            config=controller_manager)
        self.taint_eviction = TaintEviction(self.store, self.scheduler, self.clock, enabled=taint_eviction)
        self.info = ClusterInfo(name, "simulator", True, ["embedded simulator: KWOK controllers re-enacted "
                                                           "in-process with a virtual clock"])
        self.start_ns = self.clock.now_ns()
        self.store.watch(STAGES, lambda ev: self._reload_stages())
        self.load_result: LoadResult | None = None
        if stages is not None:
            self.set_stages(stages)

    # -- stages -----------------------------------------------------------------------------

    def set_stages(self, stages: StageSource | Sequence[StageSource]) -> LoadResult:
        """Replace all Stage objects (files, folders, built-in set names, Stage docs, Stages)."""
        for st in self.store.list(STAGES):
            self.store.delete(STAGES, st["metadata"]["name"])
        srcs = [stages] if isinstance(stages, (str, Path, Stage, Mapping)) else list(stages)
        result = LoadResult()
        for src in srcs:
            if isinstance(src, Stage):
                result.stages.append(src)
                self.store.create(copy.deepcopy(src.raw), STAGES)
                continue
            if isinstance(src, Mapping):
                import yaml

                r = load_stages_from_text(yaml.safe_dump(dict(src)), "<stage>", from_config=False)
            else:
                r = load_stages([src], from_config=False)
            result.stages.extend(r.stages)
            result.diagnostics.extend(r.diagnostics)
            for loaded in r.stages:
                self.store.create(copy.deepcopy(loaded.raw), STAGES)
        self.load_result = result
        self._reload_stages()
        return result

    def apply_stage(self, stage: StageSource) -> dict[str, Any]:
        """Create or replace one Stage object; matching changes from the next object event on."""
        if isinstance(stage, Stage):
            doc = copy.deepcopy(stage.raw)
        elif isinstance(stage, Mapping):
            doc = copy.deepcopy(dict(stage))
        else:
            r = load_stages([stage], from_config=False)
            if len(r.stages) != 1:
                raise SimulatorError(f"expected one Stage in {stage}, got {len(r.stages)}")
            doc = copy.deepcopy(r.stages[0].raw)
        name = str((doc.get("metadata") or {}).get("name") or "")
        if self.store.peek(STAGES, name) is not None:
            return self.store.update(doc, STAGES)
        return self.store.create(doc, STAGES)

    def delete_stage(self, name: str) -> None:
        self.store.delete(STAGES, name)

    def _reload_stages(self) -> None:
        import yaml

        docs = sorted(self.store.iter_objects(STAGES), key=lambda d: int(d["metadata"]["resourceVersion"]))
        stages: list[Stage] = []
        for d in docs:
            clean = {k: v for k, v in d.items() if k != "status"}
            r = load_stages_from_text(yaml.safe_dump(clean, sort_keys=False), f"stage/{d['metadata']['name']}",
                                      strict=False, from_config=False)
            stages.extend(r.stages)
        self.kwok.set_stages(stages)

    @property
    def stages(self) -> list[Stage]:
        return list(self.kwok.stages)

    # -- time -------------------------------------------------------------------------------

    def now_ns(self) -> int:
        return self.clock.now_ns()

    def step(self) -> bool:
        """Run the next due task (advancing virtual time to it). False when nothing is left."""
        due = self.scheduler.peek_due()
        if due is None:
            return False
        if isinstance(self.clock, VirtualClock):
            self.clock.advance_to(due)
        elif due > self.clock.now_ns():
            time.sleep((due - self.clock.now_ns()) / 1e9)
        task = self.scheduler.pop_due(max(due, self.clock.now_ns()))
        if task is not None:
            task.fn()
        return True

    def run_for(self, seconds: float) -> None:
        """Run everything due in the next ``seconds`` (virtual), then stop the clock at that time."""
        end = self.clock.now_ns() + int(seconds * 1e9)
        self._run_to(end)
        if isinstance(self.clock, VirtualClock):
            self.clock.advance_to(end)
        elif end > self.clock.now_ns():
            time.sleep((end - self.clock.now_ns()) / 1e9)

    def _run_to(self, end_ns: int) -> None:
        while True:
            due = self.scheduler.peek_due()
            if due is None or due > end_ns:
                return
            self.step()

    def run_until(self, predicate: Callable[[], bool], timeout: float = 3600.0, *, poll: float = 0.05) -> bool:
        """Advance until ``predicate()`` holds (checked after every task) or ``timeout`` seconds pass.

        Virtual time jumps from task to task; in real-time mode this sleeps between tasks and
        re-checks ``predicate`` every ``poll`` seconds (something outside may change it), and
        really waits the whole ``timeout`` when it never holds — as on a real cluster.
        """
        end = self.clock.now_ns() + int(timeout * 1e9)
        if predicate():
            return True
        if not isinstance(self.clock, VirtualClock):
            return self._run_until_realtime(predicate, end, poll)
        while True:
            due = self.scheduler.peek_due()
            if due is None or due > end:
                self.clock.advance_to(end)
                return predicate()
            self.step()
            if predicate():
                return True

    def _run_until_realtime(self, predicate: Callable[[], bool], end: int, poll: float) -> bool:
        while True:
            now = self.clock.now_ns()
            due = self.scheduler.peek_due()
            if due is not None and due <= now:
                self.step()
            elif now >= end:
                return predicate()
            else:
                wake = min(end, now + int(poll * 1e9), due if due is not None else end)
                time.sleep(max(0, wake - now) / 1e9)
            if predicate():
                return True

    def run_all(self, max_seconds: float = 86400.0) -> None:
        """Run until the queue is empty (or ``max_seconds`` of virtual time pass)."""
        self._run_to(self.clock.now_ns() + int(max_seconds * 1e9))

    # Cluster protocol names
    def wait(self, seconds: float) -> None:
        self.run_for(seconds)

    def wait_until(self, predicate: Callable[[], bool], timeout: float, *, poll: float = 0.05) -> bool:
        return self.run_until(predicate, timeout, poll=poll)

    # -- objects (Cluster protocol) ---------------------------------------------------------

    def list(self, resource: str | Resource, *, namespace: str | None = None,
             label_selector: str | None = None) -> ListResult:
        r = resource_for(resource)
        items = self.store.list(r, namespace)
        if label_selector:
            want = _parse_label_selector(label_selector)
            items = [o for o in items if _labels_match(want, (o.get("metadata") or {}).get("labels") or {})]
        return ListResult(items, self.store.resource_version)

    def get(self, resource: str | Resource, name: str, *, namespace: str | None = None) -> dict[str, Any] | None:
        return self.store.get(resource_for(resource), name, namespace)

    def create(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        return self.store.create(copy.deepcopy(dict(obj)))

    def apply(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        r = resource_for(obj)
        meta = obj.get("metadata") or {}
        if self.store.peek(r, str(meta.get("name") or ""), meta.get("namespace")) is None:
            return self.store.create(copy.deepcopy(dict(obj)), r)
        patched, _ = self.store.patch(r, str(meta.get("name")), copy.deepcopy(dict(obj)), "merge",
                                      namespace=meta.get("namespace"))
        return patched

    def patch(self, resource: str | Resource, name: str, patch: Any, *, namespace: str | None = None,
              patch_type: str = "merge", subresource: str | None = None) -> PatchResult:
        obj, changed = self.store.patch(resource_for(resource), name, patch, patch_type, namespace=namespace,
                                        subresource=subresource)
        return PatchResult(obj, self.clock.now_ns(), changed)

    def delete(self, resource: str | Resource, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None) -> None:
        self.store.delete(resource_for(resource), name, namespace=namespace,
                          grace_period_seconds=grace_period_seconds)

    def watch(self, resource: str | Resource, *, namespace: str | None = None,
              resource_version: str | None = None, max_seconds: float | None = None) -> Iterator[WatchEvent]:
        """Events as the simulation produces them; pulling drives the simulation forward.

        Without ``resource_version``, first yields ADDED for every existing object (as a
        list-then-watch would). Stops when nothing is scheduled or ``max_seconds`` pass.
        """
        r = resource_for(resource)
        buf: deque[WatchEvent] = deque()
        stop = self.store.watch(r, buf.append, namespace)
        end = None if max_seconds is None else self.clock.now_ns() + int(max_seconds * 1e9)
        try:
            if resource_version is None:
                for obj in self.store.list(r, namespace):
                    yield WatchEvent("ADDED", obj, r, self.clock.now_ns(), obj["metadata"].get("resourceVersion", ""))
            while True:
                while buf:
                    yield buf.popleft()
                due = self.scheduler.peek_due()
                if due is None or (end is not None and due > end):
                    return
                self.step()
        finally:
            stop()

    # -- helpers for scenarios --------------------------------------------------------------

    def add_node(self, name: str, **kw: Any) -> dict[str, Any]:
        return self.create(kwok_node(name, **kw))

    def add_nodes(self, n: int, prefix: str = "kwok-node-", **kw: Any) -> builtins.list[dict[str, Any]]:
        return [self.add_node(f"{prefix}{i}", **kw) for i in range(n)]

    def add_pod(self, name: str, **kw: Any) -> dict[str, Any]:
        return self.create(pod(name, **kw))

    def add_pods(self, n: int, prefix: str = "pod-", **kw: Any) -> builtins.list[dict[str, Any]]:
        """A Deployment-like batch: ``n`` identical pods named ``prefix0`` … (scheduled by the binder)."""
        return [self.add_pod(f"{prefix}{i}", **kw) for i in range(n)]

    def add_job_pod(self, name: str, **kw: Any) -> dict[str, Any]:
        return self.create(job_pod(name, **kw))

    @property
    def history(self) -> builtins.list[WatchEvent]:
        return self.store.history

    def __repr__(self) -> str:
        return (f"Simulator(t={(self.clock.now_ns() - self.start_ns) / 1e9:.3f}s, "
                f"stages={len(self.kwok.stages)}, seed={self.seed})")


def _parse_label_selector(sel: str) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for part in filter(None, (p.strip() for p in sel.split(","))):
        if "!=" in part:
            k, v = part.split("!=", 1)
            out.append(("!=", k.strip(), v.strip()))
        elif "==" in part:
            k, v = part.split("==", 1)
            out.append(("=", k.strip(), v.strip()))
        elif "=" in part:
            k, v = part.split("=", 1)
            out.append(("=", k.strip(), v.strip()))
        elif part.startswith("!"):
            out.append(("!", part[1:].strip(), None))
        else:
            out.append(("exists", part, None))
    return out


def _labels_match(want: list[tuple[str, str, str | None]], labels: Mapping[str, str]) -> bool:
    for op, k, v in want:
        if op == "=" and labels.get(k) != v:
            return False
        if op == "!=" and labels.get(k) == v:
            return False
        if op == "exists" and k not in labels:
            return False
        if op == "!" and k in labels:
            return False
    return True

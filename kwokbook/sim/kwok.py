"""KWOK's controllers, re-enacted over the in-memory store with a virtual clock.

Behaviour follows ``pkg/kwok/controllers`` of KWOK v0.8.0 (see docs/kwok-stage-semantics.md §5):

- every ADDED/MODIFIED of a handled object is *preprocessed*: skipped if the queued job already has
  that resourceVersion; otherwise matched; no match leaves an older queued job alone; a match
  replaces the key's job with a fresh one whose delay counts from now (a waiting job is cancelled;
  a job with delay ≤ 0 is already runnable and can no longer be cancelled);
- a job runs its stage's steps against its *snapshot*; a patch that changes nothing on the
  snapshot is not sent; ``immediateNextStage`` feeds the returned object straight back;
- pods are handled only on nodes KWOK manages (all nodes by default, as kwokctl's binary runtime);
- DELETED cancels a waiting job and recycles the pod's IPs.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..backend import ADDED, DELETED, EVENTS, MODIFIED, NODES, PODS, Resource, WatchEvent, resource_for
from ..gotpl import Env, Renderer
from ..gotpl.kwokfuncs import IPPools
from ..k8s.patch import PatchError, apply_patch
from ..k8s.typed import TypedCache, TypedError, check_need_patch
from ..stage.lifecycle import CompiledStage, Lifecycle, LifecycleError, StageEvent
from ..stage.model import Stage
from ..stage.steps import Action, StepError, run_steps
from .clock import Clock, rfc3339
from .nodelease import NodeLeases, default_holder
from .scheduler import Scheduler, Task
from .store import ApiError, ObjectStore


@dataclass
class Job:
    key: tuple[str, str, str]  # (kind, namespace, name)
    snapshot: dict[str, Any]
    stage: CompiledStage
    task: Task | None = None
    due_ns: int = 0
    started: bool = False


@dataclass
class PlayRecord:
    """One stage execution, for explanations and tests."""

    t_ns: int
    kind: str
    namespace: str
    name: str
    stage: str
    actions: list[Action]
    sent: list[str] = field(default_factory=list)  # "patch", "patch(no-op)", "delete", "event", "apply"
    error: str | None = None


@dataclass
class KwokConfig:
    """The knobs of ``kwok`` that change behaviour (defaults: kwokctl's binary runtime)."""

    manage_all_nodes: bool = True
    manage_nodes_with_annotation: tuple[str, str] | None = None  # e.g. ("kwok.x-k8s.io/node", "fake")
    manage_nodes_with_label: tuple[str, str] | None = None
    node_ip: str = ""
    node_name: str = "localhost"
    node_port: int = 10247
    cidr: str = "10.0.0.0/24"
    node_lease_duration_seconds: int = 200  # kwokctl's; 0: no leases, nodes are handled at once
    holder_identity: str | None = None  # KWOK's id on its leases (default: made from the seed)
    # KWOK v0.8.0 starts its Pod and Node stage controllers in Go map order, and the Pod one only
    # sees leases if the Node one started first: then pods on a node whose lease KWOK does not
    # hold are left alone (True); in the other order they are handled like any others (False).
    pods_follow_node_leases: bool = True


class KwokControllers:
    """Pod, Node and generic Stage controllers sharing one scheduler and one seeded RNG."""

    def __init__(self, store: ObjectStore, scheduler: Scheduler, clock: Clock, rng: random.Random,
                 config: KwokConfig | None = None, *, lease_rng: random.Random | None = None) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.rng = rng
        self.config = config or KwokConfig()
        self.stages: list[Stage] = []
        self._lifecycles: dict[tuple[str, str], Lifecycle] = {}
        self.jobs: dict[tuple[str, str, str], Job] = {}
        self.managed_nodes: set[str] = set()
        self.plays: list[PlayRecord] = []
        self.errors: list[str] = []
        self.pools = IPPools(self.config.cidr)
        self._watched: set[str] = set()
        self.env = Env(clock_ns=self.clock.now_ns)
        self.env.clock = self._clock_dt
        self._renderers: dict[str, Renderer] = {}
        self.typed = TypedCache(size=65536)
        self.leases: NodeLeases | None = None
        if self.config.node_lease_duration_seconds > 0:
            lrng = lease_rng or random.Random(0)  # its own stream: leases do not shift jitter or weights
            self.leases = NodeLeases(store, scheduler, clock, lrng,
                                     duration_seconds=self.config.node_lease_duration_seconds,
                                     holder=self.config.holder_identity or default_holder(lrng),
                                     on_held=self._on_lease_held)
        self._watch_kind(NODES)
        self._watch_kind(PODS)

    def _clock_dt(self) -> Any:
        from datetime import datetime, timezone

        ns = self.clock.now_ns()
        return datetime.fromtimestamp(ns // 1_000_000_000, tz=timezone.utc).replace(
            microsecond=(ns % 1_000_000_000) // 1000)

    # -- stages -----------------------------------------------------------------------------

    def set_stages(self, stages: Sequence[Stage]) -> None:
        """Replace the stage set; objects are re-evaluated at their next event (as in KWOK)."""
        self.stages = list(stages)
        self._lifecycles = {}
        for st in self.stages:
            ref = (st.resource_ref.api_group, st.resource_ref.kind)
            self._lifecycles.setdefault(ref, Lifecycle([]))
        grouped: dict[tuple[str, str], list[Stage]] = {}
        for st in self.stages:
            grouped.setdefault((st.resource_ref.api_group, st.resource_ref.kind), []).append(st)
        self._lifecycles = {ref: Lifecycle(sts) for ref, sts in grouped.items()}
        for api_group, kind in grouped:
            if (api_group, kind) not in (("v1", "Pod"), ("v1", "Node")):
                self._watch_kind(resource_for({"apiVersion": api_group, "kind": kind}))

    def lifecycle_for(self, obj: Mapping[str, Any]) -> Lifecycle | None:
        return self._lifecycles.get((str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")))

    def _watch_kind(self, r: Resource) -> None:
        if r.kind in self._watched:
            return
        self._watched.add(r.kind)
        self.store.watch(r, self._on_event)

    def _renderer(self, controller: str) -> Renderer:
        r = self._renderers.get(controller)
        if r is None:
            profile = {"pod": "simulator-pod", "node": "simulator-node"}.get(controller, "generic")
            opts: dict[str, Any] = {}
            if profile != "generic":
                opts = {"pools": self.pools, "nodes": self._node_lookup, "node_ip": self.config.node_ip,
                        "node_name": self.config.node_name, "node_port": self.config.node_port}
            r = Renderer(profile=profile, env=self.env, kwok_options=opts)
            self._renderers[controller] = r
        return r

    def _node_lookup(self, name: str) -> dict[str, Any] | None:
        if name not in self.managed_nodes:
            return None
        return self.store.peek(NODES, name)

    # -- which objects KWOK handles -------------------------------------------------------

    def _node_is_managed(self, node: Mapping[str, Any]) -> bool:
        cfg = self.config
        meta = node.get("metadata") or {}
        if cfg.manage_all_nodes:
            return True
        ok = False
        if cfg.manage_nodes_with_annotation is not None:
            k, v = cfg.manage_nodes_with_annotation
            ok = (meta.get("annotations") or {}).get(k) == v
            if not ok:
                return False
        if cfg.manage_nodes_with_label is not None:
            k, v = cfg.manage_nodes_with_label
            ok = (meta.get("labels") or {}).get(k) == v
        return ok

    def handles(self, obj: Mapping[str, Any]) -> bool:
        kind = obj.get("kind")
        if kind == "Node":
            return self._writable(str((obj.get("metadata") or {}).get("name")))
        if kind == "Pod":
            node = str((obj.get("spec") or {}).get("nodeName") or "")
            if not self.config.pods_follow_node_leases:
                return node in self.managed_nodes
            return self._writable(node)
        return True

    def _writable(self, node: str) -> bool:
        """Managed, and (with leases) its lease held: until then KWOK treats node and pods as read-only."""
        return node in self.managed_nodes and (self.leases is None or self.leases.held(node))

    def _on_lease_held(self, name: str) -> None:
        """KWOK holds the node's lease (first time or taken over): handle the node and its pods now."""
        node = self.store.peek(NODES, name)
        if node is None or name not in self.managed_nodes:
            return
        self.preprocess(node)
        self._preprocess_pods_on(name)

    def _preprocess_pods_on(self, node: str) -> None:
        """The pods on a node KWOK has just started handling (podsOnNodeSyncWorker)."""
        for pod in list(self.store.iter_objects(PODS)):
            if (pod.get("spec") or {}).get("nodeName") == node:
                self.preprocess(pod)

    # -- the event loop (watchResources → preprocess) -------------------------------------

    def _on_event(self, ev: WatchEvent) -> None:
        obj = ev.object
        kind = str(obj.get("kind") or ev.resource.kind)
        if kind == "Event":
            return
        meta = obj.get("metadata") or {}
        key = (kind, str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        if ev.type == DELETED:
            job = self.jobs.get(key)
            if job is not None and job.task is not None and not job.started and job.due_ns > self.clock.now_ns():
                job.task.cancel()
                del self.jobs[key]
            if kind == "Pod":
                self.pools.recycle_pod_ip(obj, self._node_lookup(str((obj.get("spec") or {}).get("nodeName") or "")))
            if kind == "Node":
                self.managed_nodes.discard(key[2])
                if self.leases is not None:
                    self.leases.node_deleted(key[2])
            return
        if ev.type not in (ADDED, MODIFIED):
            return
        if kind == "Node":
            name = key[2]
            if self._node_is_managed(obj):
                newly = name not in self.managed_nodes
                self.managed_nodes.add(name)
                if self.leases is not None:
                    if not self.leases.held(name):
                        self.leases.try_hold(name)  # handled once the lease is held (_on_lease_held)
                        return
                    newly = False  # its pods were handled when the lease was first held
                self.preprocess(obj)
                if newly:
                    self._preprocess_pods_on(name)
            return
        if not self.handles(obj):
            return
        self.preprocess(obj)

    def preprocess(self, obj: dict[str, Any]) -> None:
        kind = str(obj.get("kind") or "")
        typed_kind = kind if kind in ("Pod", "Node") else None
        if typed_kind is not None and not getattr(self.store, "canonical_typed", False):
            # the Pod/Node controllers hold a typed *corev1.Pod: jq, templates and the no-op check see it
            # (the simulator's store already keeps Pods/Nodes in that form)
            obj = self.typed.view(obj, typed_kind)
        meta = obj.get("metadata") or {}
        key = (kind, str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        old = self.jobs.get(key)
        if old is not None and (old.snapshot.get("metadata") or {}).get("resourceVersion") == meta.get(
                "resourceVersion"):
            return
        lc = self.lifecycle_for(obj)
        if lc is None:
            return
        if kind == "Pod":
            self.pools.mark_pod_ip(obj, self._node_lookup(str((obj.get("spec") or {}).get("nodeName") or "")))
        event = StageEvent.of(obj, typed_kind=typed_kind, now_ns=self.clock.now_ns(), rng=self.rng)
        try:
            stage = lc.match(event, self.rng)
        except LifecycleError as e:
            self.errors.append(f"{self._fmt_key(key)}: {e.message}")
            return
        if stage is None:
            return
        now = self.clock.now_ns()
        try:
            delay = stage.delay(event, now, self.rng)
        except LifecycleError as e:
            self.errors.append(f"{self._fmt_key(key)}: delay: {e.message}")
            delay = 0
        job = Job(key, obj, stage, due_ns=now + max(delay, 0))
        if old is not None and old.task is not None and not old.started and old.due_ns > now:
            old.task.cancel()
        self.jobs[key] = job
        job.task = self.scheduler.schedule(job.due_ns, partial(self._play, job), priority=1,
                                           label=f"{stage.name} {self._fmt_key(key)}")

    @staticmethod
    def _fmt_key(key: tuple[str, str, str]) -> str:
        return f"{key[0]} {key[1] + '/' if key[1] else ''}{key[2]}"

    # -- playing a job (playStage) --------------------------------------------------------

    def _play(self, job: Job) -> None:
        job.started = True
        if self.jobs.get(job.key) is job:
            del self.jobs[job.key]
        obj = job.snapshot
        kind, ns, name = job.key
        controller = "pod" if kind == "Pod" else "node" if kind == "Node" else "generic"
        r = resource_for(obj)
        record = PlayRecord(self.clock.now_ns(), kind, ns, name, job.stage.name, [])
        self.plays.append(record)
        try:
            actions = run_steps(job.stage.stage, job.stage.steps, obj, self._renderer(controller),
                                typed=controller != "generic")
            error: str | None = None
        except StepError as e:
            actions = list(getattr(e, "actions_before", []))
            error = str(e)
        record.actions = actions
        last_obj: dict[str, Any] | None = None
        deleted = False
        try:
            for a in actions:
                if a.kind == "event":
                    self._record_event(obj, a)
                    record.sent.append("event")
                elif a.kind == "delete":
                    if not deleted:
                        self.store.delete(r, name, namespace=ns or None, grace_period_seconds=0)
                        deleted = True
                        record.sent.append("delete")
                elif a.kind == "patch":
                    body = a.body
                    try:
                        if controller == "generic":
                            need = apply_patch(obj, body, a.type, kind, impl="kwok") != obj
                        else:
                            need = check_need_patch(obj, body, a.type, kind, typed=True)
                    except (PatchError, TypedError) as e:
                        what = {"pod": "pod", "node": "node"}.get(controller, "resource")
                        raise ApiError(0, "CheckNeedPatch", f"failed to check need patch for {what} {name}: "
                                       f"{e.message}") from None
                    if not need:
                        record.sent.append("patch(no-op)")
                        continue
                    patched, _changed = self.store.patch(r, name, body, a.type, namespace=ns or None,
                                                         subresource=a.subresource or None)
                    last_obj = patched
                    record.sent.append("patch")
                elif a.kind == "apply":
                    self._apply(obj, a)
                    record.sent.append("apply")
        except ApiError as e:
            error = e.message
        record.error = error
        if error:
            self.errors.append(f"{self._fmt_key(job.key)} {job.stage.name}: {error}")
            return
        if job.stage.immediate_next_stage and last_obj is not None:
            self.preprocess(last_obj)

    def _record_event(self, obj: Mapping[str, Any], a: Action) -> None:
        if a.type not in ("Normal", "Warning"):
            return  # client-go's recorder drops other types
        meta = obj.get("metadata") or {}
        now = rfc3339(self.clock.now_ns())
        ev = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"generateName": f"{meta.get('name')}.", "namespace": meta.get("namespace") or "default"},
            "involvedObject": {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "name": meta.get("name"),
                               "namespace": meta.get("namespace"), "uid": meta.get("uid")},
            "type": a.type, "reason": a.reason, "message": a.message,
            "source": {"component": "kwok_controller"},
            "firstTimestamp": now, "lastTimestamp": now, "count": 1,
        }
        self.store.create(ev, EVENTS)

    def _apply(self, source: Mapping[str, Any], a: Action) -> None:
        body = a.body
        if not isinstance(body, dict) or "apiVersion" not in body or "kind" not in body:
            raise ApiError(422, "Invalid", "apply: the rendered object needs apiVersion and kind")
        r = resource_for(body)
        meta = body.setdefault("metadata", {})
        if r.namespaced and not meta.get("namespace"):
            meta["namespace"] = (source.get("metadata") or {}).get("namespace") or "default"
        name = str(meta.get("name") or "")
        if a.subresource:
            self.store.patch(r, name, body, "merge" if a.type.endswith("apply-patch+yaml") else a.type,
                             namespace=meta.get("namespace"), subresource=a.subresource)
            return
        try:
            self.store.create(body, r)
        except ApiError as e:
            if e.code != 409 or not name:
                raise
            self.store.patch(r, name, body, "merge" if a.type.endswith("apply-patch+yaml") else a.type,
                             namespace=meta.get("namespace"))

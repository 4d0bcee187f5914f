"""Backend-neutral scenarios: each runs against any :class:`kwokbook.backend.Cluster`.

The same function drives the embedded simulator and a real KWOK cluster; the differential
tests (tests/e2e/test_differential.py) compare, per object, the sequence of *distinct states*
each backend went through, and check how long each stage-driven step took against the stage's
delay bounds. Scenarios create their own uniquely named objects (every name starts with the
prefix they are given) and clean up after themselves, waiting until everything is gone.

What is compared (see docs/dev/sim-differential-report.md):

- the state of an object is :meth:`kwokbook.timeline.Transition.state_key` — phase, conditions
  (type → status), container states (name → running/waiting:reason/terminated:reason),
  restartCount, deleting, deleted;
- consecutive events with the same state collapse into one: a real cluster writes objects for
  reasons that change no state (kube-controller-manager's node taints, KWOK re-patching a
  heartbeat, a user adding the trigger label), and those must not count as differences;
- the *gap* before a state is the time from the object's previous event (``since="event"``) or
  from the first event of the previous state (``since="state"``) to the first event showing
  the new state: KWOK's delay restarts on every event, so the previous event is where a stage's
  timer started — except for pod deletion, where KWOK's own grace-0 delete writes an event of
  the same state before the DELETED one;
- beyond states, the whole object at the last event of each state must match field by field,
  with what legitimately differs between runs masked (:func:`mask`).
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kwokbook.backend import JOBS, LEASES, NODES, PODS, STAGES, Cluster
from kwokbook.sim.clock import micro_time, rfc3339
from kwokbook.sim.objects import job_pod, kwok_node, owner_reference, placeholder_job, pod
from kwokbook.timeline import Transition, transition_from_event

NS = "default"
STAGES_DIR = Path(__file__).resolve().parents[1] / "kwokbook" / "data" / "stages"


def stage_doc(rel: str) -> dict[str, Any]:
    """A shipped Stage document (e.g. ``pod/chaos/pod-container-running-failed.yaml``)."""
    doc: dict[str, Any] = yaml.safe_load((STAGES_DIR / rel).read_text())
    return doc


def stage_set_docs(name: str) -> list[dict[str, Any]]:
    """The Stage documents of a built-in set (``fast`` or ``general``), as KWOK ships them."""
    from kwokbook.stage.load import load_stages

    return [copy.deepcopy(st.raw) for st in load_stages([name], from_config=False).stages]


RESTART_STAGE: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "kwokbook" / "data" / "examples" / "pod-restart.yaml").read_text())


# -- recording -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """How long a stage may wait before a state appears (seconds, inclusive)."""

    lo: float
    hi: float
    since: str = "event"  # "event": the object's previous event; "state": the previous state's first event


ZERO = Bound(0.0, 0.0)  # a stage with no delay (or the API server itself)


@dataclass
class Gap:
    """One measured step: the object, the index of the new state, seconds it took, the bound."""

    obj: str
    index: int
    seconds: float
    bound: Bound | None

    def ok(self, slack_lo: float = 0.0, slack_hi: float = 0.0) -> bool:
        if self.bound is None:
            return True
        return self.bound.lo - slack_lo <= self.seconds <= self.bound.hi + slack_hi


@dataclass
class Recorder:
    """Collects transitions of the objects a scenario owns (by name prefix)."""

    prefix: str
    start_ns: int
    transitions: list[Transition] = field(default_factory=list)
    objects: list[dict[str, Any]] = field(default_factory=list)  # the object of each transition
    result: Any = None  # what the scenario returned

    def feed(self, ev: Any) -> None:
        if ev.name.startswith(self.prefix):
            self.transitions.append(transition_from_event(ev, self.start_ns))
            self.objects.append(ev.object)

    def _key(self, t: Transition, strip: bool) -> str:
        return f"{t.kind}/{t.name[len(self.prefix):] if strip else t.name}"

    def sequences(self, *, strip: bool = False) -> dict[str, list[tuple[Any, ...]]]:
        """Per object, its distinct states in order (repeats of the same state collapsed).

        ``strip=True``: keys without the prefix (``Pod/pod``), comparable across runs."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        for t in self.transitions:
            seq = out.setdefault(self._key(t, strip), [])
            st = t.state_key()
            if not seq or seq[-1] != st:
                seq.append(st)
        return out

    def settled_objects(self) -> dict[str, list[Any]]:
        """Per object, the object as it was at the *last* event of each distinct state, with
        what legitimately differs between two runs masked (see :func:`mask`).

        The last event, not the first: on a real cluster other writers race KWOK within a state;
        by the state's last event they have usually had their turn. One race remains: whether
        kube-controller-manager removes a new node's not-ready taint before or after KWOK's
        node-initialize lands (seen both ways) — so a node's condition taints are compared in its
        final state only."""
        out: dict[str, list[Any]] = {}
        last: dict[str, tuple[Any, ...]] = {}
        for t, obj in zip(self.transitions, self.objects, strict=True):
            key = self._key(t, True)
            seq = out.setdefault(key, [])
            st = t.state_key()
            masked = mask(obj, self.prefix)
            if seq and last[key] == st:
                seq[-1] = masked
            else:
                seq.append(masked)
            last[key] = st
        for key, seq in out.items():
            if key.startswith("Node/"):
                for obj in seq[:-1]:
                    _drop_condition_taints(obj)
        return out

    def gaps(self, bounds: Mapping[str, Sequence[Bound | None]]) -> list[Gap]:
        """For each new distinct state of each object, the time it took (see the module doc).

        ``bounds[obj][i]`` bounds the step to distinct state ``i + 1`` (``None``: not checked,
        e.g. a step the scenario itself made). Objects not in ``bounds`` are skipped."""
        by_obj: dict[str, list[Transition]] = {}
        for t in self.transitions:
            by_obj.setdefault(self._key(t, True), []).append(t)
        out: list[Gap] = []
        for obj, ts in by_obj.items():
            if obj not in bounds:
                continue
            want = list(bounds[obj])
            index = 0
            state_start = ts[0].t
            for prev, cur in itertools.pairwise(ts):
                if cur.state_key() == prev.state_key():
                    continue
                index += 1
                bound = want[index - 1] if index - 1 < len(want) else None
                since = state_start if bound is not None and bound.since == "state" else prev.t
                out.append(Gap(obj, index, round(cur.t - since, 6), bound))
                state_start = cur.t
        return out


_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_DROP = frozenset({"uid", "resourceVersion", "managedFields", "volumes", "volumeMounts"})
_IP_KEYS = frozenset({"podIP", "ip"})


def mask(obj: Any, prefix: str) -> Any:
    """An object with what differs between any two runs hidden: uids, resourceVersions, managed
    fields, timestamps, the run's name prefix, pod IPs (KWOK's pool hands out whichever free
    address Go's map order gives), the kubelet port (a kwokctl setting), the service-account
    token volume and mounts the simulator does not add, and kube-scheduler's free-text
    explanation of an Unschedulable pod."""
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if k in _DROP:
                continue
            if k in _IP_KEYS and isinstance(v, str):
                out[k] = "<ip>"
            elif k == "message" and obj.get("reason") == "Unschedulable":
                out[k] = "<kube-scheduler's explanation>"
            elif k == "kubeletEndpoint":
                out[k] = "<port>"
            else:
                out[k] = mask(v, prefix)
        return out
    if isinstance(obj, list):
        return [mask(x, prefix) for x in obj]
    if isinstance(obj, str):
        if _TS.match(obj):
            return "<time>"
        return obj.replace(prefix, "<p>")
    return obj


def _drop_condition_taints(node: Any) -> None:
    spec = node.get("spec") if isinstance(node, dict) else None
    if isinstance(spec, dict) and isinstance(spec.get("taints"), list):
        spec["taints"] = [t for t in spec["taints"]
                          if not str(t.get("key", "")).startswith("node.kubernetes.io/")]


# -- helpers every scenario uses ---------------------------------------------------------------


def wait_for(c: Cluster, what: Callable[[], bool], timeout: float, message: str) -> None:
    if not c.wait_until(what, timeout):
        raise AssertionError(f"timed out after {timeout}s waiting for: {message}")


def poll_until(c: Cluster, what: Callable[[], bool], timeout: float, message: str, every: float = 0.5) -> None:
    """Like :func:`wait_for` for an expensive check: look every ``every`` seconds only (the
    simulator's ``wait_until`` would evaluate it after every single task)."""
    waited = 0.0
    while not what():
        if waited >= timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for: {message}")
        c.wait(every)
        waited += every


def pod_phase(c: Cluster, name: str, ns: str = NS) -> str | None:
    p = c.get(PODS, name, namespace=ns)
    return None if p is None else (p.get("status") or {}).get("phase")


def node_ready(c: Cluster, name: str) -> bool:
    n = c.get(NODES, name)
    return bool(n) and any(x.get("type") == "Ready" and x.get("status") == "True"
                           for x in (n.get("status") or {}).get("conditions") or [])


def node_schedulable(c: Cluster, name: str) -> bool:
    """Ready, and without the ``node.kubernetes.io/not-ready`` taint the API server puts on a new
    node (a real cluster's node lifecycle controller removes it; the simulator never adds it)."""
    n = c.get(NODES, name)
    taints = ((n or {}).get("spec") or {}).get("taints") or []
    return node_ready(c, name) and not any(t.get("key") == "node.kubernetes.io/not-ready" for t in taints)


def gone(c: Cluster, resource: Any, name: str, ns: str | None = NS) -> bool:
    return c.get(resource, name, namespace=ns) is None


def add_node(c: Cluster, p: str, **kw: Any) -> str:
    """The scenario's KWOK node ``{p}node``, Ready and schedulable."""
    name = f"{p}node"
    c.create(kwok_node(name, **kw))
    wait_for(c, lambda: node_schedulable(c, name), 60, f"node {name} Ready and schedulable")
    return name


def add_placeholder_job(c: Cluster, name: str) -> dict[str, Any]:
    """A real (suspended) Job to own pods: see :func:`kwokbook.sim.objects.placeholder_job`."""
    return c.create(placeholder_job(name, namespace=NS))


def cleanup(c: Cluster, pods: Sequence[str] = (), nodes: Sequence[str] = (), stages: Sequence[str] = (),
            jobs: Sequence[str] = (), timeout: float = 60) -> None:
    """Delete (grace 0, finalizers dropped first) and wait until each object is gone."""
    for p in pods:
        obj = c.get(PODS, p, namespace=NS)
        if obj is None:
            continue
        if (obj.get("metadata") or {}).get("finalizers"):
            c.patch(PODS, p, {"metadata": {"finalizers": None}}, namespace=NS)
        with contextlib.suppress(Exception):  # already gone
            c.delete(PODS, p, namespace=NS, grace_period_seconds=0)
    for p in pods:
        wait_for(c, lambda p=p: gone(c, PODS, p), timeout, f"pod {p} gone")
    for j in jobs:
        with contextlib.suppress(Exception):
            c.delete(JOBS, j, namespace=NS)
    for n in nodes:
        with contextlib.suppress(Exception):
            c.delete(NODES, n)
    for n in nodes:
        wait_for(c, lambda n=n: gone(c, NODES, n, None), timeout, f"node {n} gone")
    for s in stages:
        with contextlib.suppress(Exception):
            c.delete(STAGES, s)


def apply_stage(c: Cluster, doc: dict[str, Any]) -> None:
    fn = getattr(c, "apply_stage", None)
    assert fn is not None, "backend cannot apply stages"
    fn(doc)


def settle_stages(c: Cluster) -> None:
    """KWOK reads Stage objects through an informer: give a new stage a moment to arrive.
    (Objects are only matched against the stages KWOK has when their next event comes.)"""
    c.wait(1.0)


# -- scenarios ---------------------------------------------------------------------------------
#
# Each takes (cluster, prefix). Bounds for the differential tests are listed next to each one,
# per object (name without the prefix), one entry per distinct state after the first.


def pod_lifecycle(c: Cluster, p: str) -> None:
    """The default pod lifecycle with whatever stage set is live (fast or general).

    ``sched``: no nodeName — bound by kube-scheduler / the simulator's binder; ``init``: pre-bound,
    with an init container and two containers. Both Running, then deleted with the pods' 3 s
    grace period (the general pod-delete waits between 1 s and the deletionTimestamp).
    """
    node = add_node(c, p)
    c.create(pod(f"{p}sched", node_selector={"kubernetes.io/hostname": node}, termination_grace_seconds=3))
    c.create(pod(f"{p}init", node=node, containers=2, init_containers=1, termination_grace_seconds=3))
    for n in ("sched", "init"):
        wait_for(c, lambda n=n: pod_phase(c, f"{p}{n}") == "Running", 60, f"{n} Running")
    for n in ("sched", "init"):
        c.delete(PODS, f"{p}{n}", namespace=NS)
    for n in ("sched", "init"):
        wait_for(c, lambda n=n: gone(c, PODS, f"{p}{n}"), 60, f"{n} gone")
    cleanup(c, nodes=[node])


GENERAL_STEP = Bound(1.0, 5.0)  # general pod stages: 1000 ms + jitter up to 5000 ms
GENERAL_DELETE = Bound(1.0, 3.0, since="state")  # 1 s .. deletionTimestamp (grace 3 s)

POD_LIFECYCLE_FAST: dict[str, list[Bound | None]] = {
    "Node/node": [ZERO, None],
    "Pod/sched": [None, ZERO, None, ZERO],  # scheduled, Running, deleting (user), deleted
    "Pod/init": [ZERO, None, ZERO],  # Running, deleting, deleted
}
POD_LIFECYCLE_GENERAL: dict[str, list[Bound | None]] = {
    "Node/node": [ZERO, None],
    # scheduled, pod-create, pod-ready, deleting (user), deleted by pod-delete
    "Pod/sched": [None, GENERAL_STEP, GENERAL_STEP, None, GENERAL_DELETE],
    # pod-create, init running, init completed, pod-ready, deleting, deleted
    "Pod/init": [GENERAL_STEP, GENERAL_STEP, GENERAL_STEP, GENERAL_STEP, None, GENERAL_DELETE],
}


def job_pod_completion(c: Cluster, p: str) -> None:
    """A Job-owned pod runs to Succeeded (pod-complete), then is deleted (at once: it finished).

    The owner is a real suspended Job (ownerReference with ``controller: false``), so on a real
    cluster the garbage collector keeps the pod and the job controller leaves it alone."""
    node = add_node(c, p)
    job = add_placeholder_job(c, f"{p}job")
    c.create(pod(f"{p}job-0", node=node, owner_refs=[owner_reference(job)]))
    wait_for(c, lambda: pod_phase(c, f"{p}job-0") == "Succeeded", 60, "job pod Succeeded")
    c.delete(PODS, f"{p}job-0", namespace=NS)
    wait_for(c, lambda: gone(c, PODS, f"{p}job-0"), 30, "job pod gone")
    cleanup(c, nodes=[node], jobs=[f"{p}job"])


JOB_FAST: dict[str, list[Bound | None]] = {
    "Pod/job-0": [ZERO, ZERO, None, ZERO],  # Running, Succeeded, deleting (user), deleted (API server)
}
JOB_GENERAL: dict[str, list[Bound | None]] = {
    "Pod/job-0": [GENERAL_STEP, GENERAL_STEP, GENERAL_STEP, None, ZERO],  # create, ready, complete, …
}


def job_pod_lifecycle(c: Cluster, p: str) -> None:
    """Fast stages: a Job-owned pod goes Pending → Running → Succeeded (owner made up: simulator
    only — a real cluster's garbage collector deletes such a pod, see :func:`job_pod_completion`)."""
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(job_pod(f"{p}job-0", node=f"{p}node", owner_name=f"{p}job"))
    wait_for(c, lambda: pod_phase(c, f"{p}job-0") == "Succeeded", 60, "job pod Succeeded")
    cleanup(c, pods=[f"{p}job-0"], nodes=[f"{p}node"])


def deletion_with_finalizer(c: Cluster, p: str) -> None:
    """A pod with a finalizer stays Terminating until the finalizer is removed, then goes."""
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(pod(f"{p}pod", node=f"{p}node", finalizers=["kwokbook.test/hold"]))
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Running", 60, "pod Running")
    c.delete(PODS, f"{p}pod", namespace=NS)
    wait_for(c, lambda: bool(((c.get(PODS, f"{p}pod", namespace=NS) or {}).get("metadata") or {}).get(
        "deletionTimestamp")), 30, "deletionTimestamp set")
    c.wait(2)
    assert c.get(PODS, f"{p}pod", namespace=NS) is not None, "the finalizer must hold the pod"
    c.patch(PODS, f"{p}pod", [{"op": "remove", "path": "/metadata/finalizers"}], namespace=NS,
            patch_type="json")
    wait_for(c, lambda: gone(c, PODS, f"{p}pod"), 60, "pod gone")
    cleanup(c, nodes=[f"{p}node"])


FINALIZER_FAST: dict[str, list[Bound | None]] = {
    "Pod/pod": [ZERO, None, None],  # Running, deleting (user), deleted (user removes the finalizer)
}


def label_triggered_restart(c: Cluster, p: str, times: int = 3) -> list[int]:
    """The seed: a restart Stage fired on a running pod by adding its label with a JSON patch."""
    from kwokbook.triggers import trigger

    stage = copy.deepcopy(RESTART_STAGE)
    stage["metadata"]["name"] = f"{p}restart"
    apply_stage(c, stage)
    settle_stages(c)
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(pod(f"{p}pod", node=f"{p}node", containers=2))
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Running", 60, "pod Running")
    counts: list[int] = []
    for _ in range(times):
        res = trigger(c, "restart.stage.kwok", "true", names=[f"{p}pod"], namespace=NS, wait=30)
        assert res.outcomes and res.outcomes[0].error is None, res
        wait_for(c, lambda: _restarts(c, f"{p}pod") > (counts[-1] if counts else 0), 30, "restart")
        counts.append(_restarts(c, f"{p}pod"))
    cleanup(c, pods=[f"{p}pod"], nodes=[f"{p}node"], stages=[f"{p}restart"])
    return counts


def _restarts(c: Cluster, name: str) -> int:
    obj = c.get(PODS, name, namespace=NS) or {}
    return sum(int(cs.get("restartCount") or 0) for cs in (obj.get("status") or {}).get("containerStatuses") or [])


def restart_scenario(c: Cluster, p: str) -> None:
    assert label_triggered_restart(c, p, times=3) == [2, 4, 6]


RESTART_BOUNDS: dict[str, list[Bound | None]] = {
    "Pod/pod": [ZERO, ZERO, ZERO, ZERO, None, ZERO],  # Running, 3 restarts (no delay), deleting, deleted
}


def chaos_container_failure(c: Cluster, p: str) -> None:
    """pod-container-running-failed, fired by its label: the pod fails with the annotated exit code."""
    stage = stage_doc("pod/chaos/pod-container-running-failed.yaml")
    apply_stage(c, stage)
    settle_stages(c)
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(pod(f"{p}pod", node=f"{p}node", containers=["app", "side"], annotations={
        "pod-container-running-failed.stage.kwok.x-k8s.io/container-name": "app",
        "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code": "3",
    }))
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Running", 60, "pod Running")
    c.patch(PODS, f"{p}pod", {"metadata": {"labels": {"pod-container-running-failed.stage.kwok.x-k8s.io": "true"}}},
            namespace=NS)
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Failed", 60, "pod Failed")
    obj = c.get(PODS, f"{p}pod", namespace=NS) or {}
    codes = {cs["name"]: ((cs.get("state") or {}).get("terminated") or {}).get("exitCode")
             for cs in obj["status"]["containerStatuses"]}
    assert codes["app"] == 3 and codes["side"] is None, codes
    cleanup(c, pods=[f"{p}pod"], nodes=[f"{p}node"], stages=[stage["metadata"]["name"]])


CHAOS_BOUNDS: dict[str, list[Bound | None]] = {
    # Running; Failed 1 s after the label (jitter 1000 ms ≤ base 1000 ms ⇒ the delay is the jitter)
    "Pod/pod": [ZERO, Bound(1.0, 1.0), None, ZERO],
}


def node_not_ready(c: Cluster, p: str) -> None:
    """node-not-ready, fired by its label: Ready turns False; the pod on the node is left as it is.

    Compared with the simulator only on a cluster without other nodes (``Case.alone``): with any
    other node Ready, kube-controller-manager also taints it NoExecute (see
    node-not-ready-eviction)."""
    stage = stage_doc("node/chaos/node-not-ready.yaml")
    apply_stage(c, stage)
    settle_stages(c)
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(pod(f"{p}pod", node=f"{p}node"))
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Running", 60, "pod Running")
    c.patch(NODES, f"{p}node", {"metadata": {"labels": {"node-not-ready.stage.kwok.x-k8s.io": "true"}}})
    wait_for(c, lambda: not node_ready(c, f"{p}node"), 60, "node NotReady")
    c.wait(3)  # KWOK keeps re-patching the heartbeat; the pod stays Running
    assert pod_phase(c, f"{p}pod") == "Running"
    cleanup(c, pods=[f"{p}pod"], nodes=[f"{p}node"], stages=[stage["metadata"]["name"]])


NODE_NOT_READY_BOUNDS: dict[str, list[Bound | None]] = {
    "Node/node": [ZERO, Bound(1.0, 1.0), None],  # initialized, NotReady 1 s after the label, deleted
    "Pod/pod": [ZERO, None, ZERO],
}


NOT_READY_TAINT = "node.kubernetes.io/not-ready"
QUICK_TOLERATION = {"key": NOT_READY_TAINT, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 2}


def node_not_ready_eviction(c: Cluster, p: str) -> None:
    """node-not-ready next to a healthy node: kube-controller-manager's next node monitor pass
    (every 25 s under kwokctl) taints the NotReady node ``not-ready:NoExecute``, and the
    taint-eviction controller deletes the pod that tolerates that for 2 s (``DisruptionTarget``
    condition first); the pod with the API server's default 300 s toleration stays."""
    stage = stage_doc("node/chaos/node-not-ready.yaml")
    apply_stage(c, stage)
    settle_stages(c)
    spare = add_node(c, f"{p}spare-")
    node = add_node(c, p)
    c.create(pod(f"{p}quick", node=node, tolerations=[QUICK_TOLERATION]))
    c.create(pod(f"{p}stay", node=node))
    for name in ("quick", "stay"):
        wait_for(c, lambda name=name: pod_phase(c, f"{p}{name}") == "Running", 60, f"{name} Running")
    c.patch(NODES, node, {"metadata": {"labels": {"node-not-ready.stage.kwok.x-k8s.io": "true"}}})
    wait_for(c, lambda: not node_ready(c, node), 60, "node NotReady")
    wait_for(c, lambda: gone(c, PODS, f"{p}quick"), 60, "the 2 s pod evicted")
    stay = c.get(PODS, f"{p}stay", namespace=NS) or {}
    assert pod_phase(c, f"{p}stay") == "Running" and not stay["metadata"].get("deletionTimestamp"), stay
    assert any(t.get("key") == NOT_READY_TAINT and t.get("effect") == "NoExecute"
               for t in (c.get(NODES, node) or {})["spec"].get("taints") or [])
    cleanup(c, pods=[f"{p}stay"], nodes=[node, spare], stages=[stage["metadata"]["name"]])


NODE_MONITOR_PERIOD = 25.0  # kwokctl's --node-monitor-period
NODE_EVICTION_BOUNDS: dict[str, list[Bound | None]] = {
    "Node/node": [ZERO, Bound(1.0, 1.0), None],  # initialized, NotReady 1 s after the label, deleted
    "Node/spare-node": [ZERO, None],
    # Running; DisruptionTarget (see eviction_timing); deleting at once; deleted at once (pod-delete)
    "Pod/quick": [ZERO, None, ZERO, ZERO],
    "Pod/stay": [ZERO, None, ZERO],
}


def has_condition(ctype: str, status: str | None = None) -> Callable[[Mapping[str, Any]], bool]:
    """A test of an object: it has condition ``ctype`` (with ``status``, if given)."""
    def test(o: Mapping[str, Any]) -> bool:
        return any(c.get("type") == ctype and (status is None or c.get("status") == status)
                   for c in (o.get("status") or {}).get("conditions") or [])
    return test


def has_no_execute(key: str) -> Callable[[Mapping[str, Any]], bool]:
    """A test of a node: it has the NoExecute taint ``key``."""
    def test(o: Mapping[str, Any]) -> bool:
        return any(t.get("key") == key and t.get("effect") == "NoExecute"
                   for t in (o.get("spec") or {}).get("taints") or [])
    return test


def first_time(rec: Recorder, key: str, pred: Callable[[Mapping[str, Any]], bool]) -> float | None:
    """When ``key``'s (``Pod/quick``) first event whose object satisfies ``pred`` was seen."""
    for t, obj in zip(rec.transitions, rec.objects, strict=True):
        if rec._key(t, True) == key and pred(obj):
            return t.t
    return None


def eviction_timing(rec: Recorder, slack_lo: float, slack_hi: float) -> list[str]:
    """NoExecute taint at the first monitor pass after NotReady — at most one period, plus 10 s
    when that pass is also the one that leaves full disruption (a drained rate limiter: the
    previous case's lone NotReady node may have left the zone so) — and the 2 s pod's
    DisruptionTarget exactly its tolerationSeconds after the taint."""
    t_nr = first_time(rec, "Node/node", has_condition("Ready", "False"))
    t_taint = first_time(rec, "Node/node", has_no_execute(NOT_READY_TAINT))
    t_dt = first_time(rec, "Pod/quick", has_condition("DisruptionTarget"))
    if t_nr is None or t_taint is None or t_dt is None:
        return [f"missing: NotReady at {t_nr}, NoExecute taint at {t_taint}, DisruptionTarget at {t_dt}"]
    out = []
    most = NODE_MONITOR_PERIOD + 10.0 + 0.1
    if not 0.0 - slack_lo <= t_taint - t_nr <= most + slack_hi:
        out.append(f"NoExecute taint {t_taint - t_nr:.3f}s after NotReady (want ≤ {most}s)")
    if not 2.0 - slack_lo <= t_dt - t_taint <= 2.0 + slack_hi:
        out.append(f"DisruptionTarget {t_dt - t_taint:.3f}s after the taint (want 2s)")
    return out


UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
LEASE_NS = "kube-node-lease"


def node_lease_lost(c: Cluster, p: str) -> dict[str, bool]:
    """A node's Lease taken over by another holder for an hour: KWOK leaves the node and its pods
    alone (read-only), nothing renews the lease, and kube-controller-manager — hearing nothing
    for ``--node-monitor-grace-period`` (200 s) — turns the node Unknown and its pods NotReady,
    taints it ``unreachable:NoExecute`` in the same pass, and evicts the pod tolerating that for
    2 s (which then stays Terminating: no KWOK finishes it)."""
    spare = add_node(c, f"{p}spare-")
    node = add_node(c, p)
    c.create(pod(f"{p}quick", node=node, tolerations=[dict(QUICK_TOLERATION, key=UNREACHABLE_TAINT)]))
    c.create(pod(f"{p}stay", node=node))
    for name in ("quick", "stay"):
        wait_for(c, lambda name=name: pod_phase(c, f"{p}{name}") == "Running", 60, f"{name} Running")
    c.patch(LEASES, node, {"spec": {"holderIdentity": "kwokbook-test", "leaseDurationSeconds": 3600,
                                    "renewTime": micro_time(c.now_ns())}}, namespace=LEASE_NS)
    wait_for(c, lambda: _ready(c, node) == "Unknown", 300, "node Unknown")
    wait_for(c, lambda: _evicted(c, f"{p}quick"), 60, "the 2 s pod evicted")
    c.wait(1)
    result = {"evicted_pod_removed_by_kwok": gone(c, PODS, f"{p}quick")}  # see lease_lost_sim_options
    stay = c.get(PODS, f"{p}stay", namespace=NS) or {}
    assert not stay["metadata"].get("deletionTimestamp"), stay
    cleanup(c, pods=[f"{p}quick", f"{p}stay"], nodes=[node, spare])
    return result


def _evicted(c: Cluster, name: str) -> bool:
    obj = c.get(PODS, name, namespace=NS)
    return obj is None or bool((obj.get("metadata") or {}).get("deletionTimestamp"))


def lease_lost_sim_options(real: Recorder) -> dict[str, Any]:
    """The simulator set up as this real KWOK runs. KWOK v0.8.0 starts its Pod and Node stage
    controllers in Go map order, and only when the Node one comes first do pods on a node whose
    lease KWOK does not hold stay untouched (the evicted pod then stays Terminating); otherwise
    its pod-delete stage removes the pod at once (and pod-ready makes the other Ready again).
    Which order this KWOK took shows in what it did to the evicted pod (its 30 s grace period
    keeps it Terminating for a second unless KWOK deletes it)."""
    from kwokbook.sim.kwok import KwokConfig

    return {"config": KwokConfig(pods_follow_node_leases=not real.result["evicted_pod_removed_by_kwok"])}


def _ready(c: Cluster, node: str) -> str | None:
    for cond in ((c.get(NODES, node) or {}).get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return str(cond.get("status"))
    return None


NODE_LEASE_LOST_BOUNDS: dict[str, list[Bound | None]] = {
    "Node/node": [ZERO, None, None],  # initialized; Unknown (see lease_lost_timing); deleted
    "Node/spare-node": [ZERO, None],
    # Running; NotReady; DisruptionTarget; deleting at once; deleted by the cleanup
    "Pod/quick": [ZERO, None, None, ZERO, None],
    "Pod/stay": [ZERO, None, None, ZERO],  # Running; NotReady; deleting (cleanup, grace 0); deleted
}


def lease_lost_timing(rec: Recorder, slack_lo: float, slack_hi: float) -> list[str]:
    """Unknown 200–250 s after the takeover (the grace period counts from the pass that saw the
    last renewal; the pass after it expires acts), pods NotReady and the NoExecute taint in that
    same pass (kube-controller-manager v1.36 decides on the condition it has just written — found
    by this test), the 2 s pod's DisruptionTarget 2 s after that."""
    running = first_time(rec, "Pod/stay", lambda o: (o.get("status") or {}).get("phase") == "Running")
    t_unknown = first_time(rec, "Node/node", has_condition("Ready", "Unknown"))
    t_taint = first_time(rec, "Node/node", has_no_execute(UNREACHABLE_TAINT))
    t_nr = first_time(rec, "Pod/stay", has_condition("Ready", "False"))
    t_dt = first_time(rec, "Pod/quick", has_condition("DisruptionTarget"))
    if None in (running, t_unknown, t_taint, t_nr, t_dt):
        return [f"missing: Running {running}, Unknown {t_unknown}, taint {t_taint}, NotReady {t_nr}, "
                f"DisruptionTarget {t_dt}"]
    assert running is not None and t_unknown is not None and t_taint is not None and t_nr is not None
    assert t_dt is not None
    out = []
    # the takeover came after both pods were Running (a few ms on a real cluster)
    if not 200.0 - slack_lo <= t_unknown - running <= 200.0 + 2 * NODE_MONITOR_PERIOD + 1.0 + slack_hi:
        out.append(f"Unknown {t_unknown - running:.3f}s after the pods ran (want 200–251 s)")
    if not -slack_lo <= t_nr - t_unknown <= slack_hi:
        out.append(f"pods NotReady {t_nr - t_unknown:.3f}s after the node went Unknown (want 0)")
    if not -slack_lo <= t_taint - t_unknown <= 0.1 + slack_hi:
        out.append(f"NoExecute taint {t_taint - t_unknown:.3f}s after Unknown (want the same pass: ≤ 0.1 s)")
    if not 2.0 - slack_lo <= t_dt - t_taint <= 2.0 + slack_hi:
        out.append(f"DisruptionTarget {t_dt - t_taint:.3f}s after the taint (want 2s)")
    return out


WEIGHT_LABEL = "kwokbook.test/weighted"
WEIGHTED_PODS = 200
WEIGHTS = {"a": 1, "b": 3}  # stage a → Failed, stage b → Succeeded


def weighted_stages(p: str) -> list[dict[str, Any]]:
    """Two stages matching the same Running pods (this run's label), weights 1 and 3."""
    out = []
    for which, phase in (("a", "Failed"), ("b", "Succeeded")):
        out.append({
            "apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage", "metadata": {"name": f"{p}weighted-{which}"},
            "spec": {
                "resourceRef": {"apiGroup": "v1", "kind": "Pod"},
                "selector": {"matchExpressions": [
                    {"key": f'.metadata.labels["{WEIGHT_LABEL}"]', "operator": "In", "values": [p.rstrip("-")]},
                    {"key": ".metadata.deletionTimestamp", "operator": "DoesNotExist"},
                    {"key": ".status.phase", "operator": "In", "values": ["Running"]},
                ]},
                "weight": WEIGHTS[which],
                "next": {"statusTemplate": f"phase: {phase}\nreason: weighted-{which}\n"},
            },
        })
    return out


def weighted_competing(c: Cluster, p: str, n: int = WEIGHTED_PODS) -> dict[str, int]:
    """``n`` pods reach Running, then two competing stages (weights 1:3) decide Failed/Succeeded."""
    stages = weighted_stages(p)
    for st in stages:
        apply_stage(c, st)
    settle_stages(c)
    node = add_node(c, p, pods="1000")
    names = [f"{p}w{i}" for i in range(n)]
    selector = f"{WEIGHT_LABEL}={p.rstrip('-')}"
    for name in names:
        c.create(pod(name, node=node, labels={WEIGHT_LABEL: p.rstrip("-")}))

    def phases() -> list[str | None]:
        return [(x.get("status") or {}).get("phase") for x in c.list(PODS, namespace=NS,
                                                                      label_selector=selector).items]

    poll_until(c, lambda: sum(ph in ("Failed", "Succeeded") for ph in phases()) == n, 120,
               "every weighted pod Failed or Succeeded")
    counts: dict[str, int] = {"Failed": 0, "Succeeded": 0}
    for ph in phases():
        counts[str(ph)] += 1
    cleanup(c, pods=names, nodes=[node], stages=[s["metadata"]["name"] for s in stages])
    return counts


DELAY_ANN = "pod-create.stage.kwok.x-k8s.io"
READY_ANN = "pod-ready.stage.kwok.x-k8s.io"


def annotation_delay(c: Cluster, p: str) -> None:
    """The general stages' ``…/delay`` and ``…/jitter-delay`` annotations (general set live).

    ``dur``: pod-create in [2 s, 2.5 s) (durations); pod-ready after exactly 1 s (jitter 1 s ≤
    delay 3 s ⇒ the jitter wins). ``ts``: pod-create delay and jitter given as RFC 3339
    timestamps 2.5 s after creation ⇒ the delay is the time left until then (jitter ≤ base)."""
    node = add_node(c, p)
    c.create(pod(f"{p}dur", node=node, annotations={
        f"{DELAY_ANN}/delay": "2s", f"{DELAY_ANN}/jitter-delay": "2500ms",
        f"{READY_ANN}/delay": "3s", f"{READY_ANN}/jitter-delay": "1s"}))
    at = rfc3339(c.now_ns() + 2_500_000_000, nanos=True)
    c.create(pod(f"{p}ts", node=node, annotations={f"{DELAY_ANN}/delay": at, f"{DELAY_ANN}/jitter-delay": at}))
    for n in ("dur", "ts"):
        wait_for(c, lambda n=n: pod_phase(c, f"{p}{n}") == "Running", 60, f"{n} Running")
    cleanup(c, pods=[f"{p}dur", f"{p}ts"], nodes=[node])


ANNOTATION_BOUNDS: dict[str, list[Bound | None]] = {
    "Pod/dur": [Bound(2.0, 2.5), Bound(1.0, 1.0), None, ZERO],
    # the timestamp is taken just before the create call: KWOK sees the pod a little later
    "Pod/ts": [Bound(2.2, 2.5), GENERAL_STEP, None, ZERO],
}


def scheduling(c: Cluster, p: str) -> None:
    """The scheduler stand-in against kube-scheduler: a pod held by a scheduling gate (bound once
    the gate is removed) and a pod no node fits (``PodScheduled=False``, reason Unschedulable)."""
    node = add_node(c, p)
    gated = pod(f"{p}gated", node_selector={"kubernetes.io/hostname": node})
    gated["spec"]["schedulingGates"] = [{"name": "kwokbook.test/wait"}]
    c.create(gated)
    c.create(pod(f"{p}nowhere", node_selector={"kubernetes.io/hostname": f"{p}no-such-node"}))
    wait_for(c, lambda: _scheduled(c, f"{p}nowhere") == "False", 30, "nowhere Unschedulable")
    c.wait(1)
    assert not ((c.get(PODS, f"{p}gated", namespace=NS) or {}).get("spec") or {}).get("nodeName")
    c.patch(PODS, f"{p}gated", {"spec": {"schedulingGates": None}}, namespace=NS)
    wait_for(c, lambda: pod_phase(c, f"{p}gated") == "Running", 30, "gated pod Running")
    cleanup(c, pods=[f"{p}gated", f"{p}nowhere"], nodes=[node])


def _scheduled(c: Cluster, name: str) -> str | None:
    for cond in ((c.get(PODS, name, namespace=NS) or {}).get("status") or {}).get("conditions") or []:
        if cond.get("type") == "PodScheduled":
            return str(cond.get("status"))
    return None


SCHEDULING_BOUNDS: dict[str, list[Bound | None]] = {
    "Pod/gated": [None, ZERO, None, ZERO],  # bound (gate removed), Running, deleting, deleted
    "Pod/nowhere": [None, None, ZERO],  # Unschedulable, deleting, deleted at once (never scheduled)
}


@dataclass(frozen=True)
class Case:
    """One scenario of the differential suite: the function, the stage set live, its delay bounds."""

    id: str
    fn: Callable[[Cluster, str], Any]
    stages: str  # the built-in set live during the run: "fast" | "general"
    bounds: Mapping[str, Sequence[Bound | None]]
    # more timing checks across objects: (recorder, slack_lo, slack_hi) -> problems
    timing: Callable[[Recorder, float, float], list[str]] | None = None
    real_seconds: float = 240.0  # the test's time limit on a real cluster (run + simulator + cleanup)
    alone: bool = False  # needs a real cluster without other nodes to compare (the simulator starts empty)
    # Simulator keyword arguments matching what the real run showed (KWOK's random start order)
    sim_options: Callable[[Recorder], dict[str, Any]] | None = None


CASES = [
    Case("pod-lifecycle-fast", pod_lifecycle, "fast", POD_LIFECYCLE_FAST),
    Case("pod-lifecycle-general", pod_lifecycle, "general", POD_LIFECYCLE_GENERAL),
    Case("job-completion-fast", job_pod_completion, "fast", JOB_FAST),
    Case("job-completion-general", job_pod_completion, "general", JOB_GENERAL),
    Case("label-restart", restart_scenario, "fast", RESTART_BOUNDS),
    Case("chaos-container-failure", chaos_container_failure, "fast", CHAOS_BOUNDS),
    Case("node-not-ready", node_not_ready, "fast", NODE_NOT_READY_BOUNDS, alone=True),
    Case("node-not-ready-eviction", node_not_ready_eviction, "fast", NODE_EVICTION_BOUNDS, eviction_timing),
    # up to 250 s until Unknown (grace 200 s + two 25 s passes), then the taint and 2 s
    Case("node-lease-lost", node_lease_lost, "fast", NODE_LEASE_LOST_BOUNDS, lease_lost_timing, real_seconds=480.0,
         sim_options=lease_lost_sim_options),
    Case("deletion-with-finalizer", deletion_with_finalizer, "fast", FINALIZER_FAST),
    Case("annotation-delay", annotation_delay, "general", ANNOTATION_BOUNDS),
    Case("scheduling", scheduling, "fast", SCHEDULING_BOUNDS),
]


# -- running a scenario on a backend -------------------------------------------------------------


def run_recorded(c: Cluster, scenario: Callable[[Cluster, str], Any], prefix: str) -> Recorder:
    """Run a scenario while recording its objects' transitions from the backend's event stream."""
    rec = Recorder(prefix, c.now_ns())
    unsubscribe = _subscribe(c, rec.feed)
    try:
        rec.result = scenario(c, prefix)
    finally:
        unsubscribe()
    return rec


def _subscribe(c: Cluster, fn: Callable[[Any], None]) -> Callable[[], None]:
    store = getattr(c, "store", None)
    if store is not None:  # the simulator: synchronous listeners
        stops = [store.watch(r, fn) for r in (PODS, NODES)]
        return lambda: [s() for s in stops] and None  # type: ignore[func-returns-value]
    import threading

    stop = threading.Event()
    watches = []
    for r in (PODS, NODES):
        rv = c.list(r).resource_version
        w = c.watch(r, resource_version=rv, stop=stop)  # type: ignore[call-arg]

        def run(w: Any = w) -> None:
            for ev in w:
                fn(ev)

        threading.Thread(target=run, daemon=True).start()
        watches.append(w)

    def unsubscribe() -> None:
        time.sleep(1.0)  # let the last events arrive
        stop.set()

    return unsubscribe

"""Backend-neutral scenarios: each runs against any :class:`kwokbook.backend.Cluster`.

The same function drives the embedded simulator and a real KWOK cluster; the differential
tests compare, per object, the sequence of *distinct states* each backend went through.
Scenarios create their own uniquely named objects and clean up after themselves.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kwokbook.backend import NODES, PODS, Cluster
from kwokbook.sim.objects import job_pod, kwok_node, pod
from kwokbook.timeline import Transition, transition_from_event

STAGES_DIR = Path(__file__).resolve().parents[1] / "kwokbook" / "data" / "stages"


def stage_doc(rel: str) -> dict[str, Any]:
    """A shipped Stage document (e.g. ``pod/chaos/pod-container-running-failed.yaml``)."""
    doc: dict[str, Any] = yaml.safe_load((STAGES_DIR / rel).read_text())
    return doc


RESTART_STAGE: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "kwokbook" / "data" / "examples" / "pod-restart.yaml").read_text())


@dataclass
class Recorder:
    """Collects transitions of the objects a scenario owns (by name prefix)."""

    prefix: str
    start_ns: int
    transitions: list[Transition] = field(default_factory=list)

    def feed(self, ev: Any) -> None:
        if ev.name.startswith(self.prefix):
            self.transitions.append(transition_from_event(ev, self.start_ns))

    def sequences(self) -> dict[str, list[tuple[Any, ...]]]:
        """Per object, its distinct states in order (repeats of the same state collapsed)."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        for t in self.transitions:
            key = f"{t.kind}/{t.name}"
            seq = out.setdefault(key, [])
            st = t.state_key()
            if not seq or seq[-1] != st:
                seq.append(st)
        return out


def wait_for(c: Cluster, what: Callable[[], bool], timeout: float, message: str) -> None:
    if not c.wait_until(what, timeout):
        raise AssertionError(f"timed out after {timeout}s waiting for: {message}")


def pod_phase(c: Cluster, name: str, ns: str = "default") -> str | None:
    p = c.get(PODS, name, namespace=ns)
    return None if p is None else (p.get("status") or {}).get("phase")


def node_ready(c: Cluster, name: str) -> bool:
    n = c.get(NODES, name)
    return bool(n) and any(x.get("type") == "Ready" and x.get("status") == "True"
                           for x in (n.get("status") or {}).get("conditions") or [])


def cleanup(c: Cluster, pods: list[str] = (), nodes: list[str] = (), stages: list[str] = ()) -> None:  # type: ignore[assignment]
    for p in pods:
        obj = c.get(PODS, p, namespace="default")
        if obj is not None:
            if (obj.get("metadata") or {}).get("finalizers"):
                c.patch(PODS, p, {"metadata": {"finalizers": None}}, namespace="default")
            try:
                c.delete(PODS, p, namespace="default", grace_period_seconds=0)
            except Exception:  # noqa: BLE001 - already gone
                pass
    for n in nodes:
        try:
            c.delete(NODES, n)
        except Exception:  # noqa: BLE001
            pass
    for s in stages:
        try:
            c.delete("stages", s)
        except Exception:  # noqa: BLE001
            pass


# -- scenarios ---------------------------------------------------------------------------


def job_pod_lifecycle(c: Cluster, p: str) -> None:
    """Fast stages: a Job-owned pod goes Pending → Running → Succeeded."""
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
    c.delete(PODS, f"{p}pod", namespace="default")
    wait_for(c, lambda: bool(((c.get(PODS, f"{p}pod", namespace="default") or {}).get("metadata") or {}).get(
        "deletionTimestamp")), 30, "deletionTimestamp set")
    c.wait(2)
    assert c.get(PODS, f"{p}pod", namespace="default") is not None, "the finalizer must hold the pod"
    c.patch(PODS, f"{p}pod", [{"op": "remove", "path": "/metadata/finalizers"}], namespace="default",
            patch_type="json")
    wait_for(c, lambda: c.get(PODS, f"{p}pod", namespace="default") is None, 60, "pod gone")
    cleanup(c, nodes=[f"{p}node"])


def label_triggered_restart(c: Cluster, p: str, times: int = 3) -> list[int]:
    """The seed: a restart Stage fired on a running pod by adding its label with a JSON patch."""
    from kwokbook.triggers import trigger

    stage = copy.deepcopy(RESTART_STAGE)
    stage["metadata"]["name"] = f"{p}restart"
    apply_stage(c, stage)
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(pod(f"{p}pod", node=f"{p}node", containers=2))
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Running", 60, "pod Running")
    counts = []
    for _ in range(times):
        res = trigger(c, "restart.stage.kwok", "true", names=[f"{p}pod"], namespace="default", wait=30)
        assert res.outcomes and res.outcomes[0].error is None, res
        wait_for(c, lambda: _restarts(c, f"{p}pod") > (counts[-1] if counts else 0), 30, "restart")
        counts.append(_restarts(c, f"{p}pod"))
    cleanup(c, pods=[f"{p}pod"], nodes=[f"{p}node"], stages=[f"{p}restart"])
    return counts


def _restarts(c: Cluster, name: str) -> int:
    obj = c.get(PODS, name, namespace="default") or {}
    return sum(int(cs.get("restartCount") or 0) for cs in (obj.get("status") or {}).get("containerStatuses") or [])


def chaos_container_failure(c: Cluster, p: str) -> None:
    """pod-container-running-failed, fired by its label: the pod fails with the annotated exit code."""
    stage = stage_doc("pod/chaos/pod-container-running-failed.yaml")
    apply_stage(c, stage)
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(pod(f"{p}pod", node=f"{p}node", containers=["app", "side"], annotations={
        "pod-container-running-failed.stage.kwok.x-k8s.io/container-name": "app",
        "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code": "3",
    }))
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Running", 60, "pod Running")
    c.patch(PODS, f"{p}pod", {"metadata": {"labels": {"pod-container-running-failed.stage.kwok.x-k8s.io": "true"}}},
            namespace="default")
    wait_for(c, lambda: pod_phase(c, f"{p}pod") == "Failed", 60, "pod Failed")
    obj = c.get(PODS, f"{p}pod", namespace="default") or {}
    codes = {cs["name"]: ((cs.get("state") or {}).get("terminated") or {}).get("exitCode")
             for cs in obj["status"]["containerStatuses"]}
    assert codes["app"] == 3 and codes["side"] is None, codes
    cleanup(c, pods=[f"{p}pod"], nodes=[f"{p}node"], stages=[stage["metadata"]["name"]])


def node_not_ready(c: Cluster, p: str) -> None:
    """node-not-ready, fired by its label: Ready turns False."""
    stage = stage_doc("node/chaos/node-not-ready.yaml")
    apply_stage(c, stage)
    c.create(kwok_node(f"{p}node"))
    wait_for(c, lambda: node_ready(c, f"{p}node"), 60, "node Ready")
    c.patch(NODES, f"{p}node", {"metadata": {"labels": {"node-not-ready.stage.kwok.x-k8s.io": "true"}}})
    wait_for(c, lambda: not node_ready(c, f"{p}node"), 60, "node NotReady")
    cleanup(c, nodes=[f"{p}node"], stages=[stage["metadata"]["name"]])


def apply_stage(c: Cluster, doc: dict[str, Any]) -> None:
    fn = getattr(c, "apply_stage", None)
    assert fn is not None, "backend cannot apply stages"
    fn(doc)


def run_recorded(c: Cluster, scenario: Callable[[Cluster, str], Any], prefix: str) -> Recorder:
    """Run a scenario while recording its objects' transitions from the backend's event stream."""
    rec = Recorder(prefix, c.now_ns())
    unsubscribe = _subscribe(c, rec.feed)
    try:
        scenario(c, prefix)
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
    threads = []
    for r in (PODS, NODES):
        rv = c.list(r).resource_version

        def run(r: Any = r, rv: str = rv) -> None:
            for ev in c.watch(r, resource_version=rv, stop=stop):  # type: ignore[call-arg]
                fn(ev)

        t = threading.Thread(target=run, daemon=True)
        t.start()
        threads.append(t)

    def unsubscribe() -> None:
        time.sleep(1.0)  # let the last events arrive
        stop.set()

    return unsubscribe

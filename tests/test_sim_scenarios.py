"""The scenario suite on the embedded simulator (the same scenarios run on a real cluster in e2e)."""

from __future__ import annotations

from collections import Counter

import pytest

from kwokbook.backend import PODS
from kwokbook.sim import Simulator
from kwokbook.sim.objects import kwok_node, pod
from kwokbook.timeline import write_timeline
from tests import scenarios


@pytest.fixture
def sim() -> Simulator:
    return Simulator("fast", seed=7)


def test_job_pod_lifecycle(sim: Simulator) -> None:
    rec = scenarios.run_recorded(sim, scenarios.job_pod_lifecycle, "s1-")
    phases = [s[0] for s in rec.sequences()["Pod/s1-job-0"]]
    assert phases[:1] == ["Pending"] and "Running" in phases and "Succeeded" in phases
    assert phases.index("Running") < phases.index("Succeeded")


def test_deletion_waits_for_finalizer(sim: Simulator) -> None:
    rec = scenarios.run_recorded(sim, scenarios.deletion_with_finalizer, "s2-")
    seq = rec.sequences()["Pod/s2-pod"]
    deleting = [s for s in seq if s[4]]  # deletionTimestamp set
    assert deleting and seq[-1][5]  # terminating states, then deleted


def test_label_triggered_restart_fires_every_time(sim: Simulator) -> None:
    counts = scenarios.label_triggered_restart(sim, "s3-", times=4)
    assert counts == [2, 4, 6, 8]  # two containers, one restart each per trigger


def test_chaos_container_failure(sim: Simulator) -> None:
    scenarios.run_recorded(sim, scenarios.chaos_container_failure, "s4-")


def test_node_not_ready(sim: Simulator) -> None:
    scenarios.run_recorded(sim, scenarios.node_not_ready, "s5-")


def test_same_seed_gives_byte_identical_timeline() -> None:
    import io

    def run(seed: int) -> str:
        s = Simulator("general", seed=seed)
        s.add_nodes(2)
        s.add_pods(5)
        for i in range(3):
            s.add_job_pod(f"job-{i}-x", owner_name=f"job-{i}")
        s.run_for(60)
        for p in s.list(PODS).items[:3]:
            s.delete(PODS, p["metadata"]["name"], namespace="default")
        s.run_for(60)
        out = io.StringIO()
        write_timeline(s.history, out, s.start_ns)
        return out.getvalue()

    a, b, c = run(11), run(11), run(12)
    assert a == b
    assert a != c  # jitter and uids depend on the seed


def test_weighted_competing_stages_distribution() -> None:
    """Two stages matching the same pods, weights 1 and 3: about a quarter take the first."""
    def stage(name: str, weight: int, phase: str) -> dict[str, object]:
        return {"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage", "metadata": {"name": name},
                "spec": {"resourceRef": {"apiGroup": "v1", "kind": "Pod"}, "weight": weight,
                         "selector": {"matchExpressions": [{"key": ".status.phase", "operator": "DoesNotExist"}]},
                         "next": {"statusTemplate": f"phase: {phase}"}}}

    s = Simulator([stage("a", 1, "Failed"), stage("b", 3, "Succeeded")], seed=3)
    s.create(kwok_node("n0"))
    for i in range(400):
        s.create(pod(f"p{i}", node="n0"))
    s.run_for(10)
    # pods are created with phase Pending by the API server defaults → clear it so the stages match
    for i in range(400):
        s.patch(PODS, f"p{i}", {"status": {"phase": None}}, namespace="default", subresource="status")
    s.run_for(10)
    phases = Counter((p.get("status") or {}).get("phase") for p in s.list(PODS).items)
    assert phases["Failed"] + phases["Succeeded"] == 400
    share = phases["Failed"] / 400
    assert 0.17 < share < 0.33, phases  # expected 0.25; ±3.5 standard deviations


def test_general_pod_delete_waits_up_to_the_grace_period() -> None:
    """The "~30 s" delete: general pod-delete waits between 1 s and the deletionTimestamp."""
    s = Simulator("general", seed=5)
    s.add_node("n0")
    s.run_for(1)
    waits = []
    for i in range(40):
        s.create(pod(f"d{i}", node="n0"))
    s.run_for(30)
    t0 = s.now_ns()
    for i in range(40):
        s.delete(PODS, f"d{i}", namespace="default")
    gone: dict[str, int] = {}
    while len(gone) < 40 and s.step():
        for i in range(40):
            if f"d{i}" not in gone and s.get(PODS, f"d{i}", namespace="default") is None:
                gone[f"d{i}"] = s.now_ns()
    waits = [(t - t0) / 1e9 for t in gone.values()]
    assert len(waits) == 40
    assert min(waits) >= 1.0 and max(waits) <= 30.0
    assert max(waits) > 10  # spread over the window, not all at the base delay

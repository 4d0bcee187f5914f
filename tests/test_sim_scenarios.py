"""The scenario suite on the embedded simulator, and the API-server behaviours it re-enacts.

tests/e2e/test_differential.py runs the same scenarios on a real KWOK cluster and compares the
two; here they run on the simulator alone (no cluster needed), with the stage delays checked
exactly. The "real cluster" tests below pin behaviours first observed on kube-apiserver /
kube-controller-manager v1.36.3 with KWOK v0.8.0 (see docs/dev/sim-differential-report.md).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from kwokbook.backend import DELETED, MODIFIED, NODES, PODS, WatchEvent
from kwokbook.sim import Simulator
from kwokbook.sim.objects import kwok_node, pod
from kwokbook.sim.store import ApiError
from kwokbook.timeline import write_timeline
from tests import scenarios


@pytest.fixture
def sim() -> Simulator:
    return Simulator("fast", seed=7)


# -- the scenario suite ---------------------------------------------------------------------


@pytest.mark.parametrize("case", scenarios.CASES, ids=[c.id for c in scenarios.CASES])
def test_scenario_delays_are_exact_on_the_simulator(case: scenarios.Case) -> None:
    s = Simulator(case.stages, seed=11)
    rec = scenarios.run_recorded(s, case.fn, "t-")
    seqs = rec.sequences(strip=True)
    assert set(case.bounds) <= set(seqs), set(case.bounds) - set(seqs)
    gaps = rec.gaps(case.bounds)
    checked = [g for g in gaps if g.bound is not None]
    assert len(checked) == sum(1 for b in case.bounds.values() for x in b if x is not None)
    bad = [g for g in checked if not g.ok()]
    assert not bad, bad
    if case.timing is not None:
        assert not case.timing(rec, 0.0, 0.0)
    for key, seq in seqs.items():
        assert seq[-1][5], f"{key} not deleted at the end (scenarios clean up)"
    # KWOK's pod-delete may run once more on an already deleted pod (also on real KWOK): nothing else
    assert all("not found" in e for e in s.kwok.errors), s.kwok.errors


def test_job_pod_completion_path(sim: Simulator) -> None:
    rec = scenarios.run_recorded(sim, scenarios.job_pod_completion, "s1-")
    phases = [s[0] for s in rec.sequences(strip=True)["Pod/job-0"]]
    assert phases == ["Pending", "Running", "Succeeded", "Succeeded", "Succeeded"]  # …, deleting, deleted


def test_made_up_job_owner_works_in_the_simulator(sim: Simulator) -> None:
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
    rec = scenarios.run_recorded(sim, scenarios.node_not_ready, "s5-")
    ready = [dict(s[1]).get("Ready") for s in rec.sequences(strip=True)["Node/node"]]
    assert ready[:3] == [None, "True", "False"]


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
    """The differential scenario on the simulator alone: weights 1:3 over 400 pods."""
    s = Simulator("fast", seed=3)
    counts = scenarios.weighted_competing(s, "w-", n=400)
    assert counts["Failed"] + counts["Succeeded"] == 400
    share = counts["Failed"] / 400
    assert 0.17 < share < 0.33, counts  # expected 0.25; ±3.5 standard deviations


def test_general_pod_delete_waits_up_to_the_grace_period() -> None:
    """The "~30 s" delete: general pod-delete waits between 1 s and the deletionTimestamp."""
    s = Simulator("general", seed=5)
    s.add_node("n0")
    s.run_for(1)
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


# -- the API server and control plane, as a real cluster showed them -------------------------


def _events(s: Simulator, kind: Any = PODS) -> list[WatchEvent]:
    seen: list[WatchEvent] = []
    s.store.watch(kind, seen.append)
    return seen


def test_grace_zero_delete_writes_the_deletion_first() -> None:
    """`delete --grace-period=0` of a running pod: MODIFIED (deletionTimestamp now, grace 0), then
    DELETED — the pod is seen terminating, however briefly (real: rv n+1 MODIFIED, n+2 DELETED)."""
    s = Simulator(None, binder=False)
    s.create(pod("p", node="n"))
    seen = _events(s)
    s.delete(PODS, "p", namespace="default", grace_period_seconds=0)
    assert [e.type for e in seen] == [MODIFIED, DELETED]
    meta = seen[0].object["metadata"]
    assert meta["deletionGracePeriodSeconds"] == 0 and meta["deletionTimestamp"] == "2024-01-01T00:00:00Z"
    assert meta["generation"] == 2  # the first graceful deletion bumps it
    assert seen[1].object["metadata"]["deletionTimestamp"] == meta["deletionTimestamp"]


def test_finished_and_unscheduled_pods_are_deleted_at_once_but_visibly() -> None:
    s = Simulator(None, binder=False)
    s.create(pod("never-scheduled"))
    s.create(pod("done", node="n"))
    s.patch(PODS, "done", {"status": {"phase": "Succeeded"}}, namespace="default", subresource="status")
    seen = _events(s)
    for name in ("never-scheduled", "done"):
        assert s.store.delete(PODS, name, namespace="default") is None  # default grace 30 → 0
    assert [e.type for e in seen] == [MODIFIED, DELETED, MODIFIED, DELETED]
    assert all(e.object["metadata"]["deletionGracePeriodSeconds"] == 0 for e in seen)


def test_shorter_grace_moves_the_deletion_timestamp_back() -> None:
    """BeforeDelete: new timestamp = old − old grace + new grace, never before now."""
    s = Simulator(None, binder=False)
    s.create(pod("p", node="n", finalizers=["x/hold"]))
    s.run_for(0.5)
    first = s.store.delete(PODS, "p", namespace="default")  # grace 30 → 00:00:30 (truncated)
    assert first is not None and first["metadata"]["deletionTimestamp"] == "2024-01-01T00:00:30Z"
    assert s.store.delete(PODS, "p", namespace="default", grace_period_seconds=40) is first  # longer: ignored
    shorter = s.store.delete(PODS, "p", namespace="default", grace_period_seconds=10)
    assert shorter is not None and shorter["metadata"]["deletionTimestamp"] == "2024-01-01T00:00:10Z"
    s.run_for(20)
    late = s.store.delete(PODS, "p", namespace="default", grace_period_seconds=5)  # would be in the past
    assert late is not None and late["metadata"]["deletionGracePeriodSeconds"] == 1
    assert late["metadata"]["deletionTimestamp"] == "2024-01-01T00:00:20Z"


def test_removing_the_last_finalizer_deletes_with_the_stored_state() -> None:
    """The update that empties the finalizers of a grace-0 deleting object is not stored: the
    object goes, and the DELETED event still shows the finalizer (real: one DELETED, no MODIFIED)."""
    s = Simulator(None, binder=False)
    s.create(pod("p", node="n", finalizers=["x/hold"]))
    s.delete(PODS, "p", namespace="default", grace_period_seconds=0)
    seen = _events(s)
    s.patch(PODS, "p", [{"op": "remove", "path": "/metadata/finalizers"}], namespace="default", patch_type="json")
    assert [e.type for e in seen] == [DELETED]
    assert seen[0].object["metadata"]["finalizers"] == ["x/hold"]
    assert s.get(PODS, "p", namespace="default") is None


def test_no_new_finalizers_on_a_deleting_object() -> None:
    s = Simulator(None, binder=False)
    s.create(pod("p", node="n", finalizers=["x/a"]))
    s.delete(PODS, "p", namespace="default")
    with pytest.raises(ApiError) as e:
        s.patch(PODS, "p", {"metadata": {"finalizers": ["x/a", "x/b"]}}, namespace="default")
    assert e.value.code == 422


def test_nodes_have_no_grace_period() -> None:
    s = Simulator(None, binder=False)
    s.create(kwok_node("n"))
    seen = _events(s, NODES)
    s.delete(NODES, "n", grace_period_seconds=30)
    assert [e.type for e in seen] == [DELETED]


def test_pod_create_drops_status_and_adds_admission_defaults() -> None:
    s = Simulator(None, binder=False)
    doc = pod("p", node="n")
    doc["status"] = {"phase": "Running", "podIP": "1.2.3.4"}
    created = s.create(doc)
    assert created["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    spec = created["spec"]
    assert spec["serviceAccountName"] == spec["serviceAccount"] == "default"
    assert spec["priority"] == 0 and spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert spec["securityContext"] == {}
    assert [(t["key"], t.get("tolerationSeconds")) for t in spec["tolerations"]] == [
        ("kwok.x-k8s.io/node", None), ("node.kubernetes.io/not-ready", 300), ("node.kubernetes.io/unreachable", 300)]
    assert created["metadata"]["generation"] == 1


@pytest.mark.parametrize(("resources", "qos"), [
    ({}, "BestEffort"),
    ({"requests": {"cpu": "100m"}}, "Burstable"),
    ({"limits": {"cpu": "1", "memory": "1Gi"}}, "Guaranteed"),  # requests default to limits
    ({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}, "Burstable"),
    ({"requests": {"nvidia.com/gpu": "1"}}, "BestEffort"),  # only cpu and memory count
])
def test_pod_qos_class(resources: dict[str, Any], qos: str) -> None:
    s = Simulator(None, binder=False)
    doc = pod("p", node="n")
    doc["spec"]["containers"][0]["resources"] = resources
    assert s.create(doc)["status"]["qosClass"] == qos


def test_pod_ip_is_authoritative_over_pod_ips() -> None:
    """A stage writing only ``podIP`` (the chaos stages do) moves ``podIPs`` too (v1 conversion)."""
    s = Simulator(None, binder=False)
    s.create(pod("p", node="n"))
    s.patch(PODS, "p", {"status": {"podIP": "10.0.0.7", "podIPs": [{"ip": "10.0.0.7"}]}}, namespace="default",
            subresource="status")
    after = s.patch(PODS, "p", {"status": {"podIP": "10.0.0.9"}}, namespace="default", subresource="status").object
    assert after["status"]["podIPs"] == [{"ip": "10.0.0.9"}]
    only_list = s.patch(PODS, "p", {"status": {"podIP": None, "podIPs": [{"ip": "10.0.0.3"}]}},
                        namespace="default", subresource="status").object
    assert only_list["status"]["podIP"] == "10.0.0.3"


def test_new_node_taint_is_removed_and_not_ready_taint_added() -> None:
    """TaintNodesByCondition + the node lifecycle controller's NoSchedule pass (real: ADDED with the
    not-ready taint, MODIFIED without it, then KWOK's node-initialize)."""
    s = Simulator("fast", seed=1)
    s.apply_stage(scenarios.stage_doc("node/chaos/node-not-ready.yaml"))
    seen = _events(s, NODES)
    s.create(kwok_node("n"))
    s.run_for(1)
    keys = [[t["key"] for t in e.object["spec"].get("taints") or []] for e in seen]
    assert keys[0] == ["kwok.x-k8s.io/node", "node.kubernetes.io/not-ready"]
    assert keys[1] == ["kwok.x-k8s.io/node"] and scenarios.node_schedulable(s, "n")
    s.patch(NODES, "n", {"metadata": {"labels": {"node-not-ready.stage.kwok.x-k8s.io": "true"}}})
    s.run_for(2)
    taints = s.get(NODES, "n")["spec"]["taints"]  # type: ignore[index]
    assert [t["key"] for t in taints] == ["kwok.x-k8s.io/node", "node.kubernetes.io/not-ready"]
    assert taints[1]["timeAdded"]
    s.create(pod("late", node_selector={"kubernetes.io/hostname": "n"}))
    s.run_for(1)
    late = s.get(PODS, "late", namespace="default") or {}
    assert not late["spec"].get("nodeName")  # the scheduler stand-in respects the taint
    assert [(c["type"], c["status"], c["reason"]) for c in late["status"]["conditions"]] == [
        ("PodScheduled", "False", "Unschedulable")]


def test_scheduling_gates_hold_a_pod_until_removed() -> None:
    s = Simulator("fast", seed=1)
    s.add_node("n")
    s.run_for(1)
    doc = pod("g")
    doc["spec"]["schedulingGates"] = [{"name": "example.com/wait"}]
    created = s.create(doc)
    assert [(c["type"], c["status"], c["reason"]) for c in created["status"]["conditions"]] == [
        ("PodScheduled", "False", "SchedulingGated")]
    s.run_for(5)
    assert not (s.get(PODS, "g", namespace="default") or {})["spec"].get("nodeName")
    s.patch(PODS, "g", {"spec": {"schedulingGates": None}}, namespace="default")
    assert s.run_until(lambda: scenarios.pod_phase(s, "g") == "Running", 5)


# -- real-time mode --------------------------------------------------------------------------


def test_realtime_mode_runs_on_the_wall_clock() -> None:
    """For live widgets: the clock is wall time, a stage's 1 s delay takes 1 s, waits really wait."""
    s = Simulator("fast", seed=1, realtime=True)
    s.apply_stage(scenarios.stage_doc("pod/chaos/pod-container-running-failed.yaml"))
    t0 = time.monotonic()
    assert abs(s.now_ns() - time.time_ns()) < 1e8
    s.add_node("n")
    s.create(pod("p", node="n"))
    assert s.wait_until(lambda: scenarios.pod_phase(s, "p") == "Running", 2)
    assert time.monotonic() - t0 < 1.0  # fast stages: no delay
    s.patch(PODS, "p", {"metadata": {"labels": {"pod-container-running-failed.stage.kwok.x-k8s.io": "true"}}},
            namespace="default")
    t1 = time.monotonic()
    assert s.wait_until(lambda: scenarios.pod_phase(s, "p") == "Failed", 3)
    took = time.monotonic() - t1
    assert 0.95 <= took < 2.0, took  # the stage's 1000 ms, on the wall clock
    t2 = time.monotonic()
    assert not s.wait_until(lambda: False, 0.3)  # nothing will make it true: waits the whole timeout
    assert time.monotonic() - t2 >= 0.29
    created = s.get(PODS, "p", namespace="default") or {}
    assert created["metadata"]["creationTimestamp"][:4] == time.strftime("%Y", time.gmtime())


def test_timeline_counts_transitions_per_kind() -> None:
    s = Simulator("fast", seed=2)
    s.add_node("n")
    s.add_pods(3)
    s.run_for(5)
    kinds = Counter(str(e.object.get("kind")) for e in s.history)
    assert kinds["Pod"] >= 6 and kinds["Node"] >= 2

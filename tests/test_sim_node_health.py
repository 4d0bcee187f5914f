"""kube-controller-manager's NoExecute tainting and taint eviction, as the simulator re-enacts them.

The rules come from k8s.io/kubernetes v1.36 ``pkg/controller/nodelifecycle`` and
``pkg/controller/tainteviction``; tests/e2e/test_differential.py (case node-not-ready-eviction)
checks the two-node case against a real cluster.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from kwokbook.backend import LEASES, NODES, PODS
from kwokbook.sim import Simulator
from kwokbook.sim.clock import parse_rfc3339
from kwokbook.sim.kwok import KwokConfig
from kwokbook.sim.nodelifecycle import NOT_READY, NodeLifecycleConfig, TokenBucket, zone_key
from kwokbook.sim.objects import kwok_node, pod
from kwokbook.sim.store import ApiError
from kwokbook.sim.tainteviction import matching_tolerations, min_toleration_ns, tolerates_taint
from tests.scenarios import stage_doc

LABEL = "node-not-ready.stage.kwok.x-k8s.io"
PERIOD = NodeLifecycleConfig().node_monitor_period


def cluster(*nodes: str, zones: dict[str, str] | None = None, at: float = 1.0) -> Simulator:
    """Nodes made ``at`` seconds in; the controller's timers tick from t=0 (monitor every 25 s)."""
    s = Simulator("fast", seed=3)
    s.apply_stage(stage_doc("node/chaos/node-not-ready.yaml"))
    s.run_for(at)
    for n in nodes:
        labels = {"topology.kubernetes.io/zone": zones[n]} if zones and n in zones else None
        s.create(kwok_node(n, labels=labels))
    s.run_for(1)
    return s


def not_ready(s: Simulator, *nodes: str) -> None:
    for n in nodes:
        s.patch(NODES, n, {"metadata": {"labels": {LABEL: "true"}}})
    s.run_for(2)
    assert all(ready(s, n) == "False" for n in nodes)


def ready(s: Simulator, node: str) -> str | None:
    for c in (s.get(NODES, node) or {})["status"].get("conditions") or []:
        if c["type"] == "Ready":
            return str(c["status"])
    return None


def no_execute(s: Simulator, node: str) -> list[dict[str, Any]]:
    return [t for t in (s.get(NODES, node) or {})["spec"].get("taints") or [] if t["effect"] == "NoExecute"]


def elapsed(s: Simulator) -> float:
    return (s.now_ns() - s.start_ns) / 1e9


def test_lone_notready_node_is_never_tainted_full_disruption() -> None:
    s = cluster("a")
    s.create(pod("p", node="a"))
    not_ready(s, "a")
    s.run_for(400)  # well past the default 300 s toleration
    assert no_execute(s, "a") == []
    assert s.get(PODS, "p") is not None and s.taint_eviction.evicted == []
    assert s.node_lifecycle.zone_states == {"": "FullDisruption"}


def test_notready_next_to_a_ready_node_is_tainted_at_the_next_monitor_pass() -> None:
    s = cluster("a", "b")
    not_ready(s, "a")
    t_nr = elapsed(s)
    assert no_execute(s, "a") == []
    s.run_until(lambda: bool(no_execute(s, "a")), 60)
    taints = no_execute(s, "a")
    assert [(t["key"], t["effect"]) for t in taints] == [(NOT_READY, "NoExecute")]
    assert elapsed(s) == pytest.approx(PERIOD)  # the first pass after NotReady (ticks at 0, 25, 50 s …)
    assert 0 < elapsed(s) - t_nr <= PERIOD
    assert taints[0]["timeAdded"].endswith("Z") and no_execute(s, "b") == []


def test_leaving_full_disruption_drains_the_rate_limiter() -> None:
    """Nodes made at t=0 meet the t=0 pass before KWOK made them Ready: full disruption (tainting
    stopped). The 25 s pass leaves it and swaps in a fresh limiter, drained because the old one
    had no token (``SwapLimiter``); the token is back 10 s later, on a 100 ms pass."""
    s = cluster("a", "b", at=0.0)
    not_ready(s, "a")
    s.run_until(lambda: bool(no_execute(s, "a")), 60)
    assert elapsed(s) == pytest.approx(PERIOD + 10)


def test_default_toleration_evicts_after_300s_with_disruption_target() -> None:
    s = cluster("a", "b")
    s.create(pod("default", node="a"))
    s.create(pod("forever", node="a", tolerations=[{"key": NOT_READY, "operator": "Exists", "effect": "NoExecute"}]))
    s.create(pod("quick", node="a", tolerations=[{"key": NOT_READY, "operator": "Exists", "effect": "NoExecute",
                                                   "tolerationSeconds": 5}]))
    s.run_for(1)
    seen: list[dict[str, Any]] = []
    s.store.watch(PODS, lambda ev: seen.append(ev.object) if ev.name == "default" else None)
    not_ready(s, "a")
    s.run_until(lambda: bool(no_execute(s, "a")), 60)
    t_taint = elapsed(s)
    s.run_until(lambda: s.get(PODS, "quick") is None, 60)
    assert elapsed(s) == pytest.approx(t_taint + 5)
    s.run_for(294)
    assert s.get(PODS, "default") is not None
    s.run_until(lambda: s.get(PODS, "default") is None, 10)
    assert elapsed(s) == pytest.approx(t_taint + 300)
    assert s.get(PODS, "forever") is not None
    assert s.taint_eviction.evicted == [("default", "quick"), ("default", "default")]
    # the condition lands first, then the graceful delete, which KWOK's pod-delete stage finishes
    marked = next(o for o in seen if any(c["type"] == "DisruptionTarget" for c in o["status"]["conditions"]))
    assert not marked["metadata"].get("deletionTimestamp")
    cond = next(c for c in marked["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    assert marked["status"]["conditions"][-1] is cond or marked["status"]["conditions"][-1] == cond
    assert seen[-1]["metadata"]["deletionTimestamp"]


def test_ready_again_removes_the_taint_and_cancels_the_eviction() -> None:
    s = cluster("a", "b")
    s.create(pod("p", node="a"))
    not_ready(s, "a")
    s.run_until(lambda: bool(no_execute(s, "a")), 60)
    s.patch(NODES, "a", {"metadata": {"labels": {LABEL: None}}})
    s.patch(NODES, "a", {"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "back",
                                                     "message": "back"}]}}, patch_type="strategic",
            subresource="status")
    s.run_until(lambda: not no_execute(s, "a"), 60)
    s.run_for(400)
    assert s.get(PODS, "p") is not None and s.taint_eviction.evicted == []


def test_a_zone_down_alone_is_still_tainted_other_zones_keep_the_controller_trusting() -> None:
    s = cluster("a", "b", zones={"a": "z1", "b": "z2"})
    not_ready(s, "a")
    s.run_for(PERIOD + 1)
    assert no_execute(s, "a") and zone_key(s.get(NODES, "a") or {}) == ":\x00:z1"
    assert s.node_lifecycle.zone_states == {":\x00:z1": "FullDisruption", ":\x00:z2": "Normal"}


def test_partial_disruption_of_a_small_zone_stops_tainting() -> None:
    s = cluster("a", "b", "c", "d", "e")
    not_ready(s, "a", "b", "c")  # 3 of 5 (≥ 55 %, more than 2) NotReady
    s.run_for(3 * PERIOD)
    assert all(no_execute(s, n) == [] for n in "abc")
    assert s.node_lifecycle.zone_states == {"": "PartialDisruption"}


def test_taints_are_rate_limited_one_node_per_ten_seconds() -> None:
    s = cluster("a", "b", "c", "d", "e", "f")
    not_ready(s, "a", "b")  # 2 of 6: Normal
    s.run_until(lambda: bool(no_execute(s, "a")), 60)
    t_a = elapsed(s)
    assert not no_execute(s, "b")
    s.run_until(lambda: bool(no_execute(s, "b")), 60)
    assert elapsed(s) - t_a == pytest.approx(10.0)


def test_untolerated_noexecute_taint_evicts_at_once() -> None:
    s = cluster("a")
    s.create(pod("p", node="a"))
    s.run_for(1)
    s.patch(NODES, "a", {"spec": {"taints": [{"key": "example.com/drain", "effect": "NoExecute"}]}})
    t0 = elapsed(s)
    s.run_until(lambda: s.get(PODS, "p") is None, 60)
    assert elapsed(s) == pytest.approx(t0)
    assert s.taint_eviction.evicted == [("default", "p")]


def test_disabled_controllers_leave_pods_and_taints_alone() -> None:
    s = Simulator("fast", seed=3, taint_eviction=False)
    s.create(kwok_node("a"))
    s.create(pod("p", node="a"))
    s.run_for(1)
    s.patch(NODES, "a", {"spec": {"taints": [{"key": "example.com/drain", "effect": "NoExecute"}]}})
    s.run_for(60)
    assert s.get(PODS, "p") is not None


def test_toleration_matching_is_gos() -> None:
    taint = {"key": "k", "value": "v", "effect": "NoExecute"}
    assert tolerates_taint({"operator": "Exists"}, taint)  # empty key + Exists: everything
    assert tolerates_taint({"key": "k", "operator": "Exists", "effect": "NoExecute"}, taint)
    assert tolerates_taint({"key": "k", "value": "v"}, taint)  # operator '' is Equal
    assert not tolerates_taint({"key": "k", "value": "w"}, taint)
    assert tolerates_taint({"value": "v"}, taint)  # Go: an empty key with Equal compares values only
    assert not tolerates_taint({"key": "k", "operator": "Exists", "effect": "NoSchedule"}, taint)
    assert not tolerates_taint({"key": "k", "operator": "Gt", "value": "1"}, taint)
    ok, used = matching_tolerations([taint], [{"key": "x", "operator": "Exists"}, {"operator": "Exists",
                                                                                    "tolerationSeconds": 7}])
    assert ok and min_toleration_ns(used) == 7_000_000_000
    assert matching_tolerations([taint], [{"key": "x", "operator": "Exists"}]) == (False, [])
    assert min_toleration_ns([{"tolerationSeconds": 0}, {"tolerationSeconds": 9}]) == 0
    assert min_toleration_ns([{"operator": "Exists"}]) == -1
    assert min_toleration_ns([]) == 0


def test_token_bucket_is_x_time_rate() -> None:
    b = TokenBucket(0.1, 1, 0)
    assert b.try_accept(0) and not b.try_accept(5_000_000_000)
    assert b.ready_ns(5_000_000_000) == pytest.approx(10_000_000_000, abs=2)
    assert b.try_accept(10_000_000_000)
    never = TokenBucket(0, 1, 0)
    assert not never.try_accept(10**18) and never.ready_ns(0) is None


# -- KWOK's node leases and kube-controller-manager's node health monitoring ------------------


def lease(s: Simulator, node: str) -> dict[str, Any] | None:
    return s.get(LEASES, node, namespace="kube-node-lease")


def test_kwok_holds_and_renews_a_lease_per_node_like_kwokctl() -> None:
    s = Simulator("fast", seed=5)
    s.create(kwok_node("a"))
    s.run_for(0.5)
    le = lease(s, "a")
    assert le is not None
    spec = le["spec"]
    assert spec["holderIdentity"] == s.kwok.leases.holder and spec["leaseDurationSeconds"] == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", spec["renewTime"])  # MicroTime
    node = s.get(NODES, "a") or {}
    assert le["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Node", "name": "a",
                                                   "uid": node["metadata"]["uid"]}]
    renewals: list[int] = []
    s.store.watch(LEASES, lambda ev: renewals.append(parse_rfc3339(ev.object["spec"]["renewTime"])))
    s.run_for(600)
    gaps = [(b - a) / 1e9 for a, b in zip([parse_rfc3339(spec["renewTime"]), *renewals], renewals, strict=False)]
    assert len(gaps) >= 10 and all(50.0 <= g < 52.0 for g in gaps), gaps  # 200 s / 4, +4 % jitter
    assert ready(s, "a") == "True"  # heard from through the lease: never Unknown
    s.delete(NODES, "a")
    s.run_for(1)
    assert lease(s, "a") is None  # the garbage collector follows the owner reference


def test_a_node_whose_lease_another_holder_has_waits_until_it_expires() -> None:
    """KWOK treats a node as read-only until it holds its lease; it takes an expired one over."""
    s = Simulator("fast", seed=5)
    s.create({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
              "metadata": {"name": "a", "namespace": "kube-node-lease"},
              "spec": {"holderIdentity": "other-kwok", "leaseDurationSeconds": 40,
                       "renewTime": "2024-01-01T00:00:00.000000Z"}})
    s.create(kwok_node("a"))
    s.run_for(30)
    assert ready(s, "a") is None  # not initialized: someone else's node
    s.run_until(lambda: ready(s, "a") == "True", 120)
    assert 40 <= elapsed(s) <= 40 + 52  # the next try after the other lease expired
    spec = (lease(s, "a") or {})["spec"]
    assert spec["holderIdentity"] == s.kwok.leases.holder and spec["leaseTransitions"] == 1


def test_no_leases_when_the_duration_is_zero() -> None:
    s = Simulator("fast", seed=5, config=KwokConfig(node_lease_duration_seconds=0))
    s.create(kwok_node("a"))
    s.run_for(1)
    assert ready(s, "a") == "True" and lease(s, "a") is None and s.kwok.leases is None


def test_without_leases_the_slow_heartbeat_lets_the_node_go_unknown() -> None:
    """The fast set's heartbeat stage (every 600–1210 s) is meant to ride on leases: without them
    kube-controller-manager stops hearing from the node after the 200 s grace period."""
    s = Simulator("fast", seed=5, config=KwokConfig(node_lease_duration_seconds=0))
    s.create(kwok_node("a"))
    s.run_for(1)
    s.run_until(lambda: ready(s, "a") == "Unknown", 400)
    cond = next(c for c in (s.get(NODES, "a") or {})["status"]["conditions"] if c["type"] == "Ready")
    assert (cond["reason"], cond["message"]) == ("NodeStatusUnknown", "Kubelet stopped posting node status.")
    # heard from when a pass first saw its conditions (25 s); silent for more than 200 s at the 250 s pass
    assert elapsed(s) == pytest.approx(PERIOD + 200 + PERIOD)


def test_a_node_kwok_does_not_manage_goes_unknown_after_the_startup_grace() -> None:
    s = Simulator("fast", seed=5, config=KwokConfig(manage_all_nodes=False, manage_nodes_with_label=("kwok", "yes")))
    s.run_for(1)
    s.create(kwok_node("a"))
    s.create(kwok_node("b", labels={"kwok": "yes"}))
    s.create(pod("p", node="a"))
    s.run_until(lambda: ready(s, "a") == "Unknown", 200)
    assert elapsed(s) == pytest.approx(3 * PERIOD)  # created at 1 s + 60 s grace ⇒ the 75 s pass
    conds = {c["type"]: c for c in (s.get(NODES, "a") or {})["status"]["conditions"]}
    assert sorted(conds) == ["DiskPressure", "MemoryPressure", "PIDPressure", "Ready"]
    assert all((c["status"], c["reason"], c["message"]) == ("Unknown", "NodeStatusNeverUpdated",
                                                           "Kubelet never posted node status.") for c in conds.values())
    s.run_for(1)
    keys = {(t["key"], t["effect"]) for t in (s.get(NODES, "a") or {})["spec"]["taints"]}
    assert {("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")} <= keys
    s.run_until(lambda: bool(((s.get(PODS, "p") or {}).get("metadata") or {}).get("deletionTimestamp")), 400)
    assert elapsed(s) == pytest.approx(3 * PERIOD + 300)  # the default unreachable toleration
    s.run_for(600)  # no kubelet, no KWOK for this node: the pod stays Terminating, as on a real cluster
    assert s.get(PODS, "p") is not None


def test_marking_a_node_unknown_marks_its_pods_not_ready() -> None:
    s = Simulator("fast", seed=5, config=KwokConfig(node_lease_duration_seconds=0))
    s.create(kwok_node("a"))
    s.create(pod("p", node="a"))
    s.run_for(1)
    assert pod_ready(s, "p") == "True"
    s.run_until(lambda: ready(s, "a") == "Unknown", 400)
    assert pod_ready(s, "p") == "False"


def pod_ready(s: Simulator, name: str) -> str | None:
    for c in ((s.get(PODS, name) or {}).get("status") or {}).get("conditions") or []:
        if c["type"] == "Ready":
            return str(c["status"])
    return None


def test_lease_times_are_micro_times_as_the_api_server_decodes_them() -> None:
    s = Simulator(None)
    body = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": "x", "namespace": "kube-node-lease"},
            "spec": {"renewTime": "2024-01-01T01:00:00.123456+01:00"}}
    assert (s.create(body)["spec"]["renewTime"]) == "2024-01-01T00:00:00.123456Z"  # UTC on the way out
    with pytest.raises(ApiError) as e:
        s.patch(LEASES, "x", {"spec": {"renewTime": "2024-01-01T00:00:00.123456789Z"}}, namespace="kube-node-lease")
    assert e.value.code == 422
    assert ('parsing time "2024-01-01T00:00:00.123456789Z" as "2006-01-02T15:04:05.000000Z07:00": '
            'cannot parse "789Z" as "Z07:00"') in e.value.message


@pytest.mark.parametrize("follow", [True, False])
def test_pods_on_a_node_kwok_lost_the_lease_of_follow_kwoks_start_order(follow: bool) -> None:
    """KWOK v0.8.0 quirk: whether pods on a node whose lease someone else holds are left alone
    depends on whether its Node controller started before its Pod controller (Go map order)."""
    s = Simulator("fast", seed=5, config=KwokConfig(pods_follow_node_leases=follow))
    s.create(kwok_node("a"))
    s.run_for(1)
    s.patch(LEASES, "a", {"spec": {"holderIdentity": "someone-else", "leaseDurationSeconds": 3600}},
            namespace="kube-node-lease")
    s.create(pod("p", node="a"))
    s.run_for(5)
    phase = ((s.get(PODS, "p") or {}).get("status") or {}).get("phase")
    assert phase == ("Pending" if follow else "Running")
    assert ready(s, "a") == "True"  # the node itself is left alone either way

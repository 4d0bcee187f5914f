"""Safety of mutating calls, without a cluster: the KWOK-cluster check and the KWOK-managed-node filter.

The simulator plays a KWOK that manages only annotated nodes (``--manage-nodes-with-annotation-
selector``), next to a node with a "real kubelet" — the mixed cluster the node filter is for.
"""

from __future__ import annotations

from typing import Any

import pytest

from kwokbook.backend import NODES, PODS
from kwokbook.cluster import apply_stages, delete_stages
from kwokbook.cluster.safety import (
    NotKwokManagedError,
    is_kwok_node,
    kwok_managed_nodes,
    require_kwok,
    unmanaged_targets,
)
from kwokbook.errors import NotKwokClusterError, UsageError
from kwokbook.sim import KwokConfig, Simulator
from kwokbook.sim.objects import pod
from kwokbook.triggers import trigger

RESTART = "tests/e2e/stages/pod-restart.yaml"


def real_node(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"nodeInfo": {"kubeletVersion": "v1.36.3"}}}


@pytest.fixture
def mixed() -> Simulator:
    sim = Simulator(["fast", RESTART], seed=3, binder=False,
                    config=KwokConfig(manage_all_nodes=False, manage_nodes_with_annotation=("kwok.x-k8s.io/node",
                                                                                            "fake")))
    sim.add_node("kwok-0")
    sim.create(real_node("real-0"))
    sim.add_pod("on-kwok", node="kwok-0", labels={"app": "a"})
    sim.add_pod("on-real", node="real-0", labels={"app": "a"})
    sim.create(pod("unscheduled", labels={"app": "a"}))
    sim.run_for(5)
    return sim


def test_what_counts_as_a_kwok_node() -> None:
    assert is_kwok_node({"metadata": {"annotations": {"kwok.x-k8s.io/node": "fake"}}})
    assert is_kwok_node({"metadata": {}, "status": {"nodeInfo": {"kubeletVersion": "kwok-v0.8.0"}}})
    assert not is_kwok_node(real_node("n"))
    assert not is_kwok_node({"metadata": {"name": "bare"}})


def test_unmanaged_targets_names_each_reason() -> None:
    pods = [pod("a", node="k"), pod("b", node="r"), pod("c")]
    out = dict(unmanaged_targets(pods, "Pod", {"k"}))
    assert set(out) == {"default/b", "default/c"}
    assert "on node r, which KWOK does not manage" in out["default/b"]
    assert "not scheduled" in out["default/c"]
    assert unmanaged_targets([real_node("r")], "Node", set())[0][0] == "r"
    assert unmanaged_targets([{"kind": "Job", "metadata": {"name": "j"}}], "Job", set()) == []


def test_mixed_cluster_only_kwok_pods_are_touched(mixed: Simulator) -> None:
    assert kwok_managed_nodes(mixed) == {"kwok-0"}
    assert mixed.get(PODS, "on-kwok")["status"]["phase"] == "Running"
    assert (mixed.get(PODS, "on-real").get("status") or {}).get("phase") in (None, "Pending")  # nobody runs it
    with pytest.raises(NotKwokManagedError) as err:
        trigger(mixed, "restart.stage.kwok", "true", label_selector="app=a")
    text = str(err.value)
    assert "refusing to set label restart.stage.kwok on 2 pod(s) that KWOK does not manage" in text
    assert "default/on-real (on node real-0" in text and "default/unscheduled (not scheduled" in text
    assert "force=True" in text and "skip_unmanaged=True" in text
    assert all("restart.stage.kwok" not in (p["metadata"].get("labels") or {}) for p in mixed.list(PODS).items)

    res = trigger(mixed, "restart.stage.kwok", "true", label_selector="app=a", skip_unmanaged=True, wait=5)
    assert [o.name for o in res.outcomes] == ["on-kwok"]
    assert sorted(k for k, _ in res.skipped) == ["default/on-real", "default/unscheduled"]
    assert res.outcomes[0].latency_ns is not None  # the restart stage fired
    assert mixed.get(PODS, "on-kwok")["status"]["containerStatuses"][0]["restartCount"] == 1

    forced = trigger(mixed, "kwokbook.test/forced", "yes", names=["on-real"], force=True, wait=0)
    assert forced.outcomes[0].error is None
    assert mixed.get(PODS, "on-real")["metadata"]["labels"]["kwokbook.test/forced"] == "yes"


def test_nodes_are_filtered_too(mixed: Simulator) -> None:
    with pytest.raises(NotKwokManagedError, match="real-0"):
        trigger(mixed, "node-not-ready.stage.kwok.x-k8s.io", "true", resource=NODES, names=["real-0"])
    res = trigger(mixed, "some-label", "x", resource="nodes", names=["kwok-0"], wait=0)
    assert res.outcomes[0].error is None


def test_a_cluster_that_is_not_kwok_is_refused_with_why_and_how(mixed: Simulator) -> None:
    mixed.info.is_kwok = False
    mixed.info.evidence = ["no Stage CRD and none of 3 node(s) looks like a KWOK node"]
    with pytest.raises(NotKwokClusterError) as err:
        trigger(mixed, "restart.stage.kwok", "true", names=["on-kwok"])
    text = str(err.value)
    assert "does not look like a KWOK cluster (no Stage CRD and none of 3 node(s)" in text
    assert "would change live workloads" in text and "hint: if you are sure, pass force=True" in text
    for call in (lambda: apply_stages(mixed, RESTART), lambda: delete_stages(mixed, "pod-ready")):
        with pytest.raises(NotKwokClusterError, match="refusing to change Stages on"):
            call()
    assert delete_stages(mixed, "pod-ready", force=True)[0].action == "deleted"
    require_kwok(mixed, force=True)  # the override
    mixed.info.evidence = []
    with pytest.raises(NotKwokClusterError, match="has not checked it"):
        require_kwok(mixed)


def test_trigger_usage_errors_and_unchanged_objects(mixed: Simulator) -> None:
    with pytest.raises(UsageError, match="say which objects"):
        trigger(mixed, "k", "v")
    with pytest.raises(UsageError, match="not both"):
        trigger(mixed, "k", "v", names=["on-kwok"], label_selector="app=a")
    with pytest.raises(UsageError, match="not found"):
        trigger(mixed, "k", "v", names=["nope"])
    with pytest.raises(UsageError, match="patch style"):
        trigger(mixed, "k", "v", names=["on-kwok"], style="strategic")
    same = trigger(mixed, "app", "a", names=["on-kwok"], wait=0)  # already so: nothing sent
    assert same.outcomes[0].changed is False and same.outcomes[0].patch is None
    gone = trigger(mixed, "absent", None, names=["on-kwok"], wait=0)
    assert gone.outcomes[0].changed is False
    jq = trigger(mixed, "picked", "yes", label_selector="", jq='.metadata.name == "on-kwok"', wait=0)
    assert [o.name for o in jq.outcomes] == ["on-kwok"]
    assert "picked=yes: 1 object(s)" in str(jq)

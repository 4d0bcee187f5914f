"""Live-stage management (apply/diff/delete/snapshot/restore) and delay explanations, on the simulator."""

from __future__ import annotations

import copy

import pytest

from kwokbook.backend import STAGES
from kwokbook.cluster import apply_stages, delete_stages, diff_stages, live_stages, restore_stages, snapshot_stages
from kwokbook.cluster.explain import explain_delay
from kwokbook.cluster.stages import clean, field_changes, stage_documents
from kwokbook.errors import StageError, UsageError
from kwokbook.sim import Simulator
from kwokbook.sim.objects import pod
from kwokbook.stage import load_stages

DELAYED = """\
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - jq: {key: .status.phase, operator: In, values: [Pending]}
  delay: {durationMilliseconds: 2500}
  next:
    statusTemplate: |
      phase: Running
"""


def test_stage_documents_from_every_kind_of_source() -> None:
    assert [d["metadata"]["name"] for d in stage_documents("pod/chaos/pod-container-running-failed.yaml")] == [
        "pod-container-running-failed"]
    assert len(stage_documents("pod/chaos")) == 2
    assert stage_documents(DELAYED)[0]["spec"]["delay"] == {"durationMilliseconds": 2500}
    st = load_stages(["kwokbook/data/stages/pod/fast/pod-delete.yaml"]).stages[0]
    assert stage_documents([st, stage_documents(DELAYED)[0]])[0]["metadata"]["name"] == "pod-delete"
    with pytest.raises(UsageError, match="given twice"):
        stage_documents([DELAYED, DELAYED])
    with pytest.raises(StageError):
        stage_documents(DELAYED.replace("durationMilliseconds: 2500", "durationMilliseconds: soon"))


def test_apply_diff_delete_on_the_simulator() -> None:
    sim = Simulator("fast", seed=1)
    [d] = diff_stages(sim, DELAYED)
    assert d.action == "update"
    assert [str(c) for c in d.changes if c.path == "spec.delay"] == ['+ spec.delay: {"durationMilliseconds": 2500}']
    assert "+  delay:" in d.text and d.text.startswith("--- live/pod-ready\n+++ applied/pod-ready\n")
    [ch] = apply_stages(sim, DELAYED)
    assert ch.action == "configured" and str(ch) == "stage.kwok.x-k8s.io/pod-ready configured"
    assert diff_stages(sim, DELAYED)[0].action == "unchanged"
    assert apply_stages(sim, DELAYED)[0].action == "unchanged"
    [new] = diff_stages(sim, "pod/chaos/pod-container-running-failed.yaml")
    assert new.action == "create" and str(new).startswith("stage pod-container-running-failed: create")
    assert apply_stages(sim, "pod/chaos/pod-container-running-failed.yaml")[0].action == "created"
    # the simulator's KWOK now uses the live stages: a pending pod waits 2.5 s before Running
    sim.add_node("n0")
    sim.add_pod("p", node="n0")
    sim.run_for(2.4)
    assert (sim.get("pods", "p").get("status") or {}).get("phase") != "Running"
    sim.run_for(0.2)
    assert sim.get("pods", "p")["status"]["phase"] == "Running"
    assert [c.action for c in delete_stages(sim, ["pod-container-running-failed", "nope"])] == ["deleted", "absent"]


def test_snapshot_restore_puts_back_exactly_the_set() -> None:
    sim = Simulator("fast", seed=1)
    snap = snapshot_stages(sim)
    before = {d["metadata"]["name"]: d for d in snap}
    apply_stages(sim, DELAYED)  # changed
    delete_stages(sim, "pod-complete")  # missing
    apply_stages(sim, "pod/chaos")  # extra
    actions = {c.name: c.action for c in restore_stages(sim, snap)}
    assert actions["pod-ready"] == "configured" and actions["pod-complete"] == "created"
    assert actions["pod-container-running-failed"] == "deleted" and actions["node-initialize"] == "unchanged"
    after = {d["metadata"]["name"]: clean(d) for d in sim.list(STAGES).items}
    assert after == before
    assert {s.name for s in live_stages(sim)} == set(before)


def test_field_changes_and_clean() -> None:
    old = {"a": {"b": 1, "c": [1, 2]}, "d": "x"}
    new = {"a": {"b": 2, "c": [1, 3]}, "e": True}
    assert [str(c) for c in field_changes(old, new)] == ["~ a.b: 1 → 2", "~ a.c[1]: 2 → 3", "- d: 'x'", "+ e: true"]
    live = {"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage", "status": {"x": 1},
            "metadata": {"name": "s", "uid": "u", "resourceVersion": "9", "generation": 2, "managedFields": [],
                         "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}}}
    assert clean(live) == {"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage", "metadata": {"name": "s"}}
    assert live["metadata"]["uid"] == "u"  # not modified in place
    assert clean(copy.deepcopy(live)) == clean(clean(live))


def test_explain_the_general_pod_delete_wait() -> None:
    now = 1_700_000_000 * 10**9
    p = pod("x", node="n", termination_grace_seconds=30)
    p["metadata"]["deletionTimestamp"] = "2023-11-14T22:13:50Z"  # now + 30 s
    p["metadata"]["deletionGracePeriodSeconds"] = 30
    p["status"] = {"phase": "Running"}
    general = explain_delay(load_stages(["pod/general"], from_config=False).stages, p, now_ns=now)
    c = general.candidate("pod-delete")
    assert c is not None and c.delay == [1_000_000_000, 30_000_000_000]
    text = str(general)
    assert "pod-delete (p=1.00): acts after a random 1s to 30.0s (uniform)" in text
    assert "jitterDurationFrom .metadata.deletionTimestamp → jq: timestamp 2023-11-14T22:13:50Z" in text
    assert "end of the deletion grace period (deletionGracePeriodSeconds=30)" in text
    assert len(general.causes) == 1  # the empty delay annotation is not presented as a cause
    fast = explain_delay(load_stages(["pod/fast"], from_config=False).stages, p, now_ns=now)
    assert "pod-delete (p=1.00): acts at once (no delay)" in str(fast) and not fast.causes
    p["metadata"].pop("deletionTimestamp")
    p["status"] = {"phase": "Succeeded"}
    assert "no stage matches" in str(explain_delay(load_stages(["pod/fast"]).stages, p, now_ns=now))

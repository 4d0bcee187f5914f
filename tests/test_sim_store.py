"""Properties of the simulator's API server: versions, watch order, graceful deletion, patches."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kwokbook.backend import DELETED, NODES, PODS, WatchEvent
from kwokbook.k8s.patch import json_patch, merge_patch, strategic_merge_patch
from kwokbook.sim.clock import VirtualClock
from kwokbook.sim.objects import pod
from kwokbook.sim.store import ApiError, ObjectStore

ops = st.lists(st.tuples(st.sampled_from(["create", "label", "noop", "finalize", "delete", "unfinalize"]),
                         st.integers(0, 4)), max_size=60)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_versions_monotonic_watch_complete_and_deletion_waits_for_finalizers(steps: list[tuple[str, int]]) -> None:
    clock = VirtualClock()
    store = ObjectStore(clock, random.Random(7))
    seen: list[WatchEvent] = []
    ops_of: list[str] = []  # the operation that caused each event
    current = [""]
    store.watch(PODS, lambda ev: (seen.append(ev), ops_of.append(current[0])))
    for op, i in steps:
        current[0] = op
        name = f"p{i}"
        clock.advance_to(clock.now_ns() + 1_000_000)
        try:
            if op == "create":
                store.create(pod(name, node="n", finalizers=["x"] if i % 2 else ()))
            elif op == "label":
                store.patch(PODS, name, {"metadata": {"labels": {"k": str(clock.now_ns())}}}, "merge")
            elif op == "noop":
                cur = store.get(PODS, name)
                before = store.resource_version
                store.patch(PODS, name, {"metadata": {"name": name}}, "merge")
                assert store.resource_version == before  # a no-op is not a change
                assert store.get(PODS, name) == cur
            elif op == "finalize":
                store.patch(PODS, name, {"metadata": {"finalizers": ["x", "y"]}}, "merge")
            elif op == "unfinalize":
                store.patch(PODS, name, {"metadata": {"finalizers": None}}, "merge")
            elif op == "delete":
                store.delete(PODS, name, grace_period_seconds=0)
        except ApiError as e:
            assert e.code in (404, 409, 422)  # 422: no new finalizers on a deleting object (API server)
    versions = [int(ev.resource_version) for ev in seen]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # monotonic, no duplicates
    assert seen == store.history  # watchers saw every event, in order, nothing skipped
    for ev, op in zip(seen, ops_of, strict=True):
        if ev.type == DELETED and ev.object["metadata"].get("finalizers"):
            # the API server deletes on the update that removes the last finalizer; its DELETED event
            # carries the last *stored* state, finalizers included (checked on kube-apiserver v1.36)
            assert op == "unfinalize"  # gone only once finalizers are gone
    live = {p["metadata"]["name"] for p in store.list(PODS)}
    last: dict[str, str] = {}
    for ev in seen:
        last[ev.name] = ev.type
    assert live == {n for n, t in last.items() if t != DELETED}


def test_graceful_pod_deletion_sets_deletion_timestamp() -> None:
    clock = VirtualClock()
    store = ObjectStore(clock, random.Random(1))
    store.create(pod("a", node="n"))
    store.create(pod("b"))  # never scheduled
    after = store.delete(PODS, "a")
    assert after is not None and after["metadata"]["deletionGracePeriodSeconds"] == 30
    assert after["metadata"]["deletionTimestamp"] == "2024-01-01T00:00:30Z"
    assert store.delete(PODS, "b") is None and store.get(PODS, "b") is None
    assert store.delete(PODS, "a", grace_period_seconds=0) is None


def test_status_subresource_only_changes_status() -> None:
    store = ObjectStore(VirtualClock(), random.Random(1))
    store.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}})
    obj, changed = store.patch(NODES, "n", {"metadata": {"labels": {"x": "y"}}, "status": {"phase": "Running"}},
                               "merge", subresource="status")
    # stored as the API server stores a Node (Go struct defaults appear), only .status changed
    assert changed and obj["status"]["phase"] == "Running" and "labels" not in obj["metadata"]
    obj, changed = store.patch(NODES, "n", {"status": {"phase": "Pending"}}, "merge")
    assert not changed and obj["status"]["phase"] == "Running"  # the main resource ignores status


def test_merge_and_json_patches() -> None:
    assert merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"b": None, "d": [1]}}) == {"a": {"c": 2, "d": [1]}}
    doc = {"metadata": {"finalizers": ["a", "b"], "labels": {"x/y": "1"}}}
    assert json_patch(doc, [{"op": "remove", "path": "/metadata/finalizers/0"},
                            {"op": "add", "path": "/metadata/finalizers/-", "value": "c"},
                            {"op": "remove", "path": "/metadata/labels/x~1y"}]) == {
        "metadata": {"finalizers": ["b", "c"], "labels": {}}}


def test_strategic_merge_keeps_other_conditions_and_replaces_container_statuses() -> None:
    cur = {"status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "PodScheduled", "status": "True"}],
                      "containerStatuses": [{"name": "a", "ready": False}, {"name": "b", "ready": False}]}}
    out = strategic_merge_patch(cur, {"status": {"conditions": [{"type": "Ready", "status": "True"}],
                                                 "containerStatuses": [{"name": "a", "ready": True}]}}, "Pod")
    assert out["status"]["conditions"] == [{"type": "Ready", "status": "True"},
                                           {"type": "PodScheduled", "status": "True"}]
    assert out["status"]["containerStatuses"] == [{"name": "a", "ready": True}]
    # a merge patch replaces the whole list
    assert merge_patch(cur, {"status": {"conditions": [{"type": "Ready"}]}})["status"]["conditions"] == [
        {"type": "Ready"}]

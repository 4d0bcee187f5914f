"""The "~30 s" delete: why `kubectl delete pod` takes long with KWOK's general stages, and not with the fast set.

KWOK's general ``pod-delete`` stage waits ``durationMilliseconds: 1000`` with
``jitterDurationFrom: .metadata.deletionTimestamp``: a random moment between 1 s and the end of the
pod's deletion grace period (``terminationGracePeriodSeconds``, 30 s by default). The fast
``pod-delete`` has no delay. Here the grace period is 8 s to keep the suite quick; the mechanism
is the same.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from e2e_util import running_and_ready, wait_for

from kwokbook.backend import DELETED, PODS
from kwokbook.cluster import apply_stages, live_stages
from kwokbook.cluster.explain import explain_delay
from kwokbook.sim.objects import pod
from kwokbook.stage import preview

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]

GRACE = 8
PODS_N = 4


def _delete_and_time(kc: Any, ns: str, names: list[str]) -> tuple[dict[str, float],
                                                                   dict[str, tuple[dict[str, Any], int]]]:
    """Delete pods like `kubectl delete` (default grace); seconds until each DELETED event, and each
    pod as it looked right after the delete (deletionTimestamp set) with the time it was read."""
    gone: dict[str, float] = {}
    w = kc.watch(PODS, namespace=ns)

    def run() -> None:
        for ev in w:
            if ev.type == DELETED:
                gone[ev.name] = time.monotonic()

    th = threading.Thread(target=run, daemon=True)
    th.start()
    wait_for(w.listed.is_set, 10, "watch listed")
    started: dict[str, float] = {}
    deleting: dict[str, tuple[dict[str, Any], int]] = {}
    try:
        for n in names:
            kc.delete(PODS, n, namespace=ns)
            started[n] = time.monotonic()
            obj = kc.get(PODS, n, namespace=ns)
            if obj is not None:
                deleting[n] = (obj, kc.now_ns())
        wait_for(lambda: set(gone) >= set(names), GRACE + 15, "every pod to be deleted")
    finally:
        w.stop()
        th.join(5)
    return {n: gone[n] - started[n] for n in names}, deleting


def _make_pods(kc: Any, ns: str, node: str, prefix: str) -> list[str]:
    names = [f"{prefix}-{i}" for i in range(PODS_N)]
    for n in names:
        kc.create(pod(n, namespace=ns, node=node, termination_grace_seconds=GRACE))
    wait_for(lambda: all(running_and_ready(kc.get(PODS, n, namespace=ns)) for n in names), 30, "pods Running")
    return names


def test_general_pod_delete_waits_up_to_the_grace_period(kc: Any, ns: str, kwok_node: str,
                                                          stages_restored: Any) -> None:
    [ch] = apply_stages(kc, "pod/general/pod-delete.yaml")
    assert ch.action == "configured"  # replaces the fast pod-delete of the same name
    names = _make_pods(kc, ns, kwok_node, "slow")
    took, deleting = _delete_and_time(kc, ns, names)
    print("\ngeneral pod-delete: " + ", ".join(f"{n} {s:.1f}s" for n, s in took.items()))
    for n, s in took.items():
        assert 0.95 <= s <= GRACE + 2.0, f"{n} deleted after {s:.2f}s, outside [1 s, grace {GRACE} s]"
    # kwokbook explains the wait from the live stages and the live (deleting) pod
    stages = live_stages(kc)
    assert deleting, "no pod could be read between its delete and KWOK's"
    some, now = next(iter(deleting.values()))
    assert some["metadata"]["deletionTimestamp"] and some["metadata"]["deletionGracePeriodSeconds"] == GRACE
    pv = preview(stages, some, now_ns=now)
    [cand] = [c for c in pv.candidates if c.name == "pod-delete"]
    assert cand.delay is not None and len(cand.delay) == 2
    assert cand.delay[0] == 1_000_000_000
    assert 0 < cand.delay[1] <= GRACE * 1_000_000_000  # jitter: up to the deletionTimestamp
    assert some["metadata"]["deletionTimestamp"] in cand.jitter_source
    text = str(explain_delay(stages, some, now_ns=now))
    assert "jitterDurationFrom .metadata.deletionTimestamp" in text
    assert "deletion grace period" in text and f"deletionGracePeriodSeconds={GRACE}" in text
    assert "fast pod-delete stage has no delay" in text


def test_fast_pod_delete_is_immediate(kc: Any, ns: str, kwok_node: str, stages_restored: Any) -> None:
    [ch] = apply_stages(kc, "pod/fast/pod-delete.yaml")
    assert ch.action in ("unchanged", "configured")
    names = _make_pods(kc, ns, kwok_node, "quick")
    took, deleting = _delete_and_time(kc, ns, names)
    print("\nfast pod-delete: " + ", ".join(f"{n} {s * 1000:.0f}ms" for n, s in took.items()))
    assert max(took.values()) < 0.9, took
    for obj, now in deleting.values():  # if we caught one in the act, the explanation says "at once"
        text = str(explain_delay(kc, obj, now_ns=now))
        assert "pod-delete" in text and "acts at once (no delay)" in text

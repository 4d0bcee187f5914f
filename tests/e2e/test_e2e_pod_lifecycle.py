"""KWOK's default fast stages on real objects: a Job's pod runs to completion; finalizers hold deletion."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from e2e_util import phase, running_and_ready, wait_for

from kwokbook.backend import DELETED, JOBS, PODS, WatchEvent
from kwokbook.sim.objects import KWOK_TOLERATION, pod

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]


class Collector:
    """A watch in a thread, keeping every event (stopped by ``close``)."""

    def __init__(self, kc: Any, resource: Any, **kw: Any) -> None:
        self.events: list[WatchEvent] = []
        self.watch = kc.watch(resource, **kw)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        wait_for(self.watch.listed.is_set, 10, "the initial list")

    def _run(self) -> None:
        for ev in self.watch:
            self.events.append(ev)

    def close(self) -> None:
        self.watch.stop()
        self.thread.join(5)
        assert not self.thread.is_alive()


def test_job_pod_goes_pending_running_succeeded(kc: Any, ns: str, kwok_node: str) -> None:
    job = {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "fast-job", "namespace": ns},
        "spec": {"backoffLimit": 0, "template": {"metadata": {"labels": {"app": "fast-job"}}, "spec": {
            "restartPolicy": "Never", "tolerations": [KWOK_TOLERATION],
            "nodeSelector": {"type": "kwok", "kubernetes.io/hostname": kwok_node},  # other tests' nodes exist
            "containers": [{"name": "work", "image": "registry.example/work:1"}]}}},
    }
    col = Collector(kc, PODS, namespace=ns, label_selector="app=fast-job")
    try:
        kc.create(job)
        wait_for(lambda: ((kc.get(JOBS, "fast-job", namespace=ns) or {}).get("status") or {}).get("succeeded") == 1,
                 60, "the Job to count one succeeded pod")
        wait_for(lambda: any(phase(e.object) == "Succeeded" for e in col.events), 10, "the Succeeded event")
    finally:
        col.close()
    pods = {e.name for e in col.events}
    assert len(pods) == 1, pods  # one pod, no retries
    phases: list[str] = []
    for e in col.events:
        p = phase(e.object)
        if p and (not phases or phases[-1] != p):
            phases.append(p)
    assert phases == ["Pending", "Running", "Succeeded"]
    done = next(e.object for e in col.events if phase(e.object) == "Succeeded")
    assert done["spec"]["nodeName"] == kwok_node  # placed by the real scheduler onto the KWOK node
    [cs] = done["status"]["containerStatuses"]
    assert cs["state"]["terminated"]["exitCode"] == 0 and cs["state"]["terminated"]["reason"] == "Completed"
    job_status = kc.get(JOBS, "fast-job", namespace=ns)["status"]
    assert any(c["type"] == "Complete" and c["status"] == "True" for c in job_status.get("conditions") or [])
    kc.delete(JOBS, "fast-job", namespace=ns, propagation_policy="Background")


def test_deletion_waits_for_finalizer(kc: Any, ns: str, kwok_node: str) -> None:
    kc.create(pod("held", namespace=ns, node=kwok_node, finalizers=["kwokbook.test/hold"]))
    wait_for(lambda: running_and_ready(kc.get(PODS, "held", namespace=ns)), 30, "pod Running")
    col = Collector(kc, PODS, namespace=ns)
    try:
        kc.delete(PODS, "held", namespace=ns)  # like `kubectl delete pod held`: default grace period
        # KWOK's fast pod-delete deletes it at once (grace 0) — the finalizer keeps it, Terminating
        held = wait_for(lambda: (p := kc.get(PODS, "held", namespace=ns)) and
                        p["metadata"].get("deletionGracePeriodSeconds") == 0 and p, 10,
                        "KWOK's delete with grace 0")
        assert held["metadata"]["deletionTimestamp"]
        time.sleep(1.5)
        still = kc.get(PODS, "held", namespace=ns)
        assert still is not None and still["metadata"]["finalizers"] == ["kwokbook.test/hold"]
        assert not any(e.type == DELETED for e in col.events)
        t0 = time.monotonic()
        kc.patch(PODS, "held", [{"op": "remove", "path": "/metadata/finalizers"}], namespace=ns, patch_type="json")
        wait_for(lambda: any(e.type == DELETED and e.name == "held" for e in col.events), 10, "the pod to go")
        assert time.monotonic() - t0 < 5
        assert kc.get(PODS, "held", namespace=ns) is None
    finally:
        col.close()
        if kc.get(PODS, "held", namespace=ns) is not None:
            kc.patch(PODS, "held", {"metadata": {"finalizers": None}}, namespace=ns)

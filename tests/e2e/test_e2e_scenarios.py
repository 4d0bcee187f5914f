"""The backend-neutral scenarios (tests/scenarios.py) on the real cluster, with the simulator's assertions.

tests/test_sim_scenarios.py runs the same functions on the embedded simulator; here they meet real
KWOK, so a scenario that only works on kwokbook's re-enactment fails.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests import scenarios

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]


@pytest.fixture
def prefix() -> str:
    return f"sc{uuid.uuid4().hex[:5]}-"


def test_job_pod_lifecycle_needs_a_real_job(kc: Any, prefix: str) -> None:
    """A difference the simulator does not show: ``scenarios.job_pod_lifecycle`` makes a pod whose
    ownerReference names a Job that does not exist; on a real cluster kube-controller-manager's
    garbage collector deletes it within milliseconds — sometimes before KWOK's stages run it to
    Succeeded, sometimes just after — so waiting for Succeeded there is a race. Nobody but the
    garbage collector deletes the pod here. (The lifecycle with a real Job is
    test_e2e_pod_lifecycle.py::test_job_pod_goes_pending_running_succeeded.)"""
    rec = scenarios.run_recorded(kc, _orphan_job_pod, prefix)
    seq = rec.sequences()[f"Pod/{prefix}job-0"]
    assert seq[-1][5], "the orphan ends deleted"


def _orphan_job_pod(c: Any, p: str) -> None:
    from kwokbook.backend import PODS
    from kwokbook.sim.objects import job_pod, kwok_node

    c.create(kwok_node(f"{p}node"))
    scenarios.wait_for(c, lambda: scenarios.node_ready(c, f"{p}node"), 60, "node Ready")
    c.create(job_pod(f"{p}job-0", node=f"{p}node", owner_name=f"{p}job"))
    scenarios.wait_for(c, lambda: c.get(PODS, f"{p}job-0", namespace="default") is None, 30,
                       "the garbage collector to delete the orphan")
    scenarios.cleanup(c, nodes=[f"{p}node"])


def test_deletion_waits_for_finalizer(kc: Any, prefix: str) -> None:
    rec = scenarios.run_recorded(kc, scenarios.deletion_with_finalizer, prefix)
    seq = rec.sequences()[f"Pod/{prefix}pod"]
    deleting = [s for s in seq if s[4]]
    assert deleting and seq[-1][5]


def test_label_triggered_restart_fires_every_time(kc: Any, prefix: str) -> None:
    assert scenarios.label_triggered_restart(kc, prefix, times=4) == [2, 4, 6, 8]


def test_chaos_container_failure(kc: Any, prefix: str) -> None:
    scenarios.run_recorded(kc, scenarios.chaos_container_failure, prefix)


def test_node_not_ready(kc: Any, prefix: str) -> None:
    scenarios.run_recorded(kc, scenarios.node_not_ready, prefix)

"""Watch resilience: kube-apiserver is killed and started again while kwokbook records.

The recorder's watches lose their connections, retry with backoff, and resume from the last
resourceVersion — or re-list (a RESYNC line) if the restarted server no longer has it. Changes
made right after the restart must all arrive: at the end, the recorded state of every pod equals
the real object (same resourceVersion), and deleted pods are recorded as deleted.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_util import is_ready, running_and_ready, wait_for

from kwokbook.backend import NODES, PODS
from kwokbook.cluster.record import Recorder
from kwokbook.sim.objects import kwok_node as kwok_node_doc
from kwokbook.sim.objects import pod
from kwokbook.timeline import read_timeline

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(240)]

COMPONENT = Path(__file__).resolve().parents[2] / "tools" / "cluster" / "component.sh"


def component(action: str, name: str, cluster: str) -> float:
    t0 = time.monotonic()
    r = subprocess.run(["bash", str(COMPONENT), action, name, cluster], check=False, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode == 0, f"component.sh {action} {name}: {r.stderr[-2000:]}"
    return time.monotonic() - t0


@pytest.fixture
def kwok_recovers(kc: Any, kwok_node: str) -> Iterator[None]:
    """After the test, wait until KWOK acts on pods and nodes again (its client-go watches back off
    after an outage: up to ~30 s), so later tests see a normal cluster."""
    yield
    probe = f"probe-{int(time.time())}"
    t0 = time.monotonic()
    kc.create(pod(probe, namespace="default", node=kwok_node))
    kc.create(kwok_node_doc(probe))
    try:
        wait_for(lambda: running_and_ready(kc.get(PODS, probe, namespace="default")), 90, "KWOK to run pods again")
        wait_for(lambda: is_ready(kc.get(NODES, probe)), 90, "KWOK to initialise nodes again")
    finally:
        kc.delete(PODS, probe, namespace="default", grace_period_seconds=0, missing_ok=True)
        kc.delete(NODES, probe, missing_ok=True)
    print(f"KWOK acting again {time.monotonic() - t0:.1f}s after the test")


def test_recording_survives_apiserver_restart(kc: Any, ns: str, kwok_node: str, tmp_path: Path,
                                              kwok_recovers: None) -> None:
    for i in range(3):
        kc.create(pod(f"a{i}", namespace=ns, node=kwok_node, labels={"step": "0"}))
    wait_for(lambda: all(running_and_ready(kc.get(PODS, f"a{i}", namespace=ns)) for i in range(3)), 30, "Running")
    out_path = tmp_path / "timeline.jsonl"
    with open(out_path, "w", encoding="utf-8") as out:
        rec = Recorder(kc, out, resources=[PODS], namespace=ns, retry_delay=0.2, max_retry_delay=1.0).start()
        try:
            assert {k[2] for k in rec.final_states()} == {"a0", "a1", "a2"}
            stopped = component("stop", "kube-apiserver", kc.info.name)
            time.sleep(1.0)
            started = component("start", "kube-apiserver", kc.info.name)
            # changes right after the restart, while the watch is still reconnecting
            for step in range(1, 6):
                kc.patch(PODS, "a0", {"metadata": {"labels": {"step": str(step)}}}, namespace=ns)
            kc.delete(PODS, "a1", namespace=ns, grace_period_seconds=0)
            kc.patch(PODS, "a2", {"metadata": {"annotations": {"touched": "after-restart"}}}, namespace=ns)
            for i in range(2):
                kc.create(pod(f"b{i}", namespace=ns, node=kwok_node))

            def caught_up() -> bool:
                real = {p["metadata"]["name"]: p["metadata"]["resourceVersion"]
                        for p in kc.list(PODS, namespace=ns).items}
                seen = {k[2]: v["metadata"]["resourceVersion"] for k, v in rec.final_states().items()}
                return real == seen

            wait_for(caught_up, 60, "the recording to match the live pods")
        finally:
            summary = rec.stop()
    print(f"\napiserver stop {stopped:.1f}s, start {started:.1f}s; {summary}")
    assert summary.reconnects >= 1, "the watch never noticed the restart"
    final = rec.final_states()
    assert {k[2] for k in final} == {"a0", "a2", "b0", "b1"}
    assert final[("Pod", ns, "a0")]["metadata"]["labels"]["step"] == "5"
    assert final[("Pod", ns, "a2")]["metadata"]["annotations"]["touched"] == "after-restart"
    # the file says the same as the recorder (pods may have moved on since: KWOK is running them)
    last: dict[str, Any] = {}
    for tr in read_timeline(out_path):
        if tr.event != "RESYNC":
            last[tr.name] = tr
    assert last["a1"].deleted
    for name in ("a0", "a2", "b0", "b1"):
        assert last[name].resource_version == final[("Pod", ns, name)]["metadata"]["resourceVersion"]
    resyncs = [tr for tr in read_timeline(out_path) if tr.event == "RESYNC"]
    assert len(resyncs) == summary.resyncs

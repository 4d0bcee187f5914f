"""The recorder on the simulator: timeline lines as events happen, final states, the same format as simulate."""

from __future__ import annotations

import io
import json

from kwokbook.cluster.record import Recorder, record
from kwokbook.sim import Simulator
from kwokbook.timeline import Transition


def test_records_pods_and_nodes_as_timeline_lines() -> None:
    sim = Simulator("fast", seed=2)
    sim.add_node("n0")
    out = io.StringIO()
    rec = Recorder(sim, out).start()
    assert [(t.kind, t.name, t.event) for t in rec.transitions] == [("Node", "n0", "ADDED")]
    sim.add_pod("p0", node="n0")
    sim.add_job_pod("j-0", node="n0", owner_name="j")
    summary = rec.run_for(10)
    assert summary.by_kind["Pod"] >= 4 and summary.resyncs == 0
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(lines) == summary.transitions == len(rec.transitions)
    assert all(x["v"] == 1 for x in lines)
    job = [Transition(**{k: v for k, v in x.items() if k != "v"}) for x in lines if x["name"] == "j-0"]
    phases = [t.phase for t in job]
    assert phases[0] is None or phases[0] == "Pending"
    assert "Running" in phases and phases[-1] == "Succeeded"
    final = rec.final_states()
    assert final[("Pod", "default", "j-0")]["status"]["phase"] == "Succeeded"
    assert set(final) == {("Node", "", "n0"), ("Pod", "default", "p0"), ("Pod", "default", "j-0")}
    assert "recorded" in str(summary) and "Pod=" in str(summary)


def test_record_helper_and_deletions() -> None:
    sim = Simulator("fast", seed=2)
    sim.add_node("n0")
    sim.add_pod("p0", node="n0")
    sim.run_for(1)
    rec = Recorder(sim, resources=["pods"]).start()
    sim.delete("pods", "p0", namespace="default")
    rec.run_for(5)
    assert rec.transitions[-1].deleted and rec.final_states() == {}
    rec2, summary = record(sim, 1.0, resources=["nodes"])
    assert summary.by_kind == {"Node": 1} and rec2.transitions[0].kind == "Node"


def test_change_log_prints_visible_changes_only() -> None:
    from kwokbook.backend import ADDED, MODIFIED, PODS, RESYNC, WatchEvent
    from kwokbook.timeline import ChangeLog, transition_from_event

    def ev(kind: str, status: dict[str, object], labels: dict[str, str] | None = None, t: int = 0) -> WatchEvent:
        obj = {"kind": "Pod", "metadata": {"name": "p", "namespace": "ns", "labels": labels or {}},
               "spec": {"nodeName": "n0"}, "status": status}
        return WatchEvent(kind, obj, PODS, observed_ns=t * 10**9)

    log = ChangeLog()
    lines = [log.line(transition_from_event(e, 0)) for e in (
        ev(ADDED, {"phase": "Pending"}),
        ev(MODIFIED, {"phase": "Pending"}, {"x": "y"}, 1),  # a label: no visible change
        ev(MODIFIED, {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}, t=2),
        ev(RESYNC, {}, t=3),
    )]
    assert lines[0] is not None and lines[0].endswith("Pod ns/p" + " " * 28 + " Pending (on n0)")
    assert lines[1] is None
    assert lines[2] is not None and lines[2].startswith("    2.000s") and lines[2].endswith("Running Ready")
    assert lines[3] == "    3.000s  RESYNC (Pods): re-listed; changes in between may be merged"

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

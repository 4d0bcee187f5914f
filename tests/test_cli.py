"""The `kwokbook` command: outputs, exit codes, and one-line errors with locations (never a traceback)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "kwok" / "stages"
POD = ROOT / "kwokbook" / "data" / "objects" / "pod-pending.yaml"


def kwokbook(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kwokbook", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=300)


def test_help_lists_every_command() -> None:
    r = kwokbook("--help")
    assert r.returncode == 0
    for cmd in ("render", "preview", "test", "simulate", "record", "cluster"):
        assert cmd in r.stdout


def test_preview_matches_kwok_golden_file() -> None:
    inp = SHARED / "pod" / "general" / "testdata" / "pod-ready.input.yaml"
    r = kwokbook("preview", "--stages", str(SHARED / "pod" / "general"), str(inp), "--no-warnings")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (SHARED / "pod" / "general" / "testdata" / "pod-ready.output.yaml").read_text()


def test_preview_explain_and_json() -> None:
    r = kwokbook("preview", "--stages", "general", str(POD), "--explain", "--no-warnings")
    assert r.returncode == 0, r.stderr
    assert "# why:" in r.stdout and "pod-ready" in r.stdout and "✗" in r.stdout
    j = kwokbook("preview", "--stages", "general", str(POD), "--format", "json", "--no-warnings")
    doc = json.loads(j.stdout)
    # the pending pod has no podIP yet, so pod-create matches too: weight 1 each, a coin toss in KWOK
    assert [(c["stage"], c["probability"]) for c in doc["candidates"]] == [("pod-create", 0.5), ("pod-ready", 0.5)]
    assert doc["candidates"][1]["delay"] == [1_000_000_000, 5_000_000_000]
    failed = {s["stage"]: s for s in doc["stages"]}["pod-complete"]
    assert not failed["matched"] and any(not q["held"] for q in failed["requirements"])


def test_test_command_on_kwoks_own_sets(tmp_path: Path) -> None:
    shutil.copytree(SHARED / "pod" / "general", tmp_path / "general")
    r = kwokbook("test", str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "7 passed, 0 failed" in r.stdout
    out = tmp_path / "general" / "testdata" / "pod-ready.output.yaml"
    out.write_text(out.read_text().replace("phase: Running", "phase: Runnin"))
    r = kwokbook("test", str(tmp_path), "-q")
    assert r.returncode == 1 and "6 passed, 1 failed" in r.stdout
    assert "-        phase: Runnin\n+        phase: Running" in r.stdout  # a unified diff, expected first


def test_render_json_and_errors(tmp_path: Path) -> None:
    r = kwokbook("render", str(ROOT / "kwokbook/data/stages/pod/general/pod-ready.yaml"), "--data", str(POD),
                 "--json", "--now", "2024-05-06T07:08:09Z", "--profile", "pod")
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["phase"] == "Running" and body["startTime"] == "2024-05-06T07:08:09Z"
    bad = tmp_path / "bad.tpl"
    bad.write_text("ok\n{{ .metadata.name | repeat -1 }}\n")
    r = kwokbook("render", str(bad), "--data", str(POD))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "error calling repeat: strings: negative Repeat count" in r.stderr
    assert f"{bad}:2:" in r.stderr and "^" in r.stderr


def test_broken_stage_is_reported_with_locations(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata: {name: s}\nspec:\n"
                 "  resourceRef: {apiGroup: v1, kind: Pod}\n  selector:\n    matchExpressions:\n"
                 "    - jq: {key: '.a[', operator: Exists}\n")
    r = kwokbook("preview", "--stages", str(f), str(POD))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{f}:8:" in r.stderr and "spec.selector.matchExpressions[0].jq.key" in r.stderr


def test_simulate_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        r = kwokbook("simulate", "--stages", "general", "--nodes", "2", "--pods", "4", "--job-pods", "2", "--for",
                     "90s", "--seed", "4", "--timeline", str(out), "-q")
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 0
    phases = {json.loads(line)["phase"] for line in a.read_text().splitlines()}
    assert {"Pending", "Running", "Succeeded"} <= phases


@pytest.mark.parametrize("args", [["simulate", "--for", "ten minutes"], ["preview", "--stages", "nope/nope", "x"]])
def test_usage_errors_are_one_line(args: list[str]) -> None:
    r = kwokbook(*args)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.strip()


def test_warnings_only_for_the_users_own_files(tmp_path: Path) -> None:
    r = kwokbook("preview", "--stages", "general", str(POD))
    assert r.returncode == 0 and r.stderr == "", "KWOK's own sets use deprecated forms; nobody can act on that"
    mine = tmp_path / "pod-ready.yaml"
    shutil.copy(SHARED / "pod" / "general" / "pod-ready.yaml", mine)
    r = kwokbook("preview", "--stages", str(mine), str(POD))
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"{mine}:11:7 spec.selector.matchExpressions[0]: warning: the flat key/operator/values")


def test_preview_controller_mode() -> None:
    j = kwokbook("preview", "--controller", "--stages", "general", str(POD), "--format", "json")
    doc = json.loads(j.stdout)
    types = {a["type"] for c in doc["candidates"] for a in c["actions"] if a["kind"] == "patch"}
    assert types == {"application/strategic-merge-patch+json"}


def test_simulate_makes_a_node_when_pods_need_one() -> None:
    r = kwokbook("simulate", "--pods", "1", "--for", "10s")
    assert r.returncode == 0, r.stderr
    assert "created kwok-node-0" in r.stderr and "Running=1" in r.stderr
    assert "Pod default/pod-0" in r.stdout and r.stdout.rstrip().endswith("Running Ready")
    r = kwokbook("simulate", "--pods", "1", "--nodes", "0", "--for", "10s")
    assert "Pending=1" in r.stderr and r.stdout.rstrip().endswith("Pending (unschedulable)")

"""Safety refusals on a real cluster, and the CLI against it (cluster status/up/stages/diff/trigger, record)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from e2e_util import RESTART_STAGE, running_and_ready, wait_for

from kwokbook.backend import PODS, STAGES
from kwokbook.cluster import apply_stages, delete_stages
from kwokbook.cluster.kube import KubeCluster
from kwokbook.errors import NotKwokClusterError
from kwokbook.sim.objects import pod
from kwokbook.triggers import trigger

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kwokbook", *args], check=False, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def test_refuses_a_cluster_not_known_to_be_kwok(kc: Any, ns: str, kwok_node: str) -> None:
    """A KubeCluster whose info says "not KWOK" (no detect_kwok evidence) is refused, and nothing changes."""
    kc.create(pod("guarded", namespace=ns, node=kwok_node, labels={"app": "guarded"}))
    before = wait_for(lambda: running_and_ready(p := kc.get(PODS, "guarded", namespace=ns)) and p, 30, "Running")
    blind = KubeCluster(kc.kubeconfig)  # connected, but nobody looked: info.is_kwok is False
    assert blind.info.is_kwok is False
    with pytest.raises(NotKwokClusterError) as err:
        trigger(blind, "restart.stage.kwok", "true", names="guarded", namespace=ns)
    text = str(err.value)
    assert "does not look like a KWOK cluster" in text and "force=True" in text and "detect_kwok" in text
    with pytest.raises(NotKwokClusterError):
        apply_stages(blind, RESTART_STAGE)
    with pytest.raises(NotKwokClusterError):
        delete_stages(blind, "pod-ready")
    after = kc.get(PODS, "guarded", namespace=ns)
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert blind.get(STAGES, "pod-restart") is None
    # the explicit override goes through (and so does the same call once the evidence is in)
    res = trigger(blind, "kwokbook.test/forced", "yes", names="guarded", namespace=ns, force=True, wait=0)
    assert res.outcomes[0].error is None and res.outcomes[0].patch == [
        {"op": "add", "path": "/metadata/labels/kwokbook.test~1forced", "value": "yes"}]
    blind.detect_kwok()
    assert blind.info.is_kwok and any("Stage CRD" in e for e in blind.info.evidence)
    trigger(blind, "kwokbook.test/forced", None, names="guarded", namespace=ns, wait=0)
    assert kc.get(PODS, "guarded", namespace=ns)["metadata"]["labels"] == {"app": "guarded"}
    blind.close()


def test_cluster_status_and_up_reuse(kc: Any) -> None:
    st = cli("cluster", "status", "--name", kc.info.name)
    assert st.returncode == 0, st.stderr
    lines = st.stdout.strip().splitlines()
    assert lines[-1] == f"running {kc.kubeconfig}"
    assert any(line.startswith("kube-apiserver running pid=") for line in lines)
    t0 = time.monotonic()
    up = cli("cluster", "up", "--name", kc.info.name)
    took = time.monotonic() - t0
    assert up.returncode == 0, up.stderr
    assert up.stdout.strip().splitlines()[-1] == kc.kubeconfig  # the LAST line is the kubeconfig path
    assert "exists" in up.stderr and "starting any stopped component" in up.stderr  # reused, not re-created
    print(f"\n`kwokbook cluster up` on the running cluster: {took:.1f}s")
    absent = cli("cluster", "status", "--name", "kwokbook-no-such-cluster")
    assert absent.returncode == 2 and absent.stdout.strip() == "absent"


def test_cli_stages_diff_apply_trigger(kc: Any, ns: str, kwok_node: str, stages_restored: Any) -> None:
    conn = ["--kubeconfig", kc.kubeconfig]
    d = cli("cluster", "diff", str(RESTART_STAGE), *conn)
    assert d.returncode == 1 and "stage pod-restart: create" in d.stdout and "+kind: Stage" in d.stdout
    a = cli("cluster", "apply", str(RESTART_STAGE), *conn)
    assert a.returncode == 0 and a.stdout.strip() == "stage.kwok.x-k8s.io/pod-restart created", a.stderr
    d2 = cli("cluster", "diff", str(RESTART_STAGE), *conn)
    assert d2.returncode == 0 and "stage pod-restart: unchanged" in d2.stdout
    ls = cli("cluster", "stages", *conn)
    assert "pod-restart" in ls.stdout and "pod-ready" in ls.stdout
    kc.create(pod("cli", namespace=ns, node=kwok_node, labels={"app": "cli"}))
    wait_for(lambda: running_and_ready(kc.get(PODS, "cli", namespace=ns)), 30, "Running")
    t = cli("cluster", "trigger", "restart.stage.kwok=true", "cli", "-n", ns, *conn)
    assert t.returncode == 0, t.stderr
    assert f"{ns}/cli" in t.stdout and "patch → first transition" in t.stdout
    p = wait_for(lambda: (x := kc.get(PODS, "cli", namespace=ns)) and
                 x["status"]["containerStatuses"][0]["restartCount"] == 1 and x, 10, "restart")
    assert "restart.stage.kwok" not in p["metadata"]["labels"]
    rm = cli("cluster", "delete-stage", "pod-restart", *conn)
    assert rm.returncode == 0 and "deleted" in rm.stdout


def test_record_cli_writes_the_timeline(kc: Any, ns: str, kwok_node: str, tmp_path: Path) -> None:
    out = tmp_path / "rec.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "kwokbook", "record", "--kubeconfig", kc.kubeconfig,
                             "--for", "6s", "--timeline", str(out), "-n", ns, "--resources", "pods"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    errs: list[str] = []
    outs: list[str] = []
    readers = [threading.Thread(target=lambda: errs.extend(proc.stderr or []), daemon=True),
               threading.Thread(target=lambda: outs.extend(proc.stdout or []), daemon=True)]
    for r in readers:
        r.start()
    wait_for(lambda: any("recording" in e for e in errs), 20, "the recorder to start")
    time.sleep(1.0)  # the initial list is done well before this
    kc.create(pod("rec", namespace=ns, node=kwok_node))
    wait_for(lambda: running_and_ready(kc.get(PODS, "rec", namespace=ns)), 20, "Running")
    kc.delete(PODS, "rec", namespace=ns)
    proc.wait(timeout=60)
    for r in readers:
        r.join(5)
    stdout = "".join(outs)
    assert proc.returncode == 0, "".join(errs)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    mine = [x for x in lines if x["name"] == "rec"]
    assert mine and mine[0]["event"] == "ADDED" and mine[-1]["deleted"] is True
    phases = [x["phase"] for x in mine if x["phase"]]
    assert "Running" in phases
    assert all(x["kind"] == "Pod" and x["namespace"] == ns and x["v"] == 1 for x in lines)
    assert [x["t"] for x in lines] == sorted(x["t"] for x in lines)
    assert "Pod " + ns + "/rec" in stdout and "deleted" in stdout  # the human log
    assert any("recorded" in e and "transition" in e for e in errs)

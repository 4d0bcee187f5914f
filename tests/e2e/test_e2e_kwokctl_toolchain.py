"""`kwokbook cluster up/down` with a kwokctl from PATH (not the checkout's scripts).

The pinned kwokctl is put on PATH with the ``KWOK_*`` variables a user of the binary runtime
would set, and kwokctl's work dir is a temporary one whose ``kwok.yaml`` (loaded by kwokctl
first) keeps every component on 127.0.0.1 — so this second cluster touches nothing else. It
checks what the checkout path does not: kwokbook itself applies KWOK's fast stages (server-side
apply) and they work; ``up`` again reuses the cluster; ``down`` deletes it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from e2e_util import is_ready, running_and_ready, wait_for

from kwokbook.backend import NODES, PODS
from kwokbook.cluster import connect, local
from kwokbook.sim.objects import kwok_node, pod

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(240)]

CONFIG = Path(__file__).resolve().parents[2] / "tools" / "cluster" / "kwokctl-config.yaml"


def _cached(component: str) -> Path:
    found = sorted((local.cache_root() / "bin").glob(f"{component}-*/{component}"))
    if not found:
        pytest.skip(f"no cached {component}")
    return found[-1]


def test_up_and_down_with_kwokctl_on_path(kwok_cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "kwokctl").symlink_to(_cached("kwokctl"))
    work = tmp_path / "kwok"
    work.mkdir()
    shutil.copy(CONFIG, work / "kwok.yaml")
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("KWOK_WORKDIR", str(work))
    monkeypatch.setenv("KWOK_RUNTIME", "binary")
    for comp, var in (("kwok", "KWOK_CONTROLLER_BINARY"), ("kube-apiserver", "KWOK_KUBE_APISERVER_BINARY"),
                      ("kube-controller-manager", "KWOK_KUBE_CONTROLLER_MANAGER_BINARY"),
                      ("kube-scheduler", "KWOK_KUBE_SCHEDULER_BINARY"), ("kubectl", "KWOK_KUBECTL_BINARY"),
                      ("etcd", "KWOK_ETCD_BINARY")):
        monkeypatch.setenv(var, str(_cached(comp)))
    monkeypatch.setenv("KWOK_KUBE_VERSION", _cached("kube-apiserver").parent.name.rsplit("-", 1)[1])
    monkeypatch.setenv("KWOK_ETCD_VERSION", _cached("etcd").parent.name.rsplit("-v", 1)[1])
    monkeypatch.setenv("KWOK_VERSION", _cached("kwok").parent.name.rsplit("-", 1)[1])

    name = "kwokbook-pathtest"
    progress: list[str] = []
    try:
        st = local.up(name, toolchain="kwokctl", progress=progress.append, timeout=120)
        assert st.state == "running" and st.kubeconfig == work / "clusters" / name / "kubeconfig.yaml"
        assert any(p.startswith("using kwokctl at ") for p in progress)
        assert any(p.startswith("kwokctl: Cluster is created") for p in progress)
        assert any("default fast stages: node-initialize created" in p for p in progress)
        kc = connect(cluster=name, fallback_simulator=False, require_kwok=True)
        assert kc.info.name == name
        kc.create(kwok_node("path-node"))
        wait_for(lambda: is_ready(kc.get(NODES, "path-node")), 60, "node Ready (node-initialize applied by kwokbook)")
        kc.create(pod("path-pod", node="path-node"))
        wait_for(lambda: running_and_ready(kc.get(PODS, "path-pod", namespace="default")), 60, "pod Running")
        kc.close()
        progress.clear()
        again = local.up(name, toolchain="kwokctl", progress=progress.append, timeout=120)
        assert again.state == "running"
        assert any("exists: starting any stopped component" in p for p in progress)
        assert any("default fast stages: node-initialize unchanged" in p for p in progress)
    finally:
        removed = local.down(name, toolchain="kwokctl")
    assert removed and local.status(name).state == "absent"
    assert not (work / "clusters" / name).exists()

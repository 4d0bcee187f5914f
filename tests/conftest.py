"""Shared pytest fixtures for kwokbook's tests.

``kwok_cluster`` (session scope, marker ``cluster``): a real KWOK cluster made once per session
from the pinned build in ``tools/cluster`` — ``build.sh`` (seconds when cached), ``up.sh`` with
KWOK's fast stages from ``kwokbook/data/stages`` — yielded as a connected
:class:`kwokbook.cluster.KubeCluster`, and deleted (``down.sh``) when the session ends.

Missing prerequisites (no Go and no cached binaries, no bash/curl/flock) skip the cluster tests
locally and **fail** them when ``CI=true``; so does a build or start that fails.

Environment: ``KWOKBOOK_TEST_CLUSTER`` (cluster name, default ``kwokbook-pytest``, kept apart
from the ``kwokbook`` cluster a person may be using), ``KWOKBOOK_KEEP_CLUSTER=1`` (do not delete
it at the end: faster re-runs).

A cluster of that name left by an earlier, interrupted session is deleted first, so every session
starts empty (a leftover Ready node changes what kube-scheduler and kube-controller-manager do:
NoExecute taints on a NotReady node, pods bound elsewhere). With ``KWOKBOOK_KEEP_CLUSTER=1`` it is
reused instead and emptied: test nodes, pods, namespaces and stages that are not the fast set.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLUSTER_TOOLS = ROOT / "tools" / "cluster"
TEST_CLUSTER = os.environ.get("KWOKBOOK_TEST_CLUSTER", "kwokbook-pytest")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def cluster_unavailable(why: str) -> None:
    """Skip locally; fail in CI (a missing cluster there is a broken build, not an option)."""
    if in_ci():
        pytest.fail(f"real KWOK cluster unavailable in CI: {why}", pytrace=False)
    pytest.skip(f"real KWOK cluster unavailable: {why}")


def _missing_prerequisites() -> str | None:
    from kwokbook.cluster.local import checkout_built

    if not (CLUSTER_TOOLS / "up.sh").is_file():
        return f"no {CLUSTER_TOOLS}/up.sh"
    missing = [t for t in ("bash", "curl", "flock") if shutil.which(t) is None]
    if missing:
        return f"missing tools: {', '.join(missing)}"
    if shutil.which("go") is None and not checkout_built():
        return "no Go toolchain and no cached cluster binaries (~/.cache/kwokbook/bin): run tools/cluster/build.sh"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that uses the real cluster carries the ``cluster`` marker (``-m 'not cluster'``)."""
    for item in items:
        if "kwok_cluster" in getattr(item, "fixturenames", ()) and item.get_closest_marker("cluster") is None:
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def kwok_cluster() -> Iterator[Any]:
    """A running KWOK cluster (Stage CRD on, KWOK's fast stages live), connected; deleted at the end."""
    why = _missing_prerequisites()
    if why:
        cluster_unavailable(why)
    from kwokbook.cluster import connect
    from kwokbook.cluster.local import build, down, status, up
    from kwokbook.errors import ClusterError

    log: list[str] = []
    t0 = time.monotonic()
    keep = os.environ.get("KWOKBOOK_KEEP_CLUSTER", "") in ("1", "true", "yes")
    try:
        build(progress=log.append)
        if not keep and status(TEST_CLUSTER, probe=False).state != "absent":
            down(TEST_CLUSTER, toolchain="checkout", progress=log.append)  # left by an interrupted session
        st = up(TEST_CLUSTER, toolchain="checkout", progress=log.append, timeout=240)
    except ClusterError as e:
        cluster_unavailable(f"{e.message}\n" + "\n".join(log[-15:]))
        raise  # unreachable: skip/fail raise
    kc = connect(cluster=TEST_CLUSTER, fallback_simulator=False, require_kwok=True)  # info.name: the cluster
    assert kc.kubeconfig == str(st.kubeconfig)
    if keep:
        empty_cluster(kc)
    kc.startup_seconds = time.monotonic() - t0  # type: ignore[attr-defined]
    try:
        yield kc
    finally:
        kc.close()
        if not keep:
            down(TEST_CLUSTER, toolchain="checkout")


def empty_cluster(kc: Any, timeout: float = 60) -> None:
    """Back to what ``up.sh`` leaves: no nodes, no pods in ``default``, no test namespaces, the fast stages."""
    from kwokbook.backend import NAMESPACES, NODES, PODS
    from kwokbook.cluster import restore_stages
    from kwokbook.stage.load import load_stages

    for p in kc.list(PODS, namespace="default").items:
        name = p["metadata"]["name"]
        if p["metadata"].get("finalizers"):
            kc.patch(PODS, name, {"metadata": {"finalizers": None}}, namespace="default")
        kc.delete(PODS, name, namespace="default", grace_period_seconds=0, missing_ok=True)
    for n in kc.list(NAMESPACES).items:
        if n["metadata"]["name"].startswith("kb-e2e-"):
            kc.delete(NAMESPACES, n["metadata"]["name"], missing_ok=True)
    for n in kc.list(NODES).items:
        kc.delete(NODES, n["metadata"]["name"], missing_ok=True)
    restore_stages(kc, [st.raw for st in load_stages(["fast"], from_config=False).stages])
    deadline = time.monotonic() + timeout
    while kc.list(NODES).items or kc.list(PODS, namespace="default").items:
        if time.monotonic() > deadline:
            pytest.fail("could not empty the kept test cluster (nodes or pods stay)", pytrace=False)
        time.sleep(0.2)

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
    from kwokbook.cluster.local import build, down, up
    from kwokbook.errors import ClusterError

    log: list[str] = []
    t0 = time.monotonic()
    try:
        build(progress=log.append)
        st = up(TEST_CLUSTER, toolchain="checkout", progress=log.append, timeout=240)
    except ClusterError as e:
        cluster_unavailable(f"{e.message}\n" + "\n".join(log[-15:]))
        raise  # unreachable: skip/fail raise
    kc = connect(cluster=TEST_CLUSTER, fallback_simulator=False, require_kwok=True)  # info.name: the cluster
    assert kc.kubeconfig == str(st.kubeconfig)
    kc.startup_seconds = time.monotonic() - t0  # type: ignore[attr-defined]
    try:
        yield kc
    finally:
        kc.close()
        if os.environ.get("KWOKBOOK_KEEP_CLUSTER", "") not in ("1", "true", "yes"):
            down(TEST_CLUSTER, toolchain="checkout")

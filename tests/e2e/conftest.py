"""Fixtures for the end-to-end tests: KWOK nodes, a namespace per test, stages put back after a test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_util import is_ready, wait_for

from kwokbook.backend import NAMESPACES, NODES


@pytest.fixture(scope="session")
def kc(kwok_cluster: Any) -> Any:
    """The session's connected KubeCluster (short name)."""
    return kwok_cluster


@pytest.fixture(scope="session")
def kwok_node(kc: Any) -> Iterator[str]:
    """One KWOK node (KWOK's documented shape), Ready; deleted at the end of the session."""
    from kwokbook.sim.objects import kwok_node as node_doc

    name = f"kb-e2e-node-{uuid.uuid4().hex[:6]}"
    kc.create(node_doc(name))
    wait_for(lambda: is_ready(kc.get(NODES, name)), 60, f"node {name} Ready")
    yield name
    kc.delete(NODES, name, missing_ok=True)


@pytest.fixture
def ns(kc: Any) -> Iterator[str]:
    """A fresh namespace with its default ServiceAccount (pods need it); deleted after the test."""
    name = f"kb-e2e-{uuid.uuid4().hex[:8]}"
    kc.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    wait_for(lambda: _has_default_sa(kc, name), 60, f"the default ServiceAccount of namespace {name}")
    yield name
    kc.delete(NAMESPACES, name, missing_ok=True)


def _has_default_sa(kc: Any, ns: str) -> bool:
    from kwokbook.errors import ClusterError

    try:
        kc.request("GET", f"/api/v1/namespaces/{ns}/serviceaccounts/default")
    except ClusterError:
        return False
    return True


@pytest.fixture
def stages_restored(kc: Any) -> Iterator[list[dict[str, Any]]]:
    """Snapshot the live Stages; after the test put exactly that set back."""
    from kwokbook.cluster import restore_stages, snapshot_stages

    snap = snapshot_stages(kc)
    yield snap
    restore_stages(kc, snap)

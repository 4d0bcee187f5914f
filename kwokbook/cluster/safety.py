"""Safety for mutating calls: is the cluster KWOK, and are the targets objects KWOK moves?

A label that fires a Stage on a KWOK pod is harmless; the same patch on a production cluster
(or on a pod of a real kubelet in a mixed cluster) changes live workloads or does nothing a
person expects. So mutating helpers refuse unless the cluster looks like KWOK and — for pods —
the pod sits on a node KWOK manages; ``force=True`` overrides, and every refusal says why and how.
Pure functions over plain dicts (unit-testable without a cluster).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..backend import NODES, Cluster
from ..errors import NotKwokClusterError

KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node"


class NotKwokManagedError(NotKwokClusterError):
    """A mutating call was refused because (some of) its targets are not objects KWOK manages."""


def is_kwok_node(node: Mapping[str, Any]) -> bool:
    """Does this node look managed by KWOK?

    KWOK's node-initialize stage writes ``kwok-<version>`` as kubelet version (when the node had
    none), and KWOK's documented node shape carries the ``kwok.x-k8s.io/node`` annotation (what
    ``--manage-nodes-with-annotation-selector`` usually selects). A node with a real kubelet has
    neither.
    """
    meta = node.get("metadata") or {}
    if KWOK_NODE_ANNOTATION in (meta.get("annotations") or {}):
        return True
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return str(info.get("kubeletVersion") or "").startswith("kwok-")


def kwok_managed_nodes(cluster: Cluster) -> set[str]:
    """Names of the nodes of ``cluster`` that look KWOK-managed."""
    fn = getattr(cluster, "kwok_nodes", None)
    if callable(fn):
        return set(fn())
    return {str(n["metadata"]["name"]) for n in cluster.list(NODES).items if is_kwok_node(n)}


def require_kwok(cluster: Cluster, *, force: bool = False, action: str = "change") -> None:
    """Refuse to mutate a cluster that does not look like KWOK (unless ``force``)."""
    info = cluster.info
    if info.is_kwok or force:
        return
    why = "; ".join(info.evidence) if info.evidence else "kwokbook has not checked it (no detect_kwok() call)"
    raise NotKwokClusterError(
        f"refusing to {action} {info.name} ({info.server or info.backend}): it does not look like a KWOK cluster "
        f"({why}), and on a real cluster this would change live workloads",
        hint="if you are sure, pass force=True (CLI: --force); if it is KWOK, connect with kwokbook.cluster.connect() "
             "or call cluster.detect_kwok() so kwokbook can see the evidence")


def _key(obj: Mapping[str, Any]) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{ns}/{meta.get('name')}" if ns else str(meta.get("name"))


def unmanaged_targets(objs: Iterable[Mapping[str, Any]], kind: str, managed_nodes: set[str]) -> list[tuple[str, str]]:
    """``(object, reason)`` for every target KWOK would not move: pods not bound to a KWOK-managed
    node, nodes without KWOK's marks. Other kinds pass (KWOK's generic stage controller)."""
    out = []
    for o in objs:
        if kind == "Pod":
            node = (o.get("spec") or {}).get("nodeName")
            if not node:
                out.append((_key(o), "not scheduled to any node yet"))
            elif node not in managed_nodes:
                out.append((_key(o), f"on node {node}, which KWOK does not manage (no KWOK annotation or "
                                     "kwok- kubelet version)"))
        elif kind == "Node" and not is_kwok_node(o):
            out.append((_key(o), "not a KWOK node (no kwok.x-k8s.io/node annotation, no kwok- kubelet version)"))
    return out


def refuse_unmanaged(unmanaged: list[tuple[str, str]], kind: str, action: str = "patch") -> NotKwokManagedError:
    shown = "; ".join(f"{k} ({why})" for k, why in unmanaged[:5])
    more = f" and {len(unmanaged) - 5} more" if len(unmanaged) > 5 else ""
    return NotKwokManagedError(
        f"refusing to {action} {len(unmanaged)} {kind.lower()}(s) that KWOK does not manage: {shown}{more}",
        hint="KWOK only moves objects on nodes it manages, so a stage would never fire there (and a real kubelet's pod "
             "would be disturbed); pass force=True (CLI: --force) to patch them anyway, or skip_unmanaged=True "
             "(CLI: --skip-unmanaged) to patch only the KWOK-managed ones")


__all__ = [
    "KWOK_NODE_ANNOTATION", "NotKwokManagedError", "is_kwok_node", "kwok_managed_nodes", "refuse_unmanaged",
    "require_kwok", "unmanaged_targets",
]

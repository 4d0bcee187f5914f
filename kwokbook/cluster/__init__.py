"""The real-cluster layer: connect to KWOK clusters, make local ones, manage live Stages, record.

::

    from kwokbook.cluster import connect
    c = connect(cluster="kwokbook")        # a kwokctl cluster by name (or kubeconfig=..., context=...)
    c.info                                 # is it KWOK, and the evidence
    for ev in c.watch("pods"): ...         # plain dicts; RESYNC after a re-list

Only :mod:`kwokbook.cluster.kube` imports ``kubernetes``; everything here loads it lazily, so
``import kwokbook.cluster`` is cheap and the simulator path never needs the client.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from ..errors import ClusterError, NotKwokClusterError
from .local import (
    ClusterStatus,
    down,
    kubeconfig_path,
    list_clusters,
    status,
    up,
)
from .safety import NotKwokManagedError, is_kwok_node, require_kwok
from .stages import (
    apply_stages,
    delete_stages,
    diff_stages,
    list_stages,
    live_stages,
    restore_stages,
    snapshot_stages,
)

if TYPE_CHECKING:
    from ..sim import Simulator
    from .kube import KubeCluster

log = logging.getLogger("kwokbook.cluster")


def connect(kubeconfig: str | os.PathLike[str] | None = None, context: str | None = None, *,
            cluster: str | None = None, in_cluster: bool = False, fallback_simulator: bool = True,
            require_kwok: bool = False, request_timeout: float = 30.0) -> KubeCluster | Simulator:
    """A connected cluster with ``detect_kwok()`` done — or, with nothing to connect to, the simulator.

    Where to connect, first match wins: ``cluster`` (a kwokctl cluster name →
    ``~/.kwok/clusters/NAME/kubeconfig.yaml``), ``in_cluster``, ``kubeconfig`` (+ ``context``),
    ``$KUBECONFIG`` / ``~/.kube/config``, the in-cluster service account, a running local
    kwokbook cluster (``kwokbook cluster up``). If none exists and ``fallback_simulator``, an
    embedded :class:`kwokbook.sim.Simulator` (fast stages) is returned with a logged notice.

    Raises :class:`ClusterError` (with a hint) for a missing kubeconfig, an unknown context or an
    unreachable server. A cluster that is not KWOK is returned with a warning (mutating calls
    refuse it) — or refused at once with ``require_kwok=True``.
    """
    from .kube import KubeCluster, default_kubeconfig, in_cluster_available
    from .local import cluster_dir, default_name

    name: str | None = None
    if cluster is not None:
        path = kubeconfig_path(cluster)
        if not path.exists():
            known = list_clusters()
            raise ClusterError(f"no kwokctl cluster named {cluster!r} (no {path})",
                               hint=f"start it with `kwokbook cluster up --name {cluster}`"
                                    + (f"; clusters here: {', '.join(known)}" if known else ""))
        kubeconfig, name = path, cluster
    elif not in_cluster and kubeconfig is None and context is None and default_kubeconfig() is None:
        if in_cluster_available():
            in_cluster = True
        else:
            local = kubeconfig_path(default_name())
            if local.exists() and (cluster_dir(default_name()) / "kwok.yaml").exists():
                log.info("kwokbook: using the local cluster %s (%s)", default_name(), local)
                kubeconfig, name = local, default_name()
            elif fallback_simulator:
                from ..sim import Simulator

                log.warning("kwokbook: no kubeconfig or cluster found; using the embedded simulator "
                            "(start a real one with `kwokbook cluster up`)")
                return Simulator()
            else:
                raise ClusterError("no cluster to connect to: no kubeconfig, no in-cluster service account, "
                                   "no local kwokbook cluster",
                                   hint="pass kubeconfig=/cluster=, or start one with `kwokbook cluster up`")
    kc = KubeCluster(kubeconfig, context, in_cluster=in_cluster, name=name, request_timeout=request_timeout)
    try:
        info = kc.detect_kwok()
    except ClusterError:
        kc.close()
        raise
    if not info.is_kwok:
        msg = (f"{info.name} ({info.server}) does not look like a KWOK cluster ({'; '.join(info.evidence)}): "
               "kwokbook will refuse to change it unless you pass force=True")
        if require_kwok:
            kc.close()
            raise NotKwokClusterError(msg, hint="connect to a KWOK cluster, e.g. `kwokbook cluster up`")
        log.warning("kwokbook: %s", msg)
    return kc


def __getattr__(name: str) -> Any:  # lazy: KubeCluster imports the kubernetes client
    if name in ("KubeCluster", "Watch"):
        from . import kube

        return getattr(kube, name)
    if name in ("Recorder", "record"):
        from . import record as rec

        return getattr(rec, name)
    raise AttributeError(name)


__all__ = [
    "ClusterStatus", "KubeCluster", "NotKwokManagedError", "Recorder", "Watch", "apply_stages", "connect",
    "delete_stages", "diff_stages", "down", "is_kwok_node", "kubeconfig_path", "list_clusters", "list_stages",
    "live_stages", "record", "require_kwok", "restore_stages", "snapshot_stages", "status", "up",
]

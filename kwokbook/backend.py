"""The one interface for real KWOK clusters and the embedded simulator.

Everything above the cluster layer (recorder, plots, magics, widgets) talks to a :class:`Cluster`
and never asks which kind it has. Objects are plain JSON-like dicts; events are
:class:`WatchEvent` values; time is whatever the backend's clock says (virtual for the
simulator). Nothing here imports ``kubernetes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"
BOOKMARK = "BOOKMARK"
RESYNC = "RESYNC"  # the watch had to re-list (410 Gone or a reconnect): events may have been missed


@dataclass(frozen=True)
class Resource:
    """A resource kind: ``apiVersion`` + ``kind`` and how to address it (plural, namespaced)."""

    api_version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def group(self) -> str:
        return self.api_version.rsplit("/", 1)[0] if "/" in self.api_version else ""

    @property
    def version(self) -> str:
        return self.api_version.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return f"{self.plural}.{self.group}" if self.group else self.plural


PODS = Resource("v1", "Pod", "pods", True)
NODES = Resource("v1", "Node", "nodes", False)
EVENTS = Resource("v1", "Event", "events", True)
LEASES = Resource("coordination.k8s.io/v1", "Lease", "leases", True)
NAMESPACES = Resource("v1", "Namespace", "namespaces", False)
STAGES = Resource("kwok.x-k8s.io/v1alpha1", "Stage", "stages", False)
PVS = Resource("v1", "PersistentVolume", "persistentvolumes", False)
PVCS = Resource("v1", "PersistentVolumeClaim", "persistentvolumeclaims", True)
JOBS = Resource("batch/v1", "Job", "jobs", True)

KNOWN: dict[str, Resource] = {r.kind: r for r in (PODS, NODES, EVENTS, LEASES, NAMESPACES, STAGES, PVS, PVCS, JOBS)}
_BY_NAME: dict[str, Resource] = {}
for _r in KNOWN.values():
    _BY_NAME[_r.plural] = _r
    _BY_NAME[_r.kind.lower()] = _r
    _BY_NAME[_r.kind] = _r
_BY_NAME.update({"po": PODS, "no": NODES, "ev": EVENTS, "pv": PVS, "pvc": PVCS})


def resource_for(ref: str | Resource | Mapping[str, Any]) -> Resource:
    """``"pods"``, ``"Pod"``, ``"po"``, a :class:`Resource`, or an object (by apiVersion/kind)."""
    if isinstance(ref, Resource):
        return ref
    if isinstance(ref, Mapping):
        kind = str(ref.get("kind") or "")
        known = KNOWN.get(kind)
        if known is not None and known.api_version == ref.get("apiVersion", known.api_version):
            return known
        av = str(ref.get("apiVersion") or "v1")
        return Resource(av, kind, kind.lower() + "s", True)
    r = _BY_NAME.get(ref)
    if r is None:
        from .errors import UsageError

        raise UsageError(f"unknown resource {ref!r}", hint=f"known: {', '.join(sorted(KNOWN))}")
    return r


@dataclass(frozen=True)
class WatchEvent:
    """One change seen on a watch (or produced by the simulator), with when it was observed."""

    type: str  # ADDED | MODIFIED | DELETED | BOOKMARK | RESYNC
    object: dict[str, Any]
    resource: Resource
    observed_ns: int  # backend clock, Unix nanoseconds
    resource_version: str = ""

    @property
    def name(self) -> str:
        return str((self.object.get("metadata") or {}).get("name") or "")

    @property
    def namespace(self) -> str:
        return str((self.object.get("metadata") or {}).get("namespace") or "")


@dataclass
class ListResult:
    items: list[dict[str, Any]]
    resource_version: str


@dataclass
class PatchResult:
    """A patch as sent and accepted: the object after it, and when the server answered."""

    object: dict[str, Any]
    accepted_ns: int
    changed: bool = True


@dataclass
class TriggerOutcome:
    """One object a trigger touched: when the patch was accepted, when its first effect was seen."""

    namespace: str
    name: str
    accepted_ns: int | None = None
    first_transition_ns: int | None = None
    error: str | None = None
    patch: Any = None
    accepted_rv: str = ""
    changed: bool = True  # False: the object already had that value, nothing was sent
    first_transition_rv: str = ""  # resourceVersion of the first change after the patch

    @property
    def latency_ns(self) -> int | None:
        if self.accepted_ns is None or self.first_transition_ns is None:
            return None
        return self.first_transition_ns - self.accepted_ns


@dataclass
class ClusterInfo:
    """What a backend is and whether it is KWOK (with the evidence, for a clear message)."""

    name: str
    backend: str  # "kwok" | "simulator" | "kubernetes"
    is_kwok: bool
    evidence: list[str] = field(default_factory=list)
    server: str = ""


@runtime_checkable
class Cluster(Protocol):
    """What every backend offers. Methods block; watches are iterators that stop on ``stop()``."""

    info: ClusterInfo

    def now_ns(self) -> int: ...

    def list(self, resource: str | Resource, *, namespace: str | None = None,
             label_selector: str | None = None) -> ListResult: ...

    def get(self, resource: str | Resource, name: str, *, namespace: str | None = None) -> dict[str, Any] | None: ...

    def create(self, obj: Mapping[str, Any]) -> dict[str, Any]: ...

    def apply(self, obj: Mapping[str, Any]) -> dict[str, Any]: ...

    def patch(self, resource: str | Resource, name: str, patch: Any, *, namespace: str | None = None,
              patch_type: str = "merge", subresource: str | None = None) -> PatchResult: ...

    def delete(self, resource: str | Resource, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None) -> None: ...

    def watch(self, resource: str | Resource, *, namespace: str | None = None,
              resource_version: str | None = None) -> Iterator[WatchEvent]: ...

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass (virtual time advances in the simulator; real time on a cluster)."""
        ...

    def wait_until(self, predicate: Callable[[], bool], timeout: float, *, poll: float = 0.05) -> bool: ...


def label_patch(key: str, value: str | None, *, annotations: bool = False, style: str = "json",
                existing: Mapping[str, str] | None = None, resource_version: str | None = None) -> tuple[Any, str]:
    """The patch that sets (or with ``value=None`` removes) one label/annotation.

    ``style="json"`` gives the ``kubectl patch --type=json`` form (``/`` and ``~`` escaped per
    RFC 6901; an ``add`` of the whole map when the object has none yet); ``"merge"`` a merge patch.
    Adding the whole map would replace labels someone added in the meantime, so with
    ``resource_version`` that patch starts with a ``test`` of it (the server answers 422 if the
    object changed; read it again and retry). Returns ``(patch, patch_type)``.
    """
    field_name = "annotations" if annotations else "labels"
    if style == "merge":
        return {"metadata": {field_name: {key: value}}}, "merge"
    if style != "json":
        from .errors import UsageError

        raise UsageError(f"unknown patch style {style!r}", hint="json or merge")
    pointer = key.replace("~", "~0").replace("/", "~1")
    if value is None:
        return [{"op": "remove", "path": f"/metadata/{field_name}/{pointer}"}], "json"
    if existing is None:
        ops: list[dict[str, Any]] = []
        if resource_version:
            ops.append({"op": "test", "path": "/metadata/resourceVersion", "value": resource_version})
        ops.append({"op": "add", "path": f"/metadata/{field_name}", "value": {key: value}})
        return ops, "json"
    return [{"op": "add", "path": f"/metadata/{field_name}/{pointer}", "value": value}], "json"


__all__ = [
    "ADDED", "BOOKMARK", "DELETED", "EVENTS", "LEASES", "MODIFIED", "NODES", "PODS", "PVCS", "PVS", "RESYNC",
    "STAGES", "Cluster", "ClusterInfo", "ListResult", "PatchResult", "Resource", "Sequence", "TriggerOutcome",
    "WatchEvent", "label_patch", "resource_for",
]

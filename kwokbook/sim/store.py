"""An in-memory API server: objects with resourceVersion, uid, timestamps, graceful deletion, watch.

Stored objects are *values*: never mutated after they are stored. Every change builds a new
top-level dict (sharing untouched parts), so events, job snapshots and ``peek`` can hand out
references without copying; the public ``get``/``list`` copy for callers that may mutate.

It keeps the API server behaviours KWOK depends on: every real change bumps a global
``resourceVersion`` and is broadcast to watchers in order; a patch that changes nothing is not
a change (no new version, no event); deleting an object with finalizers or a grace period only
sets ``deletionTimestamp`` (and the object goes once the finalizers are gone / it is deleted
with grace 0); pods that were never scheduled are deleted at once.
"""

from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..backend import ADDED, DELETED, MODIFIED, Resource, WatchEvent, resource_for
from ..errors import SimulatorError
from ..k8s.patch import PatchError, apply_patch
from ..k8s.typed import TypedError, typed_view
from .clock import Clock, rfc3339

TYPED_KINDS = frozenset({"Pod", "Node"})

Key = tuple[str, str]  # (namespace, name)
Listener = Callable[[WatchEvent], None]


class ApiError(SimulatorError):
    """What the API server would answer with an HTTP error (code: 404, 409, 422 …)."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(f"{reason} ({code}): {message}")
        self.code = code
        self.reason = reason


@dataclass
class _Watcher:
    resource: Resource
    namespace: str | None
    fn: Listener


class ObjectStore:
    """Objects by resource and key; synchronous, ordered notifications to listeners."""

    def __init__(self, clock: Clock, rng: random.Random) -> None:
        self.clock = clock
        self.rng = rng
        self._rv = 1000
        self._objects: dict[str, dict[Key, dict[str, Any]]] = {}
        self._resources: dict[str, Resource] = {}
        self._watchers: list[_Watcher] = []
        self.history: list[WatchEvent] = []
        self.keep_history = True
        self.canonical_typed = True  # Pods/Nodes are stored as typed views (see _canonical)

    # -- helpers ----------------------------------------------------------------------------

    def _bucket(self, r: Resource) -> dict[Key, dict[str, Any]]:
        b = self._objects.get(r.kind)
        if b is None:
            b = self._objects[r.kind] = {}
            self._resources[r.kind] = r
        return b

    def _next_rv(self) -> str:
        self._rv += 1
        return str(self._rv)

    @property
    def resource_version(self) -> str:
        return str(self._rv)

    def _key(self, r: Resource, obj: dict[str, Any]) -> Key:
        meta = obj.setdefault("metadata", {})
        ns = meta.get("namespace") or ("default" if r.namespaced else "")
        if r.namespaced:
            meta["namespace"] = ns
        name = meta.get("name")
        if not name:
            gen = meta.get("generateName")
            if gen:
                name = gen + "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
                meta["name"] = name
            else:
                raise ApiError(422, "Invalid", f"{r.kind} \"\" is invalid: metadata.name: Required value")
        return ns, str(name)

    def _emit(self, typ: str, r: Resource, obj: dict[str, Any]) -> None:
        ev = WatchEvent(typ, obj, r, self.clock.now_ns(), obj.get("metadata", {}).get("resourceVersion", ""))
        if self.keep_history:
            self.history.append(ev)
        ns = obj.get("metadata", {}).get("namespace")
        for w in list(self._watchers):
            if w.resource.kind == r.kind and (w.namespace is None or w.namespace == ns):
                w.fn(ev)

    # -- reads ------------------------------------------------------------------------------

    def get(self, r: Resource, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        ns = (namespace or "default") if r.namespaced else ""
        obj = self._bucket(r).get((ns, name))
        return copy.deepcopy(obj) if obj is not None else None

    def peek(self, r: Resource, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """Like :meth:`get` without copying (callers must not mutate)."""
        ns = (namespace or "default") if r.namespaced else ""
        return self._bucket(r).get((ns, name))

    def list(self, r: Resource, namespace: str | None = None) -> list[dict[str, Any]]:
        items = [o for (ns, _), o in self._bucket(r).items() if namespace is None or ns == namespace]
        return [copy.deepcopy(o) for o in items]

    def iter_objects(self, r: Resource) -> Iterable[dict[str, Any]]:
        return list(self._bucket(r).values())

    def count(self, r: Resource) -> int:
        return len(self._bucket(r))

    def watch(self, r: Resource, fn: Listener, namespace: str | None = None) -> Callable[[], None]:
        w = _Watcher(r, namespace, fn)
        self._watchers.append(w)

        def stop() -> None:
            if w in self._watchers:
                self._watchers.remove(w)

        return stop

    # -- writes -----------------------------------------------------------------------------

    def create(self, obj: dict[str, Any], r: Resource | None = None) -> dict[str, Any]:
        r = r or resource_for(obj)
        obj = copy.deepcopy(obj)  # the caller's dict becomes ours: copy once
        obj.setdefault("apiVersion", r.api_version)
        obj.setdefault("kind", r.kind)
        key = self._key(r, obj)
        bucket = self._bucket(r)
        if key in bucket:
            raise ApiError(409, "AlreadyExists", f'{r.plural} "{key[1]}" already exists')
        meta = obj["metadata"]
        meta["uid"] = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        meta["creationTimestamp"] = rfc3339(self.clock.now_ns())
        meta["resourceVersion"] = self._next_rv()
        meta.pop("deletionTimestamp", None)
        if r.kind == "Pod":
            _default_pod(obj)
        obj = self._canonical(r, obj)
        bucket[key] = obj
        self._emit(ADDED, r, obj)
        return obj

    def _canonical(self, r: Resource, obj: dict[str, Any]) -> dict[str, Any]:
        """Pods and Nodes are stored as the API server stores them: decoded into the Go struct."""
        if r.kind not in TYPED_KINDS:
            return obj
        try:
            return typed_view(obj, r.kind, decoder="k8s")
        except TypedError as e:
            raise ApiError(400, "BadRequest", e.message) from None

    def _commit(self, r: Resource, key: Key, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """Store ``new`` if it differs from ``old`` (bumping the version); handle finalizer completion.

        ``new`` may share parts with ``old``: only its top level and its metadata are (re)built here.
        """
        if new == old:
            return old
        new = dict(self._canonical(r, new))
        if new == old:
            return old
        meta = dict(new.get("metadata") or {})
        new["metadata"] = meta
        old_meta = old.get("metadata", {})
        for immutable in ("uid", "creationTimestamp", "name", "namespace"):
            if immutable in old_meta:
                meta[immutable] = old_meta[immutable]
        if "deletionTimestamp" in old_meta:
            meta["deletionTimestamp"] = old_meta["deletionTimestamp"]
            if "deletionGracePeriodSeconds" in old_meta:
                meta["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"]
        meta["resourceVersion"] = self._next_rv()
        bucket = self._bucket(r)
        bucket[key] = new
        self._emit(MODIFIED, r, new)
        if (meta.get("deletionTimestamp") and not meta.get("finalizers")
                and meta.get("deletionGracePeriodSeconds", 0) == 0):
            self._remove(r, key)
        return new

    def replace(self, r: Resource, obj: dict[str, Any]) -> dict[str, Any]:
        """Store a new version built by the caller from a stored object (no copy; internal use)."""
        meta = obj.get("metadata") or {}
        ns = (meta.get("namespace") or "default") if r.namespaced else ""
        key = (ns, str(meta.get("name")))
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{key[1]}" not found')
        return self._commit(r, key, old, obj)

    def update(self, obj: dict[str, Any], r: Resource | None = None) -> dict[str, Any]:
        r = r or resource_for(obj)
        obj = copy.deepcopy(obj)  # the caller's dict becomes ours
        key = self._key(r, obj)
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{key[1]}" not found')
        return self._commit(r, key, old, obj)

    def patch(self, r: Resource, name: str, patch: Any, patch_type: str, *, namespace: str | None = None,
              subresource: str | None = None, precomputed: tuple[dict[str, Any], dict[str, Any]] | None = None,
              ) -> tuple[dict[str, Any], bool]:
        """Apply a patch; returns (object after, whether it changed anything).

        ``precomputed=(base, result)``: the caller already applied this patch to ``base``; when
        ``base`` is still the stored object (objects are immutable values, so identity suffices),
        ``result`` is used instead of applying the patch again.
        """
        ns = (namespace or "default") if r.namespaced else ""
        key = (ns, name)
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{name}" not found')
        if precomputed is not None and precomputed[0] is old:
            new = precomputed[1]
        else:
            try:
                new = apply_patch(old, patch, patch_type, r.kind)  # does not mutate ``old``
            except PatchError as e:
                code = e.code or 422
                raise ApiError(code, {400: "BadRequest", 415: "UnsupportedMediaType", 500: "InternalError"}.get(
                    code, "Invalid"), e.message) from None
        if not isinstance(new, dict):
            raise ApiError(422, "Invalid", "the patch did not produce an object")
        if subresource == "status":
            # the status subresource keeps everything but .status from the stored object
            merged = dict(old)
            if "status" in new and new["status"] is not None:
                merged["status"] = new["status"]
            else:
                merged.pop("status", None)
            new = merged
        elif subresource is None and new.get("status") != old.get("status"):
            new = dict(new)  # the main resource ignores status changes (status subresource kinds)
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        changed = new != old
        return self._commit(r, key, old, new), changed

    def delete(self, r: Resource, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None) -> dict[str, Any] | None:
        """Graceful deletion as the API server does it. Returns the object if it still exists."""
        ns = (namespace or "default") if r.namespaced else ""
        key = (ns, name)
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{name}" not found')
        meta = old.get("metadata", {})
        grace = grace_period_seconds
        if r.kind == "Pod":
            if grace is None:
                grace = int((old.get("spec") or {}).get("terminationGracePeriodSeconds", 30))
            if not (old.get("spec") or {}).get("nodeName"):
                grace = 0  # never scheduled: deleted at once
            phase = (old.get("status") or {}).get("phase")
            if phase in ("Succeeded", "Failed"):
                grace = 0
        else:
            grace = grace or 0
        if meta.get("deletionTimestamp"):
            cur = int(meta.get("deletionGracePeriodSeconds", 0))
            if grace >= cur and (meta.get("finalizers") or grace > 0):
                return old
            if grace == 0 and not meta.get("finalizers"):
                self._remove(r, key)
                return None
        if grace == 0 and not meta.get("finalizers"):
            self._remove(r, key)
            return None
        new = dict(old)
        new["metadata"] = dict(old["metadata"])
        now = self.clock.now_ns()
        new["metadata"]["deletionTimestamp"] = rfc3339(now + grace * 1_000_000_000)
        new["metadata"]["deletionGracePeriodSeconds"] = grace
        new["metadata"]["resourceVersion"] = self._next_rv()
        self._bucket(r)[key] = new
        self._emit(MODIFIED, r, new)
        return new

    def _remove(self, r: Resource, key: Key) -> None:
        obj = self._bucket(r).pop(key, None)
        if obj is None:
            return
        obj = dict(obj)
        obj["metadata"] = dict(obj["metadata"])
        obj["metadata"]["resourceVersion"] = self._next_rv()
        self._emit(DELETED, r, obj)


def _default_pod(pod: dict[str, Any]) -> None:
    """The API server's defaults that KWOK's templates and selectors look at."""
    spec = pod.setdefault("spec", {})
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("enableServiceLinks", True)
    for c in spec.get("containers") or []:
        c.setdefault("imagePullPolicy", "IfNotPresent" if ":" in str(c.get("image", "")) and not str(
            c.get("image", "")).endswith(":latest") else "Always")
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        c.setdefault("terminationMessagePolicy", "File")
        c.setdefault("resources", {})
    status = pod.setdefault("status", {})
    status.setdefault("phase", "Pending")
    status.setdefault("qosClass", "BestEffort")

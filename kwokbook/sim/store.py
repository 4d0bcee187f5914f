"""An in-memory API server: objects with resourceVersion, uid, timestamps, graceful deletion, watch.

Stored objects are *values*: never mutated after they are stored. Every change builds a new
top-level dict (sharing untouched parts), so events, job snapshots and ``peek`` can hand out
references without copying; the public ``get``/``list`` copy for callers that may mutate.

It keeps the API server behaviours KWOK depends on, checked against a real kube-apiserver
v1.36 (tests/e2e/test_differential.py; Go: k8s.io/apiserver ``registry/rest/delete.go``,
``registry/generic/registry/store.go``, k8s.io/kubernetes ``registry/core/pod/strategy.go``):

- every real change bumps a global ``resourceVersion`` and is broadcast to watchers in order; a
  patch that changes nothing is not a change (no new version, no event);
- a Pod's create drops any ``status`` it was sent (``phase: Pending`` + its QoS class) and gets
  the defaults and admission additions the API server makes (see :func:`_default_pod`);
- graceful deletion of Pods (the only kind here with a graceful-delete strategy): the first
  delete always writes ``deletionTimestamp`` = now + grace (grace from the request, else
  ``terminationGracePeriodSeconds``; 0 for unscheduled or finished pods) — a MODIFIED event even
  when the grace is 0 and the DELETED event follows at once; a later, shorter grace moves the
  timestamp back; finalizers hold the object;
- other kinds ignore grace periods: deleted at once (DELETED only), or with finalizers marked
  deleting (``deletionTimestamp`` now, grace 0);
- an update that leaves a deleting object (grace 0) without finalizers is not stored: the object
  is deleted, and the DELETED event carries the last *stored* state (finalizers included).
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
from ..k8s.patch import PatchError, apply_patch, normalize_patch_type
from ..k8s.typed import TypedError, copy_on_patch_path, typed_view
from .clock import Clock, micro_time, parse_rfc3339, rfc3339

TYPED_KINDS = frozenset({"Pod", "Node"})
STATUS_KINDS = frozenset({"Pod", "Node", "Job"})  # kinds whose main resource ignores .status

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
        meta.pop("deletionTimestamp", None)  # BeforeCreate clears both
        meta.pop("deletionGracePeriodSeconds", None)
        if r.kind == "Pod":
            _default_pod(obj, self.clock.now_ns())
        elif r.kind == "Node":
            _admit_node(obj)
        elif r.kind == "Job":
            meta["generation"] = 1
            obj["status"] = {}  # jobStrategy.PrepareForCreate
        obj = self._canonical(r, obj)
        bucket[key] = obj
        self._emit(ADDED, r, obj)
        return obj

    def _canonical(self, r: Resource, obj: dict[str, Any]) -> dict[str, Any]:
        """Pods and Nodes are stored as the API server stores them: decoded into the Go struct,
        through the v1 → internal → v1 conversions (see :func:`_convert_pod`, :func:`_convert_node`)."""
        if r.kind == "Lease":
            return _canonical_lease(obj)
        if r.kind not in TYPED_KINDS:
            return obj
        try:
            view = typed_view(obj, r.kind, decoder="k8s")
            if (_convert_pod if r.kind == "Pod" else _convert_node)(view):
                view = typed_view(view, r.kind, decoder="k8s")  # back into Go's key order
            return view
        except TypedError as e:
            raise ApiError(400, "BadRequest", e.message) from None

    def _commit(self, r: Resource, key: Key, old: dict[str, Any], new: dict[str, Any], *,
                strategy: bool = True) -> dict[str, Any]:
        """Store ``new`` if it differs from ``old`` (bumping the version), as an update would.

        ``new`` may share parts with ``old``: only its top level and its metadata are (re)built here.
        ``strategy=False``: an internal write that bypasses the kind's update strategy (pods/binding).
        """
        if new == old:
            return old
        new = dict(self._canonical(r, new))
        if new == old:
            return old
        meta = dict(new.get("metadata") or {})
        new["metadata"] = meta
        old_meta = old.get("metadata", {})
        for immutable in ("uid", "creationTimestamp", "name", "namespace", "generation"):
            if immutable in old_meta:
                meta[immutable] = old_meta[immutable]
            else:
                meta.pop(immutable, None)
        for field_name in ("deletionTimestamp", "deletionGracePeriodSeconds"):  # only DELETE sets them
            if field_name in old_meta:
                meta[field_name] = old_meta[field_name]
            else:
                meta.pop(field_name, None)
        if old_meta.get("deletionTimestamp"):
            added = [f for f in meta.get("finalizers") or [] if f not in (old_meta.get("finalizers") or [])]
            if added:
                raise ApiError(422, "Invalid", f'{r.kind} "{key[1]}" is invalid: metadata.finalizers: Forbidden: '
                               f"no new finalizers can be added if the object is being deleted, found new "
                               f"finalizers {added!r}")
            if not meta.get("finalizers") and not old_meta.get("deletionGracePeriodSeconds"):
                # ShouldDeleteDuringUpdate: the update is not stored, the object goes as it was stored
                self._remove(r, key)
                gone = dict(old)
                gone["metadata"] = dict(old_meta, resourceVersion=self.resource_version)
                return gone
        if strategy and r.kind == "Pod" and "generation" in old_meta and new.get("spec") != old.get("spec"):
            meta["generation"] = int(old_meta["generation"]) + 1  # updatePodGeneration
        meta["resourceVersion"] = self._next_rv()
        self._bucket(r)[key] = new
        self._emit(MODIFIED, r, new)
        return new

    def replace(self, r: Resource, obj: dict[str, Any], *, strategy: bool = False) -> dict[str, Any]:
        """Store a new version built by the caller from a stored object (no copy; internal use,
        by default bypassing the update strategy, as the binding subresource does)."""
        meta = obj.get("metadata") or {}
        ns = (meta.get("namespace") or "default") if r.namespaced else ""
        key = (ns, str(meta.get("name")))
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{key[1]}" not found')
        return self._commit(r, key, old, obj, strategy=strategy)

    def update(self, obj: dict[str, Any], r: Resource | None = None) -> dict[str, Any]:
        r = r or resource_for(obj)
        obj = copy.deepcopy(obj)  # the caller's dict becomes ours
        key = self._key(r, obj)
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{key[1]}" not found')
        if r.kind in STATUS_KINDS:  # PrepareForUpdate: the main resource cannot change status
            if "status" in old:
                obj["status"] = old["status"]
            else:
                obj.pop("status", None)
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
                if r.kind in TYPED_KINDS and patch.__class__ is dict and normalize_patch_type(patch_type) in (
                        "merge", "strategic"):
                    # stored Pods/Nodes are canonical typed views: copy only what the patch can touch
                    new = apply_patch(copy_on_patch_path(old, patch), patch, patch_type, r.kind, copy=False)
                else:
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
            old_qos = (old.get("status") or {}).get("qosClass")
            if r.kind == "Pod" and old_qos and not (merged.get("status") or {}).get("qosClass"):
                merged["status"] = dict(merged.get("status") or {}, qosClass=old_qos)  # immutable, backfilled
            new = merged
        elif subresource is None and new.get("status") != old.get("status"):
            new = dict(new)  # the main resource ignores status changes (status subresource kinds)
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        changed = new != old
        return self._commit(r, key, old, new, strategy=subresource is None), changed

    def delete(self, r: Resource, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None) -> dict[str, Any] | None:
        """Graceful deletion as the API server does it. Returns the object if it still exists.

        Follows ``rest.BeforeDelete`` + ``Store.Delete``: Pods (graceful strategy) always get a
        first write of ``deletionTimestamp``/``deletionGracePeriodSeconds`` — with grace 0 that
        write is a visible MODIFIED right before the DELETED; other kinds have no grace.
        """
        ns = (namespace or "default") if r.namespaced else ""
        key = (ns, name)
        old = self._bucket(r).get(key)
        if old is None:
            raise ApiError(404, "NotFound", f'{r.plural} "{name}" not found')
        meta = old.get("metadata", {})
        now = self.clock.now_ns()
        grace = grace_period_seconds
        if grace is not None and grace < 0:
            grace = 1
        finalizers = bool(meta.get("finalizers"))
        graceful = False
        new_ts: int | None = None
        if r.kind == "Pod":  # the only kind here with a RESTGracefulDeleteStrategy
            if meta.get("deletionTimestamp"):
                cur = meta.get("deletionGracePeriodSeconds")
                if cur is not None and int(cur) != 0:
                    if grace is None or grace >= int(cur):
                        return old  # graceful deletion pending: only a shorter grace changes anything
                    new_ts = parse_rfc3339(str(meta["deletionTimestamp"])) - int(cur) * 1_000_000_000 \
                        + grace * 1_000_000_000
                    if new_ts < now:  # never moved into the past
                        new_ts = now
                        if grace != 0:
                            grace = 1
                    graceful = True
            else:
                spec = old.get("spec") or {}
                period = grace if grace is not None else int(spec.get("terminationGracePeriodSeconds") or 0)
                if not spec.get("nodeName") or (old.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                    period = 0
                if period < 0:
                    period = 1
                grace = period
                new_ts = now + period * 1_000_000_000
                graceful = True
        if not graceful:
            if not finalizers:
                self._remove(r, key)
                return None
            # markAsDeleting: deletionTimestamp now (unless earlier), grace 0; the finalizers hold it
            new = dict(old)
            new_meta = dict(meta)
            ts = meta.get("deletionTimestamp")
            if not ts or parse_rfc3339(str(ts)) > now:
                new_meta["deletionTimestamp"] = rfc3339(now)
            new_meta["deletionGracePeriodSeconds"] = 0
            if new_meta == meta:
                return old
            if not meta.get("deletionTimestamp") and "generation" in meta:
                new_meta["generation"] = int(meta["generation"]) + 1
            new_meta["resourceVersion"] = self._next_rv()
            new["metadata"] = new_meta
            self._bucket(r)[key] = new
            self._emit(MODIFIED, r, new)
            return new
        assert new_ts is not None and grace is not None
        new = dict(old)
        new_meta = dict(meta)
        if not meta.get("deletionTimestamp") and "generation" in meta:
            new_meta["generation"] = int(meta["generation"]) + 1
        new_meta["deletionTimestamp"] = rfc3339(new_ts)
        new_meta["deletionGracePeriodSeconds"] = grace
        new_meta["resourceVersion"] = self._next_rv()
        new["metadata"] = new_meta
        self._bucket(r)[key] = new
        self._emit(MODIFIED, r, new)
        if finalizers or grace > 0:
            return new
        self._remove(r, key)
        return None

    def _remove(self, r: Resource, key: Key) -> None:
        obj = self._bucket(r).pop(key, None)
        if obj is None:
            return
        obj = dict(obj)
        obj["metadata"] = dict(obj["metadata"])
        obj["metadata"]["resourceVersion"] = self._next_rv()
        self._emit(DELETED, r, obj)


RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00"


def _canonical_lease(lease: dict[str, Any]) -> dict[str, Any]:
    """``metav1.MicroTime`` fields as the API server decodes and re-encodes them: exactly six
    fractional digits on the way in (Go's ``time.Parse`` error otherwise), UTC on the way out."""
    from ..gotpl.gotime import parse as go_parse
    from ..gotpl.values import GoError

    spec = lease.get("spec")
    if not isinstance(spec, dict):
        return lease
    out = None
    for key in ("acquireTime", "renewTime"):
        v = spec.get(key)
        if v is None:
            continue
        try:
            t = go_parse(RFC3339_MICRO, v) if isinstance(v, str) else None
        except GoError as e:
            raise ApiError(422, "Invalid", f'Lease.coordination.k8s.io "{(lease.get("metadata") or {}).get("name")}" '
                           f"is invalid: spec.{key}: {e}") from None
        if t is None:
            raise ApiError(400, "BadRequest", f"json: cannot unmarshal {type(v).__name__} into Go struct field "
                           f"LeaseSpec.spec.{key} of type string")
        canon = micro_time(t.unix_nano())
        if canon != v:
            out = out or dict(spec)
            out[key] = canon
    return lease if out is None else {**lease, "spec": out}


def _convert_pod(pod: dict[str, Any]) -> bool:
    """The v1 ⇄ internal round trip of a Pod (k8s.io/kubernetes ``pkg/apis/core/v1/conversion.go``).

    ``status.podIP`` is authoritative: ``podIPs`` becomes ``[{ip: podIP}]`` when it is empty or
    its first entry differs (so a stage that writes only ``podIP`` also moves ``podIPs``), and
    ``podIP`` is set from ``podIPs[0]`` when only the list is given; ``spec.serviceAccount`` is
    an alias of ``serviceAccountName``. Returns True if anything changed.
    """
    changed = False
    status = pod.get("status")
    if isinstance(status, dict):
        ip = status.get("podIP") or ""
        ips = status.get("podIPs") or []
        if ip and (not ips or not isinstance(ips[0], dict) or ips[0].get("ip") != ip):
            status["podIPs"] = [{"ip": ip}]
            changed = True
        elif not ip and ips and isinstance(ips[0], dict) and ips[0].get("ip"):
            status["podIP"] = ips[0]["ip"]
            changed = True
    spec = pod.get("spec")
    if isinstance(spec, dict):
        name = spec.get("serviceAccountName") or spec.get("serviceAccount") or ""
        for k in ("serviceAccountName", "serviceAccount"):
            if (spec.get(k) or "") != name:
                if name:
                    spec[k] = name
                else:
                    spec.pop(k, None)
                changed = True
    return changed


def _convert_node(node: dict[str, Any]) -> bool:
    """The v1 ⇄ internal round trip of a Node: ``spec.podCIDR`` is authoritative over ``podCIDRs``."""
    spec = node.get("spec")
    if not isinstance(spec, dict):
        return False
    cidr = spec.get("podCIDR") or ""
    cidrs = spec.get("podCIDRs") or []
    if cidr and (not cidrs or cidrs[0] != cidr):
        spec["podCIDRs"] = [cidr]
        return True
    if not cidr and cidrs and cidrs[0]:
        spec["podCIDR"] = cidrs[0]
        return True
    return False


NOT_READY_TAINT = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}


def _admit_node(node: dict[str, Any]) -> None:
    """The TaintNodesByCondition admission plugin: a new Node starts with the not-ready taint
    (kube-controller-manager's node lifecycle controller removes it; see nodelifecycle.py)."""
    spec = node.setdefault("spec", {})
    taints = list(spec.get("taints") or [])
    if not any(t.get("key") == NOT_READY_TAINT["key"] and t.get("effect") == "NoSchedule" for t in taints):
        taints.append(dict(NOT_READY_TAINT))
    spec["taints"] = taints


def _default_pod(pod: dict[str, Any], now_ns: int) -> None:
    """What a Pod gains on its way into the API server (kube-apiserver v1.36, kwokctl's admission set).

    Defaulting (``SetDefaults_*``), the ServiceAccount, Priority and DefaultTolerationSeconds
    admission plugins, and ``podStrategy.PrepareForCreate`` — which throws away any ``status``
    sent with the create: ``phase: Pending``, the QoS class, and a ``PodScheduled=False``
    condition while scheduling gates are set. Left out: the projected service-account token
    volume and its mounts (nothing KWOK or a stage set looks at; they would only cost time).
    """
    meta = pod["metadata"]
    meta["generation"] = 1
    spec = pod.setdefault("spec", {})
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("enableServiceLinks", True)
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec.get("serviceAccount") or "default"
    spec["serviceAccount"] = spec["serviceAccountName"]
    spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    for group in ("initContainers", "containers"):
        for c in spec.get(group) or []:
            image = str(c.get("image", ""))
            tagged = ":" in image.rsplit("/", 1)[-1] or "@" in image
            c.setdefault("imagePullPolicy", "IfNotPresent" if tagged and not image.endswith(":latest") else "Always")
            c.setdefault("terminationMessagePath", "/dev/termination-log")
            c.setdefault("terminationMessagePolicy", "File")
            res = c.setdefault("resources", {})
            limits = res.get("limits") or {}
            if limits:  # requests default to limits
                res["requests"] = {**limits, **(res.get("requests") or {})}
    tolerations = list(spec.get("tolerations") or [])
    for taint_key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(t.get("key", "") in (taint_key, "") and t.get("effect", "") in ("NoExecute", "")
                   for t in tolerations):
            tolerations.append({"key": taint_key, "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": 300})
    spec["tolerations"] = tolerations
    status: dict[str, Any] = {"phase": "Pending", "qosClass": pod_qos(spec)}
    if spec.get("schedulingGates"):
        status["conditions"] = [{"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                                 "lastTransitionTime": rfc3339(now_ns), "reason": "SchedulingGated",
                                 "message": "Scheduling is blocked due to non-empty scheduling gates"}]
    pod["status"] = status


def pod_qos(spec: dict[str, Any]) -> str:
    """``qos.ComputePodQOS`` for container-level resources (cpu and memory only)."""
    from ..celenv.quantity import QuantityError, parse_quantity

    def q(v: Any) -> Any:
        try:
            return parse_quantity(str(v))
        except QuantityError:
            return None

    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    guaranteed = True
    for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
        res = c.get("resources") or {}
        for src, dst in ((res.get("requests") or {}, requests), (res.get("limits") or {}, limits)):
            found = set()
            for name, val in src.items():
                if name not in ("cpu", "memory"):
                    continue
                qv = q(val)
                if qv is None or qv.is_zero() or qv.cmp(parse_quantity("0")) < 0:
                    continue
                found.add(name)
                if name in dst:
                    dst[name].add(qv)
                else:
                    dst[name] = qv
            if dst is limits and found != {"cpu", "memory"}:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(n in limits and limits[n].cmp(v) == 0 for n, v in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"

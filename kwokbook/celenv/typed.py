"""Typed ``self`` as KWOK's Pod and Node controllers pass it (``*corev1.Pod`` / ``*corev1.Node``).

Those controllers hand CEL the typed Go object, declared through easycel with the json tag names.
Consequences this module reproduces for the structs KWOK registers (``DefaultTypes``):

* fields are statically typed; an unknown field is a compile error (``undefined field 'foo'``) and
  so is ``self.kind`` (``TypeMeta`` is an inline field easycel names ``TypeMeta``);
* a field missing from the object reads as its Go zero value: ``""``, ``0``, ``false``, the zero
  timestamp ``0001-01-01T00:00:00Z``, an empty list/map, or ``null`` for pointer fields;
* ``has(x.f)`` means "the Go field is not its zero value" (an empty JSON list ``[]`` is a non-nil
  slice, so it counts as set);
* metav1.Time fields are CEL timestamps, ResourceLists support ``[name]`` (a missing resource
  reads as quantity ``0``), ``in`` and ``size``; their elements are ``Quantity`` values;
* element structs that KWOK does not register (``v1.PodCondition``, ``v1.Taint``,
  ``v1.ContainerStatus``, ``v1.OwnerReference`` …) cannot be selected into: every field access on
  them is a compile error ``unexpected failed resolution of 'v1.PodCondition'``. Conditions are
  therefore unusable from CEL in KWOK's Pod/Node controllers.

Not reproduced: printing a whole struct (Go's ``%v``) and ``type(self)``, whose error text
contains Go pointer values; JSON that Go would refuse to decode into the struct.
"""

from __future__ import annotations

from typing import Any

from . import types as T
from .checker import Env
from .quantity import DECIMAL_SI, Quantity, QuantityError, parse_quantity
from .values import CelQuantity, Err, Timestamp, equal, fmt_v

# Generated from k8s.io/api v0.36.1 with reflection, applying easycel's naming (json tag name, or
# the Go field name when the tag has none) and KWOK's conversions (metav1.Time → timestamp,
# resource.Quantity → quantity, corev1.ResourceList → resourcelist).
FIELDS: dict[str, dict[str, str]] = {
    "v1.Container": {
        "name": "string",
        "image": "string",
        "command": "list:string",
        "args": "list:string",
        "workingDir": "string",
        "ports": "list:struct:v1.ContainerPort",
        "envFrom": "list:struct:v1.EnvFromSource",
        "env": "list:struct:v1.EnvVar",
        "resources": "struct:v1.ResourceRequirements",
        "resizePolicy": "list:struct:v1.ContainerResizePolicy",
        "restartPolicy": "ptr:string",
        "restartPolicyRules": "list:struct:v1.ContainerRestartRule",
        "volumeMounts": "list:struct:v1.VolumeMount",
        "volumeDevices": "list:struct:v1.VolumeDevice",
        "livenessProbe": "ptr:struct:v1.Probe",
        "readinessProbe": "ptr:struct:v1.Probe",
        "startupProbe": "ptr:struct:v1.Probe",
        "lifecycle": "ptr:struct:v1.Lifecycle",
        "terminationMessagePath": "string",
        "terminationMessagePolicy": "string",
        "imagePullPolicy": "string",
        "securityContext": "ptr:struct:v1.SecurityContext",
        "stdin": "bool",
        "stdinOnce": "bool",
        "tty": "bool",
    },
    "v1.Node": {
        "TypeMeta": "struct:v1.TypeMeta",
        "metadata": "struct:v1.ObjectMeta",
        "spec": "struct:v1.NodeSpec",
        "status": "struct:v1.NodeStatus",
    },
    "v1.NodeSpec": {
        "podCIDR": "string",
        "podCIDRs": "list:string",
        "providerID": "string",
        "unschedulable": "bool",
        "taints": "list:struct:v1.Taint",
        "configSource": "ptr:struct:v1.NodeConfigSource",
        "externalID": "string",
    },
    "v1.NodeStatus": {
        "capacity": "resourcelist",
        "allocatable": "resourcelist",
        "phase": "string",
        "conditions": "list:struct:v1.NodeCondition",
        "addresses": "list:struct:v1.NodeAddress",
        "daemonEndpoints": "struct:v1.NodeDaemonEndpoints",
        "nodeInfo": "struct:v1.NodeSystemInfo",
        "images": "list:struct:v1.ContainerImage",
        "volumesInUse": "list:string",
        "volumesAttached": "list:struct:v1.AttachedVolume",
        "config": "ptr:struct:v1.NodeConfigStatus",
        "runtimeHandlers": "list:struct:v1.NodeRuntimeHandler",
        "features": "ptr:struct:v1.NodeFeatures",
        "declaredFeatures": "list:string",
    },
    "v1.ObjectMeta": {
        "name": "string",
        "generateName": "string",
        "namespace": "string",
        "selfLink": "string",
        "uid": "string",
        "resourceVersion": "string",
        "generation": "int",
        "creationTimestamp": "timestamp",
        "deletionTimestamp": "timestamp",
        "deletionGracePeriodSeconds": "ptr:int",
        "labels": "map:string|string",
        "annotations": "map:string|string",
        "ownerReferences": "list:struct:v1.OwnerReference",
        "finalizers": "list:string",
        "managedFields": "list:struct:v1.ManagedFieldsEntry",
    },
    "v1.Pod": {
        "TypeMeta": "struct:v1.TypeMeta",
        "metadata": "struct:v1.ObjectMeta",
        "spec": "struct:v1.PodSpec",
        "status": "struct:v1.PodStatus",
    },
    "v1.PodSpec": {
        "volumes": "list:struct:v1.Volume",
        "initContainers": "list:struct:v1.Container",
        "containers": "list:struct:v1.Container",
        "ephemeralContainers": "list:struct:v1.EphemeralContainer",
        "restartPolicy": "string",
        "terminationGracePeriodSeconds": "ptr:int",
        "activeDeadlineSeconds": "ptr:int",
        "dnsPolicy": "string",
        "nodeSelector": "map:string|string",
        "serviceAccountName": "string",
        "serviceAccount": "string",
        "automountServiceAccountToken": "ptr:bool",
        "nodeName": "string",
        "hostNetwork": "bool",
        "hostPID": "bool",
        "hostIPC": "bool",
        "shareProcessNamespace": "ptr:bool",
        "securityContext": "ptr:struct:v1.PodSecurityContext",
        "imagePullSecrets": "list:struct:v1.LocalObjectReference",
        "hostname": "string",
        "subdomain": "string",
        "affinity": "ptr:struct:v1.Affinity",
        "schedulerName": "string",
        "tolerations": "list:struct:v1.Toleration",
        "hostAliases": "list:struct:v1.HostAlias",
        "priorityClassName": "string",
        "priority": "ptr:int",
        "dnsConfig": "ptr:struct:v1.PodDNSConfig",
        "readinessGates": "list:struct:v1.PodReadinessGate",
        "runtimeClassName": "ptr:string",
        "enableServiceLinks": "ptr:bool",
        "preemptionPolicy": "ptr:string",
        "overhead": "resourcelist",
        "topologySpreadConstraints": "list:struct:v1.TopologySpreadConstraint",
        "setHostnameAsFQDN": "ptr:bool",
        "os": "ptr:struct:v1.PodOS",
        "hostUsers": "ptr:bool",
        "schedulingGates": "list:struct:v1.PodSchedulingGate",
        "resourceClaims": "list:struct:v1.PodResourceClaim",
        "resources": "ptr:struct:v1.ResourceRequirements",
        "hostnameOverride": "ptr:string",
        "schedulingGroup": "ptr:struct:v1.PodSchedulingGroup",
    },
    "v1.PodStatus": {
        "observedGeneration": "int",
        "phase": "string",
        "conditions": "list:struct:v1.PodCondition",
        "message": "string",
        "reason": "string",
        "nominatedNodeName": "string",
        "hostIP": "string",
        "hostIPs": "list:struct:v1.HostIP",
        "podIP": "string",
        "podIPs": "list:struct:v1.PodIP",
        "startTime": "timestamp",
        "initContainerStatuses": "list:struct:v1.ContainerStatus",
        "containerStatuses": "list:struct:v1.ContainerStatus",
        "qosClass": "string",
        "ephemeralContainerStatuses": "list:struct:v1.ContainerStatus",
        "resize": "string",
        "resourceClaimStatuses": "list:struct:v1.PodResourceClaimStatus",
        "extendedResourceClaimStatus": "ptr:struct:v1.PodExtendedResourceClaimStatus",
        "allocatedResources": "resourcelist",
        "resources": "ptr:struct:v1.ResourceRequirements",
        "nodeAllocatableResourceClaimStatuses": "list:struct:v1.NodeAllocatableResourceClaimStatus",
    },
    "v1.ResourceRequirements": {
        "limits": "resourcelist",
        "requests": "resourcelist",
        "claims": "list:struct:v1.ResourceClaim",
    },
}


def _ctype(t: str) -> T.CelType:
    if t.startswith("ptr:"):
        inner = _ctype(t[4:])
        return T.CelType(inner.kind, inner.name, inner.params, nullable=True)
    if t.startswith("list:"):
        return T.list_of(_ctype(t[5:]))
    if t.startswith("map:"):
        k, v = t[4:].split("|", 1)
        return T.map_of(_ctype(k), _ctype(v))
    if t.startswith("struct:"):
        return T.struct(t[7:])
    return {
        "string": T.STRING_T,
        "int": T.INT_T,
        "uint": T.UINT_T,
        "double": T.DOUBLE_T,
        "bool": T.BOOL_T,
        "bytes": T.BYTES_T,
        "timestamp": T.TIMESTAMP_T,
        "duration": T.DURATION_T,
        "quantity": T.struct("cel.Quantity"),
        "resourcelist": T.struct("cel.ResourceList"),
    }.get(t, T.DYN_T)


def typed_env(kind: str) -> Env:
    name = f"v1.{kind}"
    if name not in FIELDS or kind not in ("Pod", "Node"):
        raise ValueError(f"typed_kind must be Pod or Node, not {kind!r}")
    structs = {sname: {f: _ctype(t) for f, t in fields.items()} for sname, fields in FIELDS.items()}
    return Env({"self": T.struct(name, nullable=True)}, structs)


def _zero_time() -> Timestamp:
    from ..gotpl import gotime

    return Timestamp(gotime.unix(-62135596800, 0).utc())


def convert(t: str, raw: Any) -> Any:
    """A JSON value as the CEL value of a Go field of easycel type ``t``."""
    if t.startswith("ptr:"):
        return None if raw is None else convert(t[4:], raw)
    if t == "string":
        return raw if isinstance(raw, str) else ""
    if t == "int":
        return int(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else 0
    if t == "bool":
        return raw is True
    if t == "double":
        return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else 0.0
    if t == "timestamp":
        if isinstance(raw, str) and raw:
            from ..gotpl import gotime

            return Timestamp(gotime.parse(gotime.RFC3339, raw))
        return _zero_time()
    if t == "quantity":
        return CelQuantity(_quantity(raw))
    if t == "resourcelist":
        return ResourceList(raw if isinstance(raw, dict) else {})
    if t.startswith("list:"):
        return [convert(t[5:], x) for x in (raw if isinstance(raw, list) else [])]
    if t.startswith("map:"):
        vt = t[4:].split("|", 1)[1]
        return {k: convert(vt, x) for k, x in (raw if isinstance(raw, dict) else {}).items()}
    if t.startswith("struct:"):
        return Struct(t[7:], raw if isinstance(raw, dict) else {})
    return raw


def _quantity(raw: Any) -> Quantity:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    try:
        return parse_quantity(raw) if isinstance(raw, str) else Quantity(0, -3, DECIMAL_SI)
    except QuantityError:
        return Quantity(0, -3, DECIMAL_SI)


def is_zero(t: str, raw: Any) -> bool:
    """Go's ``reflect.Value.IsZero`` of the decoded field (JSON ``[]``/``{}`` are non-nil)."""
    if raw is None:
        return True
    if t.startswith(("ptr:", "list:", "map:")) or t == "resourcelist":
        return False
    if t == "string":
        return raw == ""
    if t in ("int", "double"):
        return raw == 0
    if t == "bool":
        return raw is not True
    if t == "timestamp":
        return raw in ("", "0001-01-01T00:00:00Z")
    if t.startswith("struct:"):
        fields = FIELDS.get(t[7:])
        if fields is None or not isinstance(raw, dict):
            return not raw
        return all(is_zero(ft, raw.get(f)) for f, ft in fields.items())
    return not raw


class Struct:
    """A typed struct value (easycel's ``*easycel.structObject``)."""

    __slots__ = ("data", "tname")
    go_type_name = "*easycel.structObject"

    def __init__(self, tname: str, data: dict[str, Any]) -> None:
        self.tname = tname
        self.data = data

    @property
    def cel_type_name(self) -> str:
        return self.tname

    def cel_get(self, key: Any, presence: bool) -> Any:
        fields = FIELDS.get(self.tname)
        if fields is None or not isinstance(key, str) or key not in fields:
            return Err(f"no such field: {fmt_v(key)}")
        t = fields[key]
        raw = self.data.get(key)
        if presence:
            return not is_zero(t, raw)
        return convert(t, raw)

    def cel_equal(self, other: Any) -> Any:
        return isinstance(other, Struct) and other.tname == self.tname and other.data == self.data

    def creation_ns(self) -> int:
        meta = self.data.get("metadata")
        raw = meta.get("creationTimestamp") if isinstance(meta, dict) else None
        ts = convert("timestamp", raw)
        return int(ts.ns)


class ResourceList:
    """KWOK's ``cel.ResourceList``: ``[name]`` (missing → quantity 0), ``in``, ``size``."""

    __slots__ = ("items",)
    cel_type_name = "kubernetes.ResourceList"
    go_type_name = "cel.ResourceList"

    def __init__(self, raw: dict[str, Any]) -> None:
        self.items = {k: _quantity(v) for k, v in raw.items()}

    def cel_get(self, key: Any, presence: bool) -> Any:
        if not isinstance(key, str):
            return Err("no such overload")
        q = self.items.get(key)
        return CelQuantity(q.copy() if q is not None else Quantity(0, -3, DECIMAL_SI))

    def cel_contains(self, key: Any) -> Any:
        if not isinstance(key, str):
            return Err("no such overload")
        return key in self.items

    def cel_size(self) -> int:
        return len(self.items)

    def cel_equal(self, other: Any) -> Any:
        if not isinstance(other, ResourceList):
            return Err("no such overload")
        if self.items.keys() != other.items.keys():
            return False
        return all(equal(CelQuantity(v), CelQuantity(other.items[k])) is True for k, v in self.items.items())


def wrap(kind: str, obj: Any) -> Struct:
    return Struct(f"v1.{kind}", obj if isinstance(obj, dict) else {})

"""CEL runtime values and cel-go's per-type semantics (common/types/*.go).

Mapping to Python: bool, int (CEL int), :class:`Uint`, float (double), str, bytes, None (null),
list/tuple (lists), dict (maps from the object: string keys) and :class:`CelMap` (map literals),
:class:`Timestamp`, :class:`Duration`, :class:`TypeVal`, :class:`CelQuantity`, :class:`Err` (an
error *value*: CEL's ``&&``/``||`` absorb errors, so they are not raised while evaluating).
"""


from __future__ import annotations

import math
from typing import Any

from ..gotpl import gotime
from .quantity import Quantity

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
U64_MAX = (1 << 64) - 1
MIN_UNIX, MAX_UNIX = -62135596800, 253402300799


class Err:
    """A CEL error value; ``msg`` is cel-go's ``Error()`` text."""

    __slots__ = ("msg",)

    def __init__(self, msg: str) -> None:
        self.msg = msg

    def __repr__(self) -> str:
        return f"Err({self.msg!r})"


NO_OVERLOAD = "no such overload"


def no_overload() -> Err:
    return Err(NO_OVERLOAD)


def maybe_no_overload(v: Any) -> Err:
    return v if isinstance(v, Err) else Err(NO_OVERLOAD)


class Uint(int):
    """CEL uint (kept distinct from int for typing, equality of map keys and error texts)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{int(self)}u"


class Timestamp:
    __slots__ = ("t",)

    def __init__(self, t: gotime.GoTime) -> None:
        self.t = t

    @property
    def ns(self) -> int:
        """Exact Unix nanoseconds (Go's UnixNano would wrap outside 1678..2262)."""
        return self.t.unix() * 1_000_000_000 + self.t.nsec

    def __repr__(self) -> str:
        return f"timestamp({self.t.format(gotime.RFC3339_NANO)!r})"


class Duration:
    __slots__ = ("ns",)

    def __init__(self, ns: int) -> None:
        self.ns = ns

    def __repr__(self) -> str:
        return f"duration({self.ns}ns)"


class TypeVal:
    """A CEL type value (``type(x)``, ``int``, ...): compares by runtime type name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"type({self.name})"


class CelQuantity:
    """KWOK's ``cel.Quantity`` wrapper around a resource.Quantity."""

    __slots__ = ("q",)

    def __init__(self, q: Quantity) -> None:
        self.q = q

    def __repr__(self) -> str:
        return f"Quantity({self.q.string()!r})"


class CelMap:
    """A map literal: keys compare by CEL type and value (``1``, ``1u``, ``1.0``, ``true`` differ)."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[tuple[str, Any], tuple[Any, Any]] = {}

    def put(self, k: Any, v: Any) -> None:
        self.entries[key_of(k)] = (k, v)

    def keys(self) -> list[Any]:
        return [k for k, _ in self.entries.values()]

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, k: Any) -> tuple[bool, Any]:
        if not self.entries:
            return False, None
        kk = key_of(k)
        if kk in self.entries:
            return True, self.entries[kk][1]
        t = type(k)
        if t is float:
            if k == k and not math.isinf(k) and k == int(k):
                ik = int(k)
                if I64_MIN <= ik <= I64_MAX and ("int", ik) in self.entries:
                    return True, self.entries[("int", ik)][1]
                if 0 <= ik <= U64_MAX:
                    e = self.entries.get(("uint", ik))
                    return (e is not None), (e[1] if e else None)
        elif t is int:
            if k >= 0:
                e = self.entries.get(("uint", k))
                return (e is not None), (e[1] if e else None)
        elif t is Uint and k <= I64_MAX:
            e = self.entries.get(("int", int(k)))
            return (e is not None), (e[1] if e else None)
        return False, None


class ConcatList(list):
    """Result of ``list + list`` (cel-go's ``*types.concatList``)."""

    __slots__ = ()


class MutableList(list):
    """A comprehension accumulator that started as ``[]`` (appended in place, as cel-go does)."""

    __slots__ = ()


def key_of(k: Any) -> tuple[str, Any]:
    t = type(k)
    if t is float and k != k:
        return ("double-nan", id(k))
    return (type_name(k), k if t is not Uint else int(k))


def native(v: Any) -> Any:
    """JSON/unstructured value as cel-go sees it (ints beyond int64 are float64 in Go)."""
    if type(v) is int and not I64_MIN <= v <= I64_MAX:
        return float(v)
    return v


def type_name(v: Any) -> str:
    """The runtime type name (``ref.Type.TypeName()``)."""
    t = type(v)
    if t is bool:
        return "bool"
    if t is int:
        return "int"
    if t is float:
        return "double"
    if t is str:
        return "string"
    if v is None:
        return "null_type"
    if t is Uint:
        return "uint"
    if isinstance(v, (list, tuple)):
        return "list"
    if isinstance(v, (dict, CelMap)):
        return "map"
    if t is bytes:
        return "bytes"
    if t is Timestamp:
        return "google.protobuf.Timestamp"
    if t is Duration:
        return "google.protobuf.Duration"
    if t is TypeVal:
        return "type"
    if t is CelQuantity:
        return "kubernetes.Quantity"
    if t is Err:
        return "error"
    tn = getattr(v, "cel_type_name", None)
    if tn is not None:
        return str(tn)
    return "unknown"


def go_type(v: Any) -> str:
    """Go's ``%T`` of the ref.Val cel-go would hold (used in KWOK's conversion errors)."""
    t = type(v)
    simple = {
        bool: "types.Bool",
        int: "types.Int",
        float: "types.Double",
        str: "types.String",
        bytes: "types.Bytes",
        Uint: "types.Uint",
        Timestamp: "types.Timestamp",
        Duration: "types.Duration",
        TypeVal: "*types.Type",
        CelQuantity: "cel.Quantity",
        ConcatList: "*types.concatList",
        Err: "*types.Err",
    }
    if t in simple:
        return simple[t]
    if v is None:
        return "types.Null"
    if isinstance(v, (list, tuple)):
        return "*types.baseList"
    if isinstance(v, (dict, CelMap)):
        return "*types.baseMap"
    gt = getattr(v, "go_type_name", None)
    if gt is not None:
        return str(gt)
    return "unknown"


def fmt_v(v: Any) -> str:
    """Go's ``%v`` of a ref.Val (as in ``no such key: %v``)."""
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if t is str:
        return v
    if t is float:
        from ..gotpl.gostrconv import format_float

        return format_float(v, "g", -1, 64)
    if t is int or t is Uint:
        return str(int(v))
    if v is None:
        return "NULL_VALUE"
    return str(v)


# -- equality and ordering ---------------------------------------------------------------------


def _cmp(a: float, b: float) -> int:
    return -1 if a < b else (1 if a > b else 0)


def cmp_double_int(d: float, i: int) -> int:
    if d < -9.223372036854775808e18:
        return -1
    if d > 9.223372036854775807e18:
        return 1
    return _cmp(d, float(i))


def cmp_double_uint(d: float, u: int) -> int:
    if d < 0:
        return -1
    if d > 1.8446744073709551615e19:
        return 1
    return _cmp(d, float(u))


def cmp_int_uint(i: int, u: int) -> int:
    if i < 0 or u > I64_MAX:
        return -1
    return _cmp(i, u)


def equal(a: Any, b: Any) -> Any:
    """``types.Equal``: bool, or an Err (Quantity compared with a non-Quantity)."""
    if a is None or b is None:
        return a is None and b is None
    return val_equal(a, b)


def val_equal(a: Any, b: Any) -> Any:
    """``a.Equal(b)`` without the null shortcut."""
    ta, tb = type(a), type(b)
    if ta is bool:
        return tb is bool and a == b
    if ta is int:
        if tb is int:
            return a == b
        if tb is float:
            return b == b and cmp_double_int(b, a) == 0
        if tb is Uint:
            return cmp_int_uint(a, b) == 0
        return False
    if ta is float:
        if a != a:
            return False
        if tb is float:
            return a == b
        if tb is int:
            return cmp_double_int(a, b) == 0
        if tb is Uint:
            return cmp_double_uint(a, b) == 0
        return False
    if ta is Uint:
        if tb is Uint:
            return int(a) == int(b)
        if tb is int:
            return cmp_int_uint(b, a) == 0
        if tb is float:
            return b == b and cmp_double_uint(b, a) == 0
        return False
    if ta is str or ta is bytes:
        return ta is tb and a == b
    if a is None:
        return b is None
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            return False
        return all(equal(native(x), native(y)) is not False for x, y in zip(a, b))
    if isinstance(a, (dict, CelMap)):
        if not isinstance(b, (dict, CelMap)) or len(a) != len(b):
            return False
        for k in map_keys(a):
            _, va = map_find(a, k)
            found, vb = map_find(b, k)
            if not found:
                return False
            if equal(native(va), native(vb)) is False:
                return False
        return True
    if ta is Timestamp:
        return tb is Timestamp and a.ns == b.ns
    if ta is Duration:
        return tb is Duration and a.ns == b.ns
    if ta is TypeVal:
        return tb is TypeVal and a.name == b.name
    if ta is CelQuantity:
        if tb is not CelQuantity:
            return maybe_no_overload(b)
        return a.q.cmp(b.q) == 0
    eq = getattr(a, "cel_equal", None)
    if eq is not None:
        return eq(b)
    return False


def map_keys(m: Any) -> list[Any]:
    if isinstance(m, CelMap):
        return m.keys()
    return list(m.keys())


def map_find(m: Any, k: Any) -> tuple[bool, Any]:
    if isinstance(m, CelMap):
        return m.find(k)
    if type(k) is str and k in m:
        return True, m[k]
    return False, None

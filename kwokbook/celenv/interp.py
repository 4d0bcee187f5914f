"""cel-go's interpreter (interpreter/*.go) as Python closures over the checked AST.

Dispatch follows cel-go's planner: operators and ``size``/``matches``/``type``/``dyn`` are
"singleton" bindings guarded by a type trait (missing trait → ``no such overload: _<_``, or plain
``no such overload`` for String/Timestamp/Duration receivers); other functions dispatch over their
type-checked overloads with runtime type guards (→ ``no such overload: int(map)``). Strict calls
return the first argument error; ``&&``/``||``/``?:`` and comprehensions are non-strict.
"""


from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from ..gotpl import gotime
from . import quantity as Qm
from . import types as T
from .ast import Bad, Call, Comp, Expr, Ident, ListE, Lit, MapE, Select, StructE
from .checker import FUNCTIONS
from .values import (
    I64_MAX,
    I64_MIN,
    MAX_UNIX,
    MIN_UNIX,
    U64_MAX,
    CelMap,
    CelQuantity,
    ConcatList,
    Duration,
    Err,
    MutableList,
    Timestamp,
    TypeVal,
    Uint,
    cmp_double_int,
    cmp_double_uint,
    cmp_int_uint,
    equal,
    fmt_v,
    go_type,
    map_find,
    map_keys,
    maybe_no_overload,
    native,
    no_overload,
    type_name,
    val_equal,
)

Fn = Callable[[dict[str, Any]], Any]


class Runtime:
    """What the environment supplies at evaluation time (KWOK's Now/Rand/SinceSecond clock)."""

    __slots__ = ("now_ns", "rng")

    def __init__(self, now_ns: int, rng: random.Random) -> None:
        self.now_ns = now_ns
        self.rng = rng


# -- traits ---------------------------------------------------------------------------------

ADDER, COMPARER, DIVIDER, MODDER, MULTIPLIER, NEGATER, SUBTRACTOR, SIZER, MATCHER, RECEIVER = (
    "add",
    "cmp",
    "div",
    "mod",
    "mul",
    "neg",
    "sub",
    "size",
    "match",
    "recv",
)
_TRAITS: dict[str, frozenset[str]] = {
    "bool": frozenset({COMPARER, NEGATER}),
    "bytes": frozenset({ADDER, COMPARER, SIZER}),
    "double": frozenset({ADDER, COMPARER, DIVIDER, MULTIPLIER, NEGATER, SUBTRACTOR}),
    "google.protobuf.Duration": frozenset({ADDER, COMPARER, NEGATER, RECEIVER, SUBTRACTOR}),
    "int": frozenset({ADDER, COMPARER, DIVIDER, MODDER, MULTIPLIER, NEGATER, SUBTRACTOR}),
    "list": frozenset({ADDER, SIZER}),
    "map": frozenset({SIZER}),
    "string": frozenset({ADDER, COMPARER, MATCHER, RECEIVER, SIZER}),
    "google.protobuf.Timestamp": frozenset({ADDER, COMPARER, RECEIVER, SUBTRACTOR}),
    "uint": frozenset({ADDER, COMPARER, DIVIDER, MODDER, MULTIPLIER, SUBTRACTOR}),
    "kubernetes.Quantity": frozenset({ADDER, COMPARER, DIVIDER, MULTIPLIER, NEGATER, SUBTRACTOR}),
    "kubernetes.ResourceList": frozenset({SIZER}),
}
_OP_TRAIT = {
    "_+_": ADDER,
    "_-_": SUBTRACTOR,
    "_*_": MULTIPLIER,
    "_/_": DIVIDER,
    "_%_": MODDER,
    "-_": NEGATER,
    "_<_": COMPARER,
    "_<=_": COMPARER,
    "_>_": COMPARER,
    "_>=_": COMPARER,
    "size": SIZER,
    "matches": MATCHER,
}


def _has_trait(v: Any, trait: str) -> bool:
    return trait in _TRAITS.get(type_name(v), frozenset())


# -- arithmetic --------------------------------------------------------------------------------


def _i64(v: int) -> Any:
    return v if I64_MIN <= v <= I64_MAX else Err("integer overflow")


def _u64(v: int) -> Any:
    return Uint(v) if 0 <= v <= U64_MAX else Err("unsigned integer overflow")


def _go_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _fdiv(a: float, b: float) -> float:
    if b == 0.0:
        if a == 0.0 or a != a:
            return math.nan
        neg = (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0)
        return -math.inf if neg else math.inf
    return a / b


def _ts(t: gotime.GoTime) -> Timestamp:
    return Timestamp(t)


def _add_time_duration(t: Timestamp, d: int) -> Any:
    ns = t.ns
    sec1, nsec1 = divmod(ns, 1_000_000_000)
    sec2 = _go_div(d, 1_000_000_000) if d else 0
    nsec2 = d - sec2 * 1_000_000_000
    sec = sec1 + sec2
    nsec = nsec1 + nsec2
    if nsec < 0 or nsec >= 1_000_000_000:
        sec += _go_div(nsec, 1_000_000_000)
        nsec -= _go_div(nsec, 1_000_000_000) * 1_000_000_000
        if nsec < 0:
            sec -= 1
            nsec += 1_000_000_000
    if not I64_MIN <= sec <= I64_MAX:
        return Err("integer overflow")
    if sec < MIN_UNIX or sec > MAX_UNIX:
        return Err("timestamp overflow")
    return Timestamp(gotime.unix(sec, nsec, t.t.local).in_loc(t.t.location()))


def op_add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int:
        return _i64(a + b) if tb is int else maybe_no_overload(b)
    if ta is float:
        return a + b if tb is float else maybe_no_overload(b)
    if ta is str:
        return a + b if tb is str else maybe_no_overload(b)
    if ta is Uint:
        return _u64(a + b) if tb is Uint else maybe_no_overload(b)
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)):
            return maybe_no_overload(b)
        if isinstance(a, MutableList):
            a.extend(b)
            return a
        if not a:
            return b
        if not b:
            return a
        return ConcatList([*a, *b])
    if ta is bytes:
        return a + b if tb is bytes else maybe_no_overload(b)
    if ta is Duration:
        if tb is Duration:
            r = _i64(a.ns + b.ns)
            return Duration(r) if not isinstance(r, Err) else r
        if tb is Timestamp:
            return _add_time_duration(b, a.ns)
        return maybe_no_overload(b)
    if ta is Timestamp:
        if tb is Duration:
            return _add_time_duration(a, b.ns)
        return maybe_no_overload(b)
    if ta is CelQuantity:
        if tb is not CelQuantity:
            return maybe_no_overload(b)
        q = a.q.copy()
        q.add(b.q)
        return CelQuantity(q)
    return no_overload()


def op_sub(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int:
        return _i64(a - b) if tb is int else maybe_no_overload(b)
    if ta is float:
        return a - b if tb is float else maybe_no_overload(b)
    if ta is Uint:
        return _u64(a - b) if tb is Uint else maybe_no_overload(b)
    if ta is Duration:
        if tb is Duration:
            r = _i64(a.ns - b.ns)
            return Duration(r) if not isinstance(r, Err) else r
        return maybe_no_overload(b)
    if ta is Timestamp:
        if tb is Duration:
            if b.ns == I64_MIN:
                return Err("integer overflow")
            return _add_time_duration(a, -b.ns)
        if tb is Timestamp:
            s1, n1 = divmod(a.ns, 1_000_000_000)
            s2, n2 = divmod(b.ns, 1_000_000_000)
            sec = s1 - s2
            tsec = sec * 1_000_000_000
            if not I64_MIN <= tsec <= I64_MAX:
                return Err("integer overflow")
            r = _i64(tsec + (n1 - n2))
            return Duration(r) if not isinstance(r, Err) else r
        return maybe_no_overload(b)
    if ta is CelQuantity:
        if tb is not CelQuantity:
            return maybe_no_overload(b)
        q = a.q.copy()
        q.sub(b.q)
        return CelQuantity(q)
    return no_overload()


def _q_scaled(a: CelQuantity, b: Any, div: bool) -> Any:
    tb = type(b)
    if tb is int or tb is Uint:
        n = Qm.wrap64(int(b))
        m = a.q.milli_value()
        if div:
            if n == 0:
                return Err("internal error: runtime error: integer divide by zero")
            if m == I64_MIN and n == -1:
                return CelQuantity(Qm.new_milli(I64_MIN))
            return CelQuantity(Qm.new_milli(_go_div(m, n)))
        return CelQuantity(Qm.new_milli(Qm.wrap64(m * n)))
    if tb is float:
        f = a.q.approx_float()
        v = _fdiv(f, b) if div else f * b
        return CelQuantity(Qm.new_milli(Qm.go_float_to_int64(v * 1e3)))
    return maybe_no_overload(b)


def op_mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int:
        return _i64(a * b) if tb is int else maybe_no_overload(b)
    if ta is float:
        return a * b if tb is float else maybe_no_overload(b)
    if ta is Uint:
        return _u64(a * b) if tb is Uint else maybe_no_overload(b)
    if ta is CelQuantity:
        return _q_scaled(a, b, False)
    return no_overload()


def op_div(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int:
        if tb is not int:
            return maybe_no_overload(b)
        if b == 0:
            return Err("division by zero")
        if a == I64_MIN and b == -1:
            return Err("integer overflow")
        return _go_div(a, b)
    if ta is float:
        return _fdiv(a, b) if tb is float else maybe_no_overload(b)
    if ta is Uint:
        if tb is not Uint:
            return maybe_no_overload(b)
        if b == 0:
            return Err("division by zero")
        return Uint(a // b)
    if ta is CelQuantity:
        return _q_scaled(a, b, True)
    return no_overload()


def op_mod(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int:
        if tb is not int:
            return maybe_no_overload(b)
        if b == 0:
            return Err("modulus by zero")
        if a == I64_MIN and b == -1:
            return Err("integer overflow")
        return a - b * _go_div(a, b)
    if ta is Uint:
        if tb is not Uint:
            return maybe_no_overload(b)
        if b == 0:
            return Err("modulus by zero")
        return Uint(a % b)
    return no_overload()


def op_neg(a: Any) -> Any:
    ta = type(a)
    if ta is int:
        return _i64(-a)
    if ta is float:
        return -a
    if ta is Duration:
        r = _i64(-a.ns)
        return Duration(r) if not isinstance(r, Err) else r
    if ta is CelQuantity:
        q = a.q.copy()
        q.neg()
        return CelQuantity(q)
    return maybe_no_overload(a)


def compare(a: Any, b: Any) -> Any:
    """``Compare``: -1/0/1 or an Err."""
    ta, tb = type(a), type(b)
    if ta is int:
        if tb is int:
            return (a > b) - (a < b)
        if tb is float:
            if b != b:
                return Err("NaN values cannot be ordered")
            return -cmp_double_int(b, a)
        if tb is Uint:
            return cmp_int_uint(a, b)
        return maybe_no_overload(b)
    if ta is float:
        if a != a:
            return Err("NaN values cannot be ordered")
        if tb is float:
            if b != b:
                return Err("NaN values cannot be ordered")
            return (a > b) - (a < b)
        if tb is int:
            return cmp_double_int(a, b)
        if tb is Uint:
            return cmp_double_uint(a, b)
        return maybe_no_overload(b)
    if ta is Uint:
        if tb is Uint:
            return (a > b) - (a < b)
        if tb is int:
            return -cmp_int_uint(b, a)
        if tb is float:
            if b != b:
                return Err("NaN values cannot be ordered")
            return -cmp_double_uint(b, a)
        return maybe_no_overload(b)
    if ta is str:
        if tb is not str:
            return maybe_no_overload(b)
        ab, bb = a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
        return (ab > bb) - (ab < bb)
    if ta is bool:
        if tb is not bool:
            return maybe_no_overload(b)
        return (a > b) - (a < b)
    if ta is bytes:
        if tb is not bytes:
            return maybe_no_overload(b)
        return (a > b) - (a < b)
    if ta is Timestamp:
        if tb is not Timestamp:
            return maybe_no_overload(b)
        return (a.ns > b.ns) - (a.ns < b.ns)
    if ta is Duration:
        if tb is not Duration:
            return maybe_no_overload(b)
        return (a.ns > b.ns) - (a.ns < b.ns)
    if ta is CelQuantity:
        if tb is not CelQuantity:
            return maybe_no_overload(b)
        return a.q.cmp(b.q)
    return no_overload()


def _cmp_op(fn: str) -> Callable[[Any, Any], Any]:
    accept = {"_<_": (-1,), "_<=_": (-1, 0), "_>_": (1,), "_>=_": (0, 1)}[fn]

    def op(a: Any, b: Any) -> Any:
        c = compare(a, b)
        if isinstance(c, Err):
            return c
        return c in accept

    return op


def op_size(a: Any) -> Any:
    if type(a) is str:
        return len(a)
    if isinstance(a, (list, tuple, dict, CelMap, bytes)):
        return len(a)
    sz = getattr(a, "cel_size", None)
    if sz is not None:
        return sz()
    return no_overload()


_REGEX_CACHE: dict[str, Any] = {}


def op_matches(a: Any, pat: Any) -> Any:
    if type(pat) is not str:
        return maybe_no_overload(pat)
    rx = _REGEX_CACHE.get(pat)
    if rx is None:
        from ..gotpl import goregex

        try:
            rx = goregex.compile(pat)
        except Exception as e:  # RegexpSyntaxError carries Go's message
            return Err(str(e))
        _REGEX_CACHE[pat] = rx
    return bool(rx.match_string(a))


def op_in(a: Any, b: Any) -> Any:
    if isinstance(b, (list, tuple)):
        return any(val_equal(a, native(x)) is True for x in b)
    if isinstance(b, (dict, CelMap)):
        return map_find(b, a)[0]
    contains = getattr(b, "cel_contains", None)
    if contains is not None:
        return contains(a)
    return maybe_no_overload(b)


# -- qualification (attributes, index) -------------------------------------------------------


def _index_or_error(idx: Any) -> int | Err:
    t = type(idx)
    if t is int:
        return idx
    if t is float:
        if idx == idx and not math.isinf(idx) and idx == int(idx) and I64_MIN <= int(idx) <= I64_MAX:
            return int(idx)
        return Err(f"unsupported index value {fmt_v(idx)} in list")
    if t is Uint:
        if idx <= I64_MAX:
            return int(idx)
        return Err(f"unsupported index value {fmt_v(idx)} in list")
    return Err(f"unsupported index type '{type_name(idx)}' in list")


def qualify(obj: Any, key: Any, presence: bool = False) -> Any:
    """refQualify: the value at key, or (presence test) whether it is set."""
    if isinstance(obj, dict):
        if type(key) is str and key in obj:
            return True if presence else native(obj[key])
        if presence:
            return False
        return Err(f"no such key: {fmt_v(key)}")
    if isinstance(obj, CelMap):
        found, v = obj.find(key)
        if found:
            return True if presence else v
        return False if presence else Err(f"no such key: {fmt_v(key)}")
    if isinstance(obj, (list, tuple)):
        i = _index_or_error(key)
        if isinstance(i, Err):
            return i
        if 0 <= i < len(obj):
            return True if presence else native(obj[i])
        return False if presence else Err(f"index out of bounds: {fmt_v(key)}")
    getter = getattr(obj, "cel_get", None)
    if getter is not None:
        return getter(key, presence)
    if isinstance(obj, Err):
        return obj
    if presence:
        return False
    return Err(f"no such key: {fmt_v(key)}")


# -- conversions -----------------------------------------------------------------------------


def _conv_err(src: str, dst: str) -> Err:
    return Err(f"type conversion error from '{src}' to '{dst}'")


def to_int(v: Any) -> Any:
    t = type(v)
    if t is int:
        return v
    if t is float:
        if math.isinf(v) or v != v or v <= -9.223372036854775808e18 or v >= 9.223372036854775807e18:
            return Err("integer overflow")
        return int(v)
    if t is Uint:
        return int(v) if v <= I64_MAX else Err("integer overflow")
    if t is str:
        from ..gotpl.gostrconv import StrconvError, parse_int

        try:
            return parse_int(v, 10, 64)
        except StrconvError:
            return _conv_err("string", "int")
    if t is Duration:
        return v.ns
    if t is Timestamp:
        return v.t.unix()
    return _conv_err(type_name(v), "int")


def to_uint(v: Any) -> Any:
    t = type(v)
    if t is Uint:
        return v
    if t is int:
        return Uint(v) if v >= 0 else Err("unsigned integer overflow")
    if t is float:
        if math.isinf(v) or v != v or v < 0 or v >= 1.8446744073709551616e19:
            return Err("unsigned integer overflow")
        return Uint(int(v))
    if t is str:
        from ..gotpl.gostrconv import StrconvError, parse_uint

        try:
            return Uint(parse_uint(v, 10, 64))
        except StrconvError:
            return _conv_err("string", "uint")
    return _conv_err(type_name(v), "uint")


def to_double(v: Any) -> Any:
    t = type(v)
    if t is float:
        return v
    if t is int or t is Uint:
        return float(v)
    if t is str:
        from ..gotpl.gostrconv import StrconvError, parse_float

        try:
            return parse_float(v, 64)
        except StrconvError:
            return _conv_err("string", "double")
    return _conv_err(type_name(v), "double")


def _dur_seconds_str(ns: int) -> str:
    from ..gotpl.gostrconv import format_float

    sec, nsec = _go_div(ns, 1_000_000_000), ns - _go_div(ns, 1_000_000_000) * 1_000_000_000
    return format_float(float(sec) + float(nsec) / 1e9, "f", -1, 64) + "s"


def to_string(v: Any) -> Any:
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "true" if v else "false"
    if t is int or t is Uint:
        return str(int(v))
    if t is float:
        from ..gotpl.gostrconv import format_float

        if v != v:
            return "NaN"
        if math.isinf(v):
            return "+Inf" if v > 0 else "-Inf"
        return format_float(v, "g", -1, 64)
    if t is bytes:
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return Err("invalid UTF-8 in bytes, cannot convert to string")
    if t is Duration:
        return _dur_seconds_str(v.ns)
    if t is Timestamp:
        return v.t.format(gotime.RFC3339_NANO)
    return _conv_err(type_name(v), "string")


def to_bool(v: Any) -> Any:
    if type(v) is bool:
        return v
    if type(v) is str:
        if v in ("1", "t", "T", "TRUE", "true", "True"):
            return True
        if v in ("0", "f", "F", "FALSE", "false", "False"):
            return False
        return _conv_err("string", "bool")
    return _conv_err(type_name(v), "bool")


def to_bytes(v: Any) -> Any:
    if type(v) is bytes:
        return v
    if type(v) is str:
        return v.encode("utf-8", "surrogateescape")
    return _conv_err(type_name(v), "bytes")


def to_duration(v: Any) -> Any:
    if type(v) is Duration:
        return v
    if type(v) is str:
        try:
            return Duration(gotime.parse_duration(v))
        except Exception:
            return _conv_err("string", "google.protobuf.Duration")
    return _conv_err(type_name(v), "google.protobuf.Duration")


def to_timestamp(v: Any) -> Any:
    if type(v) is Timestamp:
        return v
    if type(v) is int:
        if v < MIN_UNIX or v > MAX_UNIX:
            return Err("timestamp overflow")
        return Timestamp(gotime.unix(v, 0).utc())
    if type(v) is str:
        try:
            t = gotime.parse(gotime.RFC3339, v)
        except Exception:
            return _conv_err("string", "google.protobuf.Timestamp")
        if t.unix() < MIN_UNIX or t.unix() > MAX_UNIX:
            return Err("timestamp overflow")
        return Timestamp(t)
    return _conv_err(type_name(v), "google.protobuf.Timestamp")


def to_type(v: Any) -> Any:
    if isinstance(v, TypeVal):
        return TypeVal("type")
    return TypeVal(type_name(v))


# -- timestamp and duration accessors -------------------------------------------------------


def _in_tz(ts: Timestamp, tz: str) -> Any:
    if ":" not in tz:
        try:
            loc = gotime.load_location(tz)
        except Exception as e:
            return Err(str(e))
        return ts.t.in_loc(loc)
    ind = tz.index(":")
    from ..gotpl.gostrconv import StrconvError, atoi

    try:
        hr = atoi(tz[:ind])
        mn = atoi(tz[ind + 1 :])
    except StrconvError as e:
        return Err(str(e))
    offset = hr * 60 - mn if tz[0] == "-" else hr * 60 + mn
    return ts.t.in_loc(gotime.fixed_zone("", offset * 60))


_TS_GETTERS: dict[str, Callable[[gotime.GoTime], int]] = {
    "getFullYear": lambda t: t.year(),
    "getMonth": lambda t: t.month() - 1,
    "getDayOfYear": lambda t: t.year_day() - 1,
    "getDayOfMonth": lambda t: t.day() - 1,
    "getDate": lambda t: t.day(),
    "getDayOfWeek": lambda t: t.weekday(),
    "getHours": lambda t: t.clock()[0],
    "getMinutes": lambda t: t.clock()[1],
    "getSeconds": lambda t: t.clock()[2],
    "getMilliseconds": lambda t: t.nsec // 1_000_000,
}


def _dur_getter(fn: str, ns: int) -> int:
    unit = {"getHours": 3_600_000_000_000, "getMinutes": 60_000_000_000, "getSeconds": 1_000_000_000}.get(
        fn, 1_000_000
    )
    return _go_div(ns, unit)


# -- overload implementations (runtime type guards) -----------------------------------------


def _guard(t: T.CelType, v: Any) -> bool:
    if t.is_dyn():
        return not isinstance(v, Err)
    if isinstance(v, Err):
        return False
    name = type_name(v)
    if t.name != name:
        return False
    if t.kind == T.LIST and isinstance(v, (list, tuple)) and v:
        return _guard(t.params[0], native(v[0]))
    return True


_CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "int": to_int,
    "uint": to_uint,
    "double": to_double,
    "string": to_string,
    "bool": to_bool,
    "bytes": to_bytes,
    "duration": to_duration,
    "timestamp": to_timestamp,
}


def _overload_impl(oid: str, fn: str, rt: Runtime) -> Callable[..., Any] | None:
    if fn in _CONVERSIONS:
        return _CONVERSIONS[fn]
    if fn in _TS_GETTERS:
        if oid.startswith("duration_"):
            return lambda d: _dur_getter(fn, d.ns)
        getter = _TS_GETTERS[fn]
        if oid.endswith("_with_tz"):

            def with_tz(ts: Timestamp, tz: str) -> Any:
                t = _in_tz(ts, tz)
                return t if isinstance(t, Err) else getter(t)

            return with_tz
        return lambda ts: getter(ts.t.utc())
    if fn == "Now":
        return lambda: Timestamp(gotime.from_unix_nano(rt.now_ns))
    if fn == "Rand":
        return lambda: rt.rng.random()  # noqa: PLW0108 - rt.rng may be replaced later
    if fn == "UnixSecond":
        return lambda ts: float(ts.t.unix_nano()) / 1e9
    if fn == "SinceSecond":

        def since(obj: Any) -> Any:
            created = obj.creation_ns()
            d = rt.now_ns - created
            d = max(min(d, I64_MAX), I64_MIN)
            sec = _go_div(d, 1_000_000_000)
            return float(sec) + float(d - sec * 1_000_000_000) / 1e9

        return since
    if fn == "Quantity":

        def quantity(s: str) -> Any:
            try:
                return CelQuantity(Qm.parse_quantity(s))
            except Qm.QuantityError as e:
                return Err(str(e))

        return quantity
    return None


class Compiler:
    """Turns a checked AST into a closure ``f(activation) -> value``."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def compile(self, e: Expr) -> Fn:
        if isinstance(e, Lit):
            v: Any = e.value
            if e.kind == "uint":
                v = Uint(v)
            return lambda act: v
        if isinstance(e, Ident):
            return self._ident(e)
        if isinstance(e, Select):
            return self._select(e)
        if isinstance(e, Call):
            return self._call(e)
        if isinstance(e, ListE):
            elems = [self.compile(x) for x in e.elems]

            def mklist(act: dict[str, Any]) -> Any:
                out = []
                for f in elems:
                    v = f(act)
                    if isinstance(v, Err):
                        return v
                    out.append(v)
                return out

            return mklist
        if isinstance(e, MapE):
            entries = [(self.compile(k), self.compile(v)) for _, k, v in e.entries]

            def mkmap(act: dict[str, Any]) -> Any:
                m = CelMap()
                for kf, vf in entries:
                    k = kf(act)
                    if isinstance(k, Err):
                        return k
                    v = vf(act)
                    if isinstance(v, Err):
                        return v
                    m.put(k, v)
                return m

            return mkmap
        if isinstance(e, Comp):
            return self._comp(e)
        if isinstance(e, (StructE, Bad)):
            return lambda act: Err("unsupported expression")
        raise TypeError(type(e))

    def _ident(self, e: Ident) -> Fn:
        name = e.name
        if (
            isinstance(e.t, T.CelType)
            and e.t.kind == T.TYPE
            and name
            in (
                "bool",
                "bytes",
                "double",
                "google.protobuf.Duration",
                "int",
                "list",
                "map",
                "null_type",
                "string",
                "google.protobuf.Timestamp",
                "type",
                "uint",
            )
        ):
            tv = TypeVal(name)

            def lookup_type(act: dict[str, Any]) -> Any:
                return act.get(name, tv)

            return lookup_type

        def lookup(act: dict[str, Any]) -> Any:
            try:
                return act[name]
            except KeyError:
                return Err(f"no such attribute(s): {name}")

        return lookup

    def _select(self, e: Select) -> Fn:
        if e.resolved is not None:
            ident = Ident(e.off, e.resolved)
            ident.t = e.t
            return self._ident(ident)
        operand = self.compile(e.operand)
        field = e.field
        if e.test_only:

            def has(act: dict[str, Any]) -> Any:
                obj = operand(act)
                if isinstance(obj, Err):
                    return obj
                return qualify(obj, field, presence=True)

            return has

        def sel(act: dict[str, Any]) -> Any:
            obj = operand(act)
            if isinstance(obj, Err):
                return obj
            if type(obj) is dict:
                try:
                    return native(obj[field])
                except KeyError:
                    return Err(f"no such key: {field}")
            return qualify(obj, field)

        return sel

    def _call(self, e: Call) -> Fn:
        fn = e.fn
        args = ([self.compile(e.target)] if e.target is not None else []) + [self.compile(a) for a in e.args]
        if fn in {"_&&_", "_||_"}:
            return self._logic(args, fn == "_&&_")
        if fn == "_?_:_":
            c, tf, ff = args

            def cond(act: dict[str, Any]) -> Any:
                v = c(act)
                if v is True:
                    return tf(act)
                if v is False:
                    return ff(act)
                return maybe_no_overload(v)

            return cond
        if fn == "@not_strictly_false":
            a0 = args[0]

            def nsf(act: dict[str, Any]) -> Any:
                v = a0(act)
                return v if type(v) is bool else True

            return nsf
        if fn in ("_==_", "_!=_"):
            lf, rf = args
            neq = fn == "_!=_"

            def eq(act: dict[str, Any]) -> Any:
                a = lf(act)
                b = rf(act)
                if isinstance(a, Err):
                    return a
                if isinstance(b, Err):
                    return b
                r = equal(a, b)
                if neq:
                    return r is not True
                return r

            return eq
        if fn == "_[_]":
            lf, rf = args

            def index(act: dict[str, Any]) -> Any:
                a = lf(act)
                if isinstance(a, Err):
                    return a
                b = rf(act)
                if isinstance(b, Err):
                    return b
                return qualify(a, b)

            return index
        impl: Callable[..., Any]
        if fn == "@in":
            return self._strict(args, op_in)
        if fn == "!_":
            return self._strict(args, lambda v: (not v) if type(v) is bool else maybe_no_overload(v))
        if fn == "type":
            return self._strict(args, to_type)
        if fn == "dyn":
            return args[0]
        trait = _OP_TRAIT.get(fn)
        if trait is not None:
            impl = {  # type: ignore[assignment]
                "_+_": op_add,
                "_-_": op_sub,
                "_*_": op_mul,
                "_/_": op_div,
                "_%_": op_mod,
                "-_": op_neg,
                "size": op_size,
                "matches": op_matches,
            }.get(fn) or _cmp_op(fn)
            return self._trait_call(args, fn, trait, impl)
        if fn in ("contains", "startsWith", "endsWith"):

            def strfn(a: Any, b: Any) -> Any:
                if type(a) is not str:
                    return maybe_no_overload(a)
                if type(b) is not str:
                    return maybe_no_overload(b)
                if fn == "contains":
                    return b in a
                return a.startswith(b) if fn == "startsWith" else a.endswith(b)

            return self._strict(args, strfn)
        return self._dispatch(e, fn, args)

    def _logic(self, args: list[Fn], is_and: bool) -> Fn:
        stop = not is_and
        lf, rf = args

        def logic(act: dict[str, Any]) -> Any:
            err = None
            for f in (lf, rf):
                v = f(act)
                if v is stop:
                    return stop
                if type(v) is not bool and err is None:
                    err = v if isinstance(v, Err) else Err("no such overload")
            if err is not None:
                return err
            return not stop

        return logic

    def _strict(self, args: list[Fn], impl: Callable[..., Any]) -> Fn:
        if len(args) == 1:
            a0 = args[0]

            def unary(act: dict[str, Any]) -> Any:
                v = a0(act)
                if isinstance(v, Err):
                    return v
                return impl(v)

            return unary
        if len(args) == 2:
            a0, a1 = args

            def binary(act: dict[str, Any]) -> Any:
                v0 = a0(act)
                v1 = a1(act)
                if isinstance(v0, Err):
                    return v0
                if isinstance(v1, Err):
                    return v1
                return impl(v0, v1)

            return binary

        def varargs(act: dict[str, Any]) -> Any:
            vals = []
            for f in args:
                v = f(act)
                if isinstance(v, Err):
                    return v
                vals.append(v)
            return impl(*vals)

        return varargs

    def _trait_call(self, args: list[Fn], fn: str, trait: str, impl: Callable[..., Any]) -> Fn:
        def guarded(*vals: Any) -> Any:
            v0 = vals[0]
            if _has_trait(v0, trait):
                return impl(*vals)
            if type(v0) in (str, Timestamp, Duration):
                return no_overload()
            return Err(f"no such overload: {fn}")

        return self._strict(args, guarded)

    def _dispatch(self, e: Call, fn: str, args: list[Fn]) -> Fn:
        decls = {o.id: o for o in FUNCTIONS.get(fn, [])}
        cands = []
        for oid in e.overloads:
            o = decls.get(oid)
            if o is None:
                continue
            impl = _overload_impl(oid, fn, self.rt)
            if impl is not None:
                cands.append((o, impl))
        if len(e.overloads) > 1:
            # Several checked overloads: the function-level dispatcher tries all of them in order.
            cands = []
            for o in FUNCTIONS.get(fn, []):
                impl = _overload_impl(o.id, fn, self.rt)
                if impl is not None:
                    cands.append((o, impl))

        def call(*vals: Any) -> Any:
            for o, impl in cands:
                if len(o.args) == len(vals) and all(_guard(t, v) for t, v in zip(o.args, vals)):
                    return impl(*vals)
            return Err(f"no such overload: {fn}({', '.join(type_name(v) for v in vals)})")

        if not args:
            return lambda act: call()
        return self._strict(args, call)

    def _comp(self, e: Comp) -> Fn:
        rng = self.compile(e.iter_range)
        init = self.compile(e.accu_init)
        cond = self.compile(e.cond)
        step = self.compile(e.step)
        result = self.compile(e.result)
        it_var, accu_var = e.iter_var, e.accu_var

        def comp(act: dict[str, Any]) -> Any:
            r = rng(act)
            if isinstance(r, Err):
                return r
            if isinstance(r, (list, tuple)):
                items: Any = (native(x) for x in r)
            elif isinstance(r, (dict, CelMap)):
                items = map_keys(r)
            else:
                return Err(f"got '{go_type(r)}', expected iterable type")
            saved_it = act.get(it_var, _MISSING)
            saved_acc = act.get(accu_var, _MISSING)
            accu = init(act)
            if isinstance(accu, list) and not accu:
                accu = MutableList()
            act[accu_var] = accu
            try:
                for x in items:
                    act[it_var] = x
                    c = cond(act)
                    if type(c) is bool and c is not True:
                        break
                    act[accu_var] = step(act)
                act.pop(it_var, None)
                res = result(act)
            finally:
                _restore(act, it_var, saved_it)
                _restore(act, accu_var, saved_acc)
            if type(res) is MutableList:
                res = list(res)
            return res

        return comp


_MISSING = object()


def _restore(act: dict[str, Any], name: str, saved: Any) -> None:
    if saved is _MISSING:
        act.pop(name, None)
    else:
        act[name] = saved

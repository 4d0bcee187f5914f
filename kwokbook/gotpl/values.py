"""Go's value model, as much of it as KWOK templates can observe.

KWOK hands templates a tree decoded from JSON with ``UseNumber``: maps, lists, strings, bools,
nil and ``json.Number``. Template constants and function results add Go's typed values (``int``,
``int64``, ``float64``, ``time.Time``, ``[]string`` …). What a template prints, compares and passes
to functions depends on those Go types, so every Python value here knows its Go type:

=========================  =============================================
Python value               Go value
=========================  =============================================
``MISSING``                invalid ``reflect.Value`` (missing map key)
``None``                   nil ``interface{}`` (JSON null)
``bool``                   ``bool``
``int`` (exactly)          ``int``
``GoInt`` subclasses       ``int64``, ``int32``, ``uint8``, ``time.Duration`` …
``float``                  ``float64``
``complex``                ``complex128``
``str``                    ``string``
``JsonNumber``             ``json.Number`` (a named *string* type)
``list``                   ``[]interface {}``
``GoSlice``                any other slice type (``[]string`` …), possibly nil
``dict``                   ``map[string]interface {}``
``GoMap``                  any other map type (``map[string]string`` …), possibly nil
``GoStruct`` subclasses    structs and pointers to structs (``time.Time``, ``*semver.Version``)
=========================  =============================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

# ---------------------------------------------------------------------------------------------
# Kinds (reflect.Kind names, as Go prints them with %v of a Kind)

INVALID = "invalid"
BOOL = "bool"
INT = "int"
INT8 = "int8"
INT16 = "int16"
INT32 = "int32"
INT64 = "int64"
UINT = "uint"
UINT8 = "uint8"
UINT16 = "uint16"
UINT32 = "uint32"
UINT64 = "uint64"
UINTPTR = "uintptr"
FLOAT32 = "float32"
FLOAT64 = "float64"
COMPLEX64 = "complex64"
COMPLEX128 = "complex128"
STRING = "string"
SLICE = "slice"
ARRAY = "array"
MAP = "map"
STRUCT = "struct"
PTR = "ptr"
INTERFACE = "interface"
FUNC = "func"

INT_KINDS = frozenset({INT, INT8, INT16, INT32, INT64})
UINT_KINDS = frozenset({UINT, UINT8, UINT16, UINT32, UINT64, UINTPTR})
FLOAT_KINDS = frozenset({FLOAT32, FLOAT64})
COMPLEX_KINDS = frozenset({COMPLEX64, COMPLEX128})
NILLABLE_KINDS = frozenset({MAP, SLICE, PTR, INTERFACE, FUNC})

INT_BITS = {INT: 64, INT8: 8, INT16: 16, INT32: 32, INT64: 64}
UINT_BITS = {UINT: 64, UINT8: 8, UINT16: 16, UINT32: 32, UINT64: 64, UINTPTR: 64}


@dataclass(frozen=True, eq=False)
class GoType:
    """A Go type: its printed name (``%T``), its reflect kind and, for composites, its parts.

    Types are compared by identity of ``name`` (Go's identical-types rule is by name for the
    types that reach templates).
    """

    name: str
    kind: str
    elem: GoType | None = None
    key: GoType | None = None
    methods: tuple[str, ...] = ()  # method set, for Implements(fmt.Stringer/error)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        return self.name

    @property
    def is_interface(self) -> bool:
        return self.kind == INTERFACE

    @property
    def can_be_nil(self) -> bool:
        return self.kind in NILLABLE_KINDS or self is T_REFLECT_VALUE


T_INTERFACE = GoType("interface {}", INTERFACE)
T_ERROR = GoType("error", INTERFACE, methods=("Error",))
T_REFLECT_VALUE = GoType("reflect.Value", STRUCT)
T_BOOL = GoType("bool", BOOL)
T_INT = GoType("int", INT)
T_INT8 = GoType("int8", INT8)
T_INT16 = GoType("int16", INT16)
T_INT32 = GoType("int32", INT32)
T_INT64 = GoType("int64", INT64)
T_UINT = GoType("uint", UINT)
T_UINT8 = GoType("uint8", UINT8)
T_UINT16 = GoType("uint16", UINT16)
T_UINT32 = GoType("uint32", UINT32)
T_UINT64 = GoType("uint64", UINT64)
T_UINTPTR = GoType("uintptr", UINTPTR)
T_FLOAT32 = GoType("float32", FLOAT32)
T_FLOAT64 = GoType("float64", FLOAT64)
T_COMPLEX64 = GoType("complex64", COMPLEX64)
T_COMPLEX128 = GoType("complex128", COMPLEX128)
T_STRING = GoType("string", STRING)
T_JSON_NUMBER = GoType("json.Number", STRING, methods=("Float64", "Int64", "String"))
T_DURATION = GoType("time.Duration", INT64, methods=("String",))
T_MONTH = GoType("time.Month", INT, methods=("String",))
T_WEEKDAY = GoType("time.Weekday", INT, methods=("String",))


def slice_of(elem: GoType) -> GoType:
    return _intern(GoType(f"[]{elem.name}", SLICE, elem=elem))


def map_of(key: GoType, elem: GoType) -> GoType:
    return _intern(GoType(f"map[{key.name}]{elem.name}", MAP, elem=elem, key=key))


_INTERNED: dict[str, GoType] = {}


def _intern(t: GoType) -> GoType:
    return _INTERNED.setdefault(t.name, t)


T_SLICE_IFACE = slice_of(T_INTERFACE)
T_MAP_IFACE = map_of(T_STRING, T_INTERFACE)
T_SLICE_STRING = slice_of(T_STRING)
T_SLICE_INT = slice_of(T_INT)
T_SLICE_BYTE = slice_of(T_UINT8)
T_MAP_STRING_STRING = map_of(T_STRING, T_STRING)

for _t in (
    T_INTERFACE, T_ERROR, T_REFLECT_VALUE, T_BOOL, T_INT, T_INT8, T_INT16, T_INT32, T_INT64, T_UINT,
    T_UINT8, T_UINT16, T_UINT32, T_UINT64, T_UINTPTR, T_FLOAT32, T_FLOAT64, T_COMPLEX64, T_COMPLEX128,
    T_STRING, T_JSON_NUMBER, T_DURATION, T_MONTH, T_WEEKDAY,
):
    _intern(_t)
_intern(GoType("any", INTERFACE))  # alias spelling used in signatures; printed as interface {}
_INTERNED["any"] = T_INTERFACE


def parse_type(spec: str) -> GoType:
    """Parse a Go type expression used in function signatures (``[]string``, ``map[string]interface {}``)."""
    spec = spec.strip()
    if spec in ("interface{}", "any"):
        return T_INTERFACE
    known = _INTERNED.get(spec)
    if known is not None:
        return known
    if spec.startswith("[]"):
        return slice_of(parse_type(spec[2:]))
    if spec.startswith("map["):
        depth = 0
        for i, ch in enumerate(spec):
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    return map_of(parse_type(spec[4:i]), parse_type(spec[i + 1 :]))
    raise ValueError(f"unknown Go type {spec!r}")


def register_type(t: GoType) -> GoType:
    """Make a named type (struct, pointer) known to :func:`parse_type`."""
    return _intern(t)


# ---------------------------------------------------------------------------------------------
# Values


class _Missing:
    """Go's invalid ``reflect.Value``: what a missing map key evaluates to."""

    _instance: ClassVar[_Missing | None] = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class JsonNumber(str):
    """``encoding/json.Number``: a number kept as its JSON text; a string kind for Go."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"JsonNumber({str.__repr__(self)})"


class GoInt(int):
    """Base for Go integer types other than ``int``; ``gotype`` says which."""

    gotype: ClassVar[GoType] = T_INT64
    __slots__ = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


def _int_class(name: str, t: GoType) -> type[GoInt]:
    return type(name, (GoInt,), {"gotype": t, "__slots__": ()})


Int8 = _int_class("Int8", T_INT8)
Int16 = _int_class("Int16", T_INT16)
Int32 = _int_class("Int32", T_INT32)
Int64 = _int_class("Int64", T_INT64)
Uint = _int_class("Uint", T_UINT)
Uint8 = _int_class("Uint8", T_UINT8)
Uint16 = _int_class("Uint16", T_UINT16)
Uint32 = _int_class("Uint32", T_UINT32)
Uint64 = _int_class("Uint64", T_UINT64)
Uintptr = _int_class("Uintptr", T_UINTPTR)

_INT_CLASS_BY_TYPE: dict[str, type[GoInt]] = {
    c.gotype.name: c for c in (Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr)
}


class Float32(float):
    __slots__ = ()
    gotype: ClassVar[GoType] = T_FLOAT32


class GoSlice(list):
    """A slice whose Go type is not ``[]interface {}`` (or a nil slice of any type)."""

    __slots__ = ("gotype", "is_nil")

    def __init__(self, items: Iterable[Any] = (), gotype: GoType = T_SLICE_IFACE, is_nil: bool = False) -> None:
        super().__init__(items)
        self.gotype = gotype
        self.is_nil = is_nil and not self

    def __repr__(self) -> str:
        return f"GoSlice({list.__repr__(self)}, {self.gotype.name}{', nil' if self.is_nil else ''})"


class GoMap(dict):
    """A map whose Go type is not ``map[string]interface {}`` (or a nil map of any type)."""

    __slots__ = ("gotype", "is_nil")

    def __init__(self, items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (), gotype: GoType = T_MAP_IFACE,
                 is_nil: bool = False) -> None:
        super().__init__(items)
        self.gotype = gotype
        self.is_nil = is_nil and not self

    def __repr__(self) -> str:
        return f"GoMap({dict.__repr__(self)}, {self.gotype.name}{', nil' if self.is_nil else ''})"


@dataclass(frozen=True)
class Method:
    """A Go method callable from templates: ``.Name arg…`` on a value of the receiver type."""

    name: str
    sig: Signature
    fn: Callable[..., Any]  # fn(receiver, *args)


class GoStruct:
    """Base for Go struct (or pointer-to-struct) values reachable from templates.

    Subclasses set ``gotype`` and list exported fields in ``go_fields`` (printing order) and
    methods in ``go_methods``. ``%v`` printing, field access and method calls go through these.
    """

    gotype: ClassVar[GoType]
    go_fields: ClassVar[tuple[str, ...]] = ()
    go_methods: ClassVar[Mapping[str, Method]] = {}

    def go_field(self, name: str) -> Any:
        return getattr(self, name)

    def go_string(self) -> str | None:
        """The ``String()`` result if the type is a ``fmt.Stringer``, else ``None``."""
        m = self.go_methods.get("String")
        if m is None or m.sig.params:
            return None
        return str(m.fn(self))

    def go_json(self) -> Any:
        """The value ``encoding/json`` would encode for this struct (override per type)."""
        return {name: self.go_field(name) for name in self.go_fields}


# ---------------------------------------------------------------------------------------------
# Function signatures


@dataclass(frozen=True)
class Signature:
    """A Go function type: parameter types, a variadic element type, result types.

    ``returns_error`` marks the ``(T, error)`` form; the Python implementation then raises
    :class:`GoError` to return an error.
    """

    params: tuple[GoType, ...] = ()
    variadic: GoType | None = None
    result: GoType = T_INTERFACE
    returns_error: bool = False

    @property
    def num_in(self) -> int:
        return len(self.params) + (1 if self.variadic is not None else 0)

    def __str__(self) -> str:
        parts = [p.name for p in self.params]
        if self.variadic is not None:
            parts.append("..." + self.variadic.name)
        res = self.result.name
        if self.returns_error:
            res = f"({res}, error)"
        return f"func({', '.join(parts)}) {res}"


def sig(spec: str) -> Signature:
    """Build a :class:`Signature` from ``"string, ...interface {} -> (string, error)"``."""
    if "->" in spec:
        args_spec, res_spec = (s.strip() for s in spec.split("->", 1))
    else:
        args_spec, res_spec = spec.strip(), "interface {}"
    params: list[GoType] = []
    variadic: GoType | None = None
    for part in _split_top(args_spec):
        if part.startswith("..."):
            variadic = parse_type(part[3:])
        else:
            params.append(parse_type(part))
    returns_error = False
    if res_spec.startswith("(") and res_spec.endswith(")"):
        inner = _split_top(res_spec[1:-1])
        if len(inner) == 2 and inner[1] == "error":
            returns_error = True
            res_spec = inner[0]
    return Signature(tuple(params), variadic, parse_type(res_spec), returns_error)


def _split_top(spec: str) -> list[str]:
    out: list[str] = []
    depth = 0
    cur = ""
    for ch in spec:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            if cur.strip():
                out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


class GoError(Exception):
    """An ``error`` returned (or a panic raised) by a Go function; ``str()`` is ``err.Error()``."""


@dataclass
class GoFunc:
    """A template-callable function with a Go signature.

    ``fn`` takes already-converted Python values. With ``raw_args`` the executor passes the
    arguments unconverted (Go builtins that take ``reflect.Value``).
    """

    name: str
    sig: Signature
    fn: Callable[..., Any]
    builtin: bool = False
    doc: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)  # e.g. {"clock", "random", "env", "network"}
    needs_env: bool = False  # fn(env, *args): gets the render's Env (clock, rng, environment) first


def gofunc(registry: dict[str, GoFunc], name: str, spec: str, *, tags: Iterable[str] = (),
           needs_env: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register ``fn`` under ``name`` with the Go signature ``spec`` into ``registry``.

    Example::

        @gofunc(FUNCS, "repeat", "int, string -> string")
        def _repeat(count: int, s: str) -> str: ...
    """

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        registry[name] = GoFunc(name, sig(spec), fn, doc=(fn.__doc__ or "").strip(), tags=frozenset(tags),
                                needs_env=needs_env)
        return fn

    return wrap


# ---------------------------------------------------------------------------------------------
# Reflection helpers

_TYPE_OF_PY: dict[type, GoType] = {
    bool: T_BOOL,
    int: T_INT,
    float: T_FLOAT64,
    complex: T_COMPLEX128,
    str: T_STRING,
    JsonNumber: T_JSON_NUMBER,
    list: T_SLICE_IFACE,
    dict: T_MAP_IFACE,
    Float32: T_FLOAT32,
}


def type_of(v: Any) -> GoType | None:
    """The dynamic Go type of ``v``; ``None`` for nil and MISSING."""
    t = _TYPE_OF_PY.get(type(v))
    if t is not None:
        return t
    if v is None or v is MISSING:
        return None
    gt = getattr(v, "gotype", None)
    if isinstance(gt, GoType):
        return gt
    if isinstance(v, bool):
        return T_BOOL
    if isinstance(v, int):
        return T_INT
    if isinstance(v, float):
        return T_FLOAT64
    if isinstance(v, str):
        return T_STRING
    if isinstance(v, list):
        return T_SLICE_IFACE
    if isinstance(v, dict):
        return T_MAP_IFACE
    if isinstance(v, GoFunc):
        return GoType(str(v.sig), FUNC)
    raise TypeError(f"no Go type for Python value {v!r}")


def type_name(v: Any) -> str:
    """``%T`` of a value (``<nil>`` for nil)."""
    t = type_of(v)
    return "<nil>" if t is None else t.name


def kind_of(v: Any) -> str:
    t = type_of(v)
    return INVALID if t is None else t.kind


def is_nil_value(v: Any) -> bool:
    """Go's ``isNil`` from text/template funcs.go: invalid, or a nil of a nillable kind."""
    if v is None or v is MISSING:
        return True
    if isinstance(v, (GoSlice, GoMap)):
        return v.is_nil
    return False


def is_true(v: Any) -> bool:
    """Go template truth (exec.go ``isTrue``): zero values are false, structs are true."""
    if v is None or v is MISSING:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (str, list, dict)):
        return len(v) > 0
    if isinstance(v, (int, float, complex)):
        return v != 0
    if isinstance(v, GoStruct):
        return not getattr(v, "go_is_nil", False)
    if isinstance(v, GoFunc):
        return True
    return True


def assignable(v: Any, t: GoType) -> bool:
    """Go's ``AssignableTo`` for a non-nil value and a parameter type."""
    if t.kind == INTERFACE:
        if t is T_INTERFACE or not t.methods:
            return True
        vt = type_of(v)
        return vt is not None and all(m in vt.methods for m in t.methods)
    vt = type_of(v)
    return vt is not None and vt.name == t.name


def zero_value(t: GoType) -> Any:
    """``reflect.Zero(t)`` for the types functions receive when handed a missing value."""
    k = t.kind
    if k == INTERFACE or t is T_REFLECT_VALUE:
        return None
    if k == SLICE:
        return GoSlice((), t, is_nil=True)
    if k == MAP:
        return GoMap((), t, is_nil=True)
    if k == BOOL:
        return False
    if k == STRING:
        return JsonNumber("") if t is T_JSON_NUMBER else ""
    if k in INT_KINDS or k in UINT_KINDS:
        return make_int(t, 0)
    if k in FLOAT_KINDS:
        return 0.0
    if k in COMPLEX_KINDS:
        return 0j
    return None


def make_int(t: GoType, n: int) -> int:
    """An integer of Go type ``t``, wrapped (two's complement) the way a Go conversion wraps."""
    k = t.kind
    if k in INT_BITS:
        bits = INT_BITS[k]
        n &= (1 << bits) - 1
        if n >= 1 << (bits - 1):
            n -= 1 << bits
    elif k in UINT_BITS:
        n &= (1 << UINT_BITS[k]) - 1
    if t is T_INT:
        return int(n)
    cls = _INT_CLASS_BY_TYPE.get(t.name)
    if cls is not None:
        return cls(n)
    for special in (Duration, Month, Weekday):
        if special.gotype is t:
            return special(n)
    return int(n)


def wrap_int64(n: int) -> int:
    """Wrap to int64 range, as Go arithmetic on int64 overflows."""
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def float_to_int64(f: float) -> int:
    """Go's ``int64(f)`` on amd64: truncation; NaN/out-of-range give math.MinInt64."""
    if math.isnan(f) or math.isinf(f) or not (-(2.0**63) <= f < 2.0**63):
        return -(1 << 63)
    return int(f)


class Duration(GoInt):
    """``time.Duration``: int64 nanoseconds that print as ``1h2m3.5s``."""

    gotype: ClassVar[GoType] = T_DURATION
    __slots__ = ()

    def __str__(self) -> str:
        return format_duration(int(self))


class Month(GoInt):
    gotype: ClassVar[GoType] = T_MONTH
    __slots__ = ()
    NAMES: ClassVar[tuple[str, ...]] = (
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    )

    def __str__(self) -> str:
        n = int(self)
        if 1 <= n <= 12:
            return self.NAMES[n - 1]
        return f"%!Month({n})"


class Weekday(GoInt):
    gotype: ClassVar[GoType] = T_WEEKDAY
    __slots__ = ()
    NAMES: ClassVar[tuple[str, ...]] = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

    def __str__(self) -> str:
        n = int(self)
        if 0 <= n <= 6:
            return self.NAMES[n]
        return f"%!Weekday({n})"


def format_duration(d: int) -> str:
    """Go's ``time.Duration.String``."""
    if d == 0:
        return "0s"
    neg = d < 0
    u = -d if neg else d
    if u < 1_000_000_000:
        if u < 1_000:
            out = f"{u}ns"
        elif u < 1_000_000:
            out = _frac_str(u, 3) + "µs"
        else:
            out = _frac_str(u, 6) + "ms"
    else:
        secs, frac = divmod(u, 1_000_000_000)
        s = str(secs % 60) + (_frac_digits(frac, 9))
        out = s + "s"
        mins = secs // 60
        if mins > 0:
            out = f"{mins % 60}m" + out
            hours = mins // 60
            if hours > 0:
                out = f"{hours}h" + out
    return "-" + out if neg else out


def _frac_digits(frac: int, prec: int) -> str:
    if frac == 0:
        return ""
    digits = str(frac).rjust(prec, "0").rstrip("0")
    return "." + digits


def _frac_str(u: int, prec: int) -> str:
    whole, frac = divmod(u, 10**prec)
    return str(whole) + _frac_digits(frac, prec)


GO_TYPE_INDEX: dict[str, Any] = {}  # filled by modules that define named types (time, semver …)



def deep_equal(x: Any, y: Any) -> bool:
    """``reflect.DeepEqual`` over the value model.

    Dynamic types must be identical (``1`` is not ``json.Number "1"``, ``[]int`` is not
    ``[]interface {}``); a nil slice or map is not equal to an empty one; the very same slice or
    map object is equal to itself without looking at elements (so a list holding NaN equals
    itself, as in Go, although NaN != NaN).
    """
    if x is MISSING:
        x = None
    if y is MISSING:
        y = None
    if x is None or y is None:
        return x is None and y is None
    if type_of(x) != type_of(y):
        return False
    return _deep_value_equal(x, y)


def _nil_collection(v: Any) -> bool:
    return isinstance(v, (GoSlice, GoMap)) and v.is_nil


def _deep_value_equal(a: Any, b: Any) -> bool:
    """deepValueEqual for two values of the same Go type."""
    if isinstance(a, list):
        if _nil_collection(a) != _nil_collection(b) or len(a) != len(b):
            return False
        if a is b:
            return True
        return all(deep_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        if _nil_collection(a) != _nil_collection(b) or len(a) != len(b):
            return False
        if a is b:
            return True
        return all(k in b and deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, GoStruct):
        hook = getattr(a, "go_deep_equal", None)
        if callable(hook):
            return bool(hook(b))
        return all(deep_equal(a.go_field(f), b.go_field(f)) for f in a.go_fields)
    return bool(a == b)  # numbers (NaN != NaN), strings, bools, complex

"""Sprig's "defaults, JSON, flow" group (``defaults.go``, ``compact``/``deepCopy``, ``fail``).

``empty`` (and so ``default``, ``coalesce``, ``all``, ``any``, ``compact``) decides by Go reflect
kind, not by template truth of the *number*: a data number is a ``json.Number`` — a non-empty
*string* — so ``default 5 .zero`` keeps the ``0`` from the data, while an int constant ``0`` is
empty. The JSON functions are Go's ``encoding/json`` (:mod:`kwokbook.gotpl.gojson`);
``fromJson`` gives float64 numbers, not json.Number.
"""

from __future__ import annotations

from typing import Any

from ..values import (
    BOOL,
    COMPLEX_KINDS,
    FLOAT_KINDS,
    INT_KINDS,
    MAP,
    MISSING,
    SLICE,
    STRING,
    STRUCT,
    UINT_KINDS,
    GoError,
    GoMap,
    GoSlice,
    GoStruct,
    gofunc,
    kind_of,
)
from ._registry import FUNCS


def empty(given: Any) -> bool:
    """Sprig's ``empty``: the zero value of its type (``reflect`` kind switch).

    Invalid/nil is empty; strings, slices, maps by length; numbers and bools by value;
    structs never; pointers and funcs when nil.
    """
    if given is None or given is MISSING:
        return True
    k = kind_of(given)
    if k in (SLICE, MAP, STRING, "array"):
        return len(given) == 0
    if k == BOOL:
        return not given
    if k in INT_KINDS or k in UINT_KINDS or k in FLOAT_KINDS or k in COMPLEX_KINDS:
        return bool(given == 0)
    if k == STRUCT:
        return False
    # ptr, func, chan …: IsNil
    return bool(getattr(given, "go_is_nil", False))


def _default(d: Any, *given: Any) -> Any:
    """``default D V``: V unless it is empty (a missing V counts as empty)."""
    if not given or empty(given[0]):
        return d
    return given[0]


def _empty(given: Any) -> bool:
    return empty(given)


def _coalesce(*v: Any) -> Any:
    for val in v:
        if not empty(val):
            return val
    return None


def _all(*v: Any) -> bool:
    return all(not empty(val) for val in v)


def _any(*v: Any) -> bool:
    return any(not empty(val) for val in v)


def must_compact(lst: Any) -> list[Any]:
    """Sprig's ``mustCompact``: a slice without its empty elements, as ``[]interface {}``.

    ``reflect.TypeOf(nil).Kind()`` dereferences a nil Type, so nil panics; other kinds are an
    error naming the kind.
    """
    if lst is None or lst is MISSING:
        raise GoError("runtime error: invalid memory address or nil pointer dereference")
    k = kind_of(lst)
    if k in (SLICE, "array"):
        return [item for item in lst if not empty(item)]
    raise GoError(f"Cannot compact on type {k}")


def _compact(lst: Any) -> list[Any]:
    return must_compact(lst)


def _must_compact(lst: Any) -> list[Any]:
    return must_compact(lst)


# ---------------------------------------------------------------------------------------------
# JSON


def _from_json(v: str) -> Any:
    """``json.Unmarshal`` into ``interface{}``, errors dropped.

    A syntax error leaves nil; a number that does not fit float64 (``1e400``) is an error
    that Go reports *after* decoding the rest, so the value with a nil in its place is kept.
    """
    from ..gojson import GoJSONError, unmarshal

    try:
        return unmarshal(v)
    except GoJSONError as e:
        return e.value  # what Unmarshal stored before returning the error (nil on syntax errors)


def _must_from_json(v: str) -> Any:
    from ..gojson import unmarshal

    return unmarshal(v)


def _to_json(v: Any) -> str:
    """``json.Marshal``; an encoding error (NaN, a complex, a func) gives ``""``."""
    from ..gojson import marshal

    try:
        return marshal(v)
    except GoError:
        return ""


def _must_to_json(v: Any) -> str:
    from ..gojson import marshal

    return marshal(v)


def _to_pretty_json(v: Any) -> str:
    """``json.MarshalIndent(v, "", "  ")``; errors give ``""``."""
    from ..gojson import marshal_indent

    try:
        return marshal_indent(v, "", "  ")
    except GoError:
        return ""


def _must_to_pretty_json(v: Any) -> str:
    from ..gojson import marshal_indent

    return marshal_indent(v, "", "  ")


def _must_to_raw_json(v: Any) -> str:
    """An Encoder with ``SetEscapeHTML(false)``, trailing newline trimmed: ``<`` stays ``<``."""
    from ..gojson import marshal

    return marshal(v, escape_html=False)


def _to_raw_json(v: Any) -> str:
    """Like ``mustToRawJson`` but panics with the error (same message in a template)."""
    return _must_to_raw_json(v)


# ---------------------------------------------------------------------------------------------
# Flow


def _ternary(vt: Any, vf: Any, v: bool) -> Any:
    return vt if v else vf


def _fail(msg: str) -> str:
    raise GoError(msg)


def deep_copy(v: Any) -> Any:
    """``copystructure.Copy`` over the value model: fresh slices and maps, typed nils kept.

    A top-level nil panics inside copystructure (``reflect.Value.Type`` on the zero Value).
    Struct values are copied by their ``go_deep_copy()`` hook when they have one (Go copies
    exported fields only, so e.g. a ``*semver.Version`` comes back as ``0.0.0``), otherwise
    they are shared, which is right for immutable structs such as ``time.Time``.
    """
    if v is None or v is MISSING:
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    return _copy(v)


def _copy(v: Any) -> Any:
    if isinstance(v, GoSlice):
        return GoSlice((_copy(x) for x in v), v.gotype, is_nil=v.is_nil)
    if isinstance(v, list):
        return [_copy(x) for x in v]
    if isinstance(v, GoMap):
        return GoMap({k: _copy(x) for k, x in v.items()}, v.gotype, is_nil=v.is_nil)
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, GoStruct):
        hook = getattr(v, "go_deep_copy", None)
        return hook() if callable(hook) else v
    return v  # scalars are immutable; nil elements stay nil


def _deep_copy(i: Any) -> Any:
    return deep_copy(i)


def _must_deep_copy(i: Any) -> Any:
    return deep_copy(i)


# ---------------------------------------------------------------------------------------------
# Registration (Go signatures from sprig's functions.go / defaults.go)

for _name, _spec, _fn in (
    ("default", "interface {}, ...interface {} -> interface {}", _default),
    ("empty", "interface {} -> bool", _empty),
    ("coalesce", "...interface {} -> interface {}", _coalesce),
    ("all", "...interface {} -> bool", _all),
    ("any", "...interface {} -> bool", _any),
    ("compact", "interface {} -> []interface {}", _compact),
    ("mustCompact", "interface {} -> ([]interface {}, error)", _must_compact),
    ("fromJson", "string -> interface {}", _from_json),
    ("toJson", "interface {} -> string", _to_json),
    ("toPrettyJson", "interface {} -> string", _to_pretty_json),
    ("toRawJson", "interface {} -> string", _to_raw_json),
    ("mustFromJson", "string -> (interface {}, error)", _must_from_json),
    ("mustToJson", "interface {} -> (string, error)", _must_to_json),
    ("mustToPrettyJson", "interface {} -> (string, error)", _must_to_pretty_json),
    ("mustToRawJson", "interface {} -> (string, error)", _must_to_raw_json),
    ("ternary", "interface {}, interface {}, bool -> interface {}", _ternary),
    ("deepCopy", "interface {} -> interface {}", _deep_copy),
    ("mustDeepCopy", "interface {} -> (interface {}, error)", _must_deep_copy),
    ("fail", "string -> (string, error)", _fail),
):
    gofunc(FUNCS, _name, _spec)(_fn)

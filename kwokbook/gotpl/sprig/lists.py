"""Sprig v3.3.0's list functions (``list.go``): reflect over any slice, ``[]interface {}`` out.

Sprig takes ``interface{}`` and looks at ``reflect.TypeOf(list).Kind()``, so typed slices (the
``[]string`` of ``splitList``, nil slices) work like data lists, anything else is an error
``Cannot find first on type string``, and a nil argument (JSON null, a missing key) dereferences a
nil ``reflect.Type``: ``runtime error: invalid memory address or nil pointer dereference``, in the
``must`` variants too. The non-``must`` variants panic with the same error, which text/template
reports exactly like a returned error, so both forms raise the same :class:`GoError` here.

Results keep Go's nil-vs-empty distinction (``toJson`` prints ``null`` for a nil slice):
``rest``/``initial`` of an empty list and ``concat`` of nothing are nil.
"""

from __future__ import annotations

import math
from typing import Any

from ..cast import to_int
from ..values import (
    ARRAY,
    INT_KINDS,
    MISSING,
    SLICE,
    T_SLICE_IFACE,
    UINT_KINDS,
    GoError,
    GoSlice,
    deep_equal,
    float_to_int64,
    gofunc,
    kind_of,
    make_int,
    type_of,
)
from ._registry import FUNCS

NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"
MAKESLICE_LEN = "runtime error: makeslice: len out of range"
SLICE_OOB = "reflect.Value.Slice: slice index out of bounds"


def reflect_kind(v: Any) -> str:
    """``reflect.TypeOf(v).Kind()``; a nil interface panics, as the nil Type is dereferenced."""
    if v is None or v is MISSING:
        raise GoError(NIL_DEREF)
    return kind_of(v)


def is_listy(kind: str) -> bool:
    return kind in (SLICE, ARRAY)


def elems(v: Any) -> list[Any]:
    """``l2.Index(i).Interface()`` for every element: the element with its Go type."""
    items = list(v)
    t = type_of(v)
    elem = t.elem if t is not None else None
    if elem is not None and (elem.kind in INT_KINDS or elem.kind in UINT_KINDS):
        return [make_int(elem, x) if type(x) is int else x for x in items]
    return items


def _listy_elems(v: Any, msg: str) -> list[Any]:
    k = reflect_kind(v)
    if not is_listy(k):
        raise GoError(msg.format(k))
    return elems(v)


def nil_slice() -> GoSlice:
    """A nil ``[]interface {}`` inside an ``interface{}`` result."""
    return GoSlice((), T_SLICE_IFACE, is_nil=True)


# ---------------------------------------------------------------------------------------------
# Constructors


def _list(*v: Any) -> list[Any]:
    """The arguments as a ``[]interface {}`` (never nil: reflect packs even zero args)."""
    return list(v)


gofunc(FUNCS, "list", "...interface {} -> []interface {}")(_list)
gofunc(FUNCS, "tuple", "...interface {} -> []interface {}")(_list)


# ---------------------------------------------------------------------------------------------
# append/push, prepend


def _must_push(lst: Any, v: Any) -> list[Any]:
    return [*_listy_elems(lst, "Cannot push on type {}"), v]


def _must_prepend(lst: Any, v: Any) -> list[Any]:
    return [v, *_listy_elems(lst, "Cannot prepend on type {}")]


for _name in ("append", "push"):
    gofunc(FUNCS, _name, "interface {}, interface {} -> []interface {}")(_must_push)
for _name in ("mustAppend", "mustPush"):
    gofunc(FUNCS, _name, "interface {}, interface {} -> ([]interface {}, error)")(_must_push)
gofunc(FUNCS, "prepend", "interface {}, interface {} -> []interface {}")(_must_prepend)
gofunc(FUNCS, "mustPrepend", "interface {}, interface {} -> ([]interface {}, error)")(_must_prepend)


# ---------------------------------------------------------------------------------------------
# first, last, rest, initial, reverse


def _must_first(lst: Any) -> Any:
    items = _listy_elems(lst, "Cannot find first on type {}")
    return items[0] if items else None


def _must_last(lst: Any) -> Any:
    items = _listy_elems(lst, "Cannot find last on type {}")
    return items[-1] if items else None


def _must_rest(lst: Any) -> list[Any] | None:
    items = _listy_elems(lst, "Cannot find rest on type {}")
    return items[1:] if items else None


def _must_initial(lst: Any) -> list[Any] | None:
    items = _listy_elems(lst, "Cannot find initial on type {}")
    return items[:-1] if items else None


def _must_reverse(lst: Any) -> list[Any]:
    return _listy_elems(lst, "Cannot find reverse on type {}")[::-1]


gofunc(FUNCS, "first", "interface {} -> interface {}")(_must_first)
gofunc(FUNCS, "mustFirst", "interface {} -> (interface {}, error)")(_must_first)
gofunc(FUNCS, "last", "interface {} -> interface {}")(_must_last)
gofunc(FUNCS, "mustLast", "interface {} -> (interface {}, error)")(_must_last)
gofunc(FUNCS, "rest", "interface {} -> []interface {}")(_must_rest)
gofunc(FUNCS, "mustRest", "interface {} -> ([]interface {}, error)")(_must_rest)
gofunc(FUNCS, "initial", "interface {} -> []interface {}")(_must_initial)
gofunc(FUNCS, "mustInitial", "interface {} -> ([]interface {}, error)")(_must_initial)
gofunc(FUNCS, "reverse", "interface {} -> []interface {}")(_must_reverse)
gofunc(FUNCS, "mustReverse", "interface {} -> ([]interface {}, error)")(_must_reverse)


# ---------------------------------------------------------------------------------------------
# uniq, without, has (reflect.DeepEqual: an int 1 is not a json.Number "1")


def in_list(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, h) for h in haystack)


def _must_uniq(lst: Any) -> list[Any]:
    dest: list[Any] = []
    for item in _listy_elems(lst, "Cannot find uniq on type {}"):
        if not in_list(dest, item):
            dest.append(item)
    return dest


def _must_without(lst: Any, *omit: Any) -> list[Any]:
    items = _listy_elems(lst, "Cannot find without on type {}")
    omitted = list(omit)
    return [item for item in items if not in_list(omitted, item)]


def _must_has(needle: Any, haystack: Any) -> bool:
    if haystack is None or haystack is MISSING:  # `haystack == nil`: only a nil interface
        return False
    return in_list(_listy_elems(haystack, "Cannot find has on type {}"), needle)


gofunc(FUNCS, "uniq", "interface {} -> []interface {}")(_must_uniq)
gofunc(FUNCS, "mustUniq", "interface {} -> ([]interface {}, error)")(_must_uniq)
gofunc(FUNCS, "without", "interface {}, ...interface {} -> []interface {}")(_must_without)
gofunc(FUNCS, "mustWithout", "interface {}, ...interface {} -> ([]interface {}, error)")(_must_without)
gofunc(FUNCS, "has", "interface {}, interface {} -> bool")(_must_has)
gofunc(FUNCS, "mustHas", "interface {}, interface {} -> (bool, error)")(_must_has)


# ---------------------------------------------------------------------------------------------
# slice (replaces text/template's builtin slice), concat


def _must_slice(lst: Any, *indices: Any) -> Any:
    """``reflect.Value.Slice(start, end)``: the result keeps the slice's own type.

    Go checks ``end`` against the capacity, not the length; kwokbook does not track capacity
    (JSON-decoded lists often have spare capacity), so it checks against the length.
    """
    k = reflect_kind(lst)
    if not is_listy(k):
        raise GoError(f"list should be type of slice or array but {k}")
    n = len(lst)
    if n == 0:
        return None
    start = to_int(indices[0]) if indices else 0
    end = n if len(indices) < 2 else to_int(indices[1])
    if start < 0 or end < start or end > n:
        raise GoError(SLICE_OOB)
    part = elems(lst)[start:end]
    t = type_of(lst)
    if type(lst) is list:
        return part
    return GoSlice(part, t if t is not None else T_SLICE_IFACE)


gofunc(FUNCS, "slice", "interface {}, ...interface {} -> interface {}")(_must_slice)
gofunc(FUNCS, "mustSlice", "interface {}, ...interface {} -> (interface {}, error)")(_must_slice)


@gofunc(FUNCS, "concat", "...interface {} -> interface {}")
def _concat(*lists: Any) -> Any:
    """All elements of all lists; nil when none had an element (Go appends to a nil slice)."""
    res: list[Any] | None = None
    for lst in lists:
        items = _listy_elems(lst, "Cannot concat type {} as list")
        if items:
            if res is None:
                res = []
            res.extend(items)
    return nil_slice() if res is None else res


# ---------------------------------------------------------------------------------------------
# chunk: Go's float arithmetic decides the chunk count, including for size <= 0


def _go_div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _go_floor(x: float) -> float:
    return x if math.isnan(x) or math.isinf(x) else float(math.floor(x))


def _go_mod(x: float, y: float) -> float:
    if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
        return math.nan
    return math.fmod(x, y)


def _must_chunk(size: int, lst: Any) -> list[list[Any]]:
    items = _listy_elems(lst, "Cannot chunk type {}")
    n = len(items)
    cs = float_to_int64(_go_floor(_go_div(float(n - 1), float(size))) + 1)
    if cs < 0:
        raise GoError(MAKESLICE_LEN)
    out: list[list[Any]] = []
    for i in range(cs):
        clen = size
        if i == cs - 1:
            clen = float_to_int64(_go_floor(_go_mod(float(n), float(size))))
            if clen == 0:
                clen = size
        if clen < 0:
            raise GoError(MAKESLICE_LEN)
        chunk: list[Any] = []
        for j in range(clen):
            ix = i * size + j
            if not 0 <= ix < n:
                raise GoError("reflect: slice index out of range")
            chunk.append(items[ix])
        out.append(chunk)
    return out


gofunc(FUNCS, "chunk", "int, interface {} -> [][]interface {}")(_must_chunk)
gofunc(FUNCS, "mustChunk", "int, interface {} -> ([][]interface {}, error)")(_must_chunk)

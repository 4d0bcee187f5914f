"""Sprig v3.3.0's dict functions (``dict.go``), with ``merge`` as ``dario.cat/mergo`` v1.0.1 does it.

Go maps are references: ``set``, ``unset`` and ``merge`` mutate the map they are given and return
it, so a template sees the change through every variable that holds the map. Python dicts behave
the same, so these functions mutate in place too. Map iteration order is random in Go (``keys``,
``values``, ``omit``); kwokbook answers in insertion order, one of the orders Go may produce.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..values import (
    MAP,
    MISSING,
    PTR,
    SLICE,
    STRUCT,
    T_INTERFACE,
    T_MAP_IFACE,
    T_SLICE_BYTE,
    T_SLICE_IFACE,
    T_SLICE_STRING,
    T_STRING,
    GoError,
    GoFunc,
    GoMap,
    GoSlice,
    GoStruct,
    gofunc,
    kind_of,
    type_name,
    type_of,
)
from ._registry import FUNCS

# ---------------------------------------------------------------------------------------------
# strval: sprig's "anything to string" (strings.go), used for dict keys


def _sprint(v: Any) -> str:
    gofmt = importlib.import_module("kwokbook.gotpl.gofmt")
    return str(gofmt.sprint(v))


def strval(v: Any) -> str:
    """``strval``: strings as is, ``[]byte`` as text, errors and Stringers by method, else ``%v``."""
    if type(v) is str:
        return v
    t = type_of(v)
    if t is T_SLICE_BYTE and isinstance(v, GoSlice):
        from ..gostrconv import from_go_bytes

        return from_go_bytes(bytes(int(b) & 0xFF for b in v))
    if isinstance(v, GoStruct):
        err = v.go_methods.get("Error")
        if err is not None and not err.sig.params:
            return str(err.fn(v))
        s = v.go_string()
        if s is not None:
            return s
    elif t is not None and "String" in t.methods:  # json.Number, time.Duration, time.Month …
        return str.__str__(v) if isinstance(v, str) else str(v)
    return _sprint(v)


# ---------------------------------------------------------------------------------------------
# Simple accessors


def _is_nil_map(d: Any) -> bool:
    return isinstance(d, GoMap) and d.is_nil


@gofunc(FUNCS, "dict", "...interface {} -> map[string]interface {}")
def _dict(*v: Any) -> dict[str, Any]:
    """Pairs to a map; keys go through ``strval``; a trailing key without value maps to ``""``."""
    d: dict[str, Any] = {}
    for i in range(0, len(v), 2):
        key = strval(v[i])
        d[key] = "" if i + 1 >= len(v) else v[i + 1]
    return d


@gofunc(FUNCS, "get", "map[string]interface {}, string -> interface {}")
def _get(d: dict[str, Any], key: str) -> Any:
    """The value, or ``""`` (not nil) when the key is absent."""
    return d.get(key, "")


@gofunc(FUNCS, "set", "map[string]interface {}, string, interface {} -> map[string]interface {}")
def _set(d: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """Mutates ``d``; a nil map panics as Go's map assignment does."""
    if _is_nil_map(d):
        raise GoError("assignment to entry in nil map")
    d[key] = value
    return d


@gofunc(FUNCS, "unset", "map[string]interface {}, string -> map[string]interface {}")
def _unset(d: dict[str, Any], key: str) -> dict[str, Any]:
    d.pop(key, None)
    return d


@gofunc(FUNCS, "hasKey", "map[string]interface {}, string -> bool")
def _has_key(d: dict[str, Any], key: str) -> bool:
    return key in d


@gofunc(FUNCS, "pluck", "string, ...map[string]interface {} -> []interface {}")
def _pluck(key: str, *ds: dict[str, Any]) -> list[Any]:
    return [d[key] for d in ds if key in d]


@gofunc(FUNCS, "keys", "...map[string]interface {} -> []string")
def _keys(*ds: dict[str, Any]) -> GoSlice:
    """All keys of all maps, duplicates kept (unsorted in Go: map order is random)."""
    return GoSlice([k for d in ds for k in d], T_SLICE_STRING)


@gofunc(FUNCS, "pick", "map[string]interface {}, ...string -> map[string]interface {}")
def _pick(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: d[k] for k in keys if k in d}


@gofunc(FUNCS, "omit", "map[string]interface {}, ...string -> map[string]interface {}")
def _omit(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    drop = set(keys)
    return {k: v for k, v in d.items() if k not in drop}


@gofunc(FUNCS, "values", "map[string]interface {} -> []interface {}")
def _values(d: dict[str, Any]) -> list[Any]:
    return list(d.values())


# ---------------------------------------------------------------------------------------------
# dig: type assertions that panic with runtime.TypeAssertionError texts


def _assert_map(v: Any) -> dict[str, Any]:
    if type_of(v) == T_MAP_IFACE:
        return v
    shown = "nil" if v is None or v is MISSING else type_name(v)
    raise GoError(f"interface conversion: interface {{}} is {shown}, not map[string]interface {{}}")


@gofunc(FUNCS, "dig", "...interface {} -> (interface {}, error)")
def _dig(*ps: Any) -> Any:
    """``dig "a" "b" default dict``: nested lookup; keys must be strings, steps must be maps."""
    if len(ps) < 3:
        raise GoError("dig needs at least three arguments")
    d = _assert_map(ps[-1])
    default = ps[-2]
    keys: list[str] = []
    for p in ps[:-2]:
        if type_of(p) is not T_STRING:
            shown = "nil" if p is None else type_name(p)
            raise GoError(f"interface conversion: interface {{}} is {shown}, not string")
        keys.append(p)
    while True:
        k, rest = keys[0], keys[1:]
        if k not in d:
            return default
        step = d[k]
        if not rest:
            return step
        d, keys = _assert_map(step), rest


# ---------------------------------------------------------------------------------------------
# merge: dario.cat/mergo v1.0.1 deepMerge for map[string]interface{} dst/src
#
# What matters for templates (Merge; MergeWithOverwrite sets ``overwrite``):
#   * a nil (JSON null) src value is copied only with overwrite;
#   * a src value replaces the dst value when overwrite is on, the key is absent in dst, or the
#     dst value is "empty" (isEmptyValue: "", 0, false, nil, empty list/map; a json.Number
#     "0" is a non-empty string!);
#   * nested maps are merged recursively *in place* into the dst's nested map, and a non-empty
#     dst map is then kept as is;
#   * a top-level nil dst map becomes a fresh map (returned; the caller's nil map stays nil).
# Errors (returned by mergo) make merge return "" and mustMerge fail; reflect panics fail both.


class _MergoError(Exception):
    """An error mergo returns (sprig's merge swallows these; mustMerge reports them)."""


def is_empty_value(v: Any) -> bool:
    """mergo's ``isEmptyValue`` of the value held by an interface (dereferencing pointers)."""
    if v is None or v is MISSING:
        return True
    if isinstance(v, bool):
        return not v
    if isinstance(v, (str, list, dict)):
        return len(v) == 0
    if isinstance(v, complex):
        return False
    if isinstance(v, (int, float)):
        return v == 0
    if isinstance(v, GoStruct):
        return kind_of(v) == PTR and bool(getattr(v, "go_is_nil", False))
    if isinstance(v, GoFunc):
        return False
    return False


def _is_nil(v: Any) -> bool:
    if v is None or v is MISSING:
        return True
    if isinstance(v, (GoMap, GoSlice)):
        return v.is_nil
    if isinstance(v, GoStruct):
        return bool(getattr(v, "go_is_nil", False))
    return False


def _is_nil_elem(v: Any, elem: Any) -> bool:
    """``dstElement.IsNil()`` for a map element of type ``elem``."""
    return v is None if elem.kind == "interface" else _is_nil(v)


def _map_elem_type(m: Any) -> Any:
    t = type_of(m)
    return t.elem if t is not None and t.elem is not None else T_INTERFACE


def _set_map_index(dst: dict[Any, Any], key: Any, value: Any, value_type: Any) -> None:
    """``reflect.Value.SetMapIndex``: the value's static type must be assignable to the elem type."""
    elem = _map_elem_type(dst)
    if elem.kind != "interface" and value_type.name != elem.name:
        raise GoError(f"reflect.Value.SetMapIndex: value of type {value_type.name} "
                      f"is not assignable to type {elem.name}")
    dst[key] = value


def _merge_maps(dst: dict[Any, Any], src: dict[Any, Any], overwrite: bool, depth: int) -> None:
    """The ``reflect.Map`` case of deepMerge with both maps non-nil (or src empty)."""
    if depth > 10000:
        raise GoError("runtime: goroutine stack exceeds 1000000000-byte limit")
    src_elem = _map_elem_type(src)
    for key, sv in list(src.items()):
        dv_present = key in dst
        dv = dst.get(key)
        # srcElement.IsNil(): for interface elements only a nil interface (JSON null) is nil
        nil_elem = sv is None if src_elem.kind == "interface" else (
            src_elem.kind in ("map", "slice", "ptr", "func", "chan") and _is_nil(sv))
        if nil_elem:
            if overwrite:
                _set_map_index(dst, key, sv, src_elem)
            continue
        sk = kind_of(sv)
        if sk in (STRUCT, PTR, MAP) and dv_present and dv is not None:
            _deep_merge_value(dv, sv, overwrite, depth + 1)
        elif sk == SLICE:
            # mergo stores a slice at once: src's with overwrite (or into an empty dst map),
            # else dst's own value, or a fresh empty slice of src's type where dst had none
            dst_elem = _map_elem_type(dst)
            if dv_present and dst_elem.kind not in ("interface", "map", "slice", "ptr", "func", "chan"):
                raise GoError(f"reflect: call of reflect.Value.IsNil on {dst_elem.kind} Value")
            if overwrite or len(dst) == 0:
                new_slice: Any = sv
            elif not dv_present or _is_nil_elem(dv, dst_elem):
                new_slice = GoSlice((), type_of(sv) or T_SLICE_IFACE) if type(sv) is not list else []
            else:
                new_slice = dv
            _set_map_index(dst, key, new_slice, type_of(new_slice) or T_INTERFACE)
        if dv_present and not is_empty_value(dv):
            if sk == SLICE:
                continue
            if sk == MAP and kind_of(dv) == MAP:
                continue
        if (src_elem.kind != PTR and overwrite) or not dv_present or is_empty_value(dv):
            _set_map_index(dst, key, sv, src_elem)


def _deep_merge_value(dv: Any, sv: Any, overwrite: bool, depth: int) -> None:
    """deepMerge of two concrete values taken out of interfaces (neither is addressable)."""
    dk, sk = kind_of(dv), kind_of(sv)
    if dk == MAP:
        if _is_nil(dv):
            if sk == STRUCT:
                raise GoError("reflect: call of reflect.Value.IsNil on struct Value")
            if not _is_nil(sv):
                return  # dst = src on a local copy: no effect
        if sk != MAP:
            return
        _merge_maps(dv, sv, overwrite, depth)
    elif dk == STRUCT:
        if isinstance(dv, GoStruct) and dv.go_fields and sk != STRUCT:
            raise GoError(f"reflect: call of reflect.Value.Field on {sk} Value")
        # field by field into a non-addressable struct: nothing can be set
    elif dk == PTR:
        if _is_nil(sv) and sk == PTR:
            return
        if _is_nil(dv) or (sk != PTR and overwrite):
            return
        if sk == PTR:
            # both point to structs without exported fields: with overwrite, *dst = *src
            if overwrite and type(dv) is type(sv):
                _assign_pointee(dv, sv)
            return
        raise _MergoError("src and dst must be of same type")
    # other kinds are not settable here: nothing happens


def _assign_pointee(dst: Any, src: Any) -> None:
    """``*dst = *src``: every variable holding the pointer ``dst`` sees the new value."""
    names: list[str] = list(getattr(dst, "__dict__", {}))
    for klass in type(dst).__mro__:
        slots = getattr(klass, "__slots__", ())
        slots = (slots,) if isinstance(slots, str) else slots
        names += [n for n in slots if n not in ("__dict__", "__weakref__")]
    for name in names:
        if hasattr(src, name):
            object.__setattr__(dst, name, getattr(src, name))


def _merge_into(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> dict[str, Any]:
    if _is_nil_map(dst) and not _is_nil_map(src):
        dst = {}
    _merge_maps(dst, src, overwrite, 0)
    return dst


def _merge_all(dst: dict[str, Any], srcs: tuple[dict[str, Any], ...], overwrite: bool, must: bool) -> Any:
    for src in srcs:
        try:
            dst = _merge_into(dst, src, overwrite)
        except _MergoError as e:
            if must:
                raise GoError(str(e)) from None
            return ""
    return dst


@gofunc(FUNCS, "merge", "map[string]interface {}, ...map[string]interface {} -> interface {}")
def _merge(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    """Fill dst's absent or empty keys from each src in turn (mutates and returns dst)."""
    return _merge_all(dst, srcs, False, False)


@gofunc(FUNCS, "mustMerge", "map[string]interface {}, ...map[string]interface {} -> (interface {}, error)")
def _must_merge(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    return _merge_all(dst, srcs, False, True)


@gofunc(FUNCS, "mergeOverwrite", "map[string]interface {}, ...map[string]interface {} -> interface {}")
def _merge_overwrite(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    """Like merge, but src values win (nested maps still merge key by key)."""
    return _merge_all(dst, srcs, True, False)


@gofunc(FUNCS, "mustMergeOverwrite",
        "map[string]interface {}, ...map[string]interface {} -> (interface {}, error)")
def _must_merge_overwrite(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    return _merge_all(dst, srcs, True, True)

"""Sprig's reflection group (``reflect.go`` and ``reflect.DeepEqual``).

What templates learn here is Go's view of the data: a data number is ``json.Number`` of kind
``string``, a template constant ``1`` is ``int``, nil is ``<nil>`` / kind ``invalid``.
"""

from __future__ import annotations

from typing import Any

from ..values import deep_equal, gofunc, kind_of, type_name
from ._registry import FUNCS


def _type_of(src: Any) -> str:
    """``fmt.Sprintf("%T", src)``."""
    return type_name(src)


def _type_is(target: str, src: Any) -> bool:
    return target == type_name(src)


def _type_is_like(target: str, src: Any) -> bool:
    """Matches ``T`` and ``*T``."""
    t = type_name(src)
    return target == t or "*" + target == t


def _kind_of(src: Any) -> str:
    """``reflect.ValueOf(src).Kind().String()``: ``invalid`` for nil."""
    return kind_of(src)


def _kind_is(target: str, src: Any) -> bool:
    return target == kind_of(src)


go_deep_equal = deep_equal  # reflect.DeepEqual lives in values.py (shared with lists.py)


def _deep_equal(x: Any, y: Any) -> bool:
    """``reflect.DeepEqual``: identical dynamic types first (``1`` is not ``json.Number "1"``)."""
    return go_deep_equal(x, y)


for _name, _spec, _fn in (
    ("typeOf", "interface {} -> string", _type_of),
    ("typeIs", "string, interface {} -> bool", _type_is),
    ("typeIsLike", "string, interface {} -> bool", _type_is_like),
    ("kindOf", "interface {} -> string", _kind_of),
    ("kindIs", "string, interface {} -> bool", _kind_is),
    ("deepEqual", "interface {}, interface {} -> bool", _deep_equal),
):
    gofunc(FUNCS, _name, _spec)(_fn)

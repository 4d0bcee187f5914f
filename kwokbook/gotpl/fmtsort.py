"""Go's ``internal/fmtsort``: the key order of maps in ``%v`` printing and ``range``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cmp_to_key
from typing import Any

from .gostrconv import to_go_bytes
from .values import type_of


def _cmp(a: Any, b: Any) -> int:
    ta, tb = type(a), type(b)
    if ta is str and tb is str:
        ab, bb = to_go_bytes(a), to_go_bytes(b)
        return (ab > bb) - (ab < bb)
    if isinstance(a, bool) and isinstance(b, bool):
        return int(a) - int(b)
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a):
            return 0 if math.isnan(b) else -1
        if math.isnan(b):
            return 1
        return (a > b) - (a < b)
    if isinstance(a, complex) and isinstance(b, complex):
        c = _cmp(a.real, b.real)
        return c if c else _cmp(a.imag, b.imag)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and type_of(a) == type_of(b):
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str) and type_of(a) == type_of(b):
        return _cmp(str(a), str(b))
    # interface keys of different dynamic types: Go orders by type (address), then value;
    # type names give a stable, deterministic stand-in.
    na, nb = str(type_of(a)), str(type_of(b))
    if na != nb:
        return (na > nb) - (na < nb)
    try:
        return (a > b) - (a < b)
    except TypeError:
        return 0


def sorted_keys(m: dict[Any, Any]) -> list[Any]:
    keys = list(m)
    if all(type(k) is str for k in keys):
        return sorted(keys, key=to_go_bytes)
    return sorted(keys, key=cmp_to_key(_cmp))


def sorted_items(m: dict[Any, Any]) -> Iterable[tuple[Any, Any]]:
    return [(k, m[k]) for k in sorted_keys(m)]

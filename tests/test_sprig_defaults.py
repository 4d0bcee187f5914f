"""Sprig's defaults/JSON/flow and reflection groups called directly.

Template-level behaviour against Go is in the recorded oracle suites sprig_defaults and
sprig_reflection; these tests pin the Python-side contracts (signatures, copying, nil-ness).
"""

from __future__ import annotations

import math

import pytest

from kwokbook.gotpl import values as V
from kwokbook.gotpl.sprig import FUNCS
from kwokbook.gotpl.sprig.defaults import deep_copy, empty, must_compact
from kwokbook.gotpl.sprig.reflection import go_deep_equal

SIGNATURES = {
    "default": "func(interface {}, ...interface {}) interface {}",
    "empty": "func(interface {}) bool",
    "coalesce": "func(...interface {}) interface {}",
    "all": "func(...interface {}) bool",
    "any": "func(...interface {}) bool",
    "compact": "func(interface {}) []interface {}",
    "mustCompact": "func(interface {}) ([]interface {}, error)",
    "fromJson": "func(string) interface {}",
    "toJson": "func(interface {}) string",
    "toPrettyJson": "func(interface {}) string",
    "toRawJson": "func(interface {}) string",
    "mustFromJson": "func(string) (interface {}, error)",
    "mustToJson": "func(interface {}) (string, error)",
    "mustToPrettyJson": "func(interface {}) (string, error)",
    "mustToRawJson": "func(interface {}) (string, error)",
    "ternary": "func(interface {}, interface {}, bool) interface {}",
    "deepCopy": "func(interface {}) interface {}",
    "mustDeepCopy": "func(interface {}) (interface {}, error)",
    "fail": "func(string) (string, error)",
    "typeOf": "func(interface {}) string",
    "typeIs": "func(string, interface {}) bool",
    "typeIsLike": "func(string, interface {}) bool",
    "kindOf": "func(interface {}) string",
    "kindIs": "func(string, interface {}) bool",
    "deepEqual": "func(interface {}, interface {}) bool",
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_go_signatures(name: str) -> None:
    assert str(FUNCS[name].sig) == SIGNATURES[name]


@pytest.mark.parametrize(("value", "want"), [
    (None, True), (V.MISSING, True), (0, True), (V.Int64(0), True), (0.0, True), (-0.0, True),
    (math.nan, False), (0j, True), ("", True), (V.JsonNumber("0"), False), (False, True), (True, False),
    ([], True), ({}, True), (V.GoSlice((), V.T_SLICE_STRING, is_nil=True), True), ([None], False),
    (V.Duration(0), True), (V.Uint8(1), False),
])
def test_empty_is_by_kind(value: object, want: bool) -> None:
    assert empty(value) is want


def test_deep_copy_makes_fresh_containers() -> None:
    src = {"a": [1, {"b": None}], "n": V.GoSlice((), V.T_SLICE_STRING, is_nil=True)}
    cp = deep_copy(src)
    assert cp == src and cp is not src
    assert cp["a"] is not src["a"] and cp["a"][1] is not src["a"][1]
    assert isinstance(cp["n"], V.GoSlice) and cp["n"].is_nil and cp["n"].gotype is V.T_SLICE_STRING
    with pytest.raises(V.GoError, match="zero Value"):
        deep_copy(None)


def test_must_compact() -> None:
    assert must_compact([0, 1, "", "a", None, False, V.JsonNumber("0")]) == [1, "a", V.JsonNumber("0")]
    with pytest.raises(V.GoError, match="Cannot compact on type string"):
        must_compact(V.JsonNumber("1"))
    with pytest.raises(V.GoError, match="nil pointer dereference"):
        must_compact(None)


def test_deep_equal_nil_slices_differ_from_empty() -> None:
    nil_iface = V.GoSlice((), V.T_SLICE_IFACE, is_nil=True)
    assert not go_deep_equal(nil_iface, [])
    assert go_deep_equal(nil_iface, V.GoSlice((), V.T_SLICE_IFACE, is_nil=True))
    assert not go_deep_equal([nil_iface], [[]])
    assert not go_deep_equal(1, V.JsonNumber("1"))
    assert not go_deep_equal(1, V.Int64(1))
    nan_list = [math.nan]
    assert go_deep_equal(nan_list, nan_list)  # same slice: equal without comparing elements
    assert not go_deep_equal(nan_list, [math.nan])
    assert go_deep_equal(V.MISSING, None)


def test_fail_and_ternary() -> None:
    with pytest.raises(V.GoError, match=r"^boom$"):
        FUNCS["fail"].fn("boom")
    assert FUNCS["ternary"].fn("a", "b", False) == "b"

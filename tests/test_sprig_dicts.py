"""sprig dict functions: replay of the Go-recorded ``sprig_dicts`` suite, plus direct-call contracts.

``merge``/``mergeOverwrite`` follow dario.cat/mergo v1.0.1; the recorded suite and a randomized
comparison against Go (run while porting) are the truth, the tests here pin mutation and
identity rules that templates observe only indirectly.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwokbook.gotpl import values as V
from kwokbook.gotpl.sprig import FUNCS
from kwokbook.gotpl.sprig.dicts import is_empty_value, strval
from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_dicts")


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


# Go's %T of each function in sprig.TxtFuncMap() (printed by a Go program against sprig v3.3.0).
GO_SIGNATURES = {
    "dict": "func(...interface {}) map[string]interface {}",
    "get": "func(map[string]interface {}, string) interface {}",
    "set": "func(map[string]interface {}, string, interface {}) map[string]interface {}",
    "unset": "func(map[string]interface {}, string) map[string]interface {}",
    "hasKey": "func(map[string]interface {}, string) bool",
    "pluck": "func(string, ...map[string]interface {}) []interface {}",
    "keys": "func(...map[string]interface {}) []string",
    "pick": "func(map[string]interface {}, ...string) map[string]interface {}",
    "omit": "func(map[string]interface {}, ...string) map[string]interface {}",
    "merge": "func(map[string]interface {}, ...map[string]interface {}) interface {}",
    "mergeOverwrite": "func(map[string]interface {}, ...map[string]interface {}) interface {}",
    "mustMerge": "func(map[string]interface {}, ...map[string]interface {}) (interface {}, error)",
    "mustMergeOverwrite": "func(map[string]interface {}, ...map[string]interface {}) (interface {}, error)",
    "values": "func(map[string]interface {}) []interface {}",
    "dig": "func(...interface {}) (interface {}, error)",
}


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_signature_is_gos(name: str) -> None:
    assert str(FUNCS[name].sig) == GO_SIGNATURES[name]


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_each_function_has_four_recorded_cases(name: str) -> None:
    n = sum(1 for _, c in CASES if re.search(rf"(?<![\w.$]){name}\b", c["request"]["template"]))
    assert n >= 4, (name, n)


def call(name: str, *args: Any) -> Any:
    return FUNCS[name].fn(*args)


NIL_MAP = V.GoMap((), V.T_MAP_IFACE, is_nil=True)


def test_strval_keys() -> None:
    assert strval("a") == "a"
    assert strval(V.JsonNumber("1.50")) == "1.50"  # a Stringer: its own text
    assert strval(1) == "1" and strval(1.5) == "1.5" and strval(True) == "true"
    assert strval(None) == "<nil>"
    assert strval(V.Duration(1_500_000_000)) == "1.5s"
    assert strval(V.GoSlice(list(b"hi"), V.T_SLICE_BYTE)) == "hi"
    assert call("dict", 1, 2, "k") == {"1": 2, "k": ""}


def test_set_unset_mutate_and_return_the_same_map() -> None:
    d: dict[str, Any] = {"a": 1}
    assert call("set", d, "b", 2) is d and d == {"a": 1, "b": 2}
    assert call("unset", d, "a") is d and d == {"b": 2}
    assert call("unset", NIL_MAP, "a") is NIL_MAP
    with pytest.raises(V.GoError, match=r"^assignment to entry in nil map$"):
        call("set", NIL_MAP, "a", 1)


def test_get_absent_is_empty_string_and_keys_are_string_slices() -> None:
    assert call("get", {"a": None}, "a") is None
    assert call("get", {}, "a") == ""
    ks = call("keys", {"a": 1}, {"b": 2, "a": 3})
    assert isinstance(ks, V.GoSlice) and ks.gotype == V.T_SLICE_STRING and sorted(ks) == ["a", "a", "b"]


def test_pick_and_omit_make_new_maps() -> None:
    d = {"a": 1, "b": 2}
    p, o = call("pick", d, "a", "zz"), call("omit", d, "a")
    assert p == {"a": 1} and o == {"b": 2} and p is not d and o is not d


def test_is_empty_value_follows_mergo() -> None:
    for v in (None, "", 0, 0.0, False, [], {}, V.JsonNumber(""), V.GoSlice((), V.T_SLICE_STRING, is_nil=True)):
        assert is_empty_value(v), v
    for v in (V.JsonNumber("0"), "0", 1, -0.5, True, [None], {"a": None}, 0j):
        assert not is_empty_value(v), v


def test_merge_mutates_nested_maps_in_place() -> None:
    inner: dict[str, Any] = {}
    dst: dict[str, Any] = {"n": inner, "a": ""}
    out = call("merge", dst, {"n": {"x": 1}, "a": "A", "b": None})
    assert out is dst and inner == {"x": 1} and dst == {"n": inner, "a": "A"}


def test_merge_nil_dst_returns_a_new_map() -> None:
    out = call("merge", NIL_MAP, {"a": 1})
    assert out == {"a": 1} and out is not NIL_MAP and NIL_MAP.is_nil
    assert call("merge", NIL_MAP, NIL_MAP) is NIL_MAP


def test_merge_overwrite_replaces_slices_and_sets_nil() -> None:
    dst: dict[str, Any] = {"l": [1], "a": 1, "m": {"k": 1}}
    call("mergeOverwrite", dst, {"l": [], "a": None, "m": {"j": 2}})
    assert dst == {"l": [], "a": None, "m": {"k": 1, "j": 2}}


def test_dig_errors() -> None:
    with pytest.raises(V.GoError, match=r"^interface conversion: interface \{\} is nil, not map"):
        call("dig", "a", "d", None)
    with pytest.raises(V.GoError, match=r"is json\.Number, not string$"):
        call("dig", V.JsonNumber("1"), "d", {})
    assert call("dig", "a", "b", "d", {"a": {"b": None}}) is None


values_st = st.recursive(
    st.one_of(st.none(), st.integers(-1, 1), st.sampled_from(["", "x"]), st.booleans(), st.just([])),
    lambda inner: st.dictionaries(st.sampled_from("abc"), inner, max_size=3), max_leaves=8)
maps = st.dictionaries(st.sampled_from("abc"), values_st, max_size=3)


@given(maps)
def test_merge_into_empty_copies_non_nil_values(src: dict[str, Any]) -> None:
    dst: dict[str, Any] = {}
    call("merge", dst, src)
    assert dst == {k: v for k, v in src.items() if v is not None}


@given(maps, maps)
def test_merge_keeps_non_empty_dst_values(dst: dict[str, Any], src: dict[str, Any]) -> None:
    before = {k: v for k, v in dst.items() if not is_empty_value(v) and not isinstance(v, dict)}
    call("merge", dst, src)
    for k, v in before.items():
        assert dst[k] == v


@given(maps, maps)
def test_merge_overwrite_takes_src_scalars(dst: dict[str, Any], src: dict[str, Any]) -> None:
    call("mergeOverwrite", dst, src)
    for k, v in src.items():
        if not isinstance(v, dict):
            assert dst[k] == v

"""sprig list functions: replay of the Go-recorded ``sprig_lists`` suite, plus direct-call contracts.

The recorded suite is the truth (Go's own outputs); the direct tests pin what the suite cannot
show from a template (exact Python result types, nil-ness, element typing) and properties.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwokbook.gotpl import values as V
from kwokbook.gotpl.sprig import FUNCS
from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_lists")


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


# Go's %T of each function in sprig.TxtFuncMap() (printed by a Go program against sprig v3.3.0).
GO_SIGNATURES = {
    "tuple": "func(...interface {}) []interface {}",
    "list": "func(...interface {}) []interface {}",
    "append": "func(interface {}, interface {}) []interface {}",
    "push": "func(interface {}, interface {}) []interface {}",
    "mustAppend": "func(interface {}, interface {}) ([]interface {}, error)",
    "mustPush": "func(interface {}, interface {}) ([]interface {}, error)",
    "prepend": "func(interface {}, interface {}) []interface {}",
    "mustPrepend": "func(interface {}, interface {}) ([]interface {}, error)",
    "first": "func(interface {}) interface {}",
    "mustFirst": "func(interface {}) (interface {}, error)",
    "rest": "func(interface {}) []interface {}",
    "mustRest": "func(interface {}) ([]interface {}, error)",
    "last": "func(interface {}) interface {}",
    "mustLast": "func(interface {}) (interface {}, error)",
    "initial": "func(interface {}) []interface {}",
    "mustInitial": "func(interface {}) ([]interface {}, error)",
    "reverse": "func(interface {}) []interface {}",
    "mustReverse": "func(interface {}) ([]interface {}, error)",
    "uniq": "func(interface {}) []interface {}",
    "mustUniq": "func(interface {}) ([]interface {}, error)",
    "without": "func(interface {}, ...interface {}) []interface {}",
    "mustWithout": "func(interface {}, ...interface {}) ([]interface {}, error)",
    "has": "func(interface {}, interface {}) bool",
    "mustHas": "func(interface {}, interface {}) (bool, error)",
    "slice": "func(interface {}, ...interface {}) interface {}",
    "mustSlice": "func(interface {}, ...interface {}) (interface {}, error)",
    "concat": "func(...interface {}) interface {}",
    "chunk": "func(int, interface {}) [][]interface {}",
    "mustChunk": "func(int, interface {}) ([][]interface {}, error)",
}


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_signature_is_gos(name: str) -> None:
    assert str(FUNCS[name].sig) == GO_SIGNATURES[name]
    assert not FUNCS[name].needs_env and not FUNCS[name].tags


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_each_function_has_four_recorded_cases(name: str) -> None:
    n = sum(1 for _, c in CASES if re.search(rf"(?<![\w.$]){name}\b", c["request"]["template"]))
    assert n >= 4, (name, n)


def call(name: str, *args: Any) -> Any:
    return FUNCS[name].fn(*args)


STRINGS = V.GoSlice(["a", "b", "c"], V.T_SLICE_STRING)
INT64S = V.GoSlice([1, 2], V.slice_of(V.T_INT64))


def test_typed_slice_elements_keep_their_go_type() -> None:
    assert call("first", STRINGS) == "a"
    first = call("first", INT64S)
    assert type(first) is V.Int64 and first == 1
    assert [type(x) for x in call("reverse", INT64S)] == [V.Int64, V.Int64]


def test_nil_and_empty_results() -> None:
    assert call("rest", []) is None  # executor turns it into a nil []interface {}
    assert call("initial", V.GoSlice((), V.T_SLICE_STRING, is_nil=True)) is None
    assert call("rest", [1]) == []
    assert call("reverse", []) == [] and call("uniq", []) == []
    nil = call("concat")
    assert isinstance(nil, V.GoSlice) and nil.is_nil and nil.gotype == V.T_SLICE_IFACE
    assert call("slice", []) is None and call("first", []) is None


def test_slice_keeps_the_slice_type() -> None:
    part = call("slice", STRINGS, 1)
    assert isinstance(part, V.GoSlice) and part.gotype == V.T_SLICE_STRING and part == ["b", "c"]
    assert type(call("slice", [1, 2, 3], 0, 2)) is list


@pytest.mark.parametrize(("name", "args", "message"), [
    ("first", ("abc",), "Cannot find first on type string"),
    ("mustLast", ({"a": 1},), "Cannot find last on type map"),
    ("push", (V.JsonNumber("1"), 2), "Cannot push on type string"),
    ("prepend", (1.5, 2), "Cannot prepend on type float64"),
    ("chunk", (2, True), "Cannot chunk type bool"),
    ("concat", ([1], 3), "Cannot concat type int as list"),
    ("slice", ("abc", 1), "list should be type of slice or array but string"),
    ("has", (1, "abc"), "Cannot find has on type string"),
    ("first", (None,), "runtime error: invalid memory address or nil pointer dereference"),
    ("chunk", (0, [1]), "runtime error: makeslice: len out of range"),
    ("slice", ([1, 2], 2, 1), "reflect.Value.Slice: slice index out of bounds"),
])
def test_errors_are_go_texts(name: str, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(V.GoError) as e:
        call(name, *args)
    assert str(e.value) == message


def test_has_nil_haystack_is_false_but_typed_nil_is_a_slice() -> None:
    assert call("has", 1, None) is False
    assert call("has", 1, V.GoSlice((), V.T_SLICE_STRING, is_nil=True)) is False


def test_deep_equal_distinguishes_go_types() -> None:
    assert call("has", 1, [V.JsonNumber("1")]) is False
    assert call("has", V.JsonNumber("1"), [V.JsonNumber("1")]) is True
    assert call("uniq", [1, V.Int64(1), 1.0, 1]) == [1, V.Int64(1), 1.0]
    assert call("without", [{"a": [1]}, {"a": [2]}], {"a": [1]}) == [{"a": [2]}]


lists = st.lists(st.one_of(st.integers(-5, 5), st.text(max_size=2), st.none()), max_size=12)


@given(lists)
def test_reverse_twice_is_identity(xs: list[Any]) -> None:
    assert call("reverse", call("reverse", xs)) == xs


@given(lists, st.integers(1, 6))
def test_chunks_concatenate_back(xs: list[Any], size: int) -> None:
    chunks = call("chunk", size, xs)
    assert [x for c in chunks for x in c] == xs
    assert all(len(c) == size for c in chunks[:-1])
    assert all(0 < len(c) <= size for c in chunks)


@given(lists)
def test_uniq_is_idempotent_and_keeps_first_occurrences(xs: list[Any]) -> None:
    u = call("uniq", xs)
    assert call("uniq", u) == u
    assert u == [x for i, x in enumerate(xs) if all(not V.deep_equal(x, y) for y in xs[:i])]


@given(lists, st.integers(-3, 15), st.integers(-3, 15))
def test_slice_matches_python_slicing_when_in_bounds(xs: list[Any], a: int, b: int) -> None:
    if not xs:
        assert call("slice", xs, a, b) is None
    elif 0 <= a <= b <= len(xs):
        assert call("slice", xs, a, b) == xs[a:b]
    else:
        with pytest.raises(V.GoError):
            call("slice", xs, a, b)

"""sprig regex functions: replay of the Go-recorded ``sprig_regex`` suite through kwokbook.gotpl."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_regex")


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


REGEX_FUNCS = [
    "regexMatch", "mustRegexMatch", "regexFindAll", "mustRegexFindAll", "regexFind", "mustRegexFind",
    "regexReplaceAll", "mustRegexReplaceAll", "regexReplaceAllLiteral", "mustRegexReplaceAllLiteral",
    "regexSplit", "mustRegexSplit", "regexQuoteMeta",
]


def test_suite_size_and_coverage() -> None:
    import re

    assert len(CASES) >= 60
    for name in REGEX_FUNCS:
        n = sum(1 for _, c in CASES if re.search(rf"\b{name}\b", c["request"]["template"]))
        assert n >= 3, (name, n)


def test_capture_numbering_survives_translation() -> None:
    """Named groups become plain Python groups in Go's numbering (names may start with digits)."""
    from kwokbook.gotpl import goregex

    r = goregex.compile(r"(?P<1st>a)(?:b)(?<x>c)?(d)")
    assert r.subexp_names == ["", "1st", "x", ""]
    assert r.find_string_submatch("abd") == ["abd", "a", "", "d"]
    assert r.replace_all_string("abd", "${1st}-$x-$3") == "a--d"

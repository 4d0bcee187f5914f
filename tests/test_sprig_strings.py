"""sprig string functions: Go-recorded suite replay plus checks of the Go Unicode tables."""

from __future__ import annotations

import random
import unicodedata
from typing import Any

import pytest

from kwokbook.gotpl import goregex as G
from kwokbook.gotpl.env import Env
from kwokbook.gotpl.sprig import FUNCS
from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_strings")


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


def test_suite_covers_every_function() -> None:
    names = ["hello", "abbrev", "abbrevboth", "trunc", "trim", "upper", "lower", "title", "untitle", "substr", "repeat", "trimall", "trimAll", "trimSuffix", "trimPrefix", "nospace", "initials", "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "swapcase", "shuffle", "snakecase", "camelcase", "kebabcase", "wrap", "wrapWith", "contains", "hasPrefix", "hasSuffix", "quote", "squote", "cat", "indent", "nindent", "replace", "plural", "sha1sum", "sha256sum", "sha512sum", "adler32sum", "toString", "split", "splitList", "splitn", "toStrings", "join", "sortAlpha", "uuidv4"]
    for name in names:
        assert name in FUNCS, name
        n = sum(1 for _, c in CASES if f"{name} " in c["request"]["template"] or f"{name} }}}}" in
                c["request"]["template"])
        assert n >= 3, (name, n)


def test_case_tables_agree_with_python_where_unicode_is_stable() -> None:
    """Go's simple case mapping equals Python's wherever Python's full mapping is one rune and the
    character existed in Unicode 14 (Python 3.11's tables): proves the embedded tables decode."""
    checked = 0
    for r in range(0x110000):
        ch = chr(r)
        if unicodedata.category(ch) == "Cn" or 0xD800 <= r <= 0xDFFF:
            continue
        up = ch.upper()
        if len(up) == 1 and G.is_lower(r) and not G.is_title(r):
            assert G.to_upper(r) == ord(up), hex(r)
            checked += 1
        lo = ch.lower()
        if len(lo) == 1 and G.is_upper(r):
            assert G.to_lower(r) == ord(lo), hex(r)
    assert checked > 1000


def test_categories_agree_with_python_for_old_characters() -> None:
    for r in range(0x3000):
        cat = unicodedata.category(chr(r))
        if cat == "Cn":
            continue
        assert G.is_letter(r) == cat.startswith("L"), hex(r)
        assert G.is_digit(r) == (cat == "Nd"), hex(r)


def test_random_functions_use_env_rng() -> None:
    a = FUNCS["randAlphaNum"].fn(Env(rng=random.Random(7)), 20)
    b = FUNCS["randAlphaNum"].fn(Env(rng=random.Random(7)), 20)
    c = FUNCS["randAlphaNum"].fn(Env(rng=random.Random(8)), 20)
    assert a == b != c
    s = FUNCS["shuffle"].fn(Env(rng=random.Random(1)), "abcdefgh")
    assert sorted(s) == sorted("abcdefgh")

"""Sprig's regex functions over Go's ``regexp`` (see :mod:`kwokbook.gotpl.goregex`).

The plain variants compile with ``regexp.MustCompile`` and so *panic* on a bad pattern
(``regexp: Compile(`(`): error parsing regexp: …``), except ``regexMatch`` which swallows the
error and answers false; the ``must*`` variants return Go's error instead.
"""

from __future__ import annotations

from .. import goregex
from ..goregex import Regexp, RegexpSyntaxError
from ..values import GoError, gofunc
from ._registry import FUNCS


def _must_compile(regex: str) -> Regexp:
    try:
        return goregex.compile(regex)
    except RegexpSyntaxError as e:
        raise GoError(goregex.must_compile_message(regex, e)) from None


def _compile(regex: str) -> Regexp:
    try:
        return goregex.compile(regex)
    except RegexpSyntaxError as e:
        raise GoError(str(e)) from None


@gofunc(FUNCS, "regexMatch", "string, string -> bool")
def _regex_match(regex: str, s: str) -> bool:
    try:
        return goregex.compile(regex).match_string(s)
    except RegexpSyntaxError:
        return False


@gofunc(FUNCS, "mustRegexMatch", "string, string -> (bool, error)")
def _must_regex_match(regex: str, s: str) -> bool:
    return _compile(regex).match_string(s)


@gofunc(FUNCS, "regexFindAll", "string, string, int -> []string")
def _regex_find_all(regex: str, s: str, n: int) -> list[str] | None:
    return _must_compile(regex).find_all_string(s, n)


@gofunc(FUNCS, "mustRegexFindAll", "string, string, int -> ([]string, error)")
def _must_regex_find_all(regex: str, s: str, n: int) -> list[str] | None:
    return _compile(regex).find_all_string(s, n)


@gofunc(FUNCS, "regexFind", "string, string -> string")
def _regex_find(regex: str, s: str) -> str:
    return _must_compile(regex).find_string(s)


@gofunc(FUNCS, "mustRegexFind", "string, string -> (string, error)")
def _must_regex_find(regex: str, s: str) -> str:
    return _compile(regex).find_string(s)


@gofunc(FUNCS, "regexReplaceAll", "string, string, string -> string")
def _regex_replace_all(regex: str, s: str, repl: str) -> str:
    return _must_compile(regex).replace_all_string(s, repl)


@gofunc(FUNCS, "mustRegexReplaceAll", "string, string, string -> (string, error)")
def _must_regex_replace_all(regex: str, s: str, repl: str) -> str:
    return _compile(regex).replace_all_string(s, repl)


@gofunc(FUNCS, "regexReplaceAllLiteral", "string, string, string -> string")
def _regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return _must_compile(regex).replace_all_literal_string(s, repl)


@gofunc(FUNCS, "mustRegexReplaceAllLiteral", "string, string, string -> (string, error)")
def _must_regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return _compile(regex).replace_all_literal_string(s, repl)


@gofunc(FUNCS, "regexSplit", "string, string, int -> []string")
def _regex_split(regex: str, s: str, n: int) -> list[str] | None:
    return _must_compile(regex).split(s, n)


@gofunc(FUNCS, "mustRegexSplit", "string, string, int -> ([]string, error)")
def _must_regex_split(regex: str, s: str, n: int) -> list[str] | None:
    return _compile(regex).split(s, n)


@gofunc(FUNCS, "regexQuoteMeta", "string -> string")
def _regex_quote_meta(s: str) -> str:
    return goregex.quote_meta(s)

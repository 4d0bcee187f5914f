"""Go's ``regexp`` package (RE2 syntax, leftmost-first semantics) on top of Python's ``re``.

Templates use sprig's ``regex*`` functions (and semver uses Go regexps internally), so patterns
must mean what they mean in Go and fail with Go's exact messages. This module

* parses patterns with a port of ``regexp/syntax``'s parser (same accepted language, same
  ``error parsing regexp: …`` texts, Go's ``\\pN``/``[[:alpha:]]``/``(?i)`` tables);
* translates the parse tree into a Python ``re`` pattern with only unambiguous constructs
  (explicit character classes, ``\\A``/``\\Z``, look-around for ``\\b``), so Python's
  backtracking matcher finds the same leftmost-first match;
* re-implements Go's loops around the matcher (``FindAll``, ``ReplaceAll``, ``Split``,
  ``Expand``), whose empty-match rules differ from Python's.

Go strings are byte strings; this package models them as ``str`` where bytes that are not
valid UTF-8 are kept as lone surrogates U+DC80–U+DCFF (Python's ``surrogateescape``). Go's
regexp and ``for range`` see such a byte as U+FFFD, and so do the helpers here.

Known differences from Go (documented, not hidden):

* Python's matcher backtracks: patterns with nested unbounded repetition can take exponential
  time where Go is linear.
* Submatch positions of capture groups inside repetitions that can match empty (``(a|)*``)
  may differ in rare cases; overall matches agree.
* Go's ``expression too large`` limit (compiled program size) is not modelled; nesting depth
  (``expression nests too deeply``) and repeat counts are.

The module also hosts the Go ``unicode`` functions the sprig string helpers need (case
mapping, ``unicode.IsUpper`` …), backed by Go's tables in :mod:`kwokbook.gotpl._gounicode`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import KwokbookError
from . import _gounicode as _U
from .gostrconv import can_backquote, quote, to_go_bytes

MAX_RUNE = 0x10FFFF
RUNE_ERROR = 0xFFFD

# ---------------------------------------------------------------------------------------------
# Go strings


def go_bytes(s: str) -> bytes:
    """The bytes of a Go string modelled as ``str`` (invalid bytes are surrogate escapes)."""
    if s.isascii():
        return s.encode("ascii")
    return to_go_bytes(s)


def go_len(s: str) -> int:
    """``len(s)`` in Go: the byte length."""
    if s.isascii():
        return len(s)
    return len(go_bytes(s))


def rune_of(ch: str) -> int:
    """The rune Go's ``for range`` yields for one character of a modelled string."""
    c = ord(ch)
    return RUNE_ERROR if 0xD800 <= c <= 0xDFFF else c


def runes(s: str) -> list[int]:
    """``[]rune(s)``: invalid bytes become U+FFFD."""
    return [rune_of(ch) for ch in s]


def rune_str(rs: Iterable[int]) -> str:
    """``string(runes)``: invalid runes (surrogates, out of range, negative) become U+FFFD."""
    out = []
    for r in rs:
        if r < 0 or r > MAX_RUNE or 0xD800 <= r <= 0xDFFF:
            r = RUNE_ERROR
        out.append(chr(r))
    return "".join(out)


def valid_utf8(s: str) -> bool:
    return not any(0xD800 <= ord(ch) <= 0xDFFF for ch in s) if not s.isascii() else True


# ---------------------------------------------------------------------------------------------
# Go's unicode tables

_B36 = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}

Ranges = list[tuple[int, int]]


def _decode(enc: str) -> Ranges:
    out: Ranges = []
    if not enc:
        return out
    nums = [int(x, 36) for x in enc.split(" ")]
    prev = 0
    for i in range(0, len(nums), 2):
        lo = prev + nums[i]
        hi = lo + nums[i + 1]
        out.append((lo, hi))
        prev = hi
    return out


def _union(*tables: Ranges) -> Ranges:
    allr = sorted(r for t in tables for r in t)
    out: Ranges = []
    for lo, hi in allr:
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


_COMPOSITE = {
    "C": ("Cc", "Cf", "Cn", "Co", "Cs"),
    "L": ("Ll", "Lm", "Lo", "Lt", "Lu"),
    "LC": ("Ll", "Lt", "Lu"),
    "M": ("Mc", "Me", "Mn"),
    "N": ("Nd", "Nl", "No"),
    "P": ("Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps"),
    "S": ("Sc", "Sk", "Sm", "So"),
    "Z": ("Zl", "Zp", "Zs"),
}


@functools.cache
def category(name: str) -> Ranges | None:
    """``unicode.Categories[name]`` as sorted, merged ranges."""
    if name in _U.CATEGORIES:
        return _decode(_U.CATEGORIES[name])
    parts = _COMPOSITE.get(name)
    if parts is None:
        return None
    return _union(*(category(p) or [] for p in parts))


@functools.cache
def script(name: str) -> Ranges | None:
    enc = _U.SCRIPTS.get(name)
    return None if enc is None else _decode(enc)


@functools.cache
def _fold_table(kind: str, name: str) -> Ranges | None:
    src = _U.FOLD_CATEGORY if kind == "c" else _U.FOLD_SCRIPT
    enc = src.get(name)
    return None if enc is None else _decode(enc)


class _Table:
    """A range table with fast membership (bisect over range starts)."""

    def __init__(self, ranges: Ranges) -> None:
        self.ranges = ranges
        self.los = [lo for lo, _ in ranges]

    def __contains__(self, r: int) -> bool:
        i = bisect.bisect_right(self.los, r) - 1
        return i >= 0 and r <= self.ranges[i][1]


@functools.cache
def _table(name: str) -> _Table:
    if name == "White_Space":
        return _Table(_decode(_U.WHITE_SPACE))
    return _Table(category(name) or [])


def is_upper(r: int) -> bool:
    return r in _table("Lu")


def is_lower(r: int) -> bool:
    return r in _table("Ll")


def is_title(r: int) -> bool:
    return r in _table("Lt")


def is_letter(r: int) -> bool:
    if r < 0x80:
        return 0x41 <= (r & ~0x20) <= 0x5A
    return r in _table("L")


def is_digit(r: int) -> bool:
    if r < 0x80:
        return 0x30 <= r <= 0x39
    return r in _table("Nd")


def is_number(r: int) -> bool:
    return r in _table("N")


def is_punct(r: int) -> bool:
    return r in _table("P")


def is_space(r: int) -> bool:
    """``unicode.IsSpace``: Latin-1 has its own list; elsewhere the White_Space property."""
    if r <= 0xFF:
        return r in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0)
    return r in _table("White_Space")


_UPPER_LOWER = MAX_RUNE + 1


@functools.lru_cache(maxsize=1)
def _case_ranges() -> tuple[list[int], list[tuple[int, int, int, int, int]]]:
    rows: list[tuple[int, int, int, int, int]] = []
    for item in "".join(_U.CASE_RANGES).split(";"):
        if not item:
            continue
        f = item.split(" ")

        def d(x: str) -> int:
            if x == "U":
                return _UPPER_LOWER
            return -int(x[1:], 36) if x.startswith("-") else int(x, 36)

        rows.append((int(f[0], 36), int(f[1], 36), d(f[2]), d(f[3]), d(f[4])))
    return [r[0] for r in rows], rows


def _to(case: int, r: int) -> int:
    """``unicode.To``: case 0 upper, 1 lower, 2 title."""
    los, rows = _case_ranges()
    i = bisect.bisect_right(los, r) - 1
    if i >= 0:
        lo, hi, *deltas = rows[i]
        if lo <= r <= hi:
            delta = deltas[case]
            if delta > MAX_RUNE:
                return lo + (((r - lo) & ~1) | (case & 1))
            return r + delta
    return r


def to_upper(r: int) -> int:
    if r < 0x80:
        return r - 32 if 0x61 <= r <= 0x7A else r
    return _to(0, r)


def to_lower(r: int) -> int:
    if r < 0x80:
        return r + 32 if 0x41 <= r <= 0x5A else r
    return _to(1, r)


def to_title(r: int) -> int:
    if r < 0x80:
        return r - 32 if 0x61 <= r <= 0x7A else r
    return _to(2, r)


@functools.lru_cache(maxsize=1)
def _orbit() -> dict[int, int]:
    nums = [int(x, 36) for x in _U.ORBIT.split(" ")]
    return {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}


def simple_fold(r: int) -> int:
    """``unicode.SimpleFold``: the next rune of ``r``'s case-folding orbit."""
    if r < 0 or r > MAX_RUNE:
        return r
    o = _orbit().get(r)
    if o is not None:
        return o
    lo = to_lower(r)
    if lo != r:
        return lo
    return to_upper(r)


@functools.lru_cache(maxsize=1)
def _foldable() -> list[int]:
    """Every rune whose SimpleFold orbit has more than one member, sorted."""
    out = set()
    _, rows = _case_ranges()
    for lo, hi, *_ in rows:
        for c in range(lo, hi + 1):
            if simple_fold(c) != c:
                out.add(c)
    for a, b in _orbit().items():
        if a != b:
            out.add(a)
            out.add(b)
    return sorted(out)


def fold_orbit(r: int) -> list[int]:
    """All runes case-equivalent to ``r`` (``r`` included), as Go's ``(?i)`` sees them."""
    out = [r]
    f = simple_fold(r)
    while f != r:
        out.append(f)
        f = simple_fold(f)
    return out


def _backquote_or_quote(s: str) -> str:
    return "`" + s + "`" if can_backquote(s) else quote(s)


# ---------------------------------------------------------------------------------------------
# regexp/syntax: parse tree and parser

NO_MATCH = 1
EMPTY_MATCH = 2
LITERAL = 3
CHAR_CLASS = 4
ANY_CHAR_NOT_NL = 5
ANY_CHAR = 6
BEGIN_LINE = 7
END_LINE = 8
BEGIN_TEXT = 9
END_TEXT = 10
WORD_BOUNDARY = 11
NO_WORD_BOUNDARY = 12
CAPTURE = 13
STAR = 14
PLUS = 15
QUEST = 16
REPEAT = 17
CONCAT = 18
ALTERNATE = 19
_PSEUDO = 128
_LEFT_PAREN = _PSEUDO
_VERTICAL_BAR = _PSEUDO + 1

FOLD_CASE = 1
LITERAL_FLAG = 2
CLASS_NL = 4
DOT_NL = 8
ONE_LINE = 16
NON_GREEDY = 32
PERL_X = 64
UNICODE_GROUPS = 128
WAS_DOLLAR = 256
PERL = CLASS_NL | ONE_LINE | PERL_X | UNICODE_GROUPS

ERR_INVALID_CHAR_CLASS = "invalid character class"
ERR_INVALID_CHAR_RANGE = "invalid character class range"
ERR_INVALID_ESCAPE = "invalid escape sequence"
ERR_INVALID_NAMED_CAPTURE = "invalid named capture"
ERR_INVALID_PERL_OP = "invalid or unsupported Perl syntax"
ERR_INVALID_REPEAT_OP = "invalid nested repetition operator"
ERR_INVALID_REPEAT_SIZE = "invalid repeat count"
ERR_INVALID_UTF8 = "invalid UTF-8"
ERR_MISSING_BRACKET = "missing closing ]"
ERR_MISSING_PAREN = "missing closing )"
ERR_MISSING_REPEAT_ARGUMENT = "missing argument to repetition operator"
ERR_TRAILING_BACKSLASH = "trailing backslash at end of expression"
ERR_UNEXPECTED_PAREN = "unexpected )"
ERR_NESTING_DEPTH = "expression nests too deeply"

_MAX_HEIGHT = 1000


class RegexpSyntaxError(Exception):
    """``*syntax.Error``: ``str()`` is Go's ``err.Error()``."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")
        self.code = code
        self.expr = expr


@dataclass(eq=False)
class Node:
    """A ``syntax.Regexp`` node. Classes hold sorted, merged ``(lo, hi)`` ranges."""

    op: int
    flags: int = 0
    runes: list[int] = field(default_factory=list)  # LITERAL
    ranges: Ranges = field(default_factory=list)  # CHAR_CLASS
    subs: list[Node] = field(default_factory=list)
    min: int = 0
    max: int = 0
    cap: int = 0
    name: str = ""


def _next_rune(s: str) -> tuple[int, str]:
    """``nextRune``: the first rune of s; an invalid byte is Go's invalid-UTF-8 error."""
    if not s:
        return RUNE_ERROR, ""
    c = ord(s[0])
    if 0xD800 <= c <= 0xDFFF:
        raise RegexpSyntaxError(ERR_INVALID_UTF8, s)
    return c, s[1:]


def _check_utf8(s: str) -> None:
    for i, ch in enumerate(s):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            raise RegexpSyntaxError(ERR_INVALID_UTF8, s[i:])


def _isalnum(c: int) -> bool:
    return 0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def _unhex(c: int) -> int:
    if 0x30 <= c <= 0x39:
        return c - 0x30
    if 0x61 <= c <= 0x66:
        return c - 0x61 + 10
    if 0x41 <= c <= 0x46:
        return c - 0x41 + 10
    return -1


def _clean(ranges: Ranges) -> Ranges:
    return _union(ranges)


def _negate(ranges: Ranges) -> Ranges:
    out: Ranges = []
    next_lo = 0
    for lo, hi in ranges:
        if next_lo <= lo - 1:
            out.append((next_lo, lo - 1))
        next_lo = hi + 1
    if next_lo <= MAX_RUNE:
        out.append((next_lo, MAX_RUNE))
    return out


_MIN_FOLD = 0x0041
_MAX_FOLD = 0x1E943


def _fold_ranges(ranges: Ranges) -> Ranges:
    """``appendFoldedRange`` over each range: add every case-equivalent rune."""
    out = list(ranges)
    foldable = _foldable()
    for lo, hi in ranges:
        if hi < _MIN_FOLD or lo > _MAX_FOLD:
            continue
        i = bisect.bisect_left(foldable, lo)
        while i < len(foldable) and foldable[i] <= hi:
            c = foldable[i]
            out.extend((f, f) for f in fold_orbit(c))
            i += 1
    return _clean(out)


_PERL_GROUPS: dict[str, tuple[int, Ranges]] = {
    "\\d": (1, [(0x30, 0x39)]),
    "\\D": (-1, [(0x30, 0x39)]),
    "\\s": (1, [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]),
    "\\S": (-1, [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]),
    "\\w": (1, [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]),
    "\\W": (-1, [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]),
}

_POSIX_CLASSES: dict[str, Ranges] = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)],
    "digit": [(0x30, 0x39)],
    "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
    "upper": [(0x41, 0x5A)],
    "word": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}
_POSIX_GROUPS: dict[str, tuple[int, Ranges]] = {}
for _name, _cls in _POSIX_CLASSES.items():
    _POSIX_GROUPS[f"[:{_name}:]"] = (1, _cls)
    _POSIX_GROUPS[f"[:^{_name}:]"] = (-1, _cls)

_ANY_TABLE: Ranges = [(0, MAX_RUNE)]
_ASCII_TABLE: Ranges = [(0, 0x7F)]
_ASCII_FOLD_TABLE: Ranges = [(0, 0x7F), (0x017F, 0x017F), (0x212A, 0x212A)]


def _canonical_name(name: str) -> str:
    """regexp/syntax ``canonicalName``: drop ``_ -`` and spaces, Capitalize the rest (ASCII)."""
    out = []
    first = True
    for ch in name:
        if ch in "_- ":
            continue
        if first:
            if "a" <= ch <= "z":
                ch = ch.upper()
            first = False
        elif "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _category_aliases() -> dict[str, str]:
    return {_canonical_name(k): v for k, v in _U.CATEGORY_ALIASES.items()}


def _unicode_table(name: str) -> tuple[Ranges | None, Ranges | None, int]:
    name = _canonical_name(name)
    if name == "Any":
        return _ANY_TABLE, _ANY_TABLE, 1
    if name == "Assigned":
        cn = category("Cn")
        return cn, cn, -1
    if name == "Ascii":
        return _ASCII_TABLE, _ASCII_FOLD_TABLE, 1
    if name == "Lc":
        return category("LC"), _fold_table("c", "LC"), 1
    if name != "LC":  # LC is only reachable through the special case above
        t = category(name)
        if t is not None:
            return t, _fold_table("c", name), 1
    t = script(name)
    if t is not None:
        return t, _fold_table("s", name), 1
    actual = _category_aliases().get(name)
    if actual:
        return category(actual), _fold_table("c", actual), 1
    return None, None, 0


class _Parser:
    def __init__(self, whole: str, flags: int) -> None:
        self.flags = flags
        self.stack: list[Node] = []
        self.num_cap = 0
        self.whole = whole

    # -- stack
    def push(self, re_: Node) -> Node:
        if re_.op == CHAR_CLASS and len(re_.ranges) == 1 and re_.ranges[0][0] == re_.ranges[0][1]:
            re_.op = LITERAL
            re_.runes = [re_.ranges[0][0]]
            re_.ranges = []
            re_.flags = self.flags & ~FOLD_CASE
        self.stack.append(re_)
        return re_

    def literal(self, r: int) -> None:
        self.push(Node(LITERAL, flags=self.flags, runes=[r]))

    def op(self, op: int) -> Node:
        return self.push(Node(op, flags=self.flags))

    def repeat(self, op: int, mn: int, mx: int, before: str, after: str, last_repeat: str) -> str:
        flags = self.flags
        if self.flags & PERL_X:
            if after and after[0] == "?":
                after = after[1:]
                flags ^= NON_GREEDY
            if last_repeat:
                raise RegexpSyntaxError(ERR_INVALID_REPEAT_OP, last_repeat[: len(last_repeat) - len(after)])
        if not self.stack or self.stack[-1].op >= _PSEUDO:
            raise RegexpSyntaxError(ERR_MISSING_REPEAT_ARGUMENT, before[: len(before) - len(after)])
        sub = self.stack[-1]
        re_ = Node(op, flags=flags, subs=[sub], min=mn, max=mx)
        self.stack[-1] = re_
        if op == REPEAT and (mn >= 2 or mx >= 2) and not _repeat_is_valid(re_, 1000):
            raise RegexpSyntaxError(ERR_INVALID_REPEAT_SIZE, before[: len(before) - len(after)])
        return after

    def concat(self) -> Node:
        i = len(self.stack)
        while i > 0 and self.stack[i - 1].op < _PSEUDO:
            i -= 1
        subs = self.stack[i:]
        del self.stack[i:]
        if not subs:
            return self.push(Node(EMPTY_MATCH, flags=self.flags))
        return self.push(_collapse(subs, CONCAT))

    def alternate(self) -> Node:
        i = len(self.stack)
        while i > 0 and self.stack[i - 1].op < _PSEUDO:
            i -= 1
        subs = self.stack[i:]
        del self.stack[i:]
        if not subs:
            return self.push(Node(NO_MATCH, flags=self.flags))
        return self.push(_collapse(subs, ALTERNATE))

    def swap_vertical_bar(self) -> bool:
        n = len(self.stack)
        if n >= 2 and self.stack[n - 2].op == _VERTICAL_BAR:
            self.stack[n - 2], self.stack[n - 1] = self.stack[n - 1], self.stack[n - 2]
            return True
        return False

    def parse_vertical_bar(self) -> None:
        self.concat()
        if not self.swap_vertical_bar():
            self.op(_VERTICAL_BAR)

    def parse_right_paren(self) -> None:
        self.concat()
        if self.swap_vertical_bar():
            self.stack.pop()
        self.alternate()
        n = len(self.stack)
        if n < 2:
            raise RegexpSyntaxError(ERR_UNEXPECTED_PAREN, self.whole)
        re1 = self.stack.pop()
        re2 = self.stack.pop()
        if re2.op != _LEFT_PAREN:
            raise RegexpSyntaxError(ERR_UNEXPECTED_PAREN, self.whole)
        self.flags = re2.flags
        if re2.cap == 0:
            self.push(re1)
        else:
            re2.op = CAPTURE
            re2.subs = [re1]
            self.push(re2)

    # -- pieces
    def parse_perl_flags(self, s: str) -> str:
        t = s
        starts_with_p = len(t) > 4 and t[2] == "P" and t[3] == "<"
        starts_with_name = len(t) > 3 and t[2] == "<"
        if starts_with_p or starts_with_name:
            expr_start = 3 if starts_with_name else 4
            end = t.find(">")
            if end < 0:
                _check_utf8(t)
                raise RegexpSyntaxError(ERR_INVALID_NAMED_CAPTURE, s)
            capture = t[: end + 1]
            name = t[expr_start:end]
            _check_utf8(name)
            if not name or not all(ch == "_" or _isalnum(ord(ch)) for ch in name):
                raise RegexpSyntaxError(ERR_INVALID_NAMED_CAPTURE, capture)
            self.num_cap += 1
            re_ = self.op(_LEFT_PAREN)
            re_.cap = self.num_cap
            re_.name = name
            return t[end + 1 :]

        t = t[2:]
        flags = self.flags
        sign = 1
        saw_flag = False
        while t:
            c, t = _next_rune(t)
            ch = chr(c)
            if ch == "i":
                flags |= FOLD_CASE
                saw_flag = True
            elif ch == "m":
                flags &= ~ONE_LINE
                saw_flag = True
            elif ch == "s":
                flags |= DOT_NL
                saw_flag = True
            elif ch == "U":
                flags |= NON_GREEDY
                saw_flag = True
            elif ch == "-":
                if sign < 0:
                    break
                sign = -1
                flags = ~flags
                saw_flag = False
            elif ch in ":)":
                if sign < 0:
                    if not saw_flag:
                        break
                    flags = ~flags
                if ch == ":":
                    self.op(_LEFT_PAREN)
                self.flags = flags
                return t
            else:
                break
        raise RegexpSyntaxError(ERR_INVALID_PERL_OP, s[: len(s) - len(t)])

    @staticmethod
    def parse_int(s: str) -> tuple[int, str, bool]:
        if not s or not ("0" <= s[0] <= "9"):
            return 0, s, False
        if len(s) >= 2 and s[0] == "0" and "0" <= s[1] <= "9":
            return 0, s, False
        i = 0
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
        digits, rest = s[:i], s[i:]
        n = 0
        for d in digits:
            if n >= 100_000_000:
                n = -1
                break
            n = n * 10 + ord(d) - 0x30
        return n, rest, True

    def parse_repeat(self, s: str) -> tuple[int, int, str, bool]:
        if not s or s[0] != "{":
            return 0, 0, "", False
        s = s[1:]
        mn, s, ok = self.parse_int(s)
        if not ok or not s:
            return 0, 0, "", False
        if s[0] != ",":
            mx = mn
        else:
            s = s[1:]
            if not s:
                return 0, 0, "", False
            if s[0] == "}":
                mx = -1
            else:
                mx, s, ok = self.parse_int(s)
                if not ok:
                    return 0, 0, "", False
                if mx < 0:
                    mn = -1
        if not s or s[0] != "}":
            return 0, 0, "", False
        return mn, mx, s[1:], True

    def parse_escape(self, s: str) -> tuple[int, str]:
        t = s[1:]
        if not t:
            raise RegexpSyntaxError(ERR_TRAILING_BACKSLASH, "")
        c, t = _next_rune(t)
        ch = chr(c)
        if ch in "1234567":
            if t and "0" <= t[0] <= "7":
                return self._octal(c, t)
        elif ch == "0":
            return self._octal(c, t)
        elif ch == "x":
            if t:
                c, t = _next_rune(t)
                if c == ord("{"):
                    nhex = 0
                    r = 0
                    while True:
                        if not t:
                            break
                        c, t = _next_rune(t)
                        if c == ord("}"):
                            if nhex == 0:
                                break
                            return r, t
                        v = _unhex(c)
                        if v < 0:
                            break
                        r = r * 16 + v
                        if r > MAX_RUNE:
                            break
                        nhex += 1
                else:
                    x = _unhex(c)
                    c, t = _next_rune(t)
                    y = _unhex(c)
                    if x >= 0 and y >= 0:
                        return x * 16 + y, t
        elif ch == "a":
            return 7, t
        elif ch == "f":
            return 12, t
        elif ch == "n":
            return 10, t
        elif ch == "r":
            return 13, t
        elif ch == "t":
            return 9, t
        elif ch == "v":
            return 11, t
        elif c < 0x80 and not _isalnum(c):
            return c, t
        raise RegexpSyntaxError(ERR_INVALID_ESCAPE, s[: len(s) - len(t)])

    @staticmethod
    def _octal(c: int, t: str) -> tuple[int, str]:
        r = c - 0x30
        for _ in range(2):
            if not t or not ("0" <= t[0] <= "7"):
                break
            r = r * 8 + ord(t[0]) - 0x30
            t = t[1:]
        return r, t

    def parse_class_char(self, s: str, whole_class: str) -> tuple[int, str]:
        if not s:
            raise RegexpSyntaxError(ERR_MISSING_BRACKET, whole_class)
        if s[0] == "\\":
            return self.parse_escape(s)
        return _next_rune(s)

    def _group(self, sign: int, cls: Ranges) -> Ranges:
        if self.flags & FOLD_CASE:
            cls = _fold_ranges(cls)
        return _negate(_clean(cls)) if sign < 0 else list(cls)

    def parse_perl_class_escape(self, s: str) -> tuple[Ranges | None, str]:
        if not (self.flags & PERL_X) or len(s) < 2 or s[0] != "\\":
            return None, s
        g = _PERL_GROUPS.get(s[:2])
        if g is None:
            return None, s
        return self._group(*g), s[2:]

    def parse_named_class(self, s: str) -> tuple[Ranges | None, str]:
        if len(s) < 2 or s[0] != "[" or s[1] != ":":
            return None, s
        i = s.find(":]", 2)
        if i < 0:
            return None, s
        name, rest = s[: i + 2], s[i + 2 :]
        g = _POSIX_GROUPS.get(name)
        if g is None:
            raise RegexpSyntaxError(ERR_INVALID_CHAR_RANGE, name)
        return self._group(*g), rest

    def parse_unicode_class(self, s: str) -> tuple[Ranges | None, str]:
        if not (self.flags & UNICODE_GROUPS) or len(s) < 2 or s[0] != "\\" or s[1] not in "pP":
            return None, s
        sign = -1 if s[1] == "P" else 1
        t = s[2:]
        c, t = _next_rune(t)
        if c != ord("{"):
            seq = s[: len(s) - len(t)]
            name = seq[2:]
        else:
            end = s.find("}")
            if end < 0:
                _check_utf8(s)
                raise RegexpSyntaxError(ERR_INVALID_CHAR_RANGE, s)
            seq, t = s[: end + 1], s[end + 1 :]
            name = s[3:end]
            _check_utf8(name)
        if name and name[0] == "^":
            sign = -sign
            name = name[1:]
        tab, fold, tsign = _unicode_table(name)
        if tab is None:
            raise RegexpSyntaxError(ERR_INVALID_CHAR_RANGE, seq)
        if tsign < 0:
            sign = -sign
        if not (self.flags & FOLD_CASE) or fold is None:
            cls = list(tab)
        else:
            cls = _union(tab, fold)
        return (cls if sign > 0 else _negate(_clean(cls))), t

    def parse_class(self, s: str) -> str:
        t = s[1:]
        cls: Ranges = []
        sign = 1
        if t and t[0] == "^":
            sign = -1
            t = t[1:]
            if not (self.flags & CLASS_NL):
                cls.append((10, 10))
        first = True
        while not t or t[0] != "]" or first:
            if t and t[0] == "-" and not (self.flags & PERL_X) and not first and (len(t) == 1 or t[1] != "]"):
                raise RegexpSyntaxError(ERR_INVALID_CHAR_RANGE, t[:2])
            first = False
            if len(t) > 2 and t[0] == "[" and t[1] == ":":
                ncls, nt = self.parse_named_class(t)
                if ncls is not None:
                    cls.extend(ncls)
                    t = nt
                    continue
            ncls, nt = self.parse_unicode_class(t)
            if ncls is not None:
                cls.extend(ncls)
                t = nt
                continue
            ncls, nt = self.parse_perl_class_escape(t)
            if ncls is not None:
                cls.extend(ncls)
                t = nt
                continue
            rng = t
            lo, t = self.parse_class_char(t, s)
            hi = lo
            if len(t) >= 2 and t[0] == "-" and t[1] != "]":
                t = t[1:]
                hi, t = self.parse_class_char(t, s)
                if hi < lo:
                    rng = rng[: len(rng) - len(t)]
                    raise RegexpSyntaxError(ERR_INVALID_CHAR_RANGE, rng)
            if self.flags & FOLD_CASE:
                cls.extend(_fold_ranges([(lo, hi)]))
            else:
                cls.append((lo, hi))
        t = t[1:]
        cls = _clean(cls)
        if sign < 0:
            cls = _negate(cls)
        self.push(Node(CHAR_CLASS, flags=self.flags, ranges=cls))
        return t


def _collapse(subs: list[Node], op: int) -> Node:
    if len(subs) == 1:
        return subs[0]
    out: list[Node] = []
    for sub in subs:
        if sub.op == op:
            out.extend(sub.subs)
        else:
            out.append(sub)
    return Node(op, subs=out)


def _repeat_is_valid(re_: Node, n: int) -> bool:
    if re_.op == REPEAT:
        m = re_.max
        if m == 0:
            return True
        if m < 0:
            m = re_.min
        if m > n:
            return False
        if m > 0:
            n //= m
    return all(_repeat_is_valid(sub, n) for sub in re_.subs)


def _height(re_: Node) -> int:
    return 1 + max((_height(s) for s in re_.subs), default=0)


def parse(s: str, flags: int = PERL) -> Node:
    """``syntax.Parse(s, flags)``; raises :class:`RegexpSyntaxError` with Go's message."""
    p = _Parser(s, flags)
    t = s
    last_repeat = ""
    while t:
        repeat = ""
        c0 = t[0]
        if c0 == "(":
            if p.flags & PERL_X and len(t) >= 2 and t[1] == "?":
                t = p.parse_perl_flags(t)
            else:
                p.num_cap += 1
                p.op(_LEFT_PAREN).cap = p.num_cap
                t = t[1:]
        elif c0 == "|":
            p.parse_vertical_bar()
            t = t[1:]
        elif c0 == ")":
            p.parse_right_paren()
            t = t[1:]
        elif c0 == "^":
            p.op(BEGIN_TEXT if p.flags & ONE_LINE else BEGIN_LINE)
            t = t[1:]
        elif c0 == "$":
            if p.flags & ONE_LINE:
                p.op(END_TEXT).flags |= WAS_DOLLAR
            else:
                p.op(END_LINE)
            t = t[1:]
        elif c0 == ".":
            p.op(ANY_CHAR if p.flags & DOT_NL else ANY_CHAR_NOT_NL)
            t = t[1:]
        elif c0 == "[":
            t = p.parse_class(t)
        elif c0 in "*+?":
            before = t
            op = {"*": STAR, "+": PLUS, "?": QUEST}[c0]
            t = p.repeat(op, 0, 0, before, t[1:], last_repeat)
            repeat = before
        elif c0 == "{":
            before = t
            mn, mx, after, ok = p.parse_repeat(t)
            if not ok:
                p.literal(ord("{"))
                t = t[1:]
            else:
                if mn < 0 or mn > 1000 or mx > 1000 or (mx >= 0 and mn > mx):
                    raise RegexpSyntaxError(ERR_INVALID_REPEAT_SIZE, before[: len(before) - len(after)])
                t = p.repeat(REPEAT, mn, mx, before, after, last_repeat)
                repeat = before
        elif c0 == "\\":
            t = _parse_backslash(p, t)
        else:
            c, t = _next_rune(t)
            p.literal(c)
        last_repeat = repeat
    p.concat()
    if p.swap_vertical_bar():
        p.stack.pop()
    p.alternate()
    if len(p.stack) != 1:
        raise RegexpSyntaxError(ERR_MISSING_PAREN, s)
    root = p.stack[0]
    if _height(root) > _MAX_HEIGHT:
        raise RegexpSyntaxError(ERR_NESTING_DEPTH, s)
    return root


def _parse_backslash(p: _Parser, t: str) -> str:
    if p.flags & PERL_X and len(t) >= 2:
        c1 = t[1]
        if c1 == "A":
            p.op(BEGIN_TEXT)
            return t[2:]
        if c1 == "b":
            p.op(WORD_BOUNDARY)
            return t[2:]
        if c1 == "B":
            p.op(NO_WORD_BOUNDARY)
            return t[2:]
        if c1 == "C":
            raise RegexpSyntaxError(ERR_INVALID_ESCAPE, t[:2])
        if c1 == "Q":
            lit, sep, rest = t[2:].partition("\\E")
            t = rest if sep else ""
            while lit:
                c, lit = _next_rune(lit)
                p.literal(c)
            return t
        if c1 == "z":
            p.op(END_TEXT)
            return t[2:]
    if len(t) >= 2 and t[1] in "pP":
        cls, rest = p.parse_unicode_class(t)
        if cls is not None:
            p.push(Node(CHAR_CLASS, flags=p.flags, ranges=_clean(cls)))
            return rest
    cls, rest = p.parse_perl_class_escape(t)
    if cls is not None:
        p.push(Node(CHAR_CLASS, flags=p.flags, ranges=_clean(cls)))
        return rest
    c, t = p.parse_escape(t)
    p.literal(c)
    return t


def cap_names(root: Node) -> list[str]:
    """``Regexp.CapNames``: index 0 is the whole match (``""``)."""
    names: dict[int, str] = {}

    def walk(n: Node) -> None:
        if n.op == CAPTURE:
            names[n.cap] = n.name
        for s in n.subs:
            walk(s)

    walk(root)
    mx = max(names, default=0)
    return [""] + [names.get(i, "") for i in range(1, mx + 1)]


# ---------------------------------------------------------------------------------------------
# Translation to Python's re

_WORD = "[0-9A-Za-z_]"
_WORD_BOUNDARY = f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))"
_NO_WORD_BOUNDARY = f"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))"
_SURR_LO, _SURR_HI = 0xD800, 0xDFFF
_ESC_LO, _ESC_HI = 0xDC80, 0xDCFF  # surrogate escapes of invalid bytes


def _esc_cp(c: int) -> str:
    if c < 0x80 and (chr(c).isalnum() or c == 0x5F):
        return chr(c)
    if c < 0x100:
        return f"\\x{c:02x}"
    if c < 0x10000:
        return f"\\u{c:04x}"
    return f"\\U{c:08x}"


def _py_ranges(ranges: Ranges) -> Ranges:
    """Go rune ranges to Python code point ranges: surrogates never match a Go rune, but
    U+FFFD must also match the invalid bytes Go decodes as U+FFFD."""
    out: Ranges = []
    has_error = False
    for lo, hi in ranges:
        if lo <= RUNE_ERROR <= hi:
            has_error = True
        if hi < _SURR_LO or lo > _SURR_HI:
            out.append((lo, hi))
            continue
        if lo < _SURR_LO:
            out.append((lo, _SURR_LO - 1))
        if hi > _SURR_HI:
            out.append((_SURR_HI + 1, hi))
    if has_error:
        out.append((_ESC_LO, _ESC_HI))
    return _union(out)


def _class(ranges: Ranges) -> str:
    pr = _py_ranges(ranges)
    if not pr:
        return "(?!)"
    if len(pr) == 1 and pr[0][0] == pr[0][1]:
        return _esc_cp(pr[0][0])
    parts = []
    for lo, hi in pr:
        if lo == hi:
            parts.append(_esc_cp(lo))
        elif hi == lo + 1:
            parts.append(_esc_cp(lo) + _esc_cp(hi))
        else:
            parts.append(f"{_esc_cp(lo)}-{_esc_cp(hi)}")
    return "[" + "".join(parts) + "]"


def _rune(r: int, fold: bool) -> str:
    if fold:
        orbit = fold_orbit(r)
        if len(orbit) > 1:
            return _class(_clean([(c, c) for c in orbit]))
    return _class([(r, r)])


def translate(n: Node) -> str:
    """A Python ``re`` pattern (no flags needed) with the same leftmost-first matches as ``n``."""
    op = n.op
    if op == NO_MATCH:
        return "(?!)"
    if op == EMPTY_MATCH:
        return "(?:)"
    if op == LITERAL:
        fold = bool(n.flags & FOLD_CASE)
        return "".join(_rune(r, fold) for r in n.runes)
    if op == CHAR_CLASS:
        return _class(n.ranges)
    if op == ANY_CHAR_NOT_NL:
        return "[^\\n]"
    if op == ANY_CHAR:
        return "(?s:.)"
    if op == BEGIN_LINE:
        return "(?m:^)"
    if op == END_LINE:
        return "(?m:$)"
    if op == BEGIN_TEXT:
        return "\\A"
    if op == END_TEXT:
        return "\\Z"
    if op == WORD_BOUNDARY:
        return _WORD_BOUNDARY
    if op == NO_WORD_BOUNDARY:
        return _NO_WORD_BOUNDARY
    if op == CAPTURE:
        return "(" + translate(n.subs[0]) + ")"
    if op in (STAR, PLUS, QUEST, REPEAT):
        sub = n.subs[0]
        inner = translate(sub)
        if sub.op != CAPTURE:
            inner = "(?:" + inner + ")"
        if op == STAR:
            q = "*"
        elif op == PLUS:
            q = "+"
        elif op == QUEST:
            q = "?"
        elif n.max == -1:
            q = f"{{{n.min},}}"
        elif n.min == n.max:
            q = f"{{{n.min}}}"
        else:
            q = f"{{{n.min},{n.max}}}"
        if n.flags & NON_GREEDY:
            q += "?"
        return inner + q
    if op == CONCAT:
        return "".join(translate(s) for s in n.subs)
    if op == ALTERNATE:
        return "(?:" + "|".join(translate(s) for s in n.subs) + ")"
    raise AssertionError(f"unexpected op {op}")


# ---------------------------------------------------------------------------------------------
# regexp.Regexp


class RegexpUnsupported(KwokbookError):
    """Go accepts the pattern but Python's ``re`` cannot run its translation (a kwokbook limit)."""


class Regexp:
    """A compiled Go regexp: the methods sprig and semver call, with Go's loop semantics."""

    def __init__(self, expr: str) -> None:
        self.expr = expr
        tree = parse(expr)
        self.subexp_names = cap_names(tree)
        self.num_subexp = len(self.subexp_names) - 1
        self.py_pattern = translate(tree)
        try:
            self._re = re.compile(self.py_pattern)
        except (re.error, RecursionError, OverflowError) as e:  # pragma: no cover - defensive
            raise RegexpUnsupported(f"regexp {expr!r} cannot be run here: {e}") from e
        if self._re.groups != self.num_subexp:  # pragma: no cover - translation invariant
            raise AssertionError("capture count mismatch")

    def __repr__(self) -> str:
        return f"Regexp({self.expr!r})"

    def _search(self, s: str, pos: int) -> re.Match[str] | None:
        return self._re.search(s, pos)

    def match_string(self, s: str) -> bool:
        return self._re.search(s) is not None

    def find_string(self, s: str) -> str:
        m = self._re.search(s)
        return "" if m is None else m.group(0)

    def find_string_submatch(self, s: str) -> list[str] | None:
        m = self._re.search(s)
        if m is None:
            return None
        return [m.group(0)] + [g if g is not None else "" for g in m.groups()]

    def _all_matches(self, s: str, n: int) -> list[re.Match[str]]:
        """Go's ``allMatches``: an empty match right after a previous match is skipped."""
        if n < 0:
            n = len(s) + 1
        out: list[re.Match[str]] = []
        end = len(s)
        pos = 0
        prev_end = -1
        while len(out) < n and pos <= end:
            m = self._search(s, pos)
            if m is None:
                break
            accept = True
            if m.end() == pos:
                if m.start() == prev_end:
                    accept = False
                pos = pos + 1 if pos < end else end + 1
            else:
                pos = m.end()
            prev_end = m.end()
            if accept:
                out.append(m)
        return out

    def find_all_string(self, s: str, n: int) -> list[str] | None:
        """``FindAllString``: ``None`` is Go's nil slice (no match)."""
        ms = self._all_matches(s, n)
        if not ms:
            return None
        return [m.group(0) for m in ms]

    def find_all_string_submatch(self, s: str, n: int) -> list[list[str]] | None:
        ms = self._all_matches(s, n)
        if not ms:
            return None
        return [[m.group(0)] + [g if g is not None else "" for g in m.groups()] for m in ms]

    def find_all_string_index(self, s: str, n: int) -> list[tuple[int, int]] | None:
        ms = self._all_matches(s, n)
        if not ms:
            return None
        return [(m.start(), m.end()) for m in ms]

    def _replace_all(self, src: str, repl: Callable[[re.Match[str]], str]) -> str:
        last_end = 0
        search_pos = 0
        end = len(src)
        buf: list[str] = []
        while search_pos <= end:
            m = self._search(src, search_pos)
            if m is None:
                break
            a0, a1 = m.span()
            buf.append(src[last_end:a0])
            if a1 > last_end or a0 == 0:
                buf.append(repl(m))
            last_end = a1
            width = 1 if search_pos < end else 0
            if search_pos + width > a1:
                search_pos += width
            elif search_pos + 1 > a1:
                search_pos += 1
            else:
                search_pos = a1
        buf.append(src[last_end:])
        return "".join(buf)

    def replace_all_literal_string(self, src: str, repl: str) -> str:
        return self._replace_all(src, lambda m: repl)

    def replace_all_string(self, src: str, repl: str) -> str:
        if "$" not in repl:
            return self._replace_all(src, lambda m: repl)
        return self._replace_all(src, lambda m: self.expand(repl, m))

    def expand(self, template: str, m: re.Match[str]) -> str:
        """``Regexp.Expand``: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``."""
        out: list[str] = []
        while template:
            before, sep, after = template.partition("$")
            if not sep:
                break
            out.append(before)
            template = after
            if template and template[0] == "$":
                out.append("$")
                template = template[1:]
                continue
            ext = _extract(template)
            if ext is None:
                out.append("$")
                continue
            name, num, template = ext
            if num >= 0:
                if num <= self.num_subexp:
                    g = m.group(num)
                    if g is not None:
                        out.append(g)
            else:
                for i, namei in enumerate(self.subexp_names):
                    if name == namei and m.group(i) is not None:
                        out.append(m.group(i))
                        break
        out.append(template)
        return "".join(out)

    def split(self, s: str, n: int) -> list[str] | None:
        """``Regexp.Split``: ``None`` is Go's nil slice (n == 0)."""
        if n == 0:
            return None
        if self.expr and not s:
            return [""]
        matches = self.find_all_string_index(s, n) or []
        out: list[str] = []
        beg = 0
        end = 0
        for a0, a1 in matches:
            if n > 0 and len(out) >= n - 1:
                break
            end = a0
            if a1 != 0:
                out.append(s[beg:end])
            beg = a1
        if end != len(s):
            out.append(s[beg:])
        return out


def _extract(s: str) -> tuple[str, int, str] | None:
    """``extract`` from regexp.go: a leading ``name`` or ``{name}``."""
    if not s:
        return None
    brace = False
    if s[0] == "{":
        brace = True
        s = s[1:]
    i = 0
    while i < len(s):
        r = rune_of(s[i])
        if not is_letter(r) and not is_digit(r) and r != 0x5F:
            break
        i += 1
    if i == 0:
        return None
    name = s[:i]
    if brace:
        if i >= len(s) or s[i] != "}":
            return None
        i += 1
    num = 0
    for ch in name:
        if not ("0" <= ch <= "9") or num >= 100_000_000:
            num = -1
            break
        num = num * 10 + ord(ch) - 0x30
    if name[0] == "0" and len(name) > 1:
        num = -1
    return name, num, s[i:]


@functools.lru_cache(maxsize=512)
def _compile_cached(expr: str) -> Regexp | RegexpSyntaxError:
    try:
        return Regexp(expr)
    except RegexpSyntaxError as e:
        return e


def compile(expr: str) -> Regexp:
    """``regexp.Compile``: raises :class:`RegexpSyntaxError` (Go's message) on bad syntax."""
    r = _compile_cached(expr)
    if isinstance(r, RegexpSyntaxError):
        raise RegexpSyntaxError(r.code, r.expr)
    return r


def must_compile_message(expr: str, err: RegexpSyntaxError) -> str:
    """The panic text of ``regexp.MustCompile`` for a bad pattern."""
    return f"regexp: Compile({_backquote_or_quote(expr)}): {err}"


_SPECIAL = frozenset("\\.+*?()|[]{}^$")


def quote_meta(s: str) -> str:
    """``regexp.QuoteMeta``."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in s)

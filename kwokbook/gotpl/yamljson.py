"""KWOK's YAML conversions (``sigs.k8s.io/yaml`` v1.6.0 on go-yaml v2.4.3), byte-exact.

KWOK's renderer parses every rendered template as YAML and converts it to JSON
(``yaml.YAMLToJSON``); its ``YAML`` template function and the Stage test harness go the other way
(``yaml.Marshal`` = ``json.Marshal`` then ``JSONToYAML``). Whitespace, quoting and YAML 1.1 scalar
resolution (``yes`` → true, ``0x1F`` → 31, ``1.0`` → 1 …) change what a Stage does, and PyYAML
resolves, accepts and reports differently, so this module carries its own port of go-yaml v2's
reader, scanner, parser, resolver, decoder and emitter (quirks included: see the tests' cases).

Public API:

* :func:`yaml_to_json_value` / :func:`yaml_to_json` — ``YAMLToJSON`` as Python values / as the
  exact JSON text Go produces. A fast path handles the narrow shape rendered status templates
  have (block mappings and sequences of one-line scalars) and hands anything else — and anything
  go-yaml would reject — to the full port; both give identical results.
* :func:`resolve_plain_scalar` — what go-yaml makes of one untagged plain scalar.
* :func:`marshal_yaml` — ``yaml.Marshal(value)`` for kwokbook's template value model.
* :func:`json_to_yaml` — ``JSONToYAML(text)``.
* :func:`encode_yaml_document` — what KWOK's ``yaml.NewEncoder(w).Encode(v)`` writes.

Errors are :class:`kwokbook.errors.YAMLError` whose message is Go's error text (e.g.
``yaml: line 3: mapping values are not allowed in this context``, ``json: unsupported value:
NaN``); marshalling errors are :class:`YAMLMarshalError`, also a Go error value for the template
engine. KWOK's renderer appends ``": " + rendered text`` to the YAMLToJSON error and
``yaml.Unmarshal`` callers prefix ``error converting YAML to JSON: ``; that wrapping belongs to
the callers. ``Location.line`` is the 1-based line of the problem (go-yaml's message sometimes
names the line before it, or none; the message is kept verbatim).

Where Go itself is not deterministic this module picks one answer: keys that stringify alike
(``1`` and ``"1"``, ``1`` and ``1.0``) collide in a random order, an error among several bad map
keys is found in map order, and go-yaml's natural key order is not transitive for keys such as
``10``/``1a``/``2`` (the sort's result then depends on Go's random map order).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from typing import Any

from kwokbook.errors import Location, YAMLError
from kwokbook.gotpl.goregex import is_digit, is_letter
from kwokbook.gotpl.gostrconv import format_float, format_json_float, quote, to_go_bytes
from kwokbook.gotpl.values import GoError

__all__ = [
    "GoYamlMap",
    "Uint64",
    "YAMLMarshalError",
    "encode_yaml_document",
    "json_to_yaml",
    "marshal_yaml",
    "resolve_plain_scalar",
    "yaml_to_json",
    "yaml_to_json_value",
]

# =============================================================================================
# Go strconv / time helpers used by go-yaml's resolver
# =============================================================================================

_MAX_U64 = (1 << 64) - 1
_I64_CUT = 1 << 63


def _parse_uint0(s: str, base: int = 0) -> int | None:
    """``strconv.ParseUint(s, base, 64)``; None on any error (syntax or range)."""
    if not s:
        return None
    base0 = base == 0
    s0 = s
    if base0:
        base = 10
        if s[0] == "0":
            c1 = s[1:2].lower()
            if len(s) >= 3 and c1 == "b":
                base, s = 2, s[2:]
            elif len(s) >= 3 and c1 == "o":
                base, s = 8, s[2:]
            elif len(s) >= 3 and c1 == "x":
                base, s = 16, s[2:]
            else:
                base, s = 8, s[1:]
    n = 0
    underscores = False
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= c.lower() <= "z" and c.isascii():
            d = ord(c.lower()) - 87
        else:
            return None
        if d >= base:
            return None
        n = n * base + d
        if n > _MAX_U64:
            return None
    if underscores and not _underscore_ok(s0):
        return None
    return n


def _parse_int0(s: str, base: int = 0) -> int | None:
    """``strconv.ParseInt(s, base, 64)``; None on any error."""
    if not s:
        return None
    neg = False
    if s[0] == "+":
        s = s[1:]
    elif s[0] == "-":
        s, neg = s[1:], True
    un = _parse_uint0(s, base)
    if un is None:
        return None
    if (not neg and un >= _I64_CUT) or (neg and un > _I64_CUT):
        return None
    return -un if neg else un


def _underscore_ok(s: str) -> bool:
    """Go's ``underscoreOK``: underscores only between digits (or after a base prefix)."""
    saw = "^"
    i = 0
    if s[:1] in ("-", "+"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexa = s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and "a" <= c.lower() <= "f"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


_GO_DEC_FLOAT = re.compile(r"[+-]?[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?")


def _go_parse_float(s: str) -> float | None:
    """``strconv.ParseFloat(s, 64)`` for the decimal inputs go-yaml can hand it; None on error.

    Out-of-range values are errors in Go (go-yaml then keeps the text as a string).
    """
    m = _GO_DEC_FLOAT.fullmatch(s)
    if m is None or not any("0" <= c <= "9" for c in s.split("e", maxsplit=1)[0].split("E", maxsplit=1)[0]):
        low = s.lower().lstrip("+-")
        if low in ("inf", "infinity") and len(s) - len(low) <= 1:
            return -math.inf if s[0] == "-" else math.inf
        if s.lower() == "nan":
            return math.nan
        return None
    if "_" in s and not _underscore_ok(s):
        return None
    f = float(s.replace("_", ""))
    if math.isinf(f):
        return None  # ErrRange
    return f


_DAYS_IN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _getnum(s: str, i: int, fixed: bool) -> tuple[int, int] | None:
    """Go time's ``getnum`` on ``s[i:]``: one or two digits (exactly two if fixed)."""
    if not ("0" <= s[i : i + 1] <= "9") or i >= len(s):
        return None
    if i + 1 >= len(s) or not ("0" <= s[i + 1] <= "9"):
        if fixed:
            return None
        return int(s[i]), i + 1
    return int(s[i : i + 2]), i + 2


def _parse_go_time(s: str, sep: str | None, has_time: bool, zone: bool) -> bool:
    """Whether ``time.Parse`` accepts ``s`` for one of go-yaml's four timestamp layouts.

    Layout ``2006-1-2`` followed (if ``has_time``) by ``sep`` + ``15:4:5.999999999`` and (if
    ``zone``) ``Z07:00``.
    """
    if len(s) < 4 or not s[:4].isdigit() or not s[:4].isascii():
        return False
    year = int(s[:4])
    i = 4
    if s[i : i + 1] != "-":
        return False
    r = _getnum(s, i + 1, False)
    if r is None:
        return False
    month, i = r
    if s[i : i + 1] != "-":
        return False
    r = _getnum(s, i + 1, False)
    if r is None:
        return False
    day, i = r
    range_err = not (1 <= month <= 12)
    if has_time:
        if sep == " ":
            if i < len(s) and s[i] != " ":
                return False
            while i < len(s) and s[i] == " ":
                i += 1
        else:
            if s[i : i + 1] != sep:
                return False
            i += 1
        r = _getnum(s, i, False)
        if r is None:
            return False
        hour, i = r
        range_err = range_err or hour >= 24
        for _ in range(2):
            if s[i : i + 1] != ":":
                return False
            r = _getnum(s, i + 1, False)
            if r is None:
                return False
            v, i = r
            range_err = range_err or v >= 60
        if len(s) - i >= 2 and s[i] in ".," and "0" <= s[i + 1] <= "9":
            i += 1
            while i < len(s) and "0" <= s[i] <= "9":
                i += 1
        if zone:
            if s[i : i + 1] == "Z":
                i += 1
            else:
                if len(s) - i < 6 or s[i + 3] != ":":
                    return False
                hh = _getnum(s, i + 1, True)
                mm = _getnum(s, i + 4, True)
                if hh is None or mm is None or hh[1] != i + 3 or mm[1] != i + 6:
                    return False
                if s[i] not in "+-":
                    return False
                range_err = range_err or hh[0] > 24 or mm[0] > 60
                i += 6
    if i != len(s) or range_err:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    dim = 29 if month == 2 and leap else _DAYS_IN[month - 1]
    return 1 <= day <= dim


def _is_timestamp(s: str) -> bool:
    """go-yaml's ``parseTimestamp``: four digits and '-', then one of four layouts."""
    if (
        len(s) < 5
        or s[4] != "-"
        or not ("0" <= s[0] <= "9" and "0" <= s[1] <= "9" and "0" <= s[2] <= "9" and "0" <= s[3] <= "9")
    ):
        return False
    return (
        _parse_go_time(s, "T", True, True)
        or _parse_go_time(s, "t", True, True)
        or _parse_go_time(s, " ", True, False)
        or _parse_go_time(s, None, False, False)
    )


_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _is_base60_float(s: str) -> bool:
    if not s or not (s[0] in "+-" or "0" <= s[0] <= "9") or ":" not in s:
        return False
    return _BASE60.fullmatch(s) is not None


# =============================================================================================
# Resolver (resolve.go)
# =============================================================================================

TAG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = TAG_PREFIX + "str"
BOOL_TAG = TAG_PREFIX + "bool"
INT_TAG = TAG_PREFIX + "int"
FLOAT_TAG = TAG_PREFIX + "float"
NULL_TAG = TAG_PREFIX + "null"
TIMESTAMP_TAG = TAG_PREFIX + "timestamp"
BINARY_TAG = TAG_PREFIX + "binary"
MERGE_TAG = TAG_PREFIX + "merge"

_RESOLVABLE = frozenset({"", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG})


class Uint64(int):
    """A go-yaml ``uint64`` (an integer above int64's range); JSON writes it like any integer."""

    __slots__ = ()


_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _v, _t, _words in (
    (True, BOOL_TAG, ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")),
    (False, BOOL_TAG, ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")),
    (None, NULL_TAG, ("", "~", "null", "Null", "NULL")),
    (math.nan, FLOAT_TAG, (".nan", ".NaN", ".NAN")),
    (math.inf, FLOAT_TAG, (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")),
    (-math.inf, FLOAT_TAG, ("-.inf", "-.Inf", "-.INF")),
    ("<<", MERGE_TAG, ("<<",)),
):
    for _w in _words:
        _RESOLVE_MAP[_w] = (_t, _v)

# resolveTable: 'S' sign, 'D' digit, 'M' in map, '.' float
_HINT: dict[str, str] = {"+": "S", "-": "S", ".": "."}
for _c in "0123456789":
    _HINT[_c] = "D"
for _c in "yYnNtTfFoO~":
    _HINT[_c] = "M"

_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag


class _DecodeFail(Exception):
    """go-yaml's ``failf``: the message already starts with ``yaml: ``."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _resolve_plain(s: str) -> tuple[str, Any]:
    """``resolve("", s)``: the tag and Go value of an untagged plain scalar."""
    hint = _HINT.get(s[:1], "") if s else "N"
    if not hint:
        return STR_TAG, s
    item = _RESOLVE_MAP.get(s)
    if item is not None:
        return item
    if hint == ".":
        f = _go_parse_float(s)
        if f is not None:
            return FLOAT_TAG, f
    elif hint in "DS":
        return _resolve_number(s, True)
    return STR_TAG, s


def resolve_plain_scalar(text: str) -> Any:
    """The value go-yaml v2 gives an untagged plain scalar, as YAMLToJSON passes it on.

    ``yes`` → True, ``0x1F`` → 31, ``1.0`` → 1.0, ``~`` → None; timestamps and everything else
    stay strings. ``.inf``/``.nan`` give float infinities/NaN (which YAMLToJSON then rejects).
    """
    tag, v = _resolve_plain(text)
    if tag == TIMESTAMP_TAG:
        return text
    return int(v) if type(v) is Uint64 else v


def _resolve_number(s: str, try_timestamp: bool) -> tuple[str, Any]:
    if try_timestamp and _is_timestamp(s):
        return TIMESTAMP_TAG, s
    plain = s.replace("_", "")
    iv = _parse_int0(plain)
    if iv is not None:
        return INT_TAG, iv
    uv = _parse_uint0(plain)
    if uv is not None:
        return INT_TAG, Uint64(uv)
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        f = _go_parse_float(plain)
        if f is not None:
            return FLOAT_TAG, f
    if plain.startswith("0b"):
        iv = _parse_int0(plain[2:], 2)
        if iv is not None:
            return INT_TAG, iv
        uv = _parse_uint0(plain[2:], 2)
        if uv is not None:
            return INT_TAG, Uint64(uv)
    elif plain.startswith("-0b"):
        iv = _parse_int0("-" + plain[3:], 2)
        if iv is not None:
            return INT_TAG, iv
    return STR_TAG, s


def _resolve(tag: str, s: str) -> tuple[str, Any]:
    """go-yaml's ``resolve(tag, in)`` including its tag/type consistency check."""
    if tag not in _RESOLVABLE:
        return tag, s
    if tag == "":
        return _resolve_plain(s)
    rtag: str = STR_TAG
    out: Any = s
    hint = _HINT.get(s[:1], "") if s else "N"
    if hint and tag != STR_TAG:
        item = _RESOLVE_MAP.get(s)
        if item is not None:
            rtag, out = item
        elif hint == ".":
            f = _go_parse_float(s)
            if f is not None:
                rtag, out = FLOAT_TAG, f
        elif hint in "DS":
            rtag, out = _resolve_number(s, tag == TIMESTAMP_TAG)
    if tag in (rtag, STR_TAG):
        return rtag, out
    if tag == FLOAT_TAG and rtag == INT_TAG and not isinstance(out, Uint64):  # int and int64 only
        return FLOAT_TAG, float(out)
    raise _DecodeFail(f"yaml: cannot decode {_short_tag(rtag)} `{s}` as a {_short_tag(tag)}")


# =============================================================================================
# Reader, scanner and parser (readerc.go, scannerc.go, parserc.go)
# =============================================================================================

_BREAK = frozenset("\r\n\x85\u2028\u2029")
_BREAKZ = frozenset("\r\n\x85\u2028\u2029\0")
_BLANKZ = frozenset(" \t\r\n\x85\u2028\u2029\0")
_BLANK = frozenset(" \t")
_ALPHA = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")
_HEX = frozenset("0123456789ABCDEFabcdef")
_URI_CHARS = _ALPHA | frozenset(";/?:@&=+$,.!~*'()[]%")
_ANCHOR_END = _BLANKZ | frozenset("?:,]}%@`")
_PLAIN_STOP_START = frozenset("-?:,[]{}#&*!|>'\"%@`") | _BLANKZ
_FLOW_PLAIN_STOP = frozenset(",?[]{}")

# The reader accepts these code points; anything else is "control characters are not allowed".
_BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# token types
(
    T_STREAM_START,
    T_STREAM_END,
    T_VERSION_DIRECTIVE,
    T_TAG_DIRECTIVE,
    T_DOCUMENT_START,
    T_DOCUMENT_END,
    T_BLOCK_SEQUENCE_START,
    T_BLOCK_MAPPING_START,
    T_BLOCK_END,
    T_FLOW_SEQUENCE_START,
    T_FLOW_SEQUENCE_END,
    T_FLOW_MAPPING_START,
    T_FLOW_MAPPING_END,
    T_BLOCK_ENTRY,
    T_FLOW_ENTRY,
    T_KEY,
    T_VALUE,
    T_ALIAS,
    T_ANCHOR,
    T_TAG,
    T_SCALAR,
) = range(1, 22)

# scalar styles
S_PLAIN, S_SINGLE, S_DOUBLE, S_LITERAL, S_FOLDED = 1, 2, 3, 4, 5

# event types (values match go-yaml's yaml_event_type_t for the names table)
(
    E_STREAM_START,
    E_STREAM_END,
    E_DOCUMENT_START,
    E_DOCUMENT_END,
    E_ALIAS,
    E_SCALAR,
    E_SEQUENCE_START,
    E_SEQUENCE_END,
    E_MAPPING_START,
    E_MAPPING_END,
) = range(1, 11)
_EVENT_NAMES = (
    "none",
    "stream start",
    "stream end",
    "document start",
    "document end",
    "alias",
    "scalar",
    "sequence start",
    "sequence end",
    "mapping start",
    "mapping end",
)

Mark = tuple[int, int, int]  # (index, line, column), all 0-based
_ZERO_MARK: Mark = (0, 0, 0)


class _Tok:
    __slots__ = ("end", "major", "minor", "prefix", "start", "style", "suffix", "typ", "value")

    def __init__(self, typ: int, start: Mark, end: Mark, value: str = "", style: int = 0) -> None:
        self.typ = typ
        self.start = start
        self.end = end
        self.value = value
        self.style = style
        self.suffix = ""
        self.prefix = ""
        self.major = 0
        self.minor = 0


class _Event:
    __slots__ = ("anchor", "end", "implicit", "quoted_implicit", "start", "style", "tag", "typ", "value")

    def __init__(
        self,
        typ: int,
        start: Mark,
        end: Mark,
        anchor: str | None = None,
        tag: str = "",
        *,
        value: str = "",
        implicit: bool = False,
        quoted_implicit: bool = False,
        style: int = 0,
    ) -> None:
        self.typ = typ
        self.start = start
        self.end = end
        self.anchor = anchor
        self.tag = tag
        self.value = value
        self.implicit = implicit
        self.quoted_implicit = quoted_implicit
        self.style = style


class _SimpleKey:
    __slots__ = ("mark", "possible", "required", "token_number")

    def __init__(self, possible: bool, required: bool, token_number: int, mark: Mark) -> None:
        self.possible = possible
        self.required = required
        self.token_number = token_number
        self.mark = mark


class _ParseError(Exception):
    """A reader, scanner or parser error, carrying what go-yaml's ``parser.fail`` reads."""

    def __init__(
        self,
        kind: str,
        problem: str,
        problem_mark: Mark = _ZERO_MARK,
        context: str = "",
        context_mark: Mark = _ZERO_MARK,
    ) -> None:
        super().__init__(problem)
        self.kind = kind
        self.problem = problem
        self.problem_mark = problem_mark
        self.context = context
        self.context_mark = context_mark

    def go_message(self) -> tuple[str, int | None]:
        """``parser.fail``'s message, plus the 1-based line of the problem for ``Location``."""
        line = 0
        if self.problem_mark[1] != 0:
            line = self.problem_mark[1]
            if self.kind == "scanner":
                line += 1
        elif self.context_mark[1] != 0:
            line = self.context_mark[1]
        where = f"line {line}: " if line else ""
        msg = self.problem or "unknown problem parsing YAML content"
        real = None if self.kind == "reader" else self.problem_mark[1] + 1
        return f"yaml: {where}{msg}", real


_RAW_CHUNK = 512  # input_raw_buffer_size: the reader decodes (and validates) input in chunks


class _Reader:
    """When go-yaml's reader decodes what, modelled in characters.

    go-yaml decodes its input 512 raw bytes at a time, validating as it goes, and compacts its
    buffer whenever the scanner asks for more than is decoded. Both are observable: a bad
    character fails the parse as soon as the scanner needs anything from its chunk, and the
    scanner's BOM check looks at the *start of the buffer* (``is_bom`` ignores its index), so a
    BOM there makes the scanner drop the first character of every line.
    """

    __slots__ = (
        "bad_chunk",
        "buf_start",
        "chunk_ends",
        "chunks_decoded",
        "chunks_read",
        "decoded",
        "eof",
        "problem",
    )

    def __init__(self, text: str) -> None:
        self.problem = ""
        self.bad_chunk = -1
        if _BAD_CHAR.search(text) is None:
            data = text.encode("utf-8")
            bom = 3 if text.startswith("\ufeff") else 0
            ends: list[int] = []
            start = 0
            nchars = 0
            while start < len(data):  # chunk k: raw bytes [start, start+512); a cut character moves on
                end = min(start + _RAW_CHUNK, len(data))
                while end < len(data) and end > start and (data[end] & 0xC0) == 0x80:
                    end -= 1
                nchars += len(data[max(start, bom) : end].decode("utf-8"))
                ends.append(nchars)
                start = end
        else:
            data = to_go_bytes(text)
            ends = self._simulate(data)
        self.chunk_ends = ends
        self.chunks_read = 1 if ends else 0
        self.chunks_decoded = 0
        self.decoded = 0
        self.buf_start = 0
        self.eof = len(data) < 3  # determine_encoding reads until it has three bytes

    def _simulate(self, data: bytes) -> list[int]:
        """Go's decode loop over raw bytes, recording chunk ends and the first reader error."""
        n = len(data)
        rpos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        rend = min(_RAW_CHUNK, n)
        ends: list[int] = []
        nchars = 0
        while True:
            while rpos < rend:
                width = _utf8_width(data[rpos])
                if width == 0:
                    return self._fail(ends, "invalid leading UTF-8 octet")
                if width > rend - rpos:
                    break  # completed by the next read
                problem = _check_utf8_char(data, rpos, width)
                if problem:
                    return self._fail(ends, problem)
                rpos += width
                nchars += 1
            ends.append(nchars)
            if rend == n:
                break
            rend = min(rpos + _RAW_CHUNK, n)
        if rpos < n:  # the reader only sees the truncation once the input is at EOF
            self._fail(ends, "incomplete UTF-8 octet sequence")
            if n < 3:
                self.bad_chunk = 0
        return ends

    def _fail(self, ends: list[int], problem: str) -> list[int]:
        self.problem = problem
        self.bad_chunk = len(ends)
        return ends

    def update(self, pos: int, length: int) -> None:
        """``yaml_parser_update_buffer(parser, length)`` with the scanner at ``pos``."""
        if self.decoded - pos >= length:
            return
        if self.buf_start < pos < self.decoded or pos == self.decoded:
            self.buf_start = pos
        first = True
        while self.decoded - pos < length:
            if not first or self.chunks_decoded == self.chunks_read:
                if self.chunks_read < len(self.chunk_ends):
                    self.chunks_read += 1
                else:
                    if self.bad_chunk == len(self.chunk_ends):
                        raise _ParseError("reader", self.problem)
                    self.eof = True
            first = False
            if self.chunks_decoded < self.chunks_read:
                if self.chunks_decoded == self.bad_chunk:
                    raise _ParseError("reader", self.problem)
                self.decoded = self.chunk_ends[self.chunks_decoded]
                self.chunks_decoded += 1
            if self.eof:
                self.decoded += 1  # the NUL that marks the end
                break


class _GoYamlParser:
    """go-yaml v2's scanner and parser (libyaml port), producing events one at a time."""

    def __init__(self, text: str) -> None:
        if not text:
            text = "\n"
        self.reader = _Reader(text)
        if text.startswith("\ufeff"):
            text = text[1:]
        self.buf = text + "\0" * 8
        self.pos = 0
        self.line = 0
        self.column = 0
        self.stream_start_produced = False
        self.stream_end_produced = False
        self.flow_level = 0
        self.tokens: list[_Tok] = []
        self.tokens_head = 0
        self.tokens_parsed = 0
        self.token_available = False
        self.indent = -1
        self.indents: list[int] = []
        self.simple_key_allowed = False
        self.simple_keys: list[_SimpleKey] = []
        self.simple_keys_by_tok: dict[int, int] = {}
        # parser
        self.state: Callable[[], _Event] = self._parse_stream_start
        self.states: list[Callable[[], _Event]] = []
        self.marks: list[Mark] = []
        self.tag_directives: list[tuple[str, str]] = []
        self.done = False

    # ---- reader -------------------------------------------------------------------------

    def _cache(self, n: int) -> None:
        if self.pos + n > self.reader.decoded:
            self.reader.update(self.pos, n)

    def _mark(self) -> Mark:
        return (self.pos, self.line, self.column)

    def _skip(self) -> None:
        self.pos += 1
        self.column += 1

    def _skip_line(self) -> None:
        b = self.buf
        p = self.pos
        if b[p] == "\r" and b[p + 1] == "\n":
            self.pos += 2
            self.column = 0
            self.line += 1
        elif b[p] in _BREAK:
            self.pos += 1
            self.column = 0
            self.line += 1

    def _read(self, s: list[str]) -> None:
        s.append(self.buf[self.pos])
        self.pos += 1
        self.column += 1

    def _read_line(self, s: list[str]) -> None:
        b = self.buf
        p = self.pos
        c = b[p]
        if c == "\r" and b[p + 1] == "\n":
            s.append("\n")
            self.pos += 2
        elif c in "\r\n\x85":
            s.append("\n")
            self.pos += 1
        elif c in "\u2028\u2029":
            s.append(c)
            self.pos += 1
        else:
            return
        self.column = 0
        self.line += 1

    def _scanner_error(self, context: str, context_mark: Mark, problem: str) -> _ParseError:
        return _ParseError("scanner", problem, self._mark(), context, context_mark)

    # ---- token queue --------------------------------------------------------------------

    def _insert_token(self, pos: int, tok: _Tok) -> None:
        if pos < 0:
            self.tokens.append(tok)
        else:
            self.tokens.insert(self.tokens_head + pos, tok)

    def _peek_token(self) -> _Tok:
        if not self.token_available:
            self._fetch_more_tokens()
        return self.tokens[self.tokens_head]

    def _skip_token(self) -> None:
        self.token_available = False
        self.tokens_parsed += 1
        self.stream_end_produced = self.tokens[self.tokens_head].typ == T_STREAM_END
        self.tokens_head += 1
        if self.tokens_head > 256 and self.tokens_head == len(self.tokens):
            self.tokens.clear()
            self.tokens_head = 0

    def _fetch_more_tokens(self) -> None:
        while True:
            if self.tokens_head != len(self.tokens):
                idx = self.simple_keys_by_tok.get(self.tokens_parsed)
                if idx is None:
                    break
                if not self._simple_key_is_valid(self.simple_keys[idx]):
                    break
            self._fetch_next_token()
        self.token_available = True

    def _fetch_next_token(self) -> None:
        self._cache(1)
        if not self.stream_start_produced:
            self._fetch_stream_start()
            return
        self._scan_to_next_token()
        self._unroll_indent(self.column)
        self._cache(4)
        b = self.buf
        p = self.pos
        c = b[p]
        if c == "\0":
            self._fetch_stream_end()
            return
        if self.column == 0:
            if c == "%":
                self._fetch_directive()
                return
            if c == "-" and b[p + 1] == "-" and b[p + 2] == "-" and b[p + 3] in _BLANKZ:
                self._fetch_document_indicator(T_DOCUMENT_START)
                return
            if c == "." and b[p + 1] == "." and b[p + 2] == "." and b[p + 3] in _BLANKZ:
                self._fetch_document_indicator(T_DOCUMENT_END)
                return
        if c == "[":
            self._fetch_flow_collection_start(T_FLOW_SEQUENCE_START)
        elif c == "{":
            self._fetch_flow_collection_start(T_FLOW_MAPPING_START)
        elif c == "]":
            self._fetch_flow_collection_end(T_FLOW_SEQUENCE_END)
        elif c == "}":
            self._fetch_flow_collection_end(T_FLOW_MAPPING_END)
        elif c == ",":
            self._fetch_flow_entry()
        elif c == "-" and b[p + 1] in _BLANKZ:
            self._fetch_block_entry()
        elif c == "?" and (self.flow_level > 0 or b[p + 1] in _BLANKZ):
            self._fetch_key()
        elif c == ":" and (self.flow_level > 0 or b[p + 1] in _BLANKZ):
            self._fetch_value()
        elif c == "*":
            self._fetch_anchor(T_ALIAS)
        elif c == "&":
            self._fetch_anchor(T_ANCHOR)
        elif c == "!":
            self._fetch_tag()
        elif c == "|" and self.flow_level == 0:
            self._fetch_block_scalar(True)
        elif c == ">" and self.flow_level == 0:
            self._fetch_block_scalar(False)
        elif c == "'":
            self._fetch_flow_scalar(True)
        elif c == '"':
            self._fetch_flow_scalar(False)
        elif (
            c not in _PLAIN_STOP_START
            or (c == "-" and b[p + 1] not in _BLANK)
            or (self.flow_level == 0 and c in "?:" and b[p + 1] not in _BLANKZ)
        ):
            self._fetch_plain_scalar()
        else:
            raise self._scanner_error(
                "while scanning for the next token",
                self._mark(),
                "found character that cannot start any token",
            )

    # ---- simple keys ----------------------------------------------------------------------

    def _simple_key_is_valid(self, sk: _SimpleKey) -> bool:
        if not sk.possible:
            return False
        if sk.mark[1] < self.line or sk.mark[0] + 1024 < self.pos:
            if sk.required:
                raise self._scanner_error(
                    "while scanning a simple key", sk.mark, "could not find expected ':'"
                )
            sk.possible = False
            return False
        return True

    def _save_simple_key(self) -> None:
        required = self.flow_level == 0 and self.indent == self.column
        if self.simple_key_allowed:
            sk = _SimpleKey(
                True, required, self.tokens_parsed + (len(self.tokens) - self.tokens_head), self._mark()
            )
            self._remove_simple_key()
            self.simple_keys[-1] = sk
            self.simple_keys_by_tok[sk.token_number] = len(self.simple_keys) - 1

    def _remove_simple_key(self) -> None:
        sk = self.simple_keys[-1]
        if sk.possible:
            if sk.required:
                raise self._scanner_error(
                    "while scanning a simple key", sk.mark, "could not find expected ':'"
                )
            sk.possible = False
            self.simple_keys_by_tok.pop(sk.token_number, None)

    def _increase_flow_level(self) -> None:
        self.simple_keys.append(
            _SimpleKey(False, False, self.tokens_parsed + (len(self.tokens) - self.tokens_head), self._mark())
        )
        self.flow_level += 1
        if self.flow_level > 10000:
            raise self._scanner_error(
                "while increasing flow level", self.simple_keys[-1].mark, "exceeded max depth of 10000"
            )

    def _decrease_flow_level(self) -> None:
        if self.flow_level > 0:
            self.flow_level -= 1
            sk = self.simple_keys.pop()
            self.simple_keys_by_tok.pop(sk.token_number, None)

    def _roll_indent(self, column: int, number: int, typ: int, mark: Mark) -> None:
        if self.flow_level > 0:
            return
        if self.indent < column:
            self.indents.append(self.indent)
            self.indent = column
            if len(self.indents) > 10000:
                raise self._scanner_error(
                    "while increasing indent level", self.simple_keys[-1].mark, "exceeded max depth of 10000"
                )
            if number > -1:
                number -= self.tokens_parsed
            self._insert_token(number, _Tok(typ, mark, mark))

    def _unroll_indent(self, column: int) -> None:
        if self.flow_level > 0:
            return
        while self.indent > column:
            m = self._mark()
            self._insert_token(-1, _Tok(T_BLOCK_END, m, m))
            self.indent = self.indents.pop()

    # ---- fetchers -------------------------------------------------------------------------

    def _fetch_stream_start(self) -> None:
        self.indent = -1
        self.simple_keys.append(_SimpleKey(False, False, 0, _ZERO_MARK))
        self.simple_keys_by_tok = {}
        self.simple_key_allowed = True
        self.stream_start_produced = True
        m = self._mark()
        self._insert_token(-1, _Tok(T_STREAM_START, m, m))

    def _fetch_stream_end(self) -> None:
        if self.column != 0:
            self.column = 0
            self.line += 1
        self._unroll_indent(-1)
        self._remove_simple_key()
        self.simple_key_allowed = False
        m = self._mark()
        self._insert_token(-1, _Tok(T_STREAM_END, m, m))

    def _fetch_directive(self) -> None:
        self._unroll_indent(-1)
        self._remove_simple_key()
        self.simple_key_allowed = False
        self._insert_token(-1, self._scan_directive())

    def _fetch_document_indicator(self, typ: int) -> None:
        self._unroll_indent(-1)
        self._remove_simple_key()
        self.simple_key_allowed = False
        start = self._mark()
        self._skip()
        self._skip()
        self._skip()
        self._insert_token(-1, _Tok(typ, start, self._mark()))

    def _fetch_flow_collection_start(self, typ: int) -> None:
        self._save_simple_key()
        self._increase_flow_level()
        self.simple_key_allowed = True
        start = self._mark()
        self._skip()
        self._insert_token(-1, _Tok(typ, start, self._mark()))

    def _fetch_flow_collection_end(self, typ: int) -> None:
        self._remove_simple_key()
        self._decrease_flow_level()
        self.simple_key_allowed = False
        start = self._mark()
        self._skip()
        self._insert_token(-1, _Tok(typ, start, self._mark()))

    def _fetch_flow_entry(self) -> None:
        self._remove_simple_key()
        self.simple_key_allowed = True
        start = self._mark()
        self._skip()
        self._insert_token(-1, _Tok(T_FLOW_ENTRY, start, self._mark()))

    def _fetch_block_entry(self) -> None:
        if self.flow_level == 0:
            if not self.simple_key_allowed:
                raise self._scanner_error(
                    "", self._mark(), "block sequence entries are not allowed in this context"
                )
            self._roll_indent(self.column, -1, T_BLOCK_SEQUENCE_START, self._mark())
        self._remove_simple_key()
        self.simple_key_allowed = True
        start = self._mark()
        self._skip()
        self._insert_token(-1, _Tok(T_BLOCK_ENTRY, start, self._mark()))

    def _fetch_key(self) -> None:
        if self.flow_level == 0:
            if not self.simple_key_allowed:
                raise self._scanner_error("", self._mark(), "mapping keys are not allowed in this context")
            self._roll_indent(self.column, -1, T_BLOCK_MAPPING_START, self._mark())
        self._remove_simple_key()
        self.simple_key_allowed = self.flow_level == 0
        start = self._mark()
        self._skip()
        self._insert_token(-1, _Tok(T_KEY, start, self._mark()))

    def _fetch_value(self) -> None:
        sk = self.simple_keys[-1]
        if self._simple_key_is_valid(sk):
            self._insert_token(sk.token_number - self.tokens_parsed, _Tok(T_KEY, sk.mark, sk.mark))
            self._roll_indent(sk.mark[2], sk.token_number, T_BLOCK_MAPPING_START, sk.mark)
            sk.possible = False
            self.simple_keys_by_tok.pop(sk.token_number, None)
            self.simple_key_allowed = False
        else:
            if self.flow_level == 0:
                if not self.simple_key_allowed:
                    raise self._scanner_error(
                        "", self._mark(), "mapping values are not allowed in this context"
                    )
                self._roll_indent(self.column, -1, T_BLOCK_MAPPING_START, self._mark())
            self.simple_key_allowed = self.flow_level == 0
        start = self._mark()
        self._skip()
        self._insert_token(-1, _Tok(T_VALUE, start, self._mark()))

    def _fetch_anchor(self, typ: int) -> None:
        self._save_simple_key()
        self.simple_key_allowed = False
        self._insert_token(-1, self._scan_anchor(typ))

    def _fetch_tag(self) -> None:
        self._save_simple_key()
        self.simple_key_allowed = False
        self._insert_token(-1, self._scan_tag())

    def _fetch_block_scalar(self, literal: bool) -> None:
        self._remove_simple_key()
        self.simple_key_allowed = True
        self._insert_token(-1, self._scan_block_scalar(literal))

    def _fetch_flow_scalar(self, single: bool) -> None:
        self._save_simple_key()
        self.simple_key_allowed = False
        self._insert_token(-1, self._scan_flow_scalar(single))

    def _fetch_plain_scalar(self) -> None:
        self._save_simple_key()
        self.simple_key_allowed = False
        self._insert_token(-1, self._scan_plain_scalar())

    # ---- scanners -------------------------------------------------------------------------

    def _scan_to_next_token(self) -> None:
        b = self.buf
        while True:
            self._cache(1)
            if self.column == 0 and b[self.reader.buf_start] == "\ufeff":
                self._skip()
            self._cache(1)
            while b[self.pos] == " " or (
                (self.flow_level > 0 or not self.simple_key_allowed) and b[self.pos] == "\t"
            ):
                self._skip()
                self._cache(1)
            if b[self.pos] == "#":
                while b[self.pos] not in _BREAKZ:
                    self._skip()
                    self._cache(1)
            if b[self.pos] in _BREAK:
                self._cache(2)
                self._skip_line()
                if self.flow_level == 0:
                    self.simple_key_allowed = True
            else:
                break

    def _skip_blanks_and_comment(self) -> None:
        b = self.buf
        self._cache(1)
        while b[self.pos] in _BLANK:
            self._skip()
            self._cache(1)
        if b[self.pos] == "#":
            while b[self.pos] not in _BREAKZ:
                self._skip()
                self._cache(1)

    def _scan_directive(self) -> _Tok:
        start = self._mark()
        self._skip()
        name = self._scan_directive_name(start)
        if name == "YAML":
            major, minor = self._scan_version_directive_value(start)
            tok = _Tok(T_VERSION_DIRECTIVE, start, self._mark())
            tok.major, tok.minor = major, minor
        elif name == "TAG":
            handle, prefix = self._scan_tag_directive_value(start)
            tok = _Tok(T_TAG_DIRECTIVE, start, self._mark(), handle)
            tok.prefix = prefix
        else:
            raise self._scanner_error("while scanning a directive", start, "found unknown directive name")
        self._skip_blanks_and_comment()
        b = self.buf
        if b[self.pos] not in _BREAKZ:
            raise self._scanner_error(
                "while scanning a directive", start, "did not find expected comment or line break"
            )
        if b[self.pos] in _BREAK:
            self._cache(2)
            self._skip_line()
        return tok

    def _scan_directive_name(self, start: Mark) -> str:
        self._cache(1)
        s: list[str] = []
        while self.buf[self.pos] in _ALPHA:
            self._read(s)
            self._cache(1)
        if not s:
            raise self._scanner_error(
                "while scanning a directive", start, "could not find expected directive name"
            )
        if self.buf[self.pos] not in _BLANKZ:
            raise self._scanner_error(
                "while scanning a directive", start, "found unexpected non-alphabetical character"
            )
        return "".join(s)

    def _scan_version_directive_value(self, start: Mark) -> tuple[int, int]:
        self._cache(1)
        while self.buf[self.pos] in _BLANK:
            self._skip()
            self._cache(1)
        major = self._scan_version_directive_number(start)
        if self.buf[self.pos] != ".":
            raise self._scanner_error(
                "while scanning a %YAML directive", start, "did not find expected digit or '.' character"
            )
        self._skip()
        minor = self._scan_version_directive_number(start)
        return major, minor

    def _scan_version_directive_number(self, start: Mark) -> int:
        self._cache(1)
        value = 0
        length = 0
        while "0" <= self.buf[self.pos] <= "9":
            length += 1
            if length > 2:
                raise self._scanner_error(
                    "while scanning a %YAML directive", start, "found extremely long version number"
                )
            value = value * 10 + int(self.buf[self.pos])
            self._skip()
            self._cache(1)
        if length == 0:
            raise self._scanner_error(
                "while scanning a %YAML directive", start, "did not find expected version number"
            )
        return value

    def _scan_tag_directive_value(self, start: Mark) -> tuple[str, str]:
        self._cache(1)
        while self.buf[self.pos] in _BLANK:
            self._skip()
            self._cache(1)
        handle = self._scan_tag_handle(True, start)
        self._cache(1)
        if self.buf[self.pos] not in _BLANK:
            raise self._scanner_error(
                "while scanning a %TAG directive", start, "did not find expected whitespace"
            )
        while self.buf[self.pos] in _BLANK:
            self._skip()
            self._cache(1)
        prefix = self._scan_tag_uri(True, "", start)
        self._cache(1)
        if self.buf[self.pos] not in _BLANKZ:
            raise self._scanner_error(
                "while scanning a %TAG directive", start, "did not find expected whitespace or line break"
            )
        return handle, prefix

    def _scan_anchor(self, typ: int) -> _Tok:
        start = self._mark()
        self._skip()
        self._cache(1)
        s: list[str] = []
        while self.buf[self.pos] in _ALPHA:
            self._read(s)
            self._cache(1)
        end = self._mark()
        if not s or self.buf[self.pos] not in _ANCHOR_END:
            context = "while scanning an anchor" if typ == T_ANCHOR else "while scanning an alias"
            raise self._scanner_error(context, start, "did not find expected alphabetic or numeric character")
        return _Tok(typ, start, end, "".join(s))

    def _scan_tag(self) -> _Tok:
        start = self._mark()
        self._cache(2)
        if self.buf[self.pos + 1] == "<":
            handle = ""
            self._skip()
            self._skip()
            suffix = self._scan_tag_uri(False, "", start)
            if self.buf[self.pos] != ">":
                raise self._scanner_error("while scanning a tag", start, "did not find the expected '>'")
            self._skip()
        else:
            handle = self._scan_tag_handle(False, start)
            if handle[0] == "!" and len(handle) > 1 and handle[-1] == "!":
                suffix = self._scan_tag_uri(False, "", start)
            else:
                suffix = self._scan_tag_uri(False, handle, start)
                handle = "!"
                if not suffix:
                    handle, suffix = suffix, handle
        self._cache(1)
        if self.buf[self.pos] not in _BLANKZ:
            raise self._scanner_error(
                "while scanning a tag", start, "did not find expected whitespace or line break"
            )
        tok = _Tok(T_TAG, start, self._mark(), handle)
        tok.suffix = suffix
        return tok

    def _tag_error(self, directive: bool, start: Mark, problem: str) -> _ParseError:
        context = "while parsing a %TAG directive" if directive else "while parsing a tag"
        return self._scanner_error(context, start, problem)

    def _scan_tag_handle(self, directive: bool, start: Mark) -> str:
        self._cache(1)
        if self.buf[self.pos] != "!":
            raise self._tag_error(directive, start, "did not find expected '!'")
        s: list[str] = []
        self._read(s)
        self._cache(1)
        while self.buf[self.pos] in _ALPHA:
            self._read(s)
            self._cache(1)
        if self.buf[self.pos] == "!":
            self._read(s)
        elif directive and "".join(s) != "!":
            raise self._tag_error(directive, start, "did not find expected '!'")
        return "".join(s)

    def _scan_tag_uri(self, directive: bool, head: str, start: Mark) -> str:
        s: list[str] = list(head[1:]) if len(head) > 1 else []
        has_tag = len(head) > 0
        raw: list[bytes] = []  # URI escapes produce bytes; keep text and bytes in order
        self._cache(1)
        while self.buf[self.pos] in _URI_CHARS:
            if self.buf[self.pos] == "%":
                if s:
                    raw.append("".join(s).encode("utf-8", "surrogatepass"))
                    s = []
                raw.append(self._scan_uri_escapes(directive, start))
            else:
                self._read(s)
            self._cache(1)
            has_tag = True
        if not has_tag:
            raise self._tag_error(directive, start, "did not find expected tag URI")
        if raw:
            raw.append("".join(s).encode("utf-8", "surrogatepass"))
            return _go_bytes_to_str(b"".join(raw))
        return "".join(s)

    def _scan_uri_escapes(self, directive: bool, start: Mark) -> bytes:
        out = bytearray()
        w = 1024
        while w > 0:
            self._cache(3)
            b = self.buf
            p = self.pos
            if not (b[p] == "%" and b[p + 1] in _HEX and b[p + 2] in _HEX):
                raise self._tag_error(directive, start, "did not find URI escaped octet")
            octet = int(b[p + 1 : p + 3], 16)
            if w == 1024:
                w = _utf8_width(octet)
                if w == 0:
                    raise self._tag_error(directive, start, "found an incorrect leading UTF-8 octet")
            elif octet & 0xC0 != 0x80:
                raise self._tag_error(directive, start, "found an incorrect trailing UTF-8 octet")
            out.append(octet)
            self._skip()
            self._skip()
            self._skip()
            w -= 1
        return bytes(out)

    def _scan_block_scalar(self, literal: bool) -> _Tok:
        b = self.buf
        start = self._mark()
        self._skip()
        self._cache(1)
        chomping = 0
        increment = 0
        if b[self.pos] in "+-":
            chomping = 1 if b[self.pos] == "+" else -1
            self._skip()
            self._cache(1)
            if "0" <= b[self.pos] <= "9":
                if b[self.pos] == "0":
                    raise self._scanner_error(
                        "while scanning a block scalar", start, "found an indentation indicator equal to 0"
                    )
                increment = int(b[self.pos])
                self._skip()
        elif "0" <= b[self.pos] <= "9":
            if b[self.pos] == "0":
                raise self._scanner_error(
                    "while scanning a block scalar", start, "found an indentation indicator equal to 0"
                )
            increment = int(b[self.pos])
            self._skip()
            self._cache(1)
            if b[self.pos] in "+-":
                chomping = 1 if b[self.pos] == "+" else -1
                self._skip()
        self._skip_blanks_and_comment()
        if b[self.pos] not in _BREAKZ:
            raise self._scanner_error(
                "while scanning a block scalar", start, "did not find expected comment or line break"
            )
        if b[self.pos] in _BREAK:
            self._cache(2)
            self._skip_line()
        end = self._mark()
        indent = 0
        if increment > 0:
            indent = self.indent + increment if self.indent >= 0 else increment
        s: list[str] = []
        leading_break: list[str] = []
        trailing_breaks: list[str] = []
        indent, end = self._scan_block_scalar_breaks(indent, trailing_breaks, start, end)
        self._cache(1)
        leading_blank = False
        while self.column == indent and b[self.pos] != "\0":
            trailing_blank = b[self.pos] in _BLANK
            if (
                not literal
                and not leading_blank
                and not trailing_blank
                and leading_break
                and leading_break[0] == "\n"
            ):
                if not trailing_breaks:
                    s.append(" ")
            else:
                s.extend(leading_break)
            leading_break = []
            s.extend(trailing_breaks)
            trailing_breaks = []
            leading_blank = b[self.pos] in _BLANK
            while b[self.pos] not in _BREAKZ:
                self._read(s)
                self._cache(1)
            self._cache(2)
            self._read_line(leading_break)
            indent, end = self._scan_block_scalar_breaks(indent, trailing_breaks, start, end)
        if chomping != -1:
            s.extend(leading_break)
        if chomping == 1:
            s.extend(trailing_breaks)
        return _Tok(T_SCALAR, start, end, "".join(s), S_LITERAL if literal else S_FOLDED)

    def _scan_block_scalar_breaks(
        self, indent: int, breaks: list[str], start: Mark, end: Mark
    ) -> tuple[int, Mark]:
        b = self.buf
        end = self._mark()
        max_indent = 0
        while True:
            self._cache(1)
            while (indent == 0 or self.column < indent) and b[self.pos] == " ":
                self._skip()
                self._cache(1)
            max_indent = max(max_indent, self.column)
            if (indent == 0 or self.column < indent) and b[self.pos] == "\t":
                raise self._scanner_error(
                    "while scanning a block scalar",
                    start,
                    "found a tab character where an indentation space is expected",
                )
            if b[self.pos] not in _BREAK:
                break
            self._cache(2)
            self._read_line(breaks)
            end = self._mark()
        if indent == 0:
            indent = max_indent
            indent = max(indent, self.indent + 1)
            indent = max(indent, 1)
        return indent, end

    def _scan_flow_scalar(self, single: bool) -> _Tok:
        b = self.buf
        start = self._mark()
        self._skip()
        s: list[str] = []
        leading_break: list[str] = []
        trailing_breaks: list[str] = []
        whitespaces: list[str] = []
        while True:
            self._cache(4)
            p = self.pos
            if (
                self.column == 0
                and (
                    (b[p] == "-" and b[p + 1] == "-" and b[p + 2] == "-")
                    or (b[p] == "." and b[p + 1] == "." and b[p + 2] == ".")
                )
                and b[p + 3] in _BLANKZ
            ):
                raise self._scanner_error(
                    "while scanning a quoted scalar", start, "found unexpected document indicator"
                )
            if b[p] == "\0":
                raise self._scanner_error(
                    "while scanning a quoted scalar", start, "found unexpected end of stream"
                )
            leading_blanks = False
            while b[self.pos] not in _BLANKZ:
                c = b[self.pos]
                if single and c == "'" and b[self.pos + 1] == "'":
                    s.append("'")
                    self._skip()
                    self._skip()
                elif single and c == "'":
                    break
                elif not single and c == '"':
                    break
                elif not single and c == "\\" and b[self.pos + 1] in _BREAK:
                    self._cache(3)
                    self._skip()
                    self._skip_line()
                    leading_blanks = True
                    break
                elif not single and c == "\\":
                    e = b[self.pos + 1]
                    code_length = 0
                    simple = _SIMPLE_ESCAPES.get(e)
                    if simple is not None:
                        s.append(simple)
                    elif e == "x":
                        code_length = 2
                    elif e == "u":
                        code_length = 4
                    elif e == "U":
                        code_length = 8
                    else:
                        raise self._scanner_error(
                            "while parsing a quoted scalar", start, "found unknown escape character"
                        )
                    self._skip()
                    self._skip()
                    if code_length:
                        self._cache(code_length)
                        value = 0
                        for k in range(code_length):
                            h = b[self.pos + k]
                            if h not in _HEX:
                                raise self._scanner_error(
                                    "while parsing a quoted scalar",
                                    start,
                                    "did not find expected hexdecimal number",
                                )
                            value = (value << 4) + int(h, 16)
                        if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
                            raise self._scanner_error(
                                "while parsing a quoted scalar",
                                start,
                                "found invalid Unicode character escape code",
                            )
                        s.append(chr(value))
                        for _ in range(code_length):
                            self._skip()
                else:
                    self._read(s)
                self._cache(2)
            self._cache(1)
            c = b[self.pos]
            if (single and c == "'") or (not single and c == '"'):
                break
            while b[self.pos] in _BLANK or b[self.pos] in _BREAK:
                if b[self.pos] in _BLANK:
                    if not leading_blanks:
                        self._read(whitespaces)
                    else:
                        self._skip()
                else:
                    self._cache(2)
                    if not leading_blanks:
                        whitespaces = []
                        self._read_line(leading_break)
                        leading_blanks = True
                    else:
                        self._read_line(trailing_breaks)
                self._cache(1)
            if leading_blanks:
                if leading_break and leading_break[0] == "\n":
                    if not trailing_breaks:
                        s.append(" ")
                    else:
                        s.extend(trailing_breaks)
                else:
                    s.extend(leading_break)
                    s.extend(trailing_breaks)
                trailing_breaks = []
                leading_break = []
            else:
                s.extend(whitespaces)
                whitespaces = []
        self._skip()
        return _Tok(T_SCALAR, start, self._mark(), "".join(s), S_SINGLE if single else S_DOUBLE)

    def _scan_plain_scalar(self) -> _Tok:
        b = self.buf
        s: list[str] = []
        leading_break: list[str] = []
        trailing_breaks: list[str] = []
        whitespaces: list[str] = []
        leading_blanks = False
        indent = self.indent + 1
        start = end = self._mark()
        while True:
            self._cache(4)
            p = self.pos
            if (
                self.column == 0
                and (
                    (b[p] == "-" and b[p + 1] == "-" and b[p + 2] == "-")
                    or (b[p] == "." and b[p + 1] == "." and b[p + 2] == ".")
                )
                and b[p + 3] in _BLANKZ
            ):
                break
            if b[p] == "#":
                break
            while b[self.pos] not in _BLANKZ:
                c = b[self.pos]
                if (c == ":" and b[self.pos + 1] in _BLANKZ) or (
                    self.flow_level > 0 and c in _FLOW_PLAIN_STOP
                ):
                    break
                if leading_blanks or whitespaces:
                    if leading_blanks:
                        if leading_break[0] == "\n":
                            if not trailing_breaks:
                                s.append(" ")
                            else:
                                s.extend(trailing_breaks)
                        else:
                            s.extend(leading_break)
                            s.extend(trailing_breaks)
                        trailing_breaks = []
                        leading_break = []
                        leading_blanks = False
                    else:
                        s.extend(whitespaces)
                        whitespaces = []
                self._read(s)
                end = self._mark()
                self._cache(2)
            c = b[self.pos]
            if not (c in _BLANK or c in _BREAK):
                break
            self._cache(1)
            while b[self.pos] in _BLANK or b[self.pos] in _BREAK:
                if b[self.pos] in _BLANK:
                    if leading_blanks and self.column < indent and b[self.pos] == "\t":
                        raise self._scanner_error(
                            "while scanning a plain scalar",
                            start,
                            "found a tab character that violates indentation",
                        )
                    if not leading_blanks:
                        self._read(whitespaces)
                    else:
                        self._skip()
                else:
                    self._cache(2)
                    if not leading_blanks:
                        whitespaces = []
                        self._read_line(leading_break)
                        leading_blanks = True
                    else:
                        self._read_line(trailing_breaks)
                self._cache(1)
            if self.flow_level == 0 and self.column < indent:
                break
        tok = _Tok(T_SCALAR, start, end, "".join(s), S_PLAIN)
        if leading_blanks:
            self.simple_key_allowed = True
        return tok

    # ---- parser ---------------------------------------------------------------------------

    def parse(self) -> _Event | None:
        """The next event, or None once the stream has ended (go-yaml's empty event)."""
        if self.stream_end_produced or self.done:
            return None
        return self.state()

    def _parser_error(
        self, problem: str, mark: Mark, context: str = "", context_mark: Mark = _ZERO_MARK
    ) -> _ParseError:
        return _ParseError("parser", problem, mark, context, context_mark)

    def _pop_state(self) -> None:
        self.state = self.states.pop()

    def _parse_stream_start(self) -> _Event:
        tok = self._peek_token()
        if tok.typ != T_STREAM_START:
            raise self._parser_error("did not find expected <stream-start>", tok.start)
        self.state = self._parse_implicit_document_start
        self._skip_token()
        return _Event(E_STREAM_START, tok.start, tok.end)

    def _parse_implicit_document_start(self) -> _Event:
        return self._parse_document_start(True)

    def _parse_explicit_document_start(self) -> _Event:
        return self._parse_document_start(False)

    def _parse_document_start(self, implicit: bool) -> _Event:
        tok = self._peek_token()
        if not implicit:
            while tok.typ == T_DOCUMENT_END:
                self._skip_token()
                tok = self._peek_token()
        if implicit and tok.typ not in (T_VERSION_DIRECTIVE, T_TAG_DIRECTIVE, T_DOCUMENT_START, T_STREAM_END):
            self._process_directives()
            self.states.append(self._parse_document_end)
            self.state = self._parse_block_node
            return _Event(E_DOCUMENT_START, tok.start, tok.end)
        if tok.typ != T_STREAM_END:
            start = tok.start
            self._process_directives()
            tok = self._peek_token()
            if tok.typ != T_DOCUMENT_START:
                raise self._parser_error("did not find expected <document start>", tok.start)
            self.states.append(self._parse_document_end)
            self.state = self._parse_document_content
            ev = _Event(E_DOCUMENT_START, start, tok.end)
            self._skip_token()
            return ev
        self.done = True
        self._skip_token()
        return _Event(E_STREAM_END, tok.start, tok.end)

    def _parse_document_content(self) -> _Event:
        tok = self._peek_token()
        if tok.typ in (T_VERSION_DIRECTIVE, T_TAG_DIRECTIVE, T_DOCUMENT_START, T_DOCUMENT_END, T_STREAM_END):
            self._pop_state()
            return self._empty_scalar(tok.start)
        return self._parse_node(True, False)

    def _parse_document_end(self) -> _Event:
        tok = self._peek_token()
        start = end = tok.start
        implicit = True
        if tok.typ == T_DOCUMENT_END:
            end = tok.end
            self._skip_token()
            implicit = False
        self.tag_directives = []
        self.state = self._parse_explicit_document_start
        return _Event(E_DOCUMENT_END, start, end, implicit=implicit)

    def _parse_block_node(self) -> _Event:
        return self._parse_node(True, False)

    def _parse_block_node_or_indentless_sequence(self) -> _Event:
        return self._parse_node(True, True)

    def _parse_flow_node(self) -> _Event:
        return self._parse_node(False, False)

    def _parse_node(self, block: bool, indentless_sequence: bool) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_ALIAS:
            self._pop_state()
            self._skip_token()
            return _Event(E_ALIAS, tok.start, tok.end, anchor=tok.value)
        start = end = tok.start
        tag_token = False
        tag_handle = tag_suffix = ""
        anchor: str | None = None
        tag_mark = _ZERO_MARK
        if tok.typ == T_ANCHOR:
            anchor = tok.value
            start, end = tok.start, tok.end
            self._skip_token()
            tok = self._peek_token()
            if tok.typ == T_TAG:
                tag_token = True
                tag_handle, tag_suffix, tag_mark, end = tok.value, tok.suffix, tok.start, tok.end
                self._skip_token()
                tok = self._peek_token()
        elif tok.typ == T_TAG:
            tag_token = True
            tag_handle, tag_suffix = tok.value, tok.suffix
            start = tag_mark = tok.start
            end = tok.end
            self._skip_token()
            tok = self._peek_token()
            if tok.typ == T_ANCHOR:
                anchor = tok.value
                end = tok.end
                self._skip_token()
                tok = self._peek_token()
        tag = ""
        if tag_token:
            if not tag_handle:
                tag = tag_suffix
            else:
                for handle, prefix in self.tag_directives:
                    if handle == tag_handle:
                        tag = prefix + tag_suffix
                        break
                if not tag:
                    raise self._parser_error(
                        "found undefined tag handle", tag_mark, "while parsing a node", start
                    )
        implicit = not tag
        if indentless_sequence and tok.typ == T_BLOCK_ENTRY:
            self.state = self._parse_indentless_sequence_entry
            return _Event(E_SEQUENCE_START, start, tok.end, anchor, tag, implicit=implicit)
        if tok.typ == T_SCALAR:
            plain_implicit = quoted_implicit = False
            if (not tag and tok.style == S_PLAIN) or tag == "!":
                plain_implicit = True
            elif not tag:
                quoted_implicit = True
            self._pop_state()
            ev = _Event(
                E_SCALAR,
                start,
                tok.end,
                anchor,
                tag,
                value=tok.value,
                implicit=plain_implicit,
                quoted_implicit=quoted_implicit,
                style=tok.style,
            )
            self._skip_token()
            return ev
        if tok.typ == T_FLOW_SEQUENCE_START:
            self.state = self._parse_flow_sequence_first_entry
            return _Event(E_SEQUENCE_START, start, tok.end, anchor, tag, implicit=implicit)
        if tok.typ == T_FLOW_MAPPING_START:
            self.state = self._parse_flow_mapping_first_key
            return _Event(E_MAPPING_START, start, tok.end, anchor, tag, implicit=implicit)
        if block and tok.typ == T_BLOCK_SEQUENCE_START:
            self.state = self._parse_block_sequence_first_entry
            return _Event(E_SEQUENCE_START, start, tok.end, anchor, tag, implicit=implicit)
        if block and tok.typ == T_BLOCK_MAPPING_START:
            self.state = self._parse_block_mapping_first_key
            return _Event(E_MAPPING_START, start, tok.end, anchor, tag, implicit=implicit)
        if anchor or tag:
            self._pop_state()
            return _Event(E_SCALAR, start, end, anchor, tag, implicit=implicit, style=S_PLAIN)
        context = "while parsing a block node" if block else "while parsing a flow node"
        raise self._parser_error("did not find expected node content", tok.start, context, start)

    def _parse_block_sequence_first_entry(self) -> _Event:
        tok = self._peek_token()
        self.marks.append(tok.start)
        self._skip_token()
        return self._parse_block_sequence_entry()

    def _parse_block_sequence_entry(self) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_BLOCK_ENTRY:
            mark = tok.end
            self._skip_token()
            tok = self._peek_token()
            if tok.typ not in (T_BLOCK_ENTRY, T_BLOCK_END):
                self.states.append(self._parse_block_sequence_entry)
                return self._parse_node(True, False)
            self.state = self._parse_block_sequence_entry
            return self._empty_scalar(mark)
        if tok.typ == T_BLOCK_END:
            self._pop_state()
            self.marks.pop()
            self._skip_token()
            return _Event(E_SEQUENCE_END, tok.start, tok.end)
        context_mark = self.marks.pop()
        raise self._parser_error(
            "did not find expected '-' indicator", tok.start, "while parsing a block collection", context_mark
        )

    def _parse_indentless_sequence_entry(self) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_BLOCK_ENTRY:
            mark = tok.end
            self._skip_token()
            tok = self._peek_token()
            if tok.typ not in (T_BLOCK_ENTRY, T_KEY, T_VALUE, T_BLOCK_END):
                self.states.append(self._parse_indentless_sequence_entry)
                return self._parse_node(True, False)
            self.state = self._parse_indentless_sequence_entry
            return self._empty_scalar(mark)
        self._pop_state()
        return _Event(E_SEQUENCE_END, tok.start, tok.start)

    def _parse_block_mapping_first_key(self) -> _Event:
        tok = self._peek_token()
        self.marks.append(tok.start)
        self._skip_token()
        return self._parse_block_mapping_key()

    def _parse_block_mapping_key(self) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_KEY:
            mark = tok.end
            self._skip_token()
            tok = self._peek_token()
            if tok.typ not in (T_KEY, T_VALUE, T_BLOCK_END):
                self.states.append(self._parse_block_mapping_value)
                return self._parse_node(True, True)
            self.state = self._parse_block_mapping_value
            return self._empty_scalar(mark)
        if tok.typ == T_BLOCK_END:
            self._pop_state()
            self.marks.pop()
            self._skip_token()
            return _Event(E_MAPPING_END, tok.start, tok.end)
        context_mark = self.marks.pop()
        raise self._parser_error(
            "did not find expected key", tok.start, "while parsing a block mapping", context_mark
        )

    def _parse_block_mapping_value(self) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_VALUE:
            mark = tok.end
            self._skip_token()
            tok = self._peek_token()
            if tok.typ not in (T_KEY, T_VALUE, T_BLOCK_END):
                self.states.append(self._parse_block_mapping_key)
                return self._parse_node(True, True)
            self.state = self._parse_block_mapping_key
            return self._empty_scalar(mark)
        self.state = self._parse_block_mapping_key
        return self._empty_scalar(tok.start)

    def _parse_flow_sequence_first_entry(self) -> _Event:
        return self._parse_flow_sequence_entry(True)

    def _parse_flow_sequence_next_entry(self) -> _Event:
        return self._parse_flow_sequence_entry(False)

    def _parse_flow_sequence_entry(self, first: bool) -> _Event:
        if first:
            tok = self._peek_token()
            self.marks.append(tok.start)
            self._skip_token()
        tok = self._peek_token()
        if tok.typ != T_FLOW_SEQUENCE_END:
            if not first:
                if tok.typ == T_FLOW_ENTRY:
                    self._skip_token()
                    tok = self._peek_token()
                else:
                    context_mark = self.marks.pop()
                    raise self._parser_error(
                        "did not find expected ',' or ']'",
                        tok.start,
                        "while parsing a flow sequence",
                        context_mark,
                    )
            if tok.typ == T_KEY:
                self.state = self._parse_flow_sequence_entry_mapping_key
                ev = _Event(E_MAPPING_START, tok.start, tok.end, implicit=True)
                self._skip_token()
                return ev
            if tok.typ != T_FLOW_SEQUENCE_END:
                self.states.append(self._parse_flow_sequence_next_entry)
                return self._parse_node(False, False)
        self._pop_state()
        self.marks.pop()
        self._skip_token()
        return _Event(E_SEQUENCE_END, tok.start, tok.end)

    def _parse_flow_sequence_entry_mapping_key(self) -> _Event:
        tok = self._peek_token()
        if tok.typ not in (T_VALUE, T_FLOW_ENTRY, T_FLOW_SEQUENCE_END):
            self.states.append(self._parse_flow_sequence_entry_mapping_value)
            return self._parse_node(False, False)
        mark = tok.end
        self._skip_token()
        self.state = self._parse_flow_sequence_entry_mapping_value
        return self._empty_scalar(mark)

    def _parse_flow_sequence_entry_mapping_value(self) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_VALUE:
            self._skip_token()
            tok2 = self._peek_token()
            if tok2.typ not in (T_FLOW_ENTRY, T_FLOW_SEQUENCE_END):
                self.states.append(self._parse_flow_sequence_entry_mapping_end)
                return self._parse_node(False, False)
            # go-yaml keeps the outer (VALUE) token's mark here
        self.state = self._parse_flow_sequence_entry_mapping_end
        return self._empty_scalar(tok.start)

    def _parse_flow_sequence_entry_mapping_end(self) -> _Event:
        tok = self._peek_token()
        self.state = self._parse_flow_sequence_next_entry
        return _Event(E_MAPPING_END, tok.start, tok.start)

    def _parse_flow_mapping_first_key(self) -> _Event:
        return self._parse_flow_mapping_key(True)

    def _parse_flow_mapping_next_key(self) -> _Event:
        return self._parse_flow_mapping_key(False)

    def _parse_flow_mapping_key(self, first: bool) -> _Event:
        if first:
            tok = self._peek_token()
            self.marks.append(tok.start)
            self._skip_token()
        tok = self._peek_token()
        if tok.typ != T_FLOW_MAPPING_END:
            if not first:
                if tok.typ == T_FLOW_ENTRY:
                    self._skip_token()
                    tok = self._peek_token()
                else:
                    context_mark = self.marks.pop()
                    raise self._parser_error(
                        "did not find expected ',' or '}'",
                        tok.start,
                        "while parsing a flow mapping",
                        context_mark,
                    )
            if tok.typ == T_KEY:
                self._skip_token()
                tok = self._peek_token()
                if tok.typ not in (T_VALUE, T_FLOW_ENTRY, T_FLOW_MAPPING_END):
                    self.states.append(self._parse_flow_mapping_value)
                    return self._parse_node(False, False)
                self.state = self._parse_flow_mapping_value
                return self._empty_scalar(tok.start)
            if tok.typ != T_FLOW_MAPPING_END:
                self.states.append(self._parse_flow_mapping_empty_value)
                return self._parse_node(False, False)
        self._pop_state()
        self.marks.pop()
        self._skip_token()
        return _Event(E_MAPPING_END, tok.start, tok.end)

    def _parse_flow_mapping_value(self) -> _Event:
        tok = self._peek_token()
        if tok.typ == T_VALUE:
            self._skip_token()
            tok = self._peek_token()
            if tok.typ not in (T_FLOW_ENTRY, T_FLOW_MAPPING_END):
                self.states.append(self._parse_flow_mapping_next_key)
                return self._parse_node(False, False)
        self.state = self._parse_flow_mapping_next_key
        return self._empty_scalar(tok.start)

    def _parse_flow_mapping_empty_value(self) -> _Event:
        tok = self._peek_token()
        self.state = self._parse_flow_mapping_next_key
        return self._empty_scalar(tok.start)

    def _empty_scalar(self, mark: Mark) -> _Event:
        return _Event(E_SCALAR, mark, mark, implicit=True, style=S_PLAIN)

    def _process_directives(self) -> None:
        version_seen = False
        tok = self._peek_token()
        while tok.typ in (T_VERSION_DIRECTIVE, T_TAG_DIRECTIVE):
            if tok.typ == T_VERSION_DIRECTIVE:
                if version_seen:
                    raise self._parser_error("found duplicate %YAML directive", tok.start)
                if tok.major != 1 or tok.minor != 1:
                    raise self._parser_error("found incompatible YAML document", tok.start)
                version_seen = True
            else:
                self._append_tag_directive(tok.value, tok.prefix, False, tok.start)
            self._skip_token()
            tok = self._peek_token()
        self._append_tag_directive("!", "!", True, tok.start)
        self._append_tag_directive("!!", TAG_PREFIX, True, tok.start)

    def _append_tag_directive(self, handle: str, prefix: str, allow_duplicates: bool, mark: Mark) -> None:
        for h, _ in self.tag_directives:
            if h == handle:
                if allow_duplicates:
                    return
                raise self._parser_error("found duplicate %TAG directive", mark)
        self.tag_directives.append((handle, prefix))


_SIMPLE_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "'": "'",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}


def _utf8_width(b: int) -> int:
    if b & 0x80 == 0:
        return 1
    if b & 0xE0 == 0xC0:
        return 2
    if b & 0xF0 == 0xE0:
        return 3
    if b & 0xF8 == 0xF0:
        return 4
    return 0


def _check_utf8_char(data: bytes, i: int, width: int) -> str:
    """The reader's checks of one complete UTF-8 sequence: "" or the problem."""
    octet = data[i]
    value = octet & (0x7F, 0x1F, 0x0F, 0x07)[width - 1]
    for k in range(1, width):
        o = data[i + k]
        if o & 0xC0 != 0x80:
            return "invalid trailing UTF-8 octet"
        value = (value << 6) + (o & 0x3F)
    if not (
        width == 1
        or (width == 2 and value >= 0x80)
        or (width == 3 and value >= 0x800)
        or (width == 4 and value >= 0x10000)
    ):
        return "invalid length of a UTF-8 sequence"
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return "invalid Unicode character"
    if not (
        value in (0x09, 0x0A, 0x0D, 0x85)
        or 0x20 <= value <= 0x7E
        or 0xA0 <= value <= 0xD7FF
        or 0xE000 <= value <= 0xFFFD
        or 0x10000 <= value <= 0x10FFFF
    ):
        return "control characters are not allowed"
    return ""


def _go_bytes_to_str(data: bytes) -> str:
    """Bytes as the Go string they are: invalid UTF-8 bytes become lone surrogates U+DC80–U+DCFF.

    ``encoding/json`` writes each invalid byte as the escape ``\\ufffd`` (while a real U+FFFD is
    written as is), so the distinction has to survive until the JSON is written.
    """
    return data.decode("utf-8", "surrogateescape")


_INVALID_BYTE = re.compile("[\udc80-\udcff]")


# =============================================================================================
# Node tree and decoder into interface{} (decode.go)
# =============================================================================================

K_DOCUMENT, K_MAPPING, K_SEQUENCE, K_SCALAR, K_ALIAS = 1, 2, 4, 8, 16


class _Node:
    __slots__ = ("alias", "anchors", "children", "column", "implicit", "kind", "line", "tag", "value")

    def __init__(self, kind: int, ev: _Event) -> None:
        self.kind = kind
        self.line = ev.start[1]
        self.column = ev.start[2]
        self.tag = ""
        self.value = ""
        self.implicit = False
        self.children: list[_Node] = []
        self.alias: _Node | None = None
        self.anchors: dict[str, _Node] = {}


class _NoEvent:
    typ = 0


_NO_EVENT: Any = _NoEvent()


class _Composer:
    """decode.go's ``parser``: builds the node tree of the first document only."""

    def __init__(self, text: str) -> None:
        self.p = _GoYamlParser(text)
        self.event: Any = None
        self.doc: _Node | None = None

    def _next(self) -> Any:
        ev = self.p.parse()
        return _NO_EVENT if ev is None else ev

    def peek(self) -> int:
        if self.event is None:
            self.event = self._next()
        return int(self.event.typ)

    def expect(self, typ: int) -> None:
        if self.event is None:
            self.event = self._next()
        if self.event.typ == E_STREAM_END:
            raise _DecodeFail("yaml: attempted to go past the end of stream; corrupted value?")
        if self.event.typ != typ:
            raise _DecodeFail(
                f"yaml: expected {_EVENT_NAMES[typ]} event but got {_EVENT_NAMES[self.event.typ]}"
            )
        self.event = None

    def compose(self) -> _Node | None:
        self.expect(E_STREAM_START)
        return self.parse()

    def parse(self) -> _Node | None:
        t = self.peek()
        if t == E_SCALAR:
            return self.scalar()
        if t == E_ALIAS:
            return self.alias()
        if t == E_MAPPING_START:
            return self.mapping()
        if t == E_SEQUENCE_START:
            return self.sequence()
        if t == E_DOCUMENT_START:
            return self.document()
        if t == E_STREAM_END:
            return None
        raise _DecodeFail("attempted to parse unknown event: " + _EVENT_NAMES[t])  # a panic in Go

    def _anchor(self, n: _Node, anchor: str | None) -> None:
        if anchor is not None and self.doc is not None:
            self.doc.anchors[anchor] = n

    def document(self) -> _Node:
        n = _Node(K_DOCUMENT, self.event)
        self.doc = n
        self.expect(E_DOCUMENT_START)
        child = self.parse()
        if child is not None:
            n.children.append(child)
        self.expect(E_DOCUMENT_END)
        return n

    def alias(self) -> _Node:
        ev = self.event
        n = _Node(K_ALIAS, ev)
        n.value = ev.anchor or ""
        n.alias = self.doc.anchors.get(n.value) if self.doc is not None else None
        if n.alias is None:
            raise _DecodeFail(f"yaml: unknown anchor '{n.value}' referenced", n.line + 1)
        self.expect(E_ALIAS)
        return n

    def scalar(self) -> _Node:
        ev = self.event
        n = _Node(K_SCALAR, ev)
        n.value = ev.value
        n.tag = ev.tag
        n.implicit = ev.implicit
        self._anchor(n, ev.anchor)
        self.expect(E_SCALAR)
        return n

    def sequence(self) -> _Node:
        n = _Node(K_SEQUENCE, self.event)
        self._anchor(n, self.event.anchor)
        self.expect(E_SEQUENCE_START)
        while self.peek() != E_SEQUENCE_END:
            child = self.parse()
            if child is not None:
                n.children.append(child)
        self.expect(E_SEQUENCE_END)
        return n

    def mapping(self) -> _Node:
        n = _Node(K_MAPPING, self.event)
        self._anchor(n, self.event.anchor)
        self.expect(E_MAPPING_START)
        while self.peek() != E_MAPPING_END:
            k = self.parse()
            v = self.parse()
            if k is not None and v is not None:
                n.children.append(k)
                n.children.append(v)
        self.expect(E_MAPPING_END)
        return n


class GoYamlMap:
    """A go-yaml ``map[interface{}]interface{}``: keys keep their Go type (1, "1", true differ)."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[Any, list[Any]] = {}

    def set(self, key: Any, value: Any) -> None:
        self.entries[_go_key_identity(key)] = [key, value]

    def items(self) -> list[tuple[Any, Any]]:
        return [(k, v) for k, v in self.entries.values()]

    def __len__(self) -> int:
        return len(self.entries)


def _go_key_identity(key: Any) -> Any:
    if key is None:
        return ("n",)
    if isinstance(key, str):
        return ("s", key)
    if isinstance(key, bool):
        return ("b", key)
    if isinstance(key, Uint64):
        return ("u", int(key))
    if isinstance(key, int):
        return ("i", key)
    if isinstance(key, float):
        if math.isnan(key):
            return ("f", object())  # NaN keys never compare equal in Go
        return ("f", key)
    return ("o", id(key))


def _allowed_alias_ratio(decode_count: int) -> float:
    if decode_count <= 400000:
        return 0.99
    if decode_count >= 4000000:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - 400000) / 3600000)


class _Decoder:
    """decode.go's ``decoder`` for an ``interface{}`` target."""

    def __init__(self) -> None:
        self.aliases: set[int] = set()
        self.decode_count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.invalid_utf8 = False

    def unmarshal(self, n: _Node, into: GoYamlMap | None = None) -> Any:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise _DecodeFail("yaml: document contains excessive aliasing")
        k = n.kind
        if k == K_DOCUMENT:
            if len(n.children) == 1:
                return self.unmarshal(n.children[0], into)
            return None
        if k == K_ALIAS:
            return self.alias(n, into)
        if k == K_SCALAR:
            return self.scalar(n)
        if k == K_MAPPING:
            m = into if into is not None else GoYamlMap()
            self.mapping(n, m)
            return m
        return [self.unmarshal(c) for c in n.children]

    def alias(self, n: _Node, into: GoYamlMap | None) -> Any:
        if id(n) in self.aliases:
            raise _DecodeFail(f"yaml: anchor '{n.value}' value contains itself", n.line + 1)
        self.aliases.add(id(n))
        self.alias_depth += 1
        assert n.alias is not None
        v = self.unmarshal(n.alias, into)
        self.alias_depth -= 1
        self.aliases.discard(id(n))
        return v

    def scalar(self, n: _Node) -> Any:
        if n.tag == "" and not n.implicit:
            return n.value
        try:
            tag, resolved = _resolve(n.tag, n.value)
            if tag == BINARY_TAG:
                resolved = _decode_binary(resolved)
                if _INVALID_BYTE.search(resolved) is not None:
                    self.invalid_utf8 = True
        except _DecodeFail as e:
            e.line = n.line + 1
            raise
        if resolved is None:
            return None
        if tag == TIMESTAMP_TAG:
            return n.value
        return resolved

    def mapping(self, n: _Node, m: GoYamlMap) -> None:
        ch = n.children
        for i in range(0, len(ch), 2):
            kn = ch[i]
            if kn.kind == K_SCALAR and kn.value == "<<" and (kn.implicit or kn.tag == MERGE_TAG):
                self.merge(ch[i + 1], m)
                continue
            k = self.unmarshal(kn)
            if isinstance(k, (GoYamlMap, list)):
                raise _DecodeFail("yaml: invalid map key: " + _go_sharp_v(k), kn.line + 1)
            v = self.unmarshal(ch[i + 1])
            m.set(k, v)

    def merge(self, n: _Node, m: GoYamlMap) -> None:
        want = "yaml: map merge requires map or sequence of maps as the value"
        if n.kind == K_MAPPING:
            self.unmarshal(n, m)
        elif n.kind == K_ALIAS:
            if n.alias is not None and n.alias.kind != K_MAPPING:
                raise _DecodeFail(want, n.line + 1)
            self.unmarshal(n, m)
        elif n.kind == K_SEQUENCE:
            for ni in reversed(n.children):
                if ni.kind == K_ALIAS:
                    if ni.alias is not None and ni.alias.kind != K_MAPPING:
                        raise _DecodeFail(want, n.line + 1)
                elif ni.kind != K_MAPPING:
                    raise _DecodeFail(want, n.line + 1)
                self.unmarshal(ni, m)
        else:
            raise _DecodeFail(want, n.line + 1)


_B64_OK = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _decode_binary(s: str) -> str:
    """``base64.StdEncoding.DecodeString`` (CR and LF ignored), as a Go string."""
    t = s.replace("\r", "").replace("\n", "")
    if len(t) % 4 or _B64_OK.fullmatch(t) is None:
        raise _DecodeFail("yaml: !!binary value contains invalid base64 data")
    try:
        data = base64.b64decode(t, validate=True)
    except (binascii.Error, ValueError):
        raise _DecodeFail("yaml: !!binary value contains invalid base64 data") from None
    return _go_bytes_to_str(data)


def _go_sharp_v(v: Any, top: bool = True) -> str:
    """``fmt.Sprintf("%#v", v)`` for go-yaml's decoded values (error messages only)."""
    if v is None:
        return "<nil>" if top else "interface {}(nil)"
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Uint64):
        return f"0x{int(v):x}"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_float(v, "g", -1, 64)
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_go_sharp_v(x, False) for x in v) + "}"
    if isinstance(v, GoYamlMap):
        items = sorted(v.items(), key=lambda kv: _fmtsort_key(kv[0]))
        return (
            "map[interface {}]interface {}{"
            + ", ".join(_go_sharp_v(k, False) + ":" + _go_sharp_v(x, False) for k, x in items)
            + "}"
        )
    return repr(v)


def _fmtsort_key(k: Any) -> tuple[int, Any]:
    # Go orders interface keys by dynamic type first, in the (build-dependent) order of the type
    # descriptors' addresses, then by value. This is the order seen in KWOK-built binaries.
    if k is None:
        return (0, 0)
    if isinstance(k, str):
        return (1, k)
    if isinstance(k, bool):
        return (5, k)
    if isinstance(k, Uint64):
        return (2, int(k))
    if isinstance(k, int):
        return (3, k)
    if isinstance(k, float):
        return (4, k)
    return (6, 0)


# =============================================================================================
# sigs.k8s.io/yaml: convertToJSONableObject and json.Marshal
# =============================================================================================


class _JSONFail(Exception):
    """An error from sigs.k8s.io/yaml's conversion or from json.Marshal (no ``yaml:`` prefix)."""


def _key_string(k: Any, v: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int) and not isinstance(k, Uint64):
        return str(k)
    if isinstance(k, float):
        s = format_float(k, "g", -1, 32)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
    typ = "%!s(<nil>)" if k is None else "uint64"
    raise _JSONFail(f"unsupported map key of type: {typ}, key: {_go_sharp_v(k)}, value: {_go_sharp_v(v)}")


def _convert(v: Any) -> Any:
    if isinstance(v, GoYamlMap):
        out: dict[str, Any] = {}
        for k, x in v.entries.values():
            ks = _key_string(k, x)  # Go checks the key before converting the value
            out[ks] = _convert(x)
        return out
    if isinstance(v, list):
        return [_convert(x) for x in v]
    if isinstance(v, Uint64):
        return int(v)
    return v


_HTML_ESC = re.compile("[<>&\u2028\u2029]")
_HTML_MAP = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _html_escape(s: str) -> str:
    if not ("<" in s or ">" in s or "&" in s or "\u2028" in s or "\u2029" in s):
        return s
    return _HTML_ESC.sub(lambda m: _HTML_MAP[m.group()], s)


def _escape_invalid_bytes(s: str) -> str:
    return _INVALID_BYTE.sub("\\\\ufffd", s)


def _no_default(o: Any) -> Any:
    raise TypeError(f"not JSON: {type(o).__name__}")


# Python's C encoder, built once: sorted keys, compact, no ASCII escaping, no circular check
# (YAML values are trees). Only used for trees without floats, whose text it gets right.
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_c_basestring: Any = getattr(json.encoder, "c_encode_basestring", None)
_c_encode: Any = (
    _c_make_encoder(None, _no_default, _c_basestring, None, ":", ",", True, False, False)
    if _c_make_encoder is not None and _c_basestring is not None
    else None
)
_py_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _dumps_compact(v: Any) -> str:
    if _c_encode is None:
        return _py_dumps(v)
    return "".join(_c_encode(v, 0))


_dump_str = json.JSONEncoder(ensure_ascii=False).encode


def _json_marshal(v: Any, has_float: bool = True) -> str:
    """``json.Marshal`` of a converted YAML value (sorted keys, Go floats, HTML escaping)."""
    if not has_float:
        return _html_escape(_dumps_compact(v))
    out: list[str] = []
    _json_walk(v, out)
    return _html_escape("".join(out))


def _json_walk(v: Any, out: list[str]) -> None:
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, str):
        out.append(_dump_str(v))
    elif isinstance(v, int):
        out.append(str(int(v)))
    elif isinstance(v, float):
        if not math.isfinite(v):
            raise _JSONFail("json: unsupported value: " + format_float(v, "g", -1, 64))
        out.append(format_json_float(v))
    elif isinstance(v, list):
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            _json_walk(x, out)
        out.append("]")
    else:
        out.append("{")
        for i, k in enumerate(sorted(v)):
            if i:
                out.append(",")
            out.append(_dump_str(k))
            out.append(":")
            _json_walk(v[k], out)
        out.append("}")


def _full_yaml_value(text: str) -> tuple[Any, bool]:
    """The go-yaml port: ``yaml.Unmarshal`` into ``interface{}``, then ``convertToJSONableObject``.

    Also says whether a ``!!binary`` value left invalid UTF-8 (escaped) in the result.
    """
    node = _Composer(text).compose()
    if node is None:
        return None, False
    d = _Decoder()
    return _convert(d.unmarshal(node)), d.invalid_utf8


# =============================================================================================
# Fast path for rendered status templates
# =============================================================================================


class _Bail(Exception):
    """The fast path met something it does not handle; the full port decides."""


_BAIL = _Bail()

# Characters the fast path accepts anywhere: printable ASCII, LF, and non-ASCII that is neither
# a YAML line break, a BOM, nor something the reader rejects.
_FAST_UNSAFE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_DQ = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SQ = re.compile(r"'([^']*(?:''[^']*)*)'")
_DQ_ESC = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_AFTER_SCALAR = re.compile(r" *(?:#.*)?")
_EMPTY_FLOW = re.compile(r"(\[\]|\{\}) *(?:#.*)?")
# plain scalars may not start with these (the quotes and flow openers are handled separately)
_BAD_START = frozenset(",[]{}#&*!|>'\"%@`")


def _dq_unescape(m: re.Match[str]) -> str:
    e = m.group(1)
    if len(e) == 1:
        r = _SIMPLE_ESCAPES.get(e)
        if r is None:
            raise _BAIL
        return r
    v = int(e[1:], 16)
    if 0xD800 <= v <= 0xDFFF or v > 0x10FFFF:
        raise _BAIL
    return chr(v)


def _fast_quoted(s: str) -> tuple[str, int]:
    """A one-line quoted scalar at the start of ``s``: its value and where it ends."""
    if s[0] == '"':
        m = _DQ.match(s)
        if m is None:
            raise _BAIL
        body = m.group(1)
        if "\\" in body:
            body = _DQ_ESC.sub(_dq_unescape, body)
        return body, m.end()
    m = _SQ.match(s)
    if m is None:
        raise _BAIL
    body = m.group(1)
    if "''" in body:
        body = body.replace("''", "'")
    return body, m.end()


def _fast_special(s: str) -> Any:
    """A value that is quoted (with escapes or single quotes) or an empty flow collection."""
    c0 = s[0]
    if c0 in "\"'":
        v, end = _fast_quoted(s)
        if end != len(s) and _AFTER_SCALAR.fullmatch(s, end) is None:
            raise _BAIL
        return v
    if c0 in "[{" and _EMPTY_FLOW.fullmatch(s) is not None:
        return [] if c0 == "[" else {}
    raise _BAIL


_F_MAP, _F_SEQ, _F_VALUE, _F_ITEM, _F_ROOT = 0, 1, 2, 3, 4  # fast-path frame kinds
_NO_LIMIT = 1 << 30
_KEY_BAD_START = _BAD_START | frozenset("-?: ")
_CACHE_MAX = 4096
_MISS: Any = object()


def _fast_key(key: str) -> str:
    """A plain key as go-yaml's string; bail when go-yaml would not make it a string key."""
    if not key or key[0] in _KEY_BAD_START or " #" in key or len(key) > 1000:
        raise _BAIL  # go-yaml forgets a possible simple key 1024 characters on
    if key[-1] == " ":
        key = key.rstrip(" ")
    if key == "<<" or (key[0] in _HINT and _resolve_plain(key)[0] != STR_TAG):
        raise _BAIL  # the merge key, and 1, true, ~, 1.5 … (not string keys)
    return key


def _fast_quoted_key(s: str) -> tuple[str | None, str]:
    """(key, rest) if ``s`` starts with a quoted simple key, else (None, s)."""
    key, end = _fast_quoted(s)
    j = end
    while j < len(s) and s[j] == " ":
        j += 1
    if j < len(s) and s[j] == ":" and (j + 1 == len(s) or s[j + 1] == " "):
        if end > 1000:
            raise _BAIL
        return key, s[j + 1 :].lstrip(" ")
    return None, s


def _fast_value(s: str) -> tuple[Any, bool]:
    """The value of a one-line scalar ``s`` (no leading blanks) and whether it is a float."""
    c0 = s[0]
    if c0 == '"':
        j = s.find('"', 1)
        if j > 0 and "\\" not in s[:j]:
            if j + 1 != len(s) and _AFTER_SCALAR.fullmatch(s, j + 1) is None:
                raise _BAIL
            return s[1:j], False
        return _fast_special(s), False
    if c0 in _BAD_START:
        return _fast_special(s), False
    if c0 in "-?:" and (len(s) == 1 or s[1] == " "):
        raise _BAIL
    j = s.find(" #")
    if j >= 0:
        s = s[:j]
    if s[-1] == " ":
        s = s.rstrip(" ")
    if s[-1] == ":" or ": " in s:
        raise _BAIL
    if c0 not in _HINT:
        return s, False
    tag, v = _resolve_plain(s)
    if tag is FLOAT_TAG:
        if not math.isfinite(v):
            raise _BAIL
        return v, True
    if tag is TIMESTAMP_TAG:
        return s, False
    return (int(v) if type(v) is Uint64 else v), False


_LINE_CACHE: dict[str, tuple[int, bool, int, str | None, str, Any]] = {}
_BLANK_LINE = (-1, False, 0, None, "", None)


def _fast_line(line: str) -> tuple[int, bool, int, str | None, str, Any]:
    """Split one line: (indentation, "- " item?, column after the dash, key or None, value text,
    value or _MISS).

    The value text is "" or a comment when the line has none. Indentation -1: blank or comment.
    The value is filled in (for the line cache) when the text is a scalar that is not a float;
    otherwise it is ``_MISS`` and the caller decodes the text.
    """
    s = line.lstrip(" ")
    if not s or s[0] == "#":
        return _BLANK_LINE
    ind = len(line) - len(s)
    c0 = s[0]
    dash = False
    dcol = 0
    if c0 == "-":
        if len(s) == 1 or s[1] == " ":
            dash = True
            s = s[1:].lstrip(" ")
            dcol = len(line) - len(s)
            c0 = s[0] if s else "#"
        elif ind == 0 and s[:3] == "---" and (len(s) == 3 or s[3] == " "):
            raise _BAIL
    elif c0 == "." and ind == 0 and s[:3] == "..." and (len(s) == 3 or s[3] == " "):
        raise _BAIL
    key: str | None = None
    if c0 in "\"'":
        key, s = _fast_quoted_key(s)
    elif c0 != "#":
        k, sep, v = s.partition(": ")
        if sep or s[-1] == ":":
            if not sep:
                k = s[:-1]
            key = _fast_key(k)
            s = v.lstrip(" ")
    val = _MISS
    if s and s[0] != "#" and s[0] not in "[{":
        try:
            v1, is_float = _fast_value(s)
        except _Bail:
            pass  # decided when (and if) the line is used as a value
        else:
            if not is_float:
                val = v1
    return ind, dash, dcol, key, s, val


def _fast_yaml_value(text: str) -> tuple[Any, bool]:
    """The fast path: (value, has_float); raises :class:`_Bail` when it cannot decide.

    Handles block mappings and block sequences (including compact ``- key: v`` and sequences
    at their key's indentation) whose scalars each fit on one line: plain, single- or
    double-quoted, or ``[]``/``{}``; comments and blank lines anywhere. Everything else — and
    anything go-yaml would reject — goes to the full port.
    """
    if (
        not (text.isascii() and text.replace("\n", "").isprintable())
        and _FAST_UNSAFE.search(text) is not None
    ):
        raise _BAIL
    has_float = False
    miss = _MISS
    holder: list[Any] = [None]
    stack: list[tuple[int, int, Any, Any]] = []
    push = stack.append
    pop = stack.pop
    # the current frame: kind, indentation, container, key (or "indentless"/"done" flag)
    fk: int = _F_ROOT
    fi: int = -1
    fc: Any = holder
    fx: Any = False
    max_next = _NO_LIMIT
    line_get = _LINE_CACHE.get
    for line in text.split("\n"):
        parsed = line_get(line)
        if parsed is None:
            parsed = _fast_line(line)
            if len(_LINE_CACHE) >= _CACHE_MAX:
                _LINE_CACHE.clear()
            _LINE_CACHE[line] = parsed
        if parsed is _BLANK_LINE:
            continue  # blank or comment
        ind, dash, dcol, key, s, val = parsed
        if ind > max_next:
            raise _BAIL  # it would continue the previous scalar, or be an error
        if fk == _F_MAP and ind == fi and val is not miss and not dash and key is not None:
            fc[key] = val  # the common line: "key: scalar" in the current mapping
            max_next = fi
            continue
        max_next = _NO_LIMIT
        while True:
            if fk == _F_MAP:
                if ind == fi and not dash:
                    if key is None:
                        raise _BAIL
                    if not s or s[0] == "#":
                        push((fk, fi, fc, fx))
                        fk, fx = _F_VALUE, key
                    else:
                        if val is miss:
                            val, is_float = _fast_value(s)
                            if is_float:
                                has_float = True
                        fc[key] = val
                        max_next = fi
                    break
                if ind < fi:
                    fk, fi, fc, fx = pop()
                    continue
                raise _BAIL
            if fk == _F_SEQ:
                if ind == fi and dash:
                    if key is not None:
                        m: dict[str, Any] = {}
                        fc.append(m)
                        push((fk, fi, fc, fx))
                        fk, fi, fc, fx = _F_MAP, dcol, m, None
                        dash = False
                        ind = dcol
                        continue  # the map takes its first key from this line
                    if not s or s[0] == "#":
                        push((fk, fi, fc, fx))
                        fk, fx = _F_ITEM, None
                        break
                    if s[0] == "-" and (len(s) == 1 or s[1] == " "):
                        raise _BAIL
                    if val is miss:
                        val, is_float = _fast_value(s)
                        if is_float:
                            has_float = True
                    fc.append(val)
                    max_next = fi
                    break
                if ind < fi or (ind == fi and fx):
                    fk, fi, fc, fx = pop()
                    continue
                raise _BAIL
            # a node is due: after "key:", after "-", or at the root
            kind, parent, owner, slot = fk, fi, fc, fx
            if kind == _F_ROOT:
                if slot:
                    raise _BAIL  # lines after the root node: go-yaml ends the document there
                fx = True
            else:
                fk, fi, fc, fx = pop()
                if ind <= parent:
                    if kind == _F_VALUE and ind == parent and dash:
                        lst: list[Any] = []
                        owner[slot] = lst
                        push((fk, fi, fc, fx))
                        fk, fi, fc, fx = _F_SEQ, parent, lst, True
                    elif kind == _F_VALUE:
                        owner[slot] = None
                    else:
                        owner.append(None)
                    continue
            collection = dash or key is not None
            if collection:
                node: Any = [] if dash else {}
                push((fk, fi, fc, fx))
                fk, fi, fc, fx = (_F_SEQ if dash else _F_MAP), ind, node, False
            else:
                node, is_float = _fast_value(s)
                if is_float:
                    has_float = True
                max_next = parent
            if kind == _F_VALUE:
                owner[slot] = node
            elif kind == _F_ITEM:
                owner.append(node)
            else:
                holder[0] = node
            if not collection:
                break
            # the new collection's frame takes this line
    stack.append((fk, fi, fc, fx))
    for kind, _, owner, slot in reversed(stack):
        if kind == _F_VALUE:
            owner[slot] = None
        elif kind == _F_ITEM:
            owner.append(None)
    return holder[0], has_float


# =============================================================================================
# Public YAML → JSON API
# =============================================================================================


def _yaml_error(message: str, line: int | None, source: str | None) -> YAMLError:
    return YAMLError(message, Location(source=source, line=line))


# go-yaml accepts up to 10000 levels of nesting; this port recurses per level and stops at
# Python's recursion limit (a few hundred levels) with this message instead.
_TOO_DEEP = "kwokbook: YAML nested too deeply for kwokbook's go-yaml port (go-yaml allows 10000 levels)"


def _slow(text: str, source: str | None) -> tuple[Any, bool, bool]:
    try:
        value, invalid = _full_yaml_value(text)
        return value, True, invalid
    except _ParseError as e:
        msg, line = e.go_message()
        raise _yaml_error(msg, line, source) from None
    except _DecodeFail as e:
        raise _yaml_error(e.message, e.line, source) from None
    except _JSONFail as e:
        raise _yaml_error(str(e), None, source) from None
    except RecursionError:
        raise _yaml_error(_TOO_DEEP, None, source) from None


def yaml_to_json_value(text: str, *, source: str | None = None) -> Any:
    """What KWOK's ``yaml.YAMLToJSON`` makes of ``text``, as Python values.

    dicts have str keys (order not meaningful), numbers are ``int`` or ``float`` (``1.0`` stays
    a float; its JSON is ``1``), only the first YAML document counts, and an empty document is
    ``None``. Raises :class:`YAMLError` with Go's message where KWOK would fail, including
    json.Marshal's refusal of ``.nan``/``.inf``. Strings are Go strings: the invalid UTF-8 a
    ``!!binary`` value can hold is kept as surrogate escapes (U+DC80–U+DCFF, kwokbook's convention),
    so ``gojson.marshal`` of the result gives :func:`yaml_to_json`'s bytes (``\\ufffd`` escapes).
    """
    try:
        value, has_float = _fast_yaml_value(text)
    except _Bail:
        value, has_float, _ = _slow(text, source)
    if has_float:
        _check_finite(value, source)
    return value


def yaml_to_json(text: str, *, source: str | None = None) -> str:
    """The exact JSON text KWOK's ``yaml.YAMLToJSON`` returns for ``text``."""
    invalid = False
    try:
        value, has_float = _fast_yaml_value(text)
    except _Bail:
        value, has_float, invalid = _slow(text, source)
    try:
        out = _json_marshal(value, has_float)
    except _JSONFail as e:
        raise _yaml_error(str(e), None, source) from None
    return _escape_invalid_bytes(out) if invalid else out


def _check_finite(value: Any, source: str | None) -> None:
    try:
        _json_walk(value, [])
    except _JSONFail as e:
        raise _yaml_error(str(e), None, source) from None


# =============================================================================================
# YAML output: sigs.k8s.io/yaml's JSONToYAML and Marshal over go-yaml's emitter (emitterc.go)
# =============================================================================================

_BEST_INDENT = 2
_BEST_WIDTH = 80
_BREAKS_STR = "\r\n\x85\u2028\u2029"
_BLANKZ_STR = " \t\r\n\x85\u2028\u2029\0"


def _is_printable(c: str) -> bool:
    """go-yaml's ``is_printable`` (on the UTF-8 bytes; no characters beyond U+FFFF)."""
    o = ord(c)
    return o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)


_SIMPLE_SCALAR = re.compile(r"[A-Za-z0-9_./=+()$^~;<](?: ?[A-Za-z0-9_./=+()$^~;<>\-])*")


class _ScalarAnalysis:
    __slots__ = (
        "block_allowed",
        "block_plain_allowed",
        "flow_plain_allowed",
        "multiline",
        "single_quoted_allowed",
    )

    def __init__(self, value: str) -> None:
        if _SIMPLE_SCALAR.fullmatch(value) is not None and not value.startswith(("---", "...")):
            # letters, digits and harmless punctuation, single inner spaces: everything allowed
            self.multiline = False
            self.flow_plain_allowed = self.block_plain_allowed = True
            self.single_quoted_allowed = self.block_allowed = True
            return
        if not value:
            self.multiline = False
            self.flow_plain_allowed = False
            self.block_plain_allowed = True
            self.single_quoted_allowed = True
            self.block_allowed = False
            return
        block_indicators = flow_indicators = line_breaks = special_characters = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        if value.startswith(("---", "...")):
            block_indicators = flow_indicators = True
        preceded_by_whitespace = True
        n = len(value)
        last = n - 1
        for i, c in enumerate(value):
            followed_by_whitespace = i == last or value[i + 1] in " \t"
            if i == 0:
                if c in "#,[]{}&*!|>'\"%@`":
                    flow_indicators = block_indicators = True
                elif c in "?:":
                    flow_indicators = True
                    if followed_by_whitespace:
                        block_indicators = True
                elif c == "-" and followed_by_whitespace:
                    flow_indicators = block_indicators = True
            elif c in ",?[]{}":
                flow_indicators = True
            elif c == ":":
                flow_indicators = True
                if followed_by_whitespace:
                    block_indicators = True
            elif c == "#" and preceded_by_whitespace:
                flow_indicators = block_indicators = True
            if not _is_printable(c):
                special_characters = True
            if c == " ":
                if i == 0:
                    leading_space = True
                if i == last:
                    trailing_space = True
                if previous_break:
                    break_space = True
                previous_space = True
                previous_break = False
            elif c in _BREAKS_STR:
                line_breaks = True
                if i == 0:
                    leading_break = True
                if i == last:
                    trailing_break = True
                if previous_space:
                    space_break = True
                previous_space = False
                previous_break = True
            else:
                previous_space = previous_break = False
            preceded_by_whitespace = c in _BLANKZ_STR
        self.multiline = line_breaks
        self.flow_plain_allowed = self.block_plain_allowed = True
        self.single_quoted_allowed = self.block_allowed = True
        if leading_space or leading_break or trailing_space or trailing_break:
            self.flow_plain_allowed = self.block_plain_allowed = False
        if trailing_space:
            self.block_allowed = False
        if break_space:
            self.flow_plain_allowed = self.block_plain_allowed = self.single_quoted_allowed = False
        if space_break or special_characters:
            self.flow_plain_allowed = self.block_plain_allowed = False
            self.single_quoted_allowed = self.block_allowed = False
        if line_breaks:
            self.flow_plain_allowed = self.block_plain_allowed = False
        if flow_indicators:
            self.flow_plain_allowed = False
        if block_indicators:
            self.block_plain_allowed = False


_DQ_ESCAPES = {
    0x00: "0",
    0x07: "a",
    0x08: "b",
    0x09: "t",
    0x0A: "n",
    0x0B: "v",
    0x0C: "f",
    0x0D: "r",
    0x1B: "e",
    0x22: '"',
    0x5C: "\\",
    0x85: "N",
    0xA0: "_",
    0x2028: "L",
    0x2029: "P",
}


class _Emitter:
    """go-yaml's emitter for one implicit document of plain data, as ``yaml.Marshal`` drives it."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1
        self.indents: list[int] = []
        self.flow_level = 0
        self.root_context = False
        self.sequence_context = False
        self.mapping_context = False
        self.simple_key_context = False

    # ---- writers ----------------------------------------------------------------------------

    def put(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def write_break(self, c: str) -> None:
        if c == "\n":
            self.put_break()
        else:
            self.out.append(c)
            self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = True
        self.indention = True

    def write_indicator(
        self, indicator: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool
    ) -> None:
        if need_whitespace and not self.whitespace:
            self.put(" ")
        self.out.append(indicator)
        self.column += len(indicator)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += _BEST_INDENT

    # ---- nodes ------------------------------------------------------------------------------

    def document(self, v: Any) -> str:
        self.node(v, True, False, False, False)
        self.write_indent()  # document end
        return "".join(self.out)

    def node(self, v: Any, root: bool, sequence: bool, mapping: bool, simple_key: bool) -> None:
        self.root_context = root
        self.sequence_context = sequence
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        if isinstance(v, dict):
            if not v:
                self.empty_flow("{", "}")
            else:
                self.block_mapping(_sorted_items(v))
        elif isinstance(v, GoYamlMap):
            if not len(v):
                self.empty_flow("{", "}")
            else:
                self.block_mapping(sorted(v.items(), key=_GO_KEY_ORDER))
        elif isinstance(v, list):
            if not v:
                self.empty_flow("[", "]")
            else:
                self.block_sequence(v)
        else:
            text, style, analysis = _scalar_info(v)
            self.scalar(text, style, analysis)

    def empty_flow(self, open_: str, close: str) -> None:
        self.write_indicator(open_, True, True, False)
        self.increase_indent(True, False)
        self.indent = self.indents.pop()
        self.write_indicator(close, False, False, False)

    def block_sequence(self, items: list[Any]) -> None:
        self.increase_indent(False, self.mapping_context and not self.indention)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item, False, True, False, False)
        self.indent = self.indents.pop()

    def block_mapping(self, items: list[tuple[Any, Any]]) -> None:
        self.increase_indent(False, False)
        for k, v in items:
            self.write_indent()
            ktext, kstyle, ka = _scalar_info(k)
            if not ka.multiline and (len(ktext) <= 32 or len(ktext.encode("utf-8", "surrogatepass")) <= 128):
                self.root_context = self.sequence_context = False
                self.mapping_context = self.simple_key_context = True
                self.scalar(ktext, kstyle, ka)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.root_context = self.sequence_context = self.simple_key_context = False
                self.mapping_context = True
                self.scalar(ktext, kstyle, ka)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(v, False, False, True, False)
        self.indent = self.indents.pop()

    def scalar(self, value: str, style: int, a: _ScalarAnalysis) -> None:
        if self.simple_key_context and a.multiline:
            style = S_DOUBLE
        if style == S_PLAIN:
            if (self.flow_level > 0 and not a.flow_plain_allowed) or (
                self.flow_level == 0 and not a.block_plain_allowed
            ):
                style = S_SINGLE
            if not value and (self.flow_level > 0 or self.simple_key_context):
                style = S_SINGLE
        if style == S_SINGLE and not a.single_quoted_allowed:
            style = S_DOUBLE
        if style == S_LITERAL and (not a.block_allowed or self.flow_level > 0 or self.simple_key_context):
            style = S_DOUBLE
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style == S_PLAIN:
            self.write_plain(value, allow_breaks)
        elif style == S_SINGLE:
            self.write_single(value, allow_breaks)
        elif style == S_DOUBLE:
            self.write_double(value, allow_breaks)
        else:
            self.write_literal(value)
        self.indent = self.indents.pop()

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if self.column + len(value) <= _BEST_WIDTH + 1 or not allow_breaks or " " not in value:
            # no space can reach past the fold column (plain scalars hold no line breaks)
            self.out.append(value)
            self.column += len(value)
            self.whitespace = False
            self.indention = False
            return
        spaces = breaks = False
        n = len(value)
        i = 0
        while i < n:
            c = value[i]
            if c == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > _BEST_WIDTH
                    and not (i + 1 < n and value[i + 1] == " ")
                ):
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif c in _BREAKS_STR:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                spaces = breaks = False
            i += 1
        self.whitespace = False
        self.indention = False

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        if (
            (self.column + len(value) <= _BEST_WIDTH + 1 or not allow_breaks)
            and "'" not in value
            and not any(c in _BREAKS_STR for c in value)
        ):
            self.out.append(value)
            self.column += len(value)
            self.write_indicator("'", False, False, False)
            self.whitespace = False
            self.indention = False
            return
        spaces = breaks = False
        n = len(value)
        for i, c in enumerate(value):
            if c == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > _BEST_WIDTH
                    and 0 < i < n - 1
                    and value[i + 1] != " "
                ):
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif c in _BREAKS_STR:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if c == "'":
                    self.put("'")
                self.write(c)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        spaces = False
        self.write_indicator('"', True, False, False)
        bom_start = value.startswith("\ufeff")  # go-yaml's is_bom looks at the value's first bytes
        n = len(value)
        for i, c in enumerate(value):
            if bom_start or not _is_printable(c) or c in _BREAKS_STR or c in '"\\':
                o = ord(c)
                self.put("\\")
                esc = _DQ_ESCAPES.get(o)
                if esc is not None:
                    self.put(esc)
                elif o <= 0xFF:
                    self.put("x")
                    self.put(f"{o:02X}")
                    self.column += 1
                elif o <= 0xFFFF:
                    self.put("u")
                    self.put(f"{o:04X}")
                    self.column += 3
                else:
                    self.put("U")
                    self.put(f"{o:08X}")
                    self.column += 7
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.write(c)
                spaces = True
            else:
                self.write(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        if value[:1] == " " or (value[:1] in _BREAKS_STR and value):
            self.write_indicator(str(_BEST_INDENT), False, False, False)
        chomp = ""
        if not value or value[-1] not in _BREAKS_STR:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS_STR:
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for c in value:
            if c in _BREAKS_STR:
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                breaks = False


_INFO_CACHE: dict[str, tuple[str, int, _ScalarAnalysis]] = {}


def _scalar_info(v: Any) -> tuple[str, int, _ScalarAnalysis]:
    """Text, requested style and analysis of a scalar (cached for strings: keys repeat a lot)."""
    if type(v) is str:
        info = _INFO_CACHE.get(v)
        if info is None:
            text, style = _scalar_event(v)
            info = (text, style, _ScalarAnalysis(text))
            if len(_INFO_CACHE) >= _CACHE_MAX:
                _INFO_CACHE.clear()
            _INFO_CACHE[v] = info
        return info
    text, style = _scalar_event(v)
    return text, style, _ScalarAnalysis(text)


def _sorted_items(m: dict[str, Any]) -> list[tuple[str, Any]]:
    """A JSON object's items in go-yaml's key order.

    For keys of ASCII letters only, go-yaml's natural order is plain string order.
    """
    if all(type(k) is str and k.isascii() and k.isalpha() for k in m):
        return sorted(m.items())
    return sorted(m.items(), key=_GO_KEY_ORDER)


def _scalar_event(v: Any) -> tuple[str, int]:
    """The text and requested style go-yaml's encoder gives a decoded scalar."""
    if v is None:
        return "null", S_PLAIN
    if v is True:
        return "true", S_PLAIN
    if v is False:
        return "false", S_PLAIN
    if isinstance(v, str):
        if "\n" in v:
            return v, S_LITERAL
        tag, _ = _resolve_plain(v)
        if tag == STR_TAG and not _is_base60_float(v):
            return v, S_PLAIN
        return v, S_DOUBLE
    if isinstance(v, int):
        return str(int(v)), S_PLAIN
    if isinstance(v, float):
        s = format_float(v, "g", -1, 64)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s), S_PLAIN
    raise TypeError(f"cannot marshal type: {type(v).__name__}")


# ---- map key order (sorter.go) ----------------------------------------------------------------

_K_BOOL, _K_INT, _K_UINT64, _K_FLOAT64, _K_INTERFACE, _K_STRING = 1, 2, 11, 14, 20, 24


def _go_kind(k: Any) -> int:
    if k is None:
        return _K_INTERFACE
    if isinstance(k, bool):
        return _K_BOOL
    if isinstance(k, Uint64):
        return _K_UINT64
    if isinstance(k, int):
        return _K_INT
    if isinstance(k, float):
        return _K_FLOAT64
    return _K_STRING


def _wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def _key_less(a: Any, b: Any) -> bool:
    """go-yaml's ``keyList.Less``: numbers by value, strings in "natural" order (digit runs as
    numbers, letters after other characters)."""
    ak, bk = _go_kind(a), _go_kind(b)
    anum = ak in (_K_BOOL, _K_INT, _K_UINT64, _K_FLOAT64)
    bnum = bk in (_K_BOOL, _K_INT, _K_UINT64, _K_FLOAT64)
    if anum and bnum:
        af, bf = float(a), float(b)
        if af != bf:
            return af < bf
        if ak != bk:
            return ak < bk
        return bool(a < b)
    if ak != _K_STRING or bk != _K_STRING:
        return ak < bk
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        ca, cb = ar[i], br[i]
        if ca == cb:
            continue
        al, bl = is_letter(ord(ca)), is_letter(ord(cb))
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and is_digit(ord(ar[j])):
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and is_digit(ord(ar[ai])):
            an = _wrap64(an * 10 + ord(ar[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(br) and is_digit(ord(br[bi])):
            bn = _wrap64(bn * 10 + ord(br[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(ar) < len(br)


class _KeyOrder:
    __slots__ = ("k",)

    def __init__(self, item: tuple[Any, Any]) -> None:
        self.k = item[0]

    def __lt__(self, other: _KeyOrder) -> bool:
        return _key_less(self.k, other.k)


_GO_KEY_ORDER = _KeyOrder


# ---- JSONToYAML -------------------------------------------------------------------------------

# JSON text Python's json module reads exactly as go-yaml does: one line, no escapes go-yaml
# lacks (\/) or rejects (surrogate halves), no characters the reader refuses or treats as line
# breaks, and no key so long that go-yaml forgets it (checked after decoding).
_JSON_FAST_BAD = re.compile(
    "[^ -~\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"  # reader, line breaks
    "|\\\\/|\\\\u[dD][89a-fA-F]"  # escapes go-yaml lacks or rejects
)


# A string literal that may be over 1024 characters of JSON text (an escape like \n counts once
# here but is two characters): as a key, go-yaml would have forgotten it (simple keys expire
# 1024 characters on) and fail; such text takes the full port.
_LONG_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.){500,}')


def _json_number(text: str) -> Any:
    """A JSON number as go-yaml resolves the plain scalar."""
    return _resolve_plain(text)[1]


def _json_to_yaml_value(text: str) -> Any:
    """go-yaml's ``Unmarshal`` of JSON text into ``interface{}`` (JSONToYAML's first half)."""
    if (
        _JSON_FAST_BAD.search(text) is None
        and not text.startswith("\ufeff")
        and (len(text) < 500 or _LONG_JSON_STRING.search(text) is None)
    ):
        try:
            return json.loads(
                text, parse_float=_json_number, parse_int=_json_number, parse_constant=_reject_constant
            )
        except (ValueError, _Bail):
            pass
    try:
        node = _Composer(text).compose()
        return None if node is None else _Decoder().unmarshal(node)
    except _ParseError as e:
        raise YAMLMarshalError(e.go_message()[0]) from None
    except _DecodeFail as e:
        raise YAMLMarshalError(e.message) from None


def _reject_constant(name: str) -> Any:
    raise _BAIL  # NaN / Infinity are not JSON; let the port decide what go-yaml makes of them


class YAMLMarshalError(YAMLError, GoError):
    """A ``yaml.Marshal``/``JSONToYAML`` failure; also a Go error value, so that the ``YAML``
    template function returns it as Go does (``error calling YAML: <message>``).

    Its location is empty: a position would be one in the intermediate JSON text.
    """

    def __str__(self) -> str:
        return self.message


def json_to_yaml(text: str) -> str:
    """``sigs.k8s.io/yaml.JSONToYAML(text)``: go-yaml reads the JSON (numbers resolve as YAML
    1.1 scalars: ``1.0`` → int 1) and writes it back as block YAML."""
    try:
        return _Emitter().document(_json_to_yaml_value(text))
    except RecursionError:
        raise YAMLMarshalError(_TOO_DEEP) from None


def marshal_yaml(value: Any) -> str:
    """KWOK's ``yaml.Marshal(value)`` (``sigs.k8s.io/yaml``): ``json.Marshal`` then ``JSONToYAML``.

    ``value`` is a kwokbook template value (``JsonNumber``, ``GoMap``, structs …) or plain
    JSON-like Python data. Sorted keys in go-yaml's natural order, 2-space indentation,
    sequences not indented under their key, go-yaml v2's quoting and line folding at 80 columns.
    """
    from kwokbook.gotpl.gojson import GoJSONError, marshal

    try:
        text = marshal(value)
    except GoJSONError as e:
        raise YAMLMarshalError(f"error marshaling into JSON: {e}") from None
    return json_to_yaml(text)


def encode_yaml_document(value: Any, *, first: bool = True) -> str:
    """What KWOK's ``yaml.NewEncoder(w).Encode(value)`` writes: the ``yaml.Marshal`` text, with a
    ``---`` separator line before every document but an encoder's first."""
    text = marshal_yaml(value)
    return text if first else "---\n" + text

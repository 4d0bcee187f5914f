"""Sprig v3.3.0's string functions (``strings.go`` and the ``functions.go`` map), Go-exact.

The helpers come from three Go libraries whose quirks templates can observe:

* Go's ``strings`` package (``upper``, ``title``, ``trimAll`` …): rune-wise with Go's own Unicode
  tables and *simple* case mapping (``upper "ß"`` stays ``ß``); invalid UTF-8 comes out as U+FFFD
  wherever Go maps runes.
* ``github.com/Masterminds/goutils`` v1.1.1 (``abbrev``, ``wrap``, ``initials``, ``nospace``,
  ``swapcase``, random strings): several of these walk *bytes*, not runes, so non-ASCII text is
  cut mid-character or re-encoded byte by byte exactly as Go does.
* ``github.com/huandu/xstrings`` v1.5.0 (``snakecase``, ``kebabcase``, ``camelcase`` which is
  ``ToPascalCase``, ``shuffle``).

Go strings are modelled as ``str`` with invalid bytes as surrogate escapes (see
:mod:`kwokbook.gotpl.goregex`).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from ..env import Env
from ..goregex import (
    RUNE_ERROR,
    go_bytes,
    is_digit,
    is_letter,
    is_lower,
    is_number,
    is_punct,
    is_space,
    is_title,
    is_upper,
    rune_of,
    rune_str,
    runes,
    to_lower,
    to_title,
    to_upper,
)
from ..gostrconv import from_go_bytes
from ..gostrconv import quote as go_quote
from ..values import (
    ARRAY,
    SLICE,
    T_SLICE_STRING,
    GoError,
    gofunc,
    kind_of,
    type_of,
)
from ._registry import FUNCS
from .dicts import strval

_MAX_INT = (1 << 63) - 1


def _has_escapes(*ss: str) -> bool:
    """Whether byte-level and character-level string operations could disagree."""
    return any(not s.isascii() and any(0xD800 <= ord(ch) <= 0xDFFF for ch in s) for s in ss)


def _map_runes(s: str, f: Callable[[int], int]) -> str:
    """``strings.Map(f, s)`` (f never drops runes here): invalid bytes come out as U+FFFD."""
    return "".join(chr(f(rune_of(ch))) for ch in s)


def _slice_panic(lo: int | None, hi: int | None, length: int) -> GoError:
    """Go's runtime panic for a bad ``s[lo:hi]`` (``lo``/``hi`` None when omitted)."""
    if hi is not None and (hi < 0 or hi > length):
        if hi < 0:
            return GoError(f"runtime error: slice bounds out of range [:{hi}]")
        return GoError(f"runtime error: slice bounds out of range [:{hi}] with length {length}")
    lo_v = lo if lo is not None else 0
    hi_v = hi if hi is not None else length
    if lo_v < 0:
        return GoError(f"runtime error: slice bounds out of range [{lo_v}:]")
    return GoError(f"runtime error: slice bounds out of range [{lo_v}:{hi_v}]")


def _byte_slice(s: str, lo: int | None, hi: int | None) -> str:
    """``s[lo:hi]`` on the bytes of s, with Go's bounds panics."""
    b = go_bytes(s)
    n = len(b)
    lo_v = 0 if lo is None else lo
    hi_v = n if hi is None else hi
    if hi_v < 0 or hi_v > n or lo_v < 0 or lo_v > hi_v:
        raise _slice_panic(lo, hi, n)
    return from_go_bytes(b[lo_v:hi_v])


# ---------------------------------------------------------------------------------------------
# Simple strings-package wrappers


@gofunc(FUNCS, "hello", "-> string")
def _hello() -> str:
    return "Hello!"


@gofunc(FUNCS, "trim", "string -> string")
def _trim(s: str) -> str:
    """``strings.TrimSpace``: Unicode white space at both ends (invalid bytes are not space)."""
    i, j = 0, len(s)
    while i < j and is_space(rune_of(s[i])):
        i += 1
    while j > i and is_space(rune_of(s[j - 1])):
        j -= 1
    return s[i:j]


@gofunc(FUNCS, "upper", "string -> string")
def _upper(s: str) -> str:
    """``strings.ToUpper``: simple per-rune mapping (Go's tables), unlike Python's ``str.upper``."""
    if s.isascii():
        return s.upper()
    return _map_runes(s, to_upper)


@gofunc(FUNCS, "lower", "string -> string")
def _lower(s: str) -> str:
    if s.isascii():
        return s.lower()
    return _map_runes(s, to_lower)


def _is_separator(r: int) -> bool:
    """``isSeparator`` of the deprecated ``strings.Title``."""
    if r <= 0x7F:
        return not (0x30 <= r <= 0x39 or 0x61 <= r <= 0x7A or 0x41 <= r <= 0x5A or r == 0x5F)
    if is_letter(r) or is_digit(r):
        return False
    return is_space(r)


@gofunc(FUNCS, "title", "string -> string")
def _title(s: str) -> str:
    """``strings.Title``: title-case the first rune after each separator (not word-aware)."""
    prev = 0x20
    out = []
    changed = False
    for ch in s:
        r = rune_of(ch)
        if _is_separator(prev):
            m = to_title(r)
        else:
            m = r
        prev = r
        if m != ord(ch):
            changed = True
        out.append(chr(m))
    return "".join(out) if changed else s


@gofunc(FUNCS, "untitle", "string -> string")
def _untitle(s: str) -> str:
    """goutils ``Uncapitalize``: lower the first rune of each white-space separated word."""
    if s == "":
        return s
    buf = runes(s)
    nxt = True
    for i, ch in enumerate(buf):
        if is_space(ch):
            nxt = True
        elif nxt:
            buf[i] = to_lower(ch)
            nxt = False
    return rune_str(buf)


@gofunc(FUNCS, "substr", "int, int, string -> string")
def _substr(start: int, end: int, s: str) -> str:
    """sprig ``substring``: byte offsets; Go's slice panics on bad bounds."""
    if start < 0:
        return _byte_slice(s, None, end)
    if end < 0 or end > len(go_bytes(s)):
        return _byte_slice(s, start, None)
    return _byte_slice(s, start, end)


@gofunc(FUNCS, "trunc", "int, string -> string")
def _trunc(c: int, s: str) -> str:
    """Keep the first c bytes (or the last -c bytes)."""
    b = go_bytes(s)
    if c < 0 and len(b) + c > 0:
        return from_go_bytes(b[len(b) + c :])
    if c >= 0 and len(b) > c:
        return from_go_bytes(b[:c])
    return s


@gofunc(FUNCS, "repeat", "int, string -> string")
def _repeat(count: int, s: str) -> str:
    """``strings.Repeat(str, count)`` with its panics."""
    if count == 0:
        return ""
    if count == 1:
        return s
    if count < 0:
        raise GoError("strings: negative Repeat count")
    n = len(go_bytes(s)) * count
    if n > _MAX_INT:
        raise GoError("strings: Repeat output length overflow")
    if n > _MAX_ALLOC:  # Go's make([]byte, n) fails beyond the address space it can allocate
        raise GoError("runtime error: makeslice: len out of range")
    if n > _PRACTICAL_LIMIT:
        raise GoError(f"kwokbook: refusing to build a {n / (1 << 30):.1f} GiB string (Go would try)")
    return s * count


_MAX_ALLOC = 1 << 48  # runtime.maxAlloc on linux/amd64
_PRACTICAL_LIMIT = 1 << 31


def _trim_cutset(s: str, cutset: str) -> str:
    """``strings.Trim(s, cutset)``."""
    if s == "" or cutset == "":
        return s
    cut = {rune_of(ch) for ch in cutset}
    i, j = 0, len(s)
    while i < j and rune_of(s[i]) in cut:
        i += 1
    while j > i and rune_of(s[j - 1]) in cut:
        j -= 1
    return s[i:j]


@gofunc(FUNCS, "trimall", "string, string -> string")
def _trimall(a: str, b: str) -> str:
    return _trim_cutset(b, a)


@gofunc(FUNCS, "trimAll", "string, string -> string")
def _trim_all(a: str, b: str) -> str:
    return _trim_cutset(b, a)


@gofunc(FUNCS, "trimSuffix", "string, string -> string")
def _trim_suffix(a: str, b: str) -> str:
    if _has_escapes(a, b):
        bb, ab = go_bytes(b), go_bytes(a)
        return from_go_bytes(bb[: len(bb) - len(ab)]) if ab and bb.endswith(ab) else b
    return b[: len(b) - len(a)] if a and b.endswith(a) else b


@gofunc(FUNCS, "trimPrefix", "string, string -> string")
def _trim_prefix(a: str, b: str) -> str:
    if _has_escapes(a, b):
        bb, ab = go_bytes(b), go_bytes(a)
        return from_go_bytes(bb[len(ab) :]) if bb.startswith(ab) else b
    return b[len(a) :] if b.startswith(a) else b


@gofunc(FUNCS, "contains", "string, string -> bool")
def _contains(substr: str, s: str) -> bool:
    if _has_escapes(substr, s):
        return go_bytes(substr) in go_bytes(s)
    return substr in s


@gofunc(FUNCS, "hasPrefix", "string, string -> bool")
def _has_prefix(substr: str, s: str) -> bool:
    if _has_escapes(substr, s):
        return go_bytes(s).startswith(go_bytes(substr))
    return s.startswith(substr)


@gofunc(FUNCS, "hasSuffix", "string, string -> bool")
def _has_suffix(substr: str, s: str) -> bool:
    if _has_escapes(substr, s):
        return go_bytes(s).endswith(go_bytes(substr))
    return s.endswith(substr)


@gofunc(FUNCS, "replace", "string, string, string -> string")
def _replace(old: str, new: str, src: str) -> str:
    """``strings.Replace(src, old, new, -1)``; an empty ``old`` matches around every rune."""
    if old and _has_escapes(old, new, src):
        return from_go_bytes(go_bytes(src).replace(go_bytes(old), go_bytes(new)))
    return src.replace(old, new)


@gofunc(FUNCS, "indent", "int, string -> string")
def _indent(spaces: int, v: str) -> str:
    pad = _repeat(spaces, " ")
    return pad + v.replace("\n", "\n" + pad)


@gofunc(FUNCS, "nindent", "int, string -> string")
def _nindent(spaces: int, v: str) -> str:
    return "\n" + _indent(spaces, v)


@gofunc(FUNCS, "plural", "string, string, int -> string")
def _plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


# ---------------------------------------------------------------------------------------------
# goutils


def _abbreviate_full(s: bytes, offset: int, max_width: int) -> bytes:
    """goutils ``AbbreviateFull`` on bytes; an error result is ``b""`` (sprig drops the error)."""
    if s == b"":
        return b""
    if max_width < 4:
        return b""
    if len(s) <= max_width:
        return s
    offset = min(offset, len(s))
    if len(s) - offset < max_width - 3:
        offset = len(s) - (max_width - 3)
    marker = b"..."
    if offset <= 4:
        return s[0 : max_width - 3] + marker
    if max_width < 7:
        return b""
    if offset + max_width - 3 < len(s):
        return marker + _abbreviate_full(s[offset:], 0, max_width - 3)
    return marker + s[len(s) - (max_width - 3) :]


@gofunc(FUNCS, "abbrev", "int, string -> string")
def _abbrev(width: int, s: str) -> str:
    """Cut to ``width`` bytes with a trailing ``...`` (byte-based: may split a character)."""
    if width < 4:
        return s
    return from_go_bytes(_abbreviate_full(go_bytes(s), 0, width))


@gofunc(FUNCS, "abbrevboth", "int, int, string -> string")
def _abbrevboth(left: int, right: int, s: str) -> str:
    if right < 4 or (left > 0 and right < 7):
        return s
    return from_go_bytes(_abbreviate_full(go_bytes(s), left, right))


def _latin1_runes(b: bytes) -> str:
    """Each byte written as the rune of the same value (goutils' ``rune(str[i])`` loops)."""
    return "".join(chr(x) for x in b)


@gofunc(FUNCS, "nospace", "string -> string")
def _nospace(s: str) -> str:
    """goutils ``DeleteWhiteSpace``: byte-wise; bytes 0x85/0xA0 count as space (as runes)."""
    if s == "":
        return s
    b = go_bytes(s)
    kept = bytes(x for x in b if not is_space(x))
    if len(kept) == len(b):
        return s
    return _latin1_runes(kept)


@gofunc(FUNCS, "initials", "string -> string")
def _initials(s: str) -> str:
    """goutils ``Initials``: first byte of every white-space separated word, as a rune."""
    if s == "":
        return s
    out = []
    gap = True
    for x in go_bytes(s):
        if is_space(x):
            gap = True
        elif gap:
            out.append(chr(x))
            gap = False
    return "".join(out)


@gofunc(FUNCS, "swapcase", "string -> string")
def _swapcase(s: str) -> str:
    """goutils ``SwapCase``: upper/title → lower; lower → title after space, else upper."""
    if s == "":
        return s
    buf = runes(s)
    whitespace = True
    for i, ch in enumerate(buf):
        if is_upper(ch) or is_title(ch):
            buf[i] = to_lower(ch)
            whitespace = False
        elif is_lower(ch):
            if whitespace:
                buf[i] = to_title(ch)
                whitespace = False
            else:
                buf[i] = to_upper(ch)
        else:
            whitespace = is_space(ch)
    return rune_str(buf)


def _wrap_custom(s: str, wrap_length: int, new_line: str, wrap_long_words: bool) -> str:
    """goutils ``WrapCustom``, on bytes as in Go."""
    if s == "":
        return ""
    if new_line == "":
        new_line = "\n"
    wrap_length = max(wrap_length, 1)
    b = go_bytes(s)
    nl = go_bytes(new_line)
    n = len(b)
    offset = 0
    out = bytearray()
    while n - offset > wrap_length:
        if b[offset] == 0x20:
            offset += 1
            continue
        end = wrap_length + offset + 1
        space_at = b[offset:end].rfind(b" ") + offset
        if space_at >= offset:
            out += b[offset:space_at] + nl
            offset = space_at + 1
        elif wrap_long_words:
            end = wrap_length + offset
            out += b[offset:end] + nl
            offset += wrap_length
        else:
            end = wrap_length + offset
            idx = b[end:].find(b" ")
            if idx == -1:
                out += b[offset:]
                offset = n
            else:
                space_at = idx + end
                out += b[offset:space_at] + nl
                offset = space_at + 1
    out += b[offset:]
    return from_go_bytes(bytes(out))


@gofunc(FUNCS, "wrap", "int, string -> string")
def _wrap(length: int, s: str) -> str:
    return _wrap_custom(s, length, "", False)


@gofunc(FUNCS, "wrapWith", "int, string, string -> string")
def _wrap_with(length: int, sep: str, s: str) -> str:
    return _wrap_custom(s, length, sep, True)


# Random strings: goutils CryptoRandom(count, start, end, letters, numbers), randomness from env.rng.


def _crypto_random(env: Env, count: int, start: int, end: int, letters: bool, numbers: bool) -> str:
    if count <= 0:
        return ""  # count < 0 is an error that sprig discards
    if start == 0 and end == 0:
        if not letters and not numbers:
            end = 0x7FFFFFFF
        else:
            end = ord("z") + 1
            start = ord(" ")
    gap = end - start
    out: list[str] = []
    rng = env.rng
    while len(out) < count:
        ch = rng.randrange(gap) + start
        if (letters and is_letter(ch)) or (numbers and is_digit(ch)) or (not letters and not numbers):
            out.append(chr(ch))
    return "".join(out)


@gofunc(FUNCS, "randAlphaNum", "int -> string", tags={"random"}, needs_env=True)
def _rand_alpha_num(env: Env, count: int) -> str:
    return _crypto_random(env, count, 0, 0, True, True)


@gofunc(FUNCS, "randAlpha", "int -> string", tags={"random"}, needs_env=True)
def _rand_alpha(env: Env, count: int) -> str:
    return _crypto_random(env, count, 0, 0, True, False)


@gofunc(FUNCS, "randAscii", "int -> string", tags={"random"}, needs_env=True)
def _rand_ascii(env: Env, count: int) -> str:
    return _crypto_random(env, count, 32, 127, False, False)


@gofunc(FUNCS, "randNumeric", "int -> string", tags={"random"}, needs_env=True)
def _rand_numeric(env: Env, count: int) -> str:
    return _crypto_random(env, count, 0, 0, False, True)


# ---------------------------------------------------------------------------------------------
# xstrings v1.5.0


@gofunc(FUNCS, "shuffle", "string -> string", tags={"random"}, needs_env=True)
def _shuffle(env: Env, s: str) -> str:
    """xstrings ``Shuffle``: Fisher–Yates over the runes (math/rand → env.rng)."""
    if s == "":
        return s
    rs = runes(s)
    for i in range(len(rs) - 1, 0, -1):
        j = env.rng.randrange(i + 1)
        if i != j:
            rs[i], rs[j] = rs[j], rs[i]
    return rune_str(rs)


def _is_connector(r: int) -> bool:
    return r in (0x2D, 0x5F) or is_space(r)


def _is_alphabet(r: int) -> bool:
    """xstrings ``isAlphabet``: a letter that is not a CJK ideograph."""
    if not is_letter(r):
        return False
    if r < 0x3400:
        return True
    return not (0x4E00 <= r <= 0x9FCC or 0x3400 <= r <= 0x4D85 or 0x20000 <= r <= 0x2B81D)


def _decode(s: str, i: int) -> int:
    """``utf8.DecodeRuneInString`` at char index i (every char is one Go rune or one bad byte)."""
    return rune_of(s[i])


def _to_camel_case(s: str, is_big: bool) -> str:
    """xstrings ``toCamelCase`` (``ToPascalCase`` when is_big)."""
    if s == "":
        return ""
    buf: list[str] = []
    is_first_upper = False
    r0 = r1 = 0
    i = 0
    n = len(s)
    size = 0
    while i < n:
        r0 = _decode(s, i)
        size = 1
        i += 1
        if not _is_connector(r0):
            is_first_upper = is_upper(r0)
            r0 = to_upper(r0) if is_big else to_lower(r0)
            break
        buf.append(chr(r0))
    if i >= n:
        if size != 0:
            buf.append(chr(r0))
        return "".join(buf)
    while i < n:
        r1 = r0
        r0 = _decode(s, i)
        i += 1
        if _is_connector(r0) and _is_connector(r1):
            buf.append(chr(r1))
            continue
        if _is_connector(r1):
            is_first_upper = is_upper(r0)
            r0 = to_upper(r0)
        else:
            if is_first_upper:
                if is_upper(r0):
                    r0 = to_lower(r0)
                else:
                    is_first_upper = False
            buf.append(chr(r1))
    if is_first_upper and not is_big:
        r0 = to_lower(r0)
    buf.append(chr(r0))
    return "".join(buf)


_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _next_valid_rune(s: str, prev: int) -> tuple[int, int]:
    """xstrings ``nextValidRune``: skip invalid runes; size counts the skipped ones too."""
    size = 0
    for ch in s:
        r = rune_of(ch)
        size += 1
        if r != RUNE_ERROR:
            return r, size
    return prev, size


def _next_word(s: str) -> tuple[int, str, str]:
    """xstrings ``nextWord``: (word type, word, remaining)."""
    if not s:
        return _INVALID, "", ""
    remaining = s
    r, size = _next_valid_rune(remaining, RUNE_ERROR)
    offset = size
    if r == RUNE_ERROR:
        return _INVALID, s[:offset], s[offset:]

    def run(pred: Callable[[int], bool], r: int, size: int) -> tuple[int, int, str]:
        nonlocal offset, remaining
        remaining = remaining[size:]
        while remaining:
            r, size = _next_valid_rune(remaining, r)
            if not pred(r):
                break
            offset += size
            remaining = remaining[size:]
        return r, size, remaining

    if _is_connector(r):
        wt = _CONNECTOR
        run(_is_connector, r, size)
    elif is_punct(r):
        wt = _PUNCT
        run(is_punct, r, size)
    elif is_upper(r):
        wt = _UPPER
        remaining = remaining[size:]
        if remaining:
            r, size = _next_valid_rune(remaining, r)
            if is_upper(r):
                prev_size = size
                offset += size
                remaining = remaining[size:]
                while remaining:
                    r, size = _next_valid_rune(remaining, r)
                    if not is_upper(r):
                        break
                    prev_size = size
                    offset += size
                    remaining = remaining[size:]
                if remaining and _is_alphabet(r):
                    offset -= prev_size
                    remaining = s[offset:]
            elif _is_alphabet(r):
                offset += size
                remaining = remaining[size:]
                while remaining:
                    r, size = _next_valid_rune(remaining, r)
                    if not _is_alphabet(r) or is_upper(r):
                        break
                    offset += size
                    remaining = remaining[size:]
    elif _is_alphabet(r):
        wt = _ALPHA
        run(lambda x: _is_alphabet(x) and not is_upper(x), r, size)
    elif is_number(r):
        wt = _NUMBER
        run(is_number, r, size)
    else:
        wt = _OTHER
        remaining = remaining[size:]
        while remaining:
            r, size = _next_valid_rune(remaining, r)
            if size == 0 or _is_connector(r) or _is_alphabet(r) or is_number(r) or is_punct(r):
                break
            offset += size
            remaining = remaining[size:]
    return wt, s[:offset], remaining


def _to_lower_word(buf: list[str], wt: int, word: str, connector: str) -> None:
    """xstrings ``toLower``: upper-case and connector words are re-encoded rune by rune."""
    if wt not in (_UPPER, _CONNECTOR):
        buf.append(word)
        return
    for ch in word:
        r = rune_of(ch)
        if _is_connector(r):
            buf.append(connector)
        elif is_upper(r):
            buf.append(chr(to_lower(r)))
        else:
            buf.append(chr(r))


def _camel_to_lower(s: str, connector: str) -> str:
    """xstrings ``camelCaseToLowerCase`` (snake/kebab case)."""
    if s == "":
        return ""
    buf: list[str] = []
    wt, word, remaining = _next_word(s)
    while remaining:
        if wt != _CONNECTOR:
            _to_lower_word(buf, wt, word, connector)
        prev = wt
        last = word
        wt, word, remaining = _next_word(remaining)
        if prev == _NUMBER:
            while wt in (_ALPHA, _NUMBER):
                _to_lower_word(buf, wt, word, connector)
                wt, word, remaining = _next_word(remaining)
            if wt not in (_INVALID, _PUNCT, _CONNECTOR):
                buf.append(connector)
        elif prev == _CONNECTOR:
            _to_lower_word(buf, prev, last, connector)
        elif prev == _PUNCT:
            pass
        else:
            if wt != _NUMBER:
                if wt not in (_CONNECTOR, _PUNCT):
                    buf.append(connector)
                continue
            if not remaining:
                continue
            last = word
            wt, word, remaining = _next_word(remaining)
            if wt != _ALPHA:
                _to_lower_word(buf, _NUMBER, last, connector)
                if wt not in (_CONNECTOR, _PUNCT):
                    buf.append(connector)
                continue
            buf.append(connector)
            _to_lower_word(buf, _NUMBER, last, connector)
            while wt in (_ALPHA, _NUMBER):
                _to_lower_word(buf, wt, word, connector)
                wt, word, remaining = _next_word(remaining)
            if wt not in (_INVALID, _CONNECTOR, _PUNCT):
                buf.append(connector)
    _to_lower_word(buf, wt, word, connector)
    return "".join(buf)


@gofunc(FUNCS, "snakecase", "string -> string")
def _snakecase(s: str) -> str:
    return _camel_to_lower(s, "_")


@gofunc(FUNCS, "kebabcase", "string -> string")
def _kebabcase(s: str) -> str:
    return _camel_to_lower(s, "-")


@gofunc(FUNCS, "camelcase", "string -> string")
def _camelcase(s: str) -> str:
    """sprig maps ``camelcase`` to xstrings ``ToPascalCase`` (upper camel case)."""
    return _to_camel_case(s, True)


# ---------------------------------------------------------------------------------------------
# fmt-based helpers


def _sprint_v(v: Any) -> str:
    from .. import gofmt

    return str(gofmt.sprint(v))


@gofunc(FUNCS, "quote", "...interface {} -> string")
def _quote(*args: Any) -> str:
    """``%q`` of ``strval`` of each non-nil argument, space separated."""
    return " ".join(go_quote(strval(a)) for a in args if a is not None)


@gofunc(FUNCS, "squote", "...interface {} -> string")
def _squote(*args: Any) -> str:
    """``'%v'`` of each non-nil argument, space separated."""
    return " ".join("'" + _sprint_v(a) + "'" for a in args if a is not None)


@gofunc(FUNCS, "cat", "...interface {} -> string")
def _cat(*args: Any) -> str:
    """``%v`` of each non-nil argument, space separated."""
    return " ".join(_sprint_v(a) for a in args if a is not None)


@gofunc(FUNCS, "toString", "interface {} -> string")
def _to_string(v: Any) -> str:
    return strval(v)


def strslice(v: Any) -> list[str]:
    """sprig ``strslice``: a slice's non-nil elements through ``strval``; nil → empty; else [strval]."""
    t = type_of(v)
    if t is T_SLICE_STRING:
        return list(v)
    if isinstance(v, list) and kind_of(v) in (SLICE, ARRAY):
        return [strval(x) for x in v if x is not None]
    if v is None:
        return []
    return [strval(v)]


@gofunc(FUNCS, "toStrings", "interface {} -> []string")
def _to_strings(v: Any) -> Any:
    if type_of(v) is T_SLICE_STRING:
        return v  # returned as is (a nil []string stays nil)
    return strslice(v)


@gofunc(FUNCS, "join", "string, interface {} -> string")
def _join(sep: str, v: Any) -> str:
    return sep.join(strslice(v))


@gofunc(FUNCS, "sortAlpha", "interface {} -> []string")
def _sort_alpha(v: Any) -> list[str]:
    """Slices: ``strslice`` sorted bytewise; anything else: ``[strval(v)]``."""
    if v is not None and kind_of(v) in (SLICE, ARRAY):
        return sorted(strslice(v), key=go_bytes)
    return [strval(v)]


# ---------------------------------------------------------------------------------------------
# Splitting


def _go_split(s: str, sep: str, n: int) -> list[str]:
    """``strings.SplitN(s, sep, n)`` (n < 0: all)."""
    if n == 0:
        return []
    if sep == "":
        chars = list(s)
        if n < 0 or n > len(chars):
            return chars
        return [*chars[: n - 1], "".join(chars[n - 1 :])]
    if _has_escapes(s, sep):
        parts = go_bytes(s).split(go_bytes(sep), n - 1 if n > 0 else -1)
        return [from_go_bytes(p) for p in parts]
    return s.split(sep, n - 1 if n > 0 else -1)


@gofunc(FUNCS, "split", "string, string -> map[string]string")
def _split(sep: str, orig: str) -> dict[str, str]:
    return {f"_{i}": p for i, p in enumerate(_go_split(orig, sep, -1))}


@gofunc(FUNCS, "splitn", "string, int, string -> map[string]string")
def _splitn(sep: str, n: int, orig: str) -> dict[str, str]:
    return {f"_{i}": p for i, p in enumerate(_go_split(orig, sep, n))}


@gofunc(FUNCS, "splitList", "string, string -> []string")
def _split_list(sep: str, orig: str) -> list[str]:
    return _go_split(orig, sep, -1)


# ---------------------------------------------------------------------------------------------
# Hashes


@gofunc(FUNCS, "sha1sum", "string -> string")
def _sha1sum(s: str) -> str:
    return hashlib.sha1(go_bytes(s)).hexdigest()


@gofunc(FUNCS, "sha256sum", "string -> string")
def _sha256sum(s: str) -> str:
    return hashlib.sha256(go_bytes(s)).hexdigest()


@gofunc(FUNCS, "sha512sum", "string -> string")
def _sha512sum(s: str) -> str:
    return hashlib.sha512(go_bytes(s)).hexdigest()


@gofunc(FUNCS, "adler32sum", "string -> string")
def _adler32sum(s: str) -> str:
    return str(zlib.adler32(go_bytes(s)))



"""Go's ``strconv``, byte-exact: float formatting, number parsing, quoting and IsPrint.

Python's ``repr(float)`` and Go's Dragonbox both give the shortest digit string that reads
back to the same float64 (nearest on ties), so shortest formatting starts from ``repr``; fixed
precision uses Python's correctly rounded ``%e`` (round-half-even on the exact binary value,
as Go's ``fixedFtoa``/``bigFtoa`` do). Parsing follows Go's literal syntax exactly (base
prefixes, ``_`` separators, hex floats, ``inf``/``nan`` spellings) and reports Go's
``*strconv.NumError`` text. Quoting uses Go's own IsPrint/IsGraphic tables (go1.26), which differ
from Python's ``unicodedata``. Go strings are bytes: invalid UTF-8 travels in ``str`` as
surrogate escapes (U+DC80..U+DCFF), see :func:`to_go_bytes`.
"""

from __future__ import annotations

import math
import struct
from bisect import bisect_right
from fractions import Fraction

from kwokbook.gotpl._unicode_tables import GRAPHIC_HI, GRAPHIC_LO, PRINT_HI, PRINT_LO
from kwokbook.gotpl.values import GoError


def _decimal_digits(f: float, prec: int | None, mode: str) -> tuple[str, int]:
    """Digits (no leading zeros, no trailing zeros unless fixed) and decimal point position ``dp``.

    ``f`` is finite and positive-or-zero. With ``prec`` None: shortest. Otherwise ``mode`` 'e'
    means ``prec`` significant digits, 'f' means ``prec`` digits after the point.
    """
    if f == 0:
        return "", 0
    if prec is None:
        r = repr(f)
        if "e" in r:
            mant, exp_s = r.split("e")
            exp = int(exp_s)
        else:
            mant, exp = r, 0
        if "." in mant:
            ip, fp = mant.split(".")
        else:
            ip, fp = mant, ""
        if fp == "0":
            fp = ""
        digits = ip + fp
        dp = len(ip) + exp
        stripped = digits.lstrip("0")
        dp -= len(digits) - len(stripped)
        return stripped.rstrip("0"), dp
    if mode == "e":
        if prec <= 0:
            prec = 1
        s = f"{f:.{prec - 1}e}"
        mant, exp_s = s.split("e")
        digits = mant.replace(".", "")
        return digits, int(exp_s) + 1
    # mode 'f': prec digits after the point
    s = f"{f:.{max(prec, 0)}f}"
    ip, _, fp = s.partition(".")
    digits = (ip + fp).lstrip("0")
    if not digits:
        return "", 0
    dp = len(ip) if ip != "0" else -(len(fp) - len(fp.lstrip("0")))
    return digits, dp


def _shortest32(f: float) -> tuple[str, int]:
    """Shortest digits that read back (correctly rounded) as the same float32; closest if several."""
    target = to_float32(f)
    exact = Fraction(target)
    for n in range(1, 10):
        s = f"{target:.{n - 1}e}"
        mant, exp_s = s.split("e")
        base = int(mant.replace(".", ""))
        exp10 = int(exp_s) - (n - 1)
        best: tuple[Fraction, int] | None = None
        for cand in (base, base - 1, base + 1):  # ties keep the correctly rounded one
            if cand <= 0:
                continue
            if _parse32(f"{cand}e{exp10}") == target:
                dist = abs(Fraction(cand) * Fraction(10) ** exp10 - exact)
                if best is None or dist < best[0]:
                    best = (dist, cand)
        if best is not None:
            digits = str(best[1])
            dp = len(digits) + exp10
            stripped = digits.rstrip("0")
            return stripped, dp
    return _decimal_digits(target, None, "e")


def _parse32(s: str) -> float:
    try:
        return parse_float(s, 32)
    except StrconvError as e:
        return float(e.value)


def to_float32(f: float) -> float:
    """Go's ``float32(f)``: round to nearest float32 (overflow gives ±Inf)."""
    try:
        return float(struct.unpack("f", struct.pack("f", f))[0])
    except OverflowError:
        return math.copysign(math.inf, f)


def format_float(f: float, fmt: str = "g", prec: int = -1, bitsize: int = 64) -> str:
    """``strconv.FormatFloat(f, fmt, prec, bitsize)`` for fmt in ``e E f g G b x X``."""
    if fmt == "g" and prec < 0 and bitsize == 64 and 1e-4 <= abs(f) < 1e6:
        r = repr(f)  # the common %v case: repr has Go's digits and notation
        return r[:-2] if r.endswith(".0") else r
    if bitsize == 32:
        f = to_float32(f)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if prec < 0 and fmt == "g" and bitsize == 64:
        return _shortest_g64(f)
    if fmt in "bxX":
        return _format_binary(f, fmt, prec, bitsize)
    if fmt not in "eEfgG" or len(fmt) != 1:
        return "%" + fmt
    neg = math.copysign(1.0, f) < 0
    a = -f if neg else f
    shortest = prec < 0
    if shortest:
        if bitsize == 32 and a != 0:
            digits, dp = _shortest32(a)
        else:
            digits, dp = _decimal_digits(a, None, "e")
        nd = len(digits)
        if fmt in "eE":
            prec = max(nd - 1, 0)
        elif fmt == "f":
            prec = max(nd - dp, 0)
        else:
            prec = nd
    else:
        if fmt in "eE":
            digits, dp = _decimal_digits(a, prec + 1, "e")
        elif fmt == "f":
            digits, dp = _decimal_digits(a, prec, "f")
        else:
            if prec == 0:
                prec = 1
            digits, dp = _decimal_digits(a, prec, "e")
        digits = digits.rstrip("0") if fmt in "gG" else digits
    return _format_digits(neg, digits, dp, prec, fmt, shortest=shortest)


def _repr_digits(f: float) -> tuple[str, str, int]:
    """(sign, digits, dp) of ``repr(f)`` for finite non-zero ``f``: value = 0.digits × 10**dp."""
    r = repr(f)
    sign = ""
    if r[0] == "-":
        sign = "-"
        r = r[1:]
    mant, e, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    if e:
        return sign, (ip + fp).rstrip("0"), len(ip) + int(exp)
    if ip == "0":
        digits = fp.lstrip("0")
        return sign, digits, len(digits) - len(fp)
    return sign, (ip + fp).rstrip("0"), len(ip)


def _fixed(digits: str, dp: int) -> str:
    nd = len(digits)
    if dp <= 0:
        return "0." + "0" * -dp + digits
    if dp >= nd:
        return digits + "0" * (dp - nd)
    return digits[:dp] + "." + digits[dp:]


def _shortest_g64(f: float) -> str:
    """``FormatFloat(f, 'g', -1, 64)`` (what ``%v`` prints) straight from ``repr``."""
    if 1e-4 <= abs(f) < 1e6:  # repr is fixed-point here too, with the same digits
        r = repr(f)
        return r[:-2] if r.endswith(".0") else r
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    sign, digits, dp = _repr_digits(f)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        frac = "." + digits[1:] if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{frac}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + _fixed(digits, dp)


def _float_parts(f: float, bitsize: int) -> tuple[bool, int, int, int]:
    """(neg, mant, exp, mantbits) as genericFtoa sees them: value = mant * 2**(exp - mantbits)."""
    if bitsize == 32:
        bits = struct.unpack("<I", struct.pack("<f", f))[0]
        mantbits, expbits, bias = 23, 8, -127
    else:
        bits = struct.unpack("<Q", struct.pack("<d", f))[0]
        mantbits, expbits, bias = 52, 11, -1023
    neg = bits >> (expbits + mantbits) != 0
    exp = (bits >> mantbits) & ((1 << expbits) - 1)
    mant = bits & ((1 << mantbits) - 1)
    if exp == 0:
        exp += 1  # denormal
    else:
        mant |= 1 << mantbits
    return neg, mant, exp + bias, mantbits


def _format_binary(f: float, fmt: str, prec: int, bitsize: int) -> str:
    """Go's ``fmtB`` (``-ddddp±ddd``) and ``fmtX`` (``-0x1.yyyp±dd``)."""
    neg, mant, exp, mantbits = _float_parts(f, bitsize)
    sign = "-" if neg else ""
    if fmt == "b":
        e = exp - mantbits
        return f"{sign}{mant}p{'+' if e >= 0 else ''}{e}"
    if mant == 0:
        exp = 0
    mant <<= 60 - mantbits
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    mask64 = (1 << 64) - 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexdigits = "0123456789ABCDEF" if fmt == "X" else "0123456789abcdef"
    out = [sign, "0", fmt, str((mant >> 60) & 1)]
    mant = (mant << 4) & mask64
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & mask64
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & mask64
    out.append("P" if fmt == "X" else "p")
    out.append("-" if exp < 0 else "+")
    out.append(f"{abs(exp):02d}")
    return "".join(out)


def _format_digits(neg: bool, digits: str, dp: int, prec: int, fmt: str, *, shortest: bool) -> str:
    nd = len(digits)
    if fmt in "eE":
        return _fmt_e(neg, digits, dp, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, prec)
    # g / G
    eprec = prec
    if eprec > nd >= dp:
        eprec = nd
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        prec = min(prec, nd)
        return _fmt_e(neg, digits, dp, prec - 1, "e" if fmt == "g" else "E")
    if prec > dp:
        prec = nd
    return _fmt_f(neg, digits, dp, max(prec - dp, 0))


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, e: str) -> str:
    out = ["-"] if neg else []
    out.append(digits[0] if digits else "0")
    if prec > 0:
        frac = digits[1 : prec + 1]
        out.append("." + frac + "0" * (prec - len(frac)))
    exp = 0 if not digits else dp - 1
    sign = "-" if exp < 0 else "+"
    exp = abs(exp)
    out.append(f"{e}{sign}{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    out = ["-"] if neg else []
    if dp > 0:
        ip = digits[:dp]
        out.append(ip + "0" * (dp - len(ip)))
    else:
        out.append("0")
    if prec > 0:
        frac = []
        for i in range(prec):
            j = dp + i
            frac.append(digits[j] if 0 <= j < len(digits) else "0")
        out.append("." + "".join(frac))
    return "".join(out)


_F32_1EM6 = to_float32(1e-6)
_F32_1E21 = to_float32(1e21)


def format_json_float(f: float, bitsize: int = 64) -> str:
    """How ``encoding/json`` writes a float (ES6 style): 'f' unless tiny/huge, exponent cleaned.

    Raises ``ValueError`` for NaN/Inf, which Go reports as ``json: unsupported value``.
    """
    if bitsize == 32:
        f = to_float32(f)
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"json: unsupported value: {format_float(f, 'g', -1, bitsize)}")
    if bitsize == 64:
        if 1e-4 <= abs(f) < 1e16:  # repr is fixed-point here too, with the same digits
            r = repr(f)
            return r[:-2] if r.endswith(".0") else r
        if f == 0:
            return "-0" if math.copysign(1.0, f) < 0 else "0"
        sign, digits, dp = _repr_digits(f)
        a = abs(f)
        if 1e-6 <= a < 1e21:
            return sign + _fixed(digits, dp)
        exp = dp - 1
        frac = "." + digits[1:] if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{frac}e{'-' if exp < 0 else '+'}{abs(exp) if exp < 0 else f'{exp:02d}'}"
    a = abs(f)
    fmt = "f"
    if a != 0:
        if bitsize == 32:
            lo, hi = _F32_1EM6, _F32_1E21  # Go compares float32(abs) with float32 constants
        else:
            lo, hi = 1e-6, 1e21
        if a < lo or a >= hi:
            fmt = "e"
    s = format_float(f, fmt, -1, bitsize)
    if fmt == "e":
        # clean up e-09 to e-9
        n = len(s)
        if n >= 4 and s[n - 4] == "e" and s[n - 3] == "-" and s[n - 2] == "0":
            s = s[: n - 2] + s[n - 1 :]
    return s


# ---------------------------------------------------------------------------------------------
# Go strings as bytes
#
# A Go string is a byte sequence that is usually, but not always, UTF-8. kwokbook keeps strings as
# Python ``str``; bytes that are not valid UTF-8 are carried as lone surrogates U+DC80..U+DCFF
# (Python's ``surrogateescape``), so that quoting and hex dumps can show them as Go does.


def to_go_bytes(s: str) -> bytes:
    """The bytes of the Go string ``s`` (UTF-8; surrogate escapes become their raw bytes)."""
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        out = bytearray()
        for ch in s:
            o = ord(ch)
            if 0xDC80 <= o <= 0xDCFF:
                out.append(o - 0xDC00)
            else:
                out += ch.encode("utf-8", "surrogatepass")
        return bytes(out)


def from_go_bytes(b: bytes) -> str:
    """The ``str`` for Go string bytes ``b`` (invalid UTF-8 bytes become surrogate escapes)."""
    return b.decode("utf-8", "surrogateescape")


def _canonical(s: str) -> str:
    """``s`` with surrogates normalised to what its Go bytes decode to (a no-op for valid text)."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return from_go_bytes(to_go_bytes(s))


# ---------------------------------------------------------------------------------------------
# IsPrint / IsGraphic (Go's tables, see _unicode_tables.py)

MAX_RUNE = 0x10FFFF
RUNE_ERROR = 0xFFFD


def is_print(r: int) -> bool:
    """``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and ASCII space."""
    if r <= 0xFF:
        return 0x20 <= r <= 0x7E or (0xA1 <= r <= 0xFF and r != 0xAD)
    i = bisect_right(PRINT_LO, r) - 1
    return i >= 0 and r <= PRINT_HI[i]


def is_graphic(r: int) -> bool:
    """``strconv.IsGraphic``: IsPrint plus the Unicode space separators (Zs)."""
    if is_print(r):
        return True
    i = bisect_right(GRAPHIC_LO, r) - 1
    return i >= 0 and r <= GRAPHIC_HI[i]


def valid_rune(r: int) -> bool:
    """``utf8.ValidRune``."""
    return 0 <= r < 0xD800 or 0xDFFF < r <= MAX_RUNE


# ---------------------------------------------------------------------------------------------
# Quoting (strconv/quote.go)

_LOWERHEX = "0123456789abcdef"
_SIMPLE_ESC = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def _escaped_rune(r: int, quote: str, ascii_only: bool, graphic_only: bool) -> str:
    if r == ord(quote) or r == 0x5C:
        return "\\" + chr(r)
    if ascii_only:
        if r < 0x80 and is_print(r):
            return chr(r)
    elif is_print(r) or (graphic_only and is_graphic(r)):
        return chr(r)
    esc = _SIMPLE_ESC.get(r)
    if esc is not None:
        return esc
    if r < 0x20 or r == 0x7F:
        return f"\\x{r:02x}"
    if not valid_rune(r):
        r = RUNE_ERROR
    if r < 0x10000:
        return f"\\u{r:04x}"
    return f"\\U{r:08x}"


def _quote_with(s: str, quote: str, ascii_only: bool, graphic_only: bool) -> str:
    if s.isascii() and s.isprintable() and quote not in s and "\\" not in s:
        return quote + s + quote  # fast path: printable ASCII needs no escapes
    s = _canonical(s)
    out = [quote]
    for ch in s:
        r = ord(ch)
        if 0xD800 <= r <= 0xDFFF:  # a byte that is not valid UTF-8
            for b in to_go_bytes(ch):
                out.append(f"\\x{b:02x}")
            continue
        out.append(_escaped_rune(r, quote, ascii_only, graphic_only))
    out.append(quote)
    return "".join(out)


def quote(s: str) -> str:
    """``strconv.Quote``."""
    return _quote_with(s, '"', False, False)


def quote_to_ascii(s: str) -> str:
    """``strconv.QuoteToASCII``."""
    return _quote_with(s, '"', True, False)


def quote_to_graphic(s: str) -> str:
    """``strconv.QuoteToGraphic``."""
    return _quote_with(s, '"', False, True)


def _quote_rune_with(r: int, ascii_only: bool, graphic_only: bool) -> str:
    if not valid_rune(r):
        r = RUNE_ERROR
    return "'" + _escaped_rune(r, "'", ascii_only, graphic_only) + "'"


def quote_rune(r: int) -> str:
    """``strconv.QuoteRune`` (invalid runes quote as ``'�'``)."""
    return _quote_rune_with(r, False, False)


def quote_rune_to_ascii(r: int) -> str:
    """``strconv.QuoteRuneToASCII``."""
    return _quote_rune_with(r, True, False)


def quote_rune_to_graphic(r: int) -> str:
    """``strconv.QuoteRuneToGraphic``."""
    return _quote_rune_with(r, False, True)


def can_backquote(s: str) -> bool:
    """``strconv.CanBackquote``: whether ``s`` can be a raw string literal (used by ``%#q``)."""
    for ch in _canonical(s):
        r = ord(ch)
        if r >= 0x80:
            if r == 0xFEFF or 0xD800 <= r <= 0xDFFF:
                return False
            continue
        if (r < 0x20 and r != 9) or r in (0x60, 0x7F):
            return False
    return True


def _unhex(c: int) -> int:
    if 0x30 <= c <= 0x39:
        return c - 0x30
    if 0x61 <= c <= 0x66:
        return c - 0x61 + 10
    if 0x41 <= c <= 0x46:
        return c - 0x41 + 10
    return -1


def _unquote_char(s: bytes, i: int, quote: int) -> tuple[bytes, int]:
    """``strconv.UnquoteChar`` on ``s[i:]``: the bytes of the character and the next index."""
    c = s[i]
    if c == quote and quote in (0x27, 0x22):
        raise ValueError("invalid syntax")
    if c >= 0x80:
        # one UTF-8 sequence (or one invalid byte, which decodes to RuneError)
        n = _utf8_len(s, i)
        if n == 0:
            return "\ufffd".encode(), i + 1
        return s[i : i + n], i + n
    if c != 0x5C:
        return s[i : i + 1], i + 1
    if len(s) - i <= 1:
        raise ValueError("invalid syntax")
    c = s[i + 1]
    i += 2
    simple = {0x61: 7, 0x62: 8, 0x66: 12, 0x6E: 10, 0x72: 13, 0x74: 9, 0x76: 11, 0x5C: 0x5C}
    if c in simple:
        return bytes([simple[c]]), i
    if c in (0x78, 0x75, 0x55):  # x u U
        n = {0x78: 2, 0x75: 4, 0x55: 8}[c]
        if len(s) - i < n:
            raise ValueError("invalid syntax")
        v = 0
        for j in range(n):
            x = _unhex(s[i + j])
            if x < 0:
                raise ValueError("invalid syntax")
            v = v << 4 | x
        i += n
        if c == 0x78:
            return bytes([v]), i
        if not valid_rune(v):
            raise ValueError("invalid syntax")
        return chr(v).encode("utf-8"), i
    if 0x30 <= c <= 0x37:
        v = c - 0x30
        if len(s) - i < 2:
            raise ValueError("invalid syntax")
        for j in range(2):
            x = s[i + j] - 0x30
            if x < 0 or x > 7:
                raise ValueError("invalid syntax")
            v = (v << 3) | x
        i += 2
        if v > 255:
            raise ValueError("invalid syntax")
        return bytes([v]), i
    if c in (0x27, 0x22):
        if c != quote:
            raise ValueError("invalid syntax")
        return bytes([c]), i
    raise ValueError("invalid syntax")


def _utf8_len(s: bytes, i: int) -> int:
    """Length of the valid UTF-8 sequence at ``s[i]`` (a lead byte >= 0x80), or 0 if invalid."""
    for n in (2, 3, 4):
        try:
            s[i : i + n].decode("utf-8")
            return n
        except UnicodeDecodeError:
            continue
    return 0


def unquote(s: str) -> str:
    """``strconv.Unquote``: a Go string literal ("…", '…' or `…`); ``ValueError("invalid syntax")``."""
    b = to_go_bytes(s)
    n = len(b)
    if n < 2:
        raise ValueError("invalid syntax")
    q = b[0]
    end = b.find(bytes([q]), 1)
    if end < 0:
        raise ValueError("invalid syntax")
    end += 1
    if q == 0x60:  # raw string
        if end != n:
            raise ValueError("invalid syntax")
        return from_go_bytes(b[1 : end - 1].replace(b"\r", b""))
    if q not in (0x22, 0x27):
        raise ValueError("invalid syntax")
    inner = b[1 : end - 1]
    if b"\\" not in inner and b"\n" not in inner and end == n:
        if q == 0x22:
            try:
                inner.decode("utf-8")
                return from_go_bytes(inner)
            except UnicodeDecodeError:
                pass
        elif inner:
            k = 1 if inner[0] < 0x80 else _utf8_len(inner, 0)
            if k and k == len(inner):
                return from_go_bytes(inner)
    out = bytearray()
    i = 1
    while i < n and b[i] != q:
        if b[i] == 0x0A:
            raise ValueError("invalid syntax")
        ch, i = _unquote_char(b, i, q)
        out += ch
        if q == 0x27:
            break
    if not (i < n and b[i] == q):
        raise ValueError("invalid syntax")
    if i + 1 != n:
        raise ValueError("invalid syntax")
    return from_go_bytes(bytes(out))


# ---------------------------------------------------------------------------------------------
# Number parsing (internal/strconv atoi.go, atof.go, atob.go)

ERR_SYNTAX = "invalid syntax"
ERR_RANGE = "value out of range"
_MAX_UINT64 = (1 << 64) - 1


class StrconvError(GoError, ValueError):
    """``*strconv.NumError``: ``strconv.ParseInt: parsing "x": invalid syntax``.

    ``value`` is what Go returns alongside the error (the clamped value for range errors, else 0).
    """

    def __init__(self, func: str, num: str, err: str, value: int | float = 0) -> None:
        self.func = func
        self.num = num
        self.err = err
        self.value = value
        super().__init__(f"strconv.{func}: parsing {quote(num)}: {err}")


def _lower(c: str) -> str:
    return chr(ord(c) | 0x20) if len(c) == 1 and ord(c) < 0x80 else c


def _underscore_ok(s: str) -> bool:
    """Underscores only between digits, or between a base prefix and a digit."""
    saw = "^"
    i = 0
    if s[:1] in ("-", "+"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and _lower(s[1]) in ("b", "o", "x"):
        i = 2
        saw = "0"
        hexa = _lower(s[1]) == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and "a" <= _lower(c) <= "f"):
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


def _parse_uint(s: str, base: int, bitsize: int, fn: str, orig: str) -> int:
    if s == "":
        raise StrconvError(fn, orig, ERR_SYNTAX)
    base0 = base == 0
    s0 = s
    if 2 <= base <= 36:
        pass
    elif base == 0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and _lower(s[1]) == "b":
                base, s = 2, s[2:]
            elif len(s) >= 3 and _lower(s[1]) == "o":
                base, s = 8, s[2:]
            elif len(s) >= 3 and _lower(s[1]) == "x":
                base, s = 16, s[2:]
            else:
                base, s = 8, s[1:]
    else:
        raise StrconvError(fn, orig, f"invalid base {base}")
    if bitsize == 0:
        bitsize = 64
    elif bitsize < 0 or bitsize > 64:
        raise StrconvError(fn, orig, f"invalid bit size {bitsize}")
    cutoff = _MAX_UINT64 // base + 1
    max_val = (1 << bitsize) - 1
    underscores = False
    n = 0
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= _lower(c) <= "z":
            d = ord(_lower(c)) - 97 + 10
        else:
            raise StrconvError(fn, orig, ERR_SYNTAX)
        if d >= base:
            raise StrconvError(fn, orig, ERR_SYNTAX)
        if n >= cutoff:
            raise StrconvError(fn, orig, ERR_RANGE, max_val)
        n = n * base + d
        if n > max_val:
            raise StrconvError(fn, orig, ERR_RANGE, max_val)
    if underscores and not _underscore_ok(s0):
        raise StrconvError(fn, orig, ERR_SYNTAX)
    return n


def parse_uint(s: str, base: int = 10, bitsize: int = 64) -> int:
    """``strconv.ParseUint``; raises :class:`StrconvError`."""
    return _parse_uint(s, base, bitsize, "ParseUint", s)


def parse_int(s: str, base: int = 10, bitsize: int = 64) -> int:
    """``strconv.ParseInt`` (base 0: ``0x``/``0o``/``0b``/legacy ``0`` prefixes and ``_``)."""
    if s == "":
        raise StrconvError("ParseInt", s, ERR_SYNTAX)
    body = s
    neg = False
    if s[0] == "+":
        body = s[1:]
    elif s[0] == "-":
        body = s[1:]
        neg = True
    bits = 64 if bitsize == 0 else bitsize
    try:
        un = _parse_uint(body, base, bitsize, "ParseInt", s)
    except StrconvError as e:
        if e.err != ERR_RANGE:
            raise
        un = int(e.value)
    cutoff = 1 << (bits - 1)
    if not neg and un >= cutoff:
        raise StrconvError("ParseInt", s, ERR_RANGE, cutoff - 1)
    if neg and un > cutoff:
        raise StrconvError("ParseInt", s, ERR_RANGE, -cutoff)
    return -un if neg else un


def atoi(s: str) -> int:
    """``strconv.Atoi`` (errors name ``Atoi``)."""
    try:
        return parse_int(s, 10, 0)
    except StrconvError as e:
        raise StrconvError("Atoi", s, e.err, e.value) from None


def parse_bool(s: str) -> bool:
    """``strconv.ParseBool``."""
    if s in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if s in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise StrconvError("ParseBool", s, ERR_SYNTAX)


def format_bool(b: bool) -> str:
    return "true" if b else "false"


_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def format_int(n: int, base: int = 10) -> str:
    """``strconv.FormatInt`` / ``FormatUint`` (lower-case digits, base 2..36)."""
    if base == 10:
        return str(n)
    if base < 2 or base > 36:
        raise ValueError("strconv: illegal AppendInt/FormatInt base")
    if base == 16:
        return format(n, "x")
    if base == 2:
        return format(n, "b")
    if base == 8:
        return format(n, "o")
    neg = n < 0
    u = -n if neg else n
    out = []
    while u >= base:
        u, d = divmod(u, base)
        out.append(_DIGITS36[d])
    out.append(_DIGITS36[u])
    if neg:
        out.append("-")
    return "".join(reversed(out))


def itoa(n: int) -> str:
    """``strconv.Itoa``."""
    return str(n)


def _special(s: str) -> tuple[float, int] | None:
    """Go's ``special``: ``[+-]inf``, ``[+-]infinity`` (any case) and ``nan``; (value, length)."""
    if not s:
        return None
    sign = 1.0
    nsign = 0
    c = s[0]
    if c in "+-":
        if c == "-":
            sign = -1.0
        nsign = 1
        s = s[1:]
        c = "i"
    if c in "iI":
        n = _common_prefix_len_ignore_case(s, "infinity")
        if 3 < n < 8:
            n = 3
        if n in (3, 8):
            return math.inf * sign, nsign + n
    elif c in "nN":
        if _common_prefix_len_ignore_case(s, "nan") == 3:
            return math.nan, 3
    return None


def _common_prefix_len_ignore_case(s: str, prefix: str) -> int:
    n = min(len(prefix), len(s))
    for i in range(n):
        c = s[i]
        if "A" <= c <= "Z":
            c = chr(ord(c) + 32)
        if c != prefix[i]:
            return i
    return n


class _Float:
    """What ``readFloat`` found: the digits of a decimal or hex float literal."""

    __slots__ = ("digits", "exp", "hexa", "n", "neg")

    def __init__(self) -> None:
        self.neg = False
        self.hexa = False
        self.digits = ""  # mantissa digits (decimal or hex), '.' and '_' removed
        self.exp = 0  # value = int(digits, base) * base**(exp) for decimal; * 2**exp for hex
        self.n = 0  # bytes consumed


def _read_float(s: str) -> _Float | None:
    """Go's ``readFloat``: syntax of a float literal prefix; ``None`` if not one."""
    r = _Float()
    i = 0
    n = len(s)
    underscores = False
    if i >= n:
        return None
    if s[i] == "+":
        i += 1
    elif s[i] == "-":
        i += 1
        r.neg = True
    base = 10
    exp_char = "e"
    if i + 2 < n and s[i] == "0" and _lower(s[i + 1]) == "x":
        base = 16
        i += 2
        exp_char = "p"
        r.hexa = True
    sawdot = False
    sawdigits = False
    digits: list[str] = []
    frac_digits = 0
    while i < n:
        c = s[i]
        if c == "_":
            underscores = True
        elif c == ".":
            if sawdot:
                break
            sawdot = True
        elif "0" <= c <= "9" or (base == 16 and "a" <= _lower(c) <= "f"):
            sawdigits = True
            digits.append(c)
            if sawdot:
                frac_digits += 1
        else:
            break
        i += 1
    if not sawdigits:
        return None
    e = 0
    if i < n and _lower(s[i]) == exp_char:
        i += 1
        if i >= n:
            return None
        esign = 1
        if s[i] == "+":
            i += 1
        elif s[i] == "-":
            i += 1
            esign = -1
        if i >= n or not ("0" <= s[i] <= "9"):
            return None
        while i < n and ("0" <= s[i] <= "9" or s[i] == "_"):
            if s[i] == "_":
                underscores = True
            elif e < 10000:
                e = e * 10 + ord(s[i]) - 48
            i += 1
        e *= esign
    elif base == 16:
        return None
    if underscores and not _underscore_ok(s[:i]):
        return None
    r.digits = "".join(digits)
    r.exp = e - (4 * frac_digits if base == 16 else frac_digits)
    r.n = i
    return r


def _round_binary(num: int, den: int, mantbits: int, min_exp: int) -> tuple[int, int]:
    """Round num/den (> 0) to ``m * 2**q`` with ``m < 2**(mantbits+1)``, ties to even.

    ``min_exp`` is the smallest allowed ``q`` (denormals). Returns (m, q).
    """
    e = num.bit_length() - den.bit_length()  # 2**(e-1) < num/den < 2**(e+1)
    if (num << max(-e, 0)) >= (den << max(e, 0)):
        e += 1  # now 2**(e-1) <= num/den < 2**e
    q = max(e - (mantbits + 1), min_exp)
    if q >= 0:
        a, b = num, den << q
    else:
        a, b = num << -q, den
    m, rem = divmod(a, b)
    if rem * 2 > b or (rem * 2 == b and m & 1):
        m += 1
    return m, q


def _to_float32(frac: Fraction) -> tuple[float, bool]:
    """Round a non-negative exact value to float32; (value, overflowed)."""
    if frac == 0:
        return 0.0, False
    m, q = _round_binary(frac.numerator, frac.denominator, 23, -149)
    v = m * Fraction(2) ** q
    if v >= 2**128:
        return math.inf, True
    return float(v), False


def _to_float64(frac: Fraction) -> tuple[float, bool]:
    if frac == 0:
        return 0.0, False
    try:
        return frac.numerator / frac.denominator, False  # Python's int division rounds correctly
    except OverflowError:
        return math.inf, True


def parse_float(s: str, bitsize: int = 64) -> float:
    """``strconv.ParseFloat``: Go float literal syntax (``_``, hex ``0x1p-2``, ``inf``/``nan``).

    bitsize 32 rounds to float32 (returned as a Python float). Out of range → StrconvError with
    ``value`` ±Inf.
    """
    sp = _special(s)
    if sp is not None:
        if sp[1] != len(s):
            raise StrconvError("ParseFloat", s, ERR_SYNTAX)
        return sp[0]
    r = _read_float(s)
    if r is None or r.n != len(s):
        raise StrconvError("ParseFloat", s, ERR_SYNTAX)
    if r.hexa:
        mant = int(r.digits, 16)
        frac = Fraction(mant) * Fraction(2) ** r.exp if mant else Fraction(0)
    else:
        digits = r.digits.lstrip("0")
        if not digits:
            frac = Fraction(0)
        else:
            dp = len(digits) + r.exp  # decimal point position relative to the digits
            if dp > 310:
                frac = Fraction(10) ** 400  # Go: overflow
            elif dp < -330:
                frac = Fraction(0)  # Go: underflow to zero
            elif bitsize != 32:
                f = float(digits + "e" + str(r.exp))  # correctly rounded
                if math.isinf(f):
                    raise StrconvError("ParseFloat", s, ERR_RANGE, -f if r.neg else f)
                return -f if r.neg else f
            else:
                frac = Fraction(int(digits)) * Fraction(10) ** r.exp
    f, overflow = _to_float32(frac) if bitsize == 32 else _to_float64(frac)
    if r.neg:
        f = -f
    if overflow:
        raise StrconvError("ParseFloat", s, ERR_RANGE, f)
    return f

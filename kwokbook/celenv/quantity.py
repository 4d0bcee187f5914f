"""Kubernetes ``resource.Quantity`` (apimachinery v0.36.1) as KWOK's CEL ``Quantity`` sees it.

Ported from ``pkg/api/resource/{quantity,amount,math,scale_int,suffix}.go``: parsing (with the
cached original text Go keeps for some inputs), canonical ``String()``, ``Cmp``, ``Add``/``Sub``
(int64 fast path with overflow fallback to ``inf.Dec``), ``Neg``, ``MilliValue`` and
``AsApproximateFloat64``. The int64-vs-decimal representation is tracked because
``AsApproximateFloat64`` computes ``float64(mantissa) * 10^exp`` from whichever one Go holds.
KWOK's CEL wrapper (``pkg/utils/cel/quantity.go``) multiplies and divides through
``NewMilliQuantity`` with Go int64 wrap-around, reproduced here too.
"""

from __future__ import annotations

import math

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1

ERR_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

DECIMAL_EXPONENT, BINARY_SI, DECIMAL_SI = "DecimalExponent", "BinarySI", "DecimalSI"
_DEC_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIX = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {v: k for k, v in _DEC_SUFFIX.items()}
_BIN_BY_EXP = {v: k for k, v in _BIN_SUFFIX.items()}


class QuantityError(Exception):
    pass


def wrap64(v: int) -> int:
    """Go int64 arithmetic wrap-around."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def go_float_to_int64(f: float) -> int:
    """Go's ``int64(f)`` on amd64: truncation, 0x8000000000000000 when out of range or NaN."""
    if math.isnan(f) or math.isinf(f) or not -9.223372036854775808e18 <= f < 9.223372036854775808e18:
        return I64_MIN
    return int(f)


def _quo_trunc(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _rem_trunc(a: int, b: int) -> int:
    return a - b * _quo_trunc(a, b)


class Quantity:
    """value = ``v`` × 10^``e``; ``dec`` tells whether Go holds it as inf.Dec or int64Amount."""

    __slots__ = ("dec", "e", "fmt", "s", "v")

    def __init__(self, v: int, e: int, fmt: str, dec: bool = False, s: str = "") -> None:
        self.v = v
        self.e = e
        self.fmt = fmt
        self.dec = dec
        self.s = s

    def copy(self) -> Quantity:
        return Quantity(self.v, self.e, self.fmt, self.dec, self.s)

    # -- exact value helpers ----------------------------------------------------------------
    def _cmp_exact(self, other: Quantity) -> int:
        e = min(self.e, other.e)
        a = self.v * 10 ** (self.e - e)
        b = other.v * 10 ** (other.e - e)
        return (a > b) - (a < b)

    def is_zero(self) -> bool:
        return self.v == 0

    def cmp(self, y: Quantity) -> int:
        if not self.dec and not y.dec:
            return _i64_cmp(self.v, self.e, y.v, y.e)
        return self._cmp_exact(y)

    def _to_dec(self) -> None:
        self.dec = True  # int64Amount.AsDec keeps (value, scale) as (unscaled, -scale)

    def add(self, y: Quantity) -> None:
        self.s = ""
        if not self.dec and not y.dec:
            if self.v == 0:
                self.fmt = y.fmt
            r = _i64_add(self.v, self.e, y.v, y.e)
            if r is not None:
                self.v, self.e = r
                return
        elif self.is_zero():
            self.fmt = y.fmt
        self._to_dec()
        e = min(self.e, y.e)
        self.v = self.v * 10 ** (self.e - e) + y.v * 10 ** (y.e - e)
        self.e = e

    def sub(self, y: Quantity) -> None:
        self.s = ""
        if self.is_zero():
            self.fmt = y.fmt
        if not self.dec and not y.dec:
            r = _i64_add(self.v, self.e, -y.v, y.e) if y.v != I64_MIN else None
            if r is not None:
                self.v, self.e = r
                return
        self._to_dec()
        e = min(self.e, y.e)
        self.v = self.v * 10 ** (self.e - e) - y.v * 10 ** (y.e - e)
        self.e = e

    def neg(self) -> None:
        self.s = ""
        self.v = wrap64(-self.v) if not self.dec else -self.v

    def milli_value(self) -> int:
        """ScaledValue(Milli): ceil-away-from-zero to thousandths, int64 results as Go computes them."""
        if not self.dec:
            scale = -3
            if self.e < scale:
                return _negative_scale(self.v, scale - self.e)[0]
            r = _positive_scale(self.v, self.e - scale)
            return r if r is not None else 0
        dif = -self.e - 3  # scale - newScale with scale = -e, newScale = 3
        if dif == 0:
            return wrap64(self.v)
        if dif < 0:
            return wrap64(wrap64(self.v) * int(10.0 ** (-dif)))
        if self.v < I64_MAX and dif < 19:
            div = int(10.0**dif)
            u = wrap64(self.v)
            res = _quo_trunc(u, div)
            return res + 1 if _rem_trunc(u, div) != 0 else res
        div = 10**dif
        q = abs(self.v) // div
        q = q if self.v >= 0 else -q
        rem = self.v - q * div
        return wrap64(q) + 1 if rem != 0 else wrap64(q)

    def approx_float(self) -> float:
        base = float(self.v)
        if self.e == 0:
            return base
        return base * _pow10(self.e)

    # -- printing ---------------------------------------------------------------------------
    def string(self) -> str:
        if not self.s:
            self.s = self._canonical()
        return self.s

    def _canonical(self) -> str:
        if self.is_zero():
            return "0"
        fmt = self.fmt
        rounded: tuple[int, int] | None = None
        if fmt == BINARY_SI:
            if self._between_1024():
                fmt = DECIMAL_SI
            else:
                rounded, exact = self._as_scale0()
                if not exact:
                    fmt = DECIMAL_SI
        if fmt in (DECIMAL_EXPONENT, DECIMAL_SI):
            number, exponent = self._canonical_base10()
            if fmt == DECIMAL_EXPONENT:
                suf = "" if exponent == 0 else f"e{exponent}"
            else:
                suf = _DEC_BY_EXP.get(exponent, "")
            return number + suf
        assert rounded is not None
        value = rounded[0]
        times = 0
        neg = value < 0
        a = -value if neg else value
        while a >= 1024 and a % 1024 == 0:
            times += 1
            a //= 1024
        return str(-a if neg else a) + _BIN_BY_EXP.get(times * 10, "")

    def _between_1024(self) -> bool:
        lo = Quantity(-1024, 0, DECIMAL_SI)
        hi = Quantity(1024, 0, DECIMAL_SI)
        return self.cmp(lo) > 0 and self.cmp(hi) < 0

    def _as_scale0(self) -> tuple[tuple[int, int], bool]:
        if self.e >= 0:
            return (self.v * 10**self.e, 0), True
        div = 10 ** (-self.e)
        q, r = divmod(abs(self.v), div)
        if r:
            q += 1
        return ((q if self.v >= 0 else -q), 0), r == 0

    def _canonical_base10(self) -> tuple[str, int]:
        m, exp = self.v, self.e
        neg = m < 0
        a = -m if neg else m
        while a >= 10 and a % 10 == 0:
            a //= 10
            exp += 1
        while exp % 3 != 0:
            a *= 10
            exp -= 1
        return ("-" if neg else "") + str(a), exp


_POW10 = [float(f"1e{i}") for i in range(32)]
_POW10_POS32 = [float(f"1e{32 * i}") for i in range(10)]
_POW10_NEG32 = [float(f"1e-{32 * i}") for i in range(11)]


def _pow10(n: int) -> float:
    """Go's math.Pow10 (same table products, so the same rounding)."""
    if 0 <= n <= 308:
        return _POW10_POS32[n // 32] * _POW10[n % 32]
    if -323 <= n <= 0:
        return _POW10_NEG32[(-n) // 32] / _POW10[(-n) % 32]
    return math.inf if n > 0 else 0.0


def _i64_mul_ok(a: int, b: int) -> int | None:
    c = a * b
    return c if I64_MIN <= c <= I64_MAX else None


def _positive_scale(base: int, scale: int) -> int | None:
    c = base * 10**scale
    if base == I64_MIN and scale != 0:
        return None
    return c if I64_MIN <= c <= I64_MAX else None


def _negative_scale(base: int, scale: int) -> tuple[int, bool]:
    if scale == 0:
        return base, True
    value = base
    fraction = False
    for _ in range(scale):
        if not fraction and _rem_trunc(value, 10) != 0:
            fraction = True
        value = _quo_trunc(value, 10)
        if value == 0:
            if fraction:
                return (1 if base > 0 else -1), False
            return 0, True
    if fraction:
        value = value + 1 if base > 0 else value - 1
    return value, not fraction


def _i64_add(av: int, ae: int, bv: int, be: int) -> tuple[int, int] | None:
    if bv == 0:
        return av, ae
    if av == 0:
        return bv, be
    if ae == be:
        c = av + bv
        return (c, ae) if I64_MIN <= c <= I64_MAX else None
    if ae > be:
        c1 = _positive_scale(av, ae - be)
        if c1 is None:
            return None
        c = c1 + bv
        return (c, be) if I64_MIN <= c <= I64_MAX else None
    c1 = _positive_scale(bv, be - ae)
    if c1 is None:
        return None
    c = av + c1
    return (c, ae) if I64_MIN <= c <= I64_MAX else None


def _i64_cmp(av: int, ae: int, bv: int, be: int) -> int:
    e = min(ae, be)
    a = av * 10 ** (ae - e)
    b = bv * 10 ** (be - e)
    return (a > b) - (a < b)


def _parse_string(s: str) -> tuple[bool, str, str, str, str]:
    """parseQuantityString: (positive, value, num, denom, suffix); raises on format errors."""
    positive = True
    pos = 0
    end = len(s)
    if pos < end and s[0] in "-+":
        positive = s[0] != "-"
        pos += 1
    i = pos
    while True:
        if i >= end:
            return positive, "0", "0", "", ""
        if s[i] == "0":
            pos += 1
            i += 1
            continue
        break
    i = pos
    num = ""
    while True:
        if i >= end:
            return positive, s[0:end], s[pos:end], "", ""
        if s[i] in "0123456789":
            i += 1
            continue
        num = s[pos:i]
        pos = i
        break
    if not num:
        num = "0"
    denom = ""
    if pos < end and s[pos] == ".":
        pos += 1
        i = pos
        while True:
            if i >= end:
                return positive, s[0:end], num, s[pos:end], ""
            if s[i] in "0123456789":
                i += 1
                continue
            denom = s[pos:i]
            pos = i
            break
    value = s[0:pos]
    suffix_start = pos
    i = pos
    while True:
        if i >= end:
            return positive, value, num, denom, s[suffix_start:end]
        if s[i] not in "eEinumkKMGTP":
            pos = i
            break
        i += 1
    if pos < end and s[pos] in "-+":
        pos += 1
    i = pos
    while True:
        if i >= end:
            return positive, value, num, denom, s[suffix_start:end]
        if s[i] not in "0123456789":
            break
        i += 1
    raise QuantityError(ERR_FORMAT)


def _interpret(suf: str) -> tuple[int, int, str]:
    if suf in _DEC_SUFFIX:
        return 10, _DEC_SUFFIX[suf], DECIMAL_SI
    if suf in _BIN_SUFFIX:
        return 2, _BIN_SUFFIX[suf], BINARY_SI
    if len(suf) > 1 and suf[0] in "eE":
        body = suf[1:]
        try:
            from ..gotpl.gostrconv import StrconvError, parse_int

            try:
                parsed = parse_int(body, 10, 64)
            except StrconvError:
                raise QuantityError(ERR_SUFFIX) from None
        except ImportError:  # pragma: no cover
            parsed = int(body)
        # Go truncates to int32.
        parsed = ((parsed + (1 << 31)) % (1 << 32)) - (1 << 31)
        return 10, parsed, DECIMAL_EXPONENT
    raise QuantityError(ERR_SUFFIX)


def _parse_dec(value: str) -> tuple[int, int]:
    """inf.Dec SetString: (unscaled, scale)."""
    t = value
    neg = False
    if t[:1] in "+-":
        neg = t[0] == "-"
        t = t[1:]
    if t.count(".") > 1 or not t or t == ".":
        raise QuantityError(ERR_NUMERIC)
    ip, _, fp = t.partition(".")
    digits = ip + fp
    if not digits or not digits.isdigit() or not digits.isascii():
        raise QuantityError(ERR_NUMERIC)
    u = int(digits)
    return (-u if neg else u), len(fp)


def parse_quantity(s: str) -> Quantity:
    if not s:
        raise QuantityError(ERR_FORMAT)
    if s == "0":
        return Quantity(0, 0, DECIMAL_SI, s=s)
    positive, value, num, denom, suf = _parse_string(s)
    base, exponent, fmt = _interpret(suf)
    precision = 0
    scale = 0
    mantissa = 1
    if fmt in (DECIMAL_EXPONENT, DECIMAL_SI):
        scale = exponent
        precision = 18 - (len(num) + len(denom))
    elif exponent >= 0 and not denom:
        mantissa = wrap64(1 << exponent)
        precision = 15 - len(num) - int(_float32(_float32(_float32(float(exponent)) * 3) / 10)) - 1
    else:
        precision = -1
    if precision >= 0:
        scale -= len(denom)
        if scale >= -9:
            shifted = num + denom
            try:
                v = int(shifted, 10)
                if v > I64_MAX:
                    raise ValueError
            except ValueError:
                raise QuantityError(ERR_NUMERIC) from None
            result = _i64_mul_ok(v, mantissa) if not (v in (0, 1) or mantissa in (0, 1)) else v * mantissa
            if result is not None and I64_MIN not in (v, mantissa):
                if not positive:
                    result = -result
                if fmt == BINARY_SI:
                    if exponent % 10 == 0 and (v & 7) != 0:
                        return Quantity(result, scale, fmt, s=s)
                elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    return Quantity(result, scale, fmt, s=s)
                return Quantity(result, scale, fmt)
    unscaled, dscale = _parse_dec(value)
    if base == 10:
        dscale -= exponent
    else:
        unscaled *= 1 << exponent
    sign = -1 if unscaled < 0 else (1 if unscaled > 0 else 0)
    if sign == -1:
        unscaled = -unscaled
    if unscaled != 0 or not (I64_MIN <= unscaled <= I64_MAX):
        # Round to scale 9 (nanos), away from zero.
        if dscale <= 9:
            unscaled *= 10 ** (9 - dscale)
        else:
            q, r = divmod(unscaled, 10 ** (dscale - 9))
            unscaled = q + (1 if r else 0)
        dscale = 9
    if fmt == BINARY_SI and _dec_cmp(unscaled, dscale, I64_MAX, 0) > 0:
        unscaled, dscale = I64_MAX, 0
    if fmt == BINARY_SI and _dec_cmp(unscaled, dscale, 1, 0) < 0 and _dec_cmp(unscaled, dscale, 0, 0) > 0:
        fmt = DECIMAL_SI
    if sign == -1:
        unscaled = -unscaled
    return Quantity(unscaled, -dscale, fmt, dec=True)


def _dec_cmp(u1: int, s1: int, u2: int, s2: int) -> int:
    s = max(s1, s2)
    a = u1 * 10 ** (s - s1)
    b = u2 * 10 ** (s - s2)
    return (a > b) - (a < b)


def _float32(f: float) -> float:
    import struct

    return struct.unpack("f", struct.pack("f", f))[0]


def new_milli(v: int) -> Quantity:
    return Quantity(v, -3, DECIMAL_SI)

"""A port of ``github.com/spf13/cast`` v1.7.0, the converter behind sprig's numbers.

Sprig turns every ``interface{}`` argument of ``int``, ``add``, ``max``, ``addf``, ``round`` …
into a number with ``cast.ToInt64``/``ToInt``/``ToFloat64``, and those decide what a template
sees: a fractional ``json.Number`` is ``0`` for the int functions, ``"1.0"`` is ``1`` (zero
decimals are trimmed), ``"0x1F"`` is ``31`` and ``"017"`` is ``15`` (``strconv.ParseInt`` with
base 0), ``" 5"`` is ``0`` (no trimming), a ``time.Duration`` is ``0`` (cast's type switches
name exact types only). This module reproduces that decision table type by type over the value
model of :mod:`kwokbook.gotpl.values`.

Two forms per conversion, as in Go:

* ``to_int64_e(v) -> (value, err)``: ``err`` is ``None`` or a :class:`CastError` whose
  ``str()`` is Go's ``err.Error()``; ``value`` is what Go returns alongside (0 on errors).
* ``to_int64(v) -> value``: the error dropped, like ``cast.ToInt64``.

Results are plain Python values (``int`` already wrapped to the Go type's range, ``float``,
``str``, ``bool``); callers wrap them into ``Int64`` etc. when a Go type must be visible.
Float-to-integer conversions follow Go on amd64 (the oracle's platform): out-of-range and NaN
give ``math.MinInt64`` for int64 and ``math.MinInt32`` for the 32/16/8-bit targets before
wrapping.

Cast is built on Go-exact ``strconv`` parsing (:mod:`kwokbook.gotpl.gostrconv`, re-exported here
as ``parse_int`` … in Go's ``(value, err)`` form); Python's ``int()`` and ``float()`` accept
whitespace and reject ``017``/``0x1p4``, so they cannot stand in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar

from . import gostrconv as _sc
from .values import (
    MISSING,
    T_SLICE_BYTE,
    T_SLICE_STRING,
    GoError,
    GoSlice,
    GoStruct,
    type_of,
)

__all__ = [
    "ERR_RANGE",
    "ERR_SYNTAX",
    "CastError",
    "atoi",
    "go_fields",
    "parse_bool",
    "parse_float",
    "parse_int",
    "parse_uint",
    "to_bool",
    "to_bool_e",
    "to_bool_slice",
    "to_bool_slice_e",
    "to_float32",
    "to_float32_e",
    "to_float64",
    "to_float64_e",
    "to_int",
    "to_int8",
    "to_int8_e",
    "to_int16",
    "to_int16_e",
    "to_int32",
    "to_int32_e",
    "to_int64",
    "to_int64_e",
    "to_int_e",
    "to_int_slice",
    "to_int_slice_e",
    "to_slice",
    "to_slice_e",
    "to_string",
    "to_string_e",
    "to_string_slice",
    "to_string_slice_e",
    "to_uint",
    "to_uint8",
    "to_uint8_e",
    "to_uint16",
    "to_uint16_e",
    "to_uint32",
    "to_uint32_e",
    "to_uint64",
    "to_uint64_e",
    "to_uint_e",
    "trim_zero_decimal",
]


class CastError(GoError):
    """An error a cast ``…E`` function returns; ``str()`` is Go's message."""


# =============================================================================================
# strconv parsing: kwokbook.gotpl.gostrconv's, in the (value, error) form cast's code reads like Go

_T = TypeVar("_T")
ERR_SYNTAX = _sc.ERR_SYNTAX
ERR_RANGE = _sc.ERR_RANGE

_MASK64 = (1 << 64) - 1


def _go_result(fn: Callable[[], _T], zero: _T) -> tuple[_T, str | None]:
    """Go's ``(value, err)``: on error the value Go returns with it (clamped for range errors)."""
    try:
        return fn(), None
    except _sc.StrconvError as e:
        return (e.value if e.err == ERR_RANGE else zero), e.err  # type: ignore[return-value]


def parse_uint(s: str, base: int, bit_size: int) -> tuple[int, str | None]:
    """``strconv.ParseUint``: a range error returns the largest value, a syntax error 0."""
    return _go_result(lambda: _sc.parse_uint(s, base, bit_size), 0)


def parse_int(s: str, base: int = 0, bit_size: int = 64) -> tuple[int, str | None]:
    """``strconv.ParseInt``: like :func:`parse_uint` plus a sign; range errors clamp."""
    return _go_result(lambda: _sc.parse_int(s, base, bit_size), 0)


def atoi(s: str) -> tuple[int, str | None]:
    """``strconv.Atoi``: base 10, no underscores; out of range gives the clamped value."""
    return parse_int(s, 10, 64)


def parse_bool(s: str) -> tuple[bool, str | None]:
    """``strconv.ParseBool``."""
    return _go_result(lambda: _sc.parse_bool(s), False)


def parse_float(s: str, bit_size: int = 64) -> tuple[float, str | None]:
    """``strconv.ParseFloat``: overflow gives ``±Inf`` with ``ERR_RANGE``; syntax errors give ``0``."""
    return _go_result(lambda: _sc.parse_float(s, bit_size), 0.0)


# =============================================================================================
# helpers shared by the conversions

_TO_INT = frozenset({"int", "time.Weekday", "time.Month"})  # cast's toInt: int and its aliases
_SIGNED = frozenset({"int64", "int32", "int16", "int8"})
_UNSIGNED = frozenset({"uint", "uint64", "uint32", "uint16", "uint8"})
_FLOATS = frozenset({"float64", "float32"})


def _tname(v: Any) -> str | None:
    """The Go dynamic type name of ``v`` (``None`` for nil); ``"?"`` for foreign values."""
    if v is None or v is MISSING:
        return None
    try:
        t = type_of(v)
    except TypeError:
        return "?"
    return None if t is None else t.name


def trim_zero_decimal(s: str) -> str:
    """cast's ``trimZeroDecimal``: ``"1.00"`` → ``"1"``; anything else unchanged."""
    found_zero = False
    for i in range(len(s), 0, -1):
        c = s[i - 1]
        if c == ".":
            if found_zero:
                return s[: i - 1]
        elif c == "0":
            found_zero = True
        else:
            return s
    return s


def _wrap(n: int, bits: int, signed: bool) -> int:
    n &= (1 << bits) - 1
    if signed and n >= 1 << (bits - 1):
        n -= 1 << bits
    return n


def _cvt64(f: float) -> int:
    """amd64 CVTTSD2SQ: truncation; NaN and out-of-range give MinInt64."""
    if math.isnan(f) or math.isinf(f):
        return -(1 << 63)
    t = int(f)
    return t if -(1 << 63) <= t < (1 << 63) else -(1 << 63)


def _cvt32(f: float) -> int:
    """amd64 CVTTSD2SL: truncation; NaN and out-of-range give MinInt32."""
    if math.isnan(f) or math.isinf(f):
        return -(1 << 31)
    t = int(f)
    return t if -(1 << 31) <= t < (1 << 31) else -(1 << 31)


def _float_to_int(f: float, bits: int, signed: bool) -> int:
    """Go's ``T(f)`` for a float ``f`` and integer type T, as compiled for amd64."""
    if signed:
        if bits == 64:
            return _cvt64(f)
        if bits == 32:
            return _cvt32(f)
        return _wrap(_cvt32(f), bits, True)
    if bits == 64:
        if f < 2.0**63:
            return _cvt64(f) & _MASK64
        return (_cvt64(f - 2.0**63) | (1 << 63)) & _MASK64
    if bits == 32:
        return _cvt64(f) & 0xFFFFFFFF
    return _cvt32(f) & ((1 << bits) - 1)


def _sharp_v(v: Any) -> str:
    """``%#v`` for cast's error messages (Go fmt when available)."""
    try:
        from .gofmt import sprintf

        return str(sprintf("%#v", v))
    except Exception:  # gofmt missing or incomplete: a close approximation (messages only)
        return _sharp_v_fallback(v)


def _sharp_v_fallback(v: Any) -> str:
    if v is None or v is MISSING:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _go_quote(v)
    tn = _tname(v)
    if isinstance(v, int):
        if tn in _UNSIGNED or tn == "uintptr":
            return hex(int(v))
        return str(int(v))
    if isinstance(v, float):
        from .gostrconv import format_float

        return format_float(v, "g", -1, 32 if tn == "float32" else 64)
    return repr(v)


def _quote(s: str) -> str:
    """``strconv.Quote`` (via Go fmt's ``%q`` when available)."""
    try:
        from .gofmt import sprintf

        return str(sprintf("%q", s))
    except Exception:
        return _go_quote(s)


def _go_quote(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _type_str(v: Any) -> str:
    tn = _tname(v)
    if tn is None:
        return "<nil>"
    return tn if tn != "?" else type(v).__name__


def _unable(v: Any, target: str) -> CastError:
    return CastError(f"unable to cast {_sharp_v(v)} of type {_type_str(v)} to {target}")


_NEGATIVE = "unable to cast negative value"


# =============================================================================================
# integers


def _to_integer_e(i: Any, bits: int, signed: bool, name: str, str_name: str) -> tuple[int, CastError | None]:
    """The shared body of cast's ``To{Int,Int64,…,Uint8}E``.

    ``name`` goes into the default error, ``str_name`` into the string-parse error (ToIntE
    says ``int64`` there: a copy-paste in cast that is part of its observable behaviour).
    """
    tn = _tname(i)
    unsigned_target = not signed
    if tn in _TO_INT:
        n = int(i)
        if unsigned_target and n < 0:
            return 0, CastError(_NEGATIVE)
        return _wrap(n, bits, signed), None
    if tn == "string":
        v, err = parse_int(trim_zero_decimal(str(i)), 0, 64)
        if err is None:
            if unsigned_target and v < 0:
                return 0, CastError(_NEGATIVE)
            return _wrap(v, bits, signed), None
        return 0, _unable(i, str_name)
    if tn == "json.Number":
        return _to_integer_e(str.__str__(i), bits, signed, name, str_name)
    if tn in _SIGNED:
        n = int(i)
        if unsigned_target and n < 0:
            return 0, CastError(_NEGATIVE)
        return _wrap(n, bits, signed), None
    if tn in _UNSIGNED:
        return _wrap(int(i), bits, signed), None
    if tn in _FLOATS:
        f = float(i)
        if unsigned_target and f < 0:
            return 0, CastError(_NEGATIVE)
        return _float_to_int(f, bits, signed), None
    if tn == "bool":
        return (1 if i else 0), None
    if tn is None:
        return 0, None
    return 0, _unable(i, name)


def to_int64_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToInt64E``."""
    return _to_integer_e(i, 64, True, "int64", "int64")


def to_int_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToIntE`` (Go ``int`` is 64-bit here)."""
    return _to_integer_e(i, 64, True, "int", "int64")


def to_int32_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToInt32E``."""
    return _to_integer_e(i, 32, True, "int32", "int32")


def to_int16_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToInt16E``."""
    return _to_integer_e(i, 16, True, "int16", "int16")


def to_int8_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToInt8E``."""
    return _to_integer_e(i, 8, True, "int8", "int8")


def to_uint_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToUintE``: negative inputs are an error."""
    return _to_integer_e(i, 64, False, "uint", "uint")


def to_uint64_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToUint64E``."""
    return _to_integer_e(i, 64, False, "uint64", "uint64")


def to_uint32_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToUint32E``."""
    return _to_integer_e(i, 32, False, "uint32", "uint32")


def to_uint16_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToUint16E``."""
    return _to_integer_e(i, 16, False, "uint16", "uint16")


def to_uint8_e(i: Any) -> tuple[int, CastError | None]:
    """``cast.ToUint8E``."""
    return _to_integer_e(i, 8, False, "uint8", "uint8")


def to_int64(i: Any) -> int:
    """``cast.ToInt64``: sprig's ``int64``, ``add``, ``max`` … (errors give 0)."""
    return to_int64_e(i)[0]


def to_int(i: Any) -> int:
    """``cast.ToInt``: sprig's ``int``."""
    return to_int_e(i)[0]


def to_int32(i: Any) -> int:
    return to_int32_e(i)[0]


def to_int16(i: Any) -> int:
    return to_int16_e(i)[0]


def to_int8(i: Any) -> int:
    return to_int8_e(i)[0]


def to_uint(i: Any) -> int:
    return to_uint_e(i)[0]


def to_uint64(i: Any) -> int:
    return to_uint64_e(i)[0]


def to_uint32(i: Any) -> int:
    return to_uint32_e(i)[0]


def to_uint16(i: Any) -> int:
    return to_uint16_e(i)[0]


def to_uint8(i: Any) -> int:
    return to_uint8_e(i)[0]


# =============================================================================================
# floats


def _float64_method(i: Any) -> Callable[[], Any] | None:
    """A ``Float64()`` method of a struct value (cast's float64Provider interfaces)."""
    if isinstance(i, GoStruct):
        m = i.go_methods.get("Float64")
        if m is not None and not m.sig.params:
            return lambda: m.fn(i)
    return None


def to_float64_e(i: Any) -> tuple[float, CastError | None]:
    """``cast.ToFloat64E``: sprig's ``float64``, ``addf``, ``maxf``, ``round`` …

    A json.Number goes through its ``Float64()`` method (``strconv.ParseFloat``), so
    ``"1.5"`` is 1.5 here although the int conversions give 0 for it.
    """
    tn = _tname(i)
    if tn in _TO_INT or tn in _SIGNED or tn in _UNSIGNED:
        return float(int(i)), None
    if tn in _FLOATS:
        return float(i), None
    if tn == "string":
        v, err = parse_float(str(i), 64)
        if err is None:
            return v, None
        return 0.0, _unable(i, "float64")
    if tn == "json.Number":
        v, err = parse_float(str.__str__(i), 64)
        if err is None:
            return v, None
        return 0.0, _unable(i, "float64")
    if tn == "bool":
        return (1.0 if i else 0.0), None
    if tn is None:
        return 0.0, None
    meth = _float64_method(i)
    if meth is not None:
        try:
            return float(meth()), None
        except GoError:
            return 0.0, _unable(i, "float64")
    return 0.0, _unable(i, "float64")


def to_float64(i: Any) -> float:
    """``cast.ToFloat64``."""
    return to_float64_e(i)[0]


def _f32(x: float | int) -> float:
    """Go's ``float32(x)`` for a float64 or integer ``x`` (one correct rounding)."""
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return x
    exact = Fraction(x)
    v, _ = _sc._to_float32(abs(exact))
    if exact < 0 or (isinstance(x, float) and math.copysign(1.0, x) < 0):
        return -v
    return v


def to_float32_e(i: Any) -> tuple[float, CastError | None]:
    """``cast.ToFloat32E``; the value is a Python float holding the float32 result."""
    tn = _tname(i)
    if tn in _TO_INT or tn in _SIGNED or tn in _UNSIGNED:
        return _f32(int(i)), None
    if tn in _FLOATS:
        return _f32(float(i)), None
    if tn == "string":
        v, err = parse_float(str(i), 32)
        if err is None:
            return v, None
        return 0.0, _unable(i, "float32")
    if tn == "json.Number":
        v, err = parse_float(str.__str__(i), 64)  # Number.Float64, then float32()
        if err is None:
            return _f32(v), None
        return 0.0, _unable(i, "float32")
    if tn == "bool":
        return (1.0 if i else 0.0), None
    if tn is None:
        return 0.0, None
    meth = _float64_method(i)
    if meth is not None:
        try:
            return _f32(float(meth())), None
        except GoError:
            return 0.0, _unable(i, "float32")
    return 0.0, _unable(i, "float32")


def to_float32(i: Any) -> float:
    return to_float32_e(i)[0]


# =============================================================================================
# bool


def to_bool_e(i: Any) -> tuple[bool, CastError | None]:
    """``cast.ToBoolE``: numbers are ``!= 0``, strings go through ``strconv.ParseBool``.

    ``time.Month``/``time.Weekday`` are not in ToBoolE's switch (an error), a json.Number must
    parse as an integer.
    """
    tn = _tname(i)
    if tn == "bool":
        return bool(i), None
    if tn is None:
        return False, None
    if tn in ("int", "time.Duration") or tn in _SIGNED or tn in _UNSIGNED:
        return int(i) != 0, None
    if tn in _FLOATS:
        return float(i) != 0, None
    if tn == "string":
        b, err = parse_bool(str(i))
        if err is None:
            return b, None
        return False, CastError(f"strconv.ParseBool: parsing {_quote(str(i))}: invalid syntax")
    if tn == "json.Number":
        v, err2 = to_int64_e(i)
        if err2 is None:
            return v != 0, None
        return False, _unable(i, "bool")
    return False, _unable(i, "bool")


def to_bool(i: Any) -> bool:
    return to_bool_e(i)[0]


# =============================================================================================
# string


def _bytes_to_str(b: list[int]) -> str:
    """A Go ``string([]byte)``; invalid UTF-8 bytes are kept as surrogate escapes."""
    return bytes(int(x) & 0xFF for x in b).decode("utf-8", "surrogateescape")


def to_string_e(i: Any) -> tuple[str, CastError | None]:
    """``cast.ToStringE``: floats print with ``FormatFloat(f, 'f', -1, …)`` (never ``1e+06``),
    ``fmt.Stringer`` values (``time.Duration``, ``time.Month``, ``time.Time`` …) use ``String()``.
    """
    from .gostrconv import format_float

    tn = _tname(i)
    if tn == "string":
        return str(i), None
    if tn == "bool":
        return ("true" if i else "false"), None
    if tn == "float64":
        return format_float(float(i), "f", -1, 64), None
    if tn == "float32":
        return format_float(float(i), "f", -1, 32), None
    if tn == "int" or tn in _SIGNED or tn in _UNSIGNED:
        return str(int(i)), None
    if tn == "json.Number":
        return str.__str__(i), None
    if tn == T_SLICE_BYTE.name and isinstance(i, list):
        return _bytes_to_str(i), None
    if tn is None:
        return "", None
    if isinstance(i, GoStruct):
        s = i.go_string()
        if s is not None:
            return s, None
        m = i.go_methods.get("Error")
        if m is not None and not m.sig.params:
            return str(m.fn(i)), None
    elif tn in ("time.Duration", "time.Month", "time.Weekday"):
        return str(i), None  # their __str__ is Go's String()
    return "", _unable(i, "string")


def to_string(i: Any) -> str:
    """``cast.ToString``."""
    return to_string_e(i)[0]


# =============================================================================================
# slices

_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def go_fields(s: str) -> list[str]:
    """``strings.Fields``: split on Go's ``unicode.IsSpace`` (Python's set is larger)."""
    out: list[str] = []
    cur: list[str] = []
    for ch in s:
        if ch in _GO_SPACE:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def _nil_strings() -> GoSlice:
    return GoSlice((), T_SLICE_STRING, is_nil=True)


def to_string_slice_e(i: Any) -> tuple[GoSlice, CastError | None]:
    """``cast.ToStringSliceE``: a string splits on whitespace, a scalar becomes ``[s]``.

    The result is a ``[]string`` (nil when Go's result is nil, e.g. for ``[]interface {}{}``).
    """
    tn = _tname(i)
    if tn in ("[]interface {}", "[]int8", "[]int", "[]int32", "[]int64", "[]float32", "[]float64"):
        items = [to_string(u) for u in i]
        return GoSlice(items, T_SLICE_STRING, is_nil=not items), None
    if tn == "[]string":
        if isinstance(i, GoSlice):
            return i, None
        return GoSlice(i, T_SLICE_STRING), None
    if tn == "string":
        return GoSlice(go_fields(str(i)), T_SLICE_STRING), None  # Fields never returns nil
    if tn is None:
        return _nil_strings(), _unable(i, "[]string")
    s, err = to_string_e(i)
    if err is not None:
        return _nil_strings(), _unable(i, "[]string")
    return GoSlice([s], T_SLICE_STRING), None


def to_string_slice(i: Any) -> GoSlice:
    return to_string_slice_e(i)[0]


def to_slice_e(i: Any) -> tuple[list[Any], CastError | None]:
    """``cast.ToSliceE``: only ``[]interface {}`` and ``[]map[string]interface {}`` convert.

    Returns a plain list (``[]interface {}``); Go's result is nil when the input is empty.
    """
    tn = _tname(i)
    if tn in ("[]interface {}", "[]map[string]interface {}"):
        return list(i), None
    return [], _unable(i, "[]interface{}")


def to_slice(i: Any) -> list[Any]:
    return to_slice_e(i)[0]


def _convert_each(i: Any, conv: Callable[[Any], tuple[Any, CastError | None]], target: str,
                  exact: str) -> tuple[list[Any], CastError | None]:
    if i is None or i is MISSING:
        return [], _unable(i, target)
    if _tname(i) == exact:
        return list(i), None
    if isinstance(i, list):
        out = []
        for e in i:
            val, err = conv(e)
            if err is not None:
                return [], _unable(i, target)
            out.append(val)
        return out, None
    return [], _unable(i, target)


def to_int_slice_e(i: Any) -> tuple[list[int], CastError | None]:
    """``cast.ToIntSliceE``: every element through ``ToIntE``; one failure fails all."""
    return _convert_each(i, to_int_e, "[]int", "[]int")


def to_int_slice(i: Any) -> list[int]:
    return to_int_slice_e(i)[0]


def to_bool_slice_e(i: Any) -> tuple[list[bool], CastError | None]:
    """``cast.ToBoolSliceE``."""
    return _convert_each(i, to_bool_e, "[]bool", "[]bool")


def to_bool_slice(i: Any) -> list[bool]:
    return to_bool_slice_e(i)[0]


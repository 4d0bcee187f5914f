"""Sprig's "conversion and numbers" group (``numeric.go`` and the arithmetic in ``functions.go``).

Every ``interface {}`` operand goes through :mod:`kwokbook.gotpl.cast`, so a data number
(``json.Number``) works when its text is an integer and silently becomes ``0`` when it is
fractional (``add .f 1`` with ``f: 1.5`` is ``1``); the ``…f`` functions use ``ToFloat64``
and shopspring decimal arithmetic (:mod:`kwokbook.gotpl.godecimal`). Integer results are Go
``int64`` and wrap on overflow; ``div``/``mod`` by zero panic like Go does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..cast import atoi, parse_int, to_float64, to_int, to_int64
from ..env import Env
from ..godecimal import Decimal
from ..values import T_SLICE_INT, GoError, GoSlice, gofunc, wrap_int64
from ._registry import FUNCS

# ---------------------------------------------------------------------------------------------
# Go math, as compiled for amd64

MAX_RANGE_LEN = 1 << 22
"""Longest list ``until``/``untilStep``/``seq`` build (a kwokbook limit, reported as an error).

Go has none: a step that wraps around int64 loops until the process runs out of memory."""


def go_trunc(x: float) -> float:
    """``math.Trunc`` (keeps the sign of zero, passes NaN/±Inf through)."""
    if math.isnan(x) or math.isinf(x) or x == 0:
        return x
    return math.copysign(float(math.trunc(x)), x)


def go_floor(x: float) -> float:
    """``math.Floor``: a float result; ``Floor(-0.0)`` is ``-0``."""
    if math.isnan(x) or math.isinf(x) or x == 0:
        return x
    return math.copysign(float(math.floor(x)), x)


def go_ceil(x: float) -> float:
    """``math.Ceil``: ``Ceil(-0.5)`` is ``-0`` (Go prints ``-0``)."""
    if math.isnan(x) or math.isinf(x) or x == 0:
        return x
    return math.copysign(float(math.ceil(x)), x)


def go_modf(f: float) -> tuple[float, float]:
    """``math.Modf``: ``Trunc(f), Copysign(f-Trunc(f), f)``; ``Modf(±Inf)`` is ``±Inf, NaN``."""
    i = go_trunc(f)
    return i, math.copysign(f - i, f)


def go_max(x: float, y: float) -> float:
    """``math.Max``: +Inf beats NaN, NaN beats numbers, ``Max(-0, +0)`` is ``+0``."""
    if math.inf in (x, y):
        return math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and x == y:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def go_min(x: float, y: float) -> float:
    """``math.Min``: -Inf beats NaN, NaN beats numbers, ``Min(-0, +0)`` is ``-0``."""
    if -math.inf in (x, y):
        return -math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and x == y:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def _ldexp(frac: float, exp: int) -> float:
    try:
        return math.ldexp(frac, exp)
    except OverflowError:
        return math.copysign(math.inf, frac)


def _is_odd_int(x: float) -> bool:
    if abs(x) >= 1 << 53:
        return False
    xi, xf = go_modf(x)
    return xf == 0 and int(xi) & 1 == 1


def go_pow(x: float, y: float) -> float:
    """``math.Pow`` (pure Go on amd64): integral powers by repeated squaring with a separate
    binary exponent, which is not always what C's ``pow`` rounds to (``round`` divides by it).
    """
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0:
        if y < 0:
            if math.copysign(1.0, x) < 0 and _is_odd_int(y):
                return -math.inf
            return math.inf
        if math.copysign(1.0, x) < 0 and _is_odd_int(y):
            return x
        return 0.0
    if math.isinf(y):
        if x == -1:
            return 1.0
        if (abs(x) < 1) == (y > 0):
            return 0.0
        return math.inf
    if math.isinf(x):
        if x < 0:
            return go_pow(1 / x, -y)
        return 0.0 if y < 0 else math.inf
    if y == 0.5:
        return math.sqrt(x) if x >= 0 else math.nan
    if y == -0.5:
        return 1 / math.sqrt(x) if x > 0 else (math.inf if x == 0 else math.nan)

    yi, yf = go_modf(abs(y))
    if yf != 0 and x < 0:
        return math.nan
    if yi >= 2.0**63:
        if x == -1:
            return 1.0
        if (abs(x) < 1) == (y > 0):
            return 0.0
        return math.inf

    a1 = 1.0
    ae = 0
    if yf != 0:
        if yf > 0.5:
            yf -= 1
            yi += 1
        a1 = math.exp(yf * math.log(x))  # TODO(gomath): Go's own Exp/Log; only integral y is exact

    x1, xe = math.frexp(x)
    i = int(yi)
    while i != 0:
        if xe < -(1 << 12) or xe > (1 << 12):
            ae += xe
            break
        if i & 1 == 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1

    if y < 0:
        a1 = 1 / a1
        ae = -ae
    return _ldexp(a1, ae)


# ---------------------------------------------------------------------------------------------
# Conversions


def _int64_list(values: list[int]) -> GoSlice:
    return GoSlice(values, T_SLICE_INT)


def _atoi(a: str) -> int:
    """``strconv.Atoi`` with the error dropped (out of range gives the clamped value)."""
    return atoi(a)[0]


def _to_decimal(v: Any) -> int:
    """Reads ``fmt.Sprint(v)`` as an octal number (``toDecimal "0777"`` is 511); errors give 0."""
    from ..gofmt import sprint

    n, err = parse_int(sprint(v), 8, 64)
    return 0 if err is not None else n


def until_step(start: int, stop: int, step: int) -> list[int]:
    """Sprig's ``untilStep``: Go's loop with int wrap-around, and no list for a wrong-way step."""
    out: list[int] = []
    if stop < start:
        if step >= 0:
            return out
        i = start
        while i > stop:
            out.append(i)
            if len(out) > MAX_RANGE_LEN:
                raise GoError(f"kwokbook: untilStep would build more than {MAX_RANGE_LEN} elements")
            i = wrap_int64(i + step)
        return out
    if step <= 0:
        return out
    i = start
    while i < stop:
        out.append(i)
        if len(out) > MAX_RANGE_LEN:
            raise GoError(f"kwokbook: untilStep would build more than {MAX_RANGE_LEN} elements")
        i = wrap_int64(i + step)
    return out


def _until(count: int) -> GoSlice:
    return _int64_list(until_step(0, count, -1 if count < 0 else 1))


def _until_step(start: int, stop: int, step: int) -> GoSlice:
    return _int64_list(until_step(start, stop, step))


def _seq(*params: int) -> str:
    """Sprig's ``seq``: 1 arg = 1..end, 2 = start..end, 3 = start step end; space-separated."""
    n = len(params)
    if n == 1:
        start, end = 1, params[0]
        inc = -1 if end < start else 1
        vals = until_step(start, wrap_int64(end + inc), inc)
    elif n == 2:
        start, end = params
        step = -1 if end < start else 1
        vals = until_step(start, wrap_int64(end + step), step)
    elif n == 3:
        start, step, end = params
        inc = 1
        if end < start:
            inc = -1
            if step > 0:
                return ""
        vals = until_step(start, wrap_int64(end + inc), step)
    else:
        return ""
    return " ".join(str(v) for v in vals)


# ---------------------------------------------------------------------------------------------
# Integer arithmetic (int64, wrapping)


def _add1(i: Any) -> int:
    return wrap_int64(to_int64(i) + 1)


def _add(*i: Any) -> int:
    a = 0
    for b in i:
        a = wrap_int64(a + to_int64(b))
    return a


def _sub(a: Any, b: Any) -> int:
    return wrap_int64(to_int64(a) - to_int64(b))


def go_div(a: int, b: int) -> int:
    """Go's int64 ``/``: truncates toward zero; ``MinInt64 / -1`` wraps; ``/ 0`` panics."""
    if b == 0:
        raise GoError("runtime error: integer divide by zero")
    q = abs(a) // abs(b)
    return wrap_int64(q if (a < 0) == (b < 0) else -q)


def go_mod(a: int, b: int) -> int:
    """Go's int64 ``%``: the sign of the dividend; ``% 0`` panics."""
    if b == 0:
        raise GoError("runtime error: integer divide by zero")
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _div(a: Any, b: Any) -> int:
    return go_div(to_int64(a), to_int64(b))


def _mod(a: Any, b: Any) -> int:
    return go_mod(to_int64(a), to_int64(b))


def _mul(a: Any, *v: Any) -> int:
    val = to_int64(a)
    for b in v:
        val = wrap_int64(val * to_int64(b))
    return val


def _rand_int(env: Env, lo: int, hi: int) -> int:
    """``rand.Intn(max-min) + min`` from the render's seeded generator."""
    n = wrap_int64(hi - lo)
    if n <= 0:
        raise GoError("invalid argument to Intn")
    return wrap_int64(env.rng.randrange(n) + lo)


def _max(a: Any, *i: Any) -> int:
    aa = to_int64(a)
    for b in i:
        aa = max(aa, to_int64(b))
    return aa


def _min(a: Any, *i: Any) -> int:
    aa = to_int64(a)
    for b in i:
        aa = min(aa, to_int64(b))
    return aa


# ---------------------------------------------------------------------------------------------
# Float arithmetic (shopspring decimal)


def exec_decimal_op(a: Any, b: tuple[Any, ...], f: Callable[[Decimal, Decimal], Decimal]) -> float:
    """Sprig's ``execDecimalOp``: cast to float64, to decimal, fold with ``f``, back to float64."""
    prt = Decimal.from_float(to_float64(a))
    for x in b:
        prt = f(prt, Decimal.from_float(to_float64(x)))
    return prt.float64()[0]


def _add1f(i: Any) -> float:
    return exec_decimal_op(i, (1,), Decimal.add)


def _addf(*i: Any) -> float:
    return exec_decimal_op(0.0, i, Decimal.add)


def _subf(a: Any, *v: Any) -> float:
    return exec_decimal_op(a, v, Decimal.sub)


def _divf(a: Any, *v: Any) -> float:
    return exec_decimal_op(a, v, Decimal.div)


def _mulf(a: Any, *v: Any) -> float:
    return exec_decimal_op(a, v, Decimal.mul)


def _maxf(a: Any, *i: Any) -> float:
    aa = to_float64(a)
    for b in i:
        aa = go_max(aa, to_float64(b))
    return aa


def _minf(a: Any, *i: Any) -> float:
    aa = to_float64(a)
    for b in i:
        aa = go_min(aa, to_float64(b))
    return aa


def _ceil(a: Any) -> float:
    return go_ceil(to_float64(a))


def _floor(a: Any) -> float:
    return go_floor(to_float64(a))


def go_round(val: float, places: int, round_on: float = 0.5) -> float:
    """Sprig's ``round``: scale by ``math.Pow(10, p)``, compare the fraction with ``roundOn``.

    The fraction of a negative number is negative, so negatives always go down: sprig's
    ``round -1.2 0`` is ``-2``.
    """
    pow10 = go_pow(10.0, float(places))
    digit = pow10 * val
    _, frac = go_modf(digit)
    r = go_ceil(digit) if frac >= round_on else go_floor(digit)
    return r / pow10 if pow10 != 0 else _float_div_zero(r)


def _float_div_zero(r: float) -> float:
    """IEEE ``r / 0.0`` (Python raises instead)."""
    if r == 0 or math.isnan(r):
        return math.nan
    return math.copysign(math.inf, r)


def _round(a: Any, p: int, *r_opt: float) -> float:
    round_on = r_opt[0] if r_opt else 0.5
    return go_round(to_float64(a), p, round_on)


def _int(v: Any) -> int:
    return to_int(v)


def _int64(v: Any) -> int:
    return to_int64(v)


def _float64(v: Any) -> float:
    return to_float64(v)


# ---------------------------------------------------------------------------------------------
# Registration: names and Go signatures exactly as sprig's functions.go declares them

_REG: list[tuple[str, str, Callable[..., Any]]] = [
    ("atoi", "string -> int", _atoi),
    ("int64", "interface {} -> int64", _int64),
    ("int", "interface {} -> int", _int),
    ("float64", "interface {} -> float64", _float64),
    ("seq", "...int -> string", _seq),
    ("toDecimal", "interface {} -> int64", _to_decimal),
    ("until", "int -> []int", _until),
    ("untilStep", "int, int, int -> []int", _until_step),
    ("add1", "interface {} -> int64", _add1),
    ("add", "...interface {} -> int64", _add),
    ("sub", "interface {}, interface {} -> int64", _sub),
    ("div", "interface {}, interface {} -> int64", _div),
    ("mod", "interface {}, interface {} -> int64", _mod),
    ("mul", "interface {}, ...interface {} -> int64", _mul),
    ("add1f", "interface {} -> float64", _add1f),
    ("addf", "...interface {} -> float64", _addf),
    ("subf", "interface {}, ...interface {} -> float64", _subf),
    ("divf", "interface {}, ...interface {} -> float64", _divf),
    ("mulf", "interface {}, ...interface {} -> float64", _mulf),
    ("biggest", "interface {}, ...interface {} -> int64", _max),
    ("max", "interface {}, ...interface {} -> int64", _max),
    ("min", "interface {}, ...interface {} -> int64", _min),
    ("maxf", "interface {}, ...interface {} -> float64", _maxf),
    ("minf", "interface {}, ...interface {} -> float64", _minf),
    ("ceil", "interface {} -> float64", _ceil),
    ("floor", "interface {} -> float64", _floor),
    ("round", "interface {}, int, ...float64 -> float64", _round),
]


for _name, _spec, _fn in _REG:
    gofunc(FUNCS, _name, _spec)(_fn)
gofunc(FUNCS, "randInt", "int, int -> int", tags={"random"}, needs_env=True)(_rand_int)

"""The parts of ``github.com/shopspring/decimal`` v1.4.0 that sprig's ``addf``/``subf``/``mulf``/
``divf`` use: ``NewFromFloat``, ``Add``, ``Sub``, ``Mul``, ``Div`` and ``Float64``.

Why sprig's float arithmetic is not Python's: each operand becomes the *shortest decimal* that
reads back as the same float64 (so ``0.1`` is exactly 1/10, and ``addf 0.1 0.2`` is exactly
``0.3``), sums and products are exact, a quotient is rounded to 16 decimal places (half away
from zero), and only the final result is rounded to float64 (``big.Rat.Float64``: nearest,
ties to even).

A shopspring ``Decimal`` is ``value · 10^exp`` with a big integer ``value``; every operation
here only depends on the number it stands for (exponents never change a result of these
operations), so the value is kept as an exact :class:`fractions.Fraction`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .values import GoError

DIVISION_PRECISION = 16
"""``decimal.DivisionPrecision``: digits after the point kept by ``Div``."""


@dataclass(frozen=True)
class Decimal:
    """An exact decimal number (``decimal.Decimal``)."""

    value: Fraction

    @classmethod
    def from_float(cls, f: float) -> Decimal:
        """``decimal.NewFromFloat``: the shortest round-tripping decimal of ``f``.

        Go panics on NaN and ±Inf with ``Cannot create a Decimal from <%v>``.
        """
        if math.isnan(f):
            raise GoError("Cannot create a Decimal from NaN")
        if math.isinf(f):
            raise GoError(f"Cannot create a Decimal from {'+Inf' if f > 0 else '-Inf'}")
        if f == 0:
            return cls(Fraction(0))
        # repr() is the shortest round-trip digit string, nearest to the exact binary value,
        # which is what shopspring's roundShortest produces.
        return cls(Fraction(repr(f)))

    @classmethod
    def from_int(cls, n: int) -> Decimal:
        return cls(Fraction(n))

    def add(self, other: Decimal) -> Decimal:
        return Decimal(self.value + other.value)

    def sub(self, other: Decimal) -> Decimal:
        return Decimal(self.value - other.value)

    def mul(self, other: Decimal) -> Decimal:
        return Decimal(self.value * other.value)

    def div(self, other: Decimal) -> Decimal:
        """``Decimal.Div``: ``DivRound(other, DivisionPrecision)``."""
        return self.div_round(other, DIVISION_PRECISION)

    def div_round(self, other: Decimal, precision: int) -> Decimal:
        """``Decimal.DivRound``: the quotient rounded to a multiple of ``10^-precision``.

        ``QuoRem`` truncates toward zero; a remainder of at least half a unit moves the result
        one unit away from zero. Division by zero panics ``decimal division by 0``.
        """
        if other.value == 0:
            raise GoError("decimal division by 0")
        scale = Fraction(10) ** precision
        exact = self.value / other.value * scale
        q = abs(exact.numerator) // exact.denominator
        rest = abs(exact) - q
        if rest * 2 >= 1:
            q += 1
        if exact < 0:
            q = -q
        return Decimal(Fraction(q) / scale)

    def float64(self) -> tuple[float, bool]:
        """``Decimal.Float64``: nearest float64 (ties to even) and whether it is exact."""
        num, den = self.value.numerator, self.value.denominator
        try:
            f = num / den  # int true division is correctly rounded in CPython
        except OverflowError:
            f = math.inf if num > 0 else -math.inf
            return f, False
        return f, Fraction(f) == self.value if math.isfinite(f) else False

"""jq evaluated the way KWOK evaluates it (gojq v0.12.19 via ``pkg/utils/expression``).

API (stable; the stage engine, widgets and other tools call it)::

    compile(expr) -> Query                 # cached; raises JqCompileError with gojq's message
    Query.execute(data) -> list | None     # KWOK's Execute: nulls dropped; None if any output is an error
    Query.run(data) -> RawResult           # every output and the first error, before KWOK's filtering
    query(expr, obj) -> list               # exactly the values KWOK's selector sees ([] on error)
    to_jq_input(obj) -> Any                # KWOK's ToJSONStandard: JSON numbers become float64
    Requirement(key, operator, values)     # a selector requirement; .matches(data), .explain(data)
    compile_requirements(reqs) -> check    # a stage's requirements as one function (hot path)
    Query(expr, engine="eval"|"libjq"...)  # force an engine (tests compare them)
    set_clock(fn)                          # the clock jq's ``now`` reads

Values follow gojq's Go types (``go_type_name`` gives the ``%T``): ``float`` is float64 (every
number read from the object), ``int`` is a gojq int (``length``, integer literals, int arithmetic),
:class:`BigInt` is ``*big.Int`` (beyond int64, and any result of big arithmetic), :class:`JsonNumber`
is ``json.Number`` (only ``fromjson`` makes them). Only ``str``, ``bool`` and plain ``int`` results
can satisfy ``In``/``NotIn``. Input data may be passed raw: a Python ``int`` in it is a JSON number
(float64), exactly as after :func:`to_jq_input`, so ``execute``/``run``/``matches`` need no copy of
the object first (the lifecycle's hot path should pass ``event.data`` itself).

Engines (``Query.engine``), chosen once per expression:

``keys``
    a chain of constant object keys (``.metadata.labels["a.b/c"]``): a loop over dict lookups.
``fast``
    KWOK's other key shapes (``.a.[].b``, ``[]?``, ``[n]``, ``."k"``, pipes and
    ``select(PATH ==/!= literal)``): one closure returning a list. For ``Requirement.matches`` both
    engines generate one specialised Python function per requirement (operator folded in).
``eval``
    kwokbook's own gojq: a port of gojq's lexer and grammar (compile errors carry gojq's exact text,
    at the token goyacc rejects), of its compiler's scoping, name resolution and error order (a
    call's arguments are compiled last to first, as gojq does), and of its runtime: number types and
    int overflow into big ints, sorted object keys, error texts and 30-byte previews, path tracking
    (``path``, ``paths``, ``del``, ``|=``, ``+=`` ... with gojq's "invalid path" checks, arguments of
    internal functions and operators tracked right to left), ``try``/``label``/``?//`` semantics,
    RE2 regexes through :mod:`kwokbook.gotpl.goregex`, gojq's float printing, string indexing,
    ``$ENV``/``env`` empty, ``input``/``$__loc__``/``debug`` refused at compile time, formats gojq
    lacks (``@base32d``) failing at run time, and Go's time package for dates (including int64
    wrap-around of absurd times).
``libjq``
    the PyPI ``jq`` package, used only where the evaluator has no implementation (Bessel functions,
    ``strftime``/``strptime`` directives with flags or widths, ISO-week directives, ``%Z`` parsing):
    object keys are sorted on input as gojq iterates them, and output numbers are typed by a static
    analysis of the expression (data numbers stay float64; ``length``, literals and int arithmetic
    give ints; unknown kinds become ints when integral).

``keys`` and ``fast`` answer ``execute``/``matches``; ``run`` and ``explain`` always use the
evaluator (outputs before an error only matter there). tests/test_jq.py replays every recorded
oracle case through the chosen engine and, wherever ``keys``/``fast`` accept the expression,
through the evaluator and the libjq engine forced.

Residual differences from gojq (documented, not hidden):

* Path expressions through jq-defined builtins (``to_entries``, ``with_entries``, ``unique_by`` ...)
  or through an update operator nested in ``path(...)`` evaluate those builtins without path
  tracking; where gojq fails with "invalid path ..." kwokbook may report a different error first.
  Both fail, so KWOK's answer (no data) is the same.
* A string holding invalid UTF-8 (from ``@base64d``/``@urid``) keeps its bytes as surrogate escapes,
  like a Go string keeps raw bytes (``length`` and ``utf8bytelength`` agree); Go's JSON shows each
  such byte as U+FFFD.
* Transcendental math functions use the C library where gojq uses Go's ``math`` (possible last-bit
  differences; ``gamma`` of integers is exact); ``localtime``/``strflocaltime`` use UTC (as the
  recording oracle runs); ``now`` reads :func:`set_clock`'s clock (wall time unless injected).
* Regexes run on Python's backtracking engine (see :mod:`kwokbook.gotpl.goregex`): patterns with
  nested unbounded repetition can be slow where Go is linear.
* Recursive *user-defined* functions nest Python generators: beyond about 300 levels the query ends
  with the error "kwokbook: recursion too deep" where gojq's tail calls keep going. The builtins
  ``recurse``, ``while``, ``until``, ``repeat``, ``range``, ``limit`` are iterative and unaffected.
* The libjq engine, when forced on expressions it is not chosen for, differs wherever libjq does
  (regex flavour, float printing, string indexing, big ints, ``@base32d``, error texts).
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .errors import SelectorError
from .gotpl.gotime import _civil_from_days, _days_from_civil

__all__ = [
    "BigInt",
    "JqCompileError",
    "JsonNumber",
    "Query",
    "RawResult",
    "Requirement",
    "RequirementResult",
    "compile",
    "compile_requirements",
    "go_type_name",
    "query",
    "set_clock",
    "to_jq_input",
]


class JqCompileError(SelectorError):
    """A jq expression that gojq refuses to parse or compile; ``str()`` starts with gojq's text."""


class BigInt(int):
    """gojq's ``*big.Int`` (integers beyond int64 and results of big arithmetic): never matches ``In``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BigInt({int(self)})"


class JsonNumber:
    """gojq's ``json.Number`` (what ``fromjson`` yields for numbers): a number kept as its text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("JsonNumber", self.text))

    def __repr__(self) -> str:
        return f"JsonNumber({self.text!r})"


@dataclass(frozen=True)
class RawResult:
    """All outputs (nulls included) up to the first error, and that error's text."""

    outputs: list[Any]
    error: str | None


def go_type_name(v: Any) -> str:
    """The Go ``%T`` of a value as gojq holds it (what the oracle records as ``types``)."""
    t = type(v)
    if v is None:
        return "<nil>"
    if t is bool:
        return "bool"
    if t is int:
        return "int"
    if t is BigInt:
        return "*big.Int"
    if t is float:
        return "float64"
    if t is str:
        return "string"
    if t is list:
        return "[]interface {}"
    if t is dict:
        return "map[string]interface {}"
    if t is JsonNumber:
        return "json.Number"
    return t.__name__


_clock: Callable[[], float] = time.time


def set_clock(clock: Callable[[], float]) -> Callable[[], float]:
    """Inject the clock jq's ``now`` reads (Unix seconds); returns the previous one."""
    global _clock
    old, _clock = _clock, clock
    return old


# ---------------------------------------------------------------------------------------------
# Runtime errors (KWOK discards them; their texts serve explanations and Query.run)

_NOVALUE: Any = object()


class _JqError(Exception):
    """A gojq runtime error. ``value`` is what ``try ... catch`` sees (the message unless error(v))."""

    def __init__(self, message: str, value: Any = _NOVALUE) -> None:
        super().__init__(message)
        self.message = message
        self.value = message if value is _NOVALUE else value


class _JqHalt(_JqError):
    """``halt``/``halt_error``: not catchable by ``try``."""


class _Break(Exception):
    """``break $label``: unwinds to the label evaluation that owns ``token``."""

    def __init__(self, token: object) -> None:
        super().__init__("break")
        self.token = token


class _Unsupported(Exception):
    """The evaluator meets something it does not implement: the query falls back to libjq."""


class _NeedsSlow(Exception):
    """A fast closure met a value that is not plain JSON (tuple, Mapping, ...): use the evaluator."""


# ---------------------------------------------------------------------------------------------
# Input normalisation (expression.ToJSONStandard on an unstructured object)


def to_jq_input(obj: Any) -> Any:
    """JSON-marshal then unmarshal into ``interface{}``: every number becomes float64 (a fresh copy)."""
    t = type(obj)
    if t is dict:
        out: dict[str, Any] = {}
        for k, v in obj.items():
            tv = type(v)
            if type(k) is not str:
                k = str(k)
            if tv is str or tv is bool or v is None or tv is float:
                out[k] = v
            elif tv is dict or tv is list:
                out[k] = to_jq_input(v)
            elif tv is int:
                out[k] = float(v)
            else:
                out[k] = _to_jq_input_other(v)
        return out
    if t is list:
        items: list[Any] = []
        for v in obj:
            tv = type(v)
            if tv is str or tv is bool or v is None or tv is float:
                items.append(v)
            elif tv is dict or tv is list:
                items.append(to_jq_input(v))
            elif tv is int:
                items.append(float(v))
            else:
                items.append(_to_jq_input_other(v))
        return items
    if t is str or obj is None or t is bool or t is float:
        return obj
    if t is int:
        return float(obj)
    return _to_jq_input_other(obj)


def _to_jq_input_other(obj: Any) -> Any:
    if isinstance(obj, bool):
        return bool(obj)
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, (int, float)):
        return float(obj)
    if isinstance(obj, JsonNumber):
        return float(obj.text)
    if isinstance(obj, Mapping):
        return {str(k): to_jq_input(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jq_input(v) for v in obj]
    return obj


# ---------------------------------------------------------------------------------------------
# gojq's encoder (Marshal: tostring, tojson, @text, error previews)

_MAXF = 1.7976931348623157e308
_ESC = re.compile('[\x00-\x1f"\\\\\x7f\ud800-\udfff]')
_ESC_MAP = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _esc_char(m: re.Match[str]) -> str:
    c = m.group()
    r = _ESC_MAP.get(c)
    if r is not None:
        return r
    if "\ud800" <= c <= "\udfff":
        return "\\ufffd"
    return f"\\u{ord(c):04x}"


def _enc_string(s: str) -> str:
    return '"' + _ESC.sub(_esc_char, s) + '"'


def _float_digits(f: float) -> tuple[str, str, int]:
    """(sign, shortest digits, dp) of a finite non-zero float: value = 0.digits × 10**dp."""
    r = repr(f)
    sign = ""
    if r[0] == "-":
        sign, r = "-", r[1:]
    mant, _, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    if exp:
        return sign, (ip + fp).rstrip("0"), len(ip) + int(exp)
    if ip == "0":
        digits = fp.lstrip("0")
        return sign, digits, len(digits) - len(fp)
    return sign, (ip + fp).rstrip("0"), len(ip)


def _fmt_float(f: float) -> str:
    """gojq's ``encodeFloat64``: shortest digits, fixed notation in [1e-6, 1e21), NaN as null."""
    if f != f:
        return "null"
    if f > _MAXF:
        f = _MAXF
    elif f < -_MAXF:
        f = -_MAXF
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    a = abs(f)
    if 1e-6 <= a < 1e21:
        if a.is_integer() and a < 1e16:
            return str(int(f))
        sign, digits, dp = _float_digits(f)
        nd = len(digits)
        if dp <= 0:
            return sign + "0." + "0" * -dp + digits
        if dp >= nd:
            return sign + digits + "0" * (dp - nd)
        return sign + digits[:dp] + "." + digits[dp:]
    sign, digits, dp = _float_digits(f)
    e = dp - 1
    frac = "." + digits[1:] if len(digits) > 1 else ""
    es = f"-{-e}" if e < 0 else f"+{e:02d}"
    return f"{sign}{digits[0]}{frac}e{es}"


def _encode(v: Any, out: list[str]) -> None:
    t = type(v)
    if t is str:
        out.append(_enc_string(v))
    elif v is None:
        out.append("null")
    elif t is bool:
        out.append("true" if v else "false")
    elif t is float:
        out.append(_fmt_float(v))
    elif t is int or t is BigInt:
        out.append(str(int(v)))
    elif t is list:
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            _encode(x, out)
        out.append("]")
    elif t is dict:
        out.append("{")
        for i, k in enumerate(sorted(v)):
            if i:
                out.append(",")
            out.append(_enc_string(k))
            out.append(":")
            _encode(v[k], out)
        out.append("}")
    elif t is JsonNumber:
        out.append(v.text)
    else:
        raise TypeError(f"invalid type: {t.__name__}")


def _json(v: Any) -> str:
    """gojq's ``jsonMarshal``: sorted keys, no HTML escaping, jq-style floats."""
    t = type(v)
    if t is str:
        return _enc_string(v)
    if t is float:
        return _fmt_float(v)
    out: list[str] = []
    _encode(v, out)
    return "".join(out)


def _type_of(v: Any) -> str:
    """gojq's ``TypeOf``."""
    t = type(v)
    if v is None:
        return "null"
    if t is bool:
        return "boolean"
    if t is int or t is float or t is BigInt or t is JsonNumber:
        return "number"
    if t is str:
        return "string"
    if t is list:
        return "array"
    if t is dict:
        return "object"
    return "number" if isinstance(v, (int, float)) else t.__name__


def _preview(v: Any) -> str:
    """gojq's ``Preview``: the encoding truncated to 30 bytes with a type-specific trailer."""
    s = _json(v)
    b = s.encode("utf-8", "surrogatepass")
    if len(b) <= 30:
        return s
    t = type(v)
    trailing = ' ..."' if t is str else " ...]" if t is list else " ...}" if t is dict else " ..."
    b = b[:32]
    limit = 30 - len(trailing)
    while len(b) > limit:
        b = b[: len(b) - _last_rune_size(b)]
    return b.decode("utf-8", "replace") + trailing


def _last_rune_size(b: bytes) -> int:
    """``utf8.DecodeLastRune``'s size: a complete trailing sequence, else one byte."""
    n = len(b)
    for size in (1, 2, 3, 4):
        if size > n:
            break
        lead = b[n - size]
        if size == 1 and lead < 0x80:
            return 1
        if lead & 0xC0 == 0x80:
            continue
        try:
            b[n - size :].decode("utf-8")
        except UnicodeDecodeError:
            return 1
        return size
    return 1


def _tep(v: Any) -> str:
    """gojq's ``typeErrorPreview``."""
    return "null" if v is None else f"{_type_of(v)} ({_preview(v)})"


def _go_quote(s: str) -> str:
    from .gotpl.gostrconv import quote

    return quote(s)


# Error constructors with gojq's texts


def _e_expected_object(v: Any) -> _JqError:
    return _JqError("expected an object but got: " + _tep(v))


def _e_expected_array(v: Any) -> _JqError:
    return _JqError("expected an array but got: " + _tep(v))


def _e_iterate(v: Any) -> _JqError:
    return _JqError("cannot iterate over: " + _tep(v))


def _e_func0(name: str, v: Any) -> _JqError:
    return _JqError(f"{name} cannot be applied to: {_tep(v)}")


def _e_func1(name: str, v: Any, w: Any) -> _JqError:
    return _JqError(f"{name}({_preview(w)}) cannot be applied to: {_tep(v)}")


def _e_func2(name: str, v: Any, w: Any, x: Any) -> _JqError:
    return _JqError(f"{name}({_preview(w)}; {_preview(x)}) cannot be applied to: {_tep(v)}")


def _e_wrap0(name: str, v: Any, err: str) -> _JqError:
    return _JqError(f"{name} cannot be applied to {_preview(v)}: {err}")


def _e_wrap1(name: str, v: Any, w: Any, err: str) -> _JqError:
    return _JqError(f"{name}({_preview(w)}) cannot be applied to {_preview(v)}: {err}")


def _e_wrap2(name: str, v: Any, w: Any, x: Any, err: str) -> _JqError:
    return _JqError(f"{name}({_preview(w)}; {_preview(x)}) cannot be applied to {_preview(v)}: {err}")


def _e_binop(name: str, l: Any, r: Any) -> _JqError:
    return _JqError(f"cannot {name}: {_tep(l)} and {_tep(r)}")


def _e_invalid_path(v: Any) -> _JqError:
    return _JqError("invalid path against: " + _tep(v))


def _e_invalid_path_iter(v: Any) -> _JqError:
    return _JqError("invalid path on iterating against: " + _tep(v))


def _e_object_key(v: Any) -> _JqError:
    return _JqError("expected a string for object key but got: " + _tep(v))


def _e_array_index(v: Any) -> _JqError:
    return _JqError("expected a number for indexing an array but got: " + _tep(v))


def _e_string_index(v: Any) -> _JqError:
    return _JqError("expected a number for indexing a string but got: " + _tep(v))


# ---------------------------------------------------------------------------------------------
# Numbers (gojq's int / float64 / *big.Int / json.Number) and comparison

_MININT = -(1 << 63)
_MAXINT = (1 << 63) - 1
_TWO63 = 9223372036854775808.0
_INT_RE = re.compile(r"[+-]?[0-9]+\Z")


def _intres(n: int) -> int:
    """An exact integer result of int arithmetic: an int if it fits int64, else a big int."""
    return n if _MININT <= n <= _MAXINT else BigInt(n)


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is float or t is int or t is BigInt or t is JsonNumber


def _parse_number(s: str) -> Any:
    """gojq's ``parseNumber`` of a ``json.Number`` text: int, float64, big int or ±Inf."""
    if _INT_RE.match(s):
        n = int(s)
        if _MININT <= n <= _MAXINT:
            return n
    if "." in s or "e" in s or "E" in s:
        try:
            return float(s)
        except ValueError:
            pass
    elif _INT_RE.match(s):
        return BigInt(int(s))
    return -math.inf if s.startswith("-") else math.inf


def _norm(v: Any) -> Any:
    """json.Number → its parsed number (what binopTypeSwitch does first)."""
    return _parse_number(v.text) if type(v) is JsonNumber else v


def _float_to_int(x: float) -> int:
    if -_TWO63 <= x < _TWO63:
        return int(x)
    return _MAXINT if x > 0 else _MININT


def _to_int(x: Any) -> int | None:
    t = type(x)
    if t is int:
        return x
    if t is float:
        return _float_to_int(x)
    if t is BigInt:
        if _MININT <= x <= _MAXINT:
            return int(x)
        return _MAXINT if x > 0 else _MININT
    if t is JsonNumber:
        return _to_int(_parse_number(x.text))
    return None


def _to_int_ceil(x: Any) -> int | None:
    if type(x) is float and math.isfinite(x):
        x = float(math.ceil(x))
    return _to_int(x)


def _big_to_float(x: int) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _to_float(x: Any) -> float | None:
    t = type(x)
    if t is float:
        return x
    if t is int:
        return float(x)
    if t is BigInt:
        return _big_to_float(x)
    if t is JsonNumber:
        try:
            f = float(x.text)
        except ValueError:
            return None
        return f if math.isfinite(f) else None
    return None


def _type_index(v: Any) -> int:
    t = type(v)
    if t is bool:
        return 2 if v else 1
    if v is None:
        return 0
    if t is int or t is float or t is BigInt or t is JsonNumber:
        return 3
    if t is str:
        return 4
    if t is list:
        return 5
    if t is dict:
        return 6
    return 0


def _cmp_float(l: float, r: float) -> int:
    if l < r or l != l:
        return -1
    if l == r:
        return 0
    return 1


def _cmp(l: Any, r: Any) -> int:
    """gojq's ``Compare``: -1, 0 or 1 (null < false < true < numbers < strings < arrays < objects)."""
    tl, tr = type(l), type(r)
    if tl is JsonNumber:
        l = _parse_number(l.text)
        tl = type(l)
    if tr is JsonNumber:
        r = _parse_number(r.text)
        tr = type(r)
    if tl is str and tr is str:
        return -1 if l < r else (1 if l > r else 0)
    if (tl is int or tl is float or tl is BigInt) and (tr is int or tr is float or tr is BigInt):
        if tl is float or tr is float:
            lf = l if tl is float else (float(l) if tl is int else _big_to_float(l))
            rf = r if tr is float else (float(r) if tr is int else _big_to_float(r))
            return _cmp_float(lf, rf)
        return -1 if l < r else (1 if l > r else 0)
    if tl is list and tr is list:
        for a, b in zip(l, r):
            c = _cmp(a, b)
            if c:
                return c
        return -1 if len(l) < len(r) else (1 if len(l) > len(r) else 0)
    if tl is dict and tr is dict:
        lk, rk = sorted(l), sorted(r)
        c = _cmp(lk, rk)
        if c:
            return c
        for k in lk:
            c = _cmp(l[k], r[k])
            if c:
                return c
        return 0
    a, b = _type_index(l), _type_index(r)
    return -1 if a < b else (1 if a > b else 0)


def _truthy(v: Any) -> bool:
    return not (v is None or v is False)


def _num_pair(l: Any, r: Any) -> tuple[str, Any, Any] | None:
    """Classify two numbers as binopTypeSwitch does: ('i'|'f'|'b', l, r) or None."""
    tl, tr = type(l), type(r)
    if tl is int:
        if tr is int:
            return "i", l, r
        if tr is float:
            return "f", float(l), r
        if tr is BigInt:
            return "b", l, r
    elif tl is float:
        if tr is float:
            return "f", l, r
        if tr is int:
            return "f", l, float(r)
        if tr is BigInt:
            return "f", l, _big_to_float(r)
    elif tl is BigInt:
        if tr is int or tr is BigInt:
            return "b", l, r
        if tr is float:
            return "f", _big_to_float(l), r
    return None


def _negate(v: Any) -> Any:
    t = type(v)
    if t is int:
        return _intres(-v)
    if t is float:
        return -v
    if t is BigInt:
        return BigInt(-v)
    if t is JsonNumber:
        return JsonNumber(v.text[1:] if v.text.startswith("-") else "-" + v.text)
    raise _JqError("cannot negate: " + _tep(v))


def _plus(v: Any) -> Any:
    if _is_num(v):
        return v
    raise _JqError("cannot plus: " + _tep(v))


def _op_add(l: Any, r: Any) -> Any:
    l, r = _norm(l), _norm(r)
    np = _num_pair(l, r)
    if np is not None:
        k, a, b = np
        if k == "i":
            return _intres(a + b)
        if k == "f":
            return a + b
        return BigInt(a + b)
    tl, tr = type(l), type(r)
    if tl is str and tr is str:
        return l + r
    if tl is list and tr is list:
        if not l:
            return r
        if not r:
            return l
        return l + r
    if tl is dict and tr is dict:
        if not l:
            return r
        if not r:
            return l
        m = dict(l)
        m.update(r)
        return m
    if l is None:
        return r
    if r is None:
        return l
    raise _e_binop("add", l, r)


def _op_sub(l: Any, r: Any) -> Any:
    l, r = _norm(l), _norm(r)
    np = _num_pair(l, r)
    if np is not None:
        k, a, b = np
        if k == "i":
            return _intres(a - b)
        if k == "f":
            return a - b
        return BigInt(a - b)
    if type(l) is list and type(r) is list:
        return [x for x in l if not any(_cmp(x, y) == 0 for y in r)]
    raise _e_binop("subtract", l, r)


def _repeat_string(s: str, n: float) -> Any:
    if n < 0 or n != n:
        return None
    c = int(min(n, 2147483647.0))
    if len(s.encode("utf-8", "surrogatepass")) * c >= 2147483647:
        raise _JqError(f"repeat string result too large: {_preview(s)} * {_preview(n)}")
    return s * c


def _deep_merge(l: dict, r: dict) -> dict:
    m = dict(l)
    for k, v in r.items():
        mk = m.get(k, _NOVALUE)
        if type(mk) is dict and type(v) is dict:
            v = _deep_merge(mk, v)
        m[k] = v
    return m


def _op_mul(l: Any, r: Any) -> Any:
    l, r = _norm(l), _norm(r)
    np = _num_pair(l, r)
    if np is not None:
        k, a, b = np
        if k == "i":
            return _intres(a * b)
        if k == "f":
            return a * b
        return BigInt(a * b)
    tl, tr = type(l), type(r)
    if tl is dict and tr is dict:
        return _deep_merge(l, r)
    if (tl is str and tr is str) or (tl is list and tr is list):
        raise _e_binop("multiply", l, r)
    if tl is str:
        f = _to_float(r)
        if f is not None:
            return _repeat_string(l, f)
    if tr is str:
        f = _to_float(l)
        if f is not None:
            return _repeat_string(r, f)
    raise _e_binop("multiply", l, r)


def _op_div(l: Any, r: Any) -> Any:
    l, r = _norm(l), _norm(r)
    np = _num_pair(l, r)
    if np is not None:
        k, a, b = np
        if k == "i":
            if b == 0:
                raise _JqError(f"cannot divide {_tep(l)} by: {_tep(r)}")
            if b == -1:
                return _intres(-a)
            if a % b == 0:
                return _intres(_go_div(a, b))
            return float(a) / float(b)
        if k == "f":
            if b == 0.0:
                raise _JqError(f"cannot divide {_tep(l)} by: {_tep(r)}")
            return a / b
        if b == 0:
            raise _JqError(f"cannot divide {_tep(l)} by: {_tep(r)}")
        if a % b == 0:
            return BigInt(a // b)
        return _big_to_float(a) / _big_to_float(b)
    if type(l) is str and type(r) is str:
        if l == "":
            return []
        return _go_split(l, r)
    raise _e_binop("divide", l, r)


def _go_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _go_rem(a: int, b: int) -> int:
    m = abs(a) % abs(b)
    return m if a >= 0 else -m


def _op_mod(l: Any, r: Any) -> Any:
    l, r = _norm(l), _norm(r)
    np = _num_pair(l, r)
    if np is not None:
        k, a, b = np
        if k == "i":
            if b == 0:
                raise _JqError(f"cannot modulo {_tep(l)} by: {_tep(r)}")
            if b == -1:
                return 0
            return _go_rem(a, b)
        if k == "f":
            if a != a or b != b:
                return math.nan
            ri = _float_to_int(b)
            if ri == 0:
                raise _JqError(f"cannot modulo {_tep(l)} by: {_tep(r)}")
            return _intres(_go_rem(_float_to_int(a), ri))
        if b == 0:
            raise _JqError(f"cannot modulo {_tep(l)} by: {_tep(r)}")
        return BigInt(_go_rem(a, b))
    raise _e_binop("modulo", l, r)


def _go_split(s: str, sep: str) -> list[Any]:
    """Go's ``strings.Split``: an empty separator splits into characters."""
    if sep == "":
        return list(s)
    return s.split(sep)


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": _op_add,
    "-": _op_sub,
    "*": _op_mul,
    "/": _op_div,
    "%": _op_mod,
    "==": lambda l, r: _cmp(l, r) == 0,
    "!=": lambda l, r: _cmp(l, r) != 0,
    "<": lambda l, r: _cmp(l, r) < 0,
    "<=": lambda l, r: _cmp(l, r) <= 0,
    ">": lambda l, r: _cmp(l, r) > 0,
    ">=": lambda l, r: _cmp(l, r) >= 0,
}

_OP_FUNC_NAME = {
    "+": "_add", "-": "_subtract", "*": "_multiply", "/": "_divide", "%": "_modulo",
    "==": "_equal", "!=": "_notequal", ">": "_greater", "<": "_less", ">=": "_greatereq", "<=": "_lesseq",
}


# ---------------------------------------------------------------------------------------------
# Lexer (gojq's lexer.go, token for token: the error texts quote the token it last returned)

_KEYWORDS = frozenset((
    "or", "and", "module", "import", "include", "def", "as", "label", "break", "null", "true", "false", "if",
    "then", "elif", "else", "end", "try", "catch", "reduce", "foreach",
))
_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_DIGITS = frozenset("0123456789")
_IDENT_TAIL = _IDENT_START | _DIGITS
_HEX = frozenset("0123456789abcdefABCDEF")
_WHITE = frozenset("\t\n\r ")
_EOF = "EOF"


class _Lexer:
    __slots__ = ("inst", "last", "lval", "offset", "src", "token")

    def __init__(self, src: str) -> None:
        self.src = src
        self.offset = 0
        self.token = ""
        self.inst = False  # gojq's inString
        self.last = ""
        self.lval = ""

    def lex(self) -> str:
        t = self._lex()
        self.last = t
        if t == "\0":
            return _EOF  # goyacc reads token 0 as the end of input; errors still name the NUL
        return t

    def _peek(self) -> str:
        return self.src[self.offset] if self.offset < len(self.src) else "\0"

    def _lex(self) -> str:
        src = self.src
        if self.offset == len(src):
            self.token = ""
            return _EOF
        if self.inst:
            return self._scan_string(self.offset)
        ch = self._next()
        if ch is None:
            self.token = ""
            return _EOF
        if ch in _IDENT_START:
            i = self.offset - 1
            j, module = self._scan_ident_or_module()
            self.token = self.lval = src[i:j]
            if module:
                return "MODIDENT"
            if self.token in _KEYWORDS:
                return self.token
            return "IDENT"
        if ch in _DIGITS:
            i = self.offset - 1
            j, ok = self._scan_number(0)
            self.token = src[i:j]
            if not ok:
                return "INVALID"
            self.lval = self.token
            return "NUMBER"
        if ch == ".":
            c = self._peek()
            if c == ".":
                self.offset += 1
                self.token = ".."
                return "RECURSE"
            if c in _IDENT_START:
                self.token = src[self.offset - 1 : self._scan_ident()]
                self.lval = self.token[1:]
                return "INDEX"
            if c in _DIGITS:
                i = self.offset - 1
                j, ok = self._scan_number(1)
                self.token = src[i:j]
                if not ok:
                    return "INVALID"
                self.lval = self.token
                return "NUMBER"
            return "."
        if ch == "$":
            if self._peek() in _IDENT_START:
                i = self.offset - 1
                j, module = self._scan_ident_or_module()
                self.token = self.lval = src[i:j]
                return "MODVAR" if module else "VAR"
            return "$"
        if ch == '"':
            return self._scan_string(self.offset - 1)
        nx = self._peek()
        two = ch + nx
        if two in ("|=", "+=", "-=", "*=", "%=", "/="):
            self.offset += 1
            self.token = self.lval = two
            return "UPDATEOP"
        if two in ("==", "!=", ">=", "<="):
            self.offset += 1
            self.token = self.lval = two
            return "COMPAREOP"
        if two == "//":
            self.offset += 1
            if self._peek() == "=":
                self.offset += 1
                self.token = self.lval = "//="
                return "UPDATEOP"
            self.token = self.lval = "//"
            return "ALTOP"
        if two == "?/":
            if self.offset + 1 < len(src) and src[self.offset + 1] == "/":
                self.offset += 2
                self.token = "?//"
                return "DESTALT"
            return "?"
        if ch == "=":
            self.token = self.lval = "="
            return "UPDATEOP"
        if ch in "<>":
            self.token = self.lval = ch
            return "COMPAREOP"
        if ch == "@" and nx in _IDENT_TAIL:
            self.token = self.lval = src[self.offset - 1 : self._scan_ident()]
            return "FORMAT"
        if ch >= "\x80":
            self.token = ch
            return "UNI"
        return ch

    def _next(self) -> str | None:
        src = self.src
        n = len(src)
        while True:
            ch = src[self.offset]
            self.offset += 1
            if ch == "#":
                if self._skip_comment():
                    return None
            elif ch not in _WHITE:
                return ch
            elif self.offset == n:
                return None

    def _skip_comment(self) -> bool:
        while True:
            c = self._peek()
            if c == "\0":
                return True
            if c == "\\":
                self.offset += 1
                c = self._peek()
                if c in ("\\", "\n"):
                    self.offset += 1
                elif c == "\r":
                    self.offset += 1
                    if self._peek() == "\n":
                        self.offset += 1
            elif c in ("\n", "\r"):
                return False
            else:
                self.offset += 1

    def _scan_ident(self) -> int:
        while self._peek() in _IDENT_TAIL:
            self.offset += 1
        return self.offset

    def _scan_ident_or_module(self) -> tuple[int, bool]:
        index = self._scan_ident()
        module = False
        if self._peek() == ":":
            self.offset += 1
            if self._peek() == ":":
                self.offset += 1
                if self._peek() in _IDENT_START:
                    self.offset += 1
                    index = self._scan_ident()
                    module = True
                else:
                    self.offset -= 2
            else:
                self.offset -= 1
        return index, module

    def _scan_number(self, state: int) -> tuple[int, bool]:
        """States: 0 lead, 1 float, 2 exponent lead, 3 exponent. Returns (end, valid)."""
        while True:
            c = self._peek()
            if state in (0, 1):
                if c in _DIGITS:
                    self.offset += 1
                elif c == ".":
                    self.offset += 1
                    if state != 0:
                        return self.offset, False
                    state = 1
                elif c in "eE":
                    self.offset += 1
                    if self._peek() in "+-":
                        self.offset += 1
                    state = 2
                elif c in _IDENT_START:
                    self.offset += 1
                    return self.offset, False
                else:
                    return self.offset, True
            else:
                if c not in _DIGITS:
                    if c in _IDENT_START:
                        self.offset += 1
                        return self.offset, False
                    return self.offset, state != 2
                self.offset += 1
                state = 3

    def valid_number(self) -> bool:
        """gojq's ``validNumber`` (used by ``tonumber``)."""
        c = self._peek()
        if c in "+-":
            self.offset += 1
            c = self._peek()
        state = 0
        if c == ".":
            self.offset += 1
            c = self._peek()
            state = 1
        if c not in _DIGITS or c == "\0":
            return False
        end, ok = self._scan_number(state)
        return ok and end == len(self.src)

    def _unquote(self, s: str, quote: bool, decode: bool) -> str:
        if not decode:
            return s if quote else s[1:-1]
        text = '"' + s + '"' if quote else s
        try:
            out = json.loads(text, strict=False)
        except ValueError as e:  # pragma: no cover - the scanner only passes valid escapes
            raise _Unsupported(str(e)) from None
        return _fix_surrogates(out)

    def _scan_string(self, start: int) -> str:
        src = self.src
        n = len(src)
        decode = False
        i = self.offset
        while i < n:
            ch = src[i]
            if ch == "\\":
                i += 1
                if i >= n:
                    i += 1
                    continue
                c2 = src[i]
                if c2 == "u":
                    for j in range(1, 5):
                        if i + j >= n or src[i + j] not in _HEX:
                            self.offset = i + j
                            self.token = src[i - 1 : self.offset]
                            return "INVALIDESC"
                    i += 4
                    decode = True
                elif c2 in '"/\\bfnrt':
                    decode = True
                elif c2 == "(":
                    if not self.inst:
                        self.inst = True
                        return "STRSTART"
                    if i == self.offset + 1:
                        self.offset += 2
                        self.inst = False
                        return "STRQUERY"
                    self.offset = i - 1
                    self.token = src[start : self.offset]
                    self.lval = self._unquote(self.token, True, decode)
                    return "STRING"
                else:
                    self.offset = i + 1
                    self.token = src[self.offset - 2 : self.offset]
                    return "INVALIDESC"
            elif ch == '"':
                if not self.inst:
                    self.offset = i + 1
                    self.token = src[start : self.offset]
                    self.lval = self._unquote(self.token, False, decode)
                    return "STRING"
                if i > self.offset:
                    self.offset = i
                    self.token = src[start : self.offset]
                    self.lval = self._unquote(self.token, True, decode)
                    return "STRING"
                self.inst = False
                self.offset = i + 1
                return "STREND"
            elif not decode and ch > "~":
                decode = True
            i += 1
        self.offset = n
        self.token = ""
        return "UNTERMINATED"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(s: str) -> str:
    """Go's JSON decoder turns unpaired surrogate escapes into U+FFFD."""
    if not _SURROGATE.search(s):
        return s
    return _SURROGATE.sub("\ufffd", s.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))


def _valid_number(s: str) -> bool:
    return _Lexer(s).valid_number()


# ---------------------------------------------------------------------------------------------
# Parser (gojq's parser.go.y as recursive descent; errors at the token goyacc rejects)


class _Str:
    """A string literal: ``text`` or, with interpolation, ``parts`` (queries)."""

    __slots__ = ("parts", "text")

    def __init__(self, text: str | None = None, parts: list[Any] | None = None) -> None:
        self.text = text
        self.parts = parts


class _Idx:
    """gojq's Index: ``.name``, ``."str"``, ``[start]`` or ``[start:end]``."""

    __slots__ = ("end", "name", "slice", "start", "strv")

    def __init__(self, name: str | None = None, strv: _Str | None = None, start: Any = None,
                 end: Any = None, is_slice: bool = False) -> None:
        self.name = name
        self.strv = strv
        self.start = start
        self.end = end
        self.slice = is_slice


class _T:
    """A term: ``kind`` plus kind-specific fields in ``a``/``b``/``c``/``d``/``e``, and suffixes."""

    __slots__ = ("a", "b", "c", "d", "e", "kind", "suffixes")

    def __init__(self, kind: str, a: Any = None, b: Any = None, c: Any = None, d: Any = None,
                 e: Any = None) -> None:
        self.kind = kind
        self.a, self.b, self.c, self.d, self.e = a, b, c, d, e
        self.suffixes: list[tuple[str, Any]] = []


class _Q:
    """A query: ``term`` | ``pipe`` | ``comma`` | ``op`` | ``bind`` | ``defs``."""

    __slots__ = ("kind", "left", "op", "right", "term")

    def __init__(self, kind: str, term: Any = None, left: Any = None, right: Any = None,
                 op: Any = None) -> None:
        self.kind = kind
        self.term = term
        self.left = left
        self.right = right
        self.op = op


class _FuncDef:
    __slots__ = ("args", "body", "name")

    def __init__(self, name: str, args: list[str], body: _Q) -> None:
        self.name = name
        self.args = args
        self.body = body


class _Pat:
    """A destructuring pattern: ``name`` ($x), ``array`` or ``obj`` [(key, keystr, keyquery, val)]."""

    __slots__ = ("array", "name", "obj")

    def __init__(self, name: str | None = None, array: list[_Pat] | None = None,
                 obj: list[tuple[Any, Any, Any, Any]] | None = None) -> None:
        self.name = name
        self.array = array
        self.obj = obj


_BINPREC = {"ALTOP": 1, "UPDATEOP": 2, "or": 3, "and": 4, "COMPAREOP": 5, "+": 6, "-": 6, "*": 7, "/": 7,
            "%": 7}
_NONASSOC = frozenset((2, 5))
_RIGHTASSOC = frozenset((1,))
_OBJECT_KEY_TOKENS = frozenset(("IDENT", "VAR")) | _KEYWORDS


class _Parser:
    def __init__(self, src: str) -> None:
        self.lx = _Lexer(src)
        self.tt = ""
        self.tv = ""
        self.advance()

    def advance(self) -> None:
        self.tt = self.lx.lex()
        self.tv = self.lx.lval

    def error(self) -> JqCompileError:
        t = self.lx.last
        if t == _EOF:
            msg = "unexpected EOF"
        elif t == "INVALID":
            msg = "invalid token " + _enc_string(self.lx.token)
        elif t == "INVALIDESC":
            msg = f'invalid escape sequence "{self.lx.token}" in string literal'
        elif t == "UNTERMINATED":
            msg = "unterminated string literal"
        elif len(t) == 1:
            msg = "unexpected token " + _enc_string(t)
        else:
            msg = "unexpected token " + _enc_string(self.lx.token)
        return JqCompileError(msg)

    def expect(self, t: str) -> None:
        if self.tt != t:
            raise self.error()
        self.advance()

    # -- program ------------------------------------------------------------------------------

    def program(self) -> tuple[list[tuple[str, str | None]], _Q]:
        if self.tt == "module":
            self.advance()
            self.const_object()
            self.expect(";")
        imports: list[tuple[str, str | None]] = []
        while self.tt in ("import", "include"):
            kind = self.tt
            self.advance()
            if self.tt != "STRING":
                raise self.error()
            path = self.tv
            self.advance()
            alias = None
            if kind == "import":
                self.expect("as")
                if self.tt not in ("IDENT", "VAR"):
                    raise self.error()
                alias = self.tv
                self.advance()
            if self.tt == "{":
                self.const_object()
            self.expect(";")
            imports.append((path, alias))
        defs: list[_FuncDef] = []
        while self.tt == "def":
            defs.append(self.funcdef())
        if self.tt == _EOF:
            return imports, _Q("defs", left=defs, right=None)
        q = self.query()
        if self.tt != _EOF:
            raise self.error()
        if defs:
            q = _Q("defs", left=defs, right=q)
        return imports, q

    def const_object(self) -> None:
        self.expect("{")
        if self.tt == "}":
            self.advance()
            return
        while True:
            if self.tt in ("IDENT", "STRING") or self.tt in _KEYWORDS:
                self.advance()
            else:
                raise self.error()
            self.expect(":")
            self.const_term()
            if self.tt == ",":
                self.advance()
                if self.tt == "}":
                    self.advance()
                    return
                continue
            self.expect("}")
            return

    def const_term(self) -> None:
        if self.tt == "{":
            self.const_object()
        elif self.tt == "[":
            self.advance()
            if self.tt == "]":
                self.advance()
                return
            while True:
                self.const_term()
                if self.tt == ",":
                    self.advance()
                    continue
                self.expect("]")
                return
        elif self.tt in ("NUMBER", "STRING", "null", "true", "false"):
            self.advance()
        else:
            raise self.error()

    def funcdef(self) -> _FuncDef:
        self.expect("def")
        if self.tt != "IDENT":
            raise self.error()
        name = self.tv
        self.advance()
        args: list[str] = []
        if self.tt == "(":
            self.advance()
            while True:
                if self.tt not in ("IDENT", "VAR"):
                    raise self.error()
                args.append(self.tv)
                self.advance()
                if self.tt == ";":
                    self.advance()
                    continue
                self.expect(")")
                break
        self.expect(":")
        body = self.query()
        self.expect(";")
        return _FuncDef(name, args, body)

    # -- queries ------------------------------------------------------------------------------

    def query(self) -> _Q:
        left = self.commas()
        if self.tt == "|":
            self.advance()
            return _Q("pipe", left=left, right=self.query())
        return left

    def commas(self) -> _Q:
        left = self.item()
        while self.tt == ",":
            self.advance()
            left = _Q("comma", left=left, right=self.item())
        return left

    def item(self) -> _Q:
        if self.tt == "def":
            fd = self.funcdef()
            body = self.query()
            if body.kind == "defs":
                body.left.insert(0, fd)
                return body
            return _Q("defs", left=[fd], right=body)
        if self.tt == "label":
            self.advance()
            if self.tt != "VAR":
                raise self.error()
            name = self.tv
            self.advance()
            self.expect("|")
            return _Q("term", term=_T("label", name, self.query()))
        e = self.expr(0)
        if self.tt == "as":
            self.advance()
            pats = [self.pattern()]
            while self.tt == "DESTALT":
                self.advance()
                pats.append(self.pattern())
            self.expect("|")
            return _Q("bind", left=e, right=self.query(), op=pats)
        return e

    def expr(self, minprec: int) -> _Q:
        left = _Q("term", term=self.term())
        while True:
            tt = self.tt
            p = _BINPREC.get(tt)
            if p is None or p < minprec:
                return left
            op = self.tv if tt in ("UPDATEOP", "COMPAREOP", "ALTOP") else tt
            self.advance()
            right = self.expr(p if p in _RIGHTASSOC else p + 1)
            left = _Q("op", left=left, right=right, op=op)
            if p in _NONASSOC and _BINPREC.get(self.tt) == p:
                raise self.error()

    def pattern(self) -> _Pat:
        if self.tt == "VAR":
            name = self.tv
            self.advance()
            return _Pat(name=name)
        if self.tt == "[":
            self.advance()
            items = [self.pattern()]
            while self.tt == ",":
                self.advance()
                items.append(self.pattern())
            self.expect("]")
            return _Pat(array=items)
        if self.tt == "{":
            self.advance()
            entries: list[tuple[Any, Any, Any, Any]] = []
            while True:
                if self.tt == "VAR":
                    name = self.tv
                    self.advance()
                    if self.tt == ":":
                        self.advance()
                        entries.append((name, None, None, self.pattern()))
                    else:
                        entries.append((name, None, None, None))
                elif self.tt == "IDENT" or self.tt in _KEYWORDS:
                    key = self.tv if self.tt == "IDENT" else self.tt
                    self.advance()
                    self.expect(":")
                    entries.append((key, None, None, self.pattern()))
                elif self.tt in ("STRING", "STRSTART"):
                    s = self.string()
                    self.expect(":")
                    entries.append((None, s, None, self.pattern()))
                elif self.tt == "(":
                    self.advance()
                    q = self.query()
                    self.expect(")")
                    self.expect(":")
                    entries.append((None, None, q, self.pattern()))
                else:
                    raise self.error()
                if self.tt == ",":
                    self.advance()
                    continue
                self.expect("}")
                return _Pat(obj=entries)
        raise self.error()

    # -- terms --------------------------------------------------------------------------------

    def term(self) -> _T:
        t = self.primary()
        while True:
            tt = self.tt
            if tt == "INDEX":
                t.suffixes.append(("index", _Idx(name=self.tv)))
                self.advance()
            elif tt == "[":
                t.suffixes.append(self.suffix())
            elif tt == "?":
                t.suffixes.append(("opt", None))
                self.advance()
            elif tt == ".":
                self.advance()
                if self.tt == "[":
                    t.suffixes.append(self.suffix())
                elif self.tt in ("STRING", "STRSTART"):
                    t.suffixes.append(("index", _Idx(strv=self.string())))
                else:
                    raise self.error()
            else:
                return t

    def suffix(self) -> tuple[str, Any]:
        self.expect("[")
        if self.tt == "]":
            self.advance()
            return ("iter", None)
        if self.tt == ":":
            self.advance()
            end = self.query()
            self.expect("]")
            return ("index", _Idx(end=end, is_slice=True))
        start = self.query()
        if self.tt == ":":
            self.advance()
            if self.tt == "]":
                self.advance()
                return ("index", _Idx(start=start, is_slice=True))
            end = self.query()
            self.expect("]")
            return ("index", _Idx(start=start, end=end, is_slice=True))
        self.expect("]")
        return ("index", _Idx(start=start))

    def string(self) -> _Str:
        if self.tt == "STRING":
            s = _Str(text=self.tv)
            self.advance()
            return s
        if self.tt != "STRSTART":
            raise self.error()
        self.advance()
        parts: list[Any] = []
        while True:
            if self.tt == "STRING":
                parts.append(_Q("term", term=_T("string", _Str(text=self.tv))))
                self.advance()
            elif self.tt == "STRQUERY":
                self.advance()
                q = self.query()
                if self.tt != ")":
                    raise self.error()
                self.lx.inst = True
                self.advance()
                parts.append(_Q("term", term=_T("query", q)))
            elif self.tt == "STREND":
                self.advance()
                return _Str(parts=parts)
            else:
                raise self.error()

    def primary(self) -> _T:
        tt = self.tt
        if tt == ".":
            self.advance()
            if self.tt == "[":
                kind, val = self.suffix()
                if kind == "iter":
                    t = _T("identity")
                    t.suffixes.append(("iter", None))
                    return t
                return _T("index", val)
            if self.tt in ("STRING", "STRSTART"):
                return _T("index", _Idx(strv=self.string()))
            return _T("identity")
        if tt == "RECURSE":
            self.advance()
            return _T("recurse")
        if tt == "INDEX":
            t = _T("index", _Idx(name=self.tv))
            self.advance()
            return t
        if tt in ("null", "true", "false"):
            self.advance()
            return _T(tt)
        if tt in ("IDENT", "MODIDENT"):
            name = self.tv
            self.advance()
            args: list[_Q] = []
            if self.tt == "(":
                self.advance()
                args.append(self.query())
                while self.tt == ";":
                    self.advance()
                    args.append(self.query())
                self.expect(")")
            return _T("func", name, args)
        if tt in ("VAR", "MODVAR"):
            name = self.tv
            self.advance()
            return _T("func", name, [])
        if tt == "{":
            return self.object()
        if tt == "[":
            self.advance()
            if self.tt == "]":
                self.advance()
                return _T("array", None)
            q = self.query()
            self.expect("]")
            return _T("array", q)
        if tt == "NUMBER":
            t = _T("number", self.tv)
            self.advance()
            return t
        if tt in ("+", "-"):
            self.advance()
            return _T("unary", tt, self.term())
        if tt == "FORMAT":
            fmt = self.tv
            self.advance()
            if self.tt in ("STRING", "STRSTART"):
                return _T("format", fmt, self.string())
            return _T("format", fmt, None)
        if tt in ("STRING", "STRSTART"):
            return _T("string", self.string())
        if tt == "if":
            self.advance()
            cond = self.query()
            self.expect("then")
            then = self.query()
            elifs: list[tuple[_Q, _Q]] = []
            while self.tt == "elif":
                self.advance()
                c = self.query()
                self.expect("then")
                elifs.append((c, self.query()))
            els = None
            if self.tt == "else":
                self.advance()
                els = self.query()
            self.expect("end")
            return _T("if", cond, then, elifs, els)
        if tt == "try":
            self.advance()
            body = _Q("term", term=self.term())
            catch = None
            if self.tt == "catch":
                self.advance()
                catch = _Q("term", term=self.term())
            return _T("try", body, catch)
        if tt in ("reduce", "foreach"):
            self.advance()
            src = self.expr(0)
            self.expect("as")
            pat = self.pattern()
            self.expect("(")
            start = self.query()
            self.expect(";")
            update = self.query()
            extract = None
            if tt == "foreach" and self.tt == ";":
                self.advance()
                extract = self.query()
            self.expect(")")
            return _T(tt, src, pat, start, update, extract)
        if tt == "break":
            self.advance()
            if self.tt != "VAR":
                raise self.error()
            name = self.tv
            self.advance()
            return _T("break", name)
        if tt == "(":
            self.advance()
            q = self.query()
            self.expect(")")
            return _T("query", q)
        raise self.error()

    def object(self) -> _T:
        self.expect("{")
        kvs: list[tuple[Any, Any, Any, Any]] = []
        if self.tt == "}":
            self.advance()
            return _T("object", kvs)
        while True:
            key = keystr = keyq = val = None
            if self.tt in ("IDENT", "VAR") or self.tt in _KEYWORDS:
                key = self.tv if self.tt in ("IDENT", "VAR") else self.tt
                self.advance()
                if self.tt == ":":
                    self.advance()
                    val = self.objectval()
            elif self.tt in ("STRING", "STRSTART"):
                keystr = self.string()
                if self.tt == ":":
                    self.advance()
                    val = self.objectval()
            elif self.tt == "(":
                self.advance()
                keyq = self.query()
                self.expect(")")
                self.expect(":")
                val = self.objectval()
            else:
                raise self.error()
            kvs.append((key, keystr, keyq, val))
            if self.tt == ",":
                self.advance()
                if self.tt == "}":
                    self.advance()
                    return _T("object", kvs)
                continue
            self.expect("}")
            return _T("object", kvs)

    def objectval(self) -> _Q:
        e = self.expr(0)
        if self.tt == "|":
            self.advance()
            return _Q("pipe", left=e, right=self.objectval())
        return e


def _parse(src: str) -> tuple[list[tuple[str, str | None]], _Q]:
    return _Parser(src).program()


# ---------------------------------------------------------------------------------------------
# Evaluator nodes. ``ev(v, env)`` gives the outputs for input ``v``; ``pv(v, p, w, env)`` runs in
# path mode (inside ``path(f)`` and the update operators), yielding (value, path, w) where ``w`` is
# the value gojq's path stack last recorded: indexing checks that it indexes that very value
# (``pathIntact``), which is what makes ``path(1)`` fail and ``path(.a | select(.b))`` work.


def _intact(v: Any, w: Any) -> bool:
    tv = type(v)
    if tv is list or tv is dict:
        return v is w
    if tv is float:
        return type(w) is float and (v == w or (v != v and w != w))
    if tv is BigInt:
        return v is w
    return type(w) is tv and v == w


class _Node:
    __slots__ = ()

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        raise NotImplementedError

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for x in self.ev(v, env):
            yield x, p, w


class _Identity(_Node):
    __slots__ = ()

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return (v,)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return ((v, p, w),)


_IDENTITY = _Identity()


class _Literal(_Node):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return (self.value,)


class _Empty(_Node):
    __slots__ = ()

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return ()

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return ()


def _index(v: Any, x: Any) -> Any:
    """gojq's ``funcIndex2``: ``v[x]`` for object keys, array/string indices, slices and sub-arrays."""
    tx = type(x)
    if tx is str:
        if type(v) is dict:
            return v.get(x)
        if v is None:
            return None
        raise _e_expected_object(v)
    if tx is int or tx is float or tx is BigInt or tx is JsonNumber:
        i = _to_int(x)
        assert i is not None
        tv = type(v)
        if tv is list:
            n = len(v)
            if i < 0:
                i += n
            return v[i] if 0 <= i < n else None
        if v is None:
            return None
        if tv is str:
            n = len(v)
            if i < 0:
                i += n
            return v[i] if 0 <= i < n else None
        raise _e_expected_array(v)
    if tx is list:
        if v is None:
            return None
        if type(v) is list:
            return _indices(v, x)
        raise _e_expected_array(v)
    if tx is dict:
        if v is None:
            return None
        if "start" not in x or "end" not in x:
            raise _JqError('expected "start" and "end" for slicing but got: ' + _tep(x))
        return _slice(v, x["end"], x["start"])
    tv = type(v)
    if tv is list:
        raise _e_array_index(x)
    if tv is str:
        raise _e_string_index(x)
    raise _e_object_key(x)


def _clamp(i: int, lo: int, hi: int) -> int:
    if i < 0:
        i += hi
    if i < lo:
        return lo
    if i < hi:
        return i
    return hi


def _slice(v: Any, e: Any, s: Any) -> Any:
    """gojq's ``funcSlice(v, end, start)``."""
    tv = type(v)
    if v is None:
        return None
    if tv is not list and tv is not str:
        raise _e_expected_array(v)
    err = _e_array_index if tv is list else _e_string_index
    n = len(v)
    start = 0
    if s is not None:
        i = _to_int(s)
        if i is None:
            raise err(s)
        start = _clamp(i, 0, n)
    if e is not None:
        i = _to_int_ceil(e)
        if i is None:
            raise err(e)
        end = _clamp(i, start, n)
    else:
        end = n
    return v[start:end]


def _indices(vs: list, xs: list) -> list:
    if not xs:
        return []
    n = len(xs)
    return [i for i in range(len(vs) - n + 1) if _cmp(vs[i : i + n], xs) == 0]


def _iter_values(v: Any) -> list:
    t = type(v)
    if t is list:
        return v
    if t is dict:
        return [v[k] for k in sorted(v)]
    raise _e_iterate(v)


def _iter_pairs(v: Any) -> list[tuple[Any, Any]]:
    t = type(v)
    if t is list:
        return list(enumerate(v))
    if t is dict:
        return [(k, v[k]) for k in sorted(v)]
    raise _e_iterate(v)


class _Index(_Node):
    __slots__ = ("key", "term")

    def __init__(self, term: _Node, key: Any) -> None:
        self.term = term
        self.key = key

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        if self.term is _IDENTITY:
            return (_index(v, self.key),)
        return self._ev(v, env)

    def _ev(self, v: Any, env: dict) -> Iterator[Any]:
        k = self.key
        for x in self.term.ev(v, env):
            yield _index(x, k)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        k = self.key
        for x, xp, xw in self.term.pv(v, p, w, env):
            r = _index(x, k)
            if not _intact(x, xw):
                raise _e_invalid_path(x)
            yield r, (*xp, k), r


class _IndexDyn(_Node):
    """``_index(term; key)``: the key (evaluated on the same input, without path tracking) outer."""

    __slots__ = ("key", "term")

    def __init__(self, term: _Node, key: _Node) -> None:
        self.term = term
        self.key = key

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for k in self.key.ev(v, env):
            for x in self.term.ev(v, env):
                yield _index(x, k)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for k in self.key.ev(v, env):
            for x, xp, xw in self.term.pv(v, p, w, env):
                r = _index(x, k)
                if not _intact(x, xw):
                    raise _e_invalid_path(x)
                yield r, (*xp, k), r


class _SliceDyn(_Node):
    """``_slice(term; end; start)``: start outermost, then end, then the term."""

    __slots__ = ("end", "start", "term")

    def __init__(self, term: _Node, end: _Node, start: _Node) -> None:
        self.term = term
        self.end = end
        self.start = start

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for s in self.start.ev(v, env):
            for e in self.end.ev(v, env):
                for x in self.term.ev(v, env):
                    yield _slice(x, e, s)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for s in self.start.ev(v, env):
            for e in self.end.ev(v, env):
                for x, xp, xw in self.term.pv(v, p, w, env):
                    r = _slice(x, e, s)
                    if not _intact(x, xw):
                        raise _e_invalid_path(x)
                    yield r, (*xp, {"start": s, "end": e}), r


class _Iterate(_Node):
    __slots__ = ("term",)

    def __init__(self, term: _Node) -> None:
        self.term = term

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        if self.term is _IDENTITY:
            return _iter_values(v)
        return self._ev(v, env)

    def _ev(self, v: Any, env: dict) -> Iterator[Any]:
        for x in self.term.ev(v, env):
            yield from _iter_values(x)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for x, xp, xw in self.term.pv(v, p, w, env):
            t = type(x)
            if t is not list and t is not dict:
                raise _e_iterate(x)
            if not _intact(x, xw):
                raise _e_invalid_path_iter(x)
            for k, e in _iter_pairs(x):
                yield e, (*xp, k), e


class _Pipe(_Node):
    __slots__ = ("left", "right")

    def __init__(self, left: _Node, right: _Node) -> None:
        self.left = left
        self.right = right

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        r = self.right
        for x in self.left.ev(v, env):
            yield from r.ev(x, env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        r = self.right
        for x, xp, xw in self.left.pv(v, p, w, env):
            yield from r.pv(x, xp, xw, env)


class _Comma(_Node):
    __slots__ = ("left", "right")

    def __init__(self, left: _Node, right: _Node) -> None:
        self.left = left
        self.right = right

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        yield from self.left.ev(v, env)
        yield from self.right.ev(v, env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        yield from self.left.pv(v, p, w, env)
        yield from self.right.pv(v, p, w, env)


class _Binop(_Node):
    """An internal two-argument function of the input: the right operand is the outer loop."""

    __slots__ = ("fn", "left", "right")

    def __init__(self, fn: Callable[[Any, Any], Any], left: _Node, right: _Node) -> None:
        self.fn = fn
        self.left = left
        self.right = right

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        fn, left = self.fn, self.left
        for b in self.right.ev(v, env):
            for a in left.ev(v, env):
                yield fn(a, b)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        # gojq tracks paths while it evaluates an internal function's arguments (right first).
        fn, left = self.fn, self.left
        for b, bp, bw in self.right.pv(v, p, w, env):
            for a, ap, aw in left.pv(v, bp, bw, env):
                yield fn(a, b), ap, aw


class _And(_Node):
    __slots__ = ("left", "right")

    def __init__(self, left: _Node, right: _Node) -> None:
        self.left = left
        self.right = right

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for a in self.left.ev(v, env):
            if a is None or a is False:
                yield False
            else:
                for b in self.right.ev(v, env):
                    yield not (b is None or b is False)


class _Or(_Node):
    __slots__ = ("left", "right")

    def __init__(self, left: _Node, right: _Node) -> None:
        self.left = left
        self.right = right

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for a in self.left.ev(v, env):
            if not (a is None or a is False):
                yield True
            else:
                for b in self.right.ev(v, env):
                    yield not (b is None or b is False)


class _Alt(_Node):
    __slots__ = ("left", "right")

    def __init__(self, left: _Node, right: _Node) -> None:
        self.left = left
        self.right = right

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        found = False
        for x in self.left.ev(v, env):
            if not (x is None or x is False):
                found = True
                yield x
        if not found:
            yield from self.right.ev(v, env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        found = False
        for t in self.left.pv(v, p, w, env):
            if not (t[0] is None or t[0] is False):
                found = True
                yield t
        if not found:
            yield from self.right.pv(v, p, w, env)


class _If(_Node):
    __slots__ = ("cond", "els", "then")

    def __init__(self, cond: _Node, then: _Node, els: _Node) -> None:
        self.cond = cond
        self.then = then
        self.els = els

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for c in self.cond.ev(v, env):
            if c is None or c is False:
                yield from self.els.ev(v, env)
            else:
                yield from self.then.ev(v, env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for c in self.cond.ev(v, env):
            if c is None or c is False:
                yield from self.els.pv(v, p, w, env)
            else:
                yield from self.then.pv(v, p, w, env)


class _Try(_Node):
    __slots__ = ("body", "catch")

    def __init__(self, body: _Node, catch: _Node | None) -> None:
        self.body = body
        self.catch = catch

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        try:
            yield from self.body.ev(v, env)
        except _JqHalt:
            raise
        except _JqError as e:
            if self.catch is not None:
                yield from self.catch.ev(e.value, env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        try:
            yield from self.body.pv(v, p, w, env)
        except _JqHalt:
            raise
        except _JqError as e:
            if self.catch is not None:
                yield from self.catch.pv(e.value, p, w, env)


class _Neg(_Node):
    __slots__ = ("fn", "term")

    def __init__(self, term: _Node, fn: Callable[[Any], Any]) -> None:
        self.term = term
        self.fn = fn

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        fn = self.fn
        for x in self.term.ev(v, env):
            yield fn(x)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        fn = self.fn
        for x, xp, xw in self.term.pv(v, p, w, env):
            yield fn(x), xp, xw


class _Var(_Node):
    __slots__ = ("slot",)

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return (env[self.slot],)


class _ArrayCons(_Node):
    __slots__ = ("body",)

    def __init__(self, body: _Node | None) -> None:
        self.body = body

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        if self.body is None:
            return ([],)
        return (list(self.body.ev(v, env)),)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        if self.body is None:
            return (([], p, w),)
        return (([x for x, _, _ in self.body.pv(v, p, w, env)], p, w),)


class _ObjectCons(_Node):
    """Entries (key node, value node or None = ``.[key]``); the last entry varies fastest."""

    __slots__ = ("entries",)

    def __init__(self, entries: list[tuple[_Node, _Node | None]]) -> None:
        self.entries = entries

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return self._rec(v, env, 0, [])

    @staticmethod
    def _build(acc: list[tuple[Any, Any]]) -> dict:
        m: dict[str, Any] = {}
        for k, x in reversed(acc):
            if type(k) is not str:
                raise _e_object_key(k)
            if k not in m:
                m[k] = x
        return m

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return self._prec(v, env, 0, [], p, w)

    def _prec(self, v: Any, env: dict, i: int, acc: list[tuple[Any, Any]], p: tuple,
              w: Any) -> Iterator[tuple[Any, tuple, Any]]:
        if i == len(self.entries):
            yield self._build(acc), p, w
            return
        knode, vnode = self.entries[i]
        for k, kp, kw in knode.pv(v, p, w, env):
            if vnode is None:
                yield from self._prec(v, env, i + 1, [*acc, (k, _index(v, k))], kp, kw)
            else:
                for x, xp, xw in vnode.pv(v, kp, kw, env):
                    yield from self._prec(v, env, i + 1, [*acc, (k, x)], xp, xw)

    def _rec(self, v: Any, env: dict, i: int, acc: list[tuple[Any, Any]]) -> Iterator[Any]:
        if i == len(self.entries):
            yield self._build(acc)
            return
        knode, vnode = self.entries[i]
        for k in knode.ev(v, env):
            if vnode is None:
                yield from self._rec(v, env, i + 1, [*acc, (k, _index(v, k))])
            else:
                for x in vnode.ev(v, env):
                    yield from self._rec(v, env, i + 1, [*acc, (k, x)])


class _StrInterp(_Node):
    """``"a\\(x)b"``: parts joined by ``+``; the last part is the outer loop, as gojq's chain of _add."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[tuple[str | None, _Node | None]]) -> None:
        self.parts = parts  # (literal, None) or (None, node already piped through tostring/format)

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return self._rec(v, env, len(self.parts) - 1)

    def _vals(self, v: Any, env: dict, i: int) -> Iterable[Any]:
        lit, node = self.parts[i]
        if node is None:
            return (lit,)
        return node.ev(v, env)

    def _rec(self, v: Any, env: dict, i: int) -> Iterator[Any]:
        if i == 0:
            yield from self._vals(v, env, 0)
            return
        for r in self._vals(v, env, i):
            for l in self._rec(v, env, i - 1):
                yield _op_add(l, r)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return self._prec(v, env, len(self.parts) - 1, p, w)

    def _pvals(self, v: Any, env: dict, i: int, p: tuple, w: Any) -> Iterable[tuple[Any, tuple, Any]]:
        lit, node = self.parts[i]
        if node is None:
            return ((lit, p, w),)
        return node.pv(v, p, w, env)

    def _prec(self, v: Any, env: dict, i: int, p: tuple, w: Any) -> Iterator[tuple[Any, tuple, Any]]:
        if i == 0:
            yield from self._pvals(v, env, 0, p, w)
            return
        for r, rp, rw in self._pvals(v, env, i, p, w):
            for l, lp, lw in self._prec(v, env, i - 1, rp, rw):
                yield _op_add(l, r), lp, lw


class _Label(_Node):
    __slots__ = ("body", "slot")

    def __init__(self, slot: int, body: _Node) -> None:
        self.slot = slot
        self.body = body

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        tok = object()
        env2 = dict(env)
        env2[self.slot] = tok
        try:
            yield from self.body.ev(v, env2)
        except _Break as b:
            if b.token is not tok:
                raise

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        tok = object()
        env2 = dict(env)
        env2[self.slot] = tok
        try:
            yield from self.body.pv(v, p, w, env2)
        except _Break as b:
            if b.token is not tok:
                raise


class _BreakNode(_Node):
    __slots__ = ("slot",)

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        raise _Break(env[self.slot])

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        raise _Break(env[self.slot])


# Patterns ---------------------------------------------------------------------------------------


class _PatNode:
    """A compiled destructuring pattern: ('var', slot) | ('array', [pat]) | ('object', [entry])."""

    __slots__ = ("items", "kind", "slot")

    def __init__(self, kind: str, slot: int = -1, items: Any = None) -> None:
        self.kind = kind
        self.slot = slot
        self.items = items

    def bind(self, val: Any, env: dict) -> Iterator[dict]:
        if self.kind == "var":
            env2 = dict(env)
            env2[self.slot] = val
            yield env2
        elif self.kind == "array":
            if val is not None and type(val) is not list:
                raise _e_expected_array(val)
            yield from self._bind_array(val, env, 0)
        else:
            yield from self._bind_object(val, env, 0)

    def _bind_array(self, val: Any, env: dict, i: int) -> Iterator[dict]:
        if i == len(self.items):
            yield env
            return
        for env2 in self.items[i].bind(_index(val, i), env):
            yield from self._bind_array(val, env2, i + 1)

    def _bind_object(self, val: Any, env: dict, i: int) -> Iterator[dict]:
        if i == len(self.items):
            yield env
            return
        keynode, varslot, sub = self.items[i]
        for k in keynode.ev(val, env):
            x = _index(val, k)
            envs: Iterable[dict]
            if varslot >= 0:
                e2 = dict(env)
                e2[varslot] = x
                envs = (e2,)
            else:
                envs = (env,)
            for e3 in envs:
                if sub is None:
                    yield from self._bind_object(val, e3, i + 1)
                else:
                    for e4 in sub.bind(x, e3):
                        yield from self._bind_object(val, e4, i + 1)


class _Bind(_Node):
    """``src as $p ?// $q | body``: the source without path tracking, the body on the input."""

    __slots__ = ("body", "pats", "slots", "src")

    def __init__(self, src: _Node, pats: list[_PatNode], slots: list[int], body: _Node) -> None:
        self.src = src
        self.pats = pats
        self.slots = slots
        self.body = body

    def _run(self, v: Any, env: dict, run: Callable[[dict], Iterable[Any]]) -> Iterator[Any]:
        pats = self.pats
        for val in self.src.ev(v, env):
            if len(pats) == 1:
                for env2 in pats[0].bind(val, env):
                    yield from run(env2)
                continue
            base = dict(env)
            for s in self.slots:
                base[s] = None
            last = len(pats) - 1
            for i, pat in enumerate(pats):
                try:
                    for env2 in pat.bind(val, base):
                        yield from run(env2)
                    break
                except _JqHalt:
                    raise
                except _JqError:
                    if i == last:
                        raise

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        body = self.body
        return self._run(v, env, lambda e: body.ev(v, e))

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        body = self.body
        return self._run(v, env, lambda e: body.pv(v, p, w, e))


class _Reduce(_Node):
    __slots__ = ("pat", "src", "start", "update")

    def __init__(self, src: _Node, pat: _PatNode, start: _Node, update: _Node) -> None:
        self.src = src
        self.pat = pat
        self.start = start
        self.update = update

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for acc in self.start.ev(v, env):
            for item in self.src.ev(v, env):
                for env2 in self.pat.bind(item, env):
                    for out in self.update.ev(acc, env2):
                        acc = out
            yield acc

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for acc, sp, sw in self.start.pv(v, p, w, env):
            for item, ip, iw in self.src.pv(v, sp, sw, env):
                for env2 in self.pat.bind(item, env):
                    for out, _, _ in self.update.pv(acc, ip, iw, env2):
                        acc = out
            yield acc, sp, sw


class _Foreach(_Node):
    __slots__ = ("extract", "pat", "src", "start", "update")

    def __init__(self, src: _Node, pat: _PatNode, start: _Node, update: _Node, extract: _Node | None) -> None:
        self.src = src
        self.pat = pat
        self.start = start
        self.update = update
        self.extract = extract

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        ex = self.extract
        for acc in self.start.ev(v, env):
            for item in self.src.ev(v, env):
                for env2 in self.pat.bind(item, env):
                    for out in self.update.ev(acc, env2):
                        acc = out
                        if ex is None:
                            yield out
                        else:
                            yield from ex.ev(out, env2)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        ex = self.extract
        for acc, sp, sw in self.start.pv(v, p, w, env):
            for item, ip, iw in self.src.pv(v, sp, sw, env):
                for env2 in self.pat.bind(item, env):
                    for out, up, uw in self.update.pv(acc, ip, iw, env2):
                        acc = out
                        if ex is None:
                            yield out, up, uw
                        else:
                            yield from ex.pv(out, up, uw, env2)


# Functions ----------------------------------------------------------------------------------------


class _FuncInfo:
    """A user ``def`` at compile time: its runtime slot, parameter slots and compiled body."""

    __slots__ = ("arity", "body", "dollar", "name", "params", "slot")

    def __init__(self, name: str, arity: int, slot: int) -> None:
        self.name = name
        self.arity = arity
        self.slot = slot
        self.params: list[int] = []  # closure slot per parameter
        self.dollar: list[tuple[int, int]] = []  # (param index, value slot) for $params, in order
        self.body: _Node = _IDENTITY


class _Closure:
    __slots__ = ("env", "info")

    def __init__(self, info: _FuncInfo, env: dict) -> None:
        self.info = info
        self.env = env


class _Param:
    """A filter argument: its node and the caller's environment."""

    __slots__ = ("env", "node")

    def __init__(self, node: _Node, env: dict) -> None:
        self.node = node
        self.env = env


class _Defs(_Node):
    __slots__ = ("body", "infos")

    def __init__(self, infos: list[_FuncInfo], body: _Node) -> None:
        self.infos = infos
        self.body = body

    def _env(self, env: dict) -> dict:
        env2 = dict(env)
        for fi in self.infos:
            env2[fi.slot] = _Closure(fi, env2)
        return env2

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return self.body.ev(v, self._env(env))

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return self.body.pv(v, p, w, self._env(env))


class _CallUser(_Node):
    __slots__ = ("args", "slot")

    def __init__(self, slot: int, args: list[_Node]) -> None:
        self.slot = slot
        self.args = args

    def _envs(self, v: Any, env: dict) -> Iterator[tuple[_FuncInfo, dict]]:
        clo: _Closure = env[self.slot]
        fi = clo.info
        fenv = dict(clo.env)
        for ps, a in zip(fi.params, self.args):
            fenv[ps] = _Param(a, env)
        if not fi.dollar:
            yield fi, fenv
            return
        yield from self._dollar(fi, fenv, v, env, 0)

    def _dollar(self, fi: _FuncInfo, fenv: dict, v: Any, env: dict, i: int) -> Iterator[tuple[_FuncInfo, dict]]:
        if i == len(fi.dollar):
            yield fi, fenv
            return
        idx, slot = fi.dollar[i]
        for val in self.args[idx].ev(v, env):
            e2 = dict(fenv)
            e2[slot] = val
            yield from self._dollar(fi, e2, v, env, i + 1)

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        for fi, fenv in self._envs(v, env):
            yield from fi.body.ev(v, fenv)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        for fi, fenv in self._envs(v, env):
            yield from fi.body.pv(v, p, w, fenv)


class _CallParam(_Node):
    __slots__ = ("slot",)

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        prm: _Param = env[self.slot]
        return prm.node.ev(v, prm.env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        prm: _Param = env[self.slot]
        return prm.node.pv(v, p, w, prm.env)


class _Call(_Node):
    """A native builtin: ``fn(args, v, env)`` gives the outputs, ``pfn`` (if any) the path mode."""

    __slots__ = ("args", "fn", "pfn")

    def __init__(self, fn: Callable[..., Iterable[Any]], args: list[_Node],
                 pfn: Callable[..., Iterable[tuple[Any, tuple, Any]]] | None = None) -> None:
        self.fn = fn
        self.args = args
        self.pfn = pfn

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return self.fn(self.args, v, env)

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        if self.pfn is not None:
            return self.pfn(self.args, v, p, w, env)
        return _Node.pv(self, v, p, w, env)


class _Func0(_Node):
    """An internal function of the input only (``length``, ``tostring`` ...)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        return (self.fn(v),)


class _FuncN(_Node):
    """An internal function with evaluated arguments: the last argument is the outermost loop."""

    __slots__ = ("args", "fn")

    def __init__(self, fn: Callable[..., Any], args: list[_Node]) -> None:
        self.fn = fn
        self.args = args

    def ev(self, v: Any, env: dict) -> Iterable[Any]:
        args = self.args
        fn = self.fn
        if len(args) == 1:
            a0 = args[0]
            if type(a0) is _Literal:
                return (fn(v, a0.value),)
            return (fn(v, a) for a in a0.ev(v, env))
        return self._rec(v, env, len(args) - 1, ())

    def _rec(self, v: Any, env: dict, i: int, tail: tuple) -> Iterator[Any]:
        for a in self.args[i].ev(v, env):
            if i == 0:
                yield self.fn(v, a, *tail)
            else:
                yield from self._rec(v, env, i - 1, (a, *tail))

    def pv(self, v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return self._prec(v, env, len(self.args) - 1, (), p, w)

    def _prec(self, v: Any, env: dict, i: int, tail: tuple, p: tuple,
              w: Any) -> Iterator[tuple[Any, tuple, Any]]:
        for a, ap, aw in self.args[i].pv(v, p, w, env):
            if i == 0:
                yield self.fn(v, a, *tail), ap, aw
            else:
                yield from self._prec(v, env, i - 1, (a, *tail), ap, aw)


# ---------------------------------------------------------------------------------------------
# Compiler: gojq's name resolution, scoping and compile-error order


_slot_counter = itertools.count(1)


def _new_slot() -> int:
    return next(_slot_counter)


Scopes = tuple  # tuple of frames; a frame is a tuple of entries (kind, name, arity, info)


def _push(sc: Scopes, entry: tuple) -> Scopes:
    return (*sc[:-1], (*sc[-1], entry))


def _lookup_func_or_var(sc: Scopes, name: str) -> tuple | None:
    is_func = name[0] != "$"
    for frame in reversed(sc):
        if is_func:
            for e in reversed(frame):
                if e[0] == "f" and e[1] == name and e[2] == 0:
                    return e
        for e in reversed(frame):
            if e[0] == "v" and e[1] == name:
                return e
    return None


def _lookup_func(sc: Scopes, name: str, arity: int) -> tuple | None:
    for frame in reversed(sc):
        for e in reversed(frame):
            if e[0] == "f" and e[1] == name and e[2] == arity:
                return e
    return None


def _lookup_var(sc: Scopes, name: str) -> tuple | None:
    for frame in reversed(sc):
        for e in reversed(frame):
            if e[0] == "v" and e[1] == name:
                return e
    return None


def _term_index_key(q: _Q | None) -> Any:
    """gojq's ``Query.toIndexKey``: constant number/string (suffixes ignored, as gojq does)."""
    if q is None or q.kind != "term":
        return None
    t = q.term
    if t.kind == "number":
        return _parse_number(t.a)
    if t.kind == "unary":
        inner = t.b
        if inner.kind == "number":
            n = _parse_number(inner.a)
            return _negate(n) if t.a == "-" else n
        return None
    if t.kind == "string" and t.a.parts is None:
        return t.a.text
    return None


def _idx_key(x: _Idx) -> Any:
    if x.name is not None:
        return x.name
    if x.strv is not None:
        return x.strv.text if x.strv.parts is None else None
    if not x.slice:
        return _term_index_key(x.start)
    start = end = None
    if x.start is not None:
        start = _term_index_key(x.start)
        if start is None:
            return None
    if x.end is not None:
        end = _term_index_key(x.end)
        if end is None:
            return None
    return {"start": start, "end": end}


def _to_indices(q: _Q) -> list[Any] | None:
    """gojq's ``Query.toIndices``: ``.a[0]."b"`` → ["a", 0, "b"] for the ``=`` shortcut."""
    if q.kind != "term":
        return None
    t = q.term
    xs: list[Any]
    if t.kind == "index":
        k = _idx_key(t.a)
        if k is None:
            return None
        xs = [k]
    elif t.kind == "query":
        sub = _to_indices(t.a)
        if sub is None:
            return None
        xs = sub
    else:
        return None
    for kind, val in t.suffixes:
        if kind != "index":
            return None
        k = _idx_key(val)
        if k is None:
            return None
        xs.append(k)
    return xs


class _Compiler:
    def __init__(self) -> None:
        self.uses_libjq = False

    # -- queries ------------------------------------------------------------------------------

    def query(self, q: _Q, sc: Scopes) -> _Node:
        k = q.kind
        if k == "term":
            return self.term(q.term, q.term.suffixes, sc)
        if k == "pipe":
            left = self.query(q.left, sc)
            return _Pipe(left, self.query(q.right, sc))
        if k == "comma":
            left = self.query(q.left, sc)
            return _Comma(left, self.query(q.right, sc))
        if k == "defs":
            infos: list[_FuncInfo] = []
            for fd in q.left:
                fi, sc = self.funcdef(fd, sc)
                infos.append(fi)
            if q.right is None:
                raise JqCompileError('missing query (try ".")')
            return _Defs(infos, self.query(q.right, sc))
        if k == "bind":
            return self.bind(q, sc)
        op = q.op
        if op == "//":
            left = self.query(q.left, sc)
            return _Alt(left, self.query(q.right, sc))
        if op == "or":
            left = self.query(q.left, sc)
            return _Or(left, self.query(q.right, sc))
        if op == "and":
            left = self.query(q.left, sc)
            return _And(left, self.query(q.right, sc))
        if op in _ARITH:
            return self.call_internal_op(op, q.left, q.right, sc)
        return self.update(op, q.left, q.right, sc)

    def call_internal_op(self, op: str, l: _Q, r: _Q, sc: Scopes) -> _Node:
        right = self.query(r, sc)
        left = self.query(l, sc)
        return _Binop(_ARITH[op], left, right)

    def update(self, op: str, l: _Q, r: _Q, sc: Scopes) -> _Node:
        if op == "=":
            xs = _to_indices(l)
            if xs is not None:
                rhs = self.query(r, sc)
                return _Call(_b_setpath_const, [rhs, _Literal(xs)])
            rhs = self.query(r, sc)
            lhs = self.query(l, sc)
            return _Call(_b_assign, [lhs, rhs])
        if op == "|=":
            rhs = self.query(r, sc)
            lhs = self.query(l, sc)
            return _Call(_b_modify, [lhs, rhs])
        rhs = self.query(r, sc)
        lhs = self.query(l, sc)
        fn = _op_alt_value if op == "//=" else _ARITH[op[:-1]]
        return _Call(_b_update_op, [lhs, rhs, _Literal(fn)])

    def funcdef(self, fd: _FuncDef, sc: Scopes) -> tuple[_FuncInfo, Scopes]:
        fi = _FuncInfo(fd.name, len(fd.args), _new_slot())
        sc = _push(sc, ("f", fd.name, len(fd.args), fi))
        frame: list[tuple] = []
        for arg in fd.args:
            s = _new_slot()
            fi.params.append(s)
            frame.append(("v", arg[1:] if arg[0] == "$" else arg, None, s))
        for i, arg in enumerate(fd.args):
            if arg[0] == "$":
                s = _new_slot()
                fi.dollar.append((i, s))
                frame.append(("v", arg, None, s))
        fi.body = self.query(fd.body, (*sc, tuple(frame)))
        return fi, sc

    def bind(self, q: _Q, sc: Scopes) -> _Node:
        src = self.query(q.left, sc)
        names: dict[str, int] = {}
        pats = []
        sc2 = sc
        for p in q.op:
            node, sc2 = self.pattern(p, sc2, names)
            pats.append(node)
        body = self.query(q.right, sc2)
        return _Bind(src, pats, sorted(set(names.values())), body)

    def pattern(self, p: _Pat, sc: Scopes, names: dict[str, int]) -> tuple[_PatNode, Scopes]:
        def var(name: str, sc: Scopes) -> tuple[int, Scopes]:
            slot = names.get(name)
            if slot is None:
                slot = names[name] = _new_slot()
            return slot, _push(sc, ("v", name, None, slot))

        if p.name is not None:
            slot, sc = var(p.name, sc)
            return _PatNode("var", slot), sc
        if p.array is not None:
            items = []
            for elem in p.array:
                node, sc = self.pattern(elem, sc, names)
                items.append(node)
            return _PatNode("array", items=items), sc
        entries = []
        for key, keystr, keyq, val in p.obj or []:
            varslot = -1
            keynode: _Node
            if key is not None:
                if key[0] == "$":
                    keynode = _Literal(key[1:])
                else:
                    keynode = _Literal(key)
            elif keystr is not None:
                keynode = _Literal(keystr.text) if keystr.parts is None else self.string(keystr, None, sc)
            else:
                keynode = self.query(keyq, sc)
            if key is not None and key[0] == "$":
                varslot, sc = var(key, sc)
            sub = None
            if val is not None:
                sub, sc = self.pattern(val, sc, names)
            entries.append((keynode, varslot, sub))
        return _PatNode("object", items=entries), sc

    # -- terms --------------------------------------------------------------------------------

    def term(self, t: _T, sfx: list[tuple[str, Any]], sc: Scopes) -> _Node:
        if sfx:
            kind, val = sfx[-1]
            rest = sfx[:-1]
            if kind == "index":
                return self.index(t, rest, val, sc)
            if kind == "iter":
                return _Iterate(self.term(t, rest, sc))
            if rest and rest[-1][0] in ("index", "iter"):
                inner = self.term(t, rest[:-1], sc)
                pk, pval = rest[-1]
                if pk == "index":
                    u = self.index(_T("identity"), [], pval, sc)
                else:
                    u = _Iterate(_IDENTITY)
                return _Pipe(inner, _Try(u, None))
            return _Try(self.term(t, rest, sc), None)
        kind = t.kind
        if kind == "identity":
            return _IDENTITY
        if kind == "recurse":
            return self.func("recurse", [], sc)
        if kind == "null":
            return _Literal(None)
        if kind == "true":
            return _Literal(True)
        if kind == "false":
            return _Literal(False)
        if kind == "index":
            return self.index(_T("identity"), [], t.a, sc)
        if kind == "func":
            return self.func(t.a, t.b, sc)
        if kind == "object":
            return self.object(t.a, sc)
        if kind == "array":
            return _ArrayCons(None if t.a is None else self.query(t.a, sc))
        if kind == "number":
            return _Literal(_parse_number(t.a))
        if kind == "unary":
            inner = t.b
            if inner.kind == "number" and not inner.suffixes:
                n = _parse_number(inner.a)
                return _Literal(_negate(n) if t.a == "-" else n)
            node = self.term(inner, inner.suffixes, sc)
            return _Neg(node, _negate if t.a == "-" else _plus)
        if kind == "format":
            return self.format(t.a, t.b, sc)
        if kind == "string":
            return self.string(t.a, None, sc)
        if kind == "if":
            return self.if_(t.a, t.b, t.c, t.d, sc)
        if kind == "try":
            body = self.query(t.a, sc)
            return _Try(body, None if t.b is None else self.query(t.b, sc))
        if kind == "reduce":
            start = self.query(t.c, sc)
            src = self.query(t.a, sc)
            pat, sc2 = self.pattern(t.b, sc, {})
            return _Reduce(src, pat, start, self.query(t.d, sc2))
        if kind == "foreach":
            start = self.query(t.c, sc)
            src = self.query(t.a, sc)
            pat, sc2 = self.pattern(t.b, sc, {})
            update = self.query(t.d, sc2)
            return _Foreach(src, pat, start, update, None if t.e is None else self.query(t.e, sc2))
        if kind == "label":
            slot = _new_slot()
            return _Label(slot, self.query(t.b, _push(sc, ("v", "$%" + t.a[1:], None, slot))))
        if kind == "break":
            e = _lookup_var(sc, "$%" + t.a[1:])
            if e is None:
                raise JqCompileError("label not defined: " + t.a)
            return _BreakNode(e[3])
        if kind == "query":
            return self.query(t.a, sc)
        raise AssertionError(kind)  # pragma: no cover

    def index(self, t: _T, rest: list[tuple[str, Any]], x: _Idx, sc: Scopes) -> _Node:
        k = _idx_key(x)
        if k is not None:
            return _Index(self.term(t, rest, sc), k)
        if x.strv is not None:
            key = self.string(x.strv, None, sc)
            return _IndexDyn(self.term(t, rest, sc), key)
        if not x.slice:
            key = self.query(x.start, sc)
            return _IndexDyn(self.term(t, rest, sc), key)
        if x.start is None:
            end = self.query(x.end, sc)
            return _SliceDyn(self.term(t, rest, sc), end, _Literal(None))
        if x.end is None:
            start = self.query(x.start, sc)
            return _SliceDyn(self.term(t, rest, sc), _Literal(None), start)
        start = self.query(x.start, sc)
        end = self.query(x.end, sc)
        return _SliceDyn(self.term(t, rest, sc), end, start)

    def if_(self, cond: _Q, then: _Q, elifs: list[tuple[_Q, _Q]], els: _Q | None, sc: Scopes) -> _Node:
        c = self.query(cond, sc)
        th = self.query(then, sc)
        if elifs:
            e: _Node = self.if_(elifs[0][0], elifs[0][1], elifs[1:], els, sc)
        elif els is not None:
            e = self.query(els, sc)
        else:
            e = _IDENTITY
        return _If(c, th, e)

    def object(self, kvs: list[tuple[Any, Any, Any, Any]], sc: Scopes) -> _Node:
        if not kvs:
            return _Literal({})
        entries: list[tuple[_Node, _Node | None]] = []
        for key, keystr, keyq, val in kvs:
            knode: _Node
            vnode: _Node | None
            if key is not None:
                if key[0] == "$":
                    var = self.func(key, [], sc)
                    if val is None:
                        knode, vnode = _Literal(key[1:]), var
                    else:
                        knode, vnode = var, None
                else:
                    knode = _Literal(key)
                    vnode = None
            elif keystr is not None:
                knode = _Literal(keystr.text) if keystr.parts is None else self.string(keystr, None, sc)
                vnode = None
            else:
                knode = self.query(keyq, sc)
                vnode = None
            if val is not None:
                vnode = self.query(val, sc)
            entries.append((knode, vnode))
        if all(type(k) is _Literal and type(k.value) is str and type(v) is _Literal for k, v in entries):
            return _Literal(next(iter(_ObjectCons(entries).ev(None, {}))))
        return _ObjectCons(entries)

    def string(self, s: _Str, fmt: tuple[str, list[_Q]] | None, sc: Scopes) -> _Node:
        if s.parts is None:
            return _Literal(s.text)
        parts: list[tuple[str | None, _Node | None]] = []
        compiled: list[tuple[str | None, _Node | None] | None] = [None] * len(s.parts)
        for i in range(len(s.parts) - 1, -1, -1):
            part = s.parts[i]
            if part.term.kind == "string":
                compiled[i] = (part.term.a.text, None)
            else:
                fname, fargs = fmt if fmt is not None else ("tostring", [])
                inner = self.query(part, sc)
                f = self.func(fname, fargs, sc)
                compiled[i] = (None, _Pipe(inner, f))
        for c in compiled:
            assert c is not None
            parts.append(c)
        return _StrInterp(parts)

    def format(self, fmt: str, s: _Str | None, sc: Scopes) -> _Node:
        name = _FORMATS.get(fmt)
        f: tuple[str, list[_Q]]
        if name is None:
            f = ("format", [_Q("term", term=_T("string", _Str(text=fmt[1:])))])
        else:
            f = (name, [])
        if s is None:
            return self.func(f[0], f[1], sc)
        return self.string(s, f, sc)

    # -- function calls -----------------------------------------------------------------------

    def func(self, name: str, args: list[_Q], sc: Scopes) -> _Node:
        n = len(args)
        if n == 0:
            e = _lookup_func_or_var(sc, name)
            if e is not None:
                if e[0] == "f":
                    return _CallUser(e[3].slot, [])
                if name[0] == "$":
                    return _Var(e[3])
                return _CallParam(e[3])
            if name in ("$ENV", "env"):
                return _Literal({})
            if name[0] == "$":
                raise JqCompileError("variable not defined: " + name)
        else:
            e = _lookup_func(sc, name, n)
            if e is not None:
                nodes = self.args(args, sc)
                return _CallUser(e[3].slot, nodes)
        key = (name, n)
        if key not in _GOJQ_FUNCS:
            raise JqCompileError(f"function not defined: {name}/{n}")
        if name in ("input", "inputs"):
            raise JqCompileError("input(s)/0 is not allowed")
        if name == "debug":
            arg = self.query(args[0], sc)
            try:
                dbg = self.func("debug", [], sc)
            except JqCompileError as err:
                if err.message.startswith("function not defined"):
                    raise JqCompileError("function not defined: debug/1") from None
                raise
            return _Call(_b_debug, [arg, dbg])
        nodes = self.args(args, sc)
        factory = _BUILTINS.get(key)
        if factory is None:
            self.uses_libjq = True
            return _Call(_b_unsupported, nodes)
        return factory(nodes)

    def args(self, args: list[_Q], sc: Scopes) -> list[_Node]:
        out: list[_Node | None] = [None] * len(args)
        for i in range(len(args) - 1, -1, -1):
            out[i] = self.query(args[i], sc)
        return [a for a in out if a is not None]


_FORMATS = {
    "@text": "tostring", "@json": "tojson", "@html": "_tohtml", "@uri": "_touri", "@urid": "_tourid",
    "@csv": "_tocsv", "@tsv": "_totsv", "@sh": "_tosh", "@base64": "_tobase64", "@base64d": "_tobase64d",
}


def _compile_program(src: str) -> tuple[_Node, bool]:
    """Parse and compile like ``gojq.Parse`` + ``gojq.Compile``; (root node, needs libjq)."""
    imports, q = _parse(src)
    for path, _alias in imports:
        raise JqCompileError("cannot load module: " + _go_quote(path))
    c = _Compiler()
    node = c.query(q, ((),))
    return node, c.uses_libjq


# ---------------------------------------------------------------------------------------------
# Builtins. Names and arities gojq v0.12.19 defines (internal functions and builtin.jq): a call
# to anything else is "function not defined". Every one of them is implemented natively below,
# except the Bessel functions j0 j1 jn y0 y1 yn (no factory below: run through libjq).

_GOJQ_FUNC_TABLE = (
    "IN/1,2 INDEX/1,2 JOIN/2,3,4 _add/2 _alternative/2 _assign/2 _captures/0 _divide/2 _equal/2 "
    "_greater/2 _greatereq/2 _group_by/1 _index/2 _last/1 _less/2 _lesseq/2 _match/3 _max_by/1 "
    "_min_by/1 _modify/2 _modulo/2 _multiply/2 _negate/0 _notequal/2 _plus/0 _range/3 _slice/3 "
    "_sort_by/1 _subtract/2 _tobase64/0 _tobase64d/0 _tocsv/0 _tohtml/0 _tosh/0 _totsv/0 _touri/0 "
    "_tourid/0 _unique_by/1 abs/0 acos/0 acosh/0 add/0,1 all/0,1,2 any/0,1,2 arrays/0 "
    "ascii_downcase/0 ascii_upcase/0 asin/0 asinh/0 atan/0 atan2/2 atanh/0 booleans/0 bsearch/1 "
    "builtins/0 capture/1,2 cbrt/0 ceil/0 combinations/0,1 contains/1 copysign/2 cos/0 cosh/0 "
    "debug/1 del/1 delpaths/1 drem/2 empty/0 endswith/1 env/0 erf/0 erfc/0 error/0,1 exp/0 exp10/0 "
    "exp2/0 explode/0 expm1/0 fabs/0 fdim/2 finites/0 first/0,1 flatten/0,1 floor/0 fma/3 fmax/2 "
    "fmin/2 fmod/2 format/1 frexp/0 from_entries/0 fromdate/0 fromdateiso8601/0 fromjson/0 "
    "fromstream/1 gamma/0 getpath/1 gmtime/0 group_by/1 gsub/2,3 halt/0 halt_error/0,1 has/1 "
    "hypot/2 implode/0 in/1 index/1 indices/1 infinite/0 input/0 inputs/0 inside/1 isempty/1 "
    "isfinite/0 isinfinite/0 isnan/0 isnormal/0 iterables/0 j0/0 j1/0 jn/2 join/1 keys/0 last/0,1 "
    "ldexp/2 length/0 lgamma/0 limit/2 localtime/0 log/0 log10/0 log1p/0 log2/0 logb/0 ltrim/0 "
    "ltrimstr/1 map/1 map_values/1 match/1,2 max/0 max_by/1 min/0 min_by/1 mktime/0 modf/0 "
    "modulemeta/0 nan/0 nearbyint/0 nextafter/2 nexttoward/2 normals/0 not/0 now/0 nth/1,2 nulls/0 "
    "numbers/0 objects/0 path/1 paths/0,1 pick/1 pow/2 range/1,2,3 recurse/0,1,2 remainder/2 "
    "repeat/1 reverse/0 rindex/1 rint/0 round/0 rtrim/0 rtrimstr/1 scalars/0 scalb/2 scalbln/2 "
    "scan/1,2 select/1 setpath/2 significand/0 sin/0 sinh/0 skip/2 sort/0 sort_by/1 split/1,2 "
    "splits/1,2 sqrt/0 startswith/1 strflocaltime/1 strftime/1 strings/0 strptime/1 sub/2,3 tan/0 "
    "tanh/0 test/1,2 tgamma/0 to_entries/0 toboolean/0 todate/0 todateiso8601/0 tojson/0 tonumber/0 "
    "tostream/0 tostring/0 transpose/0 trim/0 trimstr/1 trunc/0 truncate_stream/1 type/0 unique/0 "
    "unique_by/1 until/2 utf8bytelength/0 values/0 walk/1 while/2 with_entries/1 y0/0 y1/0 yn/2"
)
_GOJQ_FUNCS: frozenset[tuple[str, int]] = frozenset(
    (name, int(a)) for item in _GOJQ_FUNC_TABLE.split() for name, arities in [item.split("/")]
    for a in arities.split(",")
)
_BUILTIN_NAMES = sorted(
    (n, a) for n, a in _GOJQ_FUNCS if n[0] != "_"
)

_BUILTINS: dict[tuple[str, int], Callable[[list[_Node]], _Node]] = {}


def _reg0(name: str, fn: Callable[[Any], Any]) -> None:
    node = _Func0(fn)
    _BUILTINS[(name, 0)] = lambda args: node


def _regn(name: str, n: int, fn: Callable[..., Any]) -> None:
    _BUILTINS[(name, n)] = lambda args: _FuncN(fn, args)


def _regs(name: str, n: int, fn: Callable[..., Iterable[Any]],
          pfn: Callable[..., Iterable[tuple[Any, tuple, Any]]] | None = None) -> None:
    _BUILTINS[(name, n)] = lambda args: _Call(fn, args, pfn)


def _error_value(v: Any) -> _JqError:
    """``error(v)``: gojq's exitCodeError (``try`` catches the value itself)."""
    return _JqError("error: " + (v if type(v) is str else _json(v)), v)


def _b_unsupported(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    raise _Unsupported("builtin")


# -- simple value functions ---------------------------------------------------------------------


def _f_length(v: Any) -> Any:
    t = type(v)
    if t is str or t is list or t is dict:
        return len(v)
    if v is None:
        return 0
    if t is int:
        return v if v >= 0 else _intres(-v)
    if t is float:
        return abs(v)
    if t is BigInt:
        return v if v >= 0 else BigInt(-v)
    if t is JsonNumber:
        return JsonNumber(v.text[1:]) if v.text.startswith("-") else v
    raise _e_func0("length", v)


def _f_abs(v: Any) -> Any:
    if v is None or type(v) is bool or not _is_num(v):
        raise _e_func0("abs", v)
    return _f_length(v)


def _f_utf8bytelength(v: Any) -> Any:
    if type(v) is not str:
        raise _e_func0("utf8bytelength", v)
    return len(v.encode("utf-8", "surrogateescape"))


def _keys(v: Any) -> list:
    t = type(v)
    if t is dict:
        return sorted(v)
    if t is list:
        return list(range(len(v)))
    raise _e_func0("keys", v)


def _values(v: Any) -> list | None:
    t = type(v)
    if t is list:
        return v
    if t is dict:
        return [v[k] for k in sorted(v)]
    return None


def _f_has(v: Any, x: Any) -> Any:
    t = type(v)
    if t is list:
        i = _to_int(x) if type(x) is not bool else None
        if i is not None:
            return 0 <= i < len(v)
    elif t is dict:
        if type(x) is str:
            return x in v
    elif v is None:
        return False
    raise _e_func1("has", v, x)


def _add_values(xs: Iterable[Any]) -> Any:
    acc: Any = None
    for x in xs:
        if x is None:
            continue
        tx = type(x)
        ta = type(acc)
        if tx is str and (acc is None or ta is str):
            acc = x if acc is None else acc + x
            continue
        if tx is list and (acc is None or ta is list):
            acc = list(x) if acc is None else acc + x
            continue
        if tx is dict and (acc is None or ta is dict):
            if acc is None:
                acc = dict(x)
            else:
                acc = dict(acc)
                acc.update(x)
            continue
        acc = _op_add(acc, x)
    return acc


def _f_add(v: Any) -> Any:
    vs = _values(v)
    if vs is None:
        raise _e_func0("add", v)
    return _add_values(vs)


def _f_toboolean(v: Any) -> Any:
    if type(v) is bool:
        return v
    if type(v) is str:
        if v == "true":
            return True
        if v == "false":
            return False
        raise _e_wrap0("toboolean", v, "invalid boolean")
    raise _e_func0("toboolean", v)


def _f_tonumber(v: Any) -> Any:
    if _is_num(v):
        return v
    if type(v) is str:
        if not _valid_number(v):
            raise _e_wrap0("tonumber", v, "invalid number")
        return _parse_number(v)
    raise _e_func0("tonumber", v)


def _f_tostring(v: Any) -> Any:
    return v if type(v) is str else _json(v)


def _f_reverse(v: Any) -> Any:
    if type(v) is not list:
        raise _e_func0("reverse", v)
    return v[::-1]


_NOTTRUE = object()


def _contains(l: Any, r: Any) -> Any:
    """gojq's ``funcContains``: True, False, or _NOTTRUE (its type error; nested ones count as false)."""
    l, r = _norm(l), _norm(r)
    np = _num_pair(l, r)
    if np is not None:
        return np[1] == np[2]
    tl, tr = type(l), type(r)
    if tl is str and tr is str:
        return r in l
    if tl is list and tr is list:
        return all(any(_contains(x, y) is True for x in l) for y in r)
    if tl is dict and tr is dict:
        if len(l) < len(r):
            return False
        return all(k in l and _contains(l[k], y) is True for k, y in r.items())
    if tl is tr and (l is None or tl is bool) and l == r:
        return True
    return _NOTTRUE


def _f_contains(v: Any, x: Any) -> Any:
    r = _contains(v, x)
    if r is _NOTTRUE:
        raise _e_func1("contains", _norm(v), _norm(x))
    return r


def _f_inside(v: Any, x: Any) -> Any:
    return _f_contains(x, v)


def _index_func(name: str, v: Any, x: Any, f: Callable[[list, list], Any]) -> Any:
    t = type(v)
    if v is None:
        return None
    if t is list:
        return f(v, x if type(x) is list else [x])
    if t is str:
        if type(x) is str:
            return f([ord(c) for c in v], [ord(c) for c in x])
        raise _e_func1(name, v, x)
    raise _e_func1(name, v, x)


def _first_index(vs: list, xs: list) -> Any:
    if not xs:
        return None
    n = len(xs)
    for i in range(len(vs) - n + 1):
        if _cmp(vs[i : i + n], xs) == 0:
            return i
    return None


def _last_index(vs: list, xs: list) -> Any:
    if not xs:
        return None
    n = len(xs)
    for i in range(len(vs) - n, -1, -1):
        if _cmp(vs[i : i + n], xs) == 0:
            return i
    return None


def _str2(name: str, fn: Callable[[str, str], Any]) -> Callable[[Any, Any], Any]:
    def f(v: Any, x: Any) -> Any:
        if type(v) is not str or type(x) is not str:
            raise _e_func1(name, v, x)
        return fn(v, x)

    return f


def _trim_prefix(s: str, p: str) -> str:
    return s[len(p) :] if p and s.startswith(p) else s


def _trim_suffix(s: str, p: str) -> str:
    return s[: len(s) - len(p)] if p and s.endswith(p) else s


_GO_SPACE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                      "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _str0(name: str, fn: Callable[[str], Any]) -> Callable[[Any], Any]:
    def f(v: Any) -> Any:
        if type(v) is not str:
            raise _e_func0(name, v)
        return fn(v)

    return f


def _ltrim(s: str) -> str:
    i = 0
    while i < len(s) and s[i] in _GO_SPACE:
        i += 1
    return s[i:]


def _rtrim(s: str) -> str:
    j = len(s)
    while j > 0 and s[j - 1] in _GO_SPACE:
        j -= 1
    return s[:j]


def _f_implode(v: Any) -> Any:
    if type(v) is not list:
        raise _e_func0("implode", v)
    out = []
    for x in v:
        r = _to_int(x) if type(x) is not bool else None
        if r is None:
            raise _e_func0("implode", v)
        out.append(chr(r) if 0 <= r <= 0x10FFFF and not 0xD800 <= r <= 0xDFFF else "\ufffd")
    return "".join(out)


def _f_split1(v: Any, x: Any) -> Any:
    if type(v) is not str:
        raise _e_func0("split", v)
    if type(x) is not str:
        raise _e_func0("split", x)
    return _go_split(v, x)


def _f_join(v: Any, sep: Any) -> Any:
    vs = _values(v)
    if vs is None:
        raise _e_func1("join", v, sep)
    if not vs:
        return ""
    seq: list[Any] = []
    for i, x in enumerate(vs):
        seq.append("" if i == 0 else sep)
        tx = type(x)
        if tx is bool or tx is int or tx is float or tx is BigInt or tx is JsonNumber:
            x = _json(x)
        seq.append(x)
    return _add_values(seq)


def _ascii_map(s: str, lo: str, hi: str, delta: int) -> str:
    if not any(lo <= c <= hi for c in s):
        return s
    return "".join(chr(ord(c) + delta) if lo <= c <= hi else c for c in s)


def _f_fromjson(v: Any) -> Any:
    if type(v) is not str:
        raise _e_func0("fromjson", v)
    text = v.lstrip(" \t\r\n")
    if not text:
        raise _e_wrap0("fromjson", v, "EOF")
    dec = json.JSONDecoder(parse_float=JsonNumber, parse_int=JsonNumber, parse_constant=_reject_constant)
    try:
        val, end = dec.raw_decode(text)
    except (ValueError, _Unsupported):
        raise _e_wrap0("fromjson", v, _go_json_error(text)) from None
    if text[end:].strip(" \t\r\n"):
        raise _e_func0("fromjson", v)
    return _fix_json_strings(val)


def _reject_constant(s: str) -> Any:
    raise _Unsupported(s)


def _fix_json_strings(v: Any) -> Any:
    t = type(v)
    if t is str:
        return _fix_surrogates(v)
    if t is list:
        return [_fix_json_strings(x) for x in v]
    if t is dict:
        return {_fix_surrogates(k): _fix_json_strings(x) for k, x in v.items()}
    return v


def _go_json_error(text: str) -> str:
    """The error text of Go's json.Decoder for a malformed first value."""
    from .gotpl import gojson

    try:
        gojson.unmarshal(text)
    except Exception as e:
        msg = getattr(e, "message", str(e))
        if msg == "unexpected end of JSON input":
            return "unexpected EOF"
        return msg
    return "unexpected EOF"  # pragma: no cover - raw_decode and Go disagree only on truncation


_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;"}
_HTML_RE = re.compile("[<>&'\"]")


def _f_tohtml(v: Any) -> Any:
    s = _f_tostring(v)
    return _HTML_RE.sub(lambda m: _HTML[m.group()], s)


_URI_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _f_touri(v: Any) -> Any:
    s = _f_tostring(v)
    out = []
    for b in s.encode("utf-8", "surrogateescape"):
        c = chr(b)
        out.append(c if c in _URI_SAFE else f"%{b:02X}")
    return "".join(out)


def _f_tourid(v: Any) -> Any:
    s = _f_tostring(v).replace("+", "%2B")
    raw = s.encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x25:
            h = raw[i + 1 : i + 3]
            if len(h) < 2 or not all(chr(x) in _HEX for x in h):
                bad = raw[i : i + 3].decode("utf-8", "surrogateescape")
                raise _e_wrap0("@urid", v, "invalid URL escape " + _go_quote(bad))
            out.append(int(h, 16))
            i += 3
        elif c == 0x2B:
            out.append(0x20)
            i += 1
        else:
            out.append(c)
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _format_join(typ: str, v: Any, sep: str, esc: Callable[[str], str]) -> str:
    if type(v) is not list:
        raise _e_func0("@" + typ, v)
    parts = []
    for x in v:
        t = type(x)
        if t is list or t is dict:
            raise _JqError(f"@{typ} cannot format an array including: {_tep(x)}")
        if t is str:
            parts.append(esc(x))
        else:
            s = _json(x)
            parts.append(s if s != "null" or typ == "sh" else "")
    return sep.join(parts)


def _f_tocsv(v: Any) -> Any:
    return _format_join("csv", v, ",", lambda s: '"' + s.replace('"', '""').replace("\x00", "\\0") + '"')


_TSV = {"\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\", "\x00": "\\0"}
_TSV_RE = re.compile("[\t\r\n\\\\\x00]")


def _f_totsv(v: Any) -> Any:
    return _format_join("tsv", v, "\t", lambda s: _TSV_RE.sub(lambda m: _TSV[m.group()], s))


def _f_tosh(v: Any) -> Any:
    if type(v) is not list:
        v = [v]
    return _format_join("sh", v, " ", lambda s: "'" + s.replace("'", "'\\''").replace("\x00", "\\0") + "'")


def _f_tobase64(v: Any) -> Any:
    return base64.b64encode(_f_tostring(v).encode("utf-8", "surrogateescape")).decode("ascii")


_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _f_tobase64d(v: Any) -> Any:
    s = _f_tostring(v)
    i = s.find("=")
    if i >= 0:
        s = s[:i]
    chars = []
    for pos, c in enumerate(s):
        if c in "\r\n":
            continue
        if c not in _B64:
            raise _e_wrap0("@base64d", v, f"illegal base64 data at input byte {pos}")
        chars.append((pos, c))
    if len(chars) % 4 == 1:
        raise _e_wrap0("@base64d", v, f"illegal base64 data at input byte {chars[-1][0]}")
    data = "".join(c for _, c in chars)
    data += "=" * (-len(data) % 4)
    return base64.b64decode(data).decode("utf-8", "surrogateescape")


_FORMAT_FUNCS: dict[str, Callable[[Any], Any]] = {}


def _f_format(v: Any, x: Any) -> Any:
    if type(x) is not str:
        raise _e_func0("format", x)
    f = _FORMAT_FUNCS.get("@" + x)
    if f is None:
        raise _JqError("format not defined: @" + x)
    return f(v)


def _f_flatten(v: Any, depth: Any = _NOVALUE) -> Any:
    vs = _values(v)
    if vs is None:
        raise _e_func0("flatten", v)
    if depth is _NOVALUE:
        d = -1.0
    else:
        d2 = _to_float(depth) if type(depth) is not bool else None
        if d2 is None:
            raise _e_func0("flatten", depth)
        if d2 < 0 or d2 != d2:
            raise _JqError("flatten depth should not be negative: " + _preview(d2))
        d = d2
    out: list[Any] = []

    def rec(xs: list, d: float) -> None:
        for x in xs:
            if type(x) is list and d != 0:
                rec(x, d - 1)
            else:
                out.append(x)

    rec(vs, d)
    return out


def _min_max_by(vs: list, xs: list, is_min: bool) -> Any:
    if not vs:
        return None
    j, x = 0, xs[0]
    for i in range(1, len(xs)):
        if (_cmp(x, xs[i]) > 0) == is_min:
            j, x = i, xs[i]
    return vs[j]


def _sort_items(name: str, v: Any, x: Any) -> list[tuple[Any, Any]]:
    if type(v) is not list:
        if name.endswith("_by"):
            raise _e_func1(name, v, x)
        raise _e_func0(name, v)
    if type(x) is not list:
        raise _e_func1(name, v, x)
    if len(v) != len(x):
        raise _e_wrap1(name, v, x, "length mismatch")
    import functools

    items: list[tuple[Any, Any]] = list(zip(v, x))
    items.sort(key=functools.cmp_to_key(_cmp_keys))
    return items


def _cmp_keys(a: tuple[Any, Any], b: tuple[Any, Any]) -> int:
    return _cmp(a[1], b[1])


def _group_by(v: Any, x: Any) -> Any:
    items = _sort_items("group_by", v, x)
    out: list[Any] = []
    last: Any = None
    for i, (val, key) in enumerate(items):
        if i == 0 or _cmp(last, key) != 0:
            out.append([val])
            last = key
        else:
            out[-1].append(val)
    return out


def _unique_by(name: str, v: Any, x: Any) -> Any:
    items = _sort_items(name, v, x)
    out: list[Any] = []
    last: Any = None
    for i, (val, key) in enumerate(items):
        if i == 0 or _cmp(last, key) != 0:
            out.append(val)
            last = key
    return out


def _minmax_by_checked(name: str, is_min: bool) -> Callable[[Any, Any], Any]:
    def f(v: Any, x: Any) -> Any:
        if type(v) is not list or type(x) is not list:
            raise _e_func1(name, v, x)
        if len(v) != len(x):
            raise _e_wrap1(name, v, x, "length mismatch")
        return _min_max_by(v, x, is_min)

    return f


def _f_minmax(name: str, is_min: bool) -> Callable[[Any], Any]:
    def f(v: Any) -> Any:
        if type(v) is not list:
            raise _e_func0(name, v)
        return _min_max_by(v, v, is_min)

    return f


# -- math ---------------------------------------------------------------------------------------


def _math_num(name: str, v: Any) -> float:
    f = _to_float(v) if type(v) is not bool else None
    if f is None:
        raise _e_func0(name, v)
    return f


def _cbrt(x: float) -> float:
    """Cube root for Python 3.10 (math.cbrt arrived in 3.11): a Newton step polishes ``x ** (1/3)``."""
    if x == 0 or not math.isfinite(x):
        return x
    a = abs(x)
    r = a ** (1.0 / 3.0)
    r -= (r * r * r - a) / (3.0 * r * r)
    return math.copysign(r, x)


def _go_round(x: float) -> float:
    if not math.isfinite(x):
        return x
    t = float(math.trunc(x))
    if abs(x - t) >= 0.5:
        t += math.copysign(1.0, x)
    return math.copysign(t, x)


def _go_float_fn(f: Callable[[float], float], x: float) -> float:
    try:
        return f(x)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def _floatify(f: Callable[[float], Any]) -> Callable[[float], float]:
    def g(x: float) -> float:
        if not math.isfinite(x):
            return x
        return float(f(x))

    return g


def _go_log(f: Callable[[float], float]) -> Callable[[float], float]:
    def g(x: float) -> float:
        if x == 0:
            return -math.inf
        if x < 0 or x != x:
            return math.nan
        if x == math.inf:
            return math.inf
        return f(x)

    return g


def _go_gamma(x: float) -> float:
    if x == 0:
        return math.copysign(math.inf, x)
    if (x < 0 and x.is_integer()) or x == -math.inf or x != x:
        return math.nan
    if x == math.inf:
        return math.inf
    if x.is_integer() and 0 < x <= 171:
        return float(math.factorial(int(x) - 1))
    try:
        return math.gamma(x)
    except OverflowError:
        return math.inf


def _go_lgamma(x: float) -> float:
    if x != x:
        return x
    if math.isinf(x) or x == 0 or (x < 0 and x.is_integer()):
        return math.inf
    try:
        return math.lgamma(x)
    except (OverflowError, ValueError):
        return math.inf


def _go_logb(x: float) -> float:
    if x == 0:
        return -math.inf
    if math.isinf(x):
        return math.inf
    if x != x:
        return x
    return float(math.frexp(x)[1] - 1)


def _go_significand(x: float) -> float:
    frac, _ = math.frexp(x)
    return frac * 2


def _go_pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:
        if x < 0 and y.is_integer() and int(y) % 2 == 1:
            return -math.inf
        return math.inf
    except ValueError:
        if x == 0 and y < 0:
            if math.copysign(1, x) < 0 and y.is_integer() and int(y) % 2 == 1:
                return -math.inf
            return math.inf
        return math.nan


_MATH1: dict[str, Callable[[float], float]] = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "sinh": lambda x: _go_float_fn(math.sinh, x) if abs(x) < 710 else math.copysign(math.inf, x),
    "cosh": math.cosh, "tanh": math.tanh, "asinh": math.asinh,
    "acosh": math.acosh,
    "atanh": lambda x: math.copysign(math.inf, x) if abs(x) == 1 else math.atanh(x),
    "floor": _floatify(math.floor), "ceil": _floatify(math.ceil),
    "round": _go_round, "nearbyint": _floatify(round), "rint": _floatify(round),
    "trunc": _floatify(math.trunc), "significand": _go_significand, "fabs": abs,
    "sqrt": math.sqrt, "cbrt": getattr(math, "cbrt", None) or _cbrt, "exp": math.exp,
    "exp10": lambda x: _go_pow(10.0, x),
    "exp2": lambda x: _go_pow(2.0, x),
    "expm1": math.expm1, "log": _go_log(math.log), "log10": _go_log(math.log10),
    "log1p": lambda x: -math.inf if x == -1 else (math.nan if x < -1 else math.log1p(x)),
    "log2": _go_log(math.log2), "logb": _go_logb, "gamma": _go_gamma, "tgamma": _go_gamma,
    "lgamma": _go_lgamma, "erf": math.erf, "erfc": math.erfc,
}


def _math1(name: str) -> Callable[[Any], Any]:
    f = _MATH1[name]

    def g(v: Any) -> Any:
        return _go_float_fn(f, _math_num(name, v))

    return g


def _go_fmod(x: float, y: float) -> float:
    if y == 0 or math.isinf(x) or x != x or y != y:
        return math.nan
    return math.fmod(x, y)


def _go_remainder(x: float, y: float) -> float:
    if y == 0 or math.isinf(x) or x != x or y != y:
        return math.nan
    if math.isinf(y):
        return x
    return math.remainder(x, y)


def _go_drem(x: float, y: float) -> float:
    r = _go_remainder(x, y)
    return math.copysign(r, x) if r == 0 else r


def _go_fdim(x: float, y: float) -> float:
    if (math.isinf(x) and math.isinf(y) and x == y) or x != x or y != y:
        return math.nan
    v = x - y
    return v if v > 0 else 0.0


def _go_fmax(x: float, y: float) -> float:
    if x != x:
        return y
    if y != y:
        return x
    if x == y == 0:
        return x if math.copysign(1, x) > 0 else y
    return max(x, y)


def _go_fmin(x: float, y: float) -> float:
    if x != x:
        return y
    if y != y:
        return x
    if x == y == 0:
        return x if math.copysign(1, x) < 0 else y
    return min(x, y)


def _go_ldexp(x: float, e: float) -> float:
    n = _float_to_int(e) if math.isfinite(e) else (_MAXINT if e > 0 else _MININT)
    n = max(-100000, min(100000, n))
    try:
        return math.ldexp(x, n)
    except OverflowError:
        return math.copysign(math.inf, x)


def _go_atan2(y: float, x: float) -> float:
    return math.atan2(y, x)


_MATH2: dict[str, Callable[[float, float], float]] = {
    "atan2": _go_atan2, "copysign": math.copysign, "drem": _go_drem, "fdim": _go_fdim,
    "fmax": _go_fmax, "fmin": _go_fmin, "fmod": _go_fmod, "hypot": math.hypot,
    "nextafter": math.nextafter, "nexttoward": math.nextafter, "remainder": _go_remainder,
    "ldexp": _go_ldexp, "scalb": _go_ldexp, "scalbln": _go_ldexp, "pow": _go_pow,
}


def _math2(name: str) -> Callable[[Any, Any, Any], Any]:
    f = _MATH2[name]

    def g(_v: Any, x: Any, y: Any) -> Any:
        a = _math_num(name, x)
        b = _math_num(name, y)
        return f(a, b)

    return g


def _f_fma(_v: Any, a: Any, b: Any, c: Any) -> Any:
    x, y, z = _math_num("fma", a), _math_num("fma", b), _math_num("fma", c)
    if all(math.isfinite(t) for t in (x, y, z)):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        try:
            r = float(exact)
        except OverflowError:
            return math.copysign(math.inf, exact)
        return r if r != 0 or exact != 0 else (x * y + z)
    return x * y + z


def _f_frexp(v: Any) -> Any:
    x = _math_num("frexp", v)
    if not math.isfinite(x) or x == 0:
        return [x, 0]
    f, e = math.frexp(x)
    return [f, e]


def _f_modf(v: Any) -> Any:
    x = _math_num("modf", v)
    if math.isinf(x):
        return [math.copysign(0.0, x), x]
    f, i = math.modf(x)
    return [f, i]


def _f_isnan(v: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    if f is None:
        if v is None:
            return False
        raise _e_func0("isnan", v)
    return f != f


def _f_isnormal(v: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    if f is None:
        return False
    return math.isfinite(f) and f != 0 and abs(f) >= 2.2250738585072014e-308


def _f_isinfinite(v: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    return f is not None and math.isinf(f)


def _f_isfinite(v: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    return f is not None and not math.isinf(f)


# -- paths: getpath / setpath / delpaths ----------------------------------------------------------

_DEL = object()  # gojq's struct{} deletion marker


def _getpath(v: Any, p: Any) -> Any:
    if type(p) is not list:
        raise _e_func1("getpath", v, p)
    u = v
    for x in p:
        if v is None or type(v) in (list, dict):
            try:
                v = _index(v, x)
            except _JqError as e:
                raise _e_wrap1("getpath", u, p, e.message) from None
        else:
            raise _e_func1("getpath", u, p)
    return v


def _update(v: Any, path: list, n: Any) -> Any:
    if not path:
        return n
    p = path[0]
    tp = type(p)
    if tp is str:
        if v is None:
            return _update_object(None, p, path[1:], n)
        if type(v) is dict:
            return _update_object(v, p, path[1:], n)
        if v is _DEL:
            return v
        raise _e_expected_object(v)
    if tp is int or tp is float or tp is BigInt or tp is JsonNumber:
        i = _to_int(p)
        assert i is not None
        if v is None or type(v) is list:
            return _update_array_index(v, i, path[1:], n)
        if v is _DEL:
            return v
        raise _e_expected_array(v)
    if tp is dict:
        if v is None or type(v) is list:
            return _update_array_slice(v, p, path[1:], n)
        if v is _DEL:
            return v
        raise _e_expected_array(v)
    if type(v) is list:
        raise _e_array_index(p)
    raise _e_object_key(p)


def _update_object(v: dict | None, k: str, path: list, n: Any) -> Any:
    if (v is None or k not in v) and n is _DEL:
        return v
    x = v.get(k) if v is not None else None
    u = _update(x, path, n)
    w = dict(v) if v is not None else {}
    w[k] = u
    return w


def _update_array_index(v: list | None, i: int, path: list, n: Any) -> Any:
    ln = len(v) if v is not None else 0
    j = _clamp(i, -1, ln)
    x: Any = None
    if j < 0:
        if n is _DEL:
            return v
        raise _JqError("array index should not be negative: " + _preview(i))
    if j < ln:
        i = j
        x = v[i] if v is not None else None
    else:
        if n is _DEL:
            return v
        if i >= 0x20000000:
            raise _JqError("array index too large: " + _preview(i))
    u = _update(x, path, n)
    w = list(v) if v is not None else []
    if i >= len(w):
        w.extend([None] * (i + 1 - len(w)))
    w[i] = u
    return w


def _update_array_slice(v: list | None, m: dict, path: list, n: Any) -> Any:
    if "start" not in m or "end" not in m:
        raise _JqError('expected "start" and "end" for slicing but got: ' + _tep(m))
    s, e = m["start"], m["end"]
    vv = v if v is not None else []
    ln = len(vv)
    start = 0
    if s is not None:
        i = _to_int(s) if type(s) is not bool else None
        if i is None:
            raise _e_array_index(s)
        start = _clamp(i, 0, ln)
    if e is not None:
        i = _to_int_ceil(e) if type(e) is not bool else None
        if i is None:
            raise _e_array_index(e)
        end = _clamp(i, start, ln)
    else:
        end = ln
    if start == end and n is _DEL:
        return v
    u = _update(vv[start:end], path, n)
    if type(u) is list:
        return vv[:start] + u + vv[end:]
    if u is _DEL:
        return [*vv[:start], *([_DEL] * (end - start)), *vv[end:]]
    raise _e_expected_array(u)


def _delete_empty(v: Any) -> Any:
    """Drop deletion markers; containers without any keep their identity (gojq edits in place)."""
    if v is _DEL:
        return None
    t = type(v)
    if t is dict:
        changed = False
        out: dict[str, Any] = {}
        for k, x in v.items():
            if x is _DEL:
                changed = True
                continue
            y = _delete_empty(x)
            changed = changed or y is not x
            out[k] = y
        return out if changed else v
    if t is list:
        changed = False
        items: list[Any] = []
        for x in v:
            if x is _DEL:
                changed = True
                continue
            y = _delete_empty(x)
            changed = changed or y is not x
            items.append(y)
        return items if changed else v
    return v


def _setpath(v: Any, p: Any, n: Any) -> Any:
    if type(p) is not list:
        raise _e_func1("setpath", v, p)
    try:
        return _update(v, p, n)
    except _JqError as e:
        raise _e_wrap2("setpath", v, p, n, e.message) from None


def _delpaths(v: Any, ps: Any) -> Any:
    if type(ps) is not list:
        raise _e_func1("delpaths", v, ps)
    if not ps:
        return v
    u = v
    for q in ps:
        if type(q) is not list:
            raise _e_wrap1("delpaths", v, ps, _e_expected_array(q).message)
        try:
            u = _update(u, q, _DEL)
        except _JqError as e:
            raise _e_wrap1("delpaths", v, ps, e.message) from None
    return _delete_empty(u)


def _paths_of(node: _Node, v: Any, env: dict) -> Iterator[list]:
    """``path(f)``: every path, checking the final value is the one tracked (pathIntact)."""
    for x, p, w in node.pv(v, (), v, env):
        if not _intact(x, w):
            raise _e_invalid_path(x)
        yield list(p)


def _b_path(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return _paths_of(args[0], v, env)


def _b_getpath(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for p in args[0].ev(v, env):
        yield _getpath(v, p)


def _p_getpath(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    for pth in args[0].ev(v, env):
        r = _getpath(v, pth)
        if not _intact(v, w):
            raise _e_invalid_path(v)
        yield r, p + tuple(pth), r


def _modify_value(v: Any, paths: Iterable[list], f: Callable[[Any], Any]) -> Any:
    """``_modify``: the first output of the update per path; paths with none are deleted."""
    acc = v
    dels: list[list] = []
    for p in paths:
        x = _getpath(acc, p)
        out = f(x)
        if out is _NOVALUE:
            dels.append(p)
        else:
            acc = _update_checked(acc, p, out)
    if dels:
        acc = _delpaths(acc, dels)
    return acc


def _update_checked(acc: Any, p: list, out: Any) -> Any:
    try:
        return _update(acc, p, out)
    except _JqError as e:
        raise _e_wrap2("setpath", acc, p, out, e.message) from None


def _first_of(node: _Node, x: Any, env: dict) -> Any:
    for y in node.ev(x, env):
        return y
    return _NOVALUE


def _b_modify(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    pnode, f = args
    return (_modify_value(v, _paths_of(pnode, v, env), lambda x: _first_of(f, x, env)),)


def _b_assign(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    pnode, rhs = args
    for val in rhs.ev(v, env):
        acc = v
        for p in _paths_of(pnode, v, env):
            acc = _update_checked(acc, p, val)
        yield acc


def _b_setpath_const(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    rhs, lit = args
    xs = lit.value  # type: ignore[attr-defined]
    for val in rhs.ev(v, env):
        yield _setpath(v, xs, val)


def _op_alt_value(l: Any, r: Any) -> Any:
    return r if l is None or l is False else l


def _b_update_op(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    pnode, rhs, fnlit = args
    fn = fnlit.value  # type: ignore[attr-defined]
    for val in rhs.ev(v, env):
        yield _modify_value(v, _paths_of(pnode, v, env), _bind_right(fn, val))


def _bind_right(fn: Callable[[Any, Any], Any], val: Any) -> Callable[[Any], Any]:
    return lambda x: fn(x, val)


def _b_debug(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    msg, dbg = args
    for x in msg.ev(v, env):
        for _ in dbg.ev(x, env):
            pass
    yield v


# -- builtin.jq functions (native) --------------------------------------------------------------


def _b_empty(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return ()


def _p_empty(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    return ()


def _b_error0(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    raise _error_value(v)


def _b_error1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for x in args[0].ev(v, env):
        raise _error_value(x)
    return ()


def _halt_error(v: Any, code: Any = None) -> Any:
    if code is not None and (_to_int(code) is None or type(code) is bool):
        raise _e_func0("halt_error", code)
    raise _JqHalt("halt error: " + (v if type(v) is str else _json(v)))


def _b_not(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return (v is None or v is False,)


def _b_select(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for c in args[0].ev(v, env):
        if not (c is None or c is False):
            yield v


def _p_select(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    for c in args[0].ev(v, env):
        if not (c is None or c is False):
            yield v, p, w


def _selector(pred: Callable[[Any], bool]) -> tuple[Callable[..., Iterable[Any]], Callable[..., Iterable[Any]]]:
    def ev(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
        return (v,) if pred(v) else ()

    def pv(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
        return ((v, p, w),) if pred(v) else ()

    return ev, pv


def _children(x: Any) -> list:
    t = type(x)
    if t is list:
        return x
    if t is dict:
        return [x[k] for k in sorted(x)]
    return []


def _b_recurse0(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    stack = [iter((v,))]
    while stack:
        for x in stack[-1]:
            yield x
            stack.append(iter(_children(x)))
            break
        else:
            stack.pop()


def _p_recurse0(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    stack: list[Iterator[tuple[Any, tuple, Any]]] = [iter(((v, p, w),))]
    while stack:
        for t in stack[-1]:
            yield t
            x, xp, xw = t
            tx = type(x)
            if (tx is list or tx is dict) and _intact(x, xw):
                stack.append(iter([(e, (*xp, k), e) for k, e in _iter_pairs(x)]))
            break
        else:
            stack.pop()


def _b_recurse1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    f = args[0]
    stack = [iter((v,))]
    while stack:
        for x in stack[-1]:
            yield x
            stack.append(iter(f.ev(x, env)))
            break
        else:
            stack.pop()


def _p_recurse1(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    f = args[0]
    stack: list[Iterator[tuple[Any, tuple, Any]]] = [iter(((v, p, w),))]
    while stack:
        for t in stack[-1]:
            yield t
            stack.append(iter(f.pv(t[0], t[1], t[2], env)))
            break
        else:
            stack.pop()


def _b_recurse2(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    f, cond = args

    def kids(x: Any) -> Iterator[Any]:
        for y in f.ev(x, env):
            for c in cond.ev(y, env):
                if not (c is None or c is False):
                    yield y

    stack = [iter((v,))]
    while stack:
        for x in stack[-1]:
            yield x
            stack.append(kids(x))
            break
        else:
            stack.pop()


def _p_recurse2(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    f, cond = args

    def kids(t: tuple[Any, tuple, Any]) -> Iterator[tuple[Any, tuple, Any]]:
        for u in f.pv(t[0], t[1], t[2], env):
            for c in cond.ev(u[0], env):
                if not (c is None or c is False):
                    yield u

    stack: list[Iterator[tuple[Any, tuple, Any]]] = [iter(((v, p, w),))]
    while stack:
        for t in stack[-1]:
            yield t
            stack.append(kids(t))
            break
        else:
            stack.pop()


def _b_map(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    f = args[0]
    out: list[Any] = []
    for x in _iter_values(v):
        out.extend(f.ev(x, env))
    return (out,)


def _b_add1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return (_add_values(list(args[0].ev(v, env))),)


def _b_map_values(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    f = args[0]
    return (_modify_value(v, _paths_of(_Iterate(_IDENTITY), v, env), lambda x: _first_of(f, x, env)),)


def _b_in(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for xs in args[0].ev(v, env):
        yield _f_has(xs, v)


def _to_entries(v: Any) -> list:
    return [{"key": k, "value": _index(v, k)} for k in _keys(v)]


def _from_entries(v: Any) -> Any:
    objs = []
    for e in _iter_values(v):
        k = _index(e, "key")
        if k is None or k is False:
            k = _index(e, "Key")
            if k is None or k is False:
                k = _index(e, "name")
                if k is None or k is False:
                    k = _index(e, "Name")
        val = _index(e, "value") if _f_has(e, "value") is True else _index(e, "Value")
        if type(k) is not str:
            raise _e_object_key(k)
        objs.append({k: val})
    r = _add_values(objs)
    return {} if r is None or r is False else r


def _b_with_entries(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    f = args[0]
    mapped: list[Any] = []
    for e in _to_entries(v):
        mapped.extend(f.ev(e, env))
    return (_from_entries(mapped),)


def _unfold(step: Callable[[Any], Iterator[tuple[bool, Any]]], start: Any) -> Iterator[Any]:
    """Depth first over ``step``'s results without recursion (``while``/``until`` may loop
    thousands of times): ``(True, x)`` is an output, ``(False, x)`` is stepped from in turn."""
    stack = [step(start)]
    while stack:
        for out, x in stack[-1]:
            if out:
                yield x
            else:
                stack.append(step(x))
            break
        else:
            stack.pop()


def _b_while(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    cond, update = args

    def step(x: Any) -> Iterator[tuple[bool, Any]]:
        for c in cond.ev(x, env):
            if not (c is None or c is False):
                yield True, x
                for y in update.ev(x, env):
                    yield False, y

    return _unfold(step, v)


def _b_until(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    cond, nxt = args

    def step(x: Any) -> Iterator[tuple[bool, Any]]:
        for c in cond.ev(x, env):
            if not (c is None or c is False):
                yield True, x
            else:
                for y in nxt.ev(x, env):
                    yield False, y

    return _unfold(step, v)


def _p_until(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    cond, nxt = args

    def step(t: tuple[Any, tuple, Any]) -> Iterator[tuple[bool, Any]]:
        for c in cond.ev(t[0], env):
            if not (c is None or c is False):
                yield True, t
            else:
                for u in nxt.pv(t[0], t[1], t[2], env):
                    yield False, u

    return _unfold(step, (v, p, w))


def _p_while(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    cond, update = args

    def step(t: tuple[Any, tuple, Any]) -> Iterator[tuple[bool, Any]]:
        for c in cond.ev(t[0], env):
            if not (c is None or c is False):
                yield True, t
                for u in update.pv(t[0], t[1], t[2], env):
                    yield False, u

    return _unfold(step, (v, p, w))


def _b_repeat(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    f = args[0]
    while True:
        yield from f.ev(v, env)


def _p_repeat(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    f = args[0]
    while True:
        yield from f.pv(v, p, w, env)


def _range_iter(start: Any, end: Any, step: Any) -> Iterator[Any]:
    for x in (start, end, step):
        if not _is_num(x) or type(x) is bool:
            raise _e_func0("range", x)
    return _range_gen(start, end, step)


def _range_gen(value: Any, end: Any, step: Any) -> Iterator[Any]:
    sc = _cmp(step, 0)
    while sc * _cmp(value, end) < 0:
        yield value
        value = _op_add(value, step)


def _b_range1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for e in args[0].ev(v, env):
        yield from _range_iter(0, e, 1)


def _b_range2(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for s in args[0].ev(v, env):
        for e in args[1].ev(v, env):
            yield from _range_iter(s, e, 1)


def _b_range3(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for s in args[0].ev(v, env):
        for e in args[1].ev(v, env):
            for st in args[2].ev(v, env):
                yield from _range_iter(s, e, st)


def _b_internal_range(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for st in args[2].ev(v, env):
        for e in args[1].ev(v, env):
            for s in args[0].ev(v, env):
                yield from _range_iter(s, e, st)


def _keys_by(f: _Node, v: Any, env: dict) -> list:
    out = []
    for x in _iter_values(v):
        out.append(list(f.ev(x, env)))
    return out


def _by(name: str, impl: Callable[[Any, Any], Any]) -> Callable[..., Iterable[Any]]:
    def ev(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
        return (impl(v, _keys_by(args[0], v, env)),)

    return ev


def _sort_by(v: Any, x: Any) -> Any:
    return [val for val, _ in _sort_items("sort_by", v, x)]


def _combinations(x: Any) -> Iterator[Any]:
    if _cmp(_f_length(x), 0) == 0:
        yield []
        return
    for e in _iter_values(_index(x, 0)):
        for rest in _combinations(_slice(x, None, 1)):
            yield _op_add([e], rest)


def _b_combinations0(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return _combinations(v)


def _b_combinations1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for n in args[0].ev(v, env):
        arr = list(_limit(n, _b_repeat([_IDENTITY], v, env)))
        yield from _combinations(arr)


def _walk(f: _Node, x: Any, env: dict) -> Iterator[Any]:
    t = type(x)
    if t is list:
        y: Any = []
        for e in x:
            y.extend(_walk(f, e, env))
    elif t is dict:
        y = _modify_value(x, ([k] for k in sorted(x)), lambda e: next(iter(_walk(f, e, env)), _NOVALUE))
    else:
        y = x
    yield from f.ev(y, env)


def _b_walk(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return _walk(args[0], v, env)


def _b_first1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for x in args[0].ev(v, env):
        return (x,)
    return ()


def _p_first1(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    for t in args[0].pv(v, p, w, env):
        return (t,)
    return ()


def _b_last1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    last = _NOVALUE
    for x in args[0].ev(v, env):
        last = x
    return () if last is _NOVALUE else (last,)


def _b_isempty(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for _ in args[0].ev(v, env):
        return (False,)
    return (True,)


def _any_gen(g: Iterable[Any], cond: _Node | None, env: dict) -> bool:
    for x in g:
        if cond is None:
            if not (x is None or x is False):
                return True
        else:
            for c in cond.ev(x, env):
                if not (c is None or c is False):
                    return True
    return False


def _all_gen(g: Iterable[Any], cond: _Node | None, env: dict) -> bool:
    for x in g:
        if cond is None:
            if x is None or x is False:
                return False
        else:
            for c in cond.ev(x, env):
                if c is None or c is False:
                    return False
    return True


def _b_any(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    if not args:
        return (_any_gen(_iter_values(v), None, env),)
    if len(args) == 1:
        return (_any_gen(_iter_values(v), args[0], env),)
    return (_any_gen(args[0].ev(v, env), args[1], env),)


def _b_all(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    if not args:
        return (_all_gen(_iter_values(v), None, env),)
    if len(args) == 1:
        return (_all_gen(_iter_values(v), args[0], env),)
    return (_all_gen(args[0].ev(v, env), args[1], env),)


def _limit(n: Any, g: Iterable[Any]) -> Iterator[Any]:
    if _cmp(n, 0) > 0:
        count = n
        for x in g:
            count = _op_sub(count, 1)
            yield x
            if _cmp(count, 0) <= 0:
                return
    elif _cmp(n, 0) == 0:
        return
    else:
        raise _error_value("limit doesn't support negative count")


def _b_limit(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for n in args[0].ev(v, env):
        yield from _limit(n, args[1].ev(v, env))


def _p_limit(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    for n in args[0].ev(v, env):
        yield from _limit(n, args[1].pv(v, p, w, env))


def _skip(n: Any, g: Iterable[Any]) -> Iterator[Any]:
    if _cmp(n, 0) > 0:
        count = n
        for x in g:
            count = _op_sub(count, 1)
            if _cmp(count, 0) < 0:
                yield x
    elif _cmp(n, 0) == 0:
        yield from g
    else:
        raise _error_value("skip doesn't support negative count")


def _b_skip(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for n in args[0].ev(v, env):
        yield from _skip(n, args[1].ev(v, env))


def _p_skip(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    for n in args[0].ev(v, env):
        yield from _skip(n, args[1].pv(v, p, w, env))


def _nth(n: Any, g: Iterable[Any]) -> Iterable[Any]:
    if _cmp(n, 0) >= 0:
        for x in _skip(n, g):
            return (x,)
        return ()
    raise _error_value("nth doesn't support negative index")


def _b_nth2(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for n in args[0].ev(v, env):
        yield from _nth(n, args[1].ev(v, env))


def _p_nth2(args: list[_Node], v: Any, p: tuple, w: Any, env: dict) -> Iterable[tuple[Any, tuple, Any]]:
    for n in args[0].ev(v, env):
        yield from _nth(n, args[1].pv(v, p, w, env))


def _b_truncate_stream(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    n = v
    for x in args[0].ev(None, env):
        if _cmp(_f_length(_index(x, 0)), n) > 0:
            yield _modify_value(x, [[0]], lambda y: _slice(y, None, n))


def _b_fromstream(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    state: Any = None
    for pv in args[0].ev(v, env):
        if _truthy(_index(state, "e")):
            state = None
        if pv is not None and type(pv) is not list:
            raise _e_expected_array(pv)
        p, val = _index(pv, 0), _index(pv, 1)
        if _cmp(_f_length(pv), 2) == 0:
            state = _setpath(state, _op_add(["v"], p), val)
            state = _setpath(state, ["e"], _cmp(_f_length(p), 0) == 0)
        else:
            state = _setpath(state, ["e"], _cmp(_f_length(p), 1) == 0)
        if _truthy(_index(state, "e")):
            yield _index(state, "v")


def _b_tostream(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    def walk(x: Any, p: list) -> Iterator[tuple[list, Any]]:
        t = type(x)
        if t is list or t is dict:
            for k, e in _iter_pairs(x):
                yield from walk(e, [*p, k])
        yield p, x

    for p, x in walk(v, []):
        t = type(x)
        if (t is list or t is dict) and x:
            yield [[*p, _iter_pairs(x)[-1][0]]]
        else:
            yield [p, x]


def _b_del(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return (_delpaths(v, list(_paths_of(args[0], v, env))),)


def _b_paths0(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for p in _paths_of(_Call(_b_recurse0, [], _p_recurse0), v, env):
        if p:
            yield p


def _b_paths1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    node = _Pipe(_Call(_b_recurse0, [], _p_recurse0), _Call(_b_select, [args[0]], _p_select))
    for p in _paths_of(node, v, env):
        if p:
            yield p


def _b_pick(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    acc: Any = None
    for p in _paths_of(args[0], v, env):
        acc = _setpath(acc, p, _getpath(v, p))
    return (acc,)


def _b_builtins(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return ([f"{n}/{a}" for n, a in _BUILTIN_NAMES],)


def _f_modulemeta(v: Any) -> Any:
    if type(v) is not str:
        raise _e_func0("modulemeta", v)
    raise _JqError("cannot load module: " + _go_quote(v))


def _f_captures(v: Any) -> Any:
    if type(v) is not list:
        raise _e_expected_array(v)
    out: dict[str, Any] = {}
    for c in v:
        if type(c) is dict and type(c.get("name")) is str:
            out[c["name"]] = c.get("string")
    return out


def _f_transpose(v: Any) -> Any:
    if type(v) is not list:
        raise _e_func0("transpose", v)
    if not v:
        return []
    n = 0
    for row in v:
        if type(row) is not list:
            raise _e_func0("transpose", v)
        n = max(n, len(row))
    return [[row[i] if i < len(row) else None for row in v] for i in range(n)]


def _f_bsearch(v: Any, t: Any) -> Any:
    if type(v) is not list:
        raise _e_func1("bsearch", v, t)
    lo, hi = 0, len(v)
    while lo < hi:
        mid = (lo + hi) // 2
        if _cmp(v[mid], t) >= 0:
            hi = mid
        else:
            lo = mid + 1
    if lo < len(v) and _cmp(v[lo], t) == 0:
        return lo
    return -lo - 1


# -- regular expressions (Go's regexp through kwokbook.gotpl.goregex) -------------------------------


@lru_cache(maxsize=256)
def _compile_regexp(re_src: str, flags: str) -> Any:
    from .gotpl import goregex

    if any(c not in "gim" for c in flags):
        return _JqError("unsupported regular expression flag: " + _go_quote(flags))
    if "i" in flags:
        re_src = "(?i)" + re_src
    if "m" in flags:
        re_src = "(?s)" + re_src
    try:
        return goregex.compile(re_src)
    except goregex.RegexpSyntaxError as e:
        return _JqError(f"invalid regular expression {_go_quote(re_src)}: {e}")
    except goregex.RegexpUnsupported:
        return _Unsupported(re_src)


def _match(v: Any, re_: Any, fs: Any, testing: bool) -> Any:
    name = "test" if testing else "match"
    flags = ""
    if fs is not None:
        if type(fs) is not str:
            raise _e_func2(name, v, re_, fs)
        flags = fs
    if type(v) is not str or type(re_) is not str:
        raise _e_func2(name, v, re_, fs)
    r = _compile_regexp(re_, flags)
    if isinstance(r, _JqError):
        raise _JqError(r.message)
    if isinstance(r, _Unsupported):
        raise _Unsupported(str(r))
    if testing:
        return r.match_string(v)
    n = -1 if "g" in flags else 1
    names = r.subexp_names
    out = []
    for m in r._all_matches(v, n):
        caps = []
        for j in range(1, len(names)):
            nm = names[j] or None
            s, e = m.span(j)
            if s < 0:
                caps.append({"name": nm, "offset": -1, "length": 0, "string": None})
            else:
                caps.append({"name": nm, "offset": s, "length": e - s, "string": v[s:e]})
        out.append({"offset": m.start(), "length": m.end() - m.start(), "string": m.group(0), "captures": caps})
    return out


def _b_internal_match(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for t in args[2].ev(v, env):
        for fs in args[1].ev(v, env):
            for r in args[0].ev(v, env):
                yield _match(v, r, fs, t is True)


def _re_args(args: list[_Node], v: Any, env: dict, extra_g: bool = False) -> Iterator[tuple[Any, Any]]:
    """$re (outer) and $flags (inner) of the builtin.jq wrappers; flags null when absent."""
    for r in args[0].ev(v, env):
        if len(args) < 2 or args[1] is None:
            yield r, ("g" if extra_g else None)
        else:
            for fs in args[1].ev(v, env):
                yield r, (_op_add(fs, "g") if extra_g else fs)


def _regex_builtin(kind: str, arity: int) -> Callable[..., Iterable[Any]]:
    def ev(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
        a = args if arity == 2 else [args[0]]
        if kind == "test":
            for r, fs in _re_args(a, v, env):
                yield _match(v, r, fs, True)
        elif kind == "match":
            for r, fs in _re_args(a, v, env):
                yield from _match(v, r, fs, False)
        elif kind == "capture":
            for r, fs in _re_args(a, v, env):
                for m in _match(v, r, fs, False):
                    yield _f_captures(m["captures"])
        elif kind == "scan":
            for r, fs in _re_args(a, v, env, extra_g=True):
                for m in _match(v, r, fs, False):
                    yield m["string"] if m["captures"] == [] else [c["string"] for c in m["captures"]]
        elif kind == "splits":
            for r, fs in _re_args(a, v, env, extra_g=True):
                yield from _splits(v, r, fs)
        elif kind == "split":
            for r, fs in _re_args(a, v, env, extra_g=True):
                yield list(_splits(v, r, fs))

    return ev


def _splits(v: Any, r: Any, fs: Any) -> Iterator[Any]:
    nxt: Any = None
    for m in [*_match(v, r, fs, False), None]:
        offset = _index(m, "offset")
        length = _index(m, "length")
        state = {"start": nxt, "end": offset, "next": _op_add(offset, length)}
        nxt = state["next"]
        yield _index(v, state)


def _sub(v: Any, r: Any, s_node: _Node, fs: Any, env: dict) -> Iterator[Any]:
    matches = _match(v, r, fs, False)
    res: list[Any] = []
    nxt: Any = None
    for m in matches:
        offset, length = m["offset"], m["length"]
        for i, sv in enumerate(s_node.ev(_f_captures(m["captures"]), env)):
            # .r[.i] += .s[.next:$offset] + $s
            piece = _op_add(_slice(v, offset, nxt), sv)
            if i < len(res):
                res = [*res[:i], _op_add(res[i], piece), *res[i + 1 :]]
            else:
                res = [*res, _op_add(None, piece)]
        nxt = _op_add(offset, length)
    found = False
    for e in res:
        x = _op_add(e, _slice(v, None, nxt))
        if _truthy(x):
            found = True
            yield x
    if not found:
        yield v


def _sub_builtin(arity: int, g: bool) -> Callable[..., Iterable[Any]]:
    def ev(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
        s_node = args[1]
        for r in args[0].ev(v, env):
            if arity == 2:
                yield from _sub(v, r, s_node, "g" if g else None, env)
            else:
                for fs in args[2].ev(v, env):
                    yield from _sub(v, r, s_node, _op_add(fs, "g") if g else fs, env)

    return ev


# -- INDEX / JOIN / IN -------------------------------------------------------------------------------


def _index_reduce(stream: Iterable[Any], idx: _Node, env: dict) -> Any:
    acc: Any = {}
    for row in stream:
        for k in [_f_tostring(x) for x in idx.ev(row, env)]:
            acc = _update_checked(acc, [k], row)
    return acc


def _b_INDEX2(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return (_index_reduce(args[0].ev(v, env), args[1], env),)


def _b_INDEX1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    return (_index_reduce(_iter_values(v), args[0], env),)


def _join_row(idx: Any, x: Any, key: _Node, env: dict) -> list:
    return [x, *(_index(idx, k) for k in key.ev(x, env))]


def _b_JOIN(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    n = len(args)
    for idx in args[0].ev(v, env):
        if n == 2:
            yield [_join_row(idx, x, args[1], env) for x in _iter_values(v)]
        elif n == 3:
            for x in args[1].ev(v, env):
                yield _join_row(idx, x, args[2], env)
        else:
            for x in args[1].ev(v, env):
                yield from args[3].ev(_join_row(idx, x, args[2], env), env)


def _b_IN1(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    for x in args[0].ev(v, env):
        if _cmp(x, v) == 0:
            return (True,)
    return (False,)


def _b_IN2(args: list[_Node], v: Any, env: dict) -> Iterable[Any]:
    src, s = args
    for b in s.ev(v, env):
        for a in src.ev(v, env):
            if _cmp(a, b) == 0:
                return (True,)
    return (False,)


# -- dates (gojq: Go's time in UTC; strftime/strptime: itchyny/timefmt-go, common directives) -------


# Go's time package counts "absolute" seconds in a uint64 from March 1 of year -292277022400; a
# Unix time is shifted by this much and wraps modulo 2**64 (what int64 overflow gives in Go).
_UNIX_TO_ABSOLUTE = 62135596800 + (292277022400 * 3652425 // 10000 + 306) * 86400


def _broken_down(sec: int) -> tuple[int, int, int, int, int, int, int, int]:
    """(year, month 1-12, day, hour, minute, second, weekday 0=Sunday, yearday 1-based) in UTC."""
    sec = ((sec + _UNIX_TO_ABSOLUTE) & ((1 << 64) - 1)) - _UNIX_TO_ABSOLUTE
    days, rem = divmod(sec, 86400)
    y, m, d = _civil_from_days(days)
    yday = days - _days_from_civil(y, 1, 1) + 1
    return y, m, d, rem // 3600, rem % 3600 // 60, rem % 60, (days + 4) % 7, yday


def _go_f2i64(f: float) -> int:
    """Go's ``int64(f)`` on amd64: truncation, and MinInt64 for NaN or out-of-range values."""
    if f != f or not -_TWO63 <= f < _TWO63:
        return _MININT
    return int(f)


def _wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def _epoch_to_array(v: float) -> list[Any]:
    """gojq's ``epochToArray``: ``time.Unix(int64(v), int64((v-floor(v))*1e9))`` in UTC."""
    sec = _go_f2i64(v)
    nsec = _go_f2i64((v - math.floor(v)) * 1e9) if math.isfinite(v) else _MININT
    if nsec < 0 or nsec >= 1_000_000_000:
        n = int(nsec / 1_000_000_000) if abs(nsec) < 1 << 52 else _go_div(nsec, 1_000_000_000)
        sec = _wrap64(sec + n)
        nsec -= n * 1_000_000_000
        if nsec < 0:
            nsec += 1_000_000_000
            sec = _wrap64(sec - 1)
    y, m, d, hh, mm, ss, wd, yd = _broken_down(sec)
    return [y, m - 1, d, hh, mm, float(ss) + nsec / 1e9, wd, yd - 1]


def _go_norm(hi: int, lo: int, base: int) -> tuple[int, int]:
    """Go's ``time.norm`` with int64 wrap-around."""
    if lo < 0:
        n = _go_div(-lo - 1, base) + 1
        hi = _wrap64(hi - n)
        lo = _wrap64(lo + n * base)
    if lo >= base:
        n = _go_div(lo, base)
        hi = _wrap64(hi + n)
        lo = _wrap64(lo - n * base)
    return hi, lo


def _go_date_unix(year: int, month0: int, day: int, hour: int, minute: int, sec: int, nsec: int) -> tuple[int, int]:
    """Go's ``time.Date(...).Unix()`` and nanoseconds in UTC, overflow and all (go1.26 calendar)."""
    u64 = (1 << 64) - 1
    year, m = _go_norm(year, month0, 12)
    month = m + 1
    sec, nsec = _go_norm(sec, nsec, 1_000_000_000)
    minute, sec = _go_norm(minute, sec, 60)
    hour, minute = _go_norm(hour, minute, 60)
    day, hour = _go_norm(day, hour, 24)
    jan_feb = 1 if month < 3 else 0
    amonth = month + 12 * jan_feb
    y = (year - jan_feb + 292277022400) & u64
    ayday = (979 * amonth - 2919) >> 5
    century, cyear = divmod(y, 100)
    cday = 1461 * cyear // 4
    centurydays = ((146097 * century) & u64) // 4
    absdays = (centurydays + (_wrap64(cday + ayday + day - 1) & u64)) & u64
    unix = _wrap64(_wrap64(_wrap64(_wrap64(absdays) * 86400) + _wrap64(hour * 3600 + minute * 60 + sec))
                   - _UNIX_TO_ABSOLUTE)
    return unix, nsec


def _array_to_time(a: list) -> tuple[int, int]:
    """(unix seconds, nanoseconds) of gojq's ``arrayToTime`` (Go's time.Date normalisation)."""
    fields = [0, 0, 0, 0, 0, 0, 0, 0]
    nanos = 0
    for i in range(min(len(a), 8)):
        x = a[i]
        if i == 5:
            f = _to_float(x) if type(x) is not bool else None
            if f is None:
                raise _JqError("expected an array of 8 numbers")
            fields[5] = _go_f2i64(f)
            nanos = _go_f2i64((f - math.floor(f)) * 1e9) if math.isfinite(f) else _MININT
        else:
            n = _to_int(x) if type(x) is not bool else None
            if n is None:
                raise _JqError("expected an array of 8 numbers")
            fields[i] = n
    year, month0, day, hour, minute, second = fields[:6]
    return _go_date_unix(year, month0, day, hour, minute, second, nanos)


def _time_to_epoch(sec: int, nsec: int) -> float:
    return float(sec) + float(nsec) / 1e9


def _f_gmtime(v: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    if f is None:
        raise _e_func0("gmtime", v)
    return _epoch_to_array(f)


def _f_localtime(v: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    if f is None:
        raise _e_func0("localtime", v)
    return _epoch_to_array(f)


def _f_mktime(v: Any) -> Any:
    if type(v) is not list:
        raise _e_func0("mktime", v)
    try:
        sec, nsec = _array_to_time(v)
    except _JqError as e:
        raise _e_wrap0("mktime", v, e.message) from None
    return _time_to_epoch(sec, nsec)


_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_LONG_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_PENDING = {"c": "a b e H:M:S Y", "+": "a b e H:M:S Z Y", "v": "e-b-Y", "r": "I:M:S p", "F": "Y-m-d",
            "D": "m/d/y", "x": "m/d/y", "T": "H:M:S", "X": "H:M:S", "R": "H:M"}


def _strftime(sec: int, nsec: int, fmt: str) -> str:
    """timefmt-go's Format for directives without flags or widths (others: libjq)."""
    y, m, d, hh, mm, ss, wd, yd = _broken_down(sec)
    out: list[str] = []
    i = 0
    n = len(fmt)
    while i < n:
        c = fmt[i]
        i += 1
        if c != "%":
            out.append(c)
            continue
        if i == n:
            out.append("%")
            break
        c = fmt[i]
        i += 1
        for b in _PENDING.get(c, c):
            if b in " :-/":
                out.append(b)
            elif b == "Y":
                out.append(f"{y:04d}")
            elif b == "y":
                out.append(f"{abs(_go_rem(y, 100)):02d}")
            elif b == "C":
                century = _go_div(y, 100)
                out.append("-0" if y < 0 and century == 0 else f"{century:02d}")
            elif b == "m":
                out.append(f"{m:02d}")
            elif b == "B":
                out.append(_LONG_MONTHS[m - 1])
            elif b in "bh":
                out.append(_LONG_MONTHS[m - 1][:3])
            elif b == "A":
                out.append(_LONG_DAYS[wd])
            elif b == "a":
                out.append(_LONG_DAYS[wd][:3])
            elif b == "w":
                out.append(str(wd))
            elif b == "u":
                out.append(str(wd or 7))
            elif b == "d":
                out.append(f"{d:02d}")
            elif b == "e":
                out.append(f"{d:2d}")
            elif b == "j":
                out.append(f"{yd:03d}")
            elif b == "H":
                out.append(f"{hh:02d}")
            elif b == "k":
                out.append(f"{hh:2d}")
            elif b == "I":
                out.append(f"{(hh % 12) or 12:02d}")
            elif b == "l":
                out.append(f"{(hh % 12) or 12:2d}")
            elif b == "p":
                out.append("AM" if hh < 12 else "PM")
            elif b == "M":
                out.append(f"{mm:02d}")
            elif b == "S":
                out.append(f"{ss:02d}")
            elif b == "s":
                out.append(str(sec))
            elif b == "f":
                out.append(f"{nsec // 1000:06d}")
            elif b == "Z":
                out.append("UTC")
            elif b == "z":
                out.append("+0000")
            elif b == "t":
                out.append("\t")
            elif b == "n":
                out.append("\n")
            elif b == "%":
                out.append("%")
            elif b in "-_^#0123456789:PGgVUWP":
                raise _Unsupported("strftime %" + b)
            else:
                out.append("%" + b)
    return "".join(out)


def _strftime_value(name: str, v: Any, x: Any) -> Any:
    f = _to_float(v) if type(v) is not bool else None
    if f is not None:
        v = _epoch_to_array(f)
    if type(v) is not list or type(x) is not str:
        raise _e_func1(name, v, x)
    try:
        sec, nsec = _array_to_time(v)
    except _JqError as e:
        raise _e_wrap1(name, v, x, e.message) from None
    return _strftime(sec, nsec, x)


def _f_strftime(v: Any, x: Any) -> Any:
    return _strftime_value("strftime", v, x)


def _f_strflocaltime(v: Any, x: Any) -> Any:
    return _strftime_value("strflocaltime", v, x)


def _parse_int_at(s: str, j: int, size: int, lo: int, hi: int, fmt: str) -> tuple[int, int]:
    i = j
    end = min(j + size, len(s))
    val = 0
    while i < end and s[i] in _DIGITS:
        val = val * 10 + ord(s[i]) - 48
        i += 1
    if i == j or val < lo or val > hi:
        raise ValueError(f'cannot parse "%{fmt}"')
    return val, i


def _parse_any(s: str, j: int, names: list[str], fmt: str) -> tuple[int, int]:
    for idx, name in enumerate(names):
        if s[j : j + len(name)].lower() == name.lower():
            return idx + 1, j + len(name)
    raise ValueError(f'cannot parse "%{fmt}"')


def _strptime(src: str, fmt: str) -> tuple[int, int]:
    """timefmt-go's Parse for the common directives (others: libjq)."""
    year, month, day, hour, minute, second, yday = 1900, 1, 0, 0, 0, 0, 0
    offset = 0
    pm = False
    j = 0
    i = 0
    n = len(fmt)
    ln = len(src)
    while i < n:
        b = fmt[i]
        i += 1
        if b != "%":
            if j >= ln or src[j] != b:
                raise ValueError("expected " + _go_char_quote(b))
            j += 1
            continue
        if i == n:
            raise ValueError('stray "%"')
        b = fmt[i]
        i += 1
        pending = b in _PENDING
        for c in _PENDING.get(b, b):
            if c == "Y":
                sign = 1
                if j < ln and src[j] == "-":
                    sign, j = -1, j + 1
                year, j = _parse_int_at(src, j, 4, 0, 9999, "Y")
                year *= sign
            elif c == "y":
                year, j = _parse_int_at(src, j, 2, 0, 99, "y")
                year += 2000 if year < 69 else 1900
            elif c == "m":
                month, j = _parse_int_at(src, j, 2, 1, 12, "m")
            elif c in "bhB":
                month, j = _parse_any(src, j, [x if c == "B" else x[:3] for x in _LONG_MONTHS], c)
            elif c in "aA":
                _, j = _parse_any(src, j, [x if c == "A" else x[:3] for x in _LONG_DAYS], c)
            elif c in "de":
                if c == "e" and j < ln and src[j] == " ":
                    j += 1
                day, j = _parse_int_at(src, j, 2, 1, 31, c)
            elif c == "j":
                yday, j = _parse_int_at(src, j, 3, 1, 366, "j")
            elif c == "H":
                hour, j = _parse_int_at(src, j, 2, 0, 23, "H")
            elif c == "I":
                hour, j = _parse_int_at(src, j, 2, 1, 12, "I")
                if hour == 12:
                    hour = 0
            elif c == "p":
                ampm, j = _parse_any(src, j, ["AM", "PM"], "p")
                pm = ampm == 2
            elif c == "M":
                minute, j = _parse_int_at(src, j, 2, 0, 59, "M")
            elif c == "S":
                second, j = _parse_int_at(src, j, 2, 0, 60, "S")
            elif c == "z":
                offset, j = _parse_zone(src, j)
            elif c == "%" and not pending:
                if j >= ln or src[j] != "%":
                    raise ValueError("expected '%'")
                j += 1
            elif pending and c in " :-/":
                if j >= ln or src[j] != c:
                    raise ValueError("expected " + _go_char_quote(c))
                j += 1
            else:
                raise _Unsupported("strptime %" + c)
    if j < ln:
        raise ValueError("unparsed string " + _go_quote(src[j:]))
    if pm:
        hour += 12
    if day == 0:
        if yday > 0:
            days = _days_from_civil(year, 1, 1) + yday - 1
            return days * 86400 + hour * 3600 + minute * 60 + second - offset, 0
        day = 1
    days = _days_from_civil(year, month, 1) + day - 1
    return days * 86400 + hour * 3600 + minute * 60 + second - offset, 0


def _parse_zone(src: str, j: int) -> tuple[int, int]:
    ln = len(src)
    if j >= ln:
        raise ValueError('cannot parse "%z"')
    if src[j] == "Z":
        return 0, j + 1
    if src[j] not in "+-":
        raise ValueError('cannot parse "%z"')
    sign = -1 if src[j] == "-" else 1
    try:
        hh, k = _parse_int_at(src, j + 1, 2, 0, 23, "z")
    except ValueError:
        raise ValueError('cannot parse "%z"') from None
    if k != j + 3:
        raise ValueError('cannot parse "%z"')
    j = k
    colon = j < ln and src[j] == ":"
    if colon:
        j += 1
    mm = ss = 0
    try:
        mm, k = _parse_int_at(src, j, 2, 0, 59, "z")
        ok = k == j + 2
    except ValueError:
        ok = False
    if ok:
        j = k
        if colon and j < ln and src[j] == ":":
            try:
                ss, k = _parse_int_at(src, j + 1, 2, 0, 59, "z")
                if k == j + 3:
                    j = k
                else:
                    ss = 0
            except ValueError:
                ss = 0
    elif colon:
        j -= 0
    return sign * ((hh * 60 + mm) * 60 + ss), j


def _go_char_quote(c: str) -> str:
    from .gotpl.gostrconv import quote_rune

    return quote_rune(ord(c))


def _f_strptime(v: Any, x: Any) -> Any:
    if type(v) is not str or type(x) is not str:
        raise _e_func1("strptime", v, x)
    try:
        sec, nsec = _strptime(v, x)
    except ValueError as e:
        raise _e_wrap1("strptime", v, x, f"failed to parse {_go_quote(v)} with {_go_quote(x)}: {e}") from None
    if sec == -62135596800 and nsec == 0:
        raise _e_func1("strptime", v, x)
    return _epoch_to_array(_time_to_epoch(sec, nsec))


def _f_now(v: Any) -> Any:
    return float(_clock())


def _f_todate(v: Any) -> Any:
    return _f_strftime(v, "%Y-%m-%dT%H:%M:%SZ")


def _f_fromdate(v: Any) -> Any:
    return _f_mktime(_f_strptime(v, "%Y-%m-%dT%H:%M:%S%z"))


# -- registration -----------------------------------------------------------------------------------

for _name, _fn in {
    "length": _f_length, "abs": _f_abs, "utf8bytelength": _f_utf8bytelength, "keys": _keys, "add": _f_add,
    "toboolean": _f_toboolean, "tonumber": _f_tonumber, "tostring": _f_tostring, "type": _type_of,
    "reverse": _f_reverse, "tojson": _json, "fromjson": _f_fromjson,
    "explode": _str0("explode", lambda s: [ord(c) for c in s]), "implode": _f_implode,
    "ascii_downcase": _str0("ascii_downcase", lambda s: _ascii_map(s, "A", "Z", 32)),
    "ascii_upcase": _str0("ascii_upcase", lambda s: _ascii_map(s, "a", "z", -32)),
    "ltrim": _str0("ltrim", _ltrim), "rtrim": _str0("rtrim", _rtrim),
    "trim": _str0("trim", lambda s: _rtrim(_ltrim(s))),
    "_tohtml": _f_tohtml, "_touri": _f_touri, "_tourid": _f_tourid, "_tocsv": _f_tocsv, "_totsv": _f_totsv,
    "_tosh": _f_tosh, "_tobase64": _f_tobase64, "_tobase64d": _f_tobase64d, "_plus": _plus,
    "_negate": _negate, "flatten": _f_flatten, "min": _f_minmax("min", True), "max": _f_minmax("max", False),
    "sort": lambda v: [x for x, _ in _sort_items("sort", v, v)],
    "unique": lambda v: _unique_by("unique", v, v), "frexp": _f_frexp, "modf": _f_modf,
    "infinite": lambda v: math.inf, "nan": lambda v: math.nan, "isinfinite": _f_isinfinite,
    "isfinite": _f_isfinite, "isnan": _f_isnan, "isnormal": _f_isnormal, "transpose": _f_transpose,
    "gmtime": _f_gmtime, "localtime": _f_localtime, "mktime": _f_mktime, "now": _f_now,
    "_captures": _f_captures, "halt": lambda v: _halt_error(None), "halt_error": _halt_error,
    "modulemeta": _f_modulemeta, "todate": _f_todate, "todateiso8601": _f_todate, "fromdate": _f_fromdate,
    "fromdateiso8601": _f_fromdate, "to_entries": _to_entries, "from_entries": _from_entries,
}.items():
    _reg0(_name, _fn)

_FORMAT_FUNCS.update({
    "@text": _f_tostring, "@json": _json, "@html": _f_tohtml, "@uri": _f_touri, "@urid": _f_tourid,
    "@csv": _f_tocsv, "@tsv": _f_totsv, "@sh": _f_tosh, "@base64": _f_tobase64, "@base64d": _f_tobase64d,
})

for _name in _MATH1:
    _reg0(_name, _math1(_name))
for _name in _MATH2:
    _regn(_name, 2, _math2(_name))
_regn("fma", 3, _f_fma)

_FUNCS1: dict[str, Callable[[Any, Any], Any]] = {
    "has": _f_has, "contains": _f_contains, "inside": _f_inside,
    "indices": lambda v, x: _index_func("indices", v, x, _indices),
    "index": lambda v, x: _index_func("index", v, x, _first_index),
    "rindex": lambda v, x: _index_func("rindex", v, x, _last_index),
    "startswith": _str2("startswith", lambda s, t: s.startswith(t)),
    "endswith": _str2("endswith", lambda s, t: s.endswith(t)),
    "ltrimstr": _str2("ltrimstr", _trim_prefix), "rtrimstr": _str2("rtrimstr", _trim_suffix),
    "trimstr": _str2("trimstr", lambda s, t: _trim_suffix(_trim_prefix(s, t), t)),
    "split": _f_split1, "join": _f_join, "format": _f_format, "flatten": _f_flatten,
    "_min_by": _minmax_by_checked("min_by", True), "_max_by": _minmax_by_checked("max_by", False),
    "_sort_by": _sort_by, "_group_by": _group_by, "_unique_by": lambda v, x: _unique_by("unique_by", v, x),
    "delpaths": _delpaths, "bsearch": _f_bsearch, "strftime": _f_strftime,
    "strflocaltime": _f_strflocaltime, "strptime": _f_strptime, "halt_error": _halt_error,
}
for _name, _fn1 in _FUNCS1.items():
    _regn(_name, 1, _fn1)

_regn("setpath", 2, _setpath)
_regn("_index", 2, lambda v, a, b: _index(a, b))
_regn("_slice", 3, lambda v, a, b, c: _slice(a, b, c))
_regn("_alternative", 2, lambda v, a, b: _op_alt_value(a, b))
def _binop_func(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any, Any], Any]:
    return lambda v, a, b: fn(a, b)


for _op, _fname in _OP_FUNC_NAME.items():
    _regn(_fname, 2, _binop_func(_ARITH[_op]))

for _name, _args in {
    "empty": (0, _b_empty, _p_empty), "error": (0, _b_error0, None), "not": (0, _b_not, None),
    "select": (1, _b_select, _p_select), "recurse": (0, _b_recurse0, _p_recurse0),
    "path": (1, _b_path, None), "getpath": (1, _b_getpath, _p_getpath), "map": (1, _b_map, None),
    "add": (1, _b_add1, None), "map_values": (1, _b_map_values, None), "in": (1, _b_in, None),
    "with_entries": (1, _b_with_entries, None), "repeat": (1, _b_repeat, _p_repeat),
    "range": (1, _b_range1, None), "combinations": (0, _b_combinations0, None), "walk": (1, _b_walk, None),
    "isempty": (1, _b_isempty, None), "any": (0, _b_any, None), "all": (0, _b_all, None),
    "truncate_stream": (1, _b_truncate_stream, None), "fromstream": (1, _b_fromstream, None),
    "tostream": (0, _b_tostream, None), "del": (1, _b_del, None), "paths": (0, _b_paths0, None),
    "pick": (1, _b_pick, None), "builtins": (0, _b_builtins, None), "INDEX": (1, _b_INDEX1, None),
    "IN": (1, _b_IN1, None), "_last": (1, _b_last1, None),
}.items():
    _regs(_name, _args[0], _args[1], _args[2])

_regs("error", 1, _b_error1)
_regs("recurse", 1, _b_recurse1, _p_recurse1)
_regs("recurse", 2, _b_recurse2, _p_recurse2)
_regs("while", 2, _b_while, _p_while)
_regs("until", 2, _b_until, _p_until)
_regs("range", 2, _b_range2)
_regs("range", 3, _b_range3)
_regs("_range", 3, _b_internal_range)
_regs("combinations", 1, _b_combinations1)
_regs("first", 1, _b_first1, _p_first1)
_regs("last", 1, _b_last1)
_regs("any", 1, _b_any)
_regs("any", 2, _b_any)
_regs("all", 1, _b_all)
_regs("all", 2, _b_all)
_regs("limit", 2, _b_limit, _p_limit)
_regs("skip", 2, _b_skip, _p_skip)
_regs("nth", 2, _b_nth2, _p_nth2)
_regs("paths", 1, _b_paths1)
_regs("INDEX", 2, _b_INDEX2)
_regs("JOIN", 2, _b_JOIN)
_regs("JOIN", 3, _b_JOIN)
_regs("JOIN", 4, _b_JOIN)
_regs("IN", 2, _b_IN2)
_regs("_modify", 2, _b_modify)
_regs("_assign", 2, _b_assign)
_regs("_match", 3, _b_internal_match)
for _kind in ("test", "match", "capture", "scan", "splits"):
    _regs(_kind, 1, _regex_builtin(_kind, 1))
    _regs(_kind, 2, _regex_builtin(_kind, 2))
_regs("split", 2, _regex_builtin("split", 2))
_regs("sub", 2, _sub_builtin(2, False))
_regs("sub", 3, _sub_builtin(3, False))
_regs("gsub", 2, _sub_builtin(2, True))
_regs("gsub", 3, _sub_builtin(3, True))
for _name, _impl in {
    "min_by": _minmax_by_checked("min_by", True), "max_by": _minmax_by_checked("max_by", False),
    "sort_by": _sort_by, "group_by": _group_by, "unique_by": lambda v, x: _unique_by("unique_by", v, x),
}.items():
    _regs(_name, 1, _by(_name, _impl))

_BUILTINS[("first", 0)] = lambda args: _Index(_IDENTITY, 0)
_BUILTINS[("last", 0)] = lambda args: _Index(_IDENTITY, -1)
_BUILTINS[("nth", 1)] = lambda args: _IndexDyn(_IDENTITY, args[0])
for _name, _pred in {
    "arrays": lambda v: type(v) is list, "objects": lambda v: type(v) is dict,
    "iterables": lambda v: type(v) in (list, dict), "booleans": lambda v: type(v) is bool,
    "numbers": lambda v: _is_num(v) and type(v) is not bool, "strings": lambda v: type(v) is str,
    "nulls": lambda v: v is None, "values": lambda v: v is not None,
    "scalars": lambda v: type(v) not in (list, dict), "finites": _f_isfinite,
    "normals": _f_isnormal,
}.items():
    _ev, _pv = _selector(_pred)
    _regs(_name, 0, _ev, _pv)


# ---------------------------------------------------------------------------------------------
# Fast engines: KWOK's key shapes on raw data (Python ints in the data are JSON numbers, i.e.
# float64, exactly as after to_jq_input; only the returned values are converted).

_ERR: Any = object()  # a jq error inside a fast closure (KWOK: "no data")
_PLAIN = frozenset((dict, list, str, int, float, bool, type(None)))


def _slow_if_exotic(v: Any) -> Any:
    """An error branch: a real jq error for plain JSON values, else defer to the evaluator."""
    if type(v) in _PLAIN:
        return _ERR
    raise _NeedsSlow()


def _fast_steps_of_query(q: _Q) -> list[tuple] | None:
    """KWOK's shapes as steps: ('key', k) ('idx', n) ('iter', optional) ('select', steps, neg, lit)."""
    if q.kind == "pipe":
        left = _fast_steps_of_query(q.left)
        right = _fast_steps_of_query(q.right) if left is not None else None
        return None if right is None or left is None else left + right
    if q.kind != "term":
        return None
    return _fast_steps_of_term(q.term)


def _fast_key_step(x: _Idx) -> tuple | None:
    k = _idx_key(x)
    if type(k) is str:
        return ("key", k)
    if type(k) is int:
        return ("idx", k)
    return None


def _fast_steps_of_term(t: _T) -> list[tuple] | None:
    steps: list[tuple] = []
    kind = t.kind
    if kind == "identity":
        pass
    elif kind == "index":
        s = _fast_key_step(t.a)
        if s is None:
            return None
        steps.append(s)
    elif kind == "query":
        inner = _fast_steps_of_query(t.a)
        if inner is None:
            return None
        steps.extend(inner)
    elif kind == "func" and t.a == "select" and len(t.b) == 1 and not t.suffixes:
        sel = _fast_select(t.b[0])
        if sel is None:
            return None
        steps.append(sel)
    else:
        return None
    sfx = t.suffixes
    i = 0
    while i < len(sfx):
        k, val = sfx[i]
        if k == "index":
            s = _fast_key_step(val)
            if s is None:
                return None
            steps.append(s)
        elif k == "iter":
            opt = i + 1 < len(sfx) and sfx[i + 1][0] == "opt"
            steps.append(("iter", opt))
            if opt:
                i += 1
        else:
            return None
        i += 1
    return steps


def _fast_literal(q: _Q) -> tuple[bool, Any]:
    if q.kind != "term" or q.term.suffixes:
        return False, None
    t = q.term
    if t.kind == "string" and t.a.parts is None:
        return True, t.a.text
    if t.kind in ("null", "true", "false"):
        return True, {"null": None, "true": True, "false": False}[t.kind]
    if t.kind == "number":
        return True, _parse_number(t.a)
    if t.kind == "unary" and t.b.kind == "number" and not t.b.suffixes:
        n = _parse_number(t.b.a)
        return True, _negate(n) if t.a == "-" else n
    return False, None


def _fast_select(q: _Q) -> tuple | None:
    if q.kind != "op" or q.op not in ("==", "!="):
        return None
    for path_q, lit_q in ((q.left, q.right), (q.right, q.left)):
        ok, lit = _fast_literal(lit_q)
        if not ok:
            continue
        steps = _fast_steps_of_query(path_q)
        if steps is None or any(s[0] not in ("key", "idx") for s in steps):
            continue
        return ("select", tuple(steps), q.op == "!=", lit)
    return None


def _walk1(v: Any, steps: tuple) -> Any:
    """A path of single-valued steps (keys and constant indices): the value or _ERR."""
    for s in steps:
        tv = type(v)
        if s[0] == "key":
            if tv is dict:
                v = v.get(s[1])
            elif v is None:
                pass
            else:
                return _slow_if_exotic(v)
        else:
            n = s[1]
            if tv is list or tv is str:
                i = n + len(v) if n < 0 else n
                v = v[i] if 0 <= i < len(v) else None
            elif v is None:
                pass
            else:
                return _slow_if_exotic(v)
    return v


def _make_keys_fn(keys: tuple[str, ...]) -> Callable[[Any], Any]:
    """``.a.b.c``: one value (None for missing) or _ERR."""
    if len(keys) == 1:
        (k0,) = keys

        def f1(d: Any) -> Any:
            if type(d) is dict:
                return d.get(k0)
            if d is None:
                return None
            return _slow_if_exotic(d)

        return f1
    if len(keys) == 2:
        k0, k1 = keys

        def f2(d: Any) -> Any:
            if type(d) is dict:
                v = d.get(k0)
                if type(v) is dict:
                    return v.get(k1)
                if v is None:
                    return None
                return _slow_if_exotic(v)
            if d is None:
                return None
            return _slow_if_exotic(d)

        return f2

    def fn(d: Any) -> Any:
        v = d
        for k in keys:
            if type(v) is dict:
                v = v.get(k)
            elif v is None:
                return None
            else:
                return _slow_if_exotic(v)
        return v

    return fn


def _lit_eq(lit: Any) -> Callable[[Any], bool]:
    if type(lit) is str:
        return lambda x: type(x) is str and x == lit
    if lit is None:
        return lambda x: x is None
    if type(lit) is bool:
        return lambda x: x is lit
    return lambda x: type(x) in _PLAIN and _cmp(x, lit) == 0


def _make_multi_fn(steps: list[tuple]) -> Callable[[Any], list | None]:
    """Any step list: all outputs (raw) or None for a jq error."""
    # The shape of KWOK's keys: KEYS [] (select(KEYS == LIT))? KEYS, specialised.
    pre: list[str] = []
    i = 0
    while i < len(steps) and steps[i][0] == "key":
        pre.append(steps[i][1])
        i += 1
    if i < len(steps) and steps[i][0] == "iter":
        opt = steps[i][1]
        j = i + 1
        sel = None
        if j < len(steps) and steps[j][0] == "select":
            sel = steps[j]
            j += 1
        post: list[str] = []
        while j < len(steps) and steps[j][0] == "key":
            post.append(steps[j][1])
            j += 1
        if j == len(steps):
            return _make_iter_fn(tuple(pre), opt, sel, tuple(post))
    return _make_generic_fn(steps)


def _make_iter_fn(pre: tuple[str, ...], opt: bool, sel: tuple | None,
                  post: tuple[str, ...]) -> Callable[[Any], list | None]:
    head = _make_keys_fn(pre) if pre else (lambda d: d)
    tail = _make_keys_fn(post) if post else None
    if sel is not None:
        sel_steps, neg, lit = sel[1], sel[2], sel[3]
        eq = _lit_eq(lit)
        sel_key = sel_steps[0][1] if len(sel_steps) == 1 and sel_steps[0][0] == "key" else None

    def fn(d: Any) -> list | None:
        v = head(d)
        tv = type(v)
        if tv is list:
            items = v
        elif tv is dict:
            items = [v[k] for k in sorted(v)]
        elif v is _ERR:
            return None
        elif opt:
            if tv not in _PLAIN:
                raise _NeedsSlow()
            return []
        else:
            _slow_if_exotic(v)
            return None
        if sel is not None:
            chosen = []
            for x in items:
                if sel_key is not None:
                    if type(x) is dict:
                        s = x.get(sel_key)
                    elif x is None:
                        s = None
                    else:
                        _slow_if_exotic(x)
                        return None
                else:
                    s = _walk1(x, sel_steps)
                    if s is _ERR:
                        return None
                if eq(s) != neg:
                    chosen.append(x)
            items = chosen
        if tail is None:
            return list(items)
        out = []
        for x in items:
            y = tail(x)
            if y is _ERR:
                return None
            out.append(y)
        return out

    return fn


def _make_generic_fn(steps: list[tuple]) -> Callable[[Any], list | None]:
    def fn(d: Any) -> list | None:
        vals = [d]
        for s in steps:
            kind = s[0]
            new: list[Any] = []
            if kind == "iter":
                for v in vals:
                    tv = type(v)
                    if tv is list:
                        new.extend(v)
                    elif tv is dict:
                        new.extend(v[k] for k in sorted(v))
                    elif s[1]:
                        if tv not in _PLAIN:
                            raise _NeedsSlow()
                    else:
                        _slow_if_exotic(v)
                        return None
            elif kind == "select":
                eq = _lit_eq(s[3])
                for v in vals:
                    x = _walk1(v, s[1])
                    if x is _ERR:
                        return None
                    if eq(x) != s[2]:
                        new.append(v)
            else:
                for v in vals:
                    x = _walk1(v, (s,))
                    if x is _ERR:
                        return None
                    new.append(x)
            vals = new
        return vals

    return fn


def _gen_walk(lines: list[str], var: str, keys: list[str], names: dict[str, Any], ind: str, nodata: str) -> None:
    """Emit ``var = var[k0][k1]...`` with jq's null propagation; errors return ``nodata``."""
    for k in keys:
        kn = f"K{len(names)}"
        names[kn] = k
        lines.append(f"{ind}if type({var}) is dict:")
        lines.append(f"{ind}    {var} = {var}.get({kn})")
        lines.append(f"{ind}elif {var} is not None:")
        lines.append(f"{ind}    return {nodata} if type({var}) in PLAIN else slow(d0)")


def _gen_matcher(steps: list[tuple], op: str, values: frozenset[str],
                 slow: Callable[[Any], bool]) -> Callable[[Any], bool] | None:
    """One Python function for a requirement on KWOK's key shapes: KEYS or KEYS [] (select)? KEYS."""
    i = 0
    pre: list[str] = []
    while i < len(steps) and steps[i][0] == "key":
        pre.append(steps[i][1])
        i += 1
    it = sel = None
    post: list[str] = []
    if i < len(steps):
        if steps[i][0] != "iter":
            return None
        it = steps[i]
        i += 1
        if i < len(steps) and steps[i][0] == "select":
            sel = steps[i]
            if any(x[0] != "key" for x in sel[1]):
                return None
            i += 1
        while i < len(steps) and steps[i][0] == "key":
            post.append(steps[i][1])
            i += 1
        if i != len(steps):
            return None
    tin, fin = "true" in values, "false" in values
    nodata = "True" if op in ("NotIn", "DoesNotExist") else "False"
    names: dict[str, Any] = {"PLAIN": _PLAIN, "slow": slow, "VALS": values, "sorted": sorted, "TIN": tin,
                             "FIN": fin}

    def test(var: str) -> str:
        if op in ("Exists", "DoesNotExist"):
            return f"{var} is not None"
        t = f"(type({var}) is str and {var} in VALS)"
        if tin or fin:
            t += f" or (type({var}) is bool and (TIN if {var} else FIN))"
        return t

    lines = ["def m(d0):", "    v = d0"]
    _gen_walk(lines, "v", pre, names, "    ", nodata)
    if it is None:
        t = test("v")
        lines.append(f"    return not ({t})" if op in ("NotIn", "DoesNotExist") else f"    return {t}")
    else:
        lines += [
            "    t = type(v)",
            "    if t is list:",
            "        items = v",
            "    elif t is dict:",
            "        items = [v[k] for k in sorted(v)]",
            "    elif v is None or t in PLAIN:",
            f"        return {nodata}",
            "    else:",
            "        return slow(d0)",
            "    found = False",
            "    for x in items:",
        ]
        if sel is not None:
            lines.append("        s = x")
            _gen_walk(lines, "s", [x[1] for x in sel[1]], names, "        ", nodata)
            lit = sel[3]
            if type(lit) is str:
                names["LIT"] = lit
                cond = "(type(s) is str and s == LIT)"
            else:
                names["EQ"] = _lit_eq(lit)
                cond = "EQ(s)"
            lines.append(f"        if {cond} {'==' if sel[2] else '!='} True:")
            lines.append("            continue")
        lines.append("        y = x")
        _gen_walk(lines, "y", post, names, "        ", nodata)
        lines.append(f"        if not found and ({test('y')}):")
        lines.append("            found = True")
        lines.append("    return not found" if op in ("NotIn", "DoesNotExist") else "    return found")
    ns: dict[str, Any] = dict(names)
    exec("\n".join(lines), ns)
    fn: Callable[[Any], bool] = ns["m"]
    return fn


# ---------------------------------------------------------------------------------------------
# libjq engine (PyPI ``jq``): gojq's key order on input, gojq's number types on output


def _sorted_json(v: Any) -> Any:
    t = type(v)
    if t is dict:
        return {k: _sorted_json(v[k]) for k in sorted(v)}
    if t is list:
        return [_sorted_json(x) for x in v]
    return v


_NUM_DATA, _NUM_INT, _NUM_MIXED = "data", "int", "mixed"
_INT_FUNCS = frozenset(("length", "utf8bytelength", "indices", "index", "rindex", "bsearch", "now"))
_PASS_FUNCS = frozenset(("select", "first", "last", "nth", "limit", "recurse", "values", "nulls", "numbers",
                         "strings", "arrays", "objects", "iterables", "scalars", "booleans", "getpath",
                         "empty", "error", "min", "max", "min_by", "max_by", "add", "until", "while",
                         "repeat", "skip", "splits", "sort", "sort_by", "unique", "unique_by", "reverse",
                         "flatten", "to_entries", "from_entries", "with_entries", "map", "map_values",
                         "walk", "del", "paths", "pick", "tostream", "group_by", "transpose", "combinations"))
_FLOAT_FUNCS = frozenset(_MATH1) | frozenset(_MATH2) | {"fma", "mktime", "infinite", "nan", "j0", "j1",
                                                        "y0", "y1", "jn", "yn"}


def _num_kind_q(q: _Q | None, inp: str) -> str:
    """The kind of numbers a query outputs: data (float64), int, float or mixed (unknown)."""
    if q is None:
        return inp
    k = q.kind
    if k == "term":
        return _num_kind_t(q.term, inp)
    if k == "pipe":
        return _num_kind_q(q.right, _num_kind_q(q.left, inp))
    if k in ("comma",):
        a, b = _num_kind_q(q.left, inp), _num_kind_q(q.right, inp)
        return a if a == b else _NUM_MIXED
    if k == "op":
        if q.op in ("//",):
            a, b = _num_kind_q(q.left, inp), _num_kind_q(q.right, inp)
            return a if a == b else _NUM_MIXED
        if q.op in ("+", "-", "*", "%"):
            a, b = _num_kind_q(q.left, inp), _num_kind_q(q.right, inp)
            if a == b == _NUM_INT:
                return _NUM_INT
            if "float" in (a, b) or _NUM_DATA in (a, b):
                return "float" if _NUM_MIXED not in (a, b) else _NUM_MIXED
            return _NUM_MIXED
        if q.op in ("==", "!=", "<", "<=", ">", ">=", "and", "or"):
            return "none"
        return _NUM_MIXED
    if k == "bind":
        return _num_kind_q(q.right, inp)
    return _NUM_MIXED


def _num_kind_t(t: _T, inp: str) -> str:
    kind = t.kind
    if kind in ("identity", "recurse"):
        base = inp
    elif kind == "index":
        base = _NUM_DATA if inp == _NUM_DATA else _NUM_MIXED
    elif kind == "number":
        base = _NUM_INT if type(_parse_number(t.a)) is int else "float"
    elif kind == "unary" and t.b.kind == "number":
        base = _NUM_INT if type(_parse_number(t.b.a)) is int else "float"
    elif kind in ("null", "true", "false", "string", "format"):
        base = "none"
    elif kind == "query":
        base = _num_kind_q(t.a, inp)
    elif kind == "if":
        outs = {_num_kind_q(t.b, inp)} | {_num_kind_q(b, inp) for _, b in t.c} | {
            _num_kind_q(t.d, inp) if t.d is not None else inp}
        outs.discard("none")
        base = outs.pop() if len(outs) == 1 else ("none" if not outs else _NUM_MIXED)
    elif kind == "func":
        name = t.a
        if name in _INT_FUNCS:
            base = _NUM_INT if name != "length" or inp != _NUM_MIXED else _NUM_MIXED
        elif name in _FLOAT_FUNCS:
            base = "float"
        elif name in _PASS_FUNCS:
            base = inp if name not in ("map", "recurse", "getpath") or inp == _NUM_DATA else _NUM_MIXED
        elif name in ("tostring", "tojson", "type", "ascii_downcase", "ascii_upcase", "join", "test", "has",
                      "contains", "startswith", "endswith", "ltrimstr", "rtrimstr", "not", "isempty",
                      "any", "all", "in", "inside", "todate", "@text"):
            base = "none"
        elif name in ("keys",):
            base = _NUM_INT if inp != _NUM_DATA else _NUM_MIXED
        else:
            base = _NUM_MIXED
    else:
        base = _NUM_MIXED
    for s, _val in t.suffixes:
        if s in ("index", "iter"):
            base = _NUM_DATA if base == _NUM_DATA else _NUM_MIXED
    return base


def _type_libjq_value(v: Any, kind: str) -> Any:
    t = type(v)
    if t is bool or v is None or t is str:
        return v
    if t is int:
        if kind in (_NUM_DATA, "float"):
            return float(v)
        return _intres(v)
    if t is float:
        return v
    if t is list:
        return [_type_libjq_value(x, kind) for x in v]
    if t is dict:
        return {k: _type_libjq_value(x, kind) for k, x in v.items()}
    return v


class _LibjqEngine:
    def __init__(self, source: str, ast: _Q) -> None:
        import jq as libjq

        try:
            self.prog = libjq.compile(source)
        except ValueError as e:
            raise _Unsupported(str(e)) from None
        self.kind = _num_kind_q(ast, _NUM_DATA)

    def run(self, data: Any) -> RawResult:
        text = json.dumps(_sorted_json(to_jq_input(data)), allow_nan=False)
        out: list[Any] = []
        try:
            for v in self.prog.input_text(text):
                out.append(_type_libjq_value(v, self.kind))
        except ValueError as e:
            return RawResult(out, str(e))
        return RawResult(out, None)


# ---------------------------------------------------------------------------------------------
# Queries

_ENGINES = ("keys", "fast", "eval", "libjq")


class Query:
    """A compiled jq key. ``engine`` says which engine answers ``execute``: keys, fast, eval or libjq.

    ``engine=`` forces one (tests compare engines); forcing ``keys``/``fast`` on an expression they do
    not accept raises ``ValueError``.
    """

    def __init__(self, source: str, *, engine: str | None = None) -> None:
        if engine is not None and engine not in _ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        self.source = source
        try:
            imports, ast = _parse(source)
            for path, _alias in imports:
                raise JqCompileError("cannot load module: " + _go_quote(path))
            comp = _Compiler()
            self._node: _Node = comp.query(ast, ((),))
        except RecursionError:
            raise JqCompileError("kwokbook: expression nests too deeply") from None
        self._ast = ast
        self._needs_libjq = comp.uses_libjq
        self._lib: _LibjqEngine | None = None
        self._single: Callable[[Any], Any] | None = None
        self._multi: Callable[[Any], list | None] | None = None
        steps = _fast_steps_of_query(ast) if ast.kind in ("term", "pipe") else None
        self._steps = steps
        keys_ok = steps is not None and bool(steps) and all(s[0] == "key" for s in steps)
        fast_ok = steps is not None and bool(steps)
        if engine is None:
            engine = "keys" if keys_ok else "fast" if fast_ok else "libjq" if self._needs_libjq else "eval"
        if engine == "keys":
            if not keys_ok:
                raise ValueError(f"the keys engine does not accept {source!r}")
            assert steps is not None
            self._single = _make_keys_fn(tuple(s[1] for s in steps))
        elif engine == "fast":
            if not fast_ok:
                raise ValueError(f"the fast engine does not accept {source!r}")
            assert steps is not None
            self._multi = _make_multi_fn(steps)
        elif engine == "libjq":
            try:
                self._lib = _LibjqEngine(source, ast)
            except _Unsupported as e:
                raise ValueError(f"libjq cannot compile {source!r}: {e}") from None
        self.engine = engine

    def __repr__(self) -> str:
        return f"Query({self.source!r}, engine={self.engine!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Query, (self.source,), {"engine": self.engine})

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("engine") != self.engine:
            self.__init__(self.source, engine=state.get("engine"))  # type: ignore[misc]

    # -- evaluation ---------------------------------------------------------------------------

    def _eval_run(self, data: Any) -> RawResult:
        out: list[Any] = []
        try:
            for v in self._node.ev(to_jq_input(data), {}):
                out.append(v)
        except _JqError as e:
            return RawResult(out, e.message)
        except _Unsupported:
            return self._lib_run(data)
        except RecursionError:
            return RawResult(out, "kwokbook: recursion too deep")
        return RawResult(out, None)

    def _lib_run(self, data: Any) -> RawResult:
        if self._lib is None:
            try:
                self._lib = _LibjqEngine(self.source, self._ast)
            except _Unsupported as e:
                return RawResult([], f"kwokbook: not supported: {e}")
        return self._lib.run(data)

    def run(self, data: Any) -> RawResult:
        """Every output in order (nulls kept) until the first error (gojq's iterator)."""
        if self.engine == "libjq":
            return self._lib_run(data)
        return self._eval_run(data)

    def execute(self, data: Any) -> list[Any] | None:
        """KWOK's ``Query.Execute``: non-null outputs, or ``None`` if any output was an error."""
        single = self._single
        if single is not None:
            try:
                v = single(data)
            except _NeedsSlow:
                return self._execute_slow(data)
            if v is _ERR:
                return None
            if v is None:
                return []
            t = type(v)
            if t is str or t is bool or t is float:
                return [v]
            return [to_jq_input(v)]
        multi = self._multi
        if multi is not None:
            try:
                out = multi(data)
            except _NeedsSlow:
                return self._execute_slow(data)
            if out is None:
                return None
            return [to_jq_input(v) for v in out if v is not None]
        return self._execute_slow(data)

    def _execute_slow(self, data: Any) -> list[Any] | None:
        r = self._lib_run(data) if self.engine == "libjq" else self._eval_run(data)
        if r.error is not None:
            return None
        return [v for v in r.outputs if v is not None]


@lru_cache(maxsize=4096)
def compile(expr: str) -> Query:
    """Compile (and cache) a jq key; raises :class:`JqCompileError` with gojq's message."""
    return Query(expr)


def query(expr: str, obj: Any) -> list[Any]:
    """The values KWOK's selector sees for ``expr`` on ``obj`` (``[]`` when KWOK swallows an error)."""
    out = compile(expr).execute(obj)
    return out or []


# ---------------------------------------------------------------------------------------------
# Requirements (expression/selector.go)


def _has_value(d: Any, values: tuple[str, ...]) -> bool:
    t = type(d)
    if t is str:
        return d in values
    if t is bool:
        return ("true" if d else "false") in values
    if t is int:
        return str(d) in values
    return False


@dataclass(frozen=True)
class RequirementResult:
    """Why a requirement held or not: the values the key produced (None: an error was swallowed)."""

    values: list[Any] | None
    matched: bool
    error: str | None = None


class Requirement:
    """``jq: {key, operator, values}`` with KWOK's construction errors and matching rules.

    ``matches(data)`` accepts the object raw or after :func:`to_jq_input` (same answer) and is
    compiled to one closure per requirement.
    """

    def __init__(self, key: str, operator: str, values: tuple[str, ...] | list[str]) -> None:
        self.query = compile(key)
        values = tuple(values)
        if operator in ("In", "NotIn"):
            if not values:
                raise SelectorError("for 'in', 'notin' operators, values set can't be empty")
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                raise SelectorError("values set must be empty for exists and does not exist")
        else:
            raise SelectorError(f"operator {_go_quote(operator)} is not supported")
        self.key = key
        self.operator = operator
        self.values = values
        self.matches = self._matcher()  # type: ignore[method-assign,assignment]

    def __repr__(self) -> str:
        return f"Requirement({self.key!r}, {self.operator!r}, {list(self.values)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Requirement, (self.key, self.operator, self.values))

    def _decide(self, data: list[Any] | None) -> bool:
        op = self.operator
        if not data:
            return op in ("NotIn", "DoesNotExist")
        if op == "In":
            return any(_has_value(d, self.values) for d in data)
        if op == "NotIn":
            return not any(_has_value(d, self.values) for d in data)
        exists = any(d is not None for d in data)
        return exists if op == "Exists" else not exists

    def matches(self, data: Any) -> bool:
        """KWOK's ``Requirement.Matches`` (errors count as "no data")."""
        return self._decide(self.query.execute(data))

    def _matcher(self) -> Callable[[Any], bool]:
        q = self.query
        op = self.operator
        vals = frozenset(self.values)
        tin, fin = "true" in vals, "false" in vals
        slow = self.matches

        def has(v: Any) -> bool:
            t = type(v)
            return (t is str and v in vals) or (t is bool and (tin if v else fin))

        if q._steps is not None and (q._single is not None or q._multi is not None):
            gen = _gen_matcher(q._steps, op, vals, slow)
            if gen is not None:
                return gen
        single = q._single
        if single is not None:
            f = single
            if op == "Exists":
                def m(d: Any) -> bool:
                    try:
                        v = f(d)
                    except _NeedsSlow:
                        return slow(d)
                    return v is not None and v is not _ERR
            elif op == "DoesNotExist":
                def m(d: Any) -> bool:
                    try:
                        v = f(d)
                    except _NeedsSlow:
                        return slow(d)
                    return v is None or v is _ERR
            else:
                neg = op == "NotIn"

                def m(d: Any) -> bool:
                    try:
                        v = f(d)
                    except _NeedsSlow:
                        return slow(d)
                    t = type(v)
                    return ((t is str and v in vals) or (t is bool and (tin if v else fin))) != neg
            return m
        multi = q._multi
        if multi is not None:
            g = multi
            if op in ("Exists", "DoesNotExist"):
                want = op == "Exists"

                def m(d: Any) -> bool:
                    try:
                        out = g(d)
                    except _NeedsSlow:
                        return slow(d)
                    if out:
                        for v in out:
                            if v is not None:
                                return want
                    return not want
            else:
                neg = op == "NotIn"

                def m(d: Any) -> bool:
                    try:
                        out = g(d)
                    except _NeedsSlow:
                        return slow(d)
                    if out:
                        for v in out:
                            if has(v):
                                return not neg
                    return neg
            return m
        return slow

    def explain(self, data: Any) -> RequirementResult:
        raw = self.query.run(data)
        values = None if raw.error is not None else [v for v in raw.outputs if v is not None]
        return RequirementResult(values, self._decide(values), raw.error)


def compile_requirements(requirements: Iterable[Requirement]) -> Callable[[Any], bool]:
    """One function for a stage's requirements in order (KWOK stops at the first that fails).

    For the lifecycle's hot path: ``check(obj)`` takes the object raw (no :func:`to_jq_input`).
    """
    ms = [r.matches for r in requirements]
    if not ms:
        return lambda d: True
    if len(ms) == 1:
        return ms[0]
    names = {f"m{i}": m for i, m in enumerate(ms)}
    src = "def check(d):\n    return " + " and ".join(f"m{i}(d)" for i in range(len(ms)))
    ns: dict[str, Any] = dict(names)
    exec(src, ns)
    fn: Callable[[Any], bool] = ns["check"]
    return fn

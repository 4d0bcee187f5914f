"""CEL evaluated the way KWOK v0.8.0's stage engine evaluates it (cel-go v0.26 via easycel).

API (stable)::

    compile(expr) -> Program          # cached; raises CelError ("failed to compile expression: ...")
    Program.eval(obj, now_ns=None, rng=None, typed_kind=None) -> Any
                                      # obj is bound to ``self``; raises CelError on evaluation errors
    as_bool(v) / as_int64(v) / as_duration_ns(v)   # KWOK's cel.AsBool / AsInt64 / AsDuration

Environment (``pkg/utils/lifecycle/lifecycle.go`` ``init`` → ``pkg/utils/cel``): cel-go's standard
library and macros (``has``, ``all``, ``exists``, ``exists_one``, ``map``, ``filter``; no string or
math extensions, no optional syntax), the only variable ``self``, and KWOK's ``Now()``, ``Rand()``,
``SinceSecond(obj)``, ``UnixSecond(t)`` and ``Quantity(str)`` (also callable as methods:
``t.UnixSecond()``, ``"1Gi".Quantity()``). Every expression is parsed *and type-checked* when the
stage is first matched, so type errors are compile errors with cel-go's caret display
(``failed to compile expression: ERROR: :1:3: found no matching overload for '_==_' applied to
'(int, double)'`` — KWOK's source has no name, hence ``:1:3``).

Unstructured vs typed ``self``:

* The generic Stage controller and the conformance harness pass the **unstructured** object:
  ``self`` is ``map(string, dyn)``. Integral JSON numbers are CEL ``int``, others ``double``;
  ``self.a == 1.0`` is true at run time (heterogeneous equality) while the literal ``1 == 1.0`` does
  not compile. A missing key is an evaluation error (``no such key: status``) unless guarded by
  ``has()``; ``has(self.a.b)`` still fails when ``a`` itself is missing. KWOK returns these errors,
  which aborts the whole stage match for that event — :class:`CelError` is raised for them.
  ``SinceSecond(self)`` does not compile here (it only accepts typed Pods/Nodes).
* KWOK's **Pod and Node controllers pass typed ``corev1.Pod``/``corev1.Node``** objects. Fields are
  addressed by JSON name and statically typed; a field that is absent in the object reads as its Go
  zero value (``""``, ``0``, empty list/map, zero timestamp) instead of failing, unknown field
  names are compile errors (``undefined field 'foo'``), and ``has()`` tests "non-zero". Pass
  ``typed_kind="Pod"``/``"Node"`` to :meth:`Program.eval` (and :func:`compile`) to emulate this for
  the common fields (metadata, spec.nodeName/containers/…, status.phase/conditions/…); see
  :mod:`kwokbook.celenv.typed` for the exact field list.

Clock and randomness are injected: ``now_ns`` (Unix nanoseconds, default 2024-01-01T00:00:00Z) is
what ``Now()``/``SinceSecond`` read; ``rng`` (default ``random.Random(0)``) feeds ``Rand()``.

Implementation: our own engine in :mod:`kwokbook.celenv` (parser with ANTLR-compatible syntax
errors, cel-go's checker, cel-go's runtime semantics, a port of resource.Quantity). Both candidate
libraries were measured on the 611 unstructured cases of the oracle corpus (``tests/fixtures/
recorded/cel_*.json``) before choosing:

============================  ==========  ===========  ===============  ==============
engine                        same value  same ok/err  same error text  volume stages
                              or error                                  (120 cases)
============================  ==========  ===========  ===============  ==============
cel-python 0.5 (``celpy``)    438         483          0                117
common-expression-language    468         507          2                119
kwokbook.celenv               611         611          611 (all)        120
============================  ==========  ===========  ===============  ==============

Neither library type-checks (KWOK does: ``1 == 1.0`` must not compile); celpy answers false for
``has(self.spec.claimRef.name)`` when ``claimRef`` is missing, where KWOK errors and blocks the
kind; the Rust engine errors on ``has()`` through a null; none produces cel-go's texts. Speed on
the volume stages' selectors (compiled, per evaluation, this machine): kwokbook 3.4 µs, Rust
bindings ~130 µs (most of it converting ``self``), celpy ~700 µs; compiling (parse + check) costs
about 1 ms and is cached per expression.

Known differences from cel-go (none reachable from KWOK's built-in stages): ANTLR's recovery
limits (30 attempts, 256 look-ahead tokens, 100 reports) and the parser's 250-level recursion limit
are not modelled; iterating over a map follows insertion order where Go's is random; in typed mode
``type(self)`` and printing whole structs differ (Go's texts contain pointers), and only the fields
of the structs KWOK registers are modelled (see :mod:`kwokbook.celenv.typed`).
"""


from __future__ import annotations

import random
from typing import Any

from .celenv import checker as C
from .celenv import interp as I
from .celenv import types as T
from .celenv.parser import parse
from .celenv.values import (
    I64_MIN,
    CelMap,
    CelQuantity,
    Duration,
    Err,
    Timestamp,
    TypeVal,
    Uint,
    go_type,
)
from .errors import SelectorError

DEFAULT_NOW_NS = 1_704_067_200_000_000_000  # 2024-01-01T00:00:00Z, as kwokbook.gotpl.env.FIXED_EPOCH


class CelError(SelectorError):
    """A CEL compile or evaluation error; ``str()`` starts with KWOK's/cel-go's message."""


def _display(src: str, errors: list[tuple[int, str]]) -> str:
    """cel-go's ``Errors.ToDisplayString`` for a source without a description."""
    lines = src.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    out = []
    for off, msg in errors:
        line = 0
        while line + 1 < len(starts) and starts[line + 1] <= off:
            line += 1
        col = off - starts[line]
        text = f"ERROR: :{line + 1}:{col + 1}: {msg}"
        snippet = lines[line] if line < len(lines) else ""
        if len(snippet.encode("utf-8", "surrogatepass")) <= 16384:
            ind = "".join(
                "\uff0e" if len(ch.encode("utf-8", "surrogatepass")) > 1 else "." for ch in snippet[:col]
            )
            at = snippet[col : col + 1]
            ind += "\uff3e" if at and len(at.encode("utf-8", "surrogatepass")) > 1 else "^"
            text += "\n | " + snippet.replace("\t", " ") + "\n | " + ind
        out.append(text)
    return "\n".join(out)


def _line_col(src: str, off: int) -> tuple[int, int]:
    line = src.count("\n", 0, off)
    start = src.rfind("\n", 0, off) + 1
    return line, off - start


class Program:
    """A compiled CEL expression bound to KWOK's environment."""

    def __init__(self, source: str, typed_kind: str | None = None) -> None:
        self.source = source
        self.typed_kind = typed_kind
        if source == "":
            raise CelError("failed to compile expression: no source code")
        res = parse(source)
        if res.errors:
            errs = sorted(res.errors, key=lambda e: (*_line_col(source, e[0]), e[2], e[3]))
            raise CelError(
                "failed to compile expression: " + _display(source, [(o, m) for o, m, _, _ in errs])
            )
        env = _env(typed_kind)
        errors = C.check(res.expr, env)
        if errors:
            errs2 = sorted(enumerate(errors), key=lambda ie: (*_line_col(source, ie[1][0]), ie[0]))
            raise CelError("failed to compile expression: " + _display(source, [e for _, e in errs2]))
        self.ast = res.expr
        self.result_type = T.format_type(res.expr.t)
        self._rt = I.Runtime(DEFAULT_NOW_NS, random.Random(0))
        self._fn = I.Compiler(self._rt).compile(res.expr)

    def eval_value(self, obj: Any, *, now_ns: int | None = None, rng: random.Random | None = None) -> Any:
        """Evaluate and return the raw CEL value (an :class:`~kwokbook.celenv.values.Err` on error)."""
        self._rt.now_ns = DEFAULT_NOW_NS if now_ns is None else now_ns
        if rng is not None:
            self._rt.rng = rng
        if self.typed_kind is not None:
            from .celenv.typed import wrap

            obj = wrap(self.typed_kind, obj)
        return self._fn({"self": obj})

    def eval(
        self,
        obj: Any,
        *,
        now_ns: int | None = None,
        rng: random.Random | None = None,
        typed_kind: str | None = None,
    ) -> Any:
        """Evaluate with ``obj`` bound to ``self``; raise :class:`CelError` like KWOK returns errors."""
        if typed_kind is not None and typed_kind != self.typed_kind:
            return compile(self.source, typed_kind=typed_kind).eval(obj, now_ns=now_ns, rng=rng)
        v = self.eval_value(obj, now_ns=now_ns, rng=rng)
        if isinstance(v, Err):
            raise CelError(v.msg)
        return v


_ENVS: dict[str | None, C.Env] = {}


def _env(typed_kind: str | None) -> C.Env:
    env = _ENVS.get(typed_kind)
    if env is None:
        if typed_kind is None:
            env = C.Env({"self": T.map_of(T.STRING_T, T.DYN_T)})
        else:
            from .celenv.typed import typed_env

            env = typed_env(typed_kind)
        _ENVS[typed_kind] = env
    return env


_CACHE: dict[tuple[str, str | None], Program | CelError] = {}


def compile(expr: str, typed_kind: str | None = None) -> Program:
    """Parse and type-check ``expr`` (cached, like KWOK's per-environment program cache)."""
    key = (expr, typed_kind)
    hit = _CACHE.get(key)
    if hit is None:
        try:
            hit = Program(expr, typed_kind)
        except CelError as e:
            hit = e
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = hit
    if isinstance(hit, CelError):
        raise CelError(hit.message)
    return hit


def _go_int64(f: float) -> int:
    if f != f or not -9.223372036854775808e18 <= f < 9.223372036854775808e18:
        return I64_MIN
    return int(f)


def _wrap64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def as_bool(v: Any) -> bool:
    """KWOK's ``cel.AsBool``."""
    if type(v) is bool:
        return v
    raise CelError(f"cel.AsBool unsupported type: {go_type(v)}")


def as_int64(v: Any) -> int:
    """KWOK's ``cel.AsInt64``: Duration ns, Int, Double truncated, Uint, Bool 1/0."""
    t = type(v)
    if t is bool:
        return 1 if v else 0
    if t is int:
        return v
    if t is float:
        return _go_int64(v)
    if t is Uint:
        return _wrap64(int(v))
    if t is Duration:
        return v.ns
    raise CelError(f"cel.AsInt64 unsupported type: {go_type(v)}")


def as_duration_ns(v: Any) -> int:
    """KWOK's ``cel.AsDuration`` in nanoseconds: string (Go duration), Duration, Int, Double, Uint."""
    t = type(v)
    if t is str:
        from .gotpl.gotime import parse_duration

        try:
            return parse_duration(v)
        except Exception as e:
            raise CelError(str(e)) from None
    if t is Duration:
        return v.ns
    if t is int:
        return v
    if t is float:
        return _go_int64(v)
    if t is Uint:
        return _wrap64(int(v))
    raise CelError(f"cel.AsDuration unsupported type: {go_type(v)}")


def to_python(v: Any) -> Any:
    """A CEL value as plain Python for display (timestamps as RFC 3339, durations as Go text)."""
    if isinstance(v, bool) or v is None or isinstance(v, (str, float, bytes)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, (list, tuple)):
        return [to_python(x) for x in v]
    if isinstance(v, dict):
        return {k: to_python(x) for k, x in v.items()}
    if isinstance(v, CelMap):
        return {str(k): to_python(x) for k, x in v.entries.values()}
    if isinstance(v, Timestamp):
        from .gotpl.gotime import RFC3339_NANO

        return v.t.format(RFC3339_NANO)
    if isinstance(v, Duration):
        from .gotpl.values import format_duration

        return format_duration(v.ns)
    if isinstance(v, CelQuantity):
        return v.q.string()
    if isinstance(v, TypeVal):
        return v.name
    if isinstance(v, Err):
        return {"error": v.msg}
    return repr(v)

"""kwokbook.cel against KWOK's own CEL environment (oracle op ``cel``, suites ``cel_*``).

Every recorded case is re-evaluated in Python and compared field by field with what KWOK's Go
code answered: the error text (compile errors with cel-go's caret display, evaluation errors,
KWOK's conversion errors), the error stage, the raw CEL value with its CEL type name and Go
``%T``, and the converted result of ``match``/``int64``/``duration`` mode.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from kwokbook import cel
from kwokbook.celenv.values import (
    CelMap,
    CelQuantity,
    Duration,
    Err,
    Timestamp,
    TypeVal,
    Uint,
    go_type,
    type_name,
)
from tests.oracle_replay import load_cases, parse_rfc3339_ns

CASES = load_cases("cel")

# Cases whose Python answer is known to differ from Go, with the reason. Keep empty where possible.
KNOWN_DIFFERENCES: dict[str, str] = {}


def render(v: Any) -> Any:
    """The oracle's ``celToJSON`` rendering of a CEL value."""
    t = type(v)
    if t is bool or v is None or t is str:
        return v
    if t is int or t is Uint:
        return int(v)
    if t is float:
        if v != v:
            return "NaN"
        if math.isinf(v):
            return "+Inf" if v > 0 else "-Inf"
        return v
    if t is bytes:
        import base64

        return {"bytes_b64": base64.b64encode(v).decode()}
    if t is Timestamp:
        from kwokbook.gotpl.gotime import RFC3339_NANO

        return {"timestamp": v.t.utc().format(RFC3339_NANO)}
    if t is Duration:
        return {"duration_ns": v.ns}
    if t is CelQuantity:
        return {"quantity": v.q.string()}
    if t is TypeVal:
        return {"type": v.name}
    if isinstance(v, (list, tuple)):
        from kwokbook.celenv.values import native

        return [render(native(x)) for x in v]
    if isinstance(v, dict):
        from kwokbook.celenv.values import native

        return {k: render(native(x)) for k, x in v.items()}
    if isinstance(v, CelMap):
        out = {}
        for k, x in v.entries.values():
            name = k if type(k) is str else f"{type_name(k)}:{render(k)}"
            out[str(name).lower() if type(k) is bool else str(name)] = render(x)
        return out
    if hasattr(v, "cel_render"):
        return v.cel_render()
    return f"<{go_type(v)}>"


def python_answer(request: dict[str, Any]) -> dict[str, Any]:
    """What kwokbook.cel answers for one oracle request, in the oracle's result shape."""
    expr = request["expression"]
    mode = request.get("mode", "match")
    now = request.get("now")
    typed = request.get("typed")
    data = request.get("data", {})
    kind = None
    if typed is True:
        kind = data.get("kind")
    elif isinstance(typed, str):
        kind = typed
    res: dict[str, Any] = {
        "result": None,
        "result_type": None,
        "value": None,
        "value_type": None,
        "value_go_type": None,
        "err": None,
        "stage": None,
    }
    try:
        prog = cel.compile(expr, typed_kind=kind)
    except cel.CelError as e:
        res["err"], res["stage"] = str(e), "compile"
        return res
    now_ns = parse_rfc3339_ns(now) if now else None
    v = prog.eval_value(data, now_ns=now_ns, rng=random.Random(1))
    if isinstance(v, Err):
        res["err"], res["stage"] = v.msg, "eval"
        return res
    res["value"], res["value_type"], res["value_go_type"] = render(v), type_name(v), go_type(v)
    try:
        if mode == "match":
            res["result"], res["result_type"] = cel.as_bool(v), "bool"
        elif mode == "int64":
            res["result"], res["result_type"] = cel.as_int64(v), "int64"
        elif mode == "duration":
            res["result"], res["result_type"] = cel.as_duration_ns(v), "time.Duration"
        else:
            res["result"], res["result_type"] = render(v), go_type(v)
    except cel.CelError as e:
        res["err"], res["stage"] = str(e), "convert"
    return res


def _comparable(result: dict[str, Any], shape_only: bool) -> dict[str, Any]:
    out = dict(result)
    if shape_only:
        for k in ("result", "value"):
            out.pop(k, None)
    return out


@pytest.mark.parametrize(("cid", "case"), CASES, ids=[c[0] for c in CASES])
def test_cel_case(cid: str, case: dict[str, Any]) -> None:
    if cid in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[cid])
    got = python_answer(case["request"])
    want = case["result"]
    shape = case.get("check") == "shape"
    assert _comparable(got, shape) == _comparable(want, shape), case["request"]["expression"]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 150


def test_stage_relevant_cases_have_no_known_difference() -> None:
    stage_suites = ("cel_volume_stages::",)
    assert not [c for c in KNOWN_DIFFERENCES if c.startswith(stage_suites)]


def test_injected_clock_and_rng() -> None:
    prog = cel.compile("Now()")
    v = prog.eval({}, now_ns=1_000_000_000)
    assert isinstance(v, Timestamp) and v.ns == 1_000_000_000
    r1 = cel.compile("Rand()").eval({}, rng=random.Random(7))
    r2 = cel.compile("Rand()").eval({}, rng=random.Random(7))
    assert r1 == r2 == random.Random(7).random()


def test_compile_error_is_cached_and_raised_each_time() -> None:
    for _ in range(2):
        with pytest.raises(cel.CelError, match=r"^failed to compile expression: ERROR: :1:3: "):
            cel.compile("1 == 1.0")


def test_eval_error_raises_with_kwok_text() -> None:
    prog = cel.compile("self.status.phase == 'Bound'")
    with pytest.raises(cel.CelError) as ei:
        prog.eval({"spec": {}})
    assert str(ei.value) == "no such key: status"


def test_conversions() -> None:
    assert cel.as_int64(2.9) == 2 and cel.as_int64(True) == 1
    assert cel.as_duration_ns("1.5s") == 1_500_000_000
    with pytest.raises(cel.CelError, match=r"^cel.AsBool unsupported type: types.Int$"):
        cel.as_bool(1)
    with pytest.raises(cel.CelError, match=r'^time: invalid duration "x"$'):
        cel.as_duration_ns("x")

"""Replay KWOK's Stage engine (oracle ops ``harness`` and ``lifecycle``) through kwokbook.stage.

The recordings (``tests/fixtures/recorded/stage_*.json``) hold what KWOK v0.8.0's own Go code
answered for hand-written (stage set, object) cases: the conformance harness's output bytes and
error, and the lifecycle engine piece by piece (match, ListAllPossible, weights, delay ranges and
their parts, a seeded sample of ``Match`` and ``Delay``, the actions of the steps).

- ``harness`` cases: kwokbook's preview of the object, written as the harness writes it, must be
  byte-identical to Go's output, and the error (with the harness's wrapping) identical to Go's.
- ``lifecycle`` cases: candidates, possible stages, weights, delay ranges and parts and step
  actions must be identical; the choice of ``Match`` and the ``Delay`` samples are compared as
  distributions (Go and Python draw from different generators), with tolerances derived from N.

The case files say why each case exists; ``docs/dev/stage-corpus-report.md`` lists every
discrepancy with a diagnosis.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from kwokbook.errors import KwokbookError
from kwokbook.stage import Lifecycle, LifecycleError, StageEvent, load_stages_from_text
from kwokbook.stage.conformance import harness_testing
from kwokbook.stage.lifecycle import CompiledStage
from kwokbook.stage.preview import HARNESS_NOW_NS
from kwokbook.stage.steps import RawJSON, StepError, run_steps
from kwokbook.yamlloc import load_documents
from tests.oracle_replay import load_cases, parse_rfc3339_ns

# Where the oracle reports the case files it wrote (tools/oracle/op_lifecycle.go: harnessDir).
HARNESS_DIR = "/harness"
OBJECT_FILE = f"{HARNESS_DIR}/object.input.yaml"


def _stage_file(i: int) -> str:
    return f"{HARNESS_DIR}/stage-{i}.yaml"


def _only_stage_suites(cases: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(cid, c) for cid, c in cases if cid.startswith("stage_")]


HARNESS_CASES = _only_stage_suites(load_cases("harness"))
LIFECYCLE_CASES = _only_stage_suites(load_cases("lifecycle"))


def test_corpus_is_large_enough() -> None:
    """The brief asks for at least 300 (stage set, object) cases across the stage suites."""
    assert len(HARNESS_CASES) + len(LIFECYCLE_CASES) >= 300


# ---------------------------------------------------------------------------------------------
# Loading, as the harness does (config.Load of every stage file, LoadUnstructured of the object)


class _LoadFailure(Exception):
    """What the harness would report before any stage runs."""


def _load_object(text: str) -> dict[str, Any]:
    try:
        docs = load_documents(text, OBJECT_FILE)
    except KwokbookError as e:
        raise _LoadFailure(f"failed to load resource file {OBJECT_FILE}: {e.message}") from None
    if len(docs) != 1:
        raise _LoadFailure(f"expected exactly one resource in {OBJECT_FILE}, got {len(docs)}")
    obj = docs[0].value
    if not isinstance(obj, dict):
        raise _LoadFailure(f"failed to load resource file {OBJECT_FILE}: not an object: {obj!r}")
    return obj


def _load_stages(texts: list[str]) -> list[Any]:
    """Every Stage of every text, in order; a document KWOK's JSON decoding rejects fails the load.

    kwokbook's ``schema-type`` diagnostics are the ones that correspond to Go's ``json.Unmarshal``
    failing on the v1alpha1 types; everything else KWOK loads and only trips over at run time.
    """
    stages: list[Any] = []
    files = [_stage_file(i) for i in range(len(texts))]
    for i, text in enumerate(texts):
        try:
            res = load_stages_from_text(text, _stage_file(i), strict=False)
        except KwokbookError as e:
            raise _LoadFailure(f"failed to load stage files [{' '.join(files)}]: {e.message}") from None
        fatal = [d for d in res.diagnostics if d.severity == "error" and d.code == "schema-type"]
        if fatal:
            raise _LoadFailure(f"failed to load stage files [{' '.join(files)}]: {fatal[0].message}")
        stages.extend(res.stages)
    return stages


# ---------------------------------------------------------------------------------------------
# harness: kustomize/stage/stage_test.go's Testing, through kwokbook.stage.preview


def kwokbook_testing(stage_texts: list[str], object_text: str) -> tuple[str | None, str | None]:
    """(harness output, Testing's error) as kwokbook computes them."""
    files = [(_stage_file(i), t) for i, t in enumerate(stage_texts)]
    return harness_testing(files, (OBJECT_FILE, object_text))


_POOL_TAIL = re.compile(r": (?:\x00+|<KWOK pooled buffer: \d+ NUL bytes>)$")


def _without_pool_tail(err: str | None) -> str | None:
    """KWOK appends its pooled template buffer to parse errors (recorded as a marker); compare without it,
    as the other oracle replays do (tests/oracle_replay.py: strip_pool_garbage)."""
    return None if err is None else _POOL_TAIL.sub("", err)


def _first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"first difference at offset {i}: go {a[max(0, i - 60):i + 60]!r} vs kwokbook {b[max(0, i - 60):i + 60]!r}"
    return f"one is a prefix of the other (lengths {len(a)} vs {len(b)})"


@pytest.mark.parametrize("case", [c for _, c in HARNESS_CASES], ids=[i for i, _ in HARNESS_CASES])
def test_harness(case: dict[str, Any]) -> None:
    req, want = case["request"], case["result"]
    try:
        got_out, got_err = kwokbook_testing(req["stages"], req["object"])
    except Exception as e:  # a crash is a discrepancy too; show it as one
        pytest.fail(f"kwokbook crashed: {type(e).__name__}: {e}\ngo out={want['out']!r}\ngo err={want['err']!r}")
    if want["err"] is not None or got_err is not None:
        g, k = _without_pool_tail(want["err"]), _without_pool_tail(got_err)
        assert k == g, f"error differs\ngo:       {g!r}\nkwokbook: {k!r}"
    assert got_out == want["out"], _first_difference(want["out"] or "", got_out or "")


# ---------------------------------------------------------------------------------------------
# lifecycle: the engine piece by piece


@dataclass
class Outcome:
    """One KWOK call: it returned (``value``), returned an error, or panicked."""

    value: Any = None
    err: str | None = None
    panic: bool = False

    @classmethod
    def of_go(cls, rec: dict[str, Any], value: Any = None) -> Outcome:
        return cls(value=value if rec.get("err") is None and rec.get("panic") is None else None,
                   err=rec.get("err"), panic=rec.get("panic") is not None)

    @classmethod
    def call(cls, f: Callable[[], Any]) -> Outcome:
        """Run kwokbook; a LifecycleError saying KWOK would panic stands for Go's panic."""
        try:
            return cls(value=f())
        except LifecycleError as e:
            if "panic" in e.message:
                return cls(panic=True)
            return cls(err=e.message)


@dataclass
class PyLifecycle:
    """kwokbook's answers for one lifecycle request, in the shape of the Go result."""

    load_err: str | None = None
    lifecycle: list[str] = field(default_factory=list)
    first: dict[str, Any] = field(default_factory=dict)
    second: dict[str, Any] = field(default_factory=dict)
    possible: Outcome = field(default_factory=Outcome)
    possible_second: Outcome = field(default_factory=Outcome)
    weights: list[Outcome] = field(default_factory=list)
    delays: list[dict[str, Any]] = field(default_factory=list)
    match: dict[str, Any] = field(default_factory=dict)
    delay_samples: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)


def _internal_match(lc: Lifecycle, ev: StageEvent) -> dict[str, Any]:
    """KWOK's Lifecycle.match: each stage in order, stopping at the first error."""
    per_stage: list[dict[str, Any]] = []
    for st in lc.stages:
        m = st.match(ev)
        if m.error is not None:
            return {"err": m.error, "candidates": None, "per_stage": per_stage}
        per_stage.append({"stage": st.name, "matched": m.matched})
    return {"err": None, "candidates": [p["stage"] for p in per_stage if p["matched"]], "per_stage": per_stage}


def _named(lc: Lifecycle, names: list[str] | None) -> list[CompiledStage]:
    """The stages of ``lc`` with these names (the i-th occurrence of a name is the i-th stage of it)."""
    used: set[int] = set()
    out = []
    for n in names or []:
        for i, st in enumerate(lc.stages):
            if st.name == n and i not in used:
                used.add(i)
                out.append(st)
                break
    return out


def _action_dict(a: Any) -> dict[str, Any]:
    d = a.to_harness()
    if isinstance(d.get("data"), RawJSON):
        d["data"] = str(d["data"])
    return d


def kwokbook_lifecycle(req: dict[str, Any], go: dict[str, Any]) -> PyLifecycle:
    """kwokbook's lifecycle engine on the request. ``go`` supplies only inputs KWOK derived from the
    object (the typed object's JSON when ``typed``), never answers."""
    out = PyLifecycle()
    try:
        obj = _load_object(req["object"])
        stages = _load_stages(req["stages"])
    except _LoadFailure as e:
        out.load_err = str(e)
        return out
    ref = (str(obj.get("apiVersion") or ""), str(obj.get("kind") or ""))
    mine = [s for s in stages if (s.resource_ref.api_group, s.resource_ref.kind) == ref]
    typed = bool(req.get("typed"))
    data = go["typed_json"] if typed else obj
    now_ns = parse_rfc3339_ns(req["now"]) if req.get("now") else HARNESS_NOW_NS
    n = int(req.get("samples", 2000))
    seed = int(req.get("seed", 1))

    def event() -> StageEvent:
        kind = str(obj.get("kind")) if typed else None
        return StageEvent.of(data, typed_kind=kind)

    lc = Lifecycle(mine)
    out.lifecycle = [s.name for s in lc.stages]
    ev = event()
    out.first = _internal_match(lc, ev)
    out.second = _internal_match(lc, ev)
    names = out.first["candidates"] if out.first["err"] is None else out.second["candidates"]
    for st in _named(lc, names):
        out.weights.append(Outcome.call(lambda s=st: s.weight(ev)))  # type: ignore[misc]
        out.delays.append(_py_delay(st, ev, now_ns))

    lc2 = Lifecycle(mine)
    ev2 = event()
    out.possible = Outcome.call(lambda: [s.name for s in lc2.list_all_possible(ev2)])
    out.possible_second = Outcome.call(lambda: [s.name for s in lc2.list_all_possible(ev2)])

    rng = random.Random(seed)
    lc3 = Lifecycle(mine)
    ev3 = event()
    counts: Counter[str] = Counter()
    none = 0
    errors: Counter[str] = Counter()
    panics = 0
    for _ in range(n):
        o = Outcome.call(lambda: lc3.match(ev3, rng))
        if o.panic:
            panics += 1
        elif o.err is not None:
            errors[o.err] += 1
        elif o.value is None:
            none += 1
        else:
            counts[o.value.name] += 1
    out.match = {"counts": dict(counts), "none": none, "errors": dict(errors), "panics": panics}
    possible_names = out.possible.value if out.possible.err is None and not out.possible.panic else []
    for st in _named(lc3, possible_names):
        out.delay_samples.append(_py_delay_samples(st, ev3, now_ns, n, rng))

    step_names = out.possible.value if (out.possible.err is None and not out.possible.panic) \
        else out.possible_second.value
    from kwokbook.gotpl import Renderer

    for st in _named(lc2, step_names):
        entry: dict[str, Any] = {"stage": st.name, "immediate": st.immediate_next_stage, "err": None,
                                 "remain": -1, "actions": []}
        try:
            actions = run_steps(st.stage, st.steps, data, Renderer(profile="harness"), typed=typed)
            entry["actions"] = [_action_dict(a) for a in actions]
        except StepError as e:
            entry["err"] = e.message
            entry["remain"] = e.step
            entry["actions"] = [_action_dict(a) for a in getattr(e, "actions_before", [])]
        out.steps.append(entry)
    return out


def _py_delay(st: CompiledStage, ev: StageEvent, now_ns: int) -> dict[str, Any]:
    rng = Outcome.call(lambda: st.delay_range(ev, now_ns))
    parts = Outcome.call(lambda: st.delay_parts(ev, now_ns))
    base = jit = None
    if parts.err is None and not parts.panic:
        base, jit, _, _ = parts.value
    return {"range": rng, "base": base, "jitter": jit}


def _py_delay_samples(st: CompiledStage, ev: StageEvent, now_ns: int, n: int, rng: random.Random) -> dict[str, Any]:
    vals: list[int] = []
    not_ok = failed = 0
    base, _, _, _ = Outcome.call(lambda: st.delay_parts(ev, now_ns)).value or (None, None, None, None)
    for _ in range(n):
        o = Outcome.call(lambda: st.delay(ev, now_ns, rng))
        if o.err is not None or o.panic:
            failed += 1
        elif base is None:
            not_ok += 1  # KWOK's Delay says not-ok when the base is; kwokbook's delay() returns 0 then
        else:
            vals.append(o.value)
    return {"stage": st.name, "ok_count": len(vals), "not_ok_count": not_ok, "failed": failed,
            "min": min(vals) if vals else None, "max": max(vals) if vals else None,
            "mean": sum(vals) / len(vals) if vals else None}


# -- comparisons -------------------------------------------------------------------------------


ASPECTS = ("first", "second", "possible", "weights", "delays", "match_distribution", "delay_distribution",
           "steps")


def _lifecycle_params() -> Iterator[Any]:
    for cid, case in LIFECYCLE_CASES:
        for aspect in ASPECTS:
            yield pytest.param(case, aspect, id=f"{cid}::{aspect}")


_PY_CACHE: dict[str, PyLifecycle | BaseException] = {}


def _py_for(case: dict[str, Any]) -> PyLifecycle:
    key = json.dumps(case["request"], sort_keys=True)
    if key not in _PY_CACHE:
        try:
            _PY_CACHE[key] = kwokbook_lifecycle(case["request"], case["result"])
        except Exception as e:
            _PY_CACHE[key] = e
    got = _PY_CACHE[key]
    if isinstance(got, BaseException):
        pytest.fail(f"kwokbook crashed: {type(got).__name__}: {got}")
    return got


def _freq_tolerance(p: float, n: int) -> float:
    """Allowed |p_go - p_py| for two independent samples of size n: 5 sigma plus one draw."""
    return 5.0 * math.sqrt(max(p * (1 - p), 0.0) * 2.0 / n) + 1.0 / n


@pytest.mark.parametrize(("case", "aspect"), list(_lifecycle_params()))
def test_lifecycle(case: dict[str, Any], aspect: str) -> None:
    go = case["result"]
    py = _py_for(case)
    if go["load_err"] is not None or py.load_err is not None:
        assert py.load_err == go["load_err"], "load error differs"
        return
    assert py.lifecycle == go["lifecycle"], "stages in the Lifecycle differ (ref filter / nil selectors)"

    if aspect in ("first", "second"):
        g, p = go[aspect], getattr(py, aspect)
        if g["panic"] is not None:
            pytest.fail(f"Go panicked in the {aspect} match ({g['panic']}); kwokbook returned {p}")
        assert p["err"] == g["err"], f"{aspect} match: error differs\ngo:       {g['err']!r}\nkwokbook: {p['err']!r}"
        assert p["candidates"] == g["candidates"], \
            f"{aspect} match: candidates differ: go {g['candidates']} vs kwokbook {p['candidates']}"
        assert p["per_stage"] == g["per_stage"], \
            f"{aspect} match: per-stage results differ: go {g['per_stage']} vs kwokbook {p['per_stage']}"

    elif aspect == "possible":
        for key, p in (("possible", py.possible), ("possible_second", py.possible_second)):
            g = go[key]
            want = Outcome.of_go(g, g["possible"])
            assert (p.panic, p.err, p.value) == (want.panic, want.err, want.value), \
                f"{key}: go {want} vs kwokbook {p}"

    elif aspect == "weights":
        gw = go["weights"] or []
        assert len(py.weights) == len(gw), f"different candidates: go {[w['stage'] for w in gw]}"
        for g, p in zip(gw, py.weights):
            want = Outcome.of_go(g, [g["weight"], g["ok"]])
            got = Outcome(value=list(p.value) if isinstance(p.value, tuple) else p.value, err=p.err, panic=p.panic)
            assert (got.panic, got.err, got.value) == (want.panic, want.err, want.value), \
                f"weight of {g['stage']}: go {want} vs kwokbook {got}"

    elif aspect == "delays":
        gd = go["delays"] or []
        assert len(py.delays) == len(gd), f"different candidates: go {[d['stage'] for d in gd]}"
        for g, p in zip(gd, py.delays):
            want = Outcome.of_go(g, g["range"])
            r = p["range"]
            assert (r.panic, r.err, r.value) == (want.panic, want.err, want.value), \
                f"delay range of {g['stage']}: go {want} vs kwokbook {r}"
            gb = g["base"]["ns"] if g["base"]["ok"] and g["base"]["err"] is None else None
            assert p["base"] == gb, f"delay base of {g['stage']}: go {gb} vs kwokbook {p['base']}"
            if gb is not None:
                gj = g["jitter"]["ns"] if g["jitter"]["present"] and g["jitter"]["ok"] else None
                if g["jitter"]["err"] is None:
                    assert p["jitter"] == gj, f"jitter of {g['stage']}: go {gj} vs kwokbook {p['jitter']}"

    elif aspect == "match_distribution":
        gm, pm = go["match"], py.match
        n = gm["n"]
        assert pm["none"] == gm["none"], "Match returning no stage: counts differ"
        assert pm["errors"] == gm["errors"], f"Match errors differ: go {gm['errors']} vs kwokbook {pm['errors']}"
        assert pm["panics"] == sum(gm["panics"].values()), f"Match panics: go {gm['panics']} vs kwokbook {pm['panics']}"
        for name in sorted(set(gm["counts"]) | set(pm["counts"])):
            pg, pp = gm["counts"].get(name, 0) / n, pm["counts"].get(name, 0) / n
            tol = _freq_tolerance((pg + pp) / 2, n)
            assert abs(pg - pp) <= tol, f"stage {name}: chosen {pg:.4f} (go) vs {pp:.4f} (kwokbook), tolerance {tol:.4f}"

    elif aspect == "delay_distribution":
        gs = go["delay_samples"] or []
        assert [s["stage"] for s in py.delay_samples] == [s["stage"] for s in gs], \
            f"sampled stages differ: go {[s['stage'] for s in gs]} vs kwokbook {[s['stage'] for s in py.delay_samples]}"
        for g, p in zip(gs, py.delay_samples):
            for k in ("ok_count", "not_ok_count", "failed"):
                assert p[k] == g[k], f"{g['stage']}: {k} go {g[k]} vs kwokbook {p[k]}"
            if not g["ok_count"]:
                continue
            lo, hi, n = g["min"], g["max"], g["ok_count"]
            width = hi - lo
            if width == 0:
                assert (p["min"], p["max"]) == (lo, hi), f"{g['stage']}: fixed delay go {lo} vs kwokbook {p['min']}..{p['max']}"
                continue
            edge = 20.0 * width / n + 1
            assert abs(p["min"] - lo) <= edge, f"{g['stage']}: min go {lo} vs kwokbook {p['min']}"
            assert abs(p["max"] - hi) <= edge, f"{g['stage']}: max go {hi} vs kwokbook {p['max']}"
            sd = width / math.sqrt(12)
            tol = 5.0 * sd * math.sqrt(2.0 / n) + 1
            assert abs(p["mean"] - g["mean"]) <= tol, f"{g['stage']}: mean go {g['mean']} vs kwokbook {p['mean']}"

    elif aspect == "steps":
        gs = go["steps"] or []
        assert [s["stage"] for s in py.steps] == [s["stage"] for s in gs], \
            f"different possible stages: go {[s['stage'] for s in gs]} vs kwokbook {[s['stage'] for s in py.steps]}"
        for g, p in zip(gs, py.steps):
            if g["panic"] is not None:
                pytest.fail(f"Go panicked running the steps of {g['stage']}: {g['panic']}")
            assert p["actions"] == g["actions"], \
                f"actions of {g['stage']} differ\ngo:       {g['actions']}\nkwokbook: {p['actions']}"
            assert _without_pool_tail(p["err"]) == _without_pool_tail(g["err"]), \
                f"step error of {g['stage']} differs\ngo:       {g['err']!r}\nkwokbook: {p['err']!r}"
            assert p["remain"] == g["remain"], f"failing step index of {g['stage']} differs"
            assert p["immediate"] == g["immediate"], f"immediateNextStage of {g['stage']} differs"

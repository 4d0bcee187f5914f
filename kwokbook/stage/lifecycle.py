"""KWOK's lifecycle engine (``pkg/utils/lifecycle``): matching, weights, delays.

Every decision returns data that explains itself (which requirement failed and what the
expression produced), so the CLI, the widgets and the simulator render the same facts.
Randomness (weighted choice, jitter) comes from an injected ``random.Random``; time from the
caller (``now_ns``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import cel as celmod
from .. import jq as jqmod
from ..errors import SelectorError
from .model import ExpressionFrom, MatchExpression, Stage

NS_PER_MS = 1_000_000
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


class LifecycleError(SelectorError):
    """An error KWOK's engine returns while matching (it aborts the choice for the event)."""


# ---------------------------------------------------------------------------------------------
# Events


@dataclass
class StageEvent:
    """What the engine sees of an object: its labels, annotations and data (plain JSON-like)."""

    data: Any
    labels: Mapping[str, str] | None = None
    annotations: Mapping[str, str] | None = None
    typed_kind: str | None = None  # "Pod"/"Node" when KWOK's Pod/Node controller passes its typed object
    now_ns: int | None = None  # the clock CEL's Now() reads
    rng: random.Random | None = None  # the source CEL's Rand() draws from
    _jq: Any = field(default=None, repr=False)
    _jq_done: bool = field(default=False, repr=False)

    @classmethod
    def of(cls, obj: Mapping[str, Any], *, typed_kind: str | None = None, now_ns: int | None = None,
           rng: random.Random | None = None) -> StageEvent:
        meta = obj.get("metadata") or {}
        return cls(data=obj, labels=meta.get("labels"), annotations=meta.get("annotations"), typed_kind=typed_kind,
                   now_ns=now_ns, rng=rng)

    def cel(self, program: celmod.Program) -> Any:
        """Evaluate a CEL program on this object as KWOK's controller would see it."""
        return program.eval(self.data, now_ns=self.now_ns, rng=self.rng, typed_kind=self.typed_kind)

    def jq_input(self) -> Any:
        """What jq evaluates: the object itself (kwokbook.jq reads Python ints as float64, as gojq
        sees numbers after KWOK's ``ToJSONStandard``)."""
        return self.data


# ---------------------------------------------------------------------------------------------
# Explanations


@dataclass(frozen=True)
class RequirementOutcome:
    """One part of a selector and what it did on one object."""

    kind: str  # "matchLabels" | "matchAnnotations" | "jq" | "cel"
    description: str
    path: str
    held: bool
    values: Any = None  # jq: the non-null outputs (None: an error was swallowed); cel: the result
    error: str | None = None
    evaluated_by_kwok: bool = True  # False: KWOK stopped at an earlier failing requirement


@dataclass
class StageMatch:
    """Whether one stage matched one object, and why."""

    stage: CompiledStage
    matched: bool
    error: str | None = None
    outcomes: list[RequirementOutcome] = field(default_factory=list)

    @property
    def failed(self) -> RequirementOutcome | None:
        """The first requirement that stopped the match (as KWOK evaluated them)."""
        for o in self.outcomes:
            if o.evaluated_by_kwok and not o.held:
                return o
        return None


# ---------------------------------------------------------------------------------------------
# Value getters (value_int_from.go / value_duration_from.go)


class _Int64Getter:
    def __init__(self, value: int | None, src: ExpressionFrom | None, typed_kind: str | None = None) -> None:
        self.value = value
        self.src = src
        self.query: jqmod.Query | None = None
        self.program: celmod.Program | None = None
        if src is not None:
            if src.cel is not None:
                self.program = celmod.compile(src.cel, typed_kind=typed_kind)
            if src.jq is not None:
                self.query = jqmod.compile(src.jq)

    def get(self, event: StageEvent) -> tuple[int, bool]:
        if self.src is None:
            return (self.value, True) if self.value is not None else (0, False)
        if self.program is not None:
            out = event.cel(self.program)
            return celmod.as_int64(out), True
        if self.query is not None:
            out = self.query.execute(event.jq_input())
            if not out:
                return self._default()
            first = out[0]
            if isinstance(first, str):
                if first == "":
                    return 0, False
                from ..gotpl.gostrconv import StrconvError, parse_int

                try:
                    return parse_int(first, 0, 64), True
                except StrconvError:
                    return 0, False
            if isinstance(first, float) and not isinstance(first, bool):
                from ..gotpl.values import float_to_int64

                return float_to_int64(first), True
        return self._default()

    def _default(self) -> tuple[int, bool]:
        return (self.value, True) if self.value is not None else (0, False)


class _DurationGetter:
    def __init__(self, value_ns: int | None, src: ExpressionFrom | None, typed_kind: str | None = None) -> None:
        self.value = value_ns
        self.src = src
        self.query: jqmod.Query | None = None
        self.program: celmod.Program | None = None
        if src is not None:
            if src.cel is not None:
                self.program = celmod.compile(src.cel, typed_kind=typed_kind)
            if src.jq is not None:
                self.query = jqmod.compile(src.jq)

    def get(self, event: StageEvent, now_ns: int) -> tuple[int, bool, str]:
        """(nanoseconds, ok, where the value came from) — the last part is for explanations."""
        if self.src is None:
            if self.value is None:
                return 0, False, "none"
            return self.value, True, "milliseconds"
        if self.program is not None:
            out = event.cel(self.program)
            return celmod.as_duration_ns(out), True, "cel"
        if self.query is not None:
            out = self.query.execute(event.jq_input())
            if out:
                first = out[0]
                if isinstance(first, str):
                    if first == "":
                        return 0, False, "jq: empty string"
                    ts = _parse_rfc3339nano(first)
                    if ts is not None:  # time.Time.Sub saturates at the int64 limits
                        return _sat_sub(ts, now_ns), True, f"jq: timestamp {first}"
                    d = _parse_duration(first)
                    if d is not None:
                        return d, True, f"jq: duration {first}"
        if self.value is None:
            return 0, False, "jq: no usable value"
        return self.value, True, "milliseconds (jq gave no usable value)"


def _sat_sub(a: int, b: int) -> int:
    d = a - b
    return max(_INT64_MIN, min(_INT64_MAX, d))


def _parse_rfc3339nano(s: str) -> int | None:
    from ..gotpl import gotime

    try:
        return gotime.parse_rfc3339nano_exact_ns(s)
    except ValueError:
        return None


def _parse_duration(s: str) -> int | None:
    from ..gotpl import gotime

    try:
        return gotime.parse_duration_ns(s)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Compiled stages


class CompiledStage:
    """A Stage ready to match, initialised lazily like KWOK's (including its quirk).

    KWOK stores a stage's CEL environment *before* compiling its expressions; if compiling fails,
    the first match returns the error and later matches run with whatever was compiled before the
    failure (no steps, no delay, no weight). ``init_error`` records the failure; ``half_initialised``
    says later matches run in that state.
    """

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.name = stage.name
        self._initialised = False
        self.init_error: str | None = None
        self.init_error_path: str | None = None
        self.half_initialised = False
        self.requirements: list[tuple[MatchExpression, jqmod.Requirement]] = []
        self.conditions: list[tuple[MatchExpression, celmod.Program]] = []
        self.weight_getter: _Int64Getter | None = None
        self.duration_getter: _DurationGetter | None = None
        self.jitter_getter: _DurationGetter | None = None
        self.steps: tuple[Any, ...] = ()
        self.immediate_next_stage = False
        self.typed_kind: str | None = None
        self._check: Any = None  # all jq requirements compiled into one function (the hot path)

    def __repr__(self) -> str:
        return f"CompiledStage({self.name!r})"

    def ensure_init(self, event: StageEvent | None = None) -> str | None:
        """Initialise once; returns KWOK's error for *this* call (only the first call fails).

        Like KWOK, the CEL environment is built for the first event's object type: a typed Pod/Node
        (its fields checked at compile time) or an unstructured map.
        """
        if self._initialised:
            return None
        self._initialised = True
        self.typed_kind = event.typed_kind if event is not None else None
        try:
            self._init()
        except SelectorError as e:
            self.init_error = e.message
            self.half_initialised = True
            return e.message
        finally:  # also after a failure: later matches run with what did compile (KWOK's quirk)
            self._check = jqmod.compile_requirements(r for _, r in self.requirements)
        return None

    def fast_match(self, event: StageEvent) -> bool:
        """``match`` without explanations, for the simulator's hot path; raises LifecycleError
        where KWOK's match returns an error."""
        if not self._initialised:
            m = self.match(event)
            if m.error is not None:
                raise LifecycleError(m.error)
            return m.matched
        sel = self.stage.selector
        assert sel is not None
        ml = sel.match_labels
        if ml is not None:
            have = event.labels or {}
            for k, v in ml.items():
                if have.get(k) != v or k not in have:
                    return False
        ma = sel.match_annotations
        if ma is not None:
            have = event.annotations or {}
            for k, v in ma.items():
                if have.get(k) != v or k not in have:
                    return False
        if not self._check(event.data):
            return False
        for _, prog in self.conditions:
            try:
                ok = celmod.as_bool(event.cel(prog))
            except celmod.CelError as e:
                raise LifecycleError(e.message) from None
            if not ok:
                return False
        return True

    def _init(self) -> None:
        st = self.stage
        sel = st.selector
        assert sel is not None
        for me in sel.match_expressions:
            self.init_error_path = me.path
            if me.kind == "jq":
                self.requirements.append((me, jqmod.Requirement(me.jq_key or "", me.operator or "", me.values)))
            elif me.kind == "cel":
                self.conditions.append((me, celmod.compile(me.cel or "", typed_kind=self.typed_kind)))
            else:
                raise SelectorError("invalid expression")
        self.steps = st.steps
        d = st.delay
        if d is not None:
            self.init_error_path = "spec.delay.durationFrom"
            base = _wrap64((d.duration_ms or 0) * NS_PER_MS) if d.duration_ms is not None else 0
            self.duration_getter = _DurationGetter(base, d.duration_from, self.typed_kind)
            if d.jitter_ms is not None or d.jitter_from is not None:
                self.init_error_path = "spec.delay.jitterDurationFrom"
                jfrom = d.jitter_from if d.jitter_from is not None and d.jitter_from.jq is not None else None
                jms = _wrap64(d.jitter_ms * NS_PER_MS) if d.jitter_ms is not None else None
                self.jitter_getter = _DurationGetter(jms, jfrom, self.typed_kind)
        self.init_error_path = "spec.weightFrom"
        self.weight_getter = _Int64Getter(st.weight, st.weight_from, self.typed_kind)
        self.immediate_next_stage = st.immediate_next_stage
        self.init_error_path = None

    # -- matching -------------------------------------------------------------------------

    def match(self, event: StageEvent, *, explain: bool = False) -> StageMatch:
        """KWOK's ``(*Stage).match``; with ``explain`` every requirement is evaluated and reported."""
        err = self.ensure_init(event)
        if err is not None:
            return StageMatch(self, False, err)
        st = self.stage
        sel = st.selector
        assert sel is not None
        result = StageMatch(self, True)
        stopped = False

        def record(o: RequirementOutcome) -> None:
            nonlocal stopped
            result.outcomes.append(o)
            if not o.held and not stopped:
                stopped = True
                result.matched = False

        if sel.match_labels is not None:
            held = _labels_match(sel.match_labels, event.labels)
            record(RequirementOutcome("matchLabels", _fmt_set(sel.match_labels), "spec.selector.matchLabels", held,
                                      values=dict(event.labels or {})))
            if not held and not explain:
                return result
        if sel.match_annotations is not None:
            held = _labels_match(sel.match_annotations, event.annotations)
            o = RequirementOutcome("matchAnnotations", _fmt_set(sel.match_annotations),
                                   "spec.selector.matchAnnotations", held, values=dict(event.annotations or {}),
                                   evaluated_by_kwok=not stopped)
            record(o)
            if stopped and not explain:
                return result
        if self.requirements:
            data = event.jq_input()
            for me, req in self.requirements:
                if explain:
                    r = req.explain(data)
                    record(RequirementOutcome("jq", me.describe(), me.path, r.matched, r.values, r.error,
                                              evaluated_by_kwok=not stopped))
                elif not req.matches(data):
                    result.matched = False
                    return result
        if self.conditions:
            for me, prog in self.conditions:
                if stopped and not explain:
                    return result
                try:
                    val = event.cel(prog)
                    ok = celmod.as_bool(val)
                except celmod.CelError as e:
                    if not stopped:
                        result.error = e.message
                        result.matched = False
                        record(RequirementOutcome("cel", me.describe(), me.path, False, None, e.message))
                        return result
                    record(RequirementOutcome("cel", me.describe(), me.path, False, None, e.message, False))
                    continue
                record(RequirementOutcome("cel", me.describe(), me.path, ok, val, evaluated_by_kwok=not stopped))
        return result

    # -- weight and delay -----------------------------------------------------------------

    def weight(self, event: StageEvent) -> tuple[int, bool]:
        """KWOK's ``Weight``: (weight, ok). Raises LifecycleError for CEL errors."""
        if self.weight_getter is None:
            raise LifecycleError(f"stage {self.name!r} is half-initialised (its expressions failed to compile): "
                                 "KWOK would panic evaluating its weight")
        try:
            return self.weight_getter.get(event)
        except celmod.CelError as e:
            raise LifecycleError(e.message) from None

    def delay_parts(self, event: StageEvent, now_ns: int) -> tuple[int | None, int | None, str, str]:
        """(base, jitter, base source, jitter source); ``None`` where KWOK's getter says not-ok."""
        if self.duration_getter is None:
            return None, None, "no delay", ""
        try:
            base, ok, bsrc = self.duration_getter.get(event, now_ns)
            if not ok:
                return None, None, bsrc, ""
            if self.jitter_getter is None:
                return base, None, bsrc, "no jitter"
            jit, jok, jsrc = self.jitter_getter.get(event, now_ns)
        except celmod.CelError as e:
            raise LifecycleError(e.message) from None
        return base, (jit if jok else None), bsrc, jsrc

    def delay_range(self, event: StageEvent, now_ns: int) -> list[int] | None:
        """KWOK's ``DelayRangePossible``: ``None`` (no delay), ``[d]`` or ``[base, jitter]`` in ns."""
        base, jit, _, _ = self.delay_parts(event, now_ns)
        if base is None:
            return None
        if jit is None:
            return [base]
        if jit <= base:
            return [jit]
        return [base, jit]

    def delay(self, event: StageEvent, now_ns: int, rng: random.Random) -> int:
        """KWOK's ``Delay`` (0 when not ok): base, or jitter if smaller, else uniform in [base, jitter)."""
        base, jit, _, _ = self.delay_parts(event, now_ns)
        if base is None:
            return 0
        if jit is None:
            return base
        if jit <= base:
            return jit
        span = _wrap64(jit - base)  # Go: int64(jitter - base), which can overflow
        if span <= 0:
            raise LifecycleError("invalid argument to Int63n: KWOK's Delay would panic (jitter - base overflows)")
        return _wrap64(base + rng.randrange(span))


def _labels_match(want: Mapping[str, str], have: Mapping[str, str] | None) -> bool:
    have = have or {}
    return all(k in have and have[k] == v for k, v in want.items())


def _fmt_set(m: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(m.items())) or "(everything)"


# ---------------------------------------------------------------------------------------------
# Lifecycles


@dataclass
class Choice:
    """The outcome of matching one object against the stages of its kind."""

    matches: list[StageMatch]  # every stage, in list order (explanations)
    candidates: list[CompiledStage]
    possible: list[CompiledStage]  # what a weighted draw samples from (ListAllPossible)
    weights: dict[CompiledStage, tuple[int, bool]] = field(default_factory=dict)  # by stage: names may repeat
    error: str | None = None
    error_stage: str | None = None

    def probability(self, stage: CompiledStage) -> float:
        """The chance ``stage`` is chosen (by KWOK's ``Match``) for this object."""
        if self.error is not None or stage not in self.possible:
            return 0.0
        if len(self.candidates) == 1:
            return 1.0
        ws = [self.weights.get(s, (0, False)) for s in self.candidates]
        total = _wrap64(sum(w for w, ok in ws if ok))
        if total <= 0 or all(not ok for _, ok in ws):
            return 0.0 if total < 0 else 1.0 / len(self.possible)
        w, ok = self.weights.get(stage, (0, False))
        return w / total if ok and w > 0 else 0.0


class Lifecycle:
    """The stages of one resource kind, in list order, as KWOK's ``Lifecycle``."""

    def __init__(self, stages: Sequence[Stage | CompiledStage]) -> None:
        compiled = [s if isinstance(s, CompiledStage) else CompiledStage(s) for s in stages]
        self.stages = [c for c in compiled if c.stage.selector is not None]

    def evaluate(self, event: StageEvent, *, explain: bool = False) -> Choice:
        """Match every stage; KWOK's first error aborts (later stages are still explained)."""
        matches: list[StageMatch] = []
        candidates: list[CompiledStage] = []
        error = error_stage = None
        for st in self.stages:
            if error is not None and not explain:
                break
            m = st.match(event, explain=explain)
            matches.append(m)
            if error is None:
                if m.error is not None:
                    error, error_stage = m.error, st.name
                elif m.matched:
                    candidates.append(st)
        choice = Choice(matches, candidates if error is None else [], [], error=error, error_stage=error_stage)
        if error is not None or not candidates:
            return choice
        if len(candidates) == 1:
            choice.possible = list(candidates)
            return choice
        try:
            for st in candidates:
                choice.weights[st] = st.weight(event)
        except LifecycleError as e:
            choice.error, choice.error_stage = e.message, st.name
            choice.candidates = []
            return choice
        ws = [choice.weights[s] for s in candidates]
        count_error = sum(1 for _, ok in ws if not ok)
        total = _wrap64(sum(w for w, ok in ws if ok))
        if count_error == len(candidates):
            choice.possible = list(candidates)
        elif total == 0:
            # Go marks not-ok weights as -1 and then drops every weight < 0 (negative ok ones too)
            choice.possible = list(candidates) if count_error == 0 else [
                s for s, (w, ok) in zip(candidates, ws) if ok and w >= 0]
        else:
            choice.possible = [s for s, (w, ok) in zip(candidates, ws) if ok and w > 0]
        return choice

    def list_all_possible(self, event: StageEvent) -> list[CompiledStage]:
        """KWOK's ``ListAllPossible`` (raises LifecycleError when KWOK returns an error)."""
        c = self.evaluate(event)
        if c.error is not None:
            raise LifecycleError(c.error)
        return c.possible

    def match(self, event: StageEvent, rng: random.Random) -> CompiledStage | None:
        """KWOK's ``Match``: the chosen stage (weighted draw from ``rng``), or None."""
        cands = [st for st in self.stages if st.fast_match(event)]
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        ws = [st.weight(event) for st in cands]
        count_error = sum(1 for _, ok in ws if not ok)
        total = _wrap64(sum(w for w, ok in ws if ok))  # Go sums in int64
        if count_error == len(cands):
            return cands[rng.randrange(len(cands))]
        if total == 0:
            if count_error == 0:
                return cands[rng.randrange(len(cands))]
            ok_stages = [s for s, (w, ok) in zip(cands, ws) if ok and w >= 0]
            return ok_stages[rng.randrange(len(ok_stages))]
        if total < 0:
            raise LifecycleError("invalid argument to Int63n (negative total weight): KWOK's Match would panic")
        off = rng.randrange(total)
        for s, (w, ok) in zip(cands, ws):
            if not ok or w <= 0:
                continue
            off -= w
            if off < 0:
                return s
        return cands[-1]


def group_by_ref(stages: Sequence[Stage]) -> dict[tuple[str, str], list[Stage]]:
    out: dict[tuple[str, str], list[Stage]] = {}
    for s in stages:
        out.setdefault((s.resource_ref.api_group, s.resource_ref.kind), []).append(s)
    return out

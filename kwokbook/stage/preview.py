"""Preview: what KWOK would do with one object, as data — and as KWOK's own harness prints it.

:func:`preview` reproduces ``kustomize/stage/stage_test.go`` (KWOK's conformance harness):
the candidate stages (``ListAllPossible``), each with its delay range in nanoseconds, its weight
and the actions its steps produce (patch bodies rendered with placeholder functions such as
``<Now>``). On top it keeps, for every stage, why it matched or not, and for each candidate its
probability and where its delay comes from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import KwokbookError
from ..gotpl import Renderer
from .lifecycle import Choice, CompiledStage, Lifecycle, LifecycleError, StageEvent
from .model import Stage
from .steps import Action, RawJSON, StepError, run_steps

HARNESS_NOW_NS = 1136214245 * 1_000_000_000  # 2006-01-02T15:04:05Z, the harness's fixed clock


@dataclass
class StagePreview:
    """One candidate stage for the object."""

    stage: CompiledStage
    delay: list[int] | None
    weight: int | None
    probability: float
    actions: list[Action] = field(default_factory=list)
    error: StepError | None = None
    delay_source: str = ""
    jitter_source: str = ""
    eval_error: str | None = None  # the delay or weight could not be computed (KWOK: CEL errors)

    @property
    def name(self) -> str:
        return self.stage.name

    def to_harness(self) -> dict[str, Any]:
        out: dict[str, Any] = {"stage": self.name}
        if self.delay is not None:
            out["delay"] = list(self.delay)
        if self.weight is not None:
            out["weight"] = self.weight
        nxt = [a.to_harness() for a in self.actions]
        if self.stage.immediate_next_stage and self.error is None:
            nxt.append({"kind": "immediate"})
        out["next"] = nxt
        return out


@dataclass
class Preview:
    """Everything kwokbook knows about one object against a set of stages."""

    api_group: str
    kind: str
    name: str
    namespace: str
    choice: Choice
    candidates: list[StagePreview]
    considered: list[CompiledStage]
    other_kinds: list[Stage] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        return self.choice.error

    def harness_error(self) -> str | None:
        """The error KWOK's harness (``Testing``) would return for this object, if any."""
        if self.choice.error is not None:
            return f"failed to list all possible stages: {self.choice.error}"
        for c in self.candidates:
            if c.eval_error is not None:
                return f"failed to test stage {c.name}: {c.eval_error}"
            if c.error is not None:
                return f"failed to test stage {c.name}: failed to do steps for stage {c.name}: {c.error.message}"
        return None

    def to_harness(self) -> dict[str, Any]:
        """The document KWOK's harness writes (``*.output.yaml``)."""
        out: dict[str, Any] = {"apiGroup": self.api_group, "kind": self.kind, "name": self.name}
        if self.namespace:
            out["namespace"] = self.namespace
        out["stages"] = [c.to_harness() for c in self.candidates]
        return out

    def harness_yaml(self) -> str:
        """Byte-identical to the harness's golden output files."""
        from ..gotpl.yamljson import encode_yaml_document

        return encode_yaml_document(_decode_raw(self.to_harness()))

    def __str__(self) -> str:
        from .explain import explain_text

        return explain_text(self)

    def _repr_html_(self) -> str:
        from .explain import explain_html

        return explain_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Machine-readable preview with explanations (``kwokbook preview --format json``)."""
        return {
            "object": {"apiGroup": self.api_group, "kind": self.kind, "name": self.name,
                       "namespace": self.namespace or None},
            "error": self.choice.error,
            "errorStage": self.choice.error_stage,
            "candidates": [
                {
                    "stage": c.name,
                    "delay": c.delay,
                    "delaySource": c.delay_source,
                    "jitterSource": c.jitter_source,
                    "weight": c.weight,
                    "probability": c.probability,
                    "actions": [_decode_raw(a.to_harness()) for a in c.actions],
                    "error": str(c.error) if c.error else None,
                }
                for c in self.candidates
            ],
            "stages": [
                {
                    "stage": m.stage.name,
                    "matched": m.matched,
                    "error": m.error,
                    "requirements": [
                        {"kind": o.kind, "requirement": o.description, "path": o.path, "held": o.held,
                         "values": _jsonable(o.values), "error": o.error, "evaluatedByKwok": o.evaluated_by_kwok}
                        for o in m.outcomes
                    ],
                }
                for m in self.choice.matches
            ],
        }


def _jsonable(v: Any) -> Any:
    try:
        json.dumps(v)
        return v
    except (TypeError, ValueError):
        return repr(v)


def _decode_raw(v: Any) -> Any:
    if isinstance(v, RawJSON):
        return json.loads(v)
    if isinstance(v, dict):
        return {k: _decode_raw(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode_raw(x) for x in v]
    return v


def object_ref(obj: Mapping[str, Any]) -> tuple[str, str]:
    """(group/version, kind) of an object, as the harness computes its Stage ref."""
    return str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")


def preview(stages: Sequence[Stage], obj: Mapping[str, Any], *, now_ns: int = HARNESS_NOW_NS,
            renderer: Renderer | None = None, explain: bool = True, mode: str = "harness") -> Preview:
    """Preview ``obj`` against ``stages`` exactly as KWOK's conformance harness does.

    Only stages whose ``resourceRef`` equals the object's (apiVersion, kind) take part. The
    renderer defaults to the harness's placeholder functions (``<Now>``, ``<PodIPWith(…)>``).

    ``mode="controller"`` shows what KWOK's running controller would send instead: Pods and Nodes
    are seen through ``corev1`` (unknown fields dropped, Go's field order), patches to them are
    strategic-merge, and templates get only that controller's functions with KWOK's signatures
    (values stay placeholders, since they depend on the cluster).
    """
    if not isinstance(obj, Mapping):
        raise KwokbookError("the object to preview must be a mapping (a Kubernetes object)")
    if mode not in ("harness", "controller"):
        raise KwokbookError(f"preview mode must be 'harness' or 'controller', not {mode!r}")
    api_group, kind = object_ref(obj)
    typed = mode == "controller" and api_group == "v1" and kind in ("Pod", "Node")
    if mode == "controller":
        controller = kind.lower() if typed else "generic"
        renderer = renderer or Renderer(profile=f"preview-{controller}")
        if typed:
            from ..k8s.typed import TypedError, typed_view

            try:
                obj = typed_view(dict(obj), kind)
            except TypedError as e:
                raise KwokbookError(f"KWOK's {kind} controller cannot decode this object: {e}") from None
    meta = obj.get("metadata") or {}
    mine = [s for s in stages if (s.resource_ref.api_group, s.resource_ref.kind) == (api_group, kind)]
    others = [s for s in stages if s not in mine]
    lc = Lifecycle(mine)
    event = StageEvent.of(obj)
    choice = lc.evaluate(event, explain=explain)
    renderer = renderer or Renderer(profile="harness")
    candidates: list[StagePreview] = []
    for st in choice.possible:
        entry = StagePreview(st, None, None, choice.probability(st))
        candidates.append(entry)
        try:  # the harness asks for the delay first, then the weight; either may fail (CEL errors)
            entry.delay = st.delay_range(event, now_ns)
            _, _, entry.delay_source, entry.jitter_source = st.delay_parts(event, now_ns)
        except LifecycleError as e:
            entry.eval_error = f"failed to get delay for stage {st.name}: {e.message}"
            continue
        try:
            weight, wok = st.weight(event)
            entry.weight = weight if wok else None
        except LifecycleError as e:
            entry.eval_error = f"failed to get weight for stage {st.name}: {e.message}"
            continue
        try:
            entry.actions = run_steps(st.stage, st.steps, obj, renderer, typed=typed)
        except StepError as e:
            entry.error = e
            entry.actions = list(getattr(e, "actions_before", []))
    return Preview(api_group, kind, str(meta.get("name") or ""), str(meta.get("namespace") or ""), choice,
                   candidates, lc.stages, others)


"""Running a stage's steps into concrete actions (``pkg/utils/lifecycle/next.go``, ``finalizers.go``).

Nothing is sent anywhere: each step becomes :class:`Action` values (event, patch with its bytes
and MIME type, delete, apply) that the preview prints, the simulator applies and the cluster
layer could send. Every template sees the same original snapshot, as in KWOK.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import KwokbookError, Location
from ..gotpl import Renderer, TemplateError
from .model import Apply, Finalizers, Patch, Stage, Step

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"


@dataclass(frozen=True)
class Action:
    """One thing a stage does. ``data`` is the exact JSON body KWOK would send (patch/apply)."""

    kind: str  # "event" | "patch" | "delete" | "apply" | "immediate"
    type: str = ""  # MIME type for patch/apply; event type for events
    data: str = ""
    subresource: str = ""
    impersonation: str | None = None
    reason: str = ""
    message: str = ""
    step: int = -1
    source: str = ""  # field path of the step part that produced it
    finalizers: bool = False  # a finalizer JSON patch

    def to_harness(self) -> dict[str, Any]:
        """The entry KWOK's conformance harness records for this action."""
        if self.kind == "event":
            return {"kind": "event", "type": self.type, "reason": self.reason, "message": self.message}
        if self.kind in ("delete", "immediate"):
            return {"kind": self.kind}
        out: dict[str, Any] = {"kind": self.kind, "type": self.type}
        if self.subresource:
            out["subresource"] = self.subresource
        out["data"] = RawJSON(self.data)
        if self.impersonation is not None:
            out["impersonation"] = self.impersonation
        return out

    @property
    def body(self) -> Any:
        return json.loads(self.data) if self.data else None


class RawJSON(str):
    """JSON text to embed as-is (Go's ``json.RawMessage``) when serialising harness output."""


class StepError(KwokbookError):
    """A step failed (template error, bad JSON patch …): KWOK drops the job and logs this.

    ``message`` is KWOK's own error text (``failed to compute patch …`` with the renderer's full
    error); ``summary`` a one-line version for people; ``location`` points into the Stage file.
    """

    def __init__(self, message: str, location: Location | None = None, step: int = -1,
                 template_error: TemplateError | None = None, summary: str | None = None) -> None:
        super().__init__(message, location)
        self.step = step
        self.template_error = template_error
        self.summary = summary or message.splitlines()[0] if message else ""

    def __str__(self) -> str:
        where = str(self.location)
        head = f"{where}: {self.summary}" if where else self.summary
        if self.template_error is not None:
            snip = self.template_error.snippet()
            if snip:
                head += "\n" + snip
        return head


def finalizer_ops(meta_finalizers: Sequence[str], f: Finalizers) -> list[dict[str, Any]]:
    """KWOK's ``finalizersModify``: the JSON-patch operations for a finalizers step."""
    ops: list[dict[str, Any]] = []
    is_empty = False
    if f.empty:
        is_empty = True
    elif f.remove:
        removed = [{"op": "remove", "path": f"/metadata/finalizers/{i}"}
                   for i in range(len(meta_finalizers) - 1, -1, -1) if meta_finalizers[i] in f.remove]
        if len(removed) == len(meta_finalizers):
            is_empty = True
        else:
            ops.extend(removed)

    def add(meta: Sequence[str]) -> list[dict[str, Any]]:
        if meta:
            return [{"op": "add", "path": "/metadata/finalizers/-", "value": v} for v in f.add if v not in meta]
        return [{"op": "add", "path": "/metadata/finalizers", "value": list(f.add)}]

    if not is_empty:
        if f.add:
            ops.extend(add(meta_finalizers))
    else:
        if meta_finalizers:
            ops.append({"op": "remove", "path": "/metadata/finalizers"})
        if f.add:
            ops.extend(add([]))
    return ops


def _go_json(v: Any) -> str:
    from ..gotpl.gojson import marshal

    return marshal(v)


def _render_json(renderer: Renderer, template: str, obj: Any, stage: Stage, path: str, step: int,
                 verb: str) -> str:
    try:
        return renderer.to_json(template, obj)
    except TemplateError as e:
        loc = stage.loc(f"{path}.template" if not path.endswith("statusTemplate") else path)
        e.location = Location(loc.source, loc.line, loc.column, loc.path)
        raise StepError(f"failed to compute {verb} {e.kwok_message}", loc, step, e,
                        summary=e.go_message.splitlines()[0]) from None


def _wrap_merge(root: str, data: str) -> str:
    if not root:
        return data
    # json.Marshal(map[string]json.RawMessage{root: data}); data is already compact Go JSON
    return "{" + _go_json(root) + ":" + data + "}"


_JSON_KIND = {bool: "bool", int: "number", float: "number", str: "string", list: "array", dict: "object"}


def _json_kind(v: Any) -> str:
    return _JSON_KIND.get(type(v), "null" if v is None else "value")


def _wrap_json_patch(root: str, data: str) -> str:
    """KWOK's ``wrapJSONPatchData``: decode into []jsonpatchData, prefix each path with ``/root``."""
    if not root:
        return data
    ops = json.loads(data)
    if not isinstance(ops, list):
        raise StepError(f"failed to compute patch json: cannot unmarshal {_json_kind(ops)} into Go value of type "
                        "[]lifecycle.jsonpatchData")
    out = []
    for op in ops:
        if op is None:
            op = {}
        if not isinstance(op, dict):
            raise StepError(f"failed to compute patch json: cannot unmarshal {_json_kind(op)} into Go value of "
                            "type lifecycle.jsonpatchData")
        for fld in ("op", "path", "from"):
            v = op.get(fld)
            if v is not None and not isinstance(v, str):
                raise StepError(f"failed to compute patch json: cannot unmarshal {_json_kind(v)} into Go struct "
                                f"field jsonpatchData.{fld} of type string")
        entry: dict[str, Any] = {"op": _str(op.get("op")), "path": "/" + root + _str(op.get("path"))}
        if "value" in op:
            entry["value"] = op["value"]
        if op.get("from"):
            entry["from"] = _str(op.get("from"))
        out.append(entry)
    return "[" + ",".join(
        "{" + ",".join(_go_json(k) + ":" + _go_json(v) for k, v in e.items()) + "}" for e in out) + "]"


def _str(v: Any) -> str:
    return v if isinstance(v, str) else ("" if v is None else str(v))


def compute_patch(renderer: Renderer, obj: Any, p: Patch, stage: Stage, step: int, *, typed: bool) -> Action:
    data = _render_json(renderer, p.template, obj, stage, p.path, step, "patch")
    if p.type == "json":
        body, mime = _wrap_json_patch(p.root, data), JSON_PATCH
    elif p.type == "strategic":
        body, mime = _wrap_merge(p.root, data), STRATEGIC
    elif p.type == "merge":
        body, mime = _wrap_merge(p.root, data), MERGE
    elif p.type is None or p.type == "":
        body, mime = _wrap_merge(p.root, data), STRATEGIC if typed else MERGE
    else:
        raise StepError(f"failed to compute patch unknown patch type {p.type}", stage.loc(f"{p.path}.type"), step)
    return Action("patch", mime, body, p.subresource, p.impersonation, step=step, source=p.path)


def compute_apply(renderer: Renderer, obj: Any, a: Apply, stage: Stage, step: int) -> Action:
    data = _render_json(renderer, a.template, obj, stage, a.path, step, "apply")
    mime = {"merge": MERGE, "strategic": STRATEGIC, "apply": APPLY, None: APPLY, "": APPLY}.get(a.type)
    if mime is None:
        raise StepError(f"failed to compute apply unknown apply type {a.type}", stage.loc(f"{a.path}.type"), step)
    return Action("apply", mime, data, a.subresource, a.impersonation, step=step, source=a.path)


def run_steps(stage: Stage, steps: Sequence[Step], obj: Any, renderer: Renderer, *, typed: bool = False,
              start: int = 0) -> list[Action]:
    """All actions of ``steps[start:]`` in KWOK's order; raises :class:`StepError` at the first failure
    (``.actions_before`` holds what was produced before it, as KWOK would have sent it)."""
    meta = (obj.get("metadata") or {}) if isinstance(obj, dict) else {}
    meta_finalizers = [str(f) for f in (meta.get("finalizers") or [])]
    actions: list[Action] = []
    deleted = False
    for i, step in enumerate(steps[start:], start):
        try:
            if step.event is not None:
                ev = step.event
                actions.append(Action("event", ev.type, reason=ev.reason, message=ev.message, step=i,
                                      source=f"{step.path}.event" if not step.from_next else step.path))
            if deleted:
                continue
            if step.finalizers is not None:
                ops = finalizer_ops(meta_finalizers, step.finalizers)
                if ops:
                    actions.append(Action("patch", JSON_PATCH, _finalizer_json(ops), step=i, finalizers=True,
                                          source=step.path))
            if step.delete:
                deleted = True
                actions.append(Action("delete", step=i, source=step.path))
                continue
            if step.patch is not None:
                actions.append(compute_patch(renderer, obj, step.patch, stage, i, typed=typed))
            if step.apply is not None:
                actions.append(compute_apply(renderer, obj, step.apply, stage, i))
        except StepError as e:
            e.step = i
            e.actions_before = actions  # type: ignore[attr-defined]
            raise
    return actions


def _finalizer_json(ops: list[dict[str, Any]]) -> str:
    # jsonpathOperation{Op, Path, Value any} with omitempty on all three
    parts = []
    for op in ops:
        fields = [f'"op":{_go_json(op["op"])}', f'"path":{_go_json(op["path"])}']
        if op.get("value") is not None:
            fields.append(f'"value":{_go_json(op["value"])}')
        parts.append("{" + ",".join(fields) + "}")
    return "[" + ",".join(parts) + "]"

"""Load Stage documents from YAML: files, folders, text; validate; convert as KWOK converts.

Problems are collected as :class:`Diagnostic` values with a location (file:line:col and field
path): CRD-schema violations (what the API server would reject), KWOK's runtime rules (what the
controller would fail on), unknown fields (silently dropped by KWOK and the API server — almost
always a typo) and deprecated forms (with what to write instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Location, StageError
from ..yamlloc import LocatedDocument, format_path, load_documents
from .model import (
    APPLY_TYPES,
    OPERATORS,
    PATCH_TYPES,
    Apply,
    Delay,
    Event,
    ExpressionFrom,
    Finalizers,
    MatchExpression,
    Patch,
    ResourceRef,
    Selector,
    Stage,
    Step,
)

STAGE_API_VERSION = "kwok.x-k8s.io/v1alpha1"

KWOK_CONFIG_KINDS = frozenset({
    "KwokConfiguration", "KwokctlConfiguration", "KwokctlResource", "Stage", "Attach", "ClusterAttach", "Exec",
    "ClusterExec", "Logs", "ClusterLogs", "PortForward", "ClusterPortForward", "Metric", "ResourceUsage",
    "ClusterResourceUsage",
})
"""Kinds ``pkg/config.Load`` decodes; every other kind is skipped with a warning."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem found while loading: ``severity`` is ``error`` or ``warning``."""

    severity: str
    message: str
    location: Location
    hint: str | None = None
    code: str = ""
    go_message: str | None = None  # what KWOK's own loader (config.Load, encoding/json) says, when it fails

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.severity}: {self.message}" if where else f"{self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass
class LoadResult:
    """The stages loaded (in order) and every diagnostic."""

    stages: list[Stage] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[LocatedDocument] = field(default_factory=list)  # non-Stage documents

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def user_warnings(self) -> list[Diagnostic]:
        """Warnings worth showing: not the deprecated forms in KWOK's own stage sets shipped with
        kwokbook (nobody can act on those), nor documents that are simply not Stages."""
        root = str(BUILTIN_ROOT)
        return [d for d in self.warnings
                if d.code != "not-a-stage"
                and not (d.code.startswith("deprecated") and (d.location.source or "").startswith(root))]

    def raise_for_errors(self) -> None:
        errs = self.errors
        if errs:
            first = errs[0]
            more = f" (and {len(errs) - 1} more problem(s))" if len(errs) > 1 else ""
            err = StageError(first.message + more, first.location, first.hint)
            err.diagnostics = errs  # type: ignore[attr-defined]
            raise err


# ---------------------------------------------------------------------------------------------
# Finding files


def stage_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders to their ``*.yaml``/``*.yml`` files (sorted, no ``kustomization.yaml``)."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.iterdir()):
                if f.is_file() and f.suffix in (".yaml", ".yml") and f.name != "kustomization.yaml":
                    out.append(f)
        else:
            out.append(path)
    return out


BUILTIN_ROOT = Path(__file__).resolve().parent.parent / "data" / "stages"


def builtin_stage_set(name: str) -> Path:
    """A stage set shipped with kwokbook: ``pod/general``, ``pod/fast``, ``node/fast`` …, or
    the aggregates ``fast`` (node/fast + node/heartbeat-with-lease + pod/fast) and ``general``."""
    root = BUILTIN_ROOT
    p = root / name
    if not p.is_dir():
        known = sorted(str(d.relative_to(root)) for d in root.glob("*/*") if d.is_dir())
        raise StageError(f"no built-in stage set {name!r}", hint=f"known sets: {', '.join(known)}, fast, general")
    return p


ALIASES = {
    "fast": ("node/fast", "node/heartbeat-with-lease", "pod/fast"),
    "general": ("node/fast", "node/heartbeat-with-lease", "pod/general"),
}


def resolve_sources(sources: Sequence[str | Path]) -> list[Path]:
    """Paths, folders, or built-in set names (``fast``, ``general``, ``pod/chaos`` …)."""
    out: list[str | Path] = []
    for s in sources:
        s_str = str(s)
        if s_str in ALIASES:
            out.extend(builtin_stage_set(n) for n in ALIASES[s_str])
        elif not Path(s_str).exists() and "/" in s_str and not s_str.endswith((".yaml", ".yml")):
            out.append(builtin_stage_set(s_str))
        else:
            out.append(s)
    return stage_files(out)


# ---------------------------------------------------------------------------------------------
# Loading


def load_stages(sources: Sequence[str | Path] | str | Path, *, strict: bool = True,
                from_config: bool = True) -> LoadResult:
    """Load and convert Stages from files/folders/built-in set names.

    ``from_config=True`` reports what KWOK does with ``--config`` files (no defaulting: a missing
    ``apiGroup`` stays empty and the stage reaches no specialised controller); ``False`` applies
    the CRD defaults, as the API server does for Stage CRs. With ``strict`` (default), errors raise
    :class:`~kwokbook.errors.StageError` naming the first problem's location.
    """
    if isinstance(sources, (str, Path)):
        sources = [sources]
    result = LoadResult()
    for path in resolve_sources(sources):
        from ..io import read_text

        text = read_text(path)
        _load_into(result, text, str(path), from_config)
    if strict:
        result.raise_for_errors()
    return result


def load_stages_from_text(text: str, source: str = "<text>", *, strict: bool = True,
                          from_config: bool = True) -> LoadResult:
    result = LoadResult()
    _load_into(result, text, source, from_config)
    if strict:
        result.raise_for_errors()
    return result


def _load_into(result: LoadResult, text: str, source: str, from_config: bool) -> None:
    for doc in load_documents(text, source):
        value = doc.value
        if not isinstance(value, dict):
            result.diagnostics.append(Diagnostic("warning", "document is not a mapping; skipped", doc.location()))
            continue
        kind = value.get("kind")
        if kind != "Stage":
            result.skipped.append(doc)
            known = kind in KWOK_CONFIG_KINDS
            what = "a KWOK configuration document, not a Stage" if known else "not a Stage"
            result.diagnostics.append(Diagnostic(
                "warning", f"{what} (apiVersion {value.get('apiVersion')!r}, kind {kind!r}); skipped",
                doc.location(), "put each Stage in its own document (a StageList is not read)" if kind in (
                    "StageList", "List") else None, code="config-kind" if known else "not-a-stage"))
            continue
        _load_stage_doc(result, doc, from_config)


def _subdocument(doc: LocatedDocument, prefix: tuple[str | int, ...], value: Any) -> LocatedDocument:
    n = len(prefix)
    sub = LocatedDocument(value, doc.source, doc.index)
    sub.positions = {k[n:]: v for k, v in doc.positions.items() if k[:n] == prefix}
    sub.key_positions = {k[n:]: v for k, v in doc.key_positions.items() if k[:n] == prefix}
    return sub


def _load_stage_doc(result: LoadResult, doc: LocatedDocument, from_config: bool) -> None:
    diags: list[Diagnostic] = []
    value: dict[str, Any] = doc.value
    if value.get("apiVersion") != STAGE_API_VERSION:
        diags.append(Diagnostic("warning", f"apiVersion is {value.get('apiVersion')!r}; KWOK expects "
                                f"{STAGE_API_VERSION!r}", doc.location(("apiVersion",))))
    _check_schema(value, _stage_schema(), (), doc, diags)
    stage = _convert(doc, diags, from_config, order=len(result.stages))
    if stage is not None and not any(d.severity == "error" for d in diags):
        _check_runtime(stage, doc, diags)
    result.diagnostics.extend(diags)
    if stage is not None:
        result.stages.append(stage)


_RUNTIME_HINT = "KWOK accepts this Stage but fails at its first match, then runs it half-initialised"


def _check_runtime(stage: Stage, doc: LocatedDocument, diags: list[Diagnostic]) -> None:
    """What KWOK's engine would fail on: jq/CEL that does not compile, bad operators, templates that
    do not parse with the functions of the controller that runs the stage."""
    from .. import cel as celmod
    from .. import jq as jqmod
    from ..errors import KwokbookError
    from ..yamlloc import parse_path

    typed = stage.resource_ref.kind if stage.resource_ref.controller in ("pod", "node") else None
    sel = stage.selector
    for me in sel.match_expressions if sel is not None else ():
        if me.kind == "jq":
            field = "key" if me.legacy else "jq.key"
            try:
                jqmod.Requirement(me.jq_key or "", me.operator or "", me.values)
            except jqmod.JqCompileError as e:
                diags.append(Diagnostic("error", f"jq: {e.message.removeprefix('jq: ')}",
                                        doc.location(parse_path(f"{me.path}.{field}")), _RUNTIME_HINT,
                                        code="runtime"))
            except KwokbookError as e:
                op = "operator" if me.legacy else "jq.operator"
                diags.append(Diagnostic("error", e.message,
                                        doc.location(parse_path(f"{me.path}.{op}")), _RUNTIME_HINT, code="runtime"))
        elif me.kind == "cel":
            _check_cel(celmod, me.cel or "", f"{me.path}.cel.expression", typed, doc, diags)
        else:
            diags.append(Diagnostic("error", "invalid expression (neither jq nor cel)",
                                    doc.location(parse_path(me.path)), _RUNTIME_HINT, code="runtime"))
    froms = [stage.weight_from] + ([stage.delay.duration_from, stage.delay.jitter_from] if stage.delay else [])
    for src in froms:
        if src is None:
            continue
        if src.jq is not None:
            try:
                jqmod.compile(src.jq)
            except jqmod.JqCompileError as e:
                f = f"{src.path}.jq.expression"
                diags.append(Diagnostic("error", f"jq: {e.message.removeprefix('jq: ')}",
                                        doc.location(parse_path(f)), _RUNTIME_HINT, code="runtime"))
        if src.cel is not None and not (src.path.endswith("jitterDurationFrom") and src.jq is None):
            _check_cel(celmod, src.cel, f"{src.path}.cel.expression", typed, doc, diags)
    _check_templates(stage, doc, diags)


def _check_cel(celmod: Any, expr: str, path: str, typed: str | None, doc: LocatedDocument,
               diags: list[Diagnostic]) -> None:
    from ..yamlloc import parse_path

    try:
        celmod.compile(expr, typed_kind=typed)
    except celmod.CelError as e:
        diags.append(Diagnostic("error", f"cel: {e.message}", doc.location(parse_path(path)),
                                _RUNTIME_HINT, code="runtime"))


def _check_templates(stage: Stage, doc: LocatedDocument, diags: list[Diagnostic]) -> None:
    """Parse every template with the function set KWOK's controller for this kind installs."""
    from ..errors import Location
    from ..gotpl import TemplateError
    from ..gotpl.render import template_space
    from ..yamlloc import parse_path

    profile = {"pod": "pod", "node": "node"}.get(stage.resource_ref.controller, "generic")
    renderer = _renderer_for(profile)
    for step in stage.steps:
        for part, path in ((step.patch, step.patch.path if step.patch else ""),
                           (step.apply, step.apply.path if step.apply else "")):
            if part is None or not part.template:
                continue
            tpath = path if path.endswith("statusTemplate") else f"{path}.template"
            try:
                renderer.compile(part.template)
            except TemplateError as e:
                loc = doc.location(parse_path(tpath))
                if e.pos is not None:
                    lead = template_space(part.template)
                    line, col = _line_col_in(part.template, lead + e.pos)
                    inner = doc.scalar_position(parse_path(tpath), line, col)
                    if inner is not None:
                        loc = Location(loc.source, inner[0], inner[1], tpath)
                diags.append(Diagnostic("error", e.go_message, loc,
                                        "KWOK drops the job with this error every time the stage runs",
                                        code="runtime"))


def _line_col_in(text: str, pos: int) -> tuple[int, int]:
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1


_RENDERERS: dict[str, Any] = {}


def _renderer_for(profile: str) -> Any:
    from ..gotpl.render import Renderer

    r = _RENDERERS.get(profile)
    if r is None:
        r = _RENDERERS[profile] = Renderer(profile=profile)
    return r


# ---------------------------------------------------------------------------------------------
# CRD schema validation (what the API server checks), plus unknown fields


@lru_cache(maxsize=1)
def _stage_schema() -> dict[str, Any]:
    import yaml

    crd_path = Path(__file__).resolve().parent.parent / "data" / "crd" / "kwok.x-k8s.io_stages.yaml"
    crd = yaml.safe_load(crd_path.read_text())
    schema: dict[str, Any] = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema


_TYPE_NAMES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    return _TYPE_NAMES.get(type(v), type(v).__name__)


def _check_schema(value: Any, schema: dict[str, Any], path: tuple[str | int, ...], doc: LocatedDocument,
                  diags: list[Diagnostic]) -> None:
    loc = doc.location(path)
    p = format_path(path) or "<root>"
    want = schema.get("type")
    if value is None:
        return  # null fields are dropped (pruned) by the API server and ignored by json.Unmarshal
    got = _json_type(value)
    if want == "integer" and got == "number":
        got = "integer"  # checked below: a fraction is still an error
    if want and got != want and not (want == "number" and got == "integer"):
        diags.append(Diagnostic("error", f"{p}: Invalid value: {got}: {p} in body must be of type {want}: "
                                f"\"{got}\"", loc, code="schema-type", go_message=_go_type_error(value, path)))
        return
    if want == "integer" and isinstance(value, float) and not value.is_integer():
        diags.append(Diagnostic("error", f"{p}: Invalid value: {value!r}: {p} in body must be of type integer",
                                loc, code="schema-type", go_message=_go_type_error(value, path)))
        return
    if "enum" in schema and value not in schema["enum"]:
        supported = ", ".join(f'"{e}"' for e in schema["enum"])
        diags.append(Diagnostic("error", f'{p}: Unsupported value: "{value}": supported values: {supported}', loc,
                                code="schema-enum"))
    if "minimum" in schema and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and value < schema["minimum"]:
        diags.append(Diagnostic("error", f"{p}: Invalid value: {value}: {p} in body should be greater than or "
                                f"equal to {schema['minimum']}", loc, code="schema-minimum"))
    if want == "object" and isinstance(value, dict):
        props = schema.get("properties")
        for req in schema.get("required", []):
            if req not in value or value[req] is None:
                rp = format_path((*path, req))
                diags.append(Diagnostic("error", f"{rp}: Required value", loc, code="schema-required"))
        if props is not None:
            for k, v in value.items():
                if k in props:
                    _check_schema(v, props[k], (*path, k), doc, diags)
                elif not schema.get("x-kubernetes-preserve-unknown-fields") and path != ("metadata",):
                    close = _closest(k, props)
                    hint = f"did you mean {close!r}?" if close else None
                    diags.append(Diagnostic("warning", f'unknown field "{format_path((*path, k))}" is ignored by '
                                            "KWOK and pruned by the API server", doc.location((*path, k), at_key=True),
                                            hint, code="unknown-field"))
        elif isinstance(schema.get("additionalProperties"), dict):
            for k, v in value.items():
                _check_schema(v, schema["additionalProperties"], (*path, k), doc, diags)
    elif want == "array" and isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check_schema(item, schema["items"], (*path, i), doc, diags)


# The Go struct holding each field of a v1alpha1 Stage (for encoding/json's UnmarshalTypeError text)
_GO_STRUCT = {
    "": "Stage", "metadata": "ObjectMeta", "spec": "StageSpec", "spec.resourceRef": "StageResourceRef",
    "spec.selector": "StageSelector", "spec.selector.matchExpressions": "MatchExpression",
    "spec.selector.matchExpressions.jq": "SelectorJQ", "spec.selector.matchExpressions.cel": "ExpressionCEL",
    "spec.weightFrom": "ExpressionFrom", "spec.weightFrom.jq": "ExpressionJQ", "spec.weightFrom.cel": "ExpressionCEL",
    "spec.delay": "StageDelay", "spec.delay.durationFrom": "ExpressionFrom",
    "spec.delay.durationFrom.jq": "ExpressionJQ", "spec.delay.durationFrom.cel": "ExpressionCEL",
    "spec.delay.jitterDurationFrom": "ExpressionFrom", "spec.delay.jitterDurationFrom.jq": "ExpressionJQ",
    "spec.delay.jitterDurationFrom.cel": "ExpressionCEL", "spec.next": "StageNext", "spec.next.event": "StageEvent",
    "spec.next.finalizers": "StageFinalizers", "spec.next.finalizers.add": "FinalizerItem",
    "spec.next.finalizers.remove": "FinalizerItem", "spec.next.patches": "StagePatch",
    "spec.next.patches.impersonation": "ImpersonationConfig", "spec.next.statusPatchAs": "ImpersonationConfig",
    "spec.steps": "StageStep", "spec.steps.event": "StageEvent", "spec.steps.finalizers": "StageFinalizers",
    "spec.steps.finalizers.add": "FinalizerItem", "spec.steps.finalizers.remove": "FinalizerItem",
    "spec.steps.patch": "StagePatch", "spec.steps.patch.impersonation": "ImpersonationConfig",
    "spec.steps.apply": "StageApply", "spec.steps.apply.impersonation": "ImpersonationConfig",
}
_GO_FIELD_TYPE = {
    "spec.weight": "int", "spec.delay.durationMilliseconds": "int64",
    "spec.delay.jitterDurationMilliseconds": "int64", "spec.immediateNextStage": "bool", "spec.next.delete": "bool",
    "spec.steps.delete": "bool", "spec.next.finalizers.empty": "bool", "spec.steps.finalizers.empty": "bool",
    "spec.selector.matchLabels": "map[string]string", "spec.selector.matchAnnotations": "map[string]string",
}


def _go_type_error(value: Any, path: tuple[str | int, ...]) -> str:
    """encoding/json's UnmarshalTypeError text for a mistyped Stage field."""
    names = [p for p in path if isinstance(p, str)]
    field = ".".join(names)
    parent = ".".join(names[:-1])
    struct = _GO_STRUCT.get(parent, "Stage")
    gotype = _GO_FIELD_TYPE.get(field, "string")
    if isinstance(value, bool):
        what = "bool"
    elif isinstance(value, (int, float)):
        from ..gotpl.gostrconv import format_json_float

        what = "number " + (str(value) if isinstance(value, int) else format_json_float(value))
    elif isinstance(value, str):
        what = "string"
    elif isinstance(value, list):
        what = "array"
    else:
        what = "object"
    return f"json: cannot unmarshal {what} into Go struct field {struct}.{field} of type {gotype}"


def _closest(word: str, options: Iterable[str]) -> str | None:
    import difflib

    m = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if m:
        return m[0]
    low = {o.lower(): o for o in options}
    return low.get(word.lower())


# ---------------------------------------------------------------------------------------------
# Conversion v1alpha1 → internal (pkg/apis/internalversion/conversion.go)


def _expr_from(raw: Any, path: str, doc: LocatedDocument, diags: list[Diagnostic]) -> ExpressionFrom | None:
    if not isinstance(raw, dict):
        return None
    jq = (raw.get("jq") or {}).get("expression") if isinstance(raw.get("jq"), dict) else None
    cel = (raw.get("cel") or {}).get("expression") if isinstance(raw.get("cel"), dict) else None
    legacy = raw.get("expressionFrom")
    if raw.get("jq") is None and legacy:
        diags.append(Diagnostic("warning", "expressionFrom is deprecated",
                                doc.location(_pp(path, "expressionFrom")), f"write {path}.jq.expression: {legacy!r}",
                                code="deprecated"))
        jq = legacy
    if raw.get("jq") is not None and jq is None:
        jq = ""
    return ExpressionFrom(jq=jq, cel=cel, path=path)


def _pp(path: str, *more: str | int) -> tuple[str | int, ...]:
    from ..yamlloc import parse_path

    return (*parse_path(path), *more)


def _convert(doc: LocatedDocument, diags: list[Diagnostic], from_config: bool, order: int) -> Stage | None:
    value: dict[str, Any] = doc.value
    meta: dict[str, Any] = value["metadata"] if isinstance(value.get("metadata"), dict) else {}
    raw_name = meta.get("name")
    if raw_name is not None and not isinstance(raw_name, str):
        diags.append(Diagnostic(
            "error", f"json: cannot unmarshal {_go_json_kind(raw_name)} into Go struct field ObjectMeta.metadata.name "
            "of type string", doc.location(("metadata", "name")),
            f"quote it: name: \"{_yaml_text(raw_name)}\" (YAML 1.1 reads it as a {type(raw_name).__name__})",
            code="schema-type", go_message=f"json: cannot unmarshal {_go_json_kind(raw_name)} into Go struct field "
            "ObjectMeta.metadata.name of type string"))
    name = str(raw_name or "")
    spec = value.get("spec")
    if not isinstance(spec, dict):
        return None
    if not name:
        diags.append(Diagnostic("warning", "metadata.name is empty", doc.location(("metadata",))))

    ref_raw: dict[str, Any] = spec["resourceRef"] if isinstance(spec.get("resourceRef"), dict) else {}
    api_group = ref_raw.get("apiGroup")
    if api_group is None:
        if from_config:
            diags.append(Diagnostic(
                "warning", "resourceRef.apiGroup is not set: KWOK does not default Stages from --config files, so "
                "this stage's ref is {\"\", " + str(ref_raw.get("kind")) + "} and it reaches no Pod/Node controller",
                doc.location(("spec", "resourceRef")), "write apiGroup: v1 (the API server would default it for "
                "Stage CRs)", code="no-apigroup"))
            api_group = ""
        else:
            api_group = "v1"
    ref = ResourceRef(str(api_group), str(ref_raw.get("kind") or ""))

    selector: Selector | None = None
    sel_raw = spec.get("selector")
    if sel_raw is None:
        diags.append(Diagnostic("warning", "no spec.selector: KWOK drops this stage and it never matches",
                                doc.location(("spec",)), "add `selector: {}` to match every object",
                                code="no-selector"))
    elif isinstance(sel_raw, dict):
        exprs: list[MatchExpression] = []
        for i, item in enumerate(sel_raw.get("matchExpressions") or []):
            if not isinstance(item, dict):
                continue
            base = f"spec.selector.matchExpressions[{i}]"
            jq = item.get("jq") if isinstance(item.get("jq"), dict) else None
            cel = item.get("cel") if isinstance(item.get("cel"), dict) else None
            legacy = False
            if jq is None and item.get("key"):
                legacy = True
                jq = {"key": item.get("key"), "operator": item.get("operator"), "values": item.get("values")}
                diags.append(Diagnostic(
                    "warning", "the flat key/operator/values form is deprecated", doc.location(_pp(base)),
                    f"nest it under jq: {{key: {item.get('key')!r}, operator: {item.get('operator')}, ...}}",
                    code="deprecated"))
            if jq is not None and cel is not None:
                diags.append(Diagnostic("warning", f"{base} has both jq and cel: KWOK uses jq and ignores cel",
                                        doc.location(_pp(base, "cel")), code="jq-and-cel"))
            exprs.append(MatchExpression(
                index=i,
                jq_key=str(jq.get("key") or "") if jq is not None else None,
                operator=str(jq.get("operator") or "") if jq is not None else None,
                values=tuple(str(v) for v in (jq.get("values") or [])) if jq is not None else (),
                cel=str(cel.get("expression") or "") if cel is not None and jq is None else None,
                legacy=legacy,
                path=base,
            ))
        selector = Selector(
            match_labels=_str_map(sel_raw.get("matchLabels")),
            match_annotations=_str_map(sel_raw.get("matchAnnotations")),
            match_expressions=tuple(exprs),
        )

    weight = spec.get("weight") or 0
    weight = int(weight) if isinstance(weight, (int, float)) and not isinstance(weight, bool) else 0
    weight_from = _expr_from(spec.get("weightFrom"), "spec.weightFrom", doc, diags)

    delay: Delay | None = None
    d = spec.get("delay")
    if isinstance(d, dict):
        delay = Delay(
            duration_ms=_int_or_none(d.get("durationMilliseconds")),
            duration_from=_expr_from(d.get("durationFrom"), "spec.delay.durationFrom", doc, diags),
            jitter_ms=_int_or_none(d.get("jitterDurationMilliseconds")),
            jitter_from=_expr_from(d.get("jitterDurationFrom"), "spec.delay.jitterDurationFrom", doc, diags),
        )
        if delay.jitter_from is not None and delay.jitter_from.jq is None and delay.jitter_from.cel is not None:
            diags.append(Diagnostic(
                "warning", "spec.delay.jitterDurationFrom.cel is ignored by KWOK (only the jq form is used)",
                doc.location(("spec", "delay", "jitterDurationFrom", "cel")),
                "use jitterDurationFrom.jq", code="jitter-cel-ignored"))

    steps = _convert_steps(spec, doc, diags)
    ins = spec.get("immediateNextStage")
    return Stage(
        name=name,
        resource_ref=ref,
        selector=selector,
        weight=weight,
        weight_from=weight_from,
        delay=delay,
        steps=tuple(steps),
        immediate_next_stage=bool(ins) if isinstance(ins, bool) else False,
        raw=value,
        location=doc.location(),
        document=doc,
        order=order,
    )


def _go_json_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "string"


def _yaml_text(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _int_or_none(v: Any) -> int | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return int(v)
    return None


def _str_map(v: Any) -> dict[str, str] | None:
    if v is None or not isinstance(v, dict):
        return None
    return {str(k): "" if x is None else str(x) for k, x in v.items()}


def _patch(raw: Any, path: str) -> Patch | None:
    if not isinstance(raw, dict):
        return None
    imp = raw.get("impersonation")
    return Patch(
        template=str(raw.get("template") or ""),
        subresource=str(raw.get("subresource") or ""),
        root=str(raw.get("root") or ""),
        type=raw.get("type") or None,
        impersonation=str(imp.get("username") or "") if isinstance(imp, dict) else None,
        path=path,
    )


def _finalizers(raw: Any) -> Finalizers | None:
    if not isinstance(raw, dict):
        return None

    def values(items: Any) -> tuple[str, ...]:
        return tuple(str((i or {}).get("value") or "") for i in (items or []) if isinstance(i, dict) or i is None)

    return Finalizers(add=values(raw.get("add")), remove=values(raw.get("remove")), empty=bool(raw.get("empty")))


def _event(raw: Any) -> Event | None:
    if not isinstance(raw, dict):
        return None
    return Event(type=str(raw.get("type") or ""), reason=str(raw.get("reason") or ""),
                 message=str(raw.get("message") or ""))


def _convert_steps(spec: dict[str, Any], doc: LocatedDocument, diags: list[Diagnostic]) -> list[Step]:
    steps_raw = spec.get("steps")
    nxt = spec.get("next")
    out: list[Step] = []
    if steps_raw:
        if isinstance(nxt, dict) and nxt:
            diags.append(Diagnostic("warning", "spec.next is ignored because spec.steps is set",
                                    doc.location(("spec", "next"), at_key=True), "remove spec.next",
                                    code="next-ignored"))
        for i, s in enumerate(steps_raw):
            if not isinstance(s, dict):
                continue
            base = f"spec.steps[{i}]"
            apply_raw = s.get("apply")
            apply = None
            if isinstance(apply_raw, dict):
                imp = apply_raw.get("impersonation")
                apply = Apply(template=str(apply_raw.get("template") or ""),
                              subresource=str(apply_raw.get("subresource") or ""),
                              type=apply_raw.get("type") or None,
                              impersonation=str(imp.get("username") or "") if isinstance(imp, dict) else None,
                              path=f"{base}.apply")
            out.append(Step(event=_event(s.get("event")), finalizers=_finalizers(s.get("finalizers")),
                            delete=bool(s.get("delete")), patch=_patch(s.get("patch"), f"{base}.patch"),
                            apply=apply, path=base))
        return out
    if not isinstance(nxt, dict):
        return out
    if nxt:
        diags.append(Diagnostic("warning", "spec.next is deprecated; KWOK converts it to spec.steps",
                                doc.location(("spec", "next"), at_key=True),
                                "write the equivalent spec.steps", code="deprecated-next"))
    if nxt.get("event") is not None:
        out.append(Step(event=_event(nxt.get("event")), path="spec.next.event", from_next=True))
    if nxt.get("finalizers") is not None:
        out.append(Step(finalizers=_finalizers(nxt.get("finalizers")), path="spec.next.finalizers", from_next=True))
    patches = nxt.get("patches") or []
    if patches:
        if nxt.get("statusTemplate"):
            diags.append(Diagnostic("warning", "spec.next.statusTemplate is ignored because spec.next.patches is set",
                                    doc.location(("spec", "next", "statusTemplate"), at_key=True),
                                    code="status-template-ignored"))
        for i, p in enumerate(patches):
            out.append(Step(patch=_patch(p, f"spec.next.patches[{i}]"), path=f"spec.next.patches[{i}]", from_next=True))
    elif nxt.get("statusTemplate"):
        sub = nxt.get("statusSubresource")
        imp = nxt.get("statusPatchAs")
        out.append(Step(patch=Patch(
            template=str(nxt.get("statusTemplate")),
            subresource="status" if sub is None else str(sub),
            root="status",
            type=None,
            impersonation=str(imp.get("username") or "") if isinstance(imp, dict) else None,
            path="spec.next.statusTemplate",
        ), path="spec.next.statusTemplate", from_next=True))
    if nxt.get("delete"):
        out.append(Step(delete=True, path="spec.next.delete", from_next=True))
    return out


__all__ = [
    "APPLY_TYPES", "OPERATORS", "PATCH_TYPES", "Diagnostic", "LoadResult", "builtin_stage_set", "load_stages",
    "load_stages_from_text", "resolve_sources", "stage_files",
]

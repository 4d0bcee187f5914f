"""The Stage model as KWOK runs it: the internal ("hub") form, after v1alpha1 conversion.

KWOK converts every Stage to ``steps`` (the deprecated ``next`` block is turned into steps only
when ``steps`` is empty), legacy flat match expressions to ``jq``, and legacy ``expressionFrom``
strings to ``jq``. kwokbook keeps the converted form here and remembers where each part came
from (file, line, column, field path) for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Location

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
PATCH_TYPES = ("json", "merge", "strategic")
APPLY_TYPES = ("apply", "merge", "strategic")


@dataclass(frozen=True)
class ResourceRef:
    """``spec.resourceRef``: really a group/version string (``v1``, ``apps/v1``) and a kind."""

    api_group: str
    kind: str

    @property
    def controller(self) -> str:
        """Which KWOK controller handles it: ``pod``, ``node`` or ``generic`` (exact pairs only)."""
        if self.api_group == "v1" and self.kind == "Pod":
            return "pod"
        if self.api_group == "v1" and self.kind == "Node":
            return "node"
        return "generic"

    def __str__(self) -> str:
        return f"{self.api_group}/{self.kind}" if self.api_group else f"<no apiGroup>/{self.kind}"


@dataclass(frozen=True)
class ExpressionFrom:
    """``weightFrom``/``durationFrom``/``jitterDurationFrom`` after conversion."""

    jq: str | None = None
    cel: str | None = None
    path: str = ""


@dataclass(frozen=True)
class MatchExpression:
    """One ``selector.matchExpressions`` item: a jq requirement or a CEL condition (jq wins if both)."""

    index: int
    jq_key: str | None = None
    operator: str | None = None
    values: tuple[str, ...] = ()
    cel: str | None = None
    legacy: bool = False  # written in the deprecated flat key/operator/values form
    path: str = ""

    @property
    def kind(self) -> str:
        if self.jq_key is not None:
            return "jq"
        if self.cel is not None:
            return "cel"
        return "invalid"

    def describe(self) -> str:
        if self.kind == "jq":
            vals = f" {list(self.values)}" if self.values else ""
            return f"{self.jq_key} {self.operator}{vals}"
        if self.kind == "cel":
            return f"cel: {self.cel}"
        return "(no jq or cel)"


@dataclass(frozen=True)
class Selector:
    match_labels: dict[str, str] | None = None
    match_annotations: dict[str, str] | None = None
    match_expressions: tuple[MatchExpression, ...] = ()


@dataclass(frozen=True)
class Delay:
    duration_ms: int | None = None
    duration_from: ExpressionFrom | None = None
    jitter_ms: int | None = None
    jitter_from: ExpressionFrom | None = None


@dataclass(frozen=True)
class Event:
    type: str = ""
    reason: str = ""
    message: str = ""


@dataclass(frozen=True)
class Finalizers:
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    empty: bool = False


@dataclass(frozen=True)
class Patch:
    template: str = ""
    subresource: str = ""
    root: str = ""
    type: str | None = None  # json | merge | strategic | None (automatic)
    impersonation: str | None = None
    path: str = ""


@dataclass(frozen=True)
class Apply:
    template: str = ""
    subresource: str = ""
    type: str | None = None  # apply | merge | strategic | None (server-side apply)
    impersonation: str | None = None
    path: str = ""


@dataclass(frozen=True)
class Step:
    event: Event | None = None
    finalizers: Finalizers | None = None
    delete: bool = False
    patch: Patch | None = None
    apply: Apply | None = None
    path: str = ""
    from_next: bool = False  # synthesised from the deprecated ``next`` block


@dataclass
class Stage:
    """A Stage, converted the way KWOK converts it, with where it came from."""

    name: str
    resource_ref: ResourceRef
    selector: Selector | None
    weight: int = 0
    weight_from: ExpressionFrom | None = None
    delay: Delay | None = None
    steps: tuple[Step, ...] = ()
    immediate_next_stage: bool = False
    raw: dict[str, Any] = field(default_factory=dict)
    location: Location = field(default_factory=Location)
    document: Any = None  # the LocatedDocument it was loaded from (for field locations)
    order: int = 0  # position in load order (KWOK walks candidates in list order)

    def loc(self, path: str) -> Location:
        """Location of a field path such as ``spec.selector.matchExpressions[1].jq.key``."""
        doc = self.document
        if doc is None:
            return Location(self.location.source, self.location.line, self.location.column, path)
        from ..yamlloc import parse_path

        return doc.location(parse_path(path))

    def __repr__(self) -> str:
        return f"Stage({self.name!r}, {self.resource_ref})"

"""Stages on a live cluster: list, apply (server-side apply), diff against what is live, delete.

Works on any :class:`~kwokbook.backend.Cluster`; on a real cluster ``diff`` asks the API server
for a dry-run of the same server-side apply, so it shows exactly what ``apply`` would change
(defaults filled in by the CRD, fields other managers still own) — not a guess. Stage documents
are validated with :func:`kwokbook.stage.load_stages` before anything is sent.

``snapshot_stages``/``restore_stages`` put the live set back exactly (tests and notebooks that
try a stage and then want the cluster as it was).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..backend import STAGES, Cluster
from ..errors import StageError, UsageError
from ..stage.model import Stage

StageSource = str | Path | Stage | Mapping[str, Any]

# metadata the server owns: never part of what a user applies or compares
_SERVER_META = ("managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink",
                "deletionTimestamp", "deletionGracePeriodSeconds")
_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def clean(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A Stage as a person wrote it: no status, no server-owned metadata (for diffs and restores)."""
    out = copy.deepcopy(dict(doc))
    out.pop("status", None)
    meta = dict(out.get("metadata") or {})
    for k in _SERVER_META:
        meta.pop(k, None)
    ann = dict(meta.get("annotations") or {})
    ann.pop(_LAST_APPLIED, None)
    if ann:
        meta["annotations"] = ann
    else:
        meta.pop("annotations", None)
    if not meta.get("labels"):
        meta.pop("labels", None)
    out["metadata"] = meta
    out.setdefault("apiVersion", STAGES.api_version)
    out.setdefault("kind", STAGES.kind)
    return out


def stage_documents(sources: StageSource | Sequence[StageSource]) -> list[dict[str, Any]]:
    """Stage documents from files, folders, built-in set names (``pod/chaos``), YAML text, dicts or Stages.

    Each is validated as the API server's CRD schema and KWOK would (errors raise StageError).
    """
    from ..stage.load import load_stages, load_stages_from_text

    srcs: list[StageSource] = [sources] if isinstance(sources, (str, Path, Stage, Mapping)) else list(sources)
    docs: list[dict[str, Any]] = []
    for src in srcs:
        if isinstance(src, Stage):
            docs.append(copy.deepcopy(src.raw))
            continue
        if isinstance(src, Mapping):
            import yaml

            r = load_stages_from_text(yaml.safe_dump(dict(src), sort_keys=False), "<stage>", from_config=False)
        elif isinstance(src, str) and ("\n" in src or src.lstrip().startswith(("apiVersion", "kind", "---"))):
            r = load_stages_from_text(src, "<text>", from_config=False)
        else:
            r = load_stages([_builtin_file(src)], from_config=False)
        if not r.stages:
            raise StageError(f"no Stage in {src if not isinstance(src, Mapping) else '<stage>'}")
        docs.extend(copy.deepcopy(st.raw) for st in r.stages)
    seen: set[str] = set()
    for d in docs:
        n = str((d.get("metadata") or {}).get("name") or "")
        if n in seen:
            raise UsageError(f"Stage {n!r} given twice", hint="each Stage name can be applied once per call")
        seen.add(n)
    return docs


def _builtin_file(src: str | Path) -> str | Path:
    """``pod/chaos/pod-container-running-failed.yaml`` names a file of kwokbook's built-in sets
    when no such file exists here (folders and set names are resolved by ``load_stages``)."""
    p = Path(src)
    if p.exists() or p.is_absolute() or p.suffix not in (".yaml", ".yml"):
        return src
    from .local import stages_dir

    builtin = stages_dir() / p
    return builtin if builtin.is_file() else src


# -- reading ----------------------------------------------------------------------------------


def list_stages(cluster: Cluster) -> list[dict[str, Any]]:
    """The live Stage objects, as the server returns them."""
    return cluster.list(STAGES).items


def live_stages(cluster: Cluster) -> list[Stage]:
    """The live stages as kwokbook Stage models (for ``kwokbook.stage.preview`` of live objects)."""
    import yaml

    from ..stage.load import load_stages_from_text

    docs = sorted(list_stages(cluster), key=_rv_key)
    out: list[Stage] = []
    for d in docs:
        name = str((d.get("metadata") or {}).get("name") or "")
        r = load_stages_from_text(yaml.safe_dump(clean(d), sort_keys=False), f"stage/{name}", strict=False,
                                  from_config=False)
        out.extend(r.stages)
    return out


def _rv_key(d: Mapping[str, Any]) -> tuple[int, str]:
    meta = d.get("metadata") or {}
    rv = str(meta.get("resourceVersion") or "")
    return (int(rv) if rv.isdigit() else 0, str(meta.get("name") or ""))


# -- changing ---------------------------------------------------------------------------------


@dataclass
class StageChange:
    """What one apply/delete did: ``created``, ``configured``, ``unchanged``, ``deleted`` or ``absent``."""

    name: str
    action: str
    object: dict[str, Any] | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"stage.kwok.x-k8s.io/{self.name} {self.action}"


def _require(cluster: Cluster, force: bool) -> None:
    from ..triggers import require_kwok

    require_kwok(cluster, force=force, action="change Stages on")


def _rv(obj: Mapping[str, Any] | None) -> str:
    return str(((obj or {}).get("metadata") or {}).get("resourceVersion") or "")


def _name(doc: Mapping[str, Any]) -> str:
    return str((doc.get("metadata") or {}).get("name") or "")


def apply_stages(cluster: Cluster, sources: StageSource | Sequence[StageSource], *, mode: str = "apply",
                 field_manager: str = "kwokbook", force: bool = False) -> list[StageChange]:
    """Apply Stages: ``mode="apply"`` is server-side apply (conflicts forced, like
    ``kubectl apply --server-side --force-conflicts``); ``"replace"`` makes the live object exactly
    the document (fields other managers set are dropped too). Refuses non-KWOK clusters unless ``force``.
    """
    if mode not in ("apply", "replace"):
        raise UsageError(f"unknown apply mode {mode!r}", hint="apply (server-side apply) or replace")
    docs = stage_documents(sources)
    _require(cluster, force)
    out: list[StageChange] = []
    for doc in docs:
        name = _name(doc)
        live = cluster.get(STAGES, name)
        if mode == "replace" and live is not None and hasattr(cluster, "replace"):
            body = clean(doc)
            body["metadata"]["resourceVersion"] = _rv(live)
            obj = cluster.replace(body)
        elif hasattr(cluster, "apply") and _accepts(cluster.apply, "field_manager"):
            obj = cluster.apply(doc, field_manager=field_manager)  # type: ignore[call-arg]
        else:
            obj = cluster.apply(doc)
        action = "created" if live is None else ("unchanged" if _rv(obj) == _rv(live) else "configured")
        out.append(StageChange(name, action, obj))
    return out


def delete_stages(cluster: Cluster, names: str | Iterable[str], *, force: bool = False) -> list[StageChange]:
    """Delete Stages by name (``absent`` for names that were not there)."""
    _require(cluster, force)
    out = []
    for name in [names] if isinstance(names, str) else list(names):
        if cluster.get(STAGES, name) is None:
            out.append(StageChange(name, "absent"))
            continue
        cluster.delete(STAGES, name)
        out.append(StageChange(name, "deleted"))
    return out


def _accepts(fn: Any, kw: str) -> bool:
    import inspect

    try:
        return kw in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


# -- diff ---------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    path: str
    old: Any
    new: Any

    def __str__(self) -> str:
        if self.old is _MISSING:
            return f"+ {self.path}: {_short(self.new)}"
        if self.new is _MISSING:
            return f"- {self.path}: {_short(self.old)}"
        return f"~ {self.path}: {_short(self.old)} → {_short(self.new)}"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _short(v: Any) -> str:
    import json

    s = json.dumps(v, ensure_ascii=False, sort_keys=True) if not isinstance(v, str) else repr(v)
    return s if len(s) <= 80 else s[:77] + "…"


@dataclass
class StageDiff:
    """Live vs. what apply would make it: ``create``, ``update``, ``unchanged`` (``changes``, ``text``)."""

    name: str
    action: str
    live: dict[str, Any] | None = field(repr=False)
    desired: dict[str, Any] = field(repr=False)
    changes: list[FieldChange] = field(default_factory=list)
    text: str = ""

    def __str__(self) -> str:
        head = f"stage {self.name}: {self.action}"
        if self.action == "unchanged":
            return head + "\n"
        return head + "\n" + self.text

    def _repr_html_(self) -> str:
        import html

        return f"<b>{html.escape(self.name)}</b>: {self.action}<pre>{html.escape(self.text)}</pre>"


def field_changes(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Every leaf that differs, as ``spec.delay.durationMilliseconds``-style paths (lists by index)."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[FieldChange] = []
        for k in list(old) + [k for k in new if k not in old]:
            p = f"{path}.{k}" if path else str(k)
            if k not in new:
                out.append(FieldChange(p, old[k], _MISSING))
            elif k not in old:
                out.append(FieldChange(p, _MISSING, new[k]))
            else:
                out.extend(field_changes(old[k], new[k], p))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new)):
            out.extend(field_changes(a, b, f"{path}[{i}]"))
        return out
    return [] if old == new else [FieldChange(path, old, new)]


def _yaml(doc: Mapping[str, Any] | None) -> list[str]:
    import yaml

    if doc is None:
        return []
    return yaml.safe_dump(dict(doc), sort_keys=False, allow_unicode=True, width=1000).splitlines(keepends=True)


def diff_stages(cluster: Cluster, sources: StageSource | Sequence[StageSource], *,
                field_manager: str = "kwokbook") -> list[StageDiff]:
    """What :func:`apply_stages` would change, per stage (the server's dry-run when it has one)."""
    out = []
    for doc in stage_documents(sources):
        name = _name(doc)
        live = cluster.get(STAGES, name)
        desired: dict[str, Any] = clean(doc)
        if hasattr(cluster, "apply") and _accepts(cluster.apply, "dry_run"):
            desired = clean(cluster.apply(doc, field_manager=field_manager, dry_run=True))  # type: ignore[call-arg]
        before = clean(live) if live is not None else None
        if before is None:
            action = "create"
            changes = [FieldChange("", _MISSING, desired)]
        else:
            changes = field_changes(before, desired)
            action = "update" if changes else "unchanged"
        text = "".join(difflib.unified_diff(_yaml(before), _yaml(desired), fromfile=f"live/{name}",
                                            tofile=f"applied/{name}"))
        out.append(StageDiff(name, action, live, desired, changes, text))
    return out


# -- snapshot / restore -------------------------------------------------------------------------


def snapshot_stages(cluster: Cluster) -> list[dict[str, Any]]:
    """The live stages, cleaned, to put back later with :func:`restore_stages`."""
    return [clean(d) for d in list_stages(cluster)]


def restore_stages(cluster: Cluster, snapshot: Sequence[Mapping[str, Any]], *,
                   force: bool = False) -> list[StageChange]:
    """Make the live set exactly ``snapshot``: delete extra stages, re-create missing ones, replace changed ones."""
    _require(cluster, force)
    want = {_name(d): clean(d) for d in snapshot}
    out: list[StageChange] = []
    for live in list_stages(cluster):
        name = _name(live)
        if name not in want:
            cluster.delete(STAGES, name)
            out.append(StageChange(name, "deleted"))
            continue
        if clean(live) == want[name]:
            out.append(StageChange(name, "unchanged", live))
            continue
        body = copy.deepcopy(want[name])
        body["metadata"]["resourceVersion"] = _rv(live)
        if hasattr(cluster, "replace"):
            obj = cluster.replace(body)
        else:
            cluster.delete(STAGES, name)
            obj = cluster.create(want[name])
        out.append(StageChange(name, "configured", obj))
    have = {c.name for c in out}
    for name, doc in want.items():
        if name not in have:
            out.append(StageChange(name, "created", cluster.create(doc)))
    return out


__all__ = [
    "FieldChange", "StageChange", "StageDiff", "apply_stages", "clean", "delete_stages", "diff_stages",
    "field_changes", "list_stages", "live_stages", "restore_stages", "snapshot_stages", "stage_documents",
]

"""Stages as KWOK runs them: model, loading/validation, selectors, lifecycle, steps, preview.

Stable API::

    load_stages(paths_or_set_names, strict=True) -> LoadResult   (.stages, .diagnostics)
    preview(stages, obj) -> Preview                              (.to_harness(), .harness_yaml(), .to_dict())
    Lifecycle(stages).match(StageEvent.of(obj), rng)             (KWOK's weighted choice)
"""

from __future__ import annotations

from .lifecycle import Choice, CompiledStage, Lifecycle, LifecycleError, StageEvent, StageMatch
from .load import Diagnostic, LoadResult, load_stages, load_stages_from_text, resolve_sources
from .model import ResourceRef, Stage
from .preview import Preview, StagePreview, preview
from .steps import Action, StepError, run_steps

__all__ = [
    "Action", "Choice", "CompiledStage", "Diagnostic", "Lifecycle", "LifecycleError", "LoadResult", "Preview",
    "ResourceRef", "Stage", "StageEvent", "StageMatch", "StagePreview", "StepError", "load_stages",
    "load_stages_from_text", "preview", "resolve_sources", "run_steps",
]

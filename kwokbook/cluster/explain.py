"""Why is this live object waiting? The delay KWOK picks for it, and where the delay comes from.

``kwokbook.stage.preview`` computes each candidate stage's delay range the way KWOK does; this
module adds the sentence a person needs: which field the delay or jitter is read from, what it
says right now, and — for the classic case — that the general ``pod-delete`` stage waits a
random time up to the pod's ``deletionTimestamp``, i.e. up to the end of its deletion grace
period (30 s by default), while KWOK's fast ``pod-delete`` deletes at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..backend import Cluster
from ..stage.model import ExpressionFrom, Stage
from ..stage.preview import Preview, StagePreview, preview


def _fmt_s(ns: int) -> str:
    s = ns / 1e9
    return f"{s:.3g}s" if s < 10 else f"{s:.1f}s"


def _expr(e: ExpressionFrom | None) -> str | None:
    if e is None:
        return None
    return e.jq or e.cel


def _ts(obj: Mapping[str, Any], field_name: str) -> int | None:
    raw = (obj.get("metadata") or {}).get(field_name)
    if not raw:
        return None
    try:
        return int(datetime.fromisoformat(str(raw).replace("Z", "+00:00")).timestamp() * 1e9)
    except ValueError:
        return None


@dataclass
class DelayExplanation:
    """The candidates for one object with their delays, as data and as text (``str()``)."""

    preview: Preview
    lines: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def __str__(self) -> str:
        return self.text

    def candidate(self, name: str) -> StagePreview | None:
        return next((c for c in self.preview.candidates if c.name == name), None)


def explain_delay(stages: Sequence[Stage] | Cluster, obj: Mapping[str, Any], *,
                  now_ns: int | None = None) -> DelayExplanation:
    """Explain when KWOK will act on ``obj`` (a live object) and why it waits that long.

    ``stages`` is a list of Stage models or a cluster (its live stages are read).
    """
    if not isinstance(stages, Sequence):
        from .stages import live_stages

        cluster = stages
        stage_list = live_stages(cluster)
        now = now_ns if now_ns is not None else cluster.now_ns()
    else:
        import time

        stage_list = list(stages)
        now = now_ns if now_ns is not None else time.time_ns()
    pv = preview(stage_list, obj, now_ns=now)
    meta = obj.get("metadata") or {}
    ns = str(meta.get("namespace") or "")
    who = f"{pv.kind} {ns + '/' if ns else ''}{meta.get('name')}"
    ex = DelayExplanation(pv)
    if not pv.candidates:
        ex.lines.append(f"{who}: no stage matches, so KWOK does nothing with it"
                        + (f" ({pv.error})" if pv.error else ""))
        return ex
    ex.lines.append(f"{who}: {len(pv.candidates)} stage(s) can act now")
    for c in pv.candidates:
        ex.lines.extend(_candidate_lines(c, obj, now, ex.causes))
    return ex


def _candidate_lines(c: StagePreview, obj: Mapping[str, Any], now: int, causes: list[str]) -> list[str]:
    st = c.stage.stage
    d = st.delay
    prob = f"p={c.probability:.2f}"
    if c.eval_error:
        return [f"- {c.name} ({prob}): KWOK cannot compute its delay: {c.eval_error}"]
    if c.delay is None:
        return [f"- {c.name} ({prob}): acts at once (no delay)"]
    if len(c.delay) == 1:
        when = f"after {_fmt_s(c.delay[0])}"
    else:
        when = f"after a random {_fmt_s(c.delay[0])} to {_fmt_s(c.delay[1])} (uniform)"
    out = [f"- {c.name} ({prob}): acts {when}"]
    base_from = _expr(d.duration_from) if d else None
    jit_from = _expr(d.jitter_from) if d else None
    base = f"  delay: {d.duration_ms} ms (durationMilliseconds)" if d and d.duration_ms is not None else "  delay:"
    if base_from:
        base += f"; durationFrom {base_from} → {c.delay_source}"
    out.append(base)
    if d and (d.jitter_ms is not None or jit_from):
        jit = "  jitter:"
        if d.jitter_ms is not None:
            jit += f" {d.jitter_ms} ms (jitterDurationMilliseconds)"
        if jit_from:
            jit += f"{';' if d.jitter_ms is not None else ''} jitterDurationFrom {jit_from} → {c.jitter_source}"
        out.append(jit)
    for src, role, got in ((jit_from, "jitter", c.jitter_source), (base_from, "delay", c.delay_source)):
        if not src or "no usable value" in got or not got.startswith(("jq", "cel")):
            continue  # the field gave nothing: the fixed value applies
        if "deletionTimestamp" in src:
            deadline = _ts(obj, "deletionTimestamp")
            grace = (obj.get("metadata") or {}).get("deletionGracePeriodSeconds")
            left = f" ({_fmt_s(deadline - now)} from now)" if deadline is not None else ""
            cause = (f"cause: the {role} of stage {c.name} runs up to .metadata.deletionTimestamp{left} — the end of "
                     f"the deletion grace period"
                     + (f" (deletionGracePeriodSeconds={grace})" if grace is not None else "")
                     + "; KWOK deletes the pod at a random moment before it, on average after half the grace period "
                       "(30 s by default). KWOK's fast pod-delete stage has no delay and deletes at once.")
            out.append("  " + cause)
            causes.append(cause)
        else:
            cause = f"cause: the {role} of stage {c.name} is read from the object: {src}"
            out.append("  " + cause)
            causes.append(cause)
    return out


__all__ = ["DelayExplanation", "explain_delay"]

"""Explanations rendered for people: text for the CLI, HTML for notebooks (from the same data)."""

from __future__ import annotations

import html
import json
from typing import Any

from .preview import Preview


def fmt_duration_ns(ns: int) -> str:
    from ..gotpl.values import format_duration

    return format_duration(ns)


def _fmt_values(v: Any) -> str:
    if v is None:
        return "error (KWOK treats it as no values)"
    try:
        return json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(v)


def delay_text(delay: list[int] | None) -> str:
    if delay is None:
        return "no delay"
    if len(delay) == 1:
        return f"after {fmt_duration_ns(delay[0])}"
    return f"after {fmt_duration_ns(delay[0])} to {fmt_duration_ns(delay[1])} (uniform)"


def explain_text(pv: Preview) -> str:
    """A per-stage table: MATCH/no, and each requirement with the values it produced."""
    lines = [f"# why: {len(pv.choice.matches)} stage(s) for {pv.kind} "
             f"{(pv.namespace + '/') if pv.namespace else ''}{pv.name}"]
    cand = {c.name: c for c in pv.candidates}
    for m in pv.choice.matches:
        name = m.stage.name
        if m.error:
            head = f"ERROR  {m.error}"
        elif name in cand:
            c = cand[name]
            head = f"MATCH  p={c.probability:.2f}  {delay_text(c.delay)}"
            if c.weight is not None:
                head += f"  weight {c.weight}"
        elif m.matched:
            head = "match  (never chosen: weight 0 against positive weights)"
        else:
            head = "no"
        lines.append(f"{name:<36} {head}")
        for o in m.outcomes:
            mark = "✓" if o.held else "✗"
            if not o.evaluated_by_kwok:
                mark = "·"
            extra = "" if o.evaluated_by_kwok else "  (KWOK stopped earlier)"
            val = _fmt_values(o.values) if o.kind in ("jq", "cel") else ""
            err = f"  [{o.error}]" if o.error else ""
            lines.append(f"  {mark} {o.description:<56} {val}{err}{extra}")
    if pv.choice.error:
        lines.append(f"! KWOK aborts the choice for this object: {pv.choice.error} (in stage {pv.choice.error_stage})")
    return "\n".join(lines) + "\n"


def explain_html(pv: Preview) -> str:
    """The same table as HTML (used by ``Preview._repr_html_`` and the widgets)."""
    rows = []
    cand = {c.name: c for c in pv.candidates}
    for m in pv.choice.matches:
        name = html.escape(m.stage.name)
        if m.error:
            status = f"<b style='color:#b00'>error</b>: {html.escape(m.error)}"
        elif m.stage.name in cand:
            c = cand[m.stage.name]
            status = f"<b style='color:#070'>match</b> p={c.probability:.2f}, {html.escape(delay_text(c.delay))}"
        else:
            status = "<span style='color:#777'>no match</span>"
        reqs = "".join(
            f"<li>{'✓' if o.held else '✗'} <code>{html.escape(o.description)}</code>"
            f"{' → <code>' + html.escape(_fmt_values(o.values)) + '</code>' if o.kind in ('jq', 'cel') else ''}"
            f"{' <i>(not evaluated by KWOK)</i>' if not o.evaluated_by_kwok else ''}</li>"
            for o in m.outcomes
        )
        rows.append(f"<tr><td><b>{name}</b></td><td>{status}<ul style='margin:0'>{reqs}</ul></td></tr>")
    return ("<table><thead><tr><th>stage</th><th>outcome</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")

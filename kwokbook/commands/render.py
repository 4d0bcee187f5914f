"""Render a Go template over an object exactly as KWOK does (text, or the YAML→JSON patch body).

TEMPLATE_FILE is a template text file, or a Stage YAML file: then its status/patch template is
rendered (the first one, or the one chosen with --step).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import KwokbookError, Location
from ..io import load_object, read_text

NAME = "render"
HELP = "render a Go template (or a Stage's template) over an object, as KWOK would"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", metavar="TEMPLATE_FILE", help="template text file, or a Stage YAML file")
    p.add_argument("--data", metavar="OBJECT", required=True, help="the object (.yaml or .json)")
    p.add_argument("--json", action="store_true", help="also convert the rendered YAML to JSON, as KWOK's patch step")
    p.add_argument("--profile", default="harness",
                   help="function set: harness (KWOK's conformance placeholders such as <Now> and "
                        "<NodeIPWith(\"n\")>, every function; default), generic (no controller functions), "
                        "pod/node (deterministic fakes), simulator-pod/simulator-node (real IP pools)")
    p.add_argument("--now", metavar="RFC3339", help="pin the clock (Now, now, date …) to this instant")
    p.add_argument("--step", type=int, default=None, help="with a Stage file: which template (0-based)")


def stage_templates(doc: Any) -> list[tuple[str, str]]:
    """(field path, template) pairs of a Stage document, in step order."""
    spec = doc.get("spec") or {}
    out: list[tuple[str, str]] = []
    for i, step in enumerate(spec.get("steps") or []):
        for part in ("patch", "apply"):
            tpl = (step.get(part) or {}).get("template")
            if tpl:
                out.append((f"spec.steps[{i}].{part}.template", tpl))
    nxt = spec.get("next") or {}
    for i, patch in enumerate(nxt.get("patches") or []):
        if patch.get("template"):
            out.append((f"spec.next.patches[{i}].template", patch["template"]))
    if nxt.get("statusTemplate"):
        out.append(("spec.next.statusTemplate", nxt["statusTemplate"]))
    return out


def run(args: argparse.Namespace) -> int:
    from ..gotpl import Env, Renderer, TemplateError

    text = read_text(args.template)
    source = args.template
    field = None
    if args.template.endswith((".yaml", ".yml")):
        doc = load_object(args.template)
        if isinstance(doc, dict) and doc.get("kind") == "Stage":
            templates = stage_templates(doc)
            if not templates:
                raise KwokbookError("this Stage has no template", Location(source))
            idx = args.step or 0
            if not 0 <= idx < len(templates):
                raise KwokbookError(f"--step {idx}: the Stage has {len(templates)} template(s)", Location(source))
            field, text = templates[idx]
    data = load_object(args.data)
    env = Env()
    if args.now:
        env = Env.at(args.now)
    renderer = Renderer(profile=args.profile, env=env)
    try:
        out = renderer.to_json(text, data) if args.json else renderer.to_text(text, data)
    except TemplateError as e:
        e.location = Location(source, e.location.line, e.location.column, field)
        raise
    sys.stdout.write(out)
    if args.json or not out.endswith("\n"):
        sys.stdout.write("\n")
    return 0

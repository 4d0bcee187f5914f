"""Preview which Stage KWOK would pick for an object, after what delay, and what it would do.

The default output is byte-identical to KWOK's own conformance harness (delay ranges in
nanoseconds, weights, rendered actions with placeholders such as <Now>). --controller shows instead
what KWOK's running controller would send (typed view, strategic-merge patches). --explain adds, for
every stage, each requirement with the values its expression produced and whether it held.
--stages takes files, folders, or built-in sets: fast, general, pod/general, pod/chaos, node/fast …
"""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import KwokbookError, Location
from ..yamlloc import load_file

NAME = "preview"
HELP = "show which stage KWOK picks for an object, its delay, weight and rendered actions"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("object", metavar="OBJECT.yaml", nargs="?",
                   help="the object (YAML or JSON; first document); may also come last after --stages")
    p.add_argument("--stages", nargs="+", default=["general"], metavar="PATH",
                   help="stage files, folders or built-in sets (default: %(default)s)")
    p.add_argument("--explain", action="store_true", help="add the per-requirement table for every stage")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml",
                   help="yaml: KWOK's harness output (default); json: the full preview with explanations")
    p.add_argument("--controller", action="store_true",
                   help="show what KWOK's controller would send (typed Pod/Node view, strategic-merge patches, "
                        "only that controller's template functions) instead of the conformance harness output")
    p.add_argument("--no-warnings", action="store_true", help="do not print stage loading warnings")


def run(args: argparse.Namespace) -> int:
    from ..stage import load_stages, preview
    from ..stage.explain import explain_text

    if args.object is None:  # `--stages A B OBJECT.yaml`: the last path is the object
        if len(args.stages) < 2:
            from ..errors import UsageError

            raise UsageError("no object given", hint="kwokbook preview --stages PATH... OBJECT.yaml")
        args.object = args.stages.pop()
    result = load_stages(args.stages, strict=True)
    if not args.no_warnings:
        for d in result.user_warnings():
            print(d, file=sys.stderr)
    docs = load_file(args.object)
    if not docs:
        raise KwokbookError("no object in file", Location(args.object))
    obj = docs[0].value
    if not isinstance(obj, dict):
        raise KwokbookError("the object must be a mapping", Location(args.object))
    pv = preview(result.stages, obj, mode="controller" if args.controller else "harness")
    if args.format == "json":
        json.dump(pv.to_dict(), sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        if pv.error:
            print(f"# KWOK stops here: {pv.error} (stage {pv.choice.error_stage})", file=sys.stderr)
        sys.stdout.write(pv.harness_yaml())
        if args.explain:
            sys.stdout.write("\n")
            sys.stdout.write(explain_text(pv))
    return 1 if pv.error else 0

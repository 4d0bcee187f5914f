"""Run a stage-set folder laid out like KWOK's own (stages + testdata/*.input.yaml → *.output.yaml).

Each input object is previewed with the stages of the folder holding its testdata/ directory and
compared byte for byte with the expected output. Exit status 0 only if every case passes.
"""

from __future__ import annotations

import argparse

NAME = "test"
HELP = "run stage-set golden tests (testdata/*.input.yaml → *.output.yaml), like KWOK's harness"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dirs", nargs="+", metavar="DIR", help="folders to search for testdata/*.input.yaml")
    p.add_argument("--update", action="store_true", help="write the outputs instead of comparing")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")


def run(args: argparse.Namespace) -> int:
    from ..stage.conformance import run_suite

    results = [r for d in args.dirs for r in run_suite(d, update=args.update)]
    failed = [r for r in results if not r.passed]
    for r in results:
        if not r.passed or not args.quiet:
            print(r.report())
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if not results:
        print("no testdata/*.input.yaml found")
        return 1
    return 1 if failed else 0

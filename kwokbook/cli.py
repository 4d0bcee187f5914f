"""The ``kwokbook`` command: one subcommand per module in :mod:`kwokbook.commands`.

Every user error is a :class:`~kwokbook.errors.KwokbookError`; it is printed as one message with
its location (no traceback) and the process exits with status 2. Other failures exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .errors import KwokbookError

# Subcommand modules, in the order `kwokbook --help` lists them. Each defines
# `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`.
COMMANDS = ("render", "preview", "test", "simulate", "record", "cluster")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kwokbook",
        description="Preview, run and record KWOK Stages — exactly as KWOK would.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f"kwokbook.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"kwokbook.commands.{name}":
                continue  # not written yet
            raise
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.__doc__)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KwokbookError as e:
        diags = getattr(e, "diagnostics", None)
        if diags:
            for d in diags:
                print(f"kwokbook {args.command}: {d}", file=sys.stderr)
        else:
            print(f"kwokbook {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"kwokbook {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Record pod/node transitions of a live cluster into a timeline (JSON lines, kwokbook.timeline).

Watches pods and nodes (list, then watch; bookmarks on) for --for DURATION and writes one line
per observed change. Survives API server restarts: the watch resumes from the last version it
saw, or re-lists and writes a RESYNC line when the server no longer has it. Ctrl-C stops early
and keeps what was recorded.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from ..errors import UsageError

NAME = "record"
HELP = "record pod/node transitions of a live cluster into a timeline file (JSON lines)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kubeconfig", metavar="PATH", help="kubeconfig (default: $KUBECONFIG, ~/.kube/config, or the "
                                                        "local kwokbook cluster)")
    p.add_argument("--context", help="context in the kubeconfig")
    p.add_argument("--cluster", metavar="NAME", help="a kwokctl cluster by name instead of --kubeconfig")
    p.add_argument("--for", dest="duration", required=True, help="how long to record: 90s, 5m, 1h30m …")
    p.add_argument("--timeline", metavar="OUT.jsonl", required=True, help="output file ('-' for stdout)")
    p.add_argument("-n", "--namespace", default=None, help="only pods of this namespace (default: all)")
    p.add_argument("-l", "--selector", default=None, help="only objects matching this label selector")
    p.add_argument("--resources", default="pods,nodes", help="comma-separated resources (default pods,nodes)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the transition log")


def run(args: argparse.Namespace) -> int:
    from ..cluster import connect
    from ..cluster.record import Recorder
    from .simulate import parse_duration

    seconds = parse_duration(args.duration)
    if seconds <= 0:
        raise UsageError(f"--for must be positive, got {args.duration!r}")
    resources = [r.strip() for r in args.resources.split(",") if r.strip()]
    if not resources:
        raise UsageError("--resources is empty")
    if args.cluster and args.kubeconfig:
        raise UsageError("pass --cluster or --kubeconfig, not both")
    c = connect(args.kubeconfig, args.context, cluster=args.cluster, fallback_simulator=False)
    to_stdout = args.timeline == "-"
    out: Any = sys.stdout if to_stdout else open(args.timeline, "w", encoding="utf-8")  # noqa: SIM115
    stop = threading.Event()
    log = None if (args.quiet or to_stdout) else _printer()

    def on_sigint(signum: int, frame: object) -> None:
        stop.set()

    old = signal.signal(signal.SIGINT, on_sigint)
    try:
        print(f"recording {', '.join(resources)} of {c.info.name} ({c.info.server}) for {seconds:g}s → "
              f"{'stdout' if to_stdout else args.timeline}", file=sys.stderr, flush=True)
        rec = Recorder(c, out, resources=resources, namespace=args.namespace, label_selector=args.selector,
                       on_event=log)
        summary = rec.run_for(seconds, stop_event=stop)
    finally:
        signal.signal(signal.SIGINT, old)
        if not to_stdout:
            out.close()
        getattr(c, "close", lambda: None)()
    print(summary, file=sys.stderr)
    return 0


def _printer() -> Any:
    """One line per visible change (what `kubectl get -w` would show)."""
    from ..timeline import ChangeLog

    changes = ChangeLog()

    def show(ev: Any, tr: Any) -> None:
        line = changes.line(tr)
        if line is not None:
            print(line, flush=True)

    return show

"""Run a scenario on the embedded simulator (virtual time) and write its timeline.

Objects come from YAML files (--objects, multi-document; nodes and pods) and/or quick batches
(--nodes N, --pods N, --job-pods N). Stages default to KWOK's fast set; --stages general for the
general set, or files/folders. Same --seed ⇒ byte-identical timeline.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from ..errors import UsageError

NAME = "simulate"
HELP = "run a scenario on the embedded KWOK simulator (virtual time) and write its timeline"


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``5m``, ``1h30m``, ``500ms`` → seconds (Go duration syntax, or bare seconds)."""
    from ..gotpl.gotime import parse_duration_ns

    t = text.strip()
    try:
        return float(t)
    except ValueError:
        pass
    try:
        return parse_duration_ns(t) / 1e9
    except ValueError:
        raise UsageError(f"not a duration: {text!r}", hint="write e.g. 90s, 5m, 1h30m") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stages", nargs="+", default=["fast"], metavar="PATH",
                   help="stage files/folders or built-in sets: fast (default), general, pod/chaos …")
    p.add_argument("--objects", nargs="+", default=[], metavar="FILE", help="YAML files with nodes/pods to create")
    p.add_argument("--nodes", type=int, default=None,
                   help="create N KWOK nodes kwok-node-0… (default: 1 when pods are asked for and no "
                        "--objects file has a node, else 0)")
    p.add_argument("--pods", type=int, default=0, help="create N pods pod-0… (bound by the built-in binder)")
    p.add_argument("--job-pods", type=int, default=0, help="create N Job-owned pods job-0… (they complete)")
    p.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")
    p.add_argument("--for", dest="duration", default="60s", help="virtual time to run (default 60s)")
    p.add_argument("--timeline", metavar="OUT.jsonl", help="write the Pod/Node timeline here ('-' for stdout)")
    p.add_argument("--no-binder", action="store_true", help="do not bind pending pods to nodes")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the transition log")


def run(args: argparse.Namespace) -> int:
    from ..sim import Simulator
    from ..timeline import write_timeline
    from ..yamlloc import load_file

    seconds = parse_duration(args.duration)
    sim = Simulator(args.stages, seed=args.seed, binder=not args.no_binder)
    for d in sim.load_result.user_warnings() if sim.load_result else []:
        print(d, file=sys.stderr)
    objects = [doc.value for path in args.objects for doc in load_file(path) if isinstance(doc.value, dict)]
    nodes_n = args.nodes
    if nodes_n is None:
        wants_pods = args.pods or args.job_pods or any(o.get("kind") == "Pod" for o in objects)
        nodes_n = 1 if wants_pods and not any(o.get("kind") == "Node" for o in objects) else 0
        if nodes_n:
            print("no nodes given: created kwok-node-0 for the pods (--nodes 0 for none)", file=sys.stderr)
    sim.add_nodes(nodes_n)
    for obj in objects:
        sim.create(obj)
    sim.add_pods(args.pods)
    for i in range(args.job_pods):
        sim.add_job_pod(f"job-{i}-x", owner_name=f"job-{i}")
    sim.run_for(seconds)
    phases = Counter((p.get("status") or {}).get("phase") for p in sim.list("pods").items)
    nodes = sim.list("nodes").items
    ready = sum(1 for n in nodes for c in (n.get("status") or {}).get("conditions") or []
                if c.get("type") == "Ready" and c.get("status") == "True")
    print(f"simulated {seconds:g}s (seed {args.seed}): {len(nodes)} node(s), {ready} Ready; pods by phase: "
          + (", ".join(f"{k}={v}" for k, v in sorted(phases.items(), key=lambda kv: str(kv[0]))) or "none")
          + f"; {len(sim.kwok.plays)} stage executions", file=sys.stderr)
    for e in sim.kwok.errors[:10]:
        print(f"kwok: {e}", file=sys.stderr)
    if not args.quiet and args.timeline != "-":
        print_log(sim)
    if args.timeline:
        if args.timeline == "-":
            write_timeline(sim.history, sys.stdout, sim.start_ns)
        else:
            with open(args.timeline, "w", encoding="utf-8") as f:
                n = write_timeline(sim.history, f, sim.start_ns)
            print(f"wrote {n} transitions to {args.timeline}", file=sys.stderr)
    return 0


def print_log(sim: object) -> None:
    """One line per visible state change of a pod or node (what `kubectl get -w` would show)."""
    from ..timeline import ChangeLog, transition_from_event

    changes = ChangeLog()
    for ev in sim.history:  # type: ignore[attr-defined]
        if str(ev.object.get("kind") or "") not in ("Pod", "Node"):
            continue
        line = changes.line(transition_from_event(ev, sim.start_ns))  # type: ignore[attr-defined]
        if line is not None:
            print(line)

"""Local KWOK clusters and live Stages.

  kwokbook cluster up [--name N]        create or reuse a local KWOK cluster (kwokctl; Stage CRD on, KWOK's
                                        fast stages applied); progress on stderr, the kubeconfig path is
                                        the LAST line of stdout
  kwokbook cluster down [--name N]      delete it (processes and data)
  kwokbook cluster status [--name N]    components, then "running|degraded KUBECONFIG" or "absent"
                                        (exit 0 running, 1 degraded, 2 absent)
  kwokbook cluster stages               the live Stage objects
  kwokbook cluster diff FILE...         what `apply` would change (exit 1 when something would)
  kwokbook cluster apply FILE...        server-side apply Stages (files, folders, built-in sets: pod/chaos)
  kwokbook cluster delete-stage NAME... delete Stages
  kwokbook cluster trigger KEY=VALUE|KEY- [NAME...] [-l SELECTOR] [--jq EXPR]
                                        set/remove a label (or --annotation) and time the first transition

Commands that talk to a cluster use --kubeconfig/--context, else the local cluster --name.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import UsageError

NAME = "cluster"
HELP = "make local KWOK clusters (up/down/status) and manage live Stages (apply/diff/delete, trigger)"


def _conn_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kubeconfig", metavar="PATH", help="kubeconfig of the cluster (default: the local --name one)")
    p.add_argument("--context", help="context in the kubeconfig")
    p.add_argument("--force", action="store_true", help="allow changes to a cluster that does not look like KWOK "
                                                        "(and to objects KWOK does not manage)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("--name", default=None, help="local cluster name (default $KWOKBOOK_CLUSTER_NAME or kwokbook)")
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    up = sub.add_parser("up", help="create or reuse a local KWOK cluster; prints its kubeconfig path last")
    up.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
    up.add_argument("--toolchain", choices=("auto", "checkout", "kwokctl"), default="auto",
                    help="checkout: tools/cluster with the pinned binaries; kwokctl: the one on PATH (default: auto)")
    up.add_argument("--build", action="store_true",
                    help="build the checkout's pinned binaries if missing (~30 min cold)")
    up.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for each readiness step")
    up.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    down = sub.add_parser("down", help="delete a local cluster")
    down.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
    down.add_argument("-q", "--quiet", action="store_true")
    st = sub.add_parser("status", help="is the local cluster running?")
    st.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
    st.add_argument("--all", action="store_true", help="every kwokctl cluster on this machine")
    ls = sub.add_parser("stages", help="list the live Stage objects")
    ls.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
    _conn_args(ls)
    for action, helptext in (("diff", "show what apply would change"), ("apply", "server-side apply Stages")):
        a = sub.add_parser(action, help=helptext)
        a.add_argument("sources", nargs="+", metavar="FILE", help="stage files, folders or built-in sets (pod/chaos)")
        a.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
        _conn_args(a)
        if action == "apply":
            a.add_argument("--replace", action="store_true",
                           help="make the live object exactly the file (drop fields other managers set)")
    d = sub.add_parser("delete-stage", help="delete Stages by name")
    d.add_argument("stage_names", nargs="+", metavar="NAME")
    d.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
    _conn_args(d)
    t = sub.add_parser("trigger", help="set/remove a label or annotation and time the first transition")
    t.add_argument("assignment", metavar="KEY=VALUE|KEY-", help="label to set (KEY=VALUE) or remove (KEY-)")
    t.add_argument("objects", nargs="*", metavar="NAME", help="object names (else -l / --jq)")
    t.add_argument("--resource", default="pods", help="pods (default), nodes, …")
    t.add_argument("-n", "--namespace", default=None, help="namespace (default: default; all with -l/--jq)")
    t.add_argument("-l", "--selector", default=None, help="label selector")
    t.add_argument("--jq", default=None, help="jq expression; objects where it gives a truthy value")
    t.add_argument("--annotation", action="store_true", help="an annotation instead of a label")
    t.add_argument("--merge", action="store_true", help="merge patch instead of the JSON patch")
    t.add_argument("--skip-unmanaged", action="store_true", help="patch only pods on KWOK-managed nodes")
    t.add_argument("--wait", type=float, default=10.0, help="seconds to wait for transitions (default 10)")
    t.add_argument("--name", dest="name2", default=None, help=argparse.SUPPRESS)
    _conn_args(t)


def _name(args: argparse.Namespace) -> str | None:
    return getattr(args, "name2", None) or args.name


def _progress(args: argparse.Namespace) -> Any:
    if getattr(args, "quiet", False):
        return None
    return lambda line: print(line, file=sys.stderr, flush=True)


def _connect(args: argparse.Namespace) -> Any:
    from ..cluster import connect
    from ..cluster.local import default_name

    if args.kubeconfig:
        return connect(args.kubeconfig, args.context, fallback_simulator=False)
    return connect(cluster=_name(args) or default_name(), context=args.context, fallback_simulator=False)


def run(args: argparse.Namespace) -> int:
    from .. import cluster as cl

    action = args.action
    if action is None:
        raise UsageError("say what to do: up, down, status, stages, diff, apply, delete-stage or trigger",
                         hint="kwokbook cluster --help")
    if action == "up":
        st = cl.up(_name(args), progress=_progress(args), toolchain=args.toolchain, build_missing=args.build,
                   timeout=args.timeout)
        print(st.kubeconfig, flush=True)
        return 0
    if action == "down":
        removed = cl.down(_name(args), progress=_progress(args))
        if not removed and not args.quiet:
            print(f"cluster {_name(args) or cl.local.default_name()}: absent", file=sys.stderr)
        return 0
    if action == "status":
        names = cl.list_clusters() if args.all else [_name(args) or cl.local.default_name()]
        code = 2 if not names else 0
        for i, n in enumerate(names):
            st = cl.status(n)
            if args.all:
                print(f"== {n}")
            for line in st.lines():
                print(line)
            code = st.exit_code() if i == 0 or st.exit_code() > code else code
        return code
    c = _connect(args)
    if action == "stages":
        for d in cl.list_stages(c):
            spec = d.get("spec") or {}
            ref = spec.get("resourceRef") or {}
            print(f"{d['metadata']['name']:<40} {ref.get('apiGroup', '')}/{ref.get('kind', '')}")
        return 0
    if action == "diff":
        diffs = cl.diff_stages(c, args.sources)
        for df in diffs:
            sys.stdout.write(str(df))
        return 1 if any(df.action != "unchanged" for df in diffs) else 0
    if action == "apply":
        for ch in cl.apply_stages(c, args.sources, mode="replace" if args.replace else "apply", force=args.force):
            print(ch)
        return 0
    if action == "delete-stage":
        for ch in cl.delete_stages(c, args.stage_names, force=args.force):
            print(ch)
        return 0
    if action == "trigger":
        from ..triggers import trigger

        text = args.assignment
        if text.endswith("-") and "=" not in text:
            key, value = text[:-1], None
        elif "=" in text:
            key, value = text.split("=", 1)
        else:
            raise UsageError(f"not KEY=VALUE or KEY-: {text!r}")
        if not args.objects and args.selector is None and args.jq is None:
            raise UsageError("say which objects: names, -l SELECTOR or --jq EXPR")
        res = trigger(c, key, value, resource=args.resource, names=args.objects,
                      namespace=args.namespace or ("default" if args.objects else None), label_selector=args.selector,
                      jq=args.jq, annotation=args.annotation, style="merge" if args.merge else "json",
                      force=args.force, skip_unmanaged=args.skip_unmanaged, wait=args.wait)
        print(res)
        return 1 if res.errors else 0
    raise UsageError(f"unknown action {action!r}")

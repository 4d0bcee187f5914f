"""Real-cluster speed: trigger latency (label patch → first transition) and watch ingest rate.

Needs the pinned cluster (tools/cluster/build.sh). Starts its own cluster ``kwokbook-bench`` (and
deletes it afterwards unless ``--keep``), or uses ``--kubeconfig``/``--cluster``. Run:
``.venv/bin/python benchmarks/bench_cluster.py [--triggers 60] [--pods 1000]``.

1. Trigger latency: the seed's restart Stage (tests/e2e/stages/pod-restart.yaml) on one Running
   pod; ``kwokbook.triggers.trigger`` adds the label with the seed's JSON patch and times the API
   server's answer → the first change of the pod seen on the watch (KWOK's label removal), one
   trigger after another. Target (issue 4): p50 ≤ 100 ms.
2. Watch ingest: 1,000 pods bound to a KWOK node created at once (16 client threads); a watch
   counts every event until all are Running (``live``: limited by creation and KWOK), then a
   second watch replays the same events from the version before the creation (``replay``:
   how fast kwokbook parses a stream the server sends as fast as it can).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import ROOT
from kwokbook.backend import NAMESPACES, NODES, PODS, RESYNC
from kwokbook.cluster import apply_stages, connect, restore_stages, snapshot_stages
from kwokbook.cluster.local import down, status, up
from kwokbook.sim.objects import kwok_node, pod
from kwokbook.triggers import summarize, trigger

RESTART = ROOT / "tests" / "e2e" / "stages" / "pod-restart.yaml"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model or platform.machine()}), Python {platform.python_version()}, "
            f"load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")


def wait_for(fn: Any, timeout: float, what: str) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def running(p: dict[str, Any] | None) -> bool:
    return ((p or {}).get("status") or {}).get("phase") == "Running"


def bench_triggers(kc: Any, ns: str, node: str, n: int) -> dict[str, float]:
    apply_stages(kc, RESTART)
    kc.create(pod("bench-restart", namespace=ns, node=node, labels={"app": "bench"}))
    wait_for(lambda: running(kc.get(PODS, "bench-restart", namespace=ns)), 60, "the pod to run")
    lat = []
    for i in range(1, n + 1):
        res = trigger(kc, "restart.stage.kwok", "true", names="bench-restart", namespace=ns, wait=30)
        lat.extend(res.latencies_ms)
        wait_for(lambda i=i: (p := kc.get(PODS, "bench-restart", namespace=ns))
                 and p["status"]["containerStatuses"][0]["restartCount"] == i, 30, f"restart {i}")
    s = summarize(lat)
    s["mean"] = statistics.fmean(lat)
    return s


def bench_ingest(kc: Any, ns: str, node: str, n: int) -> dict[str, float]:
    before_rv = kc.list(PODS, namespace=ns).resource_version
    count = {"events": 0, "first": 0.0, "last": 0.0}
    state: dict[str, str] = {}
    done = threading.Event()
    w = kc.watch(PODS, namespace=ns, resource_version=before_rv)

    def consume() -> None:
        for ev in w:
            now = time.perf_counter()
            if not count["events"]:
                count["first"] = now
            count["events"] += 1
            count["last"] = now
            state[ev.name] = ((ev.object.get("status") or {}).get("phase")) or "-"
            if len(state) >= n and all(v == "Running" for v in state.values()):
                done.set()

    th = threading.Thread(target=consume, daemon=True)
    th.start()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda i: kc.create(pod(f"load-{i}", namespace=ns, node=node)), range(n)))
    created = time.perf_counter()
    if not done.wait(300):
        raise SystemExit(f"only {sum(v == 'Running' for v in state.values())} of {n} pods Running after 300 s")
    w.stop()
    th.join(10)
    live_events = count["events"]
    live_s = count["last"] - count["first"]
    # replay: the same events again, as fast as the server sends them
    replay = kc.watch(PODS, namespace=ns, resource_version=before_rv)
    got = 0
    resync = False
    r0 = time.perf_counter()
    for ev in replay:
        if ev.type == RESYNC:
            resync = True
        got += 1
        if got >= live_events:
            break
    replay_s = time.perf_counter() - r0
    replay.stop()
    return {"pods": n, "create_s": created - t0, "all_running_s": count["last"] - t0, "live_events": live_events,
            "live_rate": live_events / live_s if live_s else 0.0, "replay_events": got,
            "replay_rate": got / replay_s if replay_s else 0.0, "replay_resynced": float(resync)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kubeconfig")
    ap.add_argument("--cluster", help="a kwokctl cluster by name (default: start kwokbook-bench)")
    ap.add_argument("--triggers", type=int, default=60)
    ap.add_argument("--pods", type=int, default=1000)
    ap.add_argument("--keep", action="store_true", help="do not delete the benchmark cluster")
    args = ap.parse_args()
    own = None
    if args.kubeconfig:
        kc = connect(args.kubeconfig, fallback_simulator=False, require_kwok=True)
    else:
        name = args.cluster or "kwokbook-bench"
        if args.cluster is None and status(name).state == "absent":
            own = name
        t0 = time.monotonic()
        up(name, toolchain="checkout", progress=lambda s: print(f"  {s}", file=sys.stderr))
        print(f"cluster {name} up in {time.monotonic() - t0:.1f}s", file=sys.stderr)
        kc = connect(cluster=name, fallback_simulator=False, require_kwok=True)
    print(f"machine: {machine()}")
    ns = f"bench-{uuid.uuid4().hex[:6]}"
    node = f"bench-node-{uuid.uuid4().hex[:6]}"
    snap = snapshot_stages(kc)
    kc.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    kc.create(kwok_node(node, pods="5000"))
    try:
        wait_for(lambda: kc.request("GET", f"/api/v1/namespaces/{ns}/serviceaccounts", timeout=5)["items"], 60,
                 "the namespace's ServiceAccount")
        t = bench_triggers(kc, ns, node, args.triggers)
        print(f"trigger latency (label JSON patch accepted → first transition on the watch), {int(t['n'])} triggers: "
              f"p50 {t['p50']:.1f} ms, p95 {t['p95']:.1f} ms, mean {t['mean']:.1f} ms, min {t['min']:.1f} ms, "
              f"max {t['max']:.1f} ms   (target p50 ≤ 100 ms)")
        g = bench_ingest(kc, ns, node, args.pods)
        print(f"watch ingest, {g['pods']} pods created at once: created in {g['create_s']:.1f}s, all Running after "
              f"{g['all_running_s']:.1f}s; live {g['live_events']} events at {g['live_rate']:.0f} events/s; "
              f"replay {g['replay_events']} events at {g['replay_rate']:.0f} events/s"
              + (" (after a re-list)" if g["replay_resynced"] else ""))
    finally:
        restore_stages(kc, snap)
        kc.delete(NAMESPACES, ns, missing_ok=True)
        kc.delete(NODES, node, missing_ok=True)
        kc.close()
        if own and not args.keep:
            down(own, toolchain="checkout")
    return 0


if __name__ == "__main__":
    sys.exit(main())

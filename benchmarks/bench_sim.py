"""The simulator's throughput: N pods on N/100 nodes through KWOK's general pod lifecycle.

Pods are Job-owned (create → Pending → Running → Succeeded), then deleted (→ pod-delete → gone),
all in virtual time. Prints wall time, events/s, stage executions/s and peak memory.
Target (issue 5): 10,000 pods on 100 nodes in ≤ 5 s on a 2-core machine.

``--real M`` also runs the same workload with M pods (M/100 nodes, at least one) on a real KWOK
cluster (the pinned one from tools/cluster, started as ``kwokbook-bench`` and deleted afterwards
unless it already existed): the general stages live, pods owned by a real (suspended, placeholder)
Job, bound by kube-scheduler, deleted once Succeeded. It prints how long watching KWOK do it took
against the simulator's wall time for the same M pods.

Run: ``.venv/bin/python benchmarks/bench_sim.py [N] [--real M]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kwokbook.backend import NAMESPACES, NODES, PODS
from kwokbook.sim import Simulator


def simulate(n: int) -> tuple[float, Simulator, int, int]:
    """(wall seconds, simulator, pods Succeeded, pod events) for the workload with ``n`` pods."""
    t0 = time.perf_counter()
    sim = Simulator("general", seed=1)
    sim.store.keep_history = False
    events = 0

    def count(_ev: object) -> None:
        nonlocal events
        events += 1

    sim.store.watch(PODS, count)
    sim.add_nodes(max(1, n // 100))
    sim.run_for(1)
    for i in range(n):
        sim.add_job_pod(f"job-{i}-x", owner_name=f"job-{i}")
    sim.run_for(120)
    done = sum(1 for p in sim.store.iter_objects(PODS) if (p.get("status") or {}).get("phase") == "Succeeded")
    for p in list(sim.store.iter_objects(PODS)):
        sim.delete(PODS, p["metadata"]["name"], namespace=p["metadata"]["namespace"])
    sim.run_for(120)
    return time.perf_counter() - t0, sim, done, events


def real(m: int, cluster: str | None) -> float:
    """Wall seconds for the same workload with ``m`` pods on a real KWOK cluster."""
    from kwokbook.cluster import apply_stages, connect, restore_stages, snapshot_stages
    from kwokbook.cluster.local import down, status, up
    from kwokbook.sim.objects import kwok_node, owner_reference, placeholder_job, pod

    name = cluster or "kwokbook-bench"
    own = cluster is None and status(name).state == "absent"
    up(name, toolchain="checkout", progress=lambda s: print(f"  {s}", file=sys.stderr))
    kc = connect(cluster=name, fallback_simulator=False, require_kwok=True)
    snap = snapshot_stages(kc)
    ns = f"bench-{uuid.uuid4().hex[:6]}"
    nodes = [f"{ns}-node-{i}" for i in range(max(1, m // 100))]
    try:
        apply_stages(kc, "pod/general", mode="replace")
        kc.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        for nd in nodes:
            kc.create(kwok_node(nd, labels={"bench": ns}))
        deadline = time.monotonic() + 60
        while kc.request("GET", f"/api/v1/namespaces/{ns}/serviceaccounts", timeout=5)["items"] == []:
            if time.monotonic() > deadline:
                raise SystemExit("the namespace's ServiceAccount never appeared")
            time.sleep(0.1)
        job = kc.create(placeholder_job("bench-job", namespace=ns))
        ref = owner_reference(job)

        def phases() -> dict[str, int]:
            out: dict[str, int] = {}
            for p in kc.list(PODS, namespace=ns).items:
                ph = (p.get("status") or {}).get("phase") or "-"
                out[ph] = out.get(ph, 0) + 1
            return out

        t0 = time.perf_counter()
        with ThreadPoolExecutor(16) as ex:
            list(ex.map(lambda i: kc.create(pod(f"job-{i}-x", namespace=ns, owner_refs=[ref],
                                                node_selector={"bench": ns})), range(m)))
        while phases().get("Succeeded", 0) < m:
            if time.perf_counter() - t0 > 900:
                raise SystemExit(f"not all Succeeded after 900 s: {phases()}")
            time.sleep(0.2)
        with ThreadPoolExecutor(16) as ex:
            list(ex.map(lambda i: kc.delete(PODS, f"job-{i}-x", namespace=ns), range(m)))
        while kc.list(PODS, namespace=ns).items:
            if time.perf_counter() - t0 > 1200:
                raise SystemExit("pods still there after 1200 s")
            time.sleep(0.2)
        return time.perf_counter() - t0
    finally:
        restore_stages(kc, snap)
        kc.delete(NAMESPACES, ns, missing_ok=True)
        for nd in nodes:
            kc.delete(NODES, nd, missing_ok=True)
        kc.close()
        if own:
            down(name, toolchain="checkout")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pods", type=int, nargs="?", default=10_000)
    ap.add_argument("--real", type=int, metavar="M", help="also run M pods on a real KWOK cluster and compare")
    ap.add_argument("--cluster", help="use this running kwokctl cluster for --real (default: start kwokbook-bench)")
    args = ap.parse_args()
    n = args.pods
    wall, sim, done, events = simulate(n)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # bytes (Linux reports KiB)
    left = sim.store.count(PODS)
    plays = len(sim.kwok.plays)
    print(f"{n} pods on {max(1, n // 100)} nodes, general stages: {done} Succeeded, {left} left after delete")
    print(f"wall {wall:.2f} s | virtual {sim.clock.elapsed_s():.0f} s | {events} pod events ({events / wall:,.0f}/s) "
          f"| {plays} stage executions ({plays / wall:,.0f}/s) | peak RSS {peak / 2**20:.0f} MiB")
    print(f"RATIO wall/target = {wall / 5.0:.2f}  (target ≤ 5 s for 10,000 pods; {wall / n * 1e3:.2f} ms per pod)")
    if args.real:
        m = args.real
        sim_wall = simulate(m)[0]
        real_wall = real(m, args.cluster)
        print(f"same workload, {m} pods: real KWOK cluster {real_wall:.1f} s, simulator {sim_wall:.2f} s "
              f"→ the simulator is {real_wall / sim_wall:.0f}× faster than watching KWOK do it")
    return 0


if __name__ == "__main__":
    sys.exit(main())

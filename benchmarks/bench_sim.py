"""The simulator's throughput: N pods on N/100 nodes through KWOK's general pod lifecycle.

Pods are Job-owned (create → Pending → Running → Succeeded), then deleted (→ pod-delete → gone),
all in virtual time. Prints wall time, events/s, stage executions/s and peak memory.
Target (issue 5): 10,000 pods on 100 nodes in ≤ 5 s on a 2-core machine.
Run: ``.venv/bin/python benchmarks/bench_sim.py [N]``.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kwokbook.backend import PODS
from kwokbook.sim import Simulator


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
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
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # bytes (Linux reports KiB)
    left = sim.store.count(PODS)
    plays = len(sim.kwok.plays)
    print(f"{n} pods on {max(1, n // 100)} nodes, general stages: {done} Succeeded, {left} left after delete")
    print(f"wall {wall:.2f} s | virtual {sim.clock.elapsed_s():.0f} s | {events} pod events ({events / wall:,.0f}/s) "
          f"| {plays} stage executions ({plays / wall:,.0f}/s) | peak RSS {peak / 2**20:.0f} MiB")
    print(f"RATIO wall/target = {wall / 5.0:.2f}  (target ≤ 5 s for 10,000 pods; {wall / n * 1e3:.2f} ms per pod)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""KWOK's pod/general stage set matched against 10,000 varied pods: Python / Go.

Python: ``kwokbook.stage.Lifecycle(stages).match(StageEvent.of(pod), rng)`` per pod.
Go (same run, same pods): the oracle's ``bench-match`` op, i.e. KWOK v0.8.0's own
``lifecycle.NewLifecycle`` + ``Lifecycle.Match`` on a fresh ``lifecycle.Event`` per pod, the pod
decoded into a typed ``corev1.Pod`` first as KWOK's pod controller holds it (untimed).

Variants (best of ``--repeat`` passes over all pods, µs per pod):

``cold``       a new event per pod: each side converts the object for jq once (KWOK's controller path)
``raw-data``   Python only: the event hands jq the object as is (kwokbook.jq normalises lazily)
``proposed``   Python only: raw data plus a lean non-explaining match loop over
               ``jq.compile_requirements`` — a benchmark-local sketch of what lifecycle.py could do,
               checked to choose among exactly KWOK's stages
``warm``       events reused: the conversion is cached on both sides (KWOK's own BenchmarkStageCRs style)

Variants run interleaved, round after round, so machine noise hits them alike.

Both sides must choose among the same stages for every pod (checked with ListAllPossible).
Run: ``.venv/bin/python benchmarks/bench_match.py [--pods 10000] [--seed 1] [--repeat 5]``.
Target: Python/Go ≤ 0.5 (Python twice as fast as Go).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import ROOT, oracle_binary
from kwokbook import jq
from kwokbook.stage import CompiledStage, Lifecycle, StageEvent, load_stages

STAGES = ROOT / "kwokbook" / "data" / "stages" / "pod" / "general"
IMAGES = ["nginx:1.27", "busybox:1.36", "envoyproxy/envoy:v1.31", "redis:7", "postgres:16", "python:3.12-slim"]
APPS = ["web", "db", "cache", "worker", "api", "batch"]
NAMESPACES = ["default", "prod", "jobs", "monitoring"]


def _ts(rng: random.Random, base: int = 1714978800) -> str:
    t = base + rng.randrange(0, 86400)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _container(rng: random.Random, name: str) -> dict[str, Any]:
    c: dict[str, Any] = {
        "name": name,
        "image": rng.choice(IMAGES),
        "imagePullPolicy": "IfNotPresent",
        "resources": {"requests": {"cpu": f"{rng.choice([50, 100, 250, 500])}m",
                                   "memory": f"{rng.choice([64, 128, 256])}Mi"}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    if rng.random() < 0.6:
        c["ports"] = [{"containerPort": rng.choice([80, 443, 6379, 8080, 9090]), "protocol": "TCP"}]
    if rng.random() < 0.5:
        c["env"] = [{"name": "MODE", "value": rng.choice(["prod", "dev"])},
                    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                     "fieldPath": "metadata.name"}}}]
    return c


def make_pod(rng: random.Random, i: int) -> dict[str, Any]:
    """A pod in one of KWOK's lifecycle states, shaped like an API server's (no empty omitempty fields)."""
    app = rng.choice(APPS)
    ns = rng.choice(NAMESPACES)
    kind = rng.choices(
        ["fresh", "init-waiting", "init-running", "initialized", "running", "running-job", "terminating",
         "terminating-finalizer"],
        weights=[3, 1, 1, 2, 4, 2, 1, 1])[0]
    labels = {"app": app, "pod-template-hash": f"{rng.getrandbits(32):08x}",
              "app.kubernetes.io/name": app}
    if rng.random() < 0.3:
        labels["team"] = rng.choice(["a", "b", "c"])
    annotations: dict[str, str] = {"kubernetes.io/psp": "restricted"}
    if rng.random() < 0.2:
        annotations[f"pod-{rng.choice(['ready', 'create', 'complete', 'delete'])}.stage.kwok.x-k8s.io/delay"] = \
            rng.choice(["1s", "250ms", "2m"])
    if rng.random() < 0.2:
        annotations[f"pod-{rng.choice(['ready', 'create', 'init-container-running'])}.stage.kwok.x-k8s.io/weight"] \
            = rng.choice(["1", "5", "0"])
    meta: dict[str, Any] = {
        "name": f"{app}-{i:05d}", "namespace": ns, "uid": f"{rng.getrandbits(64):016x}-{i:05d}",
        "resourceVersion": str(1000 + i), "creationTimestamp": _ts(rng), "labels": labels,
        "annotations": annotations,
    }
    # A fresh pod whose init containers already wait matches pod-create and
    # pod-init-container-running at once: KWOK then weighs them (weightFrom annotations).
    fresh_init = kind == "fresh" and rng.random() < 0.3
    has_init = kind.startswith("init") or fresh_init or (kind in ("initialized", "running") and rng.random() < 0.3)
    spec: dict[str, Any] = {
        "containers": [_container(rng, f"c{k}") for k in range(rng.randint(1, 3))],
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default", "schedulerName": "default-scheduler",
        "tolerations": [{"key": "kwok.x-k8s.io/node", "operator": "Exists", "effect": "NoSchedule"}],
        "priority": 0,
    }
    if has_init:
        spec["initContainers"] = [_container(rng, f"init{k}") for k in range(rng.randint(1, 2))]
    status: dict[str, Any] = {"phase": "Pending", "qosClass": "Burstable"}
    if kind != "fresh":
        spec["nodeName"] = f"kwok-node-{rng.randrange(50)}"
        status["podIP"] = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        status["hostIP"] = f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        status["startTime"] = _ts(rng)
    if kind in ("init-waiting", "init-running") or fresh_init:
        state = {"waiting": {"reason": "PodInitializing"}} if kind != "init-running" else \
            {"running": {"startedAt": _ts(rng)}}
        status["conditions"] = [{"type": "Initialized", "status": "False", "reason": "ContainersNotInitialized"}]
        status["initContainerStatuses"] = [
            {"name": c["name"], "image": c["image"], "imageID": "", "ready": False, "restartCount": 0,
             "state": state} for c in spec["initContainers"]]
    if kind in ("initialized", "running", "running-job", "terminating", "terminating-finalizer"):
        ready = "True" if kind != "initialized" else "False"
        status["conditions"] = [
            {"type": "Initialized", "status": "True", "lastTransitionTime": _ts(rng)},
            {"type": "Ready", "status": ready, "lastTransitionTime": _ts(rng)},
            {"type": "ContainersReady", "status": ready, "lastTransitionTime": _ts(rng)},
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": _ts(rng)},
        ]
    if kind in ("running", "running-job", "terminating", "terminating-finalizer"):
        status["phase"] = "Running"
        status["containerStatuses"] = [
            {"name": c["name"], "image": c["image"], "imageID": f"docker://sha256:{rng.getrandbits(64):016x}",
             "ready": True, "restartCount": rng.choice([0, 0, 0, 1, 3]), "started": True,
             "state": {"running": {"startedAt": _ts(rng)}}} for c in spec["containers"]]
    if kind == "running-job":
        meta["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "Job", "name": f"job-{i}",
                                    "uid": f"{rng.getrandbits(64):016x}", "controller": True,
                                    "blockOwnerDeletion": True}]
        labels["job-name"] = f"job-{i}"
    elif kind != "fresh" and rng.random() < 0.7:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"{app}-rs",
                                    "uid": f"{rng.getrandbits(64):016x}", "controller": True,
                                    "blockOwnerDeletion": True}]
    if kind.startswith("terminating"):
        meta["deletionTimestamp"] = _ts(rng, 1715065200)
        meta["deletionGracePeriodSeconds"] = 30
        if kind == "terminating-finalizer":
            meta["finalizers"] = ["kwok.x-k8s.io/fake"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def make_pods(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_pod(rng, i) for i in range(n)]


class RawEvent(StageEvent):
    """What lifecycle.py could do: hand jq the object itself (kwokbook.jq normalises lazily)."""

    def jq_input(self) -> Any:
        return self.data


class LeanLifecycle:
    """Benchmark-local sketch of a fast path for ``Lifecycle.match`` (not kwokbook code).

    Same algorithm as KWOK's ``Lifecycle.Match``: stages in order, matchLabels, matchAnnotations,
    jq requirements (one compiled check per stage), CEL via the stage's own ``match``; then the
    weighted choice. No explanation objects are built.
    """

    def __init__(self, lc: Lifecycle) -> None:
        self.items: list[tuple[CompiledStage, Any, Any, Callable[[Any], bool], bool]] = []
        for st in lc.stages:
            if st.ensure_init() is not None:
                raise SystemExit(f"stage {st.name} does not initialise")
            sel = st.stage.selector
            assert sel is not None
            check = jq.compile_requirements(r for _, r in st.requirements)
            self.items.append((st, sel.match_labels, sel.match_annotations, check, bool(st.conditions)))

    def candidates(self, ev: StageEvent) -> list[CompiledStage]:
        out = []
        data = ev.data
        for st, ml, ma, check, has_cel in self.items:
            if ml is not None and not _labels_ok(ml, ev.labels):
                continue
            if ma is not None and not _labels_ok(ma, ev.annotations):
                continue
            if not check(data):
                continue
            if has_cel and not st.match(ev).matched:
                continue
            out.append(st)
        return out

    def possible(self, ev: StageEvent) -> list[CompiledStage]:
        cands = self.candidates(ev)
        if len(cands) <= 1:
            return cands
        ws = [st.weight(ev) for st in cands]
        if all(not ok for _, ok in ws):
            return cands
        total = sum(w for w, ok in ws if ok)
        if total == 0:
            return cands if all(ok for _, ok in ws) else [s for s, (_, ok) in zip(cands, ws) if ok]
        return [s for s, (w, ok) in zip(cands, ws) if ok and w > 0]

    def match(self, ev: StageEvent, rng: random.Random) -> CompiledStage | None:
        cands = self.candidates(ev)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        ws = [st.weight(ev) for st in cands]
        errors = sum(1 for _, ok in ws if not ok)
        total = sum(w for w, ok in ws if ok)
        if errors == len(cands):
            return cands[rng.randrange(len(cands))]
        if total == 0:
            oks = cands if errors == 0 else [s for s, (_, ok) in zip(cands, ws) if ok]
            return oks[rng.randrange(len(oks))]
        off = rng.randrange(total)
        for s, (w, ok) in zip(cands, ws):
            if ok and w > 0:
                off -= w
                if off < 0:
                    return s
        return cands[-1]


def _labels_ok(want: dict[str, str], have: dict[str, str] | None) -> bool:
    have = have or {}
    return all(k in have and have[k] == v for k, v in want.items())


def interleaved(repeat: int, fns: dict[str, Callable[[], None]], n: int) -> dict[str, float]:
    """Best µs per pod for each variant; every round runs every variant once."""
    best = {k: float("inf") for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], (time.perf_counter() - t0) / n * 1e6)
    return best


def go_bench(pods_file: Path, *, warm: bool, repeat: int) -> dict[str, Any]:
    req = {"id": 1, "op": "bench-match", "stages": str(STAGES), "pods": str(pods_file), "typed": True,
           "warm": warm, "repeat": repeat}
    out = subprocess.run([str(oracle_binary()), "run"], input=json.dumps(req) + "\n", capture_output=True,
                         text=True, check=True, cwd=ROOT, env={"TZ": "UTC", "PATH": "/usr/bin:/bin"})
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if "error" in res:
        raise SystemExit(f"oracle bench-match: {res['error']}")
    return res


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pods", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    pods = make_pods(args.pods, args.seed)
    stages = load_stages(STAGES).stages
    n = len(pods)

    with tempfile.TemporaryDirectory() as d:
        pods_file = Path(d) / "pods.json"
        pods_file.write_text(json.dumps(pods))
        go_cold = go_bench(pods_file, warm=False, repeat=args.repeat)
        go_warm = go_bench(pods_file, warm=True, repeat=args.repeat)

    # Agreement: both sides see the same possible stages for every pod.
    lc = Lifecycle(stages)
    lean = LeanLifecycle(lc)
    mismatches = lean_mismatches = 0
    for pod, want in zip(pods, go_cold["possible"]):
        got = sorted(s.name for s in lc.evaluate(StageEvent.of(pod)).possible)
        if got != want:
            mismatches += 1
        if sorted(s.name for s in lean.possible(RawEvent.of(pod))) != want:
            lean_mismatches += 1
    counts: dict[str, int] = {}
    for want in go_cold["possible"]:
        key = ",".join(want) or "(none)"
        counts[key] = counts.get(key, 0) + 1

    rng = random.Random(args.seed)

    def cold() -> None:
        for pod in pods:
            lc.match(StageEvent.of(pod), rng)

    def raw() -> None:
        for pod in pods:
            lc.match(RawEvent.of(pod), rng)

    def proposed() -> None:
        for pod in pods:
            lean.match(RawEvent.of(pod), rng)

    events = [StageEvent.of(p) for p in pods]
    for ev in events:
        lc.match(ev, rng)

    def warm() -> None:
        for ev in events:
            lc.match(ev, rng)

    best = interleaved(args.repeat, {"cold": cold, "raw-data": raw, "proposed": proposed, "warm": warm}, n)
    py_cold, py_raw, py_prop, py_warm = best["cold"], best["raw-data"], best["proposed"], best["warm"]
    go_c = go_cold["ns_per_object"] / 1000
    go_w = go_warm["ns_per_object"] / 1000

    print(f"pod/general ({len(stages)} stages) × {n} pods (seed {args.seed}), best of {args.repeat}")
    print(f"possible-stage sets: {json.dumps(dict(sorted(counts.items())))}")
    print(f"agreement with KWOK's ListAllPossible: {n - mismatches}/{n} pods "
          f"(proposed fast path: {n - lean_mismatches}/{n})")
    print(f"{'variant':<10} {'Python µs/pod':>14} {'Go µs/pod':>10} {'ratio':>7}")
    print(f"{'cold':<10} {py_cold:>14.2f} {go_c:>10.2f} {py_cold / go_c:>7.2f}")
    print(f"{'raw-data':<10} {py_raw:>14.2f} {go_c:>10.2f} {py_raw / go_c:>7.2f}")
    print(f"{'proposed':<10} {py_prop:>14.2f} {go_c:>10.2f} {py_prop / go_c:>7.2f}")
    print(f"{'warm':<10} {py_warm:>14.2f} {go_w:>10.2f} {py_warm / go_w:>7.2f}")
    print(f"{'warm+prop':<10} {py_prop:>14.2f} {go_w:>10.2f} {py_prop / go_w:>7.2f}   "
          "(proposed, fresh events, vs Go with cached conversions)")
    return 1 if mismatches or lean_mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())

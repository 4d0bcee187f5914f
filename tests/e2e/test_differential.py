"""Differential tests: every scenario of tests/scenarios.py on the simulator AND on real KWOK.

Per object, the sequence of distinct states (``Transition.state_key``: phase, conditions,
container states, restartCount, deleting, deleted; repeats collapsed) must be identical on both
backends, and every stage-driven step must take as long as the stage's delay allows — exactly on
the simulator, within a small slack for watch latency on the real cluster. Weighted competing
stages are compared as distributions (chi-square). See docs/dev/sim-differential-report.md.

``KWOKBOOK_DIFF_TIMINGS=path.json`` writes every measured step (both backends) to that file.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from kwokbook.sim import Simulator
from kwokbook.sim.objects import pod as pod_doc
from tests import scenarios as S

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(240)]

SEED = 20240101
# Real-cluster slack on the delay bounds: the gap is measured between two watch observations, each
# a few ms after the write; the upper side also absorbs KWOK's queue and the API round trip.
REAL_SLACK_LO = 0.05
REAL_SLACK_HI = 0.35

TIMINGS: list[dict[str, Any]] = []


Case = S.Case
CASES = S.CASES


def _prefix() -> str:
    return f"d{uuid.uuid4().hex[:6]}-"


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    path = os.environ.get("KWOKBOOK_DIFF_TIMINGS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(TIMINGS, f, indent=1)


@pytest.fixture(scope="module")
def fast_snapshot(kc: Any) -> Iterator[list[dict[str, Any]]]:
    """The live stages before this module (the fast set up.sh applied); put back at the end.

    Also waits until KWOK really handles nodes and pods: in CRD mode it starts its Node and Pod
    controllers only once its Stage informer has synced — measured ~5 s after ``up.sh`` returned
    on a fresh cluster — and a scenario started before that sees its first step arrive late."""
    from kwokbook.cluster import restore_stages, snapshot_stages

    snap = snapshot_stages(kc)
    warm_up(kc)
    yield snap
    restore_stages(kc, snap)


def warm_up(kc: Any, timeout: float = 60) -> None:
    """A throwaway node and pod, until KWOK has made the pod Running."""
    p = f"warm{uuid.uuid4().hex[:5]}-"
    node = S.add_node(kc, p)
    kc.create(pod_doc(f"{p}pod", node=node))
    S.wait_for(kc, lambda: S.pod_phase(kc, f"{p}pod") == "Running", timeout, "KWOK to run a warm-up pod")
    S.cleanup(kc, pods=[f"{p}pod"], nodes=[node])


def use_stage_set(kc: Any, name: str, snapshot: list[dict[str, Any]]) -> None:
    """Make the live set ``name``: the fast one is the snapshot; general replaces the pod stages."""
    from kwokbook.cluster import restore_stages

    restore_stages(kc, snapshot)
    if name == "general":
        for doc in S.stage_set_docs("general"):
            kc.apply_stage(doc)
    S.settle_stages(kc)


def _check_gaps(rec: S.Recorder, case: Case, backend: str, slack_lo: float, slack_hi: float) -> list[str]:
    bad = []
    for g in rec.gaps(case.bounds):
        TIMINGS.append({"case": case.id, "backend": backend, "object": g.obj, "step": g.index,
                        "seconds": g.seconds, "lo": None if g.bound is None else g.bound.lo,
                        "hi": None if g.bound is None else g.bound.hi})
        if not g.ok(slack_lo, slack_hi):
            assert g.bound is not None
            bad.append(f"{backend} {g.obj} step {g.index}: {g.seconds:.3f}s not in "
                       f"[{g.bound.lo}, {g.bound.hi}] (since {g.bound.since})")
    return bad


def _fmt(seqs: Mapping[str, list[tuple[Any, ...]]], key: str) -> str:
    return "\n".join(f"      {s}" for s in seqs.get(key, [])) or "      (no events)"


def diff_sequences(real: Mapping[str, list[tuple[Any, ...]]], sim: Mapping[str, list[tuple[Any, ...]]]) -> str:
    """A readable account of every object whose state sequence differs ('' when identical)."""
    out = []
    for key in sorted(set(real) | set(sim)):
        if real.get(key) != sim.get(key):
            out.append(f"  {key}\n    real:\n{_fmt(real, key)}\n    sim:\n{_fmt(sim, key)}")
    return "\n".join(out)


def _flat(v: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(v, dict):
        for k, x in v.items():
            yield from _flat(x, f"{path}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from _flat(x, f"{path}[{i}]")
    else:
        yield path, v


def diff_objects(real: Mapping[str, list[Any]], sim: Mapping[str, list[Any]]) -> list[str]:
    """Field by field, the settled object of every state (volatile fields masked)."""
    out = []
    for key in sorted(set(real) | set(sim)):
        for i, (a, b) in enumerate(zip(real.get(key, []), sim.get(key, []), strict=False)):
            fa, fb = dict(_flat(a)), dict(_flat(b))
            for path in sorted(set(fa) | set(fb)):
                if fa.get(path, "<absent>") != fb.get(path, "<absent>"):
                    out.append(f"  {key} state {i} {path}: real={fa.get(path, '<absent>')!r} "
                               f"sim={fb.get(path, '<absent>')!r}")
    return out


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.timeout(c.real_seconds)) for c in CASES],
                         ids=[c.id for c in CASES])
def test_same_state_sequences_and_delays(kc: Any, fast_snapshot: list[dict[str, Any]], case: Case) -> None:
    if case.alone:
        others = sorted(str(n["metadata"]["name"]) for n in kc.list("nodes").items)
        assert not others, (f"{case.id} needs the cluster without other nodes (any Ready node makes "
                            f"kube-controller-manager taint NoExecute); found {others}")
    use_stage_set(kc, case.stages, fast_snapshot)
    try:
        real = S.run_recorded(kc, case.fn, _prefix())
    finally:
        if case.stages != "fast":
            use_stage_set(kc, "fast", fast_snapshot)
    options = case.sim_options(real) if case.sim_options is not None else {}
    sim_backend = Simulator(case.stages, seed=SEED, **options)
    sim = S.run_recorded(sim_backend, case.fn, _prefix())
    assert not sim_backend.kwok.errors or all("not found" in e for e in sim_backend.kwok.errors), \
        sim_backend.kwok.errors
    r, s = real.sequences(strip=True), sim.sequences(strip=True)
    assert set(case.bounds) <= set(r), f"objects not seen on the real cluster: {set(case.bounds) - set(r)}"
    diff = diff_sequences(r, s)
    assert not diff, f"state sequences differ ({case.id}):\n{diff}"
    fields = diff_objects(real.settled_objects(), sim.settled_objects())
    assert not fields, f"objects differ beyond their states ({case.id}):\n" + "\n".join(fields)
    bad = _check_gaps(sim, case, "sim", 0.0, 0.0) + _check_gaps(real, case, "real", REAL_SLACK_LO, REAL_SLACK_HI)
    if case.timing is not None:
        bad += [f"sim: {m}" for m in case.timing(sim, 0.0, 0.0)]
        bad += [f"real: {m}" for m in case.timing(real, REAL_SLACK_LO, REAL_SLACK_HI)]
    assert not bad, "\n".join(bad)


def chi2_sf_1(x: float) -> float:
    """P(X > x) for a chi-square variable with one degree of freedom."""
    return math.erfc(math.sqrt(max(x, 0.0) / 2))


def chi2_fit(counts: Mapping[str, int], weights: Mapping[str, int]) -> float:
    """p-value of counts against the expected shares (two outcomes: one degree of freedom)."""
    n = sum(counts.values())
    total = sum(weights.values())
    x = sum((counts[k] - n * w / total) ** 2 / (n * w / total) for k, w in weights.items())
    return chi2_sf_1(x)


def chi2_same(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """p-value that two 2-outcome samples come from the same distribution (2×2 homogeneity)."""
    keys = sorted(a)
    na, nb = sum(a.values()), sum(b.values())
    x = 0.0
    for k in keys:
        col = a[k] + b[k]
        for obs, n in ((a[k], na), (b[k], nb)):
            exp = n * col / (na + nb)
            x += (obs - exp) ** 2 / exp
    return chi2_sf_1(x)


def test_weighted_competing_stages_same_distribution(kc: Any, fast_snapshot: list[dict[str, Any]]) -> None:
    """Weights 1:3 over 200 pods on each backend: both fit 1:3 and fit each other (p > 0.001).

    With N = 200 the test fails for a true 1:3 split once in 1000 runs per check; a simulator
    that ignored weights (1:1) fails it with probability > 0.999 (expected χ² ≈ 67)."""
    use_stage_set(kc, "fast", fast_snapshot)
    real = S.run_recorded(kc, S.weighted_competing, _prefix())
    sim = S.run_recorded(Simulator("fast", seed=SEED), S.weighted_competing, _prefix())
    by_phase = {"Failed": S.WEIGHTS["a"], "Succeeded": S.WEIGHTS["b"]}
    rc, sc = real.result, sim.result
    TIMINGS.append({"case": "weighted", "backend": "real", "counts": rc})
    TIMINGS.append({"case": "weighted", "backend": "sim", "counts": sc})
    assert sum(rc.values()) == sum(sc.values()) == S.WEIGHTED_PODS
    for name, counts in (("real", rc), ("sim", sc)):
        p = chi2_fit(counts, by_phase)
        assert p > 0.001, f"{name}: {counts} does not fit 1:3 (p={p:.2g})"
    p_same = chi2_same(rc, sc)
    assert p_same > 0.001, f"real {rc} vs sim {sc}: different distributions (p={p_same:.2g})"
    # and every pod took one of the same two paths on both backends
    rs = {tuple(v) for k, v in real.sequences(strip=True).items() if k.startswith("Pod/")}
    ss = {tuple(v) for k, v in sim.sequences(strip=True).items() if k.startswith("Pod/")}
    assert rs == ss and len(rs) == 2, (rs ^ ss)


def test_chi2_helpers_reject_a_wrong_split() -> None:
    """The statistics themselves: a 1:1 split of 200 does not fit 1:3; 50:150 does."""
    assert chi2_fit({"Failed": 100, "Succeeded": 100}, {"Failed": 1, "Succeeded": 3}) < 1e-9
    assert chi2_fit({"Failed": 50, "Succeeded": 150}, {"Failed": 1, "Succeeded": 3}) == pytest.approx(1.0)
    assert chi2_same({"Failed": 50, "Succeeded": 150}, {"Failed": 100, "Succeeded": 100}) < 1e-6
    assert abs(chi2_sf_1(3.841) - 0.05) < 1e-3  # the textbook 95 % point


def test_node_lease_same_object(kc: Any, fast_snapshot: list[dict[str, Any]]) -> None:
    """KWOK's Lease for a new node, field by field (holder identity, times and ids masked)."""
    from kwokbook.backend import LEASES, NODES

    leases = []
    for backend in (kc, Simulator("fast", seed=SEED)):
        p = _prefix()
        node = S.add_node(backend, p)
        S.wait_for(backend, lambda b=backend, n=node: b.get(LEASES, n, namespace="kube-node-lease") is not None,
                   30, "the node's Lease")
        lease = backend.get(LEASES, node, namespace="kube-node-lease")
        uid = (backend.get(NODES, node) or {})["metadata"]["uid"]
        assert lease["metadata"]["ownerReferences"][0]["uid"] == uid
        lease["spec"]["holderIdentity"] = "<kwok's id>"
        leases.append(S.mask(lease, p))
        S.cleanup(backend, nodes=[node])
        S.wait_for(backend, lambda b=backend, n=node: b.get(LEASES, n, namespace="kube-node-lease") is None,
                   30, "the Lease deleted with its node (garbage collector)")
    real, sim = leases
    assert dict(_flat(real)) == dict(_flat(sim)), (real, sim)

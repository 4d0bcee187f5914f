"""Shared helpers for benchmarks: timing loops and the Go oracle binary (built if needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORACLE = ROOT / "tools" / "oracle" / "bin" / "oracle"


def oracle_binary() -> Path:
    """The oracle, built with ``make oracle`` when missing (benchmarks compare with Go in the same run)."""
    if not ORACLE.exists():
        if shutil.which("go") is None:
            raise SystemExit("benchmarks need Go to build tools/oracle (the Go side of every ratio)")
        subprocess.run(["make", "--no-print-directory", "oracle"], cwd=ROOT, check=True)
    return ORACLE


def run_oracle(*args: str) -> dict[str, object]:
    out = subprocess.run([str(oracle_binary()), *args], cwd=ROOT, check=True, capture_output=True, text=True,
                         env={"TZ": "UTC", "PATH": "/usr/bin:/bin"})
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def time_per_call(fn: Callable[[], object], *, min_time: float = 1.0, repeat: int = 5) -> float:
    """Best-of-``repeat`` mean seconds per call, each batch running at least ``min_time`` / repeat."""
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / repeat:
            break
        n *= 2
    best = dt / n
    for _ in range(repeat - 1):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best

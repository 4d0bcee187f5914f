"""Clocks for the simulator: virtual (advanced by the scheduler) or real (wall time)."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol

DEFAULT_EPOCH_NS = 1_704_067_200 * 1_000_000_000  # 2024-01-01T00:00:00Z


class Clock(Protocol):
    def now_ns(self) -> int: ...


class VirtualClock:
    """Time that moves only when told to: scenarios with 10-minute heartbeats run in milliseconds."""

    def __init__(self, start_ns: int = DEFAULT_EPOCH_NS) -> None:
        self._now = start_ns
        self.start_ns = start_ns

    def now_ns(self) -> int:
        return self._now

    def advance_to(self, t_ns: int) -> None:
        self._now = max(self._now, t_ns)

    def elapsed_s(self) -> float:
        return (self._now - self.start_ns) / 1e9


class RealClock:
    """Wall time, for live widgets driving the simulator in real time."""

    def __init__(self) -> None:
        self.start_ns = time.time_ns()

    def now_ns(self) -> int:
        return time.time_ns()


def rfc3339(ns: int, *, nanos: bool = False) -> str:
    """Kubernetes' timestamp form (seconds; with ``nanos`` Go's RFC3339Nano, trailing zeros trimmed)."""
    secs, frac = divmod(ns, 1_000_000_000)
    base = datetime.fromtimestamp(secs, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if nanos and frac:
        base += "." + f"{frac:09d}".rstrip("0")
    return base + "Z"


def micro_time(ns: int) -> str:
    """``metav1.MicroTime`` (Leases): RFC 3339 with exactly six fractional digits, UTC."""
    return rfc3339(ns)[:-1] + f".{(ns % 1_000_000_000) // 1000:06d}Z"


def parse_rfc3339(text: str) -> int:
    """Unix nanoseconds of a Kubernetes timestamp (``2024-01-01T00:00:30Z``, fraction optional)."""
    base, _, frac = text.rstrip("Z").partition(".")
    secs = int(datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp())
    return secs * 1_000_000_000 + (int(frac.ljust(9, "0")[:9]) if frac else 0)

"""What a render may read from the outside world, injected so previews are reproducible.

KWOK's controller reads the wall clock (``Now``, sprig ``now``/``date``…), randomness (``randAlpha``,
``uuidv4``…), its process environment (``env``) and DNS (``getHostByName``). A notebook must not
leak its own environment into a preview, so by default those render as controller-side
placeholders; callers opt in by passing ``environ``/``hosts``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo

FIXED_EPOCH = datetime(2024, 1, 1, 0, 0, 0, tzinfo=timezone.utc)


def fixed_clock(at: datetime = FIXED_EPOCH) -> Callable[[], datetime]:
    """A clock that always answers ``at`` (timezone-aware)."""
    return lambda: at


@dataclass
class Env:
    """Clock, randomness, time zone, process environment and DNS for one render.

    ``clock`` returns an aware ``datetime`` (nanoseconds beyond microseconds come from
    ``clock_ns`` when set). ``environ``/``hosts`` of ``None`` mean "unknown here": ``env`` and
    friends render a placeholder such as ``<env HOME: controller-side>``.
    """

    clock: Callable[[], datetime] = field(default_factory=fixed_clock)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    local_tz: tzinfo = timezone.utc
    environ: Mapping[str, str] | None = None
    hosts: Mapping[str, Sequence[str]] | None = None
    start_time: datetime | None = None  # KWOK's StartTime; defaults to the first clock reading
    clock_ns: Callable[[], int] | None = None  # optional: unix nanoseconds, for sub-microsecond Now
    monotonic: bool = False  # time.Now() values carry a monotonic reading (prints " m=+…"), as live Go does

    @classmethod
    def at(cls, when: str | datetime, **kwargs: object) -> Env:
        """An Env whose clock is pinned at ``when`` (an RFC 3339 string keeps nanoseconds)."""
        if isinstance(when, datetime):
            t = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
            return cls(clock=fixed_clock(t), **kwargs)  # type: ignore[arg-type]
        ns = parse_rfc3339_ns(when)
        t = datetime.fromtimestamp(ns // 1_000_000_000, tz=timezone.utc).replace(
            microsecond=(ns % 1_000_000_000) // 1000)
        return cls(clock=fixed_clock(t), clock_ns=lambda: ns, **kwargs)  # type: ignore[arg-type]

    def now_ns(self) -> int:
        """Current time as Unix nanoseconds."""
        if self.clock_ns is not None:
            return self.clock_ns()
        t = self.clock()
        return _datetime_to_ns(t)

    def start_ns(self) -> int:
        if self.start_time is None:
            self.start_time = self.clock()
        return _datetime_to_ns(self.start_time)


def _datetime_to_ns(t: datetime) -> int:
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    delta = t - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)")


def parse_rfc3339_ns(s: str) -> int:
    """Unix nanoseconds of an RFC 3339 timestamp (fraction up to nanoseconds kept exactly)."""
    from ..errors import KwokbookError

    m = _RFC3339.fullmatch(s.strip())
    if not m:
        raise KwokbookError(f"not an RFC 3339 timestamp: {s!r}", hint="write e.g. 2024-05-06T07:08:09Z")
    base = datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3)))
    frac = int((m.group(2) or "0").ljust(9, "0"))
    return _datetime_to_ns(base) + frac


def placeholder(kind: str, arg: str | None = None) -> str:
    """The text a non-hermetic function renders when the caller did not opt in."""
    return f"<{kind} {arg}: controller-side>" if arg is not None else f"<{kind}: controller-side>"

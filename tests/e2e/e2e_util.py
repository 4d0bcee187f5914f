"""Helpers for the end-to-end tests against a real KWOK cluster (no fixtures here: see conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
RESTART_STAGE = HERE / "stages" / "pod-restart.yaml"
T = TypeVar("T")


def wait_for(fn: Callable[[], T], timeout: float, what: str, *, poll: float = 0.05) -> T:
    """Poll ``fn`` until it returns something truthy; fail the test with ``what`` after ``timeout`` s."""
    end = time.monotonic() + timeout
    last: Any = None
    while True:
        last = fn()
        if last:
            return last
        if time.monotonic() >= end:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")
        time.sleep(poll)


def phase(obj: Mapping[str, Any] | None) -> str | None:
    return ((obj or {}).get("status") or {}).get("phase")


def condition(obj: Mapping[str, Any] | None, typ: str) -> dict[str, Any] | None:
    for c in ((obj or {}).get("status") or {}).get("conditions") or []:
        if c.get("type") == typ:
            return dict(c)
    return None


def is_ready(obj: Mapping[str, Any] | None) -> bool:
    c = condition(obj, "Ready")
    return bool(c and c.get("status") == "True")


def running_and_ready(obj: Mapping[str, Any] | None) -> bool:
    return phase(obj) == "Running" and is_ready(obj)

"""Shared helpers to replay oracle-recorded fixtures (``tests/fixtures/recorded/*.json``)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).parent / "fixtures" / "recorded"


def load_cases(op: str) -> list[tuple[str, dict[str, Any]]]:
    """Every recorded case whose request has ``op``, as (``suite::id``, case) pairs."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(RECORDED.glob("*.json")):
        doc = json.loads(path.read_text())
        for case in doc["cases"]:
            if case["request"].get("op") == op:
                out.append((f"{doc['suite']}::{case['id']}", case))
    return out


def parse_rfc3339_ns(s: str) -> int:
    """Unix nanoseconds of an RFC3339(Nano) timestamp, without losing sub-microsecond digits."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)", s)
    if not m:
        raise ValueError(f"not RFC3339: {s}")
    base = datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3)))
    frac = int((m.group(2) or "0").ljust(9, "0"))
    secs = int((base - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds())
    return secs * 1_000_000_000 + frac


def strip_pool_garbage(err: str) -> str:
    """KWOK appends its pooled buffer to parse errors (4096 NULs when fresh); compare without it."""
    if err.startswith("build template: "):
        for marker in (": \x00", ": <KWOK pooled buffer:"):
            idx = err.find(marker)
            if idx >= 0:
                return err[:idx]
        if err.endswith(": "):
            return err[:-2]
    return err

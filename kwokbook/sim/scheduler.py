"""A deterministic event queue: (due time, priority, sequence) → callback."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(order=True)
class Task:
    due_ns: int
    priority: int
    seq: int
    fn: Callable[[], Any] = field(compare=False)
    label: str = field(default="", compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """Ties break by priority then insertion order, so a seeded scenario replays identically."""

    def __init__(self) -> None:
        self._heap: list[Task] = []
        self._seq = 0

    def __len__(self) -> int:
        return sum(1 for t in self._heap if not t.cancelled)

    def schedule(self, due_ns: int, fn: Callable[[], Any], *, priority: int = 0, label: str = "") -> Task:
        self._seq += 1
        t = Task(due_ns, priority, self._seq, fn, label)
        heapq.heappush(self._heap, t)
        return t

    def peek_due(self) -> int | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due_ns if self._heap else None

    def pop_due(self, now_ns: int) -> Task | None:
        """The next task due at or before ``now_ns`` (cancelled ones skipped)."""
        while self._heap:
            t = self._heap[0]
            if t.cancelled:
                heapq.heappop(self._heap)
                continue
            if t.due_ns > now_ns:
                return None
            return heapq.heappop(self._heap)
        return None

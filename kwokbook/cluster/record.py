"""Record pod/node transitions from watches into the timeline format (:mod:`kwokbook.timeline`).

One watch per resource, each in its own thread (list-then-watch, resuming after connection
loss, re-listing after 410 Gone). Every event becomes one timeline line as it arrives —
``RESYNC`` lines included, so a reader knows where the recording may have missed intermediate
states (the objects' states after a RESYNC are the re-listed ones, so final states stay right).
Works on the simulator too (its store's listeners, driven by ``run_for``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from ..backend import DELETED, NODES, PODS, RESYNC, Cluster, Resource, WatchEvent, resource_for
from ..timeline import Transition, transition_from_event


@dataclass
class RecordSummary:
    seconds: float
    transitions: int
    by_kind: dict[str, int] = field(default_factory=dict)
    resyncs: int = 0
    reconnects: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        kinds = ", ".join(f"{k}={v}" for k, v in sorted(self.by_kind.items())) or "none"
        text = (f"recorded {self.transitions} transition(s) in {self.seconds:.1f}s ({kinds}); "
                f"{self.resyncs} resync(s), {self.reconnects} reconnect(s)")
        if self.errors:
            text += f"; last watch error: {self.errors[-1]}"
        return text


class Recorder:
    """Record watches of ``resources`` (default pods and nodes) until :meth:`stop`.

    ``out`` (a text stream) receives one JSON line per transition as it happens; ``on_event`` is
    called for each event too. ``transitions`` and ``final_states()`` are kept in memory.
    """

    def __init__(self, cluster: Cluster, out: IO[str] | None = None, *,
                 resources: Sequence[str | Resource] = (PODS, NODES), namespace: str | None = None,
                 label_selector: str | None = None, start_ns: int | None = None,
                 on_event: Callable[[WatchEvent, Transition], None] | None = None,
                 retry_delay: float = 0.25, max_retry_delay: float = 2.0) -> None:
        self.cluster = cluster
        self.out = out
        self.resources = [resource_for(r) for r in resources]
        self.namespace = namespace
        self.label_selector = label_selector
        self.start_ns = start_ns if start_ns is not None else cluster.now_ns()
        self.on_event = on_event
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.transitions: list[Transition] = []
        self.events: list[WatchEvent] = []
        self._last: dict[tuple[str, str, str], dict[str, Any] | None] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._watches: list[Any] = []
        self._unsubs: list[Callable[[], None]] = []
        self.errors: list[str] = []
        self._t0 = time.monotonic()
        self._sim = hasattr(cluster, "store") and hasattr(cluster, "run_for")

    # -- events -----------------------------------------------------------------------------

    def _emit(self, ev: WatchEvent) -> None:
        tr = transition_from_event(ev, self.start_ns)
        with self._lock:
            self.events.append(ev)
            self.transitions.append(tr)
            if ev.type != RESYNC:
                k = (tr.kind, tr.namespace, tr.name)
                self._last[k] = None if ev.type == DELETED else ev.object
            if self.out is not None:
                self.out.write(tr.to_json() + "\n")
                self.out.flush()
        if self.on_event is not None:
            self.on_event(ev, tr)

    # -- running ----------------------------------------------------------------------------

    def start(self) -> Recorder:
        """Start watching; returns once every resource's initial list has been recorded."""
        self._t0 = time.monotonic()
        if self._sim:
            for r in self.resources:
                for obj in self.cluster.list(r, namespace=self.namespace, label_selector=self.label_selector).items:
                    self._emit(WatchEvent("ADDED", obj, r, self.cluster.now_ns(),
                                          str(obj["metadata"].get("resourceVersion", ""))))
                store = self.cluster.store  # type: ignore[attr-defined]
                self._unsubs.append(store.watch(r, self._emit, self.namespace))
            return self
        for r in self.resources:
            w = self.cluster.watch(r, namespace=self.namespace, label_selector=self.label_selector,  # type: ignore[call-arg]
                                   retry_delay=self.retry_delay, max_retry_delay=self.max_retry_delay,
                                   on_error=lambda e: self.errors.append(f"{type(e).__name__}: {e}"))
            self._watches.append(w)
            t = threading.Thread(target=self._pump, args=(w, r), daemon=True, name=f"kwokbook-record-{r.plural}")
            self._threads.append(t)
            t.start()
        deadline = time.monotonic() + 30
        for w, t in zip(self._watches, self._threads):
            while time.monotonic() < deadline and t.is_alive() and not w.listed.wait(0.05):
                pass
        return self

    def _pump(self, w: Any, r: Resource) -> None:
        try:
            for ev in w:
                self._emit(ev)
        except Exception as e:
            self.errors.append(f"{r}: {type(e).__name__}: {e}")

    def run_for(self, seconds: float, *, stop_event: threading.Event | None = None) -> RecordSummary:
        """Record for ``seconds`` (virtual seconds on the simulator), then stop."""
        if not self._threads and not self._unsubs:
            self.start()
        if self._sim:
            self.cluster.run_for(seconds)  # type: ignore[attr-defined]
        else:
            end = time.monotonic() + seconds
            ev = stop_event or threading.Event()
            while not ev.is_set():
                left = end - time.monotonic()
                if left <= 0:
                    break
                ev.wait(min(left, 0.2))
        return self.stop()

    def stop(self) -> RecordSummary:
        for u in self._unsubs:
            u()
        self._unsubs.clear()
        for w in self._watches:
            w.stop()
        for t in self._threads:
            t.join(10)
        return self.summary()

    def summary(self) -> RecordSummary:
        with self._lock:
            by_kind: dict[str, int] = {}
            for tr in self.transitions:
                if tr.event != RESYNC:
                    by_kind[tr.kind] = by_kind.get(tr.kind, 0) + 1
            resyncs = sum(1 for tr in self.transitions if tr.event == RESYNC)
        return RecordSummary(time.monotonic() - self._t0, len(self.transitions), by_kind, resyncs,
                             sum(getattr(w, "reconnects", 0) for w in self._watches), list(self.errors))

    def final_states(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        """(kind, namespace, name) → the last recorded object, for objects not deleted."""
        with self._lock:
            return {k: v for k, v in self._last.items() if v is not None}

    def __enter__(self) -> Recorder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def record(cluster: Cluster, seconds: float, out: IO[str] | None = None, **kw: Any) -> tuple[Recorder, RecordSummary]:
    """Record ``seconds`` of pod/node transitions (see :class:`Recorder` for the options)."""
    rec = Recorder(cluster, out, **kw)
    summary = rec.run_for(seconds)
    return rec, summary


__all__ = ["NODES", "PODS", "RecordSummary", "Recorder", "record"]

"""Fire stages now: set or remove a label/annotation on objects, and time the effect.

Works on any :class:`~kwokbook.backend.Cluster` (a real KWOK cluster or the simulator). Targets
are one object, a list of names, every object matching a label selector, and/or every object for
which a jq expression gives a truthy value. For each object it records when the API server
accepted the patch (its answer, or the patch's own watch event if that was seen first) and when
the first *transition caused by it* was observed: the first change of that object on the watch
after the patch's own change (watch events of one resource arrive in resourceVersion order, so
"after" needs no clock and no guess).

Patches are the seed's ``kubectl patch --type=json`` form (``style="json"``, keys escaped per
RFC 6901, so ``a/b`` is ``a~1b``) or a merge patch (``style="merge"``).

Safety (:mod:`kwokbook.cluster.safety`): a cluster that does not look like KWOK is refused, and
by default only pods on KWOK-managed nodes (and only KWOK nodes) are touched; ``force=True``
overrides both, ``skip_unmanaged=True`` patches only the managed ones. Refusals say why and how.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .backend import (
    DELETED,
    MODIFIED,
    PODS,
    RESYNC,
    Cluster,
    Resource,
    TriggerOutcome,
    WatchEvent,
    label_patch,
    resource_for,
)
from .cluster.safety import (
    NotKwokManagedError,
    kwok_managed_nodes,
    refuse_unmanaged,
    require_kwok,
    unmanaged_targets,
)
from .errors import ClusterError, SimulatorError, UsageError


@dataclass
class TriggerResult:
    """Every object touched, with its timings; ``latencies_ms`` for the ones that reacted."""

    key: str
    value: str | None
    outcomes: list[TriggerOutcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (object, reason)

    @property
    def latencies_ms(self) -> list[float]:
        return [o.latency_ns / 1e6 for o in self.outcomes if o.latency_ns is not None]

    @property
    def errors(self) -> list[TriggerOutcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def waiting(self) -> list[TriggerOutcome]:
        """Patched, but no transition seen within the wait."""
        return [o for o in self.outcomes if o.changed and not o.error and o.first_transition_ns is None]

    def summary(self) -> dict[str, float]:
        return summarize(self.latencies_ms)

    def __str__(self) -> str:
        what = f"{self.key}={self.value}" if self.value is not None else f"{self.key}-"
        lines = [f"{what}: {len(self.outcomes)} object(s), {len(self.skipped)} skipped"]
        for o in self.outcomes:
            who = f"{o.namespace}/{o.name}" if o.namespace else o.name
            if o.error:
                state = f"error: {o.error}"
            elif not o.changed:
                state = "unchanged (already so)"
            elif o.latency_ns is None:
                state = "patched; no transition seen"
            else:
                state = f"patch → first transition {o.latency_ns / 1e6:.1f} ms"
            lines.append(f"  {who:<40} {state}")
        for who, why in self.skipped:
            lines.append(f"  {who:<40} skipped: {why}")
        s = self.summary()
        if s:
            lines.append(f"latency ms: p50 {s['p50']:.1f}, p95 {s['p95']:.1f}, max {s['max']:.1f} (n={int(s['n'])})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(o.namespace + '/' if o.namespace else '')}{html.escape(o.name)}</td>"
            f"<td>{'' if o.latency_ns is None else f'{o.latency_ns / 1e6:.1f} ms'}</td>"
            f"<td>{html.escape(o.error or ('' if o.changed else 'unchanged'))}</td></tr>" for o in self.outcomes)
        skipped = "".join(f"<tr><td>{html.escape(k)}</td><td></td><td>skipped: {html.escape(w)}</td></tr>"
                          for k, w in self.skipped)
        return (f"<b>{html.escape(self.key)}={html.escape(str(self.value))}</b>: {len(self.outcomes)} object(s)"
                f"<table><tr><th>object</th><th>patch → first transition</th><th>note</th></tr>{rows}{skipped}"
                "</table>")


def select_objects(cluster: Cluster, resource: str | Resource, *, names: Sequence[str] = (),
                   namespace: str | None = None, label_selector: str | None = None,
                   jq: str | None = None) -> list[dict[str, Any]]:
    """Objects by name, label selector and/or a jq expression (kept when it yields any truthy value)."""
    r = resource_for(resource)
    if names:
        items = []
        for n in names:
            obj = cluster.get(r, n, namespace=namespace)
            if obj is None:
                where = f"{namespace or 'default'}/" if r.namespaced else ""
                raise UsageError(f"{r.kind} {where}{n} not found")
            items.append(obj)
        if label_selector:
            raise UsageError("select by names or by a label selector, not both")
    else:
        items = cluster.list(r, namespace=namespace, label_selector=label_selector).items
    if jq:
        from .jq import compile as jq_compile
        from .jq import to_jq_input

        q = jq_compile(jq)
        items = [o for o in items if any(v not in (False, None) for v in (q.execute(to_jq_input(o)) or []))]
    return items


def trigger(cluster: Cluster, key: str, value: str | None = "true", *, resource: str | Resource = PODS,
            names: str | Sequence[str] = (), namespace: str | None = None, label_selector: str | None = None,
            jq: str | None = None, annotation: bool = False, style: str = "json", force: bool = False,
            skip_unmanaged: bool = False, wait: float = 10.0,
            progress: Callable[[str], None] | None = None) -> TriggerResult:
    """Set (or with ``value=None`` remove) a label/annotation on the targets; time the first transition.

    Say which objects with ``names`` (one name or several), ``label_selector``, ``jq`` (any
    combination; names first, then filtered). Waits up to ``wait`` seconds for every patched
    object to change again (``wait=0``: do not wait).
    """
    if not key:
        raise UsageError("trigger: the label/annotation key is empty")
    if style not in ("json", "merge"):
        raise UsageError(f"unknown patch style {style!r}", hint="json (kubectl patch --type=json) or merge")
    names = [names] if isinstance(names, str) else list(names)
    if not names and label_selector is None and jq is None:
        raise UsageError("trigger: say which objects (names, label_selector or jq)",
                         hint="for every object of the namespace pass label_selector=''")
    what = "annotation" if annotation else "label"
    require_kwok(cluster, force=force, action=f"set a {what} on")
    r = resource_for(resource)
    objs = select_objects(cluster, r, names=names, namespace=namespace, label_selector=label_selector or None, jq=jq)
    result = TriggerResult(key, value)
    if not force and r.kind in ("Pod", "Node"):
        managed = kwok_managed_nodes(cluster) if r.kind == "Pod" else set()
        bad = unmanaged_targets(objs, r.kind, managed)
        if bad and not skip_unmanaged:
            raise refuse_unmanaged(bad, r.kind, action=f"set {what} {key} on")
        bad_keys = {k for k, _ in bad}
        result.skipped.extend(bad)
        objs = [o for o in objs if _key(o) not in bad_keys]
    watcher = _TransitionWatcher(cluster, r)
    for o in objs:
        meta = o.get("metadata") or {}
        watcher.expect(str(meta.get("namespace") or ""), str(meta.get("name")))
    watcher.start()
    try:
        for o in objs:
            outcome = _patch_one(cluster, r, o, key, value, annotation, style)
            if outcome.changed and outcome.accepted_ns is not None:
                watcher.accepted(outcome)
            result.outcomes.append(outcome)
            if progress:
                progress(f"{'patched' if outcome.changed else 'unchanged'} {_key(o)}"
                         + (f": {outcome.error}" if outcome.error else ""))
        if wait > 0:
            watcher.wait_all(wait)
    finally:
        watcher.stop()
    return result


def _key(o: Mapping[str, Any]) -> str:
    meta = o.get("metadata") or {}
    return f"{meta.get('namespace')}/{meta.get('name')}" if meta.get("namespace") else str(meta.get("name"))


def _patch_one(cluster: Cluster, r: Resource, obj: Mapping[str, Any], key: str, value: str | None,
               annotation: bool, style: str, attempts: int = 3) -> TriggerOutcome:
    meta = obj.get("metadata") or {}
    ns, name = str(meta.get("namespace") or ""), str(meta.get("name"))
    outcome = TriggerOutcome(ns, name)
    for attempt in range(attempts):
        current = meta.get("annotations" if annotation else "labels")
        if (value is None and key not in (current or {})) or (value is not None and (current or {}).get(key) == value):
            outcome.changed = False
            return outcome
        patch, ptype = label_patch(key, value, annotations=annotation, style=style, existing=current,
                                   resource_version=str(meta.get("resourceVersion") or "") or None)
        outcome.patch = patch
        try:
            res = cluster.patch(r, name, patch, namespace=ns or None, patch_type=ptype)
        except (ClusterError, SimulatorError) as e:
            status = getattr(e, "status", None) or getattr(e, "code", None)
            if status in (409, 422) and attempt + 1 < attempts:  # changed under us (the `test` op): read again
                fresh = cluster.get(r, name, namespace=ns or None)
                if fresh is None:
                    outcome.error = "gone before it could be patched"
                    return outcome
                meta = fresh.get("metadata") or {}
                continue
            outcome.error = e.message
            return outcome
        outcome.accepted_ns = res.accepted_ns
        outcome.accepted_rv = str((res.object.get("metadata") or {}).get("resourceVersion") or "")
        if not res.changed or outcome.accepted_rv == str(meta.get("resourceVersion") or "x"):
            outcome.changed = False
        return outcome
    return outcome


@dataclass
class _Track:
    events: list[tuple[str, int, str]] = field(default_factory=list)  # (rv, observed_ns, type)
    outcome: TriggerOutcome | None = None
    resynced: bool = False


class _TransitionWatcher:
    """Watches the resource and stamps each outcome with the first change after its patch's own.

    Targets are registered before patching and every event for them is kept, so the order
    "patch event, then the next event" holds even when the watch delivers the patch's own event
    before the patch call has returned.
    """

    def __init__(self, cluster: Cluster, r: Resource) -> None:
        self.cluster = cluster
        self.r = r
        self.tracks: dict[tuple[str, str], _Track] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._watch: Any = None
        self._unsub: Callable[[], None] | None = None
        self._sim = hasattr(cluster, "run_until") and hasattr(cluster, "store")
        self.error: Exception | None = None

    def expect(self, ns: str, name: str) -> None:
        self.tracks[(ns, name)] = _Track()

    def accepted(self, outcome: TriggerOutcome) -> None:
        with self._lock:
            track = self.tracks[(outcome.namespace, outcome.name)]
            track.outcome = outcome
            self._resolve(track)

    def _handle(self, ev: WatchEvent) -> None:
        if ev.type == RESYNC:
            with self._lock:
                for t in self.tracks.values():
                    t.resynced = True
            return
        if ev.type not in (MODIFIED, DELETED):
            return
        meta = ev.object.get("metadata") or {}
        k = (str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        with self._lock:
            track = self.tracks.get(k)
            if track is None:
                return
            track.events.append((str(meta.get("resourceVersion") or ev.resource_version or ""), ev.observed_ns,
                                 ev.type))
            self._resolve(track)

    @staticmethod
    def _resolve(t: _Track) -> None:
        o = t.outcome
        if o is None or o.first_transition_ns is not None or not o.accepted_rv:
            return
        seen_patch = False
        for rv, ns, _typ in t.events:
            if seen_patch:
                o.first_transition_ns, o.first_transition_rv = ns, rv
                return
            if rv == o.accepted_rv:
                seen_patch = True
                if o.accepted_ns is not None and ns < o.accepted_ns:
                    # the watch saw the patch before the caller's thread got the answer (a busy
                    # machine): the earlier moment is when it was accepted, so latencies stay ≥ 0
                    o.accepted_ns = ns
        if not seen_patch and t.resynced and o.accepted_rv.isdigit():
            # the patch's own event was lost in a re-list: fall back to comparing versions as numbers
            for rv, ns, _typ in t.events:
                if rv.isdigit() and int(rv) > int(o.accepted_rv):
                    o.first_transition_ns, o.first_transition_rv = ns, rv
                    return

    def start(self) -> None:
        if self._sim:
            self._unsub = self.cluster.store.watch(self.r, self._handle)  # type: ignore[attr-defined]
            return
        list_rv = self.cluster.list(self.r, label_selector="kwokbook.invalid/none").resource_version
        self._watch = self.cluster.watch(self.r, resource_version=list_rv)

        def run() -> None:
            try:
                for ev in self._watch:
                    self._handle(ev)
            except Exception as e:
                self.error = e

        self._thread = threading.Thread(target=run, daemon=True, name="kwokbook-trigger-watch")
        self._thread.start()

    def done(self) -> bool:
        with self._lock:
            return all(t.outcome.first_transition_ns is not None for t in self.tracks.values()
                       if t.outcome is not None and t.outcome.changed and not t.outcome.error)

    def wait_all(self, timeout: float) -> None:
        if self._sim:
            self.cluster.wait_until(self.done, timeout)
            return
        end = time.monotonic() + timeout
        while time.monotonic() < end and not self.done() and self.error is None:
            time.sleep(0.002)

    def stop(self) -> None:
        if self._unsub is not None:
            self._unsub()
            return
        if self._watch is not None:
            self._watch.stop()
        if self._thread is not None:
            self._thread.join(5)


def summarize(latencies_ms: Iterable[float]) -> dict[str, float]:
    """n, p50, p95, max (nearest-rank percentiles)."""
    xs = sorted(latencies_ms)
    if not xs:
        return {}

    def pct(p: float) -> float:
        import math

        k = max(0, min(len(xs) - 1, math.ceil(p * len(xs)) - 1))
        return xs[k]

    return {"n": float(len(xs)), "p50": pct(0.5), "p95": pct(0.95), "max": xs[-1], "min": xs[0]}


__all__ = ["NotKwokManagedError", "TriggerResult", "require_kwok", "select_objects", "summarize", "trigger"]

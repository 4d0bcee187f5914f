"""Fire stages now: set or remove a label/annotation on objects, and time the effect.

Works on any :class:`~kwokbook.backend.Cluster` (a real KWOK cluster or the simulator). For each
object it records when the API server accepted the patch and when the first *transition caused
by it* (a change after the patch other than the patch itself) was observed on the watch.

Safety: mutating a cluster that is not KWOK is refused, and by default only pods on nodes KWOK
manages are touched (a label on a pod of a real kubelet would do nothing — or something else);
``force=True`` overrides both, and the refusal says so.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .backend import DELETED, MODIFIED, PODS, Cluster, TriggerOutcome, WatchEvent, label_patch, resource_for
from .errors import NotKwokClusterError, UsageError


@dataclass
class TriggerResult:
    """Every object touched, with its timings; ``latencies_ms`` for the ones that reacted."""

    key: str
    value: str | None
    outcomes: list[TriggerOutcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)

    @property
    def latencies_ms(self) -> list[float]:
        return [o.latency_ns / 1e6 for o in self.outcomes if o.latency_ns is not None]

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{o.namespace}/{o.name}</td><td>{'' if o.latency_ns is None else f'{o.latency_ns / 1e6:.1f} ms'}"
            f"</td><td>{o.error or ''}</td></tr>" for o in self.outcomes)
        return (f"<b>{self.key}={self.value}</b>: {len(self.outcomes)} object(s)"
                f"<table><tr><th>object</th><th>patch → first transition</th><th>error</th></tr>{rows}</table>")


def require_kwok(cluster: Cluster, *, force: bool = False) -> None:
    """Refuse to mutate a cluster that does not look like KWOK (unless ``force``)."""
    info = cluster.info
    if info.is_kwok or force:
        return
    raise NotKwokClusterError(
        f"refusing to change {info.name} ({info.server or info.backend}): it does not look like a KWOK cluster "
        "(no Stage CRD, no KWOK-managed nodes)",
        hint="pass force=True (CLI: --force) if you really mean it")


def select_objects(cluster: Cluster, resource: str, *, names: Sequence[str] = (), namespace: str | None = None,
                   label_selector: str | None = None, jq: str | None = None) -> list[dict[str, Any]]:
    """Objects by name, label selector and/or a jq key (objects whose key gives any truthy value)."""
    r = resource_for(resource)
    if names:
        out = []
        for n in names:
            obj = cluster.get(r, n, namespace=namespace)
            if obj is None:
                raise UsageError(f"{r.kind} {namespace + '/' if namespace and r.namespaced else ''}{n} not found")
            out.append(obj)
        return out
    items = cluster.list(r, namespace=namespace, label_selector=label_selector).items
    if jq:
        from .jq import compile as jq_compile
        from .jq import to_jq_input

        q = jq_compile(jq)
        items = [o for o in items if any(v not in (False, None) for v in (q.execute(to_jq_input(o)) or []))]
    return items


def trigger(cluster: Cluster, key: str, value: str | None, *, resource: str = "pods", names: Sequence[str] = (),
            namespace: str | None = None, label_selector: str | None = None, jq: str | None = None,
            annotation: bool = False, style: str = "json", force: bool = False, wait: float = 10.0,
            progress: Callable[[str], None] | None = None) -> TriggerResult:
    """Set (or with ``value=None`` remove) a label/annotation and time the first transition after it."""
    require_kwok(cluster, force=force)
    r = resource_for(resource)
    objs = select_objects(cluster, resource, names=names, namespace=namespace, label_selector=label_selector, jq=jq)
    result = TriggerResult(key, value)
    managed: set[str] | None = None
    if r.kind == "Pod" and not force:
        managed = _kwok_nodes(cluster)
    targets = []
    for o in objs:
        meta = o.get("metadata") or {}
        if managed is not None and (o.get("spec") or {}).get("nodeName") not in managed:
            result.skipped.append((str(meta.get("name")), "not on a KWOK-managed node (use force=True to touch it)"))
            continue
        targets.append(o)
    pending: dict[tuple[str, str], TriggerOutcome] = {}
    watcher = _TransitionWatcher(cluster, r, pending)
    watcher.start()
    try:
        for o in targets:
            meta = o.get("metadata") or {}
            ns, name = str(meta.get("namespace") or ""), str(meta.get("name"))
            existing = meta.get("annotations" if annotation else "labels")
            patch, ptype = label_patch(key, value, annotations=annotation, style=style, existing=existing)
            outcome = TriggerOutcome(ns, name, patch=patch)
            try:
                res = cluster.patch(r, name, patch, namespace=ns or None, patch_type=ptype)
                outcome.accepted_ns = res.accepted_ns
                outcome.accepted_rv = str((res.object.get("metadata") or {}).get("resourceVersion") or "")
                pending[(ns, name)] = outcome
            except Exception as e:  # noqa: BLE001 - recorded per object, the others still run
                outcome.error = str(e)
            result.outcomes.append(outcome)
            if progress:
                progress(f"patched {ns + '/' if ns else ''}{name}")
        watcher.wait_all(wait)
    finally:
        watcher.stop()
    return result


def _kwok_nodes(cluster: Cluster) -> set[str]:
    fn = getattr(cluster, "kwok_nodes", None)
    if callable(fn):
        return set(fn())
    return {n["metadata"]["name"] for n in cluster.list("nodes").items}


class _TransitionWatcher:
    """Watches the resource and stamps each pending outcome with its first later change."""

    def __init__(self, cluster: Cluster, r: Any, pending: Mapping[tuple[str, str], TriggerOutcome]) -> None:
        self.cluster = cluster
        self.r = r
        self.pending = pending
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sim = hasattr(cluster, "run_until")

    def _handle(self, ev: WatchEvent) -> None:
        if ev.type not in (MODIFIED, DELETED):
            return
        meta = ev.object.get("metadata") or {}
        o = self.pending.get((str(meta.get("namespace") or ""), str(meta.get("name") or "")))
        if o is None or o.first_transition_ns is not None or o.accepted_ns is None:
            return
        rv = str(meta.get("resourceVersion") or "")
        if rv and rv == o.accepted_rv:
            return  # the trigger patch itself
        o.first_transition_ns = ev.observed_ns

    def start(self) -> None:
        if self._sim:
            self._unsub = self.cluster.store.watch(self.r, self._handle)  # type: ignore[attr-defined]
            return
        list_rv = self.cluster.list(self.r).resource_version

        def run() -> None:
            for ev in self.cluster.watch(self.r, resource_version=list_rv, stop=self._stop):  # type: ignore[call-arg]
                self._handle(ev)

        self._thread = threading.Thread(target=run, daemon=True, name="kwokbook-trigger-watch")
        self._thread.start()

    def done(self) -> bool:
        return all(o.first_transition_ns is not None for o in self.pending.values())

    def wait_all(self, timeout: float) -> None:
        if self._sim:
            self.cluster.wait_until(self.done, timeout)
            return
        end = time.monotonic() + timeout
        while time.monotonic() < end and not self.done():
            time.sleep(0.005)

    def stop(self) -> None:
        if self._sim:
            self._unsub()
            return
        self._stop.set()


def summarize(latencies_ms: Iterable[float]) -> dict[str, float]:
    xs = sorted(latencies_ms)
    if not xs:
        return {}

    def pct(p: float) -> float:
        k = max(0, min(len(xs) - 1, round(p * (len(xs) - 1))))
        return xs[k]

    return {"n": float(len(xs)), "p50": pct(0.5), "p95": pct(0.95), "max": xs[-1]}


__all__ = ["PODS", "TriggerResult", "require_kwok", "select_objects", "summarize", "trigger"]

"""The timeline format: one JSON object per observed change of a Pod or Node.

Both ``kwokbook record`` (real cluster) and ``kwokbook simulate`` write it, and the recorder and
plots will read it. A line is a :class:`Transition`; keys are sorted and floats fixed, so a
seeded simulation produces a byte-identical file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from .backend import DELETED, RESYNC, WatchEvent

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Transition:
    """A change as a plot needs it: when, what, and the object's visible state after it."""

    t: float  # seconds since the recording started
    time: str  # RFC 3339 with nanoseconds
    event: str  # ADDED | MODIFIED | DELETED | RESYNC
    kind: str
    namespace: str
    name: str
    resource_version: str
    phase: str | None
    ready: bool | None
    conditions: dict[str, str]
    restart_count: int
    container_states: dict[str, str]
    node: str | None
    deleting: bool
    deleted: bool

    def to_json(self) -> str:
        d = asdict(self)
        d["v"] = FORMAT_VERSION
        return json.dumps(d, sort_keys=True, separators=(",", ":"))

    def state_key(self) -> tuple[Any, ...]:
        """What counts as a distinct state when comparing backends (timings excluded)."""
        return (self.phase, tuple(sorted(self.conditions.items())), tuple(sorted(self.container_states.items())),
                self.restart_count, self.deleting, self.deleted)


class ChangeLog:
    """One line per visible change of a Pod or Node (what `kubectl get -w` would show).

    Events that change nothing :meth:`Transition.state_key` sees (heartbeats, labels) give no line.
    """

    def __init__(self) -> None:
        self._last: dict[tuple[str, str, str], tuple[Any, ...]] = {}

    def line(self, tr: Transition) -> str | None:
        if tr.event == RESYNC:
            return f"{tr.t:>9.3f}s  RESYNC ({tr.kind}s): re-listed; changes in between may be merged"
        key = (tr.kind, tr.namespace, tr.name)
        state = tr.state_key()
        if self._last.get(key) == state and not tr.deleted:
            return None
        self._last[key] = state
        who = f"{tr.kind} {tr.namespace + '/' if tr.namespace else ''}{tr.name}"
        if tr.deleted:
            what = "deleted"
        elif tr.kind == "Node":
            what = "Ready" if tr.ready else "NotReady"
        else:
            what = tr.phase or "-"
            if tr.node and tr.phase == "Pending" and not tr.conditions.get("Ready"):
                what += f" (on {tr.node})"
            elif not tr.node and tr.conditions.get("PodScheduled") == "False":
                what += " (unschedulable)"
            if tr.ready is not None:
                what += " Ready" if tr.ready else " NotReady"
            if tr.deleting:
                what += " (terminating)"
            if tr.restart_count:
                what += f" restarts={tr.restart_count}"
        return f"{tr.t:>9.3f}s  {who:<36} {what}"


def _container_state(cs: Mapping[str, Any]) -> str:
    state = cs.get("state") or {}
    for k in ("running", "waiting", "terminated"):
        if k in state and state[k] is not None:
            reason = (state[k] or {}).get("reason")
            return f"{k}:{reason}" if reason else k
    return "unknown"


def transition_from_event(ev: WatchEvent, start_ns: int) -> Transition:
    from .sim.clock import rfc3339

    obj = ev.object
    meta = obj.get("metadata") or {}
    status = obj.get("status") or {}
    conds = {str(c.get("type")): str(c.get("status")) for c in status.get("conditions") or [] if isinstance(c, dict)}
    statuses = list(status.get("containerStatuses") or [])
    restart = sum(int(cs.get("restartCount") or 0) for cs in statuses if isinstance(cs, dict))
    states = {str(cs.get("name")): _container_state(cs) for cs in statuses if isinstance(cs, dict)}
    for cs in status.get("initContainerStatuses") or []:
        if isinstance(cs, dict):
            states["init:" + str(cs.get("name"))] = _container_state(cs)
    ready = None
    if "Ready" in conds:
        ready = conds["Ready"] == "True"
    return Transition(
        t=round((ev.observed_ns - start_ns) / 1e9, 9),
        time=rfc3339(ev.observed_ns, nanos=True),
        event=ev.type,
        kind=str(obj.get("kind") or ev.resource.kind),
        namespace=str(meta.get("namespace") or ""),
        name=str(meta.get("name") or ""),
        resource_version=str(meta.get("resourceVersion") or ev.resource_version or ""),
        phase=status.get("phase"),
        ready=ready,
        conditions=conds,
        restart_count=restart,
        container_states=states,
        node=(obj.get("spec") or {}).get("nodeName"),
        deleting=bool(meta.get("deletionTimestamp")),
        deleted=ev.type == DELETED,
    )


def write_timeline(events: Iterable[WatchEvent], out: IO[str], start_ns: int,
                   kinds: tuple[str, ...] = ("Pod", "Node")) -> int:
    n = 0
    for ev in events:
        kind = str(ev.object.get("kind") or ev.resource.kind)
        if kind not in kinds and ev.type != RESYNC:
            continue
        out.write(transition_from_event(ev, start_ns).to_json() + "\n")
        n += 1
    return n


def read_timeline(path: str | Path) -> Iterator[Transition]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            d.pop("v", None)
            yield Transition(**d)

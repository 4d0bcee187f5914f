"""An I/O-free watch driver (after lightkube's): it knows the version to resume from and what to do
with each line; the loop in :mod:`kwokbook.cluster.kube` only moves bytes.

Rules: resourceVersion is opaque (compared, never ordered); BOOKMARK events move the version
forward without an object change; an ERROR event with code 410 (Gone) means the version is too
old — the driver asks for a re-list and the consumer receives an explicit ``RESYNC`` event so it
knows changes may have been missed (they are reconstructed from the re-list).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..backend import ADDED, BOOKMARK, DELETED, MODIFIED, RESYNC, Resource, WatchEvent


@dataclass
class WatchRequest:
    """What the next HTTP request should be: a list, or a watch from ``resource_version``."""

    kind: str  # "list" | "watch"
    resource_version: str | None
    allow_bookmarks: bool = True
    timeout_seconds: int = 290


@dataclass
class WatchState:
    """Tracks the version and the objects seen, turning lines into :class:`WatchEvent` values."""

    resource: Resource
    resource_version: str | None = None
    known: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    needs_list: bool = True
    resyncs: int = 0

    def next_request(self) -> WatchRequest:
        if self.needs_list or self.resource_version is None:
            return WatchRequest("list", None)
        return WatchRequest("watch", self.resource_version)

    @staticmethod
    def _key(obj: dict[str, Any]) -> tuple[str, str]:
        meta = obj.get("metadata") or {}
        return str(meta.get("namespace") or ""), str(meta.get("name") or "")

    def on_list(self, items: Iterable[dict[str, Any]], list_rv: str, now_ns: int) -> list[WatchEvent]:
        """A (re-)list: diff against what was known; after the first list, emit RESYNC first."""
        out: list[WatchEvent] = []
        fresh = {self._key(o): o for o in items}
        first = not self.known and self.resource_version is None
        if not first:
            self.resyncs += 1
            out.append(WatchEvent(RESYNC, {"metadata": {"resourceVersion": list_rv}}, self.resource, now_ns, list_rv))
        for key, obj in fresh.items():
            old = self.known.get(key)
            rv = str((obj.get("metadata") or {}).get("resourceVersion") or "")
            if old is None:
                out.append(WatchEvent(ADDED, obj, self.resource, now_ns, rv))
            elif (old.get("metadata") or {}).get("resourceVersion") != rv:
                out.append(WatchEvent(MODIFIED, obj, self.resource, now_ns, rv))
        for key, old in self.known.items():
            if key not in fresh:
                out.append(WatchEvent(DELETED, old, self.resource, now_ns,
                                      str((old.get("metadata") or {}).get("resourceVersion") or "")))
        self.known = fresh
        self.resource_version = list_rv
        self.needs_list = False
        return out

    def on_line(self, line: bytes | str, now_ns: int) -> WatchEvent | None:
        """One line of a watch stream; ``None`` for bookmarks and for Gone (then re-list)."""
        if isinstance(line, bytes):
            line = line.decode("utf-8", "replace")
        line = line.strip()
        if not line:
            return None
        msg = json.loads(line)
        typ = msg.get("type")
        obj = msg.get("object") or {}
        if typ == "ERROR":
            if obj.get("code") == 410:
                self.needs_list = True
                return None
            raise WatchError(obj.get("message") or "watch error", obj.get("code"))
        rv = str((obj.get("metadata") or {}).get("resourceVersion") or "")
        if typ == BOOKMARK:
            if rv:
                self.resource_version = rv
            return None
        if rv:
            self.resource_version = rv
        key = self._key(obj)
        if typ == DELETED:
            self.known.pop(key, None)
        elif typ in (ADDED, MODIFIED):
            self.known[key] = obj
        return WatchEvent(str(typ), obj, self.resource, now_ns, rv)

    def on_gone(self) -> None:
        """The server answered 410 to the watch request itself."""
        self.needs_list = True


class WatchError(Exception):
    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code

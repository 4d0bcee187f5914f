"""The I/O-free watch driver (kwokbook.cluster.watch): versions, bookmarks, 410 Gone → RESYNC."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kwokbook.backend import ADDED, DELETED, MODIFIED, PODS, RESYNC
from kwokbook.cluster.watch import WatchError, WatchState


def obj(name: str, rv: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "ns", "resourceVersion": rv},
            **extra}


def line(typ: str, o: dict[str, Any]) -> bytes:
    return json.dumps({"type": typ, "object": o}).encode()


def test_first_list_then_watch_from_its_version() -> None:
    st = WatchState(PODS)
    assert st.next_request().kind == "list"
    evs = st.on_list([obj("a", "5"), obj("b", "7")], "10", now_ns=1)
    assert [(e.type, e.name) for e in evs] == [(ADDED, "a"), (ADDED, "b")]  # no RESYNC on the first list
    req = st.next_request()
    assert (req.kind, req.resource_version, req.allow_bookmarks) == ("watch", "10", True)


def test_lines_move_the_version_and_the_known_objects() -> None:
    st = WatchState(PODS)
    st.on_list([obj("a", "5")], "10", 0)
    e = st.on_line(line("MODIFIED", obj("a", "11", status={"phase": "Running"})), 2)
    assert e is not None and (e.type, e.resource_version, e.observed_ns) == (MODIFIED, "11", 2)
    assert st.resource_version == "11" and st.known[("ns", "a")]["status"]["phase"] == "Running"
    assert st.on_line(line("ADDED", obj("c", "12")), 3).type == ADDED
    assert st.on_line(line("DELETED", obj("a", "13")), 4).type == DELETED
    assert set(st.known) == {("ns", "c")}
    assert st.on_line(b"   ", 5) is None  # keep-alive blank line


def test_bookmark_moves_the_version_without_an_event() -> None:
    st = WatchState(PODS)
    st.on_list([], "10", 0)
    assert st.on_line(line("BOOKMARK", {"kind": "Pod", "metadata": {"resourceVersion": "99"}}), 1) is None
    assert st.next_request().resource_version == "99"


def test_gone_relists_and_says_resync_with_the_differences() -> None:
    st = WatchState(PODS)
    st.on_list([obj("a", "5"), obj("b", "6"), obj("c", "7")], "10", 0)
    gone = {"kind": "Status", "code": 410, "reason": "Expired", "message": "too old resource version: 10 (50)"}
    assert st.on_line(line("ERROR", gone), 1) is None
    assert st.needs_list and st.next_request().kind == "list"
    evs = st.on_list([obj("a", "5"), obj("b", "60"), obj("d", "61")], "70", 2)
    assert evs[0].type == RESYNC and evs[0].resource_version == "70"
    assert sorted((e.type, e.name) for e in evs[1:]) == [(ADDED, "d"), (DELETED, "c"), (MODIFIED, "b")]
    assert st.resyncs == 1 and st.resource_version == "70"
    assert st.on_gone() is None and st.needs_list  # 410 on the watch request itself


def test_start_from_a_version_skips_the_list_and_a_later_relist_is_a_resync() -> None:
    st = WatchState(PODS, "42", needs_list=False)
    assert st.next_request().kind == "watch" and st.next_request().resource_version == "42"
    st.on_gone()
    evs = st.on_list([obj("a", "50")], "51", 0)
    assert [e.type for e in evs] == [RESYNC, ADDED]


def test_other_error_events_raise_with_their_code() -> None:
    st = WatchState(PODS)
    st.on_list([], "1", 0)
    with pytest.raises(WatchError) as e:
        st.on_line(line("ERROR", {"kind": "Status", "code": 500, "message": "internal error"}), 1)
    assert e.value.code == 500 and "internal error" in str(e.value)

"""kwokbook.k8s.patch against recorded Go answers (tools/oracle ``patch`` and ``need_patch`` ops).

The recordings hold what evanphx/json-patch v5/v4 and apimachinery's strategicpatch computed
for the same request (``tests/fixtures/cases/k8s_*.yaml``); every case is replayed here.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from kwokbook.k8s.patch import (
    PatchError,
    apply_patch,
    json_patch,
    merge_patch,
    normalize_patch_type,
    strategic_merge_patch,
)
from kwokbook.k8s.typed import TypedError, check_need_patch
from tests.oracle_replay import load_cases

PATCH_CASES = [(cid, c) for cid, c in load_cases("patch") if cid.startswith("k8s_")]
NEED_CASES = [(cid, c) for cid, c in load_cases("need_patch") if cid.startswith("k8s_")]


def strict_equal(a: Any, b: Any) -> bool:
    """JSON equality where int, float and bool are different types (as in Go)."""
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _patch_body(req: dict[str, Any]) -> Any:
    return json.loads(req["patch_text"]) if "patch_text" in req else req["patch"]


def _outcome(req: dict[str, Any]) -> dict[str, Any]:
    try:
        out = apply_patch(req["data"], _patch_body(req), req["type"], req["kind"], impl=req.get("impl", "kwok"))
    except PatchError as e:
        return {"out": None, "err": e.message, "code": e.code or 0}
    return {"out": out, "err": None, "code": 0}


def _matches(py: dict[str, Any], go: dict[str, Any]) -> bool:
    if py["err"] is not None or go.get("err") is not None:
        return py["err"] == go.get("err") and py["code"] == go.get("code", 0)
    return strict_equal(py["out"], go["out"])


def test_corpus_size() -> None:
    assert len(PATCH_CASES) >= 200
    assert len(NEED_CASES) >= 50


@pytest.mark.parametrize(("cid", "case"), PATCH_CASES, ids=[c for c, _ in PATCH_CASES])
def test_patch_matches_go(cid: str, case: dict[str, Any]) -> None:
    req, res = case["request"], case["result"]
    data_before = copy.deepcopy(req["data"])
    py = _outcome(req)
    alts = res.get("alts") or [res]
    assert any(_matches(py, a) for a in alts), f"python {py!r}\ngo {res!r}"
    assert strict_equal(req["data"], data_before), "the input object was modified"


@pytest.mark.parametrize(("cid", "case"), NEED_CASES, ids=[c for c, _ in NEED_CASES])
def test_need_patch_matches_kwok(cid: str, case: dict[str, Any]) -> None:
    req, res = case["request"], case["result"]
    try:
        got: dict[str, Any] = {"changed": check_need_patch(req["data"], _patch_body(req), req["type"], req["kind"]),
                               "err": None}
    except (PatchError, TypedError) as e:
        got = {"changed": None, "err": e.message}
    assert got == res


# ---------------------------------------------------------------------------------------------
# Behaviour the corpus states only implicitly


def test_merged_primitive_list_puts_new_items_first() -> None:
    out = strategic_merge_patch({"metadata": {"finalizers": ["a", "b"]}}, {"metadata": {"finalizers": ["c"]}}, "Pod")
    assert out["metadata"]["finalizers"] == ["c", "a", "b"]


def test_conditions_merge_by_type_and_container_statuses_replace() -> None:
    pod = {"status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "Initialized", "status": "True"}],
                      "containerStatuses": [{"name": "a"}, {"name": "b"}]}}
    out = strategic_merge_patch(pod, {"status": {"conditions": [{"type": "Ready", "status": "True"}],
                                                 "containerStatuses": [{"name": "b", "ready": True}]}}, "Pod")
    assert out["status"]["conditions"] == [{"type": "Ready", "status": "True"}, {"type": "Initialized", "status": "True"}]
    assert out["status"]["containerStatuses"] == [{"name": "b", "ready": True}]


def test_replace_of_missing_key_differs_between_kwok_and_apiserver() -> None:
    doc = {"metadata": {"labels": {}}}
    ops = [{"op": "replace", "path": "/metadata/labels/x", "value": "1"}]
    assert json_patch(doc, ops, impl="apiserver") == {"metadata": {"labels": {"x": "1"}}}
    with pytest.raises(PatchError, match="doc is missing key"):
        json_patch(doc, ops, impl="kwok")


def test_error_codes_of_the_api_server() -> None:
    with pytest.raises(PatchError) as e:
        json_patch({}, {"op": "add"}, impl="apiserver")
    assert e.value.code == 400
    with pytest.raises(PatchError) as e:
        json_patch({}, [{"op": "remove", "path": "/x"}], impl="apiserver")
    assert e.value.code == 422
    with pytest.raises(PatchError) as e:
        strategic_merge_patch({}, {}, "ConfigMap")
    assert e.value.code == 415
    with pytest.raises(PatchError) as e:
        merge_patch({}, None)
    assert e.value.code == 400
    with pytest.raises(PatchError) as e:
        strategic_merge_patch({}, {}, "ConfigMap", impl="kwok")
    assert e.value.code is None


def test_patch_types_and_mime_types() -> None:
    assert normalize_patch_type("application/strategic-merge-patch+json; charset=utf-8") == "strategic"
    assert normalize_patch_type("json") == "json"
    with pytest.raises(PatchError):
        normalize_patch_type("text/plain")
    with pytest.raises(Exception, match="impl"):
        apply_patch({}, {}, "merge", "Pod", impl="nope")


def test_inputs_are_not_modified() -> None:
    doc = {"metadata": {"finalizers": ["a", "b", "a"], "labels": {"a": "1"}}, "status": {"conditions": [{"type": "R"}]}}
    before = copy.deepcopy(doc)
    patch = {"metadata": {"finalizers": ["c"], "labels": {"a": None}}, "status": {"conditions": [{"type": "R", "x": 1}]}}
    patch_before = copy.deepcopy(patch)
    strategic_merge_patch(doc, patch, "Pod", impl="kwok")
    merge_patch(doc, patch)
    json_patch(doc, [{"op": "remove", "path": "/metadata/finalizers/0"}])
    assert doc == before
    assert patch == patch_before

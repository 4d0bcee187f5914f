"""kwokbook.k8s.typed against recorded Go answers (tools/oracle ``typed`` op).

Go decoded each object into corev1.Pod/Node and encoded it again; ``text`` is its exact bytes,
``standard`` what ``expression.ToJSONStandard`` handed to jq.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest

from kwokbook import jq
from kwokbook.k8s._schema_core_v1 import ROOTS, TYPES
from kwokbook.k8s.typed import (
    TypedError,
    check_need_patch,
    typed_json,
    typed_view,
    typed_view_reference,
)
from tests.oracle_replay import load_cases
from tests.test_k8s_patch import strict_equal

TYPED_CASES = [(cid, c) for cid, c in load_cases("typed") if cid.startswith("k8s_")]


def _numbers_equal(a: Any, b: Any) -> bool:
    """ToJSONStandard values: every number is float64 (Go writes integral ones without a dot)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return isinstance(a, float) and math.isclose(a, b, rel_tol=0, abs_tol=0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_numbers_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_numbers_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a.__class__ is b.__class__ and a == b)


def test_corpus_size() -> None:
    assert len(TYPED_CASES) >= 60


@pytest.mark.parametrize(("cid", "case"), TYPED_CASES, ids=[c for c, _ in TYPED_CASES])
def test_typed_matches_go(cid: str, case: dict[str, Any]) -> None:
    req, res = case["request"], case["result"]
    decoder = req.get("decoder", "encoding/json")
    data = json.loads(req["data_text"]) if "data_text" in req else req["data"]  # text: key order matters
    before = copy.deepcopy(data)
    for fn in (typed_view, typed_view_reference):
        try:
            view = fn(data, req["kind"], decoder=decoder)
        except TypedError as e:
            assert res["err"] == e.message, fn.__name__
            continue
        assert res["err"] is None, f"{fn.__name__} decoded what Go refused: {res['err']}"
        assert typed_json(view) == res["text"], fn.__name__
        assert strict_equal(view, res["out"]), fn.__name__
        assert _numbers_equal(jq.to_jq_input(view), res["standard"]), fn.__name__
    assert strict_equal(data, before), "the input object was modified"


@pytest.mark.parametrize(("cid", "case"), [c for c in TYPED_CASES if c[1]["result"]["err"] is None],
                         ids=[c for c, x in TYPED_CASES if x["result"]["err"] is None])
def test_typed_view_is_a_fixed_point(cid: str, case: dict[str, Any]) -> None:
    req = case["request"]
    data = json.loads(req["data_text"]) if "data_text" in req else req["data"]
    decoder = req.get("decoder", "encoding/json")
    view = typed_view(data, req["kind"], decoder=decoder)
    again = typed_view(view, req["kind"], decoder=decoder)
    assert typed_json(again) == typed_json(view)
    assert check_need_patch(view, {}, "strategic", req["kind"]) is False


def test_result_shares_nothing_with_the_input() -> None:
    pod = {"metadata": {"labels": {"a": "b"}, "managedFields": [{"fieldsV1": {"f:x": {}}}]},
           "spec": {"containers": [{"name": "c", "args": ["x"]}]}}
    view = typed_view(pod, "Pod")
    view["metadata"]["labels"]["z"] = "1"
    view["metadata"]["managedFields"][0]["fieldsV1"]["f:y"] = {}
    view["spec"]["containers"][0]["args"].append("y")
    assert pod == {"metadata": {"labels": {"a": "b"}, "managedFields": [{"fieldsV1": {"f:x": {}}}]},
                   "spec": {"containers": [{"name": "c", "args": ["x"]}]}}


def test_zero_values_and_omissions() -> None:
    view = typed_view({"metadata": {"finalizers": [], "creationTimestamp": None}, "spec": {"containers": []}}, "Pod")
    assert view == {"metadata": {}, "spec": {"containers": []}, "status": {}}
    node = typed_view({"status": {"capacity": {"cpu": "2000m"}}}, "Node")
    assert node == {"metadata": {}, "spec": {}, "status": {"capacity": {"cpu": "2"}, "daemonEndpoints": {
        "kubeletEndpoint": {"Port": 0}}, "nodeInfo": {
        "machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "", "osImage": "",
        "containerRuntimeVersion": "", "kubeletVersion": "", "kubeProxyVersion": "", "operatingSystem": "",
        "architecture": ""}}}


def test_kind_and_decoder_are_checked() -> None:
    with pytest.raises(Exception, match="kind must be one of"):
        typed_view({}, "ConfigMap")
    with pytest.raises(Exception, match="decoder must be one of"):
        typed_view_reference({}, "Pod", decoder="yaml")


def test_schema_covers_the_roots() -> None:
    assert set(ROOTS) == {"Pod", "Node"}
    for key in ROOTS.values():
        assert TYPES[key][0] == "struct"


def test_unknown_fields_make_no_change_for_merge_but_do_for_json_patch() -> None:
    pod = {"metadata": {"name": "p"}, "status": {"phase": "Running"}}
    assert check_need_patch(pod, {"status": {"x": 1}}, "merge", "Pod") is False
    assert check_need_patch(pod, [{"op": "add", "path": "/status/x", "value": 1}], "json", "Pod") is True
    assert check_need_patch(pod, {"status": {"phase": "Succeeded"}}, "application/strategic-merge-patch+json",
                            "Pod") is True


def test_check_need_patch_leaves_a_typed_snapshot_alone() -> None:
    view = typed_view({"metadata": {"name": "p", "finalizers": ["a", "b"]},
                       "status": {"conditions": [{"type": "Ready", "status": "False"}]}}, "Pod")
    before = copy.deepcopy(view)
    for body, t in (({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}, "strategic"),
                    ({"metadata": {"finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["a"]}}, "strategic"),
                    ({"status": {"conditions": None}}, "merge"),
                    ([{"op": "remove", "path": "/metadata/finalizers/0"}], "json")):
        assert check_need_patch(view, body, t, "Pod", typed=True) is True
        assert view == before


def test_typed_cache_reuses_views_per_resource_version() -> None:
    from kwokbook.k8s.typed import TypedCache

    cache = TypedCache(size=2)
    pod = {"metadata": {"name": "p", "namespace": "d", "uid": "u", "resourceVersion": "1"}}
    first = cache.view(pod, "Pod")
    assert cache.view(pod, "Pod") is first
    newer = {"metadata": {**pod["metadata"], "resourceVersion": "2"}, "spec": {"nodeName": "n"}}
    assert cache.view(newer, "Pod")["spec"]["nodeName"] == "n"
    assert (cache.hits, cache.misses) == (1, 2)
    assert cache.view({"metadata": {"name": "x"}}, "Pod") == typed_view({"metadata": {"name": "x"}}, "Pod")

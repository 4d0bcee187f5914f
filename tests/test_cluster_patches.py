"""Trigger patches: the seed's JSON-patch form (RFC 6901 escaping), merge patches, and their effect."""

from __future__ import annotations

from typing import Any

import pytest

from kwokbook.backend import label_patch
from kwokbook.errors import UsageError
from kwokbook.k8s.patch import PatchError, json_patch, merge_patch


def pod(labels: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "p", "namespace": "default", "resourceVersion": "7"}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta}


def test_seed_form_when_the_object_has_labels() -> None:
    patch, ptype = label_patch("restart.stage.kwok", "true", existing={"app": "x"})
    assert ptype == "json"
    assert patch == [{"op": "add", "path": "/metadata/labels/restart.stage.kwok", "value": "true"}]
    assert json_patch(pod({"app": "x"}), patch)["metadata"]["labels"] == {"app": "x", "restart.stage.kwok": "true"}


@pytest.mark.parametrize(("key", "pointer"), [
    ("pod-container-running-failed.stage.kwok.x-k8s.io", "pod-container-running-failed.stage.kwok.x-k8s.io"),
    ("kwok.x-k8s.io/restart", "kwok.x-k8s.io~1restart"),
    ("a~b/c", "a~0b~1c"),  # ~ first, then / (RFC 6901)
])
def test_keys_are_escaped_per_rfc6901(key: str, pointer: str) -> None:
    patch, _ = label_patch(key, "v", existing={"app": "x"})
    assert patch[0]["path"] == f"/metadata/labels/{pointer}"
    assert json_patch(pod({"app": "x"}), patch)["metadata"]["labels"][key] == "v"
    rm, _ = label_patch(key, None, existing={key: "v"})
    assert rm == [{"op": "remove", "path": f"/metadata/labels/{pointer}"}]
    assert json_patch(pod({"app": "x", key: "v"}), rm)["metadata"]["labels"] == {"app": "x"}


def test_no_labels_yet_adds_the_map_guarded_by_the_version() -> None:
    patch, _ = label_patch("k", "v", existing=None, resource_version="7")
    assert patch == [{"op": "test", "path": "/metadata/resourceVersion", "value": "7"},
                     {"op": "add", "path": "/metadata/labels", "value": {"k": "v"}}]
    assert json_patch(pod(), patch)["metadata"]["labels"] == {"k": "v"}
    changed = pod({"someone": "else"})
    changed["metadata"]["resourceVersion"] = "8"
    with pytest.raises(PatchError, match="test failed"):  # the API server answers 422 the same way
        json_patch(changed, patch)
    unguarded, _ = label_patch("k", "v", existing=None)
    assert unguarded == [{"op": "add", "path": "/metadata/labels", "value": {"k": "v"}}]


def test_annotations_and_merge_style() -> None:
    patch, ptype = label_patch("note", "x", annotations=True, existing={})
    assert patch == [{"op": "add", "path": "/metadata/annotations/note", "value": "x"}] and ptype == "json"
    m, mtype = label_patch("restart.stage.kwok", "true", style="merge")
    assert mtype == "merge" and m == {"metadata": {"labels": {"restart.stage.kwok": "true"}}}
    assert merge_patch(pod({"app": "x"}), m)["metadata"]["labels"] == {"app": "x", "restart.stage.kwok": "true"}
    rm, _ = label_patch("app", None, style="merge")
    assert merge_patch(pod({"app": "x"}), rm)["metadata"].get("labels") in ({}, None)
    with pytest.raises(UsageError):
        label_patch("k", "v", style="strategic")

"""preview(mode="controller"): what KWOK's running controller would send, versus the harness view."""

from __future__ import annotations

import json

import pytest

from kwokbook.errors import KwokbookError
from kwokbook.stage import load_stages_from_text, preview

STAGE = """
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: {name: echo}
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector: {matchExpressions: [{key: .status.phase, operator: In, values: [Pending]}]}
  next:
    statusTemplate: |
      message: {{ .spec | toJson | quote }}
      podIP: {{ PodIPWith .spec.nodeName false "" "" "" }}
      startTime: {{ Now }}
"""

POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default"},
    "spec": {"nodeName": "n0", "unknownField": 1, "containers": [{"name": "c", "image": "x"}]},
    "status": {"phase": "Pending"},
}


def _patch(mode: str) -> tuple[str, dict[str, object]]:
    stages = load_stages_from_text(STAGE).stages
    pv = preview(stages, POD, mode=mode)
    [cand] = pv.candidates
    [action] = [a for a in cand.actions if a.kind == "patch"]
    return action.type, json.loads(action.data)["status"]


def test_harness_mode_sees_the_object_as_written() -> None:
    mime, status = _patch("harness")
    assert mime == "application/merge-patch+json"
    assert json.loads(str(status["message"]))["unknownField"] == 1
    assert status["podIP"] == '<PodIPWith("n0", false, "", "", "")>'


def test_controller_mode_sees_corev1_and_sends_strategic_merge() -> None:
    mime, status = _patch("controller")
    assert mime == "application/strategic-merge-patch+json"
    spec = json.loads(str(status["message"]))
    assert "unknownField" not in spec, "corev1.Pod has no such field: the controller never sees it"
    assert spec["containers"] == [{"name": "c", "image": "x", "resources": {}}], "Go's zero values appear"
    assert status["podIP"] == '<PodIPWith("n0", false, "", "", "")>'
    assert status["startTime"] == "<Now>"


def test_controller_mode_checks_signatures_like_kwok() -> None:
    bad = STAGE.replace('PodIPWith .spec.nodeName false "" "" ""', "PodIPWith .spec.nodeName")
    stages = load_stages_from_text(bad, strict=False).stages
    [cand] = preview(stages, POD, mode="harness").candidates
    assert cand.error is None, "the harness's placeholders take any arguments"
    [cand] = preview(stages, POD, mode="controller").candidates
    assert cand.error is not None and "wrong number of args for PodIPWith: want 5 got 1" in str(cand.error)


def test_unknown_mode() -> None:
    with pytest.raises(KwokbookError, match="mode"):
        preview([], POD, mode="kubelet")

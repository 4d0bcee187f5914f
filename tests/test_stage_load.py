"""Loading Stages: conversion as KWOK converts, and every problem reported with file:line:col + field."""

from __future__ import annotations

import textwrap

import pytest

from kwokbook.errors import StageError
from kwokbook.stage import load_stages, load_stages_from_text
from kwokbook.stage.model import Finalizers
from kwokbook.stage.steps import finalizer_ops


def _load(text: str, **kw: object):
    return load_stages_from_text(textwrap.dedent(text), "stages/restart.yaml", strict=False, **kw)


RESTART = """\
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-restart
spec:
  resourceRef:
    apiVersion: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: .metadata.labels["restart.stage.kwok"]
      operator: In
      values: ["true"]
    - jq:
        key: .status.phase
        operator: Equals
        values: [Running]
  weigth: 3
  next:
    statusTemplate: |
      phase: Running
    delete: false
"""


def test_unknown_field_is_located_with_suggestion() -> None:
    r = _load(RESTART)
    unknown = [d for d in r.diagnostics if d.code == "unknown-field"]
    assert {str(d.location.path) for d in unknown} == {"spec.resourceRef.apiVersion", "spec.weigth"}
    weigth = next(d for d in unknown if d.location.path == "spec.weigth")
    assert (weigth.location.source, weigth.location.line, weigth.location.column) == ("stages/restart.yaml", 18, 3)
    assert weigth.hint == "did you mean 'weight'?"
    assert str(weigth).startswith("stages/restart.yaml:18:3 spec.weigth: warning: unknown field")


def test_legacy_forms_convert_and_warn() -> None:
    r = _load(RESTART)
    st = r.stages[0]
    me = st.selector.match_expressions
    assert me[0].jq_key == '.metadata.labels["restart.stage.kwok"]' and me[0].legacy
    assert me[1].operator == "Equals"  # invalid operators are a runtime error in KWOK, checked at compile
    # statusTemplate became one patch step with root/subresource "status"
    assert len(st.steps) == 1 and st.steps[0].patch is not None
    assert (st.steps[0].patch.root, st.steps[0].patch.subresource) == ("status", "status")
    assert any(d.code == "deprecated" and d.location.path == "spec.selector.matchExpressions[0]"
               for d in r.diagnostics)
    # resourceRef.apiVersion is not apiGroup: the config loader leaves apiGroup empty
    assert st.resource_ref.api_group == "" and st.resource_ref.controller == "generic"
    assert any(d.code == "no-apigroup" for d in r.diagnostics)


def test_next_conversion_order_event_finalizers_patch_delete() -> None:
    r = _load("""\
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata: {name: s}
        spec:
          resourceRef: {apiGroup: v1, kind: Pod}
          selector: {}
          next:
            delete: true
            statusTemplate: "phase: Failed"
            finalizers: {remove: [{value: a}]}
            event: {type: Normal, reason: R, message: m}
        """)
    steps = r.stages[0].steps
    assert [("event" if s.event else "fin" if s.finalizers else "patch" if s.patch else "delete") for s in steps] == [
        "event", "fin", "patch", "delete"]


def test_steps_present_ignore_next() -> None:
    r = _load("""\
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata: {name: s}
        spec:
          resourceRef: {apiGroup: v1, kind: Pod}
          selector: {}
          steps:
          - delete: true
          next:
            statusTemplate: "phase: Failed"
        """)
    assert len(r.stages[0].steps) == 1 and r.stages[0].steps[0].delete
    assert any(d.code == "next-ignored" for d in r.diagnostics)


def test_schema_errors_have_locations_and_raise_in_strict_mode() -> None:
    text = """\
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata: {name: s}
        spec:
          resourceRef: {apiGroup: v1}
          selector: {}
          weight: -2
          steps:
          - patch: {type: jsonpatch, template: "x: 1"}
        """
    r = _load(text)
    msgs = {d.message for d in r.errors}
    assert "spec.resourceRef.kind: Required value" in msgs
    assert "spec.weight: Invalid value: -2: spec.weight in body should be greater than or equal to 0" in msgs
    assert 'spec.steps[0].patch.type: Unsupported value: "jsonpatch": supported values: "json", "merge", ' \
           '"strategic"' in msgs
    w = next(d for d in r.errors if "weight" in d.message)
    assert (w.location.line, w.location.column) == (7, 11)
    with pytest.raises(StageError) as ei:
        load_stages_from_text(textwrap.dedent(text), "s.yaml")
    assert "s.yaml:" in str(ei.value)


def test_stage_without_selector_is_reported() -> None:
    r = _load("""\
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata: {name: s}
        spec:
          resourceRef: {apiGroup: v1, kind: Pod}
        """)
    assert r.stages[0].selector is None
    assert any(d.code == "no-selector" for d in r.diagnostics)


def test_builtin_sets_load_without_errors() -> None:
    for name in ("fast", "general", "pod/chaos", "node/chaos", "volume/fast"):
        r = load_stages([name], strict=True)
        assert r.stages, name
    assert {s.name for s in load_stages(["fast"]).stages} == {
        "node-initialize", "node-heartbeat-with-lease", "pod-ready", "pod-complete", "pod-delete"}


def test_non_stage_documents_are_skipped_like_kwok() -> None:
    r = load_stages(["volume/fast"])
    assert any(d.code == "not-a-stage" for d in r.diagnostics)  # the StorageClass
    assert all(s.resource_ref.kind in ("PersistentVolume", "PersistentVolumeClaim") for s in r.stages)


@pytest.mark.parametrize(("meta", "fin", "want"), [
    # the vectors KWOK's finalizers_test.go pins down, in our words
    ([], Finalizers(add=("a",)), [{"op": "add", "path": "/metadata/finalizers", "value": ["a"]}]),
    (["x"], Finalizers(add=("a", "x")), [{"op": "add", "path": "/metadata/finalizers/-", "value": "a"}]),
    (["a", "b", "c"], Finalizers(remove=("a", "c")),
     [{"op": "remove", "path": "/metadata/finalizers/2"}, {"op": "remove", "path": "/metadata/finalizers/0"}]),
    (["a"], Finalizers(remove=("a",)), [{"op": "remove", "path": "/metadata/finalizers"}]),
    (["a"], Finalizers(remove=("a",), add=("a",)),
     [{"op": "remove", "path": "/metadata/finalizers"}, {"op": "add", "path": "/metadata/finalizers", "value": ["a"]}]),
    (["a", "b"], Finalizers(empty=True), [{"op": "remove", "path": "/metadata/finalizers"}]),
    ([], Finalizers(empty=True), []),
    (["a", "b"], Finalizers(remove=("a",), add=("a",)), [{"op": "remove", "path": "/metadata/finalizers/0"}]),
])
def test_finalizer_operations(meta: list[str], fin: Finalizers, want: list[dict[str, object]]) -> None:
    assert finalizer_ops(meta, fin) == want


BROKEN = """\
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: broken
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - jq:
        key: '.metadata.labels["x"'
        operator: Exists
    - jq:
        key: .status.phase
        operator: Equals
        values: [Running]
    - cel:
        expression: self.status.phase ==
  next:
    statusTemplate: |
      phase: Running
      x: {{ NodeName }}
"""


def test_runtime_problems_are_located_at_load_time() -> None:
    r = load_stages_from_text(BROKEN, "stages/broken.yaml", strict=False)
    got = {(d.location.line, d.location.column, d.location.path): d.message for d in r.errors}
    assert got[(12, 14, "spec.selector.matchExpressions[0].jq.key")] == "jq: unexpected EOF"
    assert got[(16, 19, "spec.selector.matchExpressions[1].jq.operator")] == 'operator "Equals" is not supported'
    assert got[(19, 21, "spec.selector.matchExpressions[2].cel.expression")].startswith(
        "cel: failed to compile expression: ERROR: :1:21: Syntax error")
    # NodeName exists only for Node stages: KWOK's Pod controller cannot parse this template
    assert got[(23, 13, "spec.next.statusTemplate")] == 'template: _:2: function "NodeName" not defined'
    with pytest.raises(StageError) as ei:
        load_stages_from_text(BROKEN, "stages/broken.yaml")
    assert str(ei.value).startswith("stages/broken.yaml:12:14 spec.selector.matchExpressions[0].jq.key: jq: ")

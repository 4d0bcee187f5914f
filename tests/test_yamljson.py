"""kwokbook.gotpl.yamljson against KWOK's YAML conversions as recorded from Go.

The expected answers come from the oracle (tools/oracle, KWOK v0.8.0 with sigs.k8s.io/yaml v1.6.0
over go-yaml v2.4.3): ``tests/fixtures/recorded/yaml_to_json.json`` (op ``yaml2json``) and
``json_to_yaml.json`` (op ``json2yaml``). Every yaml2json case also runs through the fast path and
the full go-yaml port separately: where the fast path answers, both must give Go's answer.
The property tests at the end need no Go: they compare the two paths with each other on random
documents and check that ``marshal_yaml`` output reads back to the same JSON.
"""

from __future__ import annotations

import json
import math
import re
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwokbook.errors import YAMLError
from kwokbook.gotpl import gojson
from kwokbook.gotpl import yamljson as Y
from kwokbook.gotpl.values import (
    T_SLICE_STRING,
    Float32,
    GoError,
    GoMap,
    GoSlice,
    JsonNumber,
    map_of,
    parse_type,
)
from tests.oracle_replay import load_cases

Y2J = load_cases("yaml2json")
J2Y = load_cases("json2yaml")


def test_recordings_present() -> None:
    assert len(Y2J) >= 150
    assert len(J2Y) >= 80


def _outcome(fn: Any, *args: Any) -> dict[str, str | None]:
    """Go's {out, err} shape for a call: the text, or the YAMLError message."""
    try:
        return {"out": fn(*args), "err": None}
    except YAMLError as e:
        return {"out": None, "err": e.message}


def _full_path_json(text: str) -> str:
    """YAMLToJSON through the full go-yaml port only (no fast path)."""
    value, _, invalid = Y._slow(text, None)
    try:
        out = Y._json_marshal(value, True)
    except Y._JSONFail as e:
        raise YAMLError(str(e)) from None
    return Y._escape_invalid_bytes(out) if invalid else out


def _fast_path_json(text: str) -> str | None:
    """YAMLToJSON through the fast path only; None when it hands the text on."""
    try:
        value, has_float = Y._fast_yaml_value(text)
    except Y._Bail:
        return None
    try:
        return Y._json_marshal(value, has_float)
    except Y._JSONFail as e:
        raise YAMLError(str(e)) from None


# ---------------------------------------------------------------------------------------------
# yaml2json replay


@pytest.mark.parametrize(("case_id", "case"), Y2J, ids=[c[0] for c in Y2J])
def test_yaml_to_json(case_id: str, case: dict[str, Any]) -> None:
    text = case["request"]["text"]
    assert _outcome(Y.yaml_to_json, text) == case["result"]


@pytest.mark.parametrize(("case_id", "case"), Y2J, ids=[c[0] for c in Y2J])
def test_yaml_to_json_full_port(case_id: str, case: dict[str, Any]) -> None:
    assert _outcome(_full_path_json, case["request"]["text"]) == case["result"]


@pytest.mark.parametrize(("case_id", "case"), Y2J, ids=[c[0] for c in Y2J])
def test_yaml_to_json_fast_path(case_id: str, case: dict[str, Any]) -> None:
    got = _outcome(_fast_path_json, case["request"]["text"])
    if got["out"] is None and got["err"] is None:
        return  # the fast path hands this text to the full port
    assert got == case["result"]


def test_fast_path_coverage() -> None:
    """The fast path answers a good share of the recorded cases (so the test above has teeth)."""
    answered = [i for i, c in Y2J if _fast_path_json(c["request"]["text"]) is not None]
    assert len(answered) >= 60


@pytest.mark.parametrize(("case_id", "case"), Y2J, ids=[c[0] for c in Y2J])
def test_yaml_to_json_value_matches_json(case_id: str, case: dict[str, Any]) -> None:
    """The Python value is what the JSON text decodes to (floats stay floats: 1.0 → JSON 1), and
    ``gojson.marshal`` of it gives Go's bytes (what the renderer's to_json relies on)."""
    text = case["request"]["text"]
    want = case["result"]
    try:
        value = Y.yaml_to_json_value(text, source="case.yaml")
    except YAMLError as e:
        assert e.message == want["err"]
        assert e.location.source == "case.yaml"
        return
    assert want["err"] is None
    assert _same(value, json.loads(want["out"]))
    assert gojson.marshal(value) == want["out"]


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, where a float a equals the number b decoded from its JSON text."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, z) for x, z in zip(a, b))
    if isinstance(a, str):  # a Go string: invalid UTF-8 bytes are surrogate escapes, JSON has U+FFFD
        return isinstance(b, str) and re.sub("[\udc80-\udcff]", "\ufffd", a) == b
    if isinstance(a, bool) or a is None:
        return type(a) is type(b) and a == b
    if isinstance(a, float):
        return isinstance(b, (int, float)) and not isinstance(b, bool) and float(b) == a
    return type(b) is int and a == b


@pytest.mark.parametrize(
    ("case_id", "case"),
    [c for c in Y2J if c[1]["result"]["err"]],
    ids=[c[0] for c in Y2J if c[1]["result"]["err"]],
)
def test_error_location(case_id: str, case: dict[str, Any]) -> None:
    """Errors carry the problem's 1-based line; go-yaml's own "line N" is that line or the one before."""
    text = case["request"]["text"]
    with pytest.raises(YAMLError) as info:
        Y.yaml_to_json(text, source="rendered")
    err = info.value
    assert err.location.source == "rendered"
    line = err.location.line
    if line is None:
        assert "line " not in err.message
        return
    assert 1 <= line <= text.count("\n") + 2
    if err.message.startswith("yaml: line "):
        named = int(err.message.split()[2].rstrip(":"))
        assert named in (line - 1, line)


def test_stage_shapes_take_the_fast_path() -> None:
    """What KWOK's own templates render is the shape the fast path exists for."""
    stage = [c for c in Y2J if c[0].split("::")[1].startswith("stage-")]
    assert len(stage) >= 15
    for case_id, case in stage:
        if case["result"]["err"] is None:
            assert _fast_path_json(case["request"]["text"]) == case["result"]["out"], case_id


# ---------------------------------------------------------------------------------------------
# json2yaml replay


def _json2yaml(request: dict[str, Any]) -> str:
    value = gojson.unmarshal(request["json"], use_number=True)
    if request.get("mode") == "encoder":
        return Y.encode_yaml_document(value)
    return Y.marshal_yaml(value)


@pytest.mark.parametrize(("case_id", "case"), J2Y, ids=[c[0] for c in J2Y])
def test_json_to_yaml(case_id: str, case: dict[str, Any]) -> None:
    assert _outcome(_json2yaml, case["request"]) == case["result"]


@pytest.mark.parametrize(("case_id", "case"), J2Y, ids=[c[0] for c in J2Y])
def test_json_to_yaml_full_port(case_id: str, case: dict[str, Any]) -> None:
    """The same answer when go-yaml's port reads the JSON instead of Python's json module."""
    value = gojson.unmarshal(case["request"]["json"], use_number=True)
    try:
        text = gojson.marshal(value)
    except gojson.GoJSONError:
        pytest.skip("json.Marshal fails first")
    try:
        node = Y._Composer(text).compose()
        decoded = None if node is None else Y._Decoder().unmarshal(node)
    except (Y._ParseError, Y._DecodeFail):
        assert case["result"]["err"] is not None
        return
    assert Y._Emitter().document(decoded) == case["result"]["out"]


def test_encoder_separator() -> None:
    """Every document an encoder writes after its first starts with ``---``."""
    case = next(c for i, c in J2Y if i.endswith("::encoder-pod"))
    value = gojson.unmarshal(case["request"]["json"], use_number=True)
    first = Y.encode_yaml_document(value)
    assert first == case["result"]["out"]
    assert Y.encode_yaml_document(value, first=False) == "---\n" + first


# ---------------------------------------------------------------------------------------------
# marshal_yaml over the template value model (json.Marshal is gojson's; the YAML half is ours)


@pytest.mark.parametrize(
    "value",
    [
        {"n": JsonNumber("1.0"), "m": JsonNumber("12345678901234567890"), "s": "yes"},
        GoMap({"b": 1, "a": [True, None]}, map_of(parse_type("string"), parse_type("interface {}"))),
        GoSlice(["x", "1", "on"], T_SLICE_STRING),
        [Float32(0.1), 1.5, 2.0, 1e21],
        {"nested": {"deep": [{"k": "multi\nline"}]}},
    ],
)
def test_marshal_yaml_is_json_then_json_to_yaml(value: Any) -> None:
    assert Y.marshal_yaml(value) == Y.json_to_yaml(gojson.marshal(value))


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes",
        "no",
        "on",
        "~",
        "null",
        "",
        "0x1F",
        "017",
        "1_000",
        "1.0",
        ".5",
        "1e400",
        "2001-12-14",
        "<<",
    ],
)
def test_resolve_plain_scalar_is_yaml_to_json(text: str) -> None:
    """The resolver other loaders use agrees with what YAMLToJSON makes of ``v: <text>``."""
    case = next((c for i, c in Y2J if c["request"]["text"] == f"v: {text}\n"), None)
    got = Y.resolve_plain_scalar(text)
    want = Y.yaml_to_json_value(f"v: {text}\n")["v"]
    assert _same(got, want) and type(got) is type(want)
    if case is not None:
        assert _same(got, json.loads(case["result"]["out"])["v"])


def test_marshal_yaml_json_error() -> None:
    with pytest.raises(gojson.GoJSONError) as go:
        gojson.marshal({"x": math.nan})
    with pytest.raises(YAMLError) as info:
        Y.marshal_yaml({"x": math.nan})
    assert info.value.message == "error marshaling into JSON: " + str(go.value)
    # also a Go error value, so the YAML template func reports "error calling YAML: <message>"
    assert isinstance(info.value, GoError)
    assert str(info.value) == info.value.message


def test_deep_nesting_is_a_yaml_error() -> None:
    """Past Python's recursion limit the port gives up with a YAMLError, not a RecursionError."""
    with pytest.raises(YAMLError, match="nested too deeply"):
        Y.yaml_to_json("[" * 5000 + "]" * 5000)
    with pytest.raises(YAMLError):
        Y.json_to_yaml("[" * 5000 + "1" + "]" * 5000)


# ---------------------------------------------------------------------------------------------
# properties (no Go needed)

_KEYS = st.sampled_from(
    ["a", "b", "name", "type", "x.y", "a b", "1", "yes", "~", "<<", "'q'", '"d"', "k:v", "-x"]
)
_SCALARS = st.sampled_from(
    [
        "a",
        "yes",
        "No",
        "null",
        "~",
        "0",
        "-1",
        "0x1F",
        "017",
        "1.0",
        ".5",
        "1e3",
        ".inf",
        "2001-12-14",
        "12:30:45",
        "x y",
        "a#b",
        "a #b",
        "http://x:80",
        "-x",
        "'q'",
        "'it''s'",
        '"d"',
        '"e\\tf"',
        '"\\q"',
        "[]",
        "{}",
        "[a]",
        "{a: 1}",
        "&a x",
        "*a",
        "!!str 1",
        "|",
        "",
        "a: b",
        "@x",
        "é",
        "<<",
    ]
)


@st.composite
def _yaml_docs(draw: st.DrawFn) -> str:
    """Block YAML in roughly the shape templates render, with random indentation slips."""
    lines: list[str] = []
    depth_stack = [0]
    for _ in range(draw(st.integers(1, 12))):
        ind = depth_stack[-1] + draw(st.sampled_from([0, 0, 0, 1, 2, -2, -4]))
        ind = max(ind, 0)
        kind = draw(st.sampled_from(["kv", "kv", "k", "item", "itemkv", "blank", "comment"]))
        pad = " " * ind
        if kind == "kv":
            lines.append(f"{pad}{draw(_KEYS)}: {draw(_SCALARS)}")
        elif kind == "k":
            lines.append(f"{pad}{draw(_KEYS)}:")
            depth_stack.append(ind + draw(st.sampled_from([0, 2])))
        elif kind == "item":
            lines.append(f"{pad}- {draw(_SCALARS)}")
        elif kind == "itemkv":
            lines.append(f"{pad}- {draw(_KEYS)}: {draw(_SCALARS)}")
            depth_stack.append(ind + 2)
        elif kind == "blank":
            lines.append(pad)
        else:
            lines.append(f"{pad}# c")
        if len(depth_stack) > 1 and draw(st.booleans()):
            depth_stack.pop()
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "  \n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_yaml_docs())
def test_fast_path_agrees_with_full_port(text: str) -> None:
    fast = _outcome(_fast_path_json, text)
    if fast["out"] is None and fast["err"] is None:
        return
    assert fast == _outcome(_full_path_json, text)


_NICE_TEXT = st.text(
    alphabet=string.ascii_letters + string.digits + " :#-?,[]{}'\"!&*|>%@`.\n\té日", max_size=30
)
_JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _NICE_TEXT
    | st.sampled_from(["yes", "1", "1.0", "~", "", " x", "x ", "2001-12-14", "12:30", "<<", "a\nb\n"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_NICE_TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSONISH)
def test_marshal_yaml_reads_back(value: Any) -> None:
    """What ``yaml.Marshal`` writes, ``YAMLToJSON`` reads back as the same JSON."""
    want = gojson.marshal(value)
    assert Y.yaml_to_json(Y.marshal_yaml(value)) == Y.yaml_to_json(want)

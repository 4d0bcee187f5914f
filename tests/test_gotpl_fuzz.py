"""Property tests: whatever the template and the data, the engine answers or raises TemplateError.

Templates come from a small grammar over Go's actions, pipelines, control structures and a
sample of functions (including wrong arities and types), plus raw noise; data is arbitrary JSON.
Anything but a string or a :class:`TemplateError` is a bug in kwokbook.
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwokbook.gotpl import Env, Renderer, TemplateError

RENDERER = Renderer(profile="harness", env=Env.at("2024-05-06T07:08:09Z"))
JSON_RENDERER = Renderer(profile="oracle-pod", env=Env.at("2024-05-06T07:08:09Z"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)
data = st.dictionaries(st.sampled_from(["a", "b", "n", "l", "m", "s", "metadata", "status", "x.y"]), json_values,
                       max_size=6)

FUNCS = ["len", "index", "print", "printf", "eq", "ne", "lt", "and", "or", "not", "slice", "html", "js", "urlquery",
         "call", "Quote", "YAML", "toJson", "default", "upper", "trunc", "add", "int", "list", "dict", "first",
         "keys", "hasKey", "split", "join", "repeat", "regexMatch", "semver", "date", "now", "b64enc", "sha256sum",
         "until", "seq", "min", "ternary", "fromJson", "typeOf", "kindIs", "get", "set", "pick", "ago", "duration"]

operands = st.one_of(
    st.sampled_from([".", ".a", ".b.c", ".l", ".m.k", "$", "$x", "nil", "true", "1", "-3", "1.5", "0x1f", "'a'",
                     '"s"', "`raw`", ".n.deeper", "(index . \"a\")"]),
    st.text(alphabet="abc.$\"'`0123456789 ", max_size=6),
)


@st.composite
def pipelines(draw: Any) -> str:
    n = draw(st.integers(1, 3))
    cmds = []
    for _ in range(n):
        if draw(st.booleans()):
            fn = draw(st.sampled_from(FUNCS))
            args = " ".join(draw(st.lists(operands, max_size=3)))
            cmds.append(f"{fn} {args}".strip())
        else:
            cmds.append(draw(operands))
    return " | ".join(cmds)


@st.composite
def templates(draw: Any) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["text", "action", "if", "range", "with", "decl", "define", "noise", "comment"]))
        p = draw(pipelines())
        if kind == "text":
            parts.append(draw(st.text(max_size=10)))
        elif kind == "action":
            parts.append("{{" + draw(st.sampled_from(["", "- "])) + p + draw(st.sampled_from(["", " -"])) + "}}")
        elif kind == "if":
            parts.append(f"{{{{ if {p} }}}}A{{{{ else if {draw(pipelines())} }}}}B{{{{ else }}}}C{{{{ end }}}}")
        elif kind == "range":
            parts.append(f"{{{{ range $i, $e := {p} }}}}{{{{ $i }}}}{{{{ $e }}}}{{{{ break }}}}{{{{ end }}}}")
        elif kind == "with":
            parts.append(f"{{{{ with {p} }}}}{{{{ . }}}}{{{{ end }}}}")
        elif kind == "decl":
            parts.append(f"{{{{ $x := {p} }}}}{{{{ $x = {draw(pipelines())} }}}}{{{{ $x }}}}")
        elif kind == "define":
            parts.append(f'{{{{ define "t" }}}}{{{{ {p} }}}}{{{{ end }}}}{{{{ template "t" . }}}}')
        elif kind == "comment":
            parts.append("{{/* c */}}")
        else:
            parts.append(draw(st.text(alphabet="{}()|$.:= -\"'`\\abc\n", max_size=12)))
    return "".join(parts)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates(), data)
def test_render_returns_text_or_template_error(text: str, obj: dict[str, Any]) -> None:
    try:
        out = RENDERER.to_text(text, obj)
    except TemplateError as e:
        assert str(e).startswith("template: "), str(e)
        assert e.go_message in str(e)
        assert "internal error in kwokbook" not in str(e), str(e)  # a Python exception inside a port
    else:
        assert isinstance(out, str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates(), data)
def test_render_json_returns_json_or_template_error(text: str, obj: dict[str, Any]) -> None:
    import json

    try:
        out = JSON_RENDERER.to_json(text, obj)
    except TemplateError as e:
        assert "internal error in kwokbook" not in str(e), str(e)
        return
    json.loads(out)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_crashes(text: str) -> None:
    with contextlib.suppress(TemplateError):
        RENDERER.to_text(text, {"a": 1})

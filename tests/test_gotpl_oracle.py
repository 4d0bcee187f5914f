"""Replay every oracle-recorded ``render`` case through kwokbook.gotpl: output and errors must match Go."""

from __future__ import annotations

import base64
import re
from functools import cache
from typing import Any

import pytest

from kwokbook.gotpl import Env, Renderer, TemplateError
from tests.oracle_replay import load_cases, parse_rfc3339_ns, strip_pool_garbage

CASES = load_cases("render")

# The oracle's request profile → kwokbook's renderer profile (same function sets and fake bodies).
PROFILE = {"generic": "generic", "pod": "oracle-pod", "node": "oracle-node", "harness": "harness"}


@cache
def _renderer(profile: str) -> Renderer:
    return Renderer(profile=PROFILE[profile])


def _env(request: dict[str, Any]) -> Env:
    now = request.get("now")
    if now is None:
        return Env()
    ns = parse_rfc3339_ns(now)
    from datetime import datetime, timezone

    at = datetime.fromtimestamp(ns // 1_000_000_000, tz=timezone.utc).replace(
        microsecond=(ns % 1_000_000_000) // 1000)
    return Env(clock=lambda: at, clock_ns=lambda: ns)


def run_case(request: dict[str, Any]) -> tuple[str | None, str | None]:
    r = _renderer(request.get("profile", "generic"))
    r.reset_state()
    env = _env(request)
    try:
        if request.get("mode", "text") == "json":
            return r.to_json(request["template"], request.get("data"), env=env), None
        return r.to_text(request["template"], request.get("data"), env=env), None
    except TemplateError as e:
        return None, e.kwok_message


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_render_matches_go(case_id: str, case: dict[str, Any]) -> None:
    out, err = run_case(case["request"])
    want = case["result"]
    if want.get("err") is not None:
        assert out is None, f"Go failed with {want['err']!r} but kwokbook rendered {out!r}"
        assert err is not None
        if "err_b64" in want:  # not valid UTF-8: compare Go's exact bytes
            assert _bytes(strip_pool_garbage(err)) == strip_pool_garbage_bytes(base64.b64decode(want["err_b64"]))
        else:
            assert strip_pool_garbage(err) == strip_pool_garbage(want["err"])
        return
    assert err is None, f"kwokbook failed: {err}"
    if case.get("check") == "shape":
        assert out is not None and re.fullmatch(case["shape"], out, re.DOTALL), (out, case["shape"])
    elif "out_b64" in want:
        assert out is not None and _bytes(out) == base64.b64decode(want["out_b64"])
    else:
        assert out == want["out"]


def _bytes(s: str) -> bytes:
    """Rendered text as the bytes Go would write (invalid UTF-8 travels as surrogate escapes)."""
    return s.encode("utf-8", "surrogateescape")


def strip_pool_garbage_bytes(b: bytes) -> bytes:
    return strip_pool_garbage(b.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")


def test_corpus_is_large() -> None:
    """The issue asks for >= 600 recorded template cases; guard against the corpus shrinking."""
    assert len(CASES) >= 600, len(CASES)

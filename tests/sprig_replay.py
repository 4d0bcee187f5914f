"""Replay one oracle-recorded sprig suite through kwokbook.gotpl, decoding ``out_b64``/``err_b64``.

The recordings carry non-UTF-8 output as base64 next to a U+FFFD-mangled JSON string; kwokbook
models such bytes as surrogate escapes, so the exact bytes are compared here.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from tests.oracle_replay import RECORDED, strip_pool_garbage


def load_suite(suite: str) -> list[tuple[str, dict[str, Any]]]:
    doc = json.loads((RECORDED / f"{suite}.json").read_text())
    return [(c["id"], c) for c in doc["cases"]]


def _exact(result: dict[str, Any], key: str) -> str | None:
    b64 = result.get(f"{key}_b64")
    if b64:
        return base64.b64decode(b64).decode("utf-8", "surrogateescape")
    value = result.get(key)
    return None if value is None else str(value)


def check_case(case: dict[str, Any]) -> None:
    from tests.test_gotpl_oracle import run_case

    out, err = run_case(case["request"])
    want_err = _exact(case["result"], "err")
    if want_err is not None:
        assert out is None, f"Go failed with {want_err!r} but kwokbook rendered {out!r}"
        assert err is not None
        assert strip_pool_garbage(err) == strip_pool_garbage(want_err)
        return
    assert err is None, f"kwokbook failed: {err}"
    if case.get("check") == "shape":
        assert out is not None and re.fullmatch(case["shape"], out, re.DOTALL), (out, case["shape"])
    else:
        assert out == _exact(case["result"], "out")

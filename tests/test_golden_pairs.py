"""KWOK's own conformance suite: every testdata/*.input.yaml → *.output.yaml pair, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwokbook.stage import load_stages, preview
from kwokbook.yamlloc import load_file

SHARED = Path(__file__).resolve().parents[2] / "shared" / "kwok" / "stages"
if not SHARED.is_dir():  # CI layout: ../shared next to the checkout
    SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "kwok" / "stages"

PAIRS = sorted(SHARED.glob("*/*/testdata/*.input.yaml"))


def test_all_sixteen_pairs_found() -> None:
    assert len(PAIRS) == 16, PAIRS


@pytest.mark.parametrize("input_file", PAIRS, ids=[str(p.relative_to(SHARED)) for p in PAIRS])
def test_golden_pair(input_file: Path) -> None:
    stage_dir = input_file.parent.parent
    result = load_stages([stage_dir], strict=True)
    docs = load_file(str(input_file))
    assert len(docs) == 1
    got = preview(result.stages, docs[0].value).harness_yaml()
    want = input_file.with_name(input_file.name.replace(".input.yaml", ".output.yaml")).read_text()
    assert got == want

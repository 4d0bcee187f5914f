"""sprig semver functions: replay of the Go-recorded ``sprig_semver`` suite through kwokbook.gotpl."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_semver")


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


def test_suite_size() -> None:
    assert len(CASES) >= 60
    assert sum("semverCompare" in c["request"]["template"] for _, c in CASES) >= 30

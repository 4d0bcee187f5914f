"""sprig paths functions: replay of the Go-recorded ``sprig_paths`` suite through kwokbook.gotpl."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_paths")


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[c[0] for c in CASES])
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


def test_env_functions_do_not_leak_the_notebook_environment() -> None:
    from kwokbook.gotpl import Env, render

    tpl = '{{ env "HOME" }}|{{ expandenv "a $HOME ${X} $1 $$ ${} b $" }}|{{ getHostByName "example.com" }}'
    assert render(tpl, {}) == ("<env HOME: controller-side>|a <env HOME: controller-side> <env X: controller-side> "
                               "<env 1: controller-side> <env $: controller-side>  b $|"
                               "<getHostByName example.com: controller-side>")
    opted = Env(environ={"HOME": "/root"}, hosts={"example.com": ["192.0.2.7"]})
    # expandenv as Go's os.ExpandEnv gives it for that environment: "a /root     b $"
    assert render(tpl, {}, env=opted) == "/root|a /root     b $|192.0.2.7"

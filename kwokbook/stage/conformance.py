"""Run stage sets laid out like KWOK's (``*.yaml`` + ``testdata/*.input.yaml/*.output.yaml``).

``run_suite(path)`` finds every ``testdata/*.input.yaml`` below ``path`` (stage set = the folder
that holds ``testdata/``), previews it with that folder's stages and compares with the
``*.output.yaml`` next to it — what KWOK's ``kustomize/stage/stage_test.go`` does — so users can
test their own stage sets in CI. From pytest::

    from kwokbook.stage.conformance import run_suite
    def test_my_stages():
        assert all(r.passed for r in run_suite("stages/")), "\\n".join(r.report() for r in run_suite("stages/"))
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..errors import KwokbookError


@dataclass
class CaseResult:
    input: Path
    expected: Path
    passed: bool
    got: str = ""
    want: str | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        return str(self.input).removesuffix(".input.yaml")

    def diff(self) -> str:
        if self.want is None:
            return ""
        return "".join(difflib.unified_diff(self.want.splitlines(True), self.got.splitlines(True),
                                            f"{self.expected} (expected)", "kwokbook (got)"))

    def report(self) -> str:
        if self.passed:
            return f"PASS {self.name}"
        if self.error:
            return f"FAIL {self.name}: {self.error}"
        if self.want is None:
            return f"FAIL {self.name}: no {self.expected.name} (run with --update to create it)"
        return f"FAIL {self.name}\n{self.diff()}"


def find_inputs(root: str | Path) -> list[Path]:
    root = Path(root)
    if root.is_file():
        return [root]
    return sorted(root.rglob("testdata/*.input.yaml"))


def run_case(input_file: Path, *, update: bool = False) -> CaseResult:
    from ..yamlloc import load_file
    from .load import load_stages
    from .preview import preview

    expected = input_file.with_name(input_file.name.removesuffix(".input.yaml") + ".output.yaml")
    try:
        stages = load_stages([input_file.parent.parent], strict=True).stages
        docs = load_file(str(input_file))
        if len(docs) != 1:
            raise KwokbookError(f"expected exactly one resource in {input_file}, got {len(docs)}")
        pv = preview(stages, docs[0].value)
        if pv.error:
            raise KwokbookError(f"failed to list all possible stages: {pv.error}")
        failed = [c for c in pv.candidates if c.error is not None]
        if failed:
            raise KwokbookError(f"failed to do steps for stage {failed[0].name}: {failed[0].error}")
        got = pv.harness_yaml()
    except KwokbookError as e:
        return CaseResult(input_file, expected, False, error=str(e))
    want = expected.read_text() if expected.exists() else None
    if update and got != want:
        expected.write_text(got)
        want = got
    return CaseResult(input_file, expected, got == want, got, want)


def run_suite(root: str | Path, *, update: bool = False) -> list[CaseResult]:
    return [run_case(p, update=update) for p in find_inputs(root)]

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


def harness_testing(stage_files: list[tuple[str, str]], object_file: tuple[str, str]) -> tuple[str | None, str | None]:
    """KWOK's ``Testing`` (kustomize/stage/stage_test.go): (output YAML, error text) for one object.

    ``stage_files`` and ``object_file`` are (name, text) pairs; names appear in KWOK's messages.
    """
    from ..errors import YAMLError
    from ..yamlloc import load_documents
    from .load import KWOK_CONFIG_KINDS, load_stages_from_text
    from .preview import preview

    obj_name, obj_text = object_file
    try:
        docs = load_documents(obj_text, obj_name)
    except YAMLError as e:
        return None, f"failed to load resource file {obj_name}: {getattr(e, 'go_message', None) or e.message}"
    if len(docs) != 1:
        return None, f"expected exactly one resource in {obj_name}, got {len(docs)}"
    obj = docs[0].value
    if not isinstance(obj, dict) or not obj.get("kind"):
        from ..gotpl.gojson import marshal

        return None, f"failed to load resource file {obj_name}: Object 'Kind' is missing in '{marshal(obj)}'"
    names = "[" + " ".join(n for n, _ in stage_files) + "]"
    stages = []
    non_stage = 0
    for name, text in stage_files:
        try:
            res = load_stages_from_text(text, name, strict=False)
        except YAMLError as e:
            go = getattr(e, "go_message", None) or e.message
            return None, (f"failed to load stage files {names}: failed to decode \"\": "
                          f"error converting YAML to JSON: {go}")
        fatal = [d for d in res.diagnostics if d.severity == "error" and d.code == "schema-type"]
        if fatal:
            return None, f"failed to load stage files {names}: {fatal[0].go_message or fatal[0].message}"
        non_stage += sum(1 for d in res.skipped if (d.value or {}).get("kind") in KWOK_CONFIG_KINDS)
        stages.extend(res.stages)
    if non_stage:
        return None, f"expected only stage, got {non_stage} non-stage"
    if not stages:
        return None, "expected at least one stage, got 0"
    pv = preview(stages, obj)
    err = pv.harness_error()
    if err is not None:
        return None, err
    return pv.harness_yaml(), None


def run_case(input_file: Path, *, update: bool = False) -> CaseResult:
    from ..io import read_text
    from .load import stage_files

    expected = input_file.with_name(input_file.name.removesuffix(".input.yaml") + ".output.yaml")
    try:
        files = [(str(f), read_text(f)) for f in stage_files([input_file.parent.parent])]
        got, err = harness_testing(files, (str(input_file), read_text(input_file)))
    except KwokbookError as e:
        return CaseResult(input_file, expected, False, error=str(e))
    if err is not None or got is None:
        return CaseResult(input_file, expected, False, error=err)
    want = expected.read_text() if expected.exists() else None
    if update and got != want:
        expected.write_text(got)
        want = got
    return CaseResult(input_file, expected, got == want, got, want)


def run_suite(root: str | Path, *, update: bool = False) -> list[CaseResult]:
    return [run_case(p, update=update) for p in find_inputs(root)]

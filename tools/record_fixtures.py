#!/usr/bin/env python3
"""Record what KWOK's Go code answers for the hand-written fixture cases.

Reads ``tests/fixtures/cases/<suite>.yaml``, sends every case to one ``oracle run``
process (tools/oracle, built against KWOK v0.8.0) and writes
``tests/fixtures/recorded/<suite>.json``. pytest replays the recordings, so the
Python side is tested against Go without needing Go. ``--check`` re-records in
memory and fails on any difference, so CI notices stale recordings.

Usage: tools/record_fixtures.py [--oracle PATH] [--check] [SUITE_OR_FILE ...]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CASES_DIR = REPO / "tests" / "fixtures" / "cases"
RECORDED_DIR = REPO / "tests" / "fixtures" / "recorded"
DEFAULT_ORACLE = REPO / "tools" / "oracle" / "bin" / "oracle"

# Case keys that steer the recorder; every other key is a request field.
META_KEYS = frozenset({"id", "check", "shape", "data_ref", "comment"})
CHECKS = frozenset({"exact", "shape"})
DEFAULT_OP = "render"
# Oracle info keys whose change makes a recording stale (the Go version alone is
# reported, not failed on: a behaviour change shows up in the results anyway).
ORACLE_KEYS_COMPARED = ("kwok", "sprig", "gojq", "sigs_yaml", "tz")


class FixtureError(Exception):
    """A case file or the oracle is wrong; the message says where."""


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings.

    Why: sigs.k8s.io/yaml (what KWOK reads YAML with) gives strings for unquoted
    timestamps, and JSON has no datetime; ``now:`` and ``creationTimestamp:`` must
    reach the oracle as the text the author wrote.
    """


_CaseLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Case:
    """One case with its request fully resolved (defaults merged, data_ref inlined)."""

    id: str
    request: dict[str, Any]
    check: str
    shape: str | None = None


@dataclass
class Suite:
    """A parsed case file."""

    name: str
    path: Path
    cases: list[Case] = field(default_factory=list)

    @property
    def recorded_path(self) -> Path:
        return RECORDED_DIR / f"{self.name}.json"


def _where(path: Path, case_id: object = None) -> str:
    try:
        shown = str(path.relative_to(REPO))
    except ValueError:
        shown = str(path)
    return f"{shown}: case {case_id!r}" if case_id is not None else shown


def load_suite(path: Path) -> Suite:
    """Parse and validate one case file (fail early with the file and case named)."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_CaseLoader)
    except yaml.YAMLError as e:
        raise FixtureError(f"{_where(path)}: invalid YAML: {e}") from e
    if not isinstance(doc, dict):
        raise FixtureError(f"{_where(path)}: top level must be a mapping")
    unknown = set(doc) - {"suite", "defaults", "data", "cases", "comment"}
    if unknown:
        raise FixtureError(f"{_where(path)}: unknown top-level keys {sorted(unknown)}")
    name = doc.get("suite")
    if name != path.stem:
        raise FixtureError(f"{_where(path)}: suite must equal the file stem {path.stem!r}, got {name!r}")
    defaults = doc.get("defaults") or {}
    datasets = doc.get("data") or {}
    raw_cases = doc.get("cases")
    if not isinstance(defaults, dict) or not isinstance(datasets, dict):
        raise FixtureError(f"{_where(path)}: defaults and data must be mappings")
    if "id" in defaults:
        raise FixtureError(f"{_where(path)}: defaults may not set id")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise FixtureError(f"{_where(path)}: cases must be a non-empty list")

    suite = Suite(name=name, path=path)
    seen: set[str] = set()
    for raw in raw_cases:
        if not isinstance(raw, dict):
            raise FixtureError(f"{_where(path)}: every case must be a mapping, got {raw!r}")
        cid = raw.get("id")
        if not isinstance(cid, str) or not cid:
            raise FixtureError(f"{_where(path)}: case id must be a non-empty string, got {cid!r}")
        if cid in seen:
            raise FixtureError(f"{_where(path, cid)}: duplicate id")
        seen.add(cid)
        suite.cases.append(_resolve_case(path, cid, raw, defaults, datasets))
    return suite


def _resolve_case(
    path: Path, cid: str, raw: dict[str, Any], defaults: dict[str, Any], datasets: dict[str, Any]
) -> Case:
    # Request defaults belong to one op (defaults.op, else render): a case of another
    # op must not inherit e.g. render's `mode`. Meta defaults (check) apply to all.
    defaults_op = defaults.get("op", DEFAULT_OP)
    if raw.get("op", defaults_op) != defaults_op:
        defaults = {k: v for k, v in defaults.items() if k in META_KEYS}
    merged = {**defaults, **raw}
    check = merged.get("check", "exact")
    shape = merged.get("shape")
    if check not in CHECKS:
        raise FixtureError(f"{_where(path, cid)}: check must be one of {sorted(CHECKS)}, got {check!r}")
    if check == "shape":
        if not isinstance(shape, str):
            raise FixtureError(f"{_where(path, cid)}: check: shape needs a `shape:` regex string")
        try:
            re.compile(shape)
        except re.error as e:
            raise FixtureError(f"{_where(path, cid)}: bad shape regex: {e}") from e
    elif shape is not None:
        raise FixtureError(f"{_where(path, cid)}: `shape:` given but check is {check!r}")

    request = {k: copy.deepcopy(v) for k, v in merged.items() if k not in META_KEYS}
    if "data" in raw and "data_ref" in raw:
        raise FixtureError(f"{_where(path, cid)}: give data or data_ref, not both")
    ref = merged.get("data_ref")
    if ref is not None and "data" not in raw:  # a case's own data beats a default data_ref
        if not isinstance(ref, str) or ref not in datasets:
            raise FixtureError(f"{_where(path, cid)}: data_ref {ref!r} is not in the file's data")
        request["data"] = copy.deepcopy(datasets[ref])
    # `key: null` in a case removes a default (data: null stays: it is a value).
    request = {k: v for k, v in request.items() if v is not None or k == "data"}
    request.setdefault("op", DEFAULT_OP)
    request = {"op": request.pop("op"), **dict(sorted(request.items()))}
    try:
        json.dumps(request, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise FixtureError(f"{_where(path, cid)}: request is not plain JSON: {e}") from e
    return Case(id=cid, request=request, check=check, shape=shape)


class Oracle:
    """One ``oracle run`` process driven line by line."""

    def __init__(self, binary: Path) -> None:
        if not binary.is_file():
            raise FixtureError(f"oracle binary {binary} not found: run `make oracle`")
        env = {**os.environ, "TZ": "UTC"}
        self._proc = subprocess.Popen(
            [str(binary), "run"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._next = 0

    def ask(self, request: dict[str, Any], tag: str) -> dict[str, Any]:
        """Send one request, return the response without its id."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._next += 1
        rid = f"{self._next}:{tag}"
        self._proc.stdin.write(json.dumps({"id": rid, **request}, ensure_ascii=False, allow_nan=False) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise FixtureError(f"{tag}: oracle exited (code {self._proc.poll()}) without answering")
        response: dict[str, Any] = json.loads(line)
        if not isinstance(response, dict) or response.pop("id", None) != rid:
            raise FixtureError(f"{tag}: oracle answered out of order: {line.strip()[:200]}")
        return response

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def record(suite: Suite, oracle: Oracle, oracle_info: dict[str, Any]) -> dict[str, Any]:
    """Run every case of a suite; fail loudly on request errors and broken shapes."""
    cases: list[dict[str, Any]] = []
    for case in suite.cases:
        where = _where(suite.path, case.id)
        result = _collapse_pool_garbage(oracle.ask(case.request, where))
        if "error" in result:
            raise FixtureError(f"{where}: the oracle rejected the request: {result['error']}")
        entry: dict[str, Any] = {
            "id": case.id,
            "request": case.request,
            "result": result,
            "check": case.check,
        }
        if case.check == "shape":
            assert case.shape is not None
            out = result.get("out")
            if not isinstance(out, str) or re.fullmatch(case.shape, out) is None:
                raise FixtureError(
                    f"{where}: the oracle's own out {out!r} does not fully match shape {case.shape!r}"
                )
            entry["shape"] = case.shape
        cases.append(entry)
    return {"suite": suite.name, "oracle": oracle_info, "cases": cases}


POOL_MARKER = "<KWOK pooled buffer: {n} NUL bytes>"


def _collapse_pool_garbage(result: dict[str, Any]) -> dict[str, Any]:
    """KWOK appends its fresh 4 KiB pooled buffer (all NULs) to parse errors; store a marker instead.

    The replay strips this tail before comparing (its content depends on KWOK's buffer pool).
    """
    err = result.get("err")
    if isinstance(err, str) and "\x00" * 64 in err:
        head, sep, tail = err.partition(": \x00")
        if sep and tail.strip("\x00") == "":
            result = dict(result)
            result["err"] = head + ": " + POOL_MARKER.format(n=len(tail) + 1)
            result.pop("err_b64", None)
    return result


def dump(recording: dict[str, Any]) -> str:
    """Stable, reviewable JSON text: sorted keys, 2-space indent, final newline."""
    return json.dumps(recording, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _comparable(entry: dict[str, Any], nondeterministic: bool = False) -> dict[str, Any]:
    """A recorded case with the `out` of shape cases blanked (clock/random output)."""
    entry = copy.deepcopy(entry)
    if entry.get("check") == "shape" and isinstance(entry.get("result"), dict):
        entry["result"].pop("out", None)
    res = entry.get("result")
    if isinstance(res, dict) and (nondeterministic or res.get("alts")):
        # Go's answer depends on random map order here (`alts` lists the answers seen across repeated
        # runs); which one a run reports is itself random, so freshness ignores the answer.
        for k in ("alts", "out", "err", "code"):
            res.pop(k, None)
    return entry


def _short(value: object, limit: int = 160) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare(suite: Suite, fresh: dict[str, Any]) -> list[str]:
    """Differences between the committed recording and a fresh one (empty when current)."""
    where = _where(suite.recorded_path)
    if not suite.recorded_path.is_file():
        return [f"{where}: missing (run `make fixtures`)"]
    try:
        old = json.loads(suite.recorded_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        return [f"{where}: not valid JSON: {e}"]
    problems: list[str] = []
    if old.get("suite") != fresh["suite"]:
        problems.append(f"{where}: suite is {old.get('suite')!r}, want {fresh['suite']!r}")
    old_info = old.get("oracle") or {}
    for key in ORACLE_KEYS_COMPARED:
        if old_info.get(key) != fresh["oracle"].get(key):
            problems.append(
                f"{where}: recorded with oracle {key}={old_info.get(key)!r}, now {fresh['oracle'].get(key)!r}"
            )
    if old_info.get("go") != fresh["oracle"].get("go"):
        print(
            f"note: {where}: recorded with {old_info.get('go')}, oracle now {fresh['oracle'].get('go')}",
            file=sys.stderr,
        )
    old_cases = {c.get("id"): c for c in old.get("cases") or []}
    new_ids = [c["id"] for c in fresh["cases"]]
    if [c.get("id") for c in old.get("cases") or []] != new_ids:
        missing = [i for i in new_ids if i not in old_cases]
        extra = [i for i in old_cases if i not in new_ids]
        problems.append(
            f"{where}: case list differs (not recorded: {missing}, no longer in the case file: {extra}"
            + (", order changed" if not missing and not extra else "")
            + ")"
        )
    for new in fresh["cases"]:
        prev = old_cases.get(new["id"])
        if prev is None:
            continue
        nondet = any(isinstance(e.get("result"), dict) and e["result"].get("alts") for e in (prev, new))
        a, b = _comparable(prev, nondet), _comparable(new, nondet)
        if a == b:
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) == b.get(key):
                continue
            who = "oracle now says" if key == "result" else "case file now gives"
            old_v, new_v = a.get(key), b.get(key)
            if isinstance(old_v, dict) and isinstance(new_v, dict):
                for sub in sorted(set(old_v) | set(new_v)):
                    if old_v.get(sub) != new_v.get(sub):
                        problems.append(
                            f"{_where(suite.path, new['id'])}: {key}.{sub} recorded "
                            f"{_short(old_v.get(sub))}, {who} {_short(new_v.get(sub))}"
                        )
            else:
                problems.append(
                    f"{_where(suite.path, new['id'])}: {key} recorded {_short(old_v)}, {who} {_short(new_v)}"
                )
    return problems


def select_files(args: list[str]) -> list[Path]:
    """Case files named on the command line (suite names or paths), or all of them."""
    if not args:
        return sorted(CASES_DIR.glob("*.yaml"))
    files = []
    for arg in args:
        p = Path(arg)
        if p.suffix in {".yaml", ".yml"} or os.sep in arg:
            path = p.resolve()
        else:
            path = CASES_DIR / f"{arg}.yaml"
        if not path.is_file():
            raise FixtureError(f"no case file {path}")
        files.append(path)
    return files


def run(argv: list[str] | None = None, out: IO[str] = sys.stdout) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--oracle", type=Path, default=DEFAULT_ORACLE, help="oracle binary (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="fail if any recording is missing or stale")
    parser.add_argument("suites", nargs="*", metavar="SUITE_OR_FILE")
    args = parser.parse_args(argv)

    files = select_files(args.suites)
    suites = [load_suite(f) for f in files]
    oracle = Oracle(args.oracle)
    problems: list[str] = []
    try:
        info = oracle.ask({"op": "version"}, "version")
        for suite in suites:
            fresh = record(suite, oracle, info)
            if args.check:
                found = compare(suite, fresh)
                problems += found
                print(f"{'STALE' if found else 'ok   '} {suite.name}: {len(suite.cases)} cases", file=out)
                continue
            text = dump(fresh)
            path = suite.recorded_path
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                print(f"same    {path.relative_to(REPO)} ({len(suite.cases)} cases)", file=out)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote   {path.relative_to(REPO)} ({len(suite.cases)} cases)", file=out)
    finally:
        oracle.close()

    if args.check and not args.suites:
        known = {s.name for s in suites}
        for orphan in sorted(RECORDED_DIR.glob("*.json")):
            if orphan.stem not in known:
                problems.append(f"{_where(orphan)}: recording without a case file")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    return 0


def main() -> None:
    try:
        sys.exit(run())
    except FixtureError as e:
        print(f"record_fixtures: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

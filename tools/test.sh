#!/usr/bin/env bash
# The whole test suite, as CI runs it (README "test" command; .ci/run calls this via `make test`).
# Steps: Python env -> Go oracle + fixture freshness -> lint/types -> real KWOK cluster build -> pytest.
# With CI=true every prerequisite (Go, the cluster binaries) is mandatory: missing means failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "Python environment (.venv)"
bash tools/venv.sh

PY=.venv/bin/python
step "Go oracle and fixture freshness"
if command -v go >/dev/null 2>&1; then
  make --no-print-directory check-fixtures
else
  if [ "${CI:-}" = "true" ]; then echo "error: Go is required in CI (oracle, cluster)"; exit 1; fi
  echo "warning: no Go toolchain: skipping the oracle freshness check (recorded fixtures still replay)"
fi

step "ruff and mypy"
.venv/bin/ruff check kwokbook tests benchmarks tools/*.py
.venv/bin/mypy

step "Real KWOK cluster binaries"
if command -v go >/dev/null 2>&1; then
  bash tools/cluster/build.sh
elif [ "${CI:-}" = "true" ]; then
  echo "error: Go is required in CI to build the KWOK cluster"; exit 1
fi

step "pytest"
set +e
$PY -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests"; exit 1
fi
exit "$rc"

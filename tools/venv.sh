#!/usr/bin/env bash
# Create .venv (if needed) and install kwokbook with its test/dev extras, quietly and idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $($PYTHON --version 2>&1)" >&2
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.kwokbook-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "installing kwokbook and its dependencies into .venv (log: .venv/pip.log)" >&2
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e '.[dev]'; } \
      >.venv/pip.log 2>&1; then
    tail -n 30 .venv/pip.log >&2
    echo "error: pip install failed (full log: .venv/pip.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi

# kwokbook developer targets. Each tool keeps its own section; add new ones below.

SHELL := /bin/bash
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)

.PHONY: help
help:
	@echo "Targets:"
	@echo "  demo            set up .venv and run the main job on the embedded default (README)"
	@echo "  test            set up everything and run the whole test suite (README; what CI runs)"
	@echo "  oracle          build the Go oracle (tools/oracle/bin/oracle) if its sources changed"
	@echo "  fixtures        build the oracle and re-record tests/fixtures/recorded/ (SUITES='a b' to limit)"
	@echo "  check-fixtures  build the oracle and fail if any recording is missing or stale"

# ---------------------------------------------------------------------------
# Oracle: KWOK v0.8.0's own Go code answering JSON lines (tools/oracle/README.md)
# ---------------------------------------------------------------------------

ORACLE_DIR := tools/oracle
ORACLE_BIN := $(ORACLE_DIR)/bin/oracle
ORACLE_SRC := $(wildcard $(ORACLE_DIR)/*.go) $(ORACLE_DIR)/go.mod $(ORACLE_DIR)/go.sum
SUITES ?=

.PHONY: oracle fixtures check-fixtures

oracle: $(ORACLE_BIN)

$(ORACLE_BIN): $(ORACLE_SRC)
	cd $(ORACLE_DIR) && go build -trimpath -buildvcs=false -o bin/oracle .

fixtures: $(ORACLE_BIN)
	$(PYTHON) tools/record_fixtures.py --oracle $(ORACLE_BIN) $(SUITES)

check-fixtures: $(ORACLE_BIN)
	$(PYTHON) tools/record_fixtures.py --oracle $(ORACLE_BIN) --check $(SUITES)

# ---------------------------------------------------------------------------
# The README's two commands
# ---------------------------------------------------------------------------

.PHONY: demo test venv

venv:
	@bash tools/venv.sh

demo: venv
	@.venv/bin/kwokbook simulate --stages general --nodes 2 --pods 3 --job-pods 2 --for 2m --seed 1

test:
	@bash tools/test.sh

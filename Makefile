# pact-ledger developer commands.
#   make test [PYTEST_ARGS='-x -k storage']   unit, integration and e2e tests
#   make serve [CASES=300 HOST=127.0.0.1 PORT=8000]   demo data + GraphQL server
#   make bench                                 storage, HTTP, append and import benchmarks
#   make clean                                 remove the venv and local data

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

PYTEST_ARGS ?=
CASES ?= 300
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv test serve bench clean

venv: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes (dependencies, entry points).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

test: venv
	scripts/ensure-postgres
	scripts/ensure-chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: venv
	$(BIN)/pact-ledger demo --cases $(CASES) --seed 7 --if-empty
	$(BIN)/pact-ledger serve --graphiql --host $(HOST) --port $(PORT)

bench: venv
	@command -v wrk >/dev/null || (apt-get install -y wrk >/dev/null 2>&1 || echo "wrk not installed: HTTP load from Python")
	scripts/ensure-postgres
	$(BIN)/python benchmarks/bench_storage.py
	$(BIN)/python benchmarks/bench_http.py
	$(BIN)/python benchmarks/bench_append.py
	$(BIN)/python benchmarks/bench_import.py

clean:
	rm -rf $(VENV) data/

# raretrace developer commands. `make demo` and `make test` are the two that matter.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= sqlite:///./raretrace-demo.db

.PHONY: demo test test-pg lint fmt typecheck imports check bench bench-quick docs install dev clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "raretrace needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Runtime install (what a user needs); re-runs when pyproject.toml changes.
# `raretrace precompile` compiles the numba kernels into numba's disk cache once, so
# that the first command after an install does not (see docs/performance.md).
$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[postgres]"
	$(BIN)/raretrace precompile --quiet
	@touch $@

# Development install: runtime + test and lint tools.
$(VENV)/.stamp-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[postgres,dev]"
	$(BIN)/raretrace precompile --quiet
	@touch $@ $(VENV)/.stamp-install

install: $(VENV)/.stamp-install
dev: $(VENV)/.stamp-dev

## Set up and run the main job on the embedded (illustrative) sample world.
demo: install
	$(BIN)/raretrace demo --db $(DEMO_DB)

## Install what the tests need and run them (PostgreSQL too when
## RARETRACE_TEST_POSTGRES_URL is set; `make test-pg` starts a local server).
test: dev
	$(BIN)/python -m pytest -n 2 -q

test-pg: dev
	RARETRACE_TEST_POSTGRES_URL="$$(scripts/pg-server start)" $(BIN)/python -m pytest -n 2 -q

lint: dev
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

fmt: dev
	$(BIN)/ruff check --fix src tests benchmarks tools
	$(BIN)/ruff format src tests benchmarks tools

typecheck: dev
	$(BIN)/mypy

imports: dev
	$(BIN)/lint-imports

check: lint typecheck imports test

## Regenerate docs/cli.md (the command reference) from the Typer app.
docs: dev
	$(BIN)/cog -I tools -r docs/cli.md

bench: dev
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

## Every benchmark at 100k parts (a few minutes): rollup with its baselines, where-used,
## cold and warm start from SQLite, whole-process CLI latency, simulation.
BENCH_DB ?= /tmp/raretrace-bench-100k.db
bench-quick: dev
	rm -rf $(BENCH_DB) $(BENCH_DB).cache
	$(BIN)/raretrace synth --parts 100000 --seed 42 --db sqlite:///$(BENCH_DB) --json > /dev/null
	cd benchmarks && ../$(BIN)/python bench_rollup.py 100000 --runs 5
	cd benchmarks && ../$(BIN)/python bench_where_used.py 100000
	cd benchmarks && ../$(BIN)/python bench_load.py sqlite:///$(BENCH_DB)
	cd benchmarks && ../$(BIN)/python bench_cli.py sqlite:///$(BENCH_DB) --runs 3
	cd benchmarks && ../$(BIN)/python bench_simulate.py --runs 300 --small-runs 3 --repeat 1 --heavy-runs 5
	rm -rf $(BENCH_DB) $(BENCH_DB).cache

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache raretrace-demo.db*

# The daily loop. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PERIOD ?= 2018-05

.PHONY: run test lint format templates samples bench mutants clean

$(BIN)/innova-reports: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/innova-reports
	$(BIN)/innova-reports run --period $(PERIOD)

test: $(BIN)/innova-reports
	$(BIN)/python -m pytest -q

lint: $(BIN)/innova-reports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(BIN)/innova-reports
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

templates: $(BIN)/innova-reports
	$(BIN)/innova-reports templates --output templates

samples: $(BIN)/innova-reports
	$(BIN)/python -m innova_reports.template.samples --output workbooks

bench: $(BIN)/innova-reports
	$(BIN)/python bench/bench_read.py

# Mutation testing of the business rules (docs/dev-mutation.md): minutes, not part of
# `make test`. A fresh run each time: mutmut's cache would keep verdicts of older tests.
MUTANTS_JOBS ?= 2
mutants: $(BIN)/innova-reports
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTANTS_JOBS)
	$(BIN)/mutmut results --all true | $(BIN)/python bench/mutants_table.py
	$(BIN)/python bench/hand_mutants.py

clean:
	rm -rf output/*/ .pytest_cache .ruff_cache mutants

# Tskaltubo citizens' feedback platform. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
TEST_WORKERS ?= auto
#: What `make test` adds to pytest: coverage by default; CI's second run (PostgreSQL) sets
#: TEST_ARGS="--ignore=tests/e2e" COVERAGE= (browser journeys and coverage once, on SQLite).
COVERAGE ?= --cov
TEST_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help run test test-e2e lint format migrate demo messages bench bench-scripts clean

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: $(VENV)/.installed ## Set up and serve the site with demo content on http://127.0.0.1:8000 (PORT overrides)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_data
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev ## Run the whole test suite in parallel (browser tests skip without Chromium, fail under CI)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(COVERAGE) $(TEST_ARGS)

test-e2e: $(VENV)/.installed-dev ## Run only the browser journeys
	$(BIN)/pytest tests/e2e

lint: $(VENV)/.installed-dev ## ruff check, ruff format --check, Django checks, migrations up to date, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/mypy

format: $(VENV)/.installed-dev ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.installed ## Apply database migrations
	$(MANAGE) migrate --no-input

demo: $(VENV)/.installed ## Load (or refresh) reference data, demo content and demo staff accounts
	$(MANAGE) load_demo_data

messages: $(VENV)/.installed ## Extract translatable strings into locale/ and compile them
	$(MANAGE) makemessages --locale ka --locale en --ignore '.venv/*' --ignore 'var/*' --ignore 'templates/wagtailadmin/*' --ignore '*/tests/*' --ignore 'locale/*' --no-obsolete
	$(BIN)/python locale/po_fill.py locale/en/LC_MESSAGES/django.po --identity
	$(MANAGE) compilemessages --ignore '.venv/*'

bench: $(VENV)/.installed-dev ## Project vs stock Wagtail, one table (BENCH_QUICK=1: CI smoke; BENCH_ARGS: more options)
	$(BIN)/python bench/run.py $(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)

bench-scripts: $(VENV)/.installed-dev ## The older single-question benchmarks (exports, workbook, imports)
	$(BIN)/python bench/bench_exports.py
	$(BIN)/python bench/bench_workbook.py
	$(BIN)/python bench/bench_imports.py

clean: ## Remove the virtualenv and local data (the SQLite database, media, collected static)
	rm -rf $(VENV) var

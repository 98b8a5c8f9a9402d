# Tracelot: `make run` starts the demo plant, `make test` runs every check on both databases.
# Targets are idempotent: the virtualenv is reinstalled only when pyproject.toml changes.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TRACELOT := $(BIN)/tracelot
INSTALLED := $(VENV)/.installed
INSTALLED_DEV := $(VENV)/.installed-dev

DATA_DIR := $(or $(TRACELOT_DATA_DIR),var)
DEMO_LOTS ?= 20000
# Where `make run` and `make serve` listen: HOST:PORT (e.g. ADDR=0.0.0.0:8080).
ADDR ?= 127.0.0.1:8000
CATALOGUE := src/tracelot/locale/zh_Hans/LC_MESSAGES/django.po

TEST_PG_URL := $(or $(TRACELOT_TEST_PG_URL),postgres://postgres@127.0.0.1:5432/tracelot)
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
# `python -m` puts the repository on sys.path so the engine plugin (tests/db_engines.py) loads.
PYTEST := $(BIN)/python -m pytest -p tests.db_engines -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
# The browser tests drive the pages, not the database engine: they run once, in test-browser.
NO_BROWSER := --ignore=tests/browser

.PHONY: help install dev run migrate demo serve test lint format-check migrations-check \
	typecheck imports-check messages-check test-sqlite test-postgres test-browser messages format clean

help:
	@echo "make run            install, migrate, build the demo plant once, serve on 127.0.0.1:8000"
	@echo "                    (another address or port: make run ADDR=0.0.0.0:8080)"
	@echo "make serve          serve without building the demo (ADDR=HOST:PORT as for run)"
	@echo "make test           lint, format, migrations, mypy, import layers, catalogue, pytest on"
	@echo "                    SQLite and PostgreSQL, browser tests once"
	@echo "make test-sqlite    pytest on SQLite only, without the browser tests (PYTEST_ARGS='-k admin')"
	@echo "make test-postgres  the same on PostgreSQL (TRACELOT_TEST_PG_URL=$(TEST_PG_URL))"
	@echo "make test-browser   the browser tests (tests/browser, system Chromium), once, on SQLite"
	@echo "make format         apply ruff fixes and formatting"

# --- environment ----------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
		echo "$(PYTHON) cannot make a virtualenv: install python3-venv (sudo apt-get install python3-venv)"; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

# The dev install includes the plain one, so it refreshes both stamps.
$(INSTALLED_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(INSTALLED) $@

install: $(INSTALLED)
dev: $(INSTALLED_DEV)

# --- run ------------------------------------------------------------------------------------

migrate: $(INSTALLED)
	$(TRACELOT) migrate --no-input

# The demo is built the first time only: --if-empty leaves a database that holds a plant alone.
demo: migrate
	$(TRACELOT) demo --lots $(DEMO_LOTS) --if-empty

serve: $(INSTALLED)
	$(TRACELOT) serve $(ADDR)

run: demo
	$(TRACELOT) demo_logins
	$(TRACELOT) serve $(ADDR)

# --- test -----------------------------------------------------------------------------------

# Every step runs even when an earlier one fails, so one run shows every problem; the
# target fails at the end if any step did.
TEST_STEPS := lint format-check migrations-check typecheck imports-check messages-check \
	test-sqlite test-postgres test-browser

test: $(INSTALLED_DEV)
	@failed=""; \
	for step in $(TEST_STEPS); do \
		$(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	echo; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all steps passed"

lint: $(INSTALLED_DEV)
	@echo "==> ruff check"
	@$(BIN)/ruff check .

format-check: $(INSTALLED_DEV)
	@echo "==> ruff format --check"
	@$(BIN)/ruff format --check .

migrations-check: $(INSTALLED_DEV)
	@echo "==> makemigrations --check"
	@# An empty scratch database: the check compares models with migration files, and must
	@# not trip over (or touch) the state of a developer's own database.
	@scratch=$$(mktemp -d); \
	env -u DATABASE_URL TRACELOT_DATA_DIR=$$scratch $(TRACELOT) makemigrations --check --dry-run; \
	status=$$?; rm -rf "$$scratch"; exit $$status

typecheck: $(INSTALLED_DEV)
	@echo "==> mypy"
	@$(BIN)/mypy

# The layers in pyproject.toml's [tool.importlinter]: apps import only from below.
imports-check: $(INSTALLED_DEV)
	@echo "==> import contracts"
	@$(BIN)/lint-imports --no-cache

messages-check: $(INSTALLED_DEV)
	@echo "==> zh_Hans catalogue"
	@if [ ! -f "$(CATALOGUE)" ]; then echo "skipped: $(CATALOGUE) does not exist yet"; exit 0; fi; \
	command -v msgfmt >/dev/null || { echo "msgfmt not found: sudo apt-get install gettext"; exit 1; }; \
	stats=$$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$(CATALOGUE)" 2>&1) \
		|| { echo "$$stats"; exit 1; }; \
	echo "$$stats"; \
	case "$$stats" in *fuzzy*|*untranslated*) \
		echo "$(CATALOGUE) has fuzzy or untranslated entries"; exit 1;; esac

test-sqlite: $(INSTALLED_DEV)
	@echo "==> pytest on SQLite"
	@env -u DATABASE_URL -u TRACELOT_TEST_DATABASE_NAME $(PYTEST) $(NO_BROWSER)

# Django creates test_<name> (with -n, test_<name>_gw0, _gw1, ...) beside the database in
# the URL; only the server has to be running. CI must not skip this run silently.
test-postgres: $(INSTALLED_DEV)
	@echo "==> pytest on PostgreSQL"
	@if $(BIN)/python -m tests.db_engines postgres-reachable '$(TEST_PG_URL)'; then \
		env -u TRACELOT_TEST_DATABASE_NAME DATABASE_URL='$(TEST_PG_URL)' $(PYTEST) $(NO_BROWSER); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "FAILED: CI=true and PostgreSQL is not reachable; the PostgreSQL run is required."; \
		exit 1; \
	else \
		echo "skipped: start PostgreSQL (e.g. sudo pg_ctlcluster <version> main start) or set"; \
		echo "TRACELOT_TEST_PG_URL=postgres://user:password@host:5432/tracelot to run it."; \
	fi

# Without Chromium the browser tests skip, except under CI=true, where they fail
# (tests/browser/conftest.py).
test-browser: $(INSTALLED_DEV)
	@echo "==> browser tests (Chromium) on SQLite"
	@env -u DATABASE_URL -u TRACELOT_TEST_DATABASE_NAME $(PYTEST) tests/browser

# Extract new strings into the catalogue and compile it (translate the new entries between).
messages: $(INSTALLED_DEV)
	cd src/tracelot && ../../$(TRACELOT) makemessages -l zh_Hans --no-obsolete
	msgfmt --check -o $(CATALOGUE:.po=.mo) $(CATALOGUE)

format: $(INSTALLED_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

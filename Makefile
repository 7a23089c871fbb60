# Virage — every set-up step lives here so a fresh machine needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUN_ENV := VIRAGE_ENV=development
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv install install-test migrate demo run test lint format test-postgres test-browser browser-deps messages compilemessages bench seed-province clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11 or newer is needed"; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

venv: $(PY) ## Create the virtual environment in .venv

$(VENV)/.installed: requirements/base.txt | $(PY)
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(PY)
	$(PIP) install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Install the runtime dependencies

install-test: $(VENV)/.installed-test ## Install the runtime and test dependencies

compilemessages: install ## Compile the translation catalogues
	$(RUN_ENV) $(PY) manage.py compile_catalogues

migrate: install compilemessages ## Apply the database migrations (SQLite in var/ by default)
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py update_reach

demo: migrate ## Load the demo programs, organizations and accounts
	$(RUN_ENV) $(PY) manage.py seed_demo

run: demo ## Set up and serve the French UI at http://127.0.0.1:8000 with demo data
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-test ## ruff (lint and format check)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install-test compilemessages ## Lint, check migrations and run every test (SQLite unless DATABASE_URL is set)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	VIRAGE_ENV=test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

test-postgres: ## The same tests on the local PostgreSQL server
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/virage} $(MAKE) test

browser-deps: install-test ## Install Debian's Chromium when it is missing (needs root)
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test-browser: install-test compilemessages browser-deps ## Browser tests in Chromium with axe-core (screenshots of failures in var/browser-artifacts)
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

messages: install-test ## Extract the strings to translate into virage/locale
	cd virage && ../$(PY) ../manage.py makemessages -l fr -l en --no-obsolete --ignore "tests/*"

seed-province: migrate ## Province-scale data (250,000 organizations, 20,000 events, 3,000,000 registrations, 500,000 enrollments)
	$(RUN_ENV) $(PY) manage.py seed_demo --scale province --seed 2026

bench: install-test ## Run the benchmarks (see docs/performance.md)
	$(PY) bench/run.py

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var .pytest_cache

# The front door. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN := $(BIN)/python scripts/with_services.py
export DJANGO_SETTINGS_MODULE ?= portal.settings.local
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

.PHONY: install
install: $(BIN)/.installed node_modules/.installed ## Create the virtualenv and install pinned Python and npm dependencies

var/celery:
	mkdir -p var/celery/queue var/celery/control

.PHONY: run
run: install var/celery ## Start the portal with demo data on port WEB_PORT (8000); it prints the address (Ctrl-C stops everything)
	$(RUN) $(BIN)/python scripts/run_portal.py

.PHONY: test
test: install ## Run the whole test suite (embedded PostgreSQL if DATABASE_URL is unset)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(RUN) $(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

.PHONY: bench
bench: install ## Run the benchmarks in tests/bench (wrk, installed if missing) and write bench-results/
	scripts/ensure_wrk.sh
	DJANGO_SETTINGS_MODULE=portal.settings.test $(RUN) $(BIN)/pytest tests/bench -m bench -p no:xdist $(PYTEST_ARGS)

.PHONY: mutate
mutate: install ## Mutation-test access, audit, passcodes and the throttle (slow, not in CI; MUTANTS='glob' narrows it)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(RUN) $(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

.PHONY: fuzz
fuzz: install ## Fuzz the API against its OpenAPI schema (schemathesis, every check; FUZZ_EXAMPLES=500 per operation)
	DJANGO_SETTINGS_MODULE=portal.settings.test FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(RUN) $(BIN)/pytest tests/api/test_schema_fuzz.py -p no:xdist $(PYTEST_ARGS)

.PHONY: lint
lint: install ## Lint with ruff
	$(BIN)/ruff check .

.PHONY: migrations-check
migrations-check: install ## Fail if models have changes without migrations
	$(RUN) $(BIN)/python manage.py makemigrations --check --dry-run

.PHONY: migrate
migrate: install ## Apply database migrations
	$(RUN) $(BIN)/python manage.py migrate

.PHONY: seed
seed: install ## Load demo data (safe to run twice)
	$(RUN) $(BIN)/python manage.py seed_demo --list

.PHONY: shell
shell: install ## Django shell
	$(RUN) $(BIN)/python manage.py shell

.PHONY: lock
lock: ## Re-pin every dependency into requirements.lock (after editing pyproject.toml)
	$(BIN)/pip-compile --quiet --allow-unsafe --extra dev --strip-extras --generate-hashes -o requirements.lock pyproject.toml

.PHONY: db-stop
db-stop: ## Stop the embedded PostgreSQL if it was left running
	$(BIN)/python -c "from portal import embedded; print('stopped' if embedded.stop() else 'not running')"

.PHONY: clean
clean: db-stop ## Remove the embedded database, broker folders and collected static files
	rm -rf var

# The two commands of the README: `make run` and `make test`. Both set up
# everything they need on a fresh machine and are safe to run again.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := IOM_ENV=development IOM_REQUIRE_2FA=$${IOM_REQUIRE_2FA:-false}
PORT ?= 8000

.PHONY: run test setup lint typecheck pytest chromium

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

## run: the product on an embedded SQLite database with the demo partnership, and the
## background worker for large feed files beside the web server (Ctrl-C stops both)
run: setup
	mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	PORT=$(PORT) $(DEV_ENV) $(BIN)/python manage.py seed_demo --if-empty
	$(DEV_ENV) $(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: lint, type checks and every test (browser tests included)
test: setup chromium lint typecheck pytest

chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

lint:
	$(BIN)/ruff check .

typecheck:
	IOM_ENV=test $(BIN)/mypy .

pytest:
	IOM_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS)

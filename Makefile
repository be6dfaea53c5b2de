# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests that save what they show when SCREENSHOTS_DIR is set.
SCREENSHOT_TESTS := checkout/tests/test_screenshots.py checkout/tests/test_dashboard_browser.py checkout/tests/test_closeout_browser.py

.PHONY: run test bench lint install install-dev clean screenshots api-schema

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# Local settings for manage.py: DEBUG=1 and a random SECRET_KEY. Made once, never overwritten
# (delete it to get a new one); tests never read it. Standard library only, so no venv needed.
.env:
	$(PYTHON) -m cogproject.envfile $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up and serve the app on SQLite with demo data at http://127.0.0.1:8000, with the
## email worker beside it (after it, `.venv/bin/python manage.py ...` works as the README
## writes it: see .env)
run: install .env
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo --if-empty
# The worker sends the emails (to this terminal: the console backend) and stops with the
# server: Ctrl-C reaches both, and the trap stops it if the server exits on its own.
	export DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Set up and run the linters and the tests (SQLite unless DATABASE_URL says otherwise)
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

## Benchmark on PostgreSQL with gunicorn and production settings; writes docs/benchmarks.md
bench: install-dev
	$(PY) -m bench.run $(BENCH_ARGS)

## Regenerate the README's screenshots (docs/screenshots/) in headless Chromium, from the demo data
screenshots: install-dev
	SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -q -p no:cacheprovider $(SCREENSHOT_TESTS)

## Write the read API's OpenAPI schema to api/openapi.json (a test fails until it matches)
api-schema: install
	COG_TESTING=1 $(PY) manage.py export_openapi_schema --api api.urls.api --indent 2 --output api/openapi.json

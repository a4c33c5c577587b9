# CPIMS — the two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a local demo: debug mode, demo data, SQLite unless DATABASE_URL says otherwise.
DEMO_ENV := DEBUG=1 CPIMS_DEMO=1

.PHONY: run test lint format messages assets bench clean worker audit fuzz

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CPIMS needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "CPIMS is at http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@$(DEMO_ENV) $(PY) manage.py run_worker & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(PY) manage.py run_worker

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile -q -m "not fuzz"

# `make test` sends every API operation through Schemathesis (two generated requests each);
# this deeper run adds the coverage phase (boundary values, wrong types, missing and unknown
# fields) and ten generated requests per operation: ~39,000 requests, about 6 CPU minutes.
fuzz: $(STAMP)
	$(PY) -m pytest -n 2 -q -m fuzz tests/security/test_api_fuzz.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r cpims -lll

# Needs the PyPI JSON API or OSV (not reachable from the CI machines; run where they are).
audit: $(STAMP)
	$(VENV)/bin/pip install --quiet 'pip-audit>=2.7,<3'
	$(VENV)/bin/pip-audit --skip-editable --strict

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed.
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l mn -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages -l mn -l en --ignore=.venv

# Refresh vendored front-end assets from the npm registry (the copies are committed).
assets:
	npm install --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js cpims/core/static/cpims/vendor/htmx.min.js

# Benchmarks at a CI-friendly scale (a few minutes); prints each app/raw ratio. The PostgreSQL
# ones create and drop their own databases on BENCH_DATABASE_URL. See bench/README.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench: $(STAMP)
	$(PY) bench/dedupe.py --n 2000 --seed 1 --rounds 1 --no-doc
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/person_search.py --n 20000 --queries 200 --no-explain
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/case_list.py --cases 20000 --queries 100 --budget 10 --no-explain --no-candidates
	$(PY) bench/load.py --prepare --duration 15 --users 6
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/dashboards.py --prepare small --runs 3
	$(PY) bench/screens.py --prepare small --runs 3
	$(PY) bench/page_weight.py
	$(PY) bench/export.py --rows 20000 --small 5000
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/helpline.py --db cpims_bench_helpline_ci --contacts 20000 --persons 3000 --cases 500 --lookups 100 --duration 5 --clients 4 --no-explain

clean:
	rm -rf $(VENV) var node_modules

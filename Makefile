# Every target bootstraps .venv by itself: a fresh clone needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NA     := $(BIN)/newsarchive
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv import html publish serve test test-deps audit lint format check deploy bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=...)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(STAMP)  ## create .venv and install the project

import: $(STAMP)  ## import new or changed dumps from content/raw/
	$(NA) import

html: import  ## import, then build the site into output/ (relative URLs)
	$(NA) build

publish: import  ## build for deployment (SITEURL or --site-url gives the base URL)
	$(NA) build --publish

serve: import  ## build, serve on http://127.0.0.1:$(PORT) and rebuild on every save
	$(NA) serve --port $(PORT)

test-deps: $(STAMP)  ## install what the browser and HTML-validation tests need
	bash scripts/ensure-test-deps.sh

test: test-deps  ## run the whole test suite
	$(BIN)/python -m pytest

audit: $(STAMP)  ## axe + Lighthouse on home, an article, a person and search (AUDIT_ARGS="...")
	bash scripts/ensure-test-deps.sh --audit
	$(BIN)/python scripts/audit_pages.py $(AUDIT_ARGS)

lint: $(STAMP)  ## ruff lint + format check
	$(BIN)/ruff check src tests scripts pelicanconf.py publishconf.py
	$(BIN)/ruff format --check src tests scripts pelicanconf.py publishconf.py

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests scripts pelicanconf.py publishconf.py
	$(BIN)/ruff format src tests scripts pelicanconf.py publishconf.py

check: $(STAMP)  ## check output/ for broken links and assets
	$(NA) check

deploy: publish  ## push output/ to the gh-pages branch (refuses broken builds)
	$(NA) deploy

bench: $(STAMP)  ## benchmark import and build (prints medians; options: BENCH_ARGS="...")
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:  ## remove built output and caches (never content/)
	rm -rf output .cache .pytest_cache

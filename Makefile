# Two commands do it all: `make run` (the platform, SQLite, demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Both cores by default (pytest-xdist); `make test PYTEST_ARGS="-n 0 -x"` for one process.
PYTEST_ARGS ?= -n 2
# `make run PORT=8001` (or HOST=0.0.0.0) to serve elsewhere.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install migrate demo bench-import clean node

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(STAMP)

# JSON-LD contexts (pinned) and the independent verifier, from npm: needs Node.js and npm (Debian packages).
NODE_DIR := cqphub/credentials/node
NODE_STAMP := $(NODE_DIR)/build/contexts.json
$(NODE_STAMP): $(NODE_DIR)/package-lock.json $(NODE_DIR)/export-contexts.mjs
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error && node export-contexts.mjs

node: $(NODE_STAMP)

migrate: $(STAMP) $(NODE_STAMP)
	$(BIN)/cqphub compiletranslations -v 0
	$(BIN)/cqphub migrate --noinput -v 0

demo: migrate
	$(BIN)/cqphub demo load

run: demo
	@$(BIN)/cqphub demo accounts --url http://$(HOST):$(PORT)/
	$(BIN)/cqphub runserver $(HOST):$(PORT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check cqphub tests bench
	$(BIN)/ruff format --check cqphub tests bench
	$(BIN)/lint-imports --no-cache

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix cqphub tests bench
	$(BIN)/ruff format cqphub tests bench

test: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/cqphub compiletranslations -v 0
	$(BIN)/ruff check cqphub tests bench
	$(BIN)/ruff format --check cqphub tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/cqphub makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3

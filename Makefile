# Two commands do it all: `make run` (the platform, SQLite, demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

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
	$(BIN)/cqphub runserver 127.0.0.1:8000

lint: $(TEST_STAMP)
	$(BIN)/ruff check cqphub tests bench
	$(BIN)/ruff format --check cqphub tests bench

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix cqphub tests bench
	$(BIN)/ruff format cqphub tests bench

test: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/cqphub compiletranslations -v 0
	$(BIN)/ruff check cqphub tests bench
	$(BIN)/ruff format --check cqphub tests bench
	$(BIN)/cqphub makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3

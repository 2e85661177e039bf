# Two commands for a fresh machine with only python3:
#   make run   - set up, then serve the web app on the default scenario (ukraine-2025)
#   make test  - set up with the development tools, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PLAN   ?= ua-us-20-point
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run analyze test fuzz load lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[web]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,tables]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/zopa serve --host $(HOST) --port $(PORT)

analyze: $(VENV)/.installed
	$(BIN)/zopa analyze plan ukraine-2025 --plan $(PLAN)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# The dedicated fuzzing run: more than 100,000 generated inputs over every reader.
fuzz: $(VENV)/.installed-dev
	bash scripts/fuzz.sh

# The load test: 50 clients mixing reads and saves for 60 s against a real server, on SQLite
# and, when ZOPA_TEST_POSTGRES_URL is set, on PostgreSQL; results in test-output/load-*.json.
# Both run even if the first fails; the target fails if either did.
LOAD_ARGS ?= --clients 50 --seconds 60
load: $(VENV)/.installed-dev
	@mkdir -p test-output
	@status=0; \
	$(BIN)/python scripts/load_test.py $(LOAD_ARGS) --db sqlite \
		--json test-output/load-sqlite.json || status=1; \
	if [ -n "$$ZOPA_TEST_POSTGRES_URL" ]; then \
		$(BIN)/python scripts/load_test.py $(LOAD_ARGS) --postgres "$$ZOPA_TEST_POSTGRES_URL" \
			--json test-output/load-postgresql.json || status=1; \
	else \
		echo "load: ZOPA_TEST_POSTGRES_URL is not set; PostgreSQL not load-tested"; \
	fi; \
	exit $$status

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

# Benchmarks against NegMAS run in their own environment (NegMAS is heavy and AGPL).
bench:
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check -e . 'negmas==0.16.0'
	.venv-bench/bin/python benchmarks/frontier.py

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .hypothesis

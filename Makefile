# The README's two commands: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test setup system lint typecheck unit es es-stop es-status pg pg-stop pg-status bench-ocr bench-throughput bench-extraction bench-index bench-search-quality bench-export clean

demo: setup ## generate sample scans, ingest them, show searches
	$(BIN)/hoso demo

test: setup ## lint, type-check and run the whole test suite (starts a local Elasticsearch node and PostgreSQL cluster)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	scripts/test-with-services.sh $(BIN)/pytest $(PYTEST_ARGS)

setup: system $(VENV)/.installed

system:
	scripts/ensure-system.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -qq -e ".[dev]"
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup ## the fast tests only
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

es: ## start a local Elasticsearch test node; prints its URL
	scripts/elasticsearch.sh start

es-stop:
	scripts/elasticsearch.sh stop

es-status:
	scripts/elasticsearch.sh status

pg: ## start a local PostgreSQL test cluster; prints its SQLAlchemy URL
	scripts/postgres.sh start

pg-stop:
	scripts/postgres.sh stop

pg-status:
	scripts/postgres.sh status

bench-ocr: setup
	$(BIN)/python -m bench.ocr_quality

bench-throughput: setup
	$(BIN)/python -m bench.throughput

bench-extraction: setup
	$(BIN)/python -m bench.extraction

bench-index: setup
	$(BIN)/python -m bench.index_throughput
	$(BIN)/python -m bench.search_latency

bench-search-quality: setup ## known-item MRR@10 and recall@10 per query kind, both backends, plain BM25 beside
	$(BIN)/python -m bench.search_quality

bench-export: setup ## peak memory of exporting 100,000 records, per format
	$(BIN)/python -m bench.export_memory

clean:
	rm -rf $(VENV) hoso-data .pytest_cache .ruff_cache .mypy_cache

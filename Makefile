# One-command loops. Every target sets up what it needs from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# apt-get needs root: use sudo only when not already root.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index run test bench bench-peer bench-scale audit lint clean postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU torch first: an unpinned torch would pull gigabytes of CUDA packages.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/negotiate build

run: index
	$(BIN)/negotiate serve

# The browser test drives Debian's Chromium (Playwright cannot download a browser here).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

# The tests and benchmarks start their own PostgreSQL in a temporary folder (tests/postgres.py):
# Debian's package brings the server binaries. No system cluster: the drop-in below stops the
# package from creating one, so there is none to start.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) mkdir -p /etc/postgresql-common/createcluster.d && \
		echo 'create_main_cluster = false' | $(SUDO) tee /etc/postgresql-common/createcluster.d/negotiate.conf >/dev/null && \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq postgresql; \
	fi

test: install $(CHROMIUM) postgres
	$(BIN)/pytest -q

/usr/bin/wrk:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq wrk

bench: install /usr/bin/wrk postgres
	$(BIN)/python -m tests.bench

# SQLite beside PostgreSQL with two workers and with two servers: throughput and turns kept.
bench-scale: install postgres
	$(BIN)/python -m tests.bench.scale_bench

# Our whole answer beside a plain LlamaIndex retriever, same guides and model, one run: the
# seeds' gold questions, then each of the six parts of the held-out pay-shapes corpus.
bench-peer: install
	$(BIN)/pip install -q -e '.[peer]'
	$(BIN)/python -m tests.bench.peer
	$(BIN)/python -m tests.bench.shapes tests/guides/shapes/open
	$(BIN)/python -m tests.bench.shapes tests/guides/shapes/sealed
	$(BIN)/python -m tests.bench.shapes tests/guides/shapes/fresh
	$(BIN)/python -m tests.bench.shapes tests/guides/shapes/fourth
	$(BIN)/python -m tests.bench.shapes tests/guides/shapes/fifth
	$(BIN)/python -m tests.bench.shapes tests/guides/shapes/sixth

# The security audit's numbers against a real server: fuzzing, load + kill -9, limits, bodies.
audit: install /usr/bin/wrk
	$(BIN)/python -m tests.bench.audit

lint: install
	$(BIN)/ruff check index assistant web tests
	$(BIN)/ruff format --check index assistant web tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var build *.egg-info

# Regional smart-manufacturing policy briefings. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?=
ARGS ?=
SCALE_ARGS ?=

.PHONY: help setup system report watch test test-fast lint lab bench bench-scale bench-extract validate datadict clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

system: ## Install missing Debian packages (the Noto fonts, poppler)
	@scripts/setup-system.sh

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -c "import uv" 2>/dev/null || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --compile-bytecode --quiet
	@touch $@

$(VENV)/.fontcache: $(VENV)/.synced scripts/setup-system.sh
	@$(PY) -c "import matplotlib.font_manager as fm; fm.fontManager = fm._load_fontmanager(try_read_cache=False); fm.findfont('Noto Sans CJK SC', fallback_to_default=False); fm.findfont('Noto Sans', fallback_to_default=False)"
	@touch $@

$(VENV)/.lab: $(VENV)/.synced
	@$(UV) sync --frozen --compile-bytecode --extra lab --quiet
	@touch $@

setup: system $(VENV)/.fontcache ## Install what is missing: system packages, uv, the locked environment, font cache
	@$(PY) -m compileall -q -j 0 src > /dev/null  # byte code of the package itself, where Python may not write it

report: setup ## Build every briefing (HTML + PDF, English and Chinese) and reports/index.html
	@$(PY) -m briefings build $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

watch: setup ## Rebuild on each saved edit of data/, seeds/, notebooks/ with warm workers (ARGS="-r hebei")
	@$(PY) -m briefings watch $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

CHECKERS := tests/node_modules/.package-lock.json

$(CHECKERS): tests/package-lock.json
	@scripts/setup-system.sh test
	@cd tests && npm ci --no-audit --no-fund --loglevel=error

test: setup $(VENV)/.lab $(CHECKERS) ## Run the whole test suite (unit, notebooks, HTML/PDF, browsers, JupyterLab, axe-core, html-validate)
	@scripts/setup-system.sh test
	@$(MAKE) --no-print-directory lint
	@$(PY) -m pytest -q -n 2 --dist loadgroup $(ARGS)

lint: setup ## Lint and check formatting with ruff (configured in pyproject.toml)
	@$(VENV)/bin/ruff check src tests bench scripts
	@$(VENV)/bin/ruff format --check --quiet src tests bench scripts

test-fast: setup ## Run only the fast unit tests
	@$(PY) -m pytest -q -n 2 tests/unit $(ARGS)

lab: setup $(VENV)/.lab ## Open JupyterLab on notebooks/ (installs the optional 'lab' extra; as root too)
	@scripts/lab.sh $(ARGS)

bench: setup ## Benchmark the build against its content floor and the kernel-per-briefing baseline, then at scale; writes bench/results/
	@$(PY) bench/bench.py $(ARGS)
	@$(MAKE) --no-print-directory bench-scale

bench-scale: setup ## Benchmark at 330 synthetic regions against today's: per briefing, validation, one-row rebuilds
	@$(PY) bench/scale.py $(SCALE_ARGS)

bench-extract: setup ## Benchmark the drafter of add-source against the curated facts of the seeds
	@$(PY) bench/extract.py $(ARGS)

validate: setup ## Validate data/ against the schema and the seeds
	@$(PY) -m briefings validate

datadict: setup ## Regenerate data/README.md and data/datapackage.json from the schema
	@$(PY) -m briefings datadict

clean: ## Remove generated reports, figures and build files
	rm -rf build reports/* figures/* && touch reports/.gitkeep figures/.gitkeep

# One command per task; CI runs `make test` (see .ci/run).
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
SAMPLE_QUESTION ?= O que é DataOps e quais ferramentas ele usa?

.PHONY: setup run ask test test-deps test-fast lint eval bench clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip wheel setuptools
	# CPU torch from local disk first: an unpinned torch would pull a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	rm -f .venv/.installed-* && touch $(STAMP)

run: setup
	.venv/bin/fonte ingest corpus
	.venv/bin/fonte ui --port 8501

ask: setup
	.venv/bin/ask "$(SAMPLE_QUESTION)"

# Browser tests drive Debian's Chromium (Playwright's own browser download is not reachable here)
test-deps:
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)

# CI runs this: lint first (ruff, format, mypy), then the whole suite
test: setup lint test-deps
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not browser"

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

eval: setup
	.venv/bin/fonte eval --set mlops --backend extractive --gate
	.venv/bin/fonte eval --set mlops --backend llamacpp
	.venv/bin/fonte eval --set mlops_dev --backend extractive
	.venv/bin/fonte eval --set debian_ptbr --backend extractive
	.venv/bin/fonte eval --set debian_pt --backend extractive

bench: setup
	$(PY) -m eval.bench

clean:
	rm -rf .venv reports/eval-*

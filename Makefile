# One command per task; CI runs `make test` (see .ci/run).
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
SAMPLE_QUESTION ?= O que é DataOps e quais ferramentas ele usa?
# llama.cpp is built from source for this CPU, without AMX: this VM advertises AMX tiles but
# traps on them (SIGILL in ggml's AMX buffer), so -march=native builds crash at the first token.
CPU_FLAGS := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
cpu = $(if $(filter $(1),$(CPU_FLAGS)),ON,OFF)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=$(call cpu,avx2) -DGGML_FMA=$(call cpu,fma) \
	-DGGML_F16C=$(call cpu,f16c) -DGGML_BMI2=$(call cpu,bmi2) -DGGML_AVX512=$(call cpu,avx512f) \
	-DGGML_AVX512_VBMI=$(call cpu,avx512vbmi) -DGGML_AVX512_VNNI=$(call cpu,avx512_vnni) \
	-DGGML_AVX512_BF16=$(call cpu,avx512_bf16) -DGGML_AVX_VNNI=$(call cpu,avx_vnni) \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_VERSION := $(shell sed -n 's/^llama-cpp-python==//p' requirements.lock)

.PHONY: setup run ask test test-deps test-fast lint eval bench clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip wheel setuptools
	# CPU torch from local disk first: an unpinned torch would pull a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	# llama.cpp built here with the flags above; --no-cache-dir so a cached -march=native wheel is never reused
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir llama-cpp-python==$(LLAMA_VERSION)
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	rm -f .venv/.installed-* && touch $(STAMP)

run: setup
	.venv/bin/fonte ingest
	.venv/bin/fonte ui --port 8501

ask: setup
	.venv/bin/ask "$(SAMPLE_QUESTION)"

# Browser tests drive Debian's Chromium (Playwright's own browser download is not reachable here);
# replica tests share rate limits through Debian's redis-server
test-deps:
	command -v chromium >/dev/null && command -v redis-server >/dev/null || \
		(apt-get update -q && apt-get install -y -q chromium redis-server)

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

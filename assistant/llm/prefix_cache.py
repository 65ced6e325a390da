"""Saved llama.cpp states, so fixed instructions are prefilled once, not once per request.

llama-cpp-python reuses the longest common prefix with the *last* prompt only. Fonte sends
two kinds of request with different fixed system messages: condensing a follow-up and reading
the candidates. Alternating, each evicts the other's ~900-token prefix and it is prefilled
again: seconds per request on 2 cores. llama-cpp-python's `LlamaRAMCache` saves the state after
each request and restores the one sharing the longest prefix with the next prompt.

Its `Llama.save_state` also copies the logits buffer (n_batch × vocabulary floats: 311 MB for
Qwen's 152k-token vocabulary) after every completion, and `load_state` writes it back: 0.2–0.6 s
each on 2 cores, for logits a restored prefix never reads (the next prompt differs before its
end, so llama-cpp-python evaluates at least its last token again before sampling). `LeanLlama`
saves and restores the KV state and the token ids only.

This module imports `llama_cpp`: import it only where a model is loaded.
"""

from __future__ import annotations

import ctypes

import llama_cpp
import numpy as np
from llama_cpp import Llama, LlamaState
from llama_cpp.llama_cache import LlamaRAMCache

PREFIX_CACHE_BYTES = 256 << 20
"""RAM for saved states: the KV of a 1,300-token reader prompt is ~37 MB for Qwen 1.5B, so the
last few prompts of each kind fit."""


class LeanLlama(Llama):
    """`Llama` whose saved states hold no logits (see the module docstring)."""

    def save_state(self) -> LlamaState:
        size = llama_cpp.llama_state_get_size(self.ctx)
        data = (ctypes.c_uint8 * size)()
        n_bytes = llama_cpp.llama_state_get_data(self.ctx, data, size)
        if n_bytes > size:
            raise RuntimeError("Failed to copy llama state data")
        return LlamaState(
            input_ids=self.input_ids[: self.n_tokens].copy(),
            scores=np.zeros((0, self.n_vocab()), dtype=np.single),
            n_tokens=self.n_tokens,
            llama_state=ctypes.string_at(data, n_bytes),
            llama_state_size=n_bytes,
            seed=self._seed,
        )

    def load_state(self, state: LlamaState) -> None:
        self.input_ids[: state.n_tokens] = state.input_ids[: state.n_tokens]
        self.n_tokens = state.n_tokens
        self._requires_eval = True  # no logits restored: evaluate before sampling
        self._seed = state.seed
        data = (ctypes.c_uint8 * state.llama_state_size).from_buffer_copy(state.llama_state)
        if llama_cpp.llama_state_set_data(self.ctx, data, state.llama_state_size) != state.llama_state_size:
            raise RuntimeError("Failed to set llama state data")


class PrefixCache(LlamaRAMCache):
    """`LlamaRAMCache` of `LeanLlama` states, bounded by `PREFIX_CACHE_BYTES`."""

    def __init__(self, capacity_bytes: int = PREFIX_CACHE_BYTES):
        super().__init__(capacity_bytes)

    def clear(self) -> None:
        self.cache_state.clear()

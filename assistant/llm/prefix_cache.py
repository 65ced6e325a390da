"""Saved llama.cpp states, so fixed instructions are prefilled once, not once per request.

llama-cpp-python reuses the longest common prefix with the *last* prompt only. Fonte sends
two kinds of request with different fixed system messages: condensing a follow-up and reading
the candidates. Alternating, each evicts the other's ~700-token prefix and it is prefilled
again: seconds per request on 2 cores. llama-cpp-python's `LlamaRAMCache` saves the state after
each request and restores the one sharing the longest prefix with the next prompt, but every
entry also holds a copy of the logits buffer (n_batch × vocabulary floats: 311 MB for Qwen's
152k-token vocabulary) that a restored prefix never reads, because the next prompt differs
before its end and its last token is evaluated again. `PrefixCache` keeps the KV state and the
token ids only, and hands back zero logits of the right shape.

This module imports `llama_cpp`: import it only where a model is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from llama_cpp.llama import LlamaState
from llama_cpp.llama_cache import LlamaRAMCache

PREFIX_CACHE_BYTES = 256 << 20
"""RAM for saved states: the KV of a 1,000-token reader prompt is ~30 MB for Qwen 1.5B, so the
last few prompts of each kind fit."""


class PrefixCache(LlamaRAMCache):
    """`LlamaRAMCache` without the logits copies (see the module docstring)."""

    def __init__(self, n_vocab: int, logits_rows: int, capacity_bytes: int = PREFIX_CACHE_BYTES):
        super().__init__(capacity_bytes)
        self.n_vocab = n_vocab
        self.logits_rows = logits_rows
        """Rows of the model's logits buffer (n_batch when logits_all is off)."""

    def __setitem__(self, key: Sequence[int], value: LlamaState) -> None:
        value.scores = np.zeros((0, self.n_vocab), dtype=np.single)
        super().__setitem__(key, value)

    def __getitem__(self, key: Sequence[int]) -> LlamaState:
        state = super().__getitem__(key)
        rows = min(state.n_tokens, self.logits_rows)
        return LlamaState(
            input_ids=state.input_ids,
            scores=np.zeros((rows, self.n_vocab), dtype=np.single),  # calloc: pages untouched until read
            n_tokens=state.n_tokens,
            llama_state=state.llama_state,
            llama_state_size=state.llama_state_size,
            seed=state.seed,
        )

    def clear(self) -> None:
        self.cache_state.clear()

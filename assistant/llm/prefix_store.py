"""Prefilled fixed instructions saved in the data dir, so a new process does not prefill them again.

`PrefixCache` keeps prefilled prompt prefixes in RAM for the life of one process. A cold `ask`
is a new process: its first read prefilled the reader's ~700-token system message again
(~13 s of a ~30 s cold answer on 2 cores). `PrefixStore` saves the llama.cpp state of the
prompt up to the end of a request's system message — the fixed instructions of the reader,
of condensing and of generation, module constants that recur on every request — with
llama.cpp's own session files (`llama_state_save_file` / `llama_state_load_file`, the
format of llama.cpp's `--prompt-cache`: magic, version, token ids, then the context state).

Protocol, per instruction text and process, under the model's lock:
1. `restore` before the first request with these instructions: load the saved state, if
   any, into the context. llama-cpp-python then reuses it as the prompt's common prefix,
   token by token, so a file whose tokens are not this prompt's prefix costs a prefill, never
   a wrong answer.
2. `persist` after that request, unless the restored tokens were already the prompt's
   prefix: cut the context back to the instructions (the whole prompt stays in `PrefixCache`)
   and save it to a temporary file, moved into place atomically.

Only system messages are saved, never a question. The file name hashes the model file's
identity, llama-cpp-python's version, the context sizes and the instruction text; a corrupt
or mismatched file is ignored and replaced. The newest `KEEP_FILES` files are kept.

This module imports `llama_cpp`: import it only where a model is loaded.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import llama_cpp
import numpy as np
from llama_cpp import Llama

KEEP_FILES = 8
"""Saved states kept, newest used first: one per instruction text and model (Fonte has three
texts), ~20 MB each for Qwen 1.5B's ~700-token reader instructions."""
EDGE_TOKENS = 2
"""Tokens at each end of the instructions left out of the match: tokenized inside the chat
template they may merge with the text around them."""


def model_identity(model_path: Path, *, n_ctx: int, n_batch: int, chat: bool) -> str:
    """What a saved state depends on besides the tokens (cheap: no hash of a 1 GB file)."""
    stat = Path(model_path).stat()
    parts = (model_path.name, stat.st_size, stat.st_mtime_ns, llama_cpp.__version__, n_ctx, n_batch, chat)
    return "|".join(str(part) for part in parts)


def _find(tokens: np.ndarray, part: Sequence[int]) -> int:
    """Index where `part` starts in `tokens`, or -1."""
    n = len(part)
    if n == 0 or n > len(tokens):
        return -1
    for start in np.flatnonzero(tokens[: len(tokens) - n + 1] == part[0]):
        if np.array_equal(tokens[start : start + n], part):
            return int(start)
    return -1


def _keep_only(llama: Llama, n_tokens: int) -> None:
    """Drop the context's cached tokens from position `n_tokens` on."""
    llama_cpp.llama_memory_seq_rm(llama_cpp.llama_get_memory(llama.ctx), -1, n_tokens, -1)
    llama.n_tokens = n_tokens


@dataclass
class PrefixStore:
    """Saved instruction prefixes of one model, in `directory` (see the module docstring)."""

    directory: Path
    identity: str
    """`model_identity(...)` of the loaded model and context."""
    keep: int = KEEP_FILES
    _current: dict[Path, tuple[int, ...]] = field(default_factory=dict)
    """Files this process restored or wrote, with the tokens they hold."""

    def path(self, instructions: str) -> Path:
        digest = hashlib.sha256(f"{self.identity}\0{instructions}".encode()).hexdigest()
        return self.directory / f"{digest[:40]}.bin"

    def restore(self, llama: Llama, instructions: str) -> int:
        """Load the saved state of `instructions` into the context, the first time in this
        process; the number of tokens restored (0: nothing saved, already seen, or unusable)."""
        path = self.path(instructions)
        if path in self._current or not path.is_file():
            return 0
        self._current[path] = ()
        capacity = llama.n_ctx()
        tokens = (llama_cpp.llama_token * capacity)()
        count = ctypes.c_size_t(0)
        if not llama_cpp.llama_state_load_file(
            llama.ctx, os.fsencode(path), tokens, capacity, ctypes.byref(count)
        ):
            _keep_only(llama, 0)  # a partial load must not be taken for evaluated tokens
            with contextlib.suppress(OSError):
                path.unlink()
            return 0
        n = int(count.value)
        llama.input_ids[:n] = tokens[:n]
        llama.n_tokens = n
        self._current[path] = tuple(tokens[:n])
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by `_prune`
        return n

    def persist(self, llama: Llama, instructions: str) -> bool:
        """Save the state of the evaluated prompt up to the end of `instructions`, unless this
        process restored or wrote exactly that already. True when a file was written."""
        path = self.path(instructions)
        evaluated = np.asarray(llama.input_ids[: llama.n_tokens])
        inner = llama.tokenize(instructions.encode("utf-8"), add_bos=False, special=False)
        inner = inner[EDGE_TOKENS:-EDGE_TOKENS]
        start = _find(evaluated, inner)
        if start < 0:
            return False
        prefix = tuple(int(t) for t in evaluated[: start + len(inner)])
        if self._current.get(path) == prefix:
            return False
        _keep_only(llama, len(prefix))
        self._current[path] = prefix
        return self._write(llama, path, prefix)

    def _write(self, llama: Llama, path: Path, prefix: tuple[int, ...]) -> bool:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            ids = (llama_cpp.llama_token * len(prefix))(*prefix)
            if not llama_cpp.llama_state_save_file(llama.ctx, os.fsencode(tmp), ids, len(prefix)):
                return False
            os.replace(tmp, path)
        except OSError:  # a read-only or full data dir: answers go on, prefilled each time
            return False
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._prune()
        return True

    def _prune(self) -> None:
        with contextlib.suppress(OSError):
            files = sorted(self.directory.glob("*.bin"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in files[self.keep :]:
                old.unlink(missing_ok=True)

    def forget(self) -> None:
        """Restore from the files again on the next request (after the context was reset)."""
        self._current.clear()

"""Prefilled instructions persist across processes (assistant/llm/prefix_store.py).

Slow: loads the default reader (Qwen2.5-Coder-1.5B-Instruct, a locked dependency, assembled
once per session by the `reader_model_path` fixture) a few times. Evaluated prompt tokens are
counted, never timed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant import reader
from assistant.llm.carried import CARRIED_MODELS
from assistant.llm.llamacpp import LlamaCppLLM
from fonte.settings import Settings
from tests.conftest import count_evaluated, reader_read

pytestmark = pytest.mark.slow
MODEL = Settings().reader_model  # locked by `make setup`; the optional 0.5B may be absent
Load = Callable[[Path | None], LlamaCppLLM]
"""Loads the model again, as a new process would, with saved states in the given directory."""


def evaluated_by_first_call(llm: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch, question: str) -> int:
    """Prompt tokens llama.cpp evaluates for the first request of a freshly loaded model."""
    evaluated = count_evaluated(llm, monkeypatch)
    "".join(llm.stream(reader_read(question)))
    return evaluated[0] if evaluated else 0


@pytest.fixture(scope="module")
def saved_state(reader_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state file as a first run writes it (prefilled once for the module's tests to damage)."""
    directory = tmp_path_factory.mktemp("saved") / "llama-prefix"
    llm = LlamaCppLLM(
        model_path=reader_model_path, threads=2, chat=CARRIED_MODELS[MODEL].chat, prefix_dir=directory
    )
    try:
        "".join(llm.stream(reader_read("O que é DataOps?")))
    finally:
        llm.close()
    (saved,) = directory.glob("*.bin")
    return saved


@pytest.fixture
def load(reader_model_path: Path) -> Iterator[Load]:
    loaded: list[LlamaCppLLM] = []

    def new(prefix_dir: Path | None) -> LlamaCppLLM:
        for old in loaded:  # one model in memory at a time
            old.close()
        chat = CARRIED_MODELS[MODEL].chat
        loaded.append(LlamaCppLLM(model_path=reader_model_path, threads=2, chat=chat, prefix_dir=prefix_dir))
        return loaded[-1]

    yield new
    for old in loaded:
        old.close()


def test_a_new_process_does_not_prefill_the_instructions_again(
    load: Load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = Settings(data_dir=tmp_path).llama_prefix_dir
    instructions = len(load(None)._llm.tokenize(reader.READER_RULES.encode()))
    assert instructions > 300

    first = evaluated_by_first_call(load(directory), monkeypatch, "O que é DataOps?")
    assert first > instructions  # nothing saved yet: the whole prompt
    (saved,) = directory.glob("*.bin")  # the instructions, not the question
    written = saved.stat().st_ino

    again = evaluated_by_first_call(load(directory), monkeypatch, "O que é Big Data?")
    assert 0 < again < 40  # only the question and the template's edges around it
    assert [p.stat().st_ino for p in directory.glob("*.bin")] == [written]  # reused, not written again


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_saved_state_is_ignored_and_replaced(
    load: Load, saved_state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    directory = Settings(data_dir=tmp_path).llama_prefix_dir
    directory.mkdir(parents=True)
    data = saved_state.read_bytes()
    saved = directory / saved_state.name
    saved.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"\x00not a state" * 1000)

    recovered = evaluated_by_first_call(load(directory), monkeypatch, "O que é Big Data?")
    assert recovered > 300  # prefilled again, answered normally
    assert saved.stat().st_size == len(data)  # and saved again

    assert evaluated_by_first_call(load(directory), monkeypatch, "O que é MLOps?") < 40


def test_an_unwritable_data_dir_only_costs_the_prefill(
    load: Load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    llm = load(blocked / "llama-prefix")
    assert evaluated_by_first_call(llm, monkeypatch, "O que é DataOps?") > 300
    assert "".join(llm.stream(reader_read("O que é Big Data?")))  # still answers


def test_only_the_newest_states_are_kept(tmp_path: Path) -> None:
    from assistant.llm.prefix_store import PrefixStore

    store = PrefixStore(tmp_path, identity="modelo", keep=2)
    for age, name in enumerate(("velho", "medio", "novo", "recente")):
        path = store.path(name)
        path.write_bytes(b"estado")
        os.utime(path, ns=(age * 10**9, age * 10**9))
    store._prune()
    assert sorted(p.name for p in tmp_path.glob("*.bin")) == sorted(
        store.path(name).name for name in ("novo", "recente")
    )

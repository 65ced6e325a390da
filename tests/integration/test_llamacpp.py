"""The llama.cpp backend on the real carried GGUF (Gemma 3 270M Q4_K_M).

Slow: assembles the ~250 MB model from the chunk packages once per session into a
temporary data dir and runs real (short) completions on the CPU.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm.base import LLM, Generation
from assistant.llm.carried import CARRIED_MODEL_FILE, carried_gguf
from assistant.llm.llamacpp import LlamaCppLLM, get_llamacpp
from assistant.prompts import SYSTEM_RULES, completion_prompt
from fonte.errors import BackendUnavailable, BadRequest
from tests.conftest import count_evaluated, reader_read

pytestmark = pytest.mark.slow

PASSAGES = [
    (
        1,
        "DevOps, MLOps, AIOps, DataOps",
        "DataOps - Conceito mais recente que abrange toda a operação de dados de uma empresa.",
    ),
    (
        2,
        "O que é DataOps?",
        "DataOps (Operações de Dados) é uma metodologia ágil e orientada a processos para "
        "desenvolver e entregar análises.",
    ),
    (
        3,
        "Big Data x Small Data",
        "Big Data: Grande volume de dados, com muita variedade e gerados em alta velocidade.",
    ),
]


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fonte-data")


@pytest.fixture(scope="session")
def model_path(data_dir: Path) -> Path:
    return carried_gguf(data_dir)


@pytest.fixture(scope="session")
def llm(model_path: Path) -> LlamaCppLLM:
    return get_llamacpp(model_path, 2)


def test_carried_gguf_is_assembled_once(data_dir: Path, model_path: Path) -> None:
    assert model_path == data_dir / "models" / CARRIED_MODEL_FILE
    stat = model_path.stat()
    assert stat.st_size > 100_000_000
    assert model_path.read_bytes()[:4] == b"GGUF"
    again = carried_gguf(data_dir)
    assert again == model_path
    assert again.stat().st_mtime_ns == stat.st_mtime_ns
    assert not list(model_path.parent.glob("*.tmp"))


def test_streams_a_completion_incrementally(llm: LlamaCppLLM) -> None:
    assert isinstance(llm, LLM)
    assert llm.name == "llamacpp"
    assert llm.model == "gemma-3-270m-Q4_K_M"
    prompt, stop = completion_prompt("O que é DataOps?", PASSAGES)
    generation = Generation(prompt=prompt, system=SYSTEM_RULES, stop=stop, max_tokens=40, repeat_penalty=1.15)
    pieces = list(llm.stream(generation))
    assert len(pieces) > 1
    assert all(isinstance(p, str) for p in pieces)
    assert "".join(pieces).strip()


def test_model_is_cached_per_process(model_path: Path, llm: LlamaCppLLM) -> None:
    assert get_llamacpp(model_path, 2) is llm


def test_missing_model_file_is_backend_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match="FONTE_LLAMACPP_MODEL"):
        LlamaCppLLM(model_path=tmp_path / "nao-existe.gguf")


def test_context_overflow_is_bad_request(llm: LlamaCppLLM) -> None:
    huge = "DataOps é uma metodologia ágil. " * 1000
    with pytest.raises(BadRequest, match="reduza k"):
        llm.stream(Generation(prompt=huge, max_tokens=50))


def test_alternating_instructions_are_prefilled_once(
    llm: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Condensing and reading alternate with different fixed instructions: coming back to one,
    only the new question is evaluated, not its instructions again (assistant/llm/prefix_cache.py)."""
    from assistant import conversation, reader

    def condense(question: str) -> Generation:
        return conversation.condense_generation((("user", "O que é MLOps?"),), question)

    llm.reset()
    model = llm._llm
    evaluated = count_evaluated(llm, monkeypatch)
    asked = (reader_read("O que é DataOps?"), condense("E o DVC?"), reader_read("O que é Big Data?"))
    for generation in asked:
        evaluated.clear()
        "".join(llm.stream(generation))
        prompt_tokens = evaluated[0] if evaluated else 0
    instructions = len(model.tokenize(reader.READER_RULES.encode()))
    assert instructions > 300
    assert 0 < prompt_tokens < 40  # the last read evaluated its question only


def test_saved_states_leave_the_logits_out(llm: LlamaCppLLM) -> None:
    """A saved state is the KV cache and token ids only, not a copy of the 311 MB logits buffer
    (Qwen's vocabulary), and restoring it answers exactly as before (prefix_cache.LeanLlama)."""
    generation = Generation(prompt="DataOps é", max_tokens=6)
    first = "".join(llm.stream(generation))
    state = llm._llm.save_state()
    assert state.scores.size == 0
    assert len(state.input_ids) == state.n_tokens > 0
    llm.reset()
    llm._llm.load_state(state)
    assert "".join(llm.stream(generation)) == first

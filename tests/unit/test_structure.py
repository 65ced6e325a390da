"""The shape of the tree: each package's public names, module sizes and import layering.

When a package's public API changes on purpose, edit `PUBLIC_API` below in the same commit.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAYERS = ["fonte", "vectorstore", "ingest", "assistant", "eval", "ui"]
"""The six packages, lowest first: a package imports only from itself and those before it."""

PUBLIC_API: dict[str, list[str]] = {
    "fonte": [
        "Answer",
        "BackendUnavailable",
        "BadRequest",
        "Chunk",
        "Citation",
        "Document",
        "EmbeddingMismatch",
        "FonteError",
        "Hit",
        "IngestError",
        "ModelNotFound",
        "Section",
        "Settings",
        "StoreError",
        "Timings",
    ],
    "vectorstore": ["Collection", "SourceInfo", "get_embedder"],
    "ingest": [
        "SUPPORTED_SUFFIXES",
        "IngestEvents",
        "IngestReport",
        "UploadResult",
        "chunk_document",
        "ensure_documents",
        "ingest_bundled",
        "ingest_file",
        "ingest_paths",
        "ingest_upload",
        "load",
        "prune_missing",
        "remove_source",
        "sanitize_filename",
        "upload_dir",
    ],
    "assistant": [
        "ABSTAIN_TEXT",
        "Answer",
        "Assistant",
        "Event",
        "Final",
        "Token",
        "answer",
        "assistant_for",
        "is_abstention",
        "stream",
    ],
    "eval": [],
    "ui": [],
}

MAX_MODULE_LINES = 400
"""The style guide's room size: past ~400 lines a module usually has two jobs."""


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("package", LAYERS)
def test_public_api_is_pinned(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{package}/__init__.py declares no __all__"
    assert len(exported) == len(set(exported)), f"{package}.__all__ repeats a name"
    assert sorted(exported) == sorted(PUBLIC_API[package]), (
        f"{package}.__all__ changed; if on purpose, update PUBLIC_API in {Path(__file__).name}"
    )
    missing = [name for name in exported if not hasattr(module, name)]
    assert not missing, f"{package}.__all__ names what it does not define: {missing}"


def test_every_package_is_pinned() -> None:
    assert sorted(PUBLIC_API) == sorted(LAYERS)


def test_no_module_over_the_size_limit() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in LAYERS
        for path in _modules(package)
    }
    offenders = {path: lines for path, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not offenders, (
        f"modules over {MAX_MODULE_LINES} lines (split them, one job per module): "
        + ", ".join(f"{path} ({lines})" for path, lines in sorted(offenders.items()))
    )


def _imported_packages(path: Path) -> set[str]:
    """First-party top-level packages a module imports, anywhere in it (lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def test_no_package_imports_a_higher_layer() -> None:
    violations = [
        f"{path.relative_to(ROOT)} imports {higher}"
        for index, package in enumerate(LAYERS)
        for path in _modules(package)
        for higher in sorted(_imported_packages(path) & set(LAYERS[index + 1 :]))
    ]
    assert not violations, "a lower layer imports a higher one: " + "; ".join(violations)

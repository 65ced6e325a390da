"""What a front end shows about the running system, and the few actions it offers.

Backends in use, collections on disk, uploads into a collection, source removal and the
newest evaluation report. Front ends (the Streamlit app) only render these results.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fonte.errors import FonteError
from fonte.settings import Settings
from vectorstore.collection import COLLECTION_NAME, Collection

MAX_UPLOAD_NAME = 120


@dataclass(frozen=True)
class BackendStatus:
    """Which backend answers, with which model, and whether Ollama is reachable."""

    requested: str
    backend: str
    model: str
    ollama_up: bool
    ollama_host: str
    ollama_model: str
    embedder: str

    @property
    def summary(self) -> str:
        """One line in Portuguese, e.g. "llamacpp · gemma-3-270m-Q4_K_M.gguf"."""
        if self.backend == "extractive":
            return "extractive · sem LLM (frases dos próprios documentos)"
        return f"{self.backend} · {self.model}"


def backend_status(settings: Settings, backend: str | None = None) -> BackendStatus:
    """The backend `backend` (default: settings.backend) resolves to, without loading a model."""
    from assistant.llm import BACKENDS, choose_backend, ollama_ready, openai_ready
    from assistant.llm.llamacpp import CARRIED_MODEL_FILE

    requested = backend or settings.backend
    if requested not in BACKENDS:
        requested = "auto"
    ollama_up = ollama_ready(settings)
    if requested == "extractive":
        name, model = "extractive", "sentence-selection"
    elif requested == "openai" or (requested == "auto" and openai_ready(settings)):
        choice = choose_backend(settings, "openai")
        name, model = choice.name, choice.model
    elif requested == "ollama" or (requested == "auto" and ollama_up):
        name, model = "ollama", settings.ollama_model
    else:
        name = "llamacpp"
        model = settings.llamacpp_model.name if settings.llamacpp_model else CARRIED_MODEL_FILE
    return BackendStatus(
        requested=requested,
        backend=name,
        model=model,
        ollama_up=ollama_up,
        ollama_host=settings.ollama_host,
        ollama_model=settings.ollama_model,
        embedder=settings.embedder,
    )


def list_collections(settings: Settings) -> list[str]:
    """Names of the collections under `data_dir/collections`, plus the configured one."""
    root = settings.data_dir / "collections"
    names = {settings.collection}
    if root.is_dir():
        names |= {p.name for p in root.iterdir() if p.is_dir() and COLLECTION_NAME.match(p.name)}
    return sorted(names)


# --- uploads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadResult:
    """The outcome of one uploaded file: `ingested`, `unchanged` or `skipped` (+ reason)."""

    name: str
    status: str
    detail: str = ""
    chunks: int = 0
    source: str = ""


def upload_dir(settings: Settings, collection: str | None = None) -> Path:
    return settings.data_dir / "uploads" / (collection or settings.collection)


def sanitize_filename(name: str) -> str:
    """A safe file name from whatever a browser sent: no directories, no control characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"[^\w.\- ()\[\]]", "_", base).strip(" .")
    base = re.sub(r"\s+", " ", base)
    if len(base) > MAX_UPLOAD_NAME:
        stem, dot, suffix = base.rpartition(".")
        keep = MAX_UPLOAD_NAME - len(suffix) - 1
        base = f"{stem[:keep]}.{suffix}" if dot and len(suffix) <= 10 and keep > 0 else base[:MAX_UPLOAD_NAME]
    return base or "arquivo"


def ingest_upload(collection: Collection, filename: str, data: bytes) -> UploadResult:
    """Save an upload under `data_dir/uploads/<collection>/` and ingest it (source = that path).

    The bytes go to a temporary file first; only an ingested upload replaces the saved
    copy, so a corrupt re-upload never destroys the previous good version.
    """
    from ingest import SUPPORTED_SUFFIXES, ingest_file

    name = sanitize_filename(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = " ".join(SUPPORTED_SUFFIXES)
        return UploadResult(
            name, "skipped", f"extensão não suportada ({suffix or 'sem extensão'}) — use {supported}"
        )
    directory = upload_dir(collection.settings, collection.name)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    temporary = directory / f".upload-{uuid.uuid4().hex}{suffix}"
    try:
        temporary.write_bytes(data)
        report = ingest_file(temporary, collection, source=str(final))
        if report.ingested:
            os.replace(temporary, final)
            return UploadResult(name, "ingested", f"{report.chunks} trechos", report.chunks, str(final))
        if report.unchanged:
            if not final.exists():
                os.replace(temporary, final)
            return UploadResult(name, "unchanged", "já estava na coleção, sem mudanças", source=str(final))
        reason = report.skipped[0][1] if report.skipped else "não foi possível ingerir"
        return UploadResult(name, "skipped", reason)
    except FonteError as e:
        return UploadResult(name, "skipped", str(e))
    finally:
        temporary.unlink(missing_ok=True)


def remove_source(collection: Collection, source: str) -> int:
    """Remove a source from the collection (and its saved upload, if it was one)."""
    removed = collection.remove_source(source)
    uploads = upload_dir(collection.settings, collection.name).resolve()
    path = Path(source)
    if path.parent.resolve() == uploads and path.is_file():
        path.unlink(missing_ok=True)
    return removed


# --- evaluation reports ---------------------------------------------------------------------


def latest_eval_report(reports_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The newest readable `eval-*.json` in `reports_dir`, or None."""
    if not reports_dir.is_dir():
        return None
    candidates = sorted(reports_dir.glob("eval-*.json"), key=lambda p: (p.stat().st_mtime, p.name))
    for path in reversed(candidates):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(report, dict) and isinstance(report.get("metrics"), dict):
            return path, report
    return None


def category_summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per question category: counts, abstention accuracy, faithfulness, key facts, latency."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for q in report.get("per_question", []):
        groups.setdefault(str(q.get("category") or "sem categoria"), []).append(q)
    rows = []
    for category, items in sorted(groups.items()):
        answered = [q for q in items if not q.get("abstained")]
        claims = sum(int(q.get("claims") or 0) for q in answered)
        supported = sum(int(q.get("supported_claims") or 0) for q in answered)
        answerable = [q for q in items if not q.get("expect_abstain")]
        latencies = [float(q["total_ms"]) for q in items if q.get("total_ms") is not None]
        rows.append(
            {
                "categoria": category,
                "perguntas": len(items),
                "respondidas": len(answered),
                "abstenção correta": _mean(
                    float(bool(q.get("abstained")) == bool(q.get("expect_abstain"))) for q in items
                ),
                "fidelidade": supported / claims if claims else None,
                "fatos-chave": _mean(float(q.get("key_fact_recall") or 0.0) for q in answerable),
                "latência p50 (ms)": statistics.median(latencies) if latencies else None,
            }
        )
    return rows


def _mean(values: Any) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None

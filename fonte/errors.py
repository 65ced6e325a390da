"""Fonte's exceptions: one base, messages in Portuguese that say what to do.

FonteError
├── IngestError          a file or path could not be ingested
├── StoreError           the vector/lexical store is missing, locked or inconsistent
│   └── EmbeddingMismatch  the collection was built with another embedding model
├── BackendUnavailable   an LLM backend cannot be reached (server down, package missing)
├── ModelNotFound        the backend answers but lacks the model
└── BadRequest           invalid input from a user (empty question, bad option)
"""

from __future__ import annotations


class FonteError(Exception):
    """Base of every error Fonte raises on purpose; its message is shown to users."""

    exit_code = 1
    http_status = 500


class IngestError(FonteError):
    """A file or path could not be ingested."""

    exit_code = 3
    http_status = 422


class StoreError(FonteError):
    """The store is missing, unreachable or inconsistent."""

    exit_code = 4
    http_status = 503


class EmbeddingMismatch(StoreError):
    """The collection was indexed with a different embedding model."""

    http_status = 409


class BackendUnavailable(FonteError):
    """An LLM backend cannot be reached or loaded."""

    exit_code = 5
    http_status = 503


class ModelNotFound(FonteError):
    """The backend is up but does not have the requested model."""

    exit_code = 6
    http_status = 503


class BadRequest(FonteError):
    """Invalid user input."""

    exit_code = 2
    http_status = 400

"""Make the next embedded Chroma client on a path see what other processes wrote.

chromadb keeps one `System` per persist directory and process
(`SharedSystemClient._identifier_to_system`), and the HNSW segment inside it is loaded
once: a long-lived process never sees vectors another process added (chroma-core/chroma
#3792), and a new `PersistentClient` on the same path is handed the same stale system.
`clear_system_cache()` would drop every path's system; this drops only the one path's, so
the next client loads the segment from disk. The old system is not stopped (clients made
from it keep working, on their old view) and is freed when the last of them goes away.
"""

from __future__ import annotations

from pathlib import Path


def forget_embedded_system(persist_dir: Path) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(persist_dir)
    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)

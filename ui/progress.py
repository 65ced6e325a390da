"""A rich progress bar for long ingests (shown only on a terminal)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from ingest import IngestEvents


class RichIngestEvents(IngestEvents):
    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not sys.stderr.isatty(),
            transient=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichIngestEvents:
        self._progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.__exit__(kind, value, tb)

    def file_started(self, path: Path, chunks: int) -> None:
        self._task = self._progress.add_task(path.name, total=chunks)

    def chunks_done(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)

    def file_done(self, path: Path, status: str, detail: str = "") -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
            self._task = None

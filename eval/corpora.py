"""Fetch external eval corpora (stdlib only).

The Debian Reference ships as Debian packages, one per translation:
``debian-reference-pt-br`` (Brazilian edition) and ``debian-reference-pt``
(European Portuguese).  Both install their HTML under
``/usr/share/debian-reference/`` as one file per chapter (``ch01.<lang>.html`` …,
``pr01``, ``apa``) plus ``index.<lang>.html`` (table of contents only), a PDF and a
gzipped plain-text version.  There is no one-page HTML, so for each edition we
return a directory holding just the chapter HTML files (the table of contents,
PDF and text dump would only duplicate content).  The PDF edition (268 pages for
pt-br) is evaluated on its own, with the same questions (`debian_reference_pdf`).

Layout under ``dest``::

    dest/<edition>/root/...          the unpacked .deb (dpkg-deb -x)
    dest/<edition>/html/*.html       chapter HTML, what gets ingested
    dest/<edition>/root/usr/share/debian-reference/debian-reference.<edition>.pdf
    dest/<edition>/.complete         marker: fetch finished

Usage: ``python -m eval.corpora DEST`` prints ``edition<TAB>path`` lines.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEBIAN_REFERENCE_PACKAGES = {
    "pt-br": "debian-reference-pt-br",
    "pt": "debian-reference-pt",
}
_SHARE = Path("usr/share/debian-reference")
_MARKER = ".complete"


class CorpusFetchError(RuntimeError):
    """The corpus could not be downloaded or unpacked."""


def fetch_debian_reference(dest: Path) -> dict[str, Path]:
    """Download and unpack both Portuguese editions into `dest` (idempotent).

    Returns {"pt-br": path, "pt": path}: the one-page HTML file when the package
    ships one, otherwise a directory with the edition's chapter HTML files.
    """
    dest = Path(dest)
    editions: dict[str, Path] = {}
    for edition, package in DEBIAN_REFERENCE_PACKAGES.items():
        edition_dir = dest / edition
        if not (edition_dir / _MARKER).exists():
            _fetch_edition(package, edition, edition_dir)
        editions[edition] = _pick_html(edition_dir / "html", edition)
    return editions


def debian_reference_pdf(dest: Path, edition: str = "pt-br") -> Path:
    """The PDF of one edition, fetched with the HTML when missing (same package)."""
    fetch_debian_reference(dest)
    pdf = Path(dest) / edition / "root" / _SHARE / f"debian-reference.{edition}.pdf"
    if not pdf.is_file():
        raise CorpusFetchError(f"{DEBIAN_REFERENCE_PACKAGES[edition]}: sem PDF em /{_SHARE}")
    return pdf


def _fetch_edition(package: str, edition: str, edition_dir: Path) -> None:
    root = edition_dir / "root"
    html_dir = edition_dir / "html"
    for stale in (root, html_dir):
        if stale.exists():
            shutil.rmtree(stale)
    root.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="fonte-deb-") as tmp:
        deb = _download(package, Path(tmp))
        _run(["dpkg-deb", "-x", str(deb), str(root)], f"não foi possível extrair {deb.name}")
    share = root / _SHARE
    pages = sorted(share.glob(f"*.{edition}.html")) if share.is_dir() else []
    if not pages:
        raise CorpusFetchError(f"{package}: nenhum HTML em /{_SHARE}")
    html_dir.mkdir(parents=True)
    for page in pages:
        if not page.name.startswith("index."):  # table of contents only
            shutil.copy2(page, html_dir / page.name)
    (edition_dir / _MARKER).write_text(package + "\n", encoding="utf-8")


def _download(package: str, workdir: Path) -> Path:
    """`apt-get download` into workdir; runs `apt-get update` once if lists are missing."""
    cmd = ["apt-get", "download", package]
    first = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    if first.returncode != 0:
        _run(["apt-get", "update"], "apt-get update falhou (precisa de root/rede?)")
        _run(cmd, f"apt-get download {package} falhou", cwd=workdir)
    debs = sorted(workdir.glob(f"{package}_*.deb"))
    if not debs:
        raise CorpusFetchError(f"apt-get download {package} não produziu um .deb")
    return debs[-1]


def _run(cmd: list[str], message: str, cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError as e:
        raise CorpusFetchError(f"{message}: {cmd[0]} não encontrado") from e
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise CorpusFetchError(f"{message}: {detail[-1] if detail else done.returncode}")


def _pick_html(html_dir: Path, edition: str) -> Path:
    for name in (f"debian-reference.{edition}.html", f"debian-reference.{edition}.htm"):
        if (html_dir / name).is_file():
            return html_dir / name
    pages = sorted(html_dir.glob("*.html"))
    if len(pages) == 1:
        return pages[0]
    return html_dir


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("uso: python -m eval.corpora DEST", file=sys.stderr)
        return 2
    try:
        editions = fetch_debian_reference(Path(args[0]))
    except CorpusFetchError as e:
        print(f"erro: {e}", file=sys.stderr)
        return 1
    for edition, path in editions.items():
        print(f"{edition}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

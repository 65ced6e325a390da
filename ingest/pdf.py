"""PDF text as readers see it: whole words, paragraphs, headings and pages.

PDFium (through pypdfium2) extracts the text and the layout of each line: where it starts
and ends, its font size, weight and whether it is monospaced. Chosen by measurement on the
Debian Reference PDF (268 pages): pypdf glued words ("Existemdoismétodos"), pdfminer.six
kept them but took 75× longer; PDFium kept them in under a second (see ingest/PDF_NOTES.md).

From the lines this module drops running headers, footers, page numbers and table-of-contents
leader lines, and takes headings from the outline (bookmarks), else from font size and weight;
ingest/pdf_reflow.py then joins them into paragraphs. In the text it returns every newline is
a block boundary, as in the HTML and DOCX loaders.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from fonte.errors import IngestError
from ingest.pdf_reflow import BREAK_HYPHENS, BULLET, Line, PdfText, reflow

SCANNED = (
    "PDF digitalizado: as páginas são só imagens, sem camada de texto — "
    "passe um OCR (por exemplo `ocrmypdf --language por entrada.pdf saida.pdf`) e adicione o resultado"
)
TOC_LEADER = re.compile(r"(?:\s?\.){4,}\s*[\divxlc]+$")
NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
PAGE_NUMBER = re.compile(
    r"^(?:p[áa]gina|page|p\.)?\s*[-–]?\s*[\divxlc]+\s*(?:(?:/|de|of)\s*\d+)?\s*[-–]?$", re.I
)
ROMAN_OR_NUMBER = re.compile(r"\b(?:\d+|[ivxlc]+)\b")

# Tuned on the Debian Reference and reportlab documents:
EDGE_LINES = 2
"""Running headers and footers sit in the first or last two lines of a page."""
RUNNING_SHARE = 0.3
"""A top/bottom line (digits ignored) repeated on 30% of the pages is a running header."""
HEADING_SIZE_FACTOR = 1.15
"""Without an outline, lines 15% larger than the body text are headings."""
MAX_HEADING_WORDS = 15


def extract(raw: bytes) -> PdfText:
    """The reflowed text of a PDF, its headings and page offsets. Raises IngestError."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise IngestError("PDF cifrado (protegido por senha): remova a senha e adicione de novo") from e
        raise IngestError(f"PDF corrompido ou ilegível ({e})") from e
    try:
        pages = [list(_page_lines(document, index)) for index in range(len(document))]
        outline = _outline(document)
    except pdfium.PdfiumError as e:
        raise IngestError(f"PDF corrompido ou ilegível ({e})") from e
    finally:
        document.close()
    if not any(pages):
        raise IngestError(SCANNED)
    pages = _drop_running_lines(pages)
    headings = _outline_headings(pages, outline) if outline else _font_headings(pages)
    return reflow(pages, headings)


# --- lines and their layout --------------------------------------------------------------


def _page_lines(document: object, index: int) -> Iterator[Line]:
    import pypdfium2.raw as pdfium_c

    page = document[index]  # type: ignore[index]
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range()
        if len(text) != count:  # surrogate pairs: no per-character layout, plain lines
            yield from _plain_lines(text, index)
            return
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()

        def font(i: int) -> tuple[bool, bool]:
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, name, len(name), ctypes.byref(flags))
            family = name.value.decode("latin-1").lower()
            weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, i)
            return weight >= 600 or "bold" in family, "mono" in family or "courier" in family

        position = 0
        for raw_line in re.split(r"\r\n|\n|\r", text):
            start, position = (
                position,
                position + len(raw_line) + _newline_width(text, position + len(raw_line)),
            )
            line = _clean(raw_line)
            if not line:
                continue
            first = start + len(raw_line) - len(raw_line.lstrip())
            last = start + len(raw_line.rstrip()) - 1
            left, bottom, _, _ = textpage.get_charbox(first)
            right = textpage.get_charbox(last)[2]
            space = raw_line.find(" ", first - start)
            word_end = start + space - 1 if space > 0 else last
            samples = [font(i) for i in {first, (first + last) // 2, last} if not text[i].isspace()]
            yield Line(
                text=line,
                page=index,
                x0=left,
                x1=right,
                baseline=bottom,
                size=round(pdfium_c.FPDFText_GetFontSize(textpage.raw, (first + last) // 2), 1),
                bold=sum(b for b, _ in samples) * 2 > len(samples),
                mono=sum(m for _, m in samples) * 2 > len(samples),
                first_word=textpage.get_charbox(word_end)[2] - left,
            )
    finally:
        textpage.close()
        page.close()


def _newline_width(text: str, at: int) -> int:
    return 2 if text.startswith("\r\n", at) else (1 if at < len(text) else 0)


def _plain_lines(text: str, index: int) -> Iterator[Line]:
    for raw_line in re.split(r"\r\n|\n|\r", text):
        if line := _clean(raw_line):
            yield Line(line, index, 0.0, 0.0, 0.0, 0.0, bold=False, mono=False, first_word=0.0)


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\x00", "")
    line = line.replace(BREAK_HYPHENS[1], BREAK_HYPHENS[0])
    line = "".join(ch for ch in line if unicodedata.category(ch) != "Cc")
    return " ".join(line.split())


def _outline(document: object) -> list[tuple[int, str, int, float | None]]:
    """(level, title, page index, top of the view or None) of each bookmark."""
    items = []
    for bookmark in document.get_toc():  # type: ignore[attr-defined]
        dest = bookmark.get_dest()
        page = dest.get_index() if dest is not None else None
        title = " ".join((bookmark.get_title() or "").split())
        if page is None or not title:
            continue
        view = dest.get_view()[1] if dest is not None else []
        top = float(view[1]) if len(view) >= 2 and view[1] else None
        items.append((bookmark.level + 1, title, page, top))
    return items


# --- running headers ---------------------------------------------------------------------


def _running_key(text: str) -> str:
    return " ".join(ROMAN_OR_NUMBER.sub(" ", text.lower()).replace("/", " ").split())


def _drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Without running headers/footers, page numbers and table-of-contents leader lines."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_running_key(line.text) for line in _edges(lines)})
    threshold = max(2, RUNNING_SHARE * len(pages))
    out = []
    for lines in pages:
        edges = {id(line) for line in _edges(lines)}
        out.append(
            [
                line
                for line in lines
                if not TOC_LEADER.search(line.text)
                and not (
                    id(line) in edges
                    and (seen[_running_key(line.text)] >= threshold or PAGE_NUMBER.match(line.text))
                )
            ]
        )
    return out


def _edges(lines: list[Line]) -> list[Line]:
    return lines[:EDGE_LINES] + lines[max(EDGE_LINES, len(lines) - EDGE_LINES) :]


# --- headings ----------------------------------------------------------------------------


TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                            "–": "-", "—": "-"})  # fmt: skip
"""Typeset quotes and dashes as typed: bookmarks keep '"$PATH"' and '—' where the page shows
'”$PATH”' and '–' (or the other way round)."""
SECTION_NUMBER = re.compile(r"^(?:\d+\.)*\d+\.?\s+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(TYPOGRAPHY))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _outline_headings(
    pages: list[list[Line]], outline: list[tuple[int, str, int, float | None]]
) -> dict[int, int]:
    """{id(line): level} for the line each bookmark points at (matched by title, then position)."""
    headings: dict[int, int] = {}
    for level, title, page, top in outline:
        if page >= len(pages):
            continue
        wanted = _fold(title)
        candidates = [
            line
            for line in pages[page]
            if id(line) not in headings
            and (_fold(line.text).endswith(wanted) or _wraps_title(_fold(line.text), wanted))
            and len(line.text) <= len(title) + 12
        ]
        if not candidates:
            continue
        below = [c for c in candidates if top is None or c.baseline <= top + 2]
        chosen = (
            max(below, key=lambda c: c.baseline) if below and top is not None else (below or candidates)[0]
        )
        headings[id(chosen)] = level
    return headings


def _wraps_title(line: str, title: str) -> bool:
    """A long title wrapped over two lines: the first (after its number) holds most of it."""
    line = SECTION_NUMBER.sub("", line)
    return title.startswith(line) and len(line) >= 0.5 * len(title)


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _font_headings(pages: list[list[Line]]) -> dict[int, int]:
    """Headings by font when there is no outline: larger than the body, or bold and numbered."""
    body = _body_size(pages)
    if not body:
        return {}
    candidates: list[Line] = []
    for lines in pages:
        for line in lines:
            short = len(line.text.split()) <= MAX_HEADING_WORDS and not line.text.endswith(
                (".", ",", ";", ":")
            )
            larger = line.size >= HEADING_SIZE_FACTOR * body
            bold_numbered = line.bold and bool(NUMBERED.match(line.text)) and line.size >= body
            if short and not line.mono and (larger or bold_numbered) and not BULLET.match(line.text):
                candidates.append(line)
    sizes = sorted({line.size for line in candidates}, reverse=True)
    return {id(line): 1 + sizes.index(line.size) for line in candidates}


# --- reflow ------------------------------------------------------------------------------


__all__ = ["SCANNED", "PdfText", "extract"]

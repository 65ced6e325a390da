"""Turn files into `Document`s: normalised text plus heading structure.

Each loader returns the text and a list of headings (level, title, offset); sections are
derived from the headings in one place (`_sections`). Parsing is left to libraries:
charset-normalizer, markdown-it, BeautifulSoup/lxml, pypdfium2 (ingest/pdf.py), python-docx.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fonte.errors import IngestError
from fonte.types import Document, Section

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
MAX_FILE_BYTES = 200 * 1024 * 1024
# Encodings Portuguese text is actually found in; unrestricted detection mistakes cp1252 for cp1250.
PORTUGUESE_ENCODINGS = ["utf_8", "utf_16", "cp1252", "iso8859_15", "latin_1", "cp850", "mac_roman"]

# "+ O que é DataOps? +" (the bundled document's own heading style)
PLUS_HEADING = re.compile(r"^\s*\+\s*(?P<title>[^+\n]{2,120}?)\s*\+\s*$")
# "*** BIG DATA Fundamentos ***"
BANNER_HEADING = re.compile(r"^\s*\*{5,}\s*(?P<title>[^*\n]{2,120}?)\s*\*{5,}\s*$")
# "7.3. Porque usar..." / "2 Instalação"
NUMBERED_HEADING = re.compile(
    r"^\s*(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?P<title>[A-ZÀ-Ý][^\n]{1,100})$"
)


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    offset: int


@dataclass(frozen=True)
class Parsed:
    text: str
    headings: list[Heading]
    pages: list[int]
    """Offsets where each PDF page starts (empty for other formats)."""


def normalise(text: str) -> str:
    """NFC, Unix newlines, no NULs, no trailing spaces on lines, at most two blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "").replace("\u00a0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{4,}", "\n\n\n", text).strip("\n")


def load(path: Path, *, source: str | None = None) -> Document:
    """Load one file. Raises IngestError with a one-line reason when it cannot."""
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise IngestError(f"extensão não suportada ({suffix or 'sem extensão'})")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise IngestError(f"não foi possível ler o arquivo ({e.strerror})") from e
    if not raw.strip():
        raise IngestError("arquivo vazio")
    if len(raw) > MAX_FILE_BYTES:
        raise IngestError(f"arquivo grande demais (> {MAX_FILE_BYTES // 2**20} MB)")
    parsed = loader(raw)
    if not parsed.text.strip():
        raise IngestError("nenhum texto extraível (vazio, imagem ou digitalizado)")
    return Document(
        source=source or str(path.resolve()),
        text=parsed.text,
        sections=tuple(_sections(parsed)),
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def _sections(parsed: Parsed) -> list[Section]:
    """One section per heading (title path from the heading stack), split at PDF pages."""
    bounds: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    stack: list[Heading] = []
    for heading in sorted(parsed.headings, key=lambda h: h.offset):
        stack = [h for h in stack if h.level < heading.level] + [heading]
        bounds.append((heading.offset, tuple(h.title for h in stack)))
    cuts = sorted({b[0] for b in bounds} | set(parsed.pages) | {len(parsed.text)})
    sections = []
    for start, end in itertools.pairwise(cuts):
        title_path = next(t for offset, t in reversed(bounds) if offset <= start)
        page = _page_at(parsed.pages, start)
        if parsed.text[start:end].strip():
            sections.append(Section(title_path=title_path, start=start, end=end, page=page))
    return sections


def _page_at(pages: list[int], offset: int) -> int | None:
    if not pages:
        return None
    return sum(1 for p in pages if p <= offset)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise IngestError("arquivo binário (não é texto)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=PORTUGUESE_ENCODINGS).best()
    if best is None:
        raise IngestError("codificação de caracteres ilegível")
    return str(best)


def _plain_headings(text: str) -> list[Heading]:
    """Headings in plain text: banners, `+ Título +` lines and numbered headings."""
    headings = []
    offset = 0
    for line in text.split("\n"):
        heading = _plain_heading(line)
        if heading is not None:
            level, title = heading
            headings.append(Heading(level=level, title=title, offset=offset))
        offset += len(line) + 1
    return headings


def _plain_heading(line: str) -> tuple[int, str] | None:
    if match := BANNER_HEADING.match(line):
        return 1, " ".join(match["title"].split())
    if match := PLUS_HEADING.match(line):
        return 2, " ".join(match["title"].split())
    match = NUMBERED_HEADING.match(line)
    if match and not line.rstrip().endswith((".", ",", ";", ":")) and len(line.split()) <= 14:
        level = 1 + match["number"].count(".")
        return level, f"{match['number']}. {match['title'].strip()}"
    return None


def _load_text(raw: bytes) -> Parsed:
    from ingest.unwrap import unwrap_plain

    text = unwrap_plain(normalise(_decode(raw)))
    return Parsed(text=text, headings=_plain_headings(text), pages=[])


def _load_markdown(raw: bytes) -> Parsed:
    from markdown_it import MarkdownIt

    from ingest.unwrap import unwrap_markdown

    text = unwrap_markdown(normalise(_decode(raw)))
    lines = text.split("\n")
    line_offsets = [0]
    for line in lines:
        line_offsets.append(line_offsets[-1] + len(line) + 1)
    tokens = MarkdownIt("commonmark").parse(text)
    headings = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            title = tokens[i + 1].content.strip()
            headings.append(Heading(int(token.tag[1]), title, line_offsets[token.map[0]]))
    return Parsed(text=text, headings=headings, pages=[])


_HTML_BLOCKS = (
    "p",
    "div",
    "li",
    "tr",
    "pre",
    "blockquote",
    "dt",
    "dd",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "br",
    "td",
    "th",
    "dl",
    "figure",
    "header",
    "footer",
)
_HEADING_MARK = "\x01H"


def _load_html(raw: bytes) -> Parsed:
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML is still HTML to us
        soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "nav", "svg"]):
        tag.decompose()
    # newlines in HTML source are just spaces (except in <pre>); our line breaks come from blocks
    for text_node in soup.find_all(string=True):
        if text_node.find_parent("pre") is None and "\n" in text_node:
            text_node.replace_with(re.sub(r"\s+", " ", str(text_node)))
    for level in range(1, 7):
        for tag in soup.find_all(f"h{level}"):
            title = " ".join(tag.get_text(" ").split())
            tag.replace_with(f"\n{_HEADING_MARK}{level}\x02{title}\n")
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_after("\n")
    body = soup.body or soup
    raw_text = body.get_text()
    lines = [" ".join(line.split()) for line in raw_text.split("\n")]
    out_lines: list[str] = []
    headings = []
    offset = 0
    for line in lines:
        if not line and (not out_lines or not out_lines[-1]):
            continue
        if line.startswith(_HEADING_MARK):
            level_text, _, title = line[len(_HEADING_MARK) :].partition("\x02")
            if not title:
                continue
            if out_lines and out_lines[-1]:
                out_lines.append("")
                offset += 1
            headings.append(Heading(int(level_text), title, offset))
            line = title
        out_lines.append(line)
        offset += len(line) + 1
    text = "\n".join(out_lines)
    return Parsed(text=normalise_keep_offsets(text), headings=headings, pages=[])


def normalise_keep_offsets(text: str) -> str:
    """Normalisation that does not move characters (HTML offsets are already final)."""
    return unicodedata.normalize("NFC", text) if unicodedata.is_normalized("NFC", text) else text


def _load_pdf(raw: bytes) -> Parsed:
    from ingest.pdf import extract

    pdf = extract(raw)
    headings = [Heading(level, title, offset) for level, title, offset in pdf.headings]
    return Parsed(text=pdf.text, headings=headings or _plain_headings(pdf.text), pages=pdf.pages)


def _load_docx(raw: bytes) -> Parsed:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise IngestError("DOCX corrompido ou não é um arquivo Word") from e
    except Exception as e:
        raise IngestError(f"DOCX corrompido ({type(e).__name__})") from e
    lines: list[str] = []
    headings = []
    offset = 0
    for paragraph in document.paragraphs:
        line = " ".join(paragraph.text.split())
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = _docx_heading_level(style)
        if level and line:
            headings.append(Heading(level, line, offset))
        lines.append(line)
        offset += len(line) + 1
    return Parsed(text="\n".join(lines), headings=headings, pages=[])


def _docx_heading_level(style: str) -> int | None:
    match = re.match(r"(?:Heading|Título|Titulo|Cabeçalho)\s*(\d)", style, re.IGNORECASE)
    if match:
        return int(match[1])
    return 1 if style.lower() in {"title", "título", "titulo"} else None


LOADERS: dict[str, Callable[[bytes], Parsed]] = {
    ".txt": _load_text,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}

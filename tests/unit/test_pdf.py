"""PDFs as people have them: wrapped, hyphenated, with running headers, an outline and pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from fonte.errors import IngestError
from ingest import load

WIDTH = 400.0
LEFT = 80.0
BODY = ("Times-Roman", 11.0)
PITCH = 14.0

# One list per page: ("h1"/"h2", title) headings, ("p", [lines]) paragraphs wrapped by hand
# (a line ending in "-" is hyphenated), ("li", text) list items, ("code", text) commands.
MANUAL: list[list[tuple[str, object]]] = [
    [
        ("h1", "Capítulo 1: Uso diário"),
        (
            "p",
            [
                "Antes do primeiro uso, lave o reservatório de água e encha-o até a marca",
                "indicada na lateral. Ligue a cafeteira na tomada e aguarde a luz verde, que",
                "indica que a água atingiu a temperatura ideal para a extração do café.",
            ],
        ),
        ("p", ["Para preparar um café, siga os passos:"]),
        ("li", "• Coloque o pó no porta-filtro."),
        ("li", "• Pressione o botão de extração."),
    ],
    [
        ("h1", "Capítulo 2: Limpeza"),
        ("h2", "2.1 Descalcificação"),
        (
            "p",
            [
                "A cafeteira deve ser descalcificada a cada três meses, usando uma solução de ácido",
                "cítrico ou vinagre branco diluído em água, para remover o calcário acumulado nas",
                "tubulações. Consulte a informa-",
                "ção da embalagem do produto descalcificante antes de começar o procedimento.",
            ],
        ),
        ("code", "$ descalcificar --modo completo"),
    ],
    [
        ("h1", "Capítulo 3: Garantia"),
        (
            "p",
            [
                "A garantia é de 24 meses a partir da data da compra, desde que a cafeteira seja",
                "usada conforme as instruções deste manual e a nota fiscal seja apresentada à",
                "assistência técnica autorizada.",
            ],
        ),
    ],
]


def write_manual(
    path: Path,
    pages: list[list[tuple[str, object]]] = MANUAL,
    *,
    outline: bool = True,
    bookmarks: dict[str, str] | None = None,
) -> None:
    """A reportlab PDF with justified wrapped lines, a running header, a page footer and an
    outline (whose entry for a heading is `bookmarks[heading]` when given: typesetters write
    the bookmark as typed, the page with typographic quotes and section numbers)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for number, blocks in enumerate(pages, start=1):
        c.setFont("Helvetica", 9)
        c.drawString(LEFT, 800, "Manual da Cafeteira Expressa")
        c.drawString(LEFT + WIDTH - 60, 40, f"Página {number} de {len(pages)}")
        y = 760.0
        for kind, content in blocks:
            if kind in ("h1", "h2"):
                y -= 10
                c.setFont("Helvetica-Bold", 16 if kind == "h1" else 13)
                c.drawString(LEFT, y, str(content))
                key = f"{number}-{content}"
                c.bookmarkPage(key, fit="XYZ", top=y + 16)
                if outline:
                    entry = (bookmarks or {}).get(str(content), str(content))
                    c.addOutlineEntry(entry, key, level=0 if kind == "h1" else 1)
                y -= PITCH + 8
            elif kind == "p":
                lines = list(content)  # type: ignore[call-overload]
                for i, line in enumerate(lines):
                    _justified(c, line, y, last=i == len(lines) - 1, width=stringWidth)
                    y -= PITCH
                y -= 8  # paragraph spacing
            elif kind == "li":
                c.setFont(*BODY)
                c.drawString(LEFT + 10, y, str(content))
                y -= PITCH
            else:
                c.setFont("Courier", 10)
                c.drawString(LEFT, y, str(content))
                y -= PITCH
        c.showPage()
    c.save()


def _justified(c: object, line: str, y: float, *, last: bool, width: object) -> None:
    words = line.split()
    text = c.beginText(LEFT, y)  # type: ignore[attr-defined]
    text.setFont(*BODY)
    if not last and len(words) > 1:
        natural = width(" ".join(words), *BODY)  # type: ignore[operator]
        text.setWordSpace((WIDTH - natural) / (len(words) - 1))
    text.textLine(line)
    c.drawText(text)  # type: ignore[attr-defined]


@pytest.fixture
def manual(tmp_path: Path) -> Path:
    path = tmp_path / "manual.pdf"
    write_manual(path)
    return path


def test_wrapped_lines_become_paragraphs_without_running_headers(manual: Path) -> None:
    text = load(manual).text
    assert "usando uma solução de ácido cítrico ou vinagre branco diluído em água, para remover" in text
    assert "Consulte a informação da embalagem" in text  # hyphenation undone
    assert "encha-o até a marca" in text  # a real hyphen stays
    assert "Manual da Cafeteira Expressa" not in text and "Página 2 de 3" not in text
    lines = text.split("\n")
    assert "• Coloque o pó no porta-filtro." in lines and "• Pressione o botão de extração." in lines
    assert "$ descalcificar --modo completo" in lines


def test_outline_gives_sections_with_title_paths_and_pages(manual: Path) -> None:
    document = load(manual)
    by_title = {s.title_path: s.page for s in document.sections}
    assert by_title[("Capítulo 2: Limpeza", "2.1 Descalcificação")] == 2
    assert by_title[("Capítulo 3: Garantia",)] == 3


def test_a_bookmark_typed_with_plain_quotes_finds_its_typeset_heading(tmp_path: Path) -> None:
    path = tmp_path / "aspas.pdf"
    heading = "2.1 A opção ”--completo” — descalcificação"
    pages = [[*MANUAL[0]], [MANUAL[1][0], ("h2", heading), *MANUAL[1][2:]], MANUAL[2]]
    write_manual(path, pages, bookmarks={heading: 'A opção "--completo" - descalcificação'})
    by_title = {s.title_path: s.page for s in load(path).sections}
    assert by_title[("Capítulo 2: Limpeza", heading)] == 2


def test_without_outline_headings_come_from_the_font(tmp_path: Path) -> None:
    path = tmp_path / "sem-marcadores.pdf"
    write_manual(path, outline=False)
    titles = {s.title_path for s in load(path).sections}
    assert ("Capítulo 2: Limpeza", "2.1 Descalcificação") in titles


def test_scanned_pdf_gets_a_skip_reason(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "digitalizado.pdf"
    c = canvas.Canvas(str(path))
    c.setFillGray(0.2)
    for row in range(40):  # a page of "scanned" ink: drawing only, no text layer
        c.rect(72, 760 - row * 16, 300 + (row % 5) * 40, 9, stroke=0, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="digitalizado") as info:
        load(path)
    assert "OCR" in str(info.value) and "\n" not in str(info.value)


def test_a_wrapped_numbered_heading_holds_most_of_its_bookmark() -> None:
    from ingest.pdf import _fold, _wraps_title

    title = _fold("Listagem de pacotes com correspondência por expressão regular nos nomes")
    assert _wraps_title(_fold("2.4.3 Listagem de pacotes com correspondência por expressão"), title)
    assert not _wraps_title(_fold("2.4.3 Listagem"), title)

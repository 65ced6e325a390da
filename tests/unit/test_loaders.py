from pathlib import Path

import pytest

from fonte.errors import IngestError
from ingest.loaders import load
from tests.conftest import CORPUS


def titles(document) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [s.title_path for s in document.sections]


def test_bundled_document_sections_from_plus_headings() -> None:
    document = load(CORPUS)
    leaf_titles = [t[-1] for t in titles(document)]
    assert "O que é DataOps?" in leaf_titles
    assert "Principais Ferramentas e Plataformas de DataOps" in leaf_titles
    assert all(t[0] == "BIG DATA Fundamentos" for t in titles(document))


def test_numbered_headings_nest(tmp_path: Path) -> None:
    path = tmp_path / "manual.txt"
    path.write_text("7. Rede\n\nTexto.\n\n7.3. Porque usar DHCP\n\nPorque sim.\n", encoding="utf-8")
    assert titles(load(path))[-1] == ("7. Rede", "7.3. Porque usar DHCP")


def test_markdown_headings_ignore_code_blocks(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Guia\n\nIntro.\n\n## Instalar\n\n```\n# não é título\n```\n", encoding="utf-8")
    assert titles(load(path))[-1] == ("Guia", "Instalar")


def test_html_headings_and_no_scripts(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><body><h1>Manual</h1><p>Olá.</p><script>alert(1)</script>"
        "<h2>Rede</h2><p>Configure a rede.</p></body></html>",
        encoding="utf-8",
    )
    document = load(path)
    assert ("Manual", "Rede") in titles(document)
    assert "alert" not in document.text


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Configuração da ação em português, com acentuação.".encode("latin-1"))
    assert "Configuração" in load(path).text


def test_docx_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Capítulo", level=1)
    document.add_paragraph("Primeiro parágrafo.")
    document.add_heading("Seção", level=2)
    document.add_paragraph("Segundo parágrafo.")
    path = tmp_path / "a.docx"
    document.save(str(path))
    assert ("Capítulo", "Seção") in titles(load(path))


def _pdf(path: Path, pages: list[str], *, password: str | None = None) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=password)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()


def test_pdf_pages_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    _pdf(path, ["Primeira pagina sobre redes.", "Segunda pagina sobre discos."])
    document = load(path)
    pages = {document.text[s.start : s.end].strip(): s.page for s in document.sections}
    assert pages["Segunda pagina sobre discos."] == 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("vazio.txt", b"", "vazio"),
        ("binario.txt", b"\x00\x01\x02\x03" * 100, "binário"),
        ("quebrado.pdf", b"%PDF-1.4 isto nao e um pdf", "PDF"),
        ("quebrado.docx", b"PK\x03\x04 lixo", "DOCX"),
        ("planilha.xlsx", b"dados", "extensão"),
    ],
)
def test_bad_files_raise_one_line_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load(path)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secreto.pdf"
    _pdf(path, ["Conteudo secreto."], password="segredo")
    with pytest.raises(IngestError, match="cifrado"):
        load(path)


WRAPPED = """Manual da cafeteira

A cafeteira deve ser descalcificada a cada três meses, usando uma solução
de ácido cítrico ou vinagre branco diluído em água, para remover o calcário
acumulado nas tubulações internas do aparelho.

Passos para a limpeza semanal do reservatório de água e do porta-filtro:
- retire o reservatório e lave-o com água morna e detergente neutro
- seque o porta-filtro com um pano macio antes de encaixá-lo de volta

A garantia é de 24 meses a partir da data da compra, desde que o aparelho
seja usado conforme as instruções deste manual e a nota fiscal seja
apresentada.
"""


def test_hard_wrapped_text_becomes_one_line_per_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "manual.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    lines = load(path).text.split("\n")
    assert (
        "A cafeteira deve ser descalcificada a cada três meses, usando uma solução de ácido cítrico "
        "ou vinagre branco diluído em água, para remover o calcário acumulado nas tubulações internas "
        "do aparelho."
    ) in lines
    assert "- retire o reservatório e lave-o com água morna e detergente neutro" in lines  # list items stay
    assert "Manual da cafeteira" in lines


def test_paragraph_per_line_text_is_left_alone() -> None:
    from ingest.loaders import normalise

    assert load(CORPUS).text == normalise(CORPUS.read_text(encoding="utf-8"))


def test_markdown_paragraphs_are_unwrapped(tmp_path: Path) -> None:
    path = tmp_path / "manual.md"
    path.write_text(
        "# Limpeza\n\nDescalcifique a cada três meses usando\nácido cítrico diluído.\n\n"
        "- item um\n- item dois\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n    código\n    mais código\n",
        encoding="utf-8",
    )
    document = load(path)
    lines = document.text.split("\n")
    assert "Descalcifique a cada três meses usando ácido cítrico diluído." in lines
    assert {"- item um", "- item dois", "| a | b |", "| 1 | 2 |", "    código", "    mais código"} <= set(
        lines
    )
    assert ("Limpeza",) in {s.title_path for s in document.sections}

import pytest

from assistant.grounding import (
    best_quote,
    changed_meaning,
    move_marks_before_period,
    sentence_spans,
    split_stream,
    strip_citations,
    supports,
)

PASSAGE = (
    "@ DataOps (Operações de Dados) é uma metodologia ágil e orientada a processos para "
    "desenvolver e entregar análises. Empresas lançam software muitas vezes por dia."
)


def test_stream_splitting_keeps_marks_with_their_sentence() -> None:
    buffer, out = "", []
    for piece in ["DataOps é ", "ágil.", " [1]", " O DVC", " versiona dados [2]", ".\nFim"]:
        buffer = move_marks_before_period(buffer + piece)
        *done, buffer = split_stream(buffer)
        out += done
    assert out == ["DataOps é ágil [1].", "O DVC versiona dados [2]."]
    assert buffer == "Fim"


def test_support_needs_content_words_and_literal_numbers() -> None:
    assert supports("DataOps é uma metodologia ágil orientada a processos.", PASSAGE) >= 0.9
    assert supports("DataOps é uma metodologia ágil criada em 2015.", PASSAGE) == 0.0
    assert supports("O Kubernetes orquestra contêineres.", PASSAGE) < 0.3


def test_best_quote_is_the_matching_sentence() -> None:
    span = best_quote("Empresas lançam software várias vezes ao dia", PASSAGE)
    assert PASSAGE[span.start : span.end] == "Empresas lançam software muitas vezes por dia."


def test_strip_citations() -> None:
    assert strip_citations("Frase curta [1][3].") == ("Frase curta.", [1, 3])


def test_sentence_spans_drop_bullets() -> None:
    text = "Lista:\n\t•Projetar sistemas.\n\t•Estudar dados."
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "Lista:",
        "Projetar sistemas.",
        "Estudar dados.",
    ]


def test_lead_in_and_its_bullets_form_one_unit() -> None:
    from assistant.grounding import passage_units

    text = (
        "Gerenciar sistemas é difícil. A seguir estão os desafios:\n"
        "\t•Há uma escassez de Cientistas de Dados com conhecimento em desenvolvimento e implantação.\n"
        "\t•Lacunas de comunicação entre as equipes.\n"
        "Com MLOps as empresas podem resolver."
    )
    units = [text[s.start : s.end] for s in passage_units(text)]
    assert units[1].startswith("A seguir estão os desafios:") and units[1].endswith("equipes.")
    assert units[2] == "Com MLOps as empresas podem resolver."


def test_command_lines_join_the_sentence_before_them() -> None:
    from assistant.grounding import passage_units

    text = "Pode desligar o sistema a partir da linha de comandos.\n# shutdown -h now\nOutra frase aqui."
    units = [text[s.start : s.end] for s in passage_units(text)]
    assert units == [
        "Pode desligar o sistema a partir da linha de comandos.\n# shutdown -h now",
        "Outra frase aqui.",
    ]


# Claims that share words with a passage but change what it says. The first is a real output
# of Qwen2.5-Coder-1.5B-Instruct on a SQuAD 2.0 trap question (quoted in issue 11; it passed
# the old check); the others vary it the ways small models do. The passage is a translated
# SQuAD-style paragraph.
IPCC = (
    "O IPCC é presidido por Rajendra K. Pachauri, eleito em maio de 2002. "
    "Antes dele, Robert Watson presidiu o painel."
)


@pytest.mark.parametrize(
    ("claim", "passage", "why"),
    [
        ("O primeiro presidente do IPCC foi Rajendra K. Pachauri.", IPCC, "qualificador"),
        ("O IPCC é presidido por Rajendra K. Pachauri, eleito em maio de 2003.", IPCC, "2003"),
        ("O IPCC não é presidido por Rajendra K. Pachauri.", IPCC, "negação"),
        ("Robert Watson foi eleito em maio de 2002.", IPCC, "2002"),
        ("O maior painel do IPCC é presidido por Rajendra K. Pachauri.", IPCC, "qualificador"),
    ],
)  # fmt: skip
def test_meaning_changes_are_caught(claim: str, passage: str, why: str) -> None:
    reason = changed_meaning(claim, passage)
    assert reason is not None and why in reason
    assert supports(claim, passage) == 0.0


@pytest.mark.parametrize(
    "claim",
    [
        "O IPCC é presidido por Rajendra K. Pachauri, eleito em maio de 2002.",
        "Antes de Pachauri, Robert Watson presidiu o painel.",
        "DataOps é uma metodologia ágil e orientada a processos para desenvolver análises.",
    ],
)
def test_faithful_claims_pass_the_meaning_checks(claim: str) -> None:
    passage = PASSAGE if claim.startswith("DataOps") else IPCC
    assert changed_meaning(claim, passage) is None
    assert supports(claim, passage) >= 0.7


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


def test_blocks_end_sentences_without_punctuation() -> None:
    text = "Garantia\nprazo de 24 meses.\n\nLimpeza semanal do reservatório e do porta-filtro\nenxágue bem."
    assert _sentences(text) == [
        "Garantia",
        "prazo de 24 meses.",
        "Limpeza semanal do reservatório e do porta-filtro",
        "enxágue bem.",
    ]


def test_list_items_stay_whole_and_separate() -> None:
    text = "Passos:\n- lave o filtro com água morna e detergente neutro, sem esponja\n- seque ao ar"
    assert _sentences(text) == [
        "Passos:",
        "lave o filtro com água morna e detergente neutro, sem esponja",
        "seque ao ar",
    ]


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Use um editor de texto, p.e. Vim ou Emacs. Depois salve o ficheiro, ex. 1 ou 2."
    assert _sentences(text) == [
        "Use um editor de texto, p.e. Vim ou Emacs.",
        "Depois salve o ficheiro, ex. 1 ou 2.",
    ]

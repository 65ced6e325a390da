"""Questions that coordinate two parts ("X e Y", "para X e para Y"): one cited sentence per
part, the passage's neighbouring twins when it has them (assistant/coordination.py)."""

from __future__ import annotations

from assistant import coordination, extractive
from tests.conftest import flat_idf, selected_quotes, text_hits

WATERING = (
    "Manual da Estufa › Regas\n"
    "Os nomes rega leve e rega funda vêm dos rótulos das plantas e dos rótulos dos vasos da estufa.\n"
    "Rega leve: molhar só a superfície do vaso.\n"
    "Rega funda: encharcar o vaso até a água sair por baixo.\n"
    "Cada planta tem o seu rótulo."
)
PRUNING = (
    "Manual da Estufa › Ferramentas de poda\n"
    "As ferramentas para podar ficam no armário.\n"
    "As ferramentas para podar são afiadas todo mês.\n"
    "As ferramentas para podar têm cabo verde.\n"
    "A tesoura curva é a ferramenta indicada para podar."
)
POURING = (
    "Manual da Estufa › Ferramentas de rega\nO regador fino é a ferramenta indicada para regar as mudas."
)
LABELS = (
    "Manual da Estufa › Marcas\n"
    "O rótulo azul é atualizado se existir a marca Alfa no caderno da estufa.\n"
    "O rótulo verde é atualizado se existir a marca Beta no caderno da estufa.\n"
    "A marca Alfa define as plantas de sol.\n"
    "A marca Beta define as plantas de sombra."
)


def test_the_twin_sentences_answer_two_parts_not_a_note_naming_both() -> None:
    quotes = selected_quotes("O que são rega leve e rega funda?", WATERING)
    assert quotes == [
        "Rega leve: molhar só a superfície do vaso.",
        "Rega funda: encharcar o vaso até a água sair por baixo.",
    ]


def test_a_part_outranked_by_the_other_still_gets_its_sentence() -> None:
    quotes = selected_quotes(
        "Que ferramentas o manual indica para podar e para regar as mudas?", PRUNING, POURING
    )
    assert len(quotes) == 2
    assert "podar" in quotes[0]
    assert quotes[1] == "O regador fino é a ferramenta indicada para regar as mudas."


def test_the_asked_verb_picks_the_defining_twins() -> None:
    quotes = selected_quotes("O que definem as marcas Alfa e Beta?", LABELS)
    assert quotes == ["A marca Alfa define as plantas de sol.", "A marca Beta define as plantas de sombra."]


def test_no_padding_when_a_part_has_no_supported_sentence() -> None:
    quotes = selected_quotes("O que são rega leve e adubação foliar?", WATERING)
    assert quotes and not any("adubação" in q for q in quotes)


def test_the_parts_of_a_question() -> None:
    parts = coordination.parts("Que ferramentas se usam para scripts e para uma interface interativa?", {})
    assert parts is not None and [sorted(p.terms) for p in parts] == [["scrits"], ["inter", "interfac"]]
    quoted = coordination.parts(
        'O que definem as linhas "a" e "a-b" do ficheiro?', {"a": "«a»", "a-b": "«a-b»"}
    )
    assert quoted is not None and [sorted(p.terms) for p in quoted] == [["«a»"], ["«a-b»"]]
    # the asked kind coordinated, a clause after the coordinator, or two coordinators: no parts
    assert coordination.parts("Quais ferramentas e plataformas o texto cita?", {}) is None
    assert coordination.parts("Em que ano o termo foi cunhado e por quem?", {}) is None
    assert coordination.parts("Quais dados, ferramentas e ambientes e processos?", {}) is None
    assert coordination.parts("A rega leve é de manhã ou de noite?", {}) is None  # which, not both


def test_the_asked_predicate() -> None:
    assert extractive.asked_predicate("O que definem as linhas do ficheiro?") == ["defin"]
    assert extractive.asked_predicate("O que diz o texto sobre regas?") == []
    assert extractive.asked_predicate("O que significa a sigla DVC?") == []
    assert extractive.asked_predicate("O que o guia define como rega?") == []


# --- a lead-in and its bulleted items, some sentence-long (as PDFs give them), are said line by line

TOOLS = (
    "Manual da Estufa › Ferramentas\n"
    "Com a chave do galpão, o jardineiro pode fazer as seguintes tarefas:\n"
    "• Abrir o armário das ferramentas de poda e de rega da estufa, mesmo sem a senha do encarregado\n"
    "• Trocar o cadeado do portão dos fundos\n"
    "• Retirar os sacos de adubo do depósito"
)


def test_a_lead_in_with_bulleted_items_is_said_one_cited_line_at_a_time() -> None:
    hits = text_hits(TOOLS)
    units = extractive.select("Que tarefas o jardineiro pode fazer com a chave?", hits, flat_idf)
    said = " ".join(extractive.cited(u, lambda chunk, span: 1) for u in units)
    assert said.startswith("Com a chave do galpão, o jardineiro pode fazer as seguintes tarefas: [1] ")
    assert (
        "Abrir o armário das ferramentas de poda e de rega da estufa, mesmo sem a senha do encarregado [1]."
        in said
    )
    assert said.endswith("Retirar os sacos de adubo do depósito [1].")
    assert "•" not in said and ";" not in said


def test_a_block_answering_both_parts_is_kept_over_twins_elsewhere() -> None:
    listed = (
        "Manual da Estufa › Marcas\n"
        "O rótulo azul define a rega se existir a marca Alfa no caderno.\n"
        "O rótulo verde define a rega se existir a marca Beta no caderno.\n"
        "• A marca Alfa define as plantas de sol.\n"
        "• A marca Beta define as plantas de sombra."
    )
    quotes = selected_quotes("O que definem as marcas Alfa e Beta?", listed)
    assert quotes[0] == "A marca Alfa define as plantas de sol.\n• A marca Beta define as plantas de sombra."

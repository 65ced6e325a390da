"""Reading what a chosen sentence announces or continues (assistant/reading.py, extractive):
unbulleted items after a lead-in, a how-to's paragraph of steps, a definition read on, the
defining sentence, literals written in the question, "Isto…" as anaphora."""

from __future__ import annotations

from assistant import cues, extractive, phrases, reading
from assistant.grounding import Span
from tests.conftest import flat_idf, selected_quotes, text_hits

KEYS = (
    "Manual do Cofre › O cartão mestre\n"
    "O cartão mestre também é chamado de chave geral. Com ele, o gerente pode fazer as seguintes tarefas:\n"
    "Abrir qualquer gaveta do cofre sem a senha do dono\n"
    "\n"
    "Trocar o código de quaisquer gavetas\n"
    "\n"
    "Bloquear o acesso de um funcionário\n"
    "\n"
    "Este poder exige que o gerente guarde o cartão com cuidado."
)
ASPECTS = (
    "Manual do Cofre › Cuidados\n"
    "A guarda dos valores e o acesso controlado a eles têm vários aspectos.\n"
    "A contagem diária\n"
    "O registo das aberturas\n"
    "A troca periódica dos códigos\n"
    "Estas podem ser feitas com algumas ferramentas simples."
)


def _answer(question: str, *texts: str) -> str:
    hits = text_hits(*texts)
    quotes: dict[str, int] = {}

    def cite(chunk: object, span: Span) -> int:
        return quotes.setdefault(f"{span.start}:{span.end}", len(quotes) + 1)

    return " ".join(extractive.cited(u, cite) for u in extractive.select(question, hits, flat_idf))


# --- a lead-in and the unbulleted lines that list its items


def test_a_lead_in_is_quoted_with_the_unbulleted_items_after_it() -> None:
    quotes = selected_quotes("Que tarefas o gerente pode fazer?", KEYS)
    assert quotes[0].startswith("Com ele, o gerente pode fazer as seguintes tarefas:")
    assert quotes[0].endswith("Bloquear o acesso de um funcionário")  # the closed sentence is no item
    # a lead-in among the runners-up brings its items too
    lead_in = next(
        q for q in selected_quotes("Que tarefas o cartão mestre permite fazer?", KEYS) if "tarefas" in q
    )
    assert lead_in.endswith("Bloquear o acesso de um funcionário")


def test_each_item_is_said_and_cited_as_a_sentence_of_its_own() -> None:
    answer = _answer("Que tarefas o gerente pode fazer?", KEYS)
    assert "tarefas: [1] Abrir qualquer gaveta do cofre sem a senha do dono [1]." in answer
    assert answer.endswith("Bloquear o acesso de um funcionário [1].")


def test_items_have_one_form_and_stop_at_the_next_lead_in() -> None:
    text = "Regras:\nA primeira regra.\nA segunda regra.\nOutra lista:\nUm\nDois\n"
    items = reading.implicit_items(text, Span(0, 7))
    assert items is not None and text[items.start : items.end] == "A primeira regra.\nA segunda regra."
    assert reading.implicit_items("Regras:\nSó uma linha\nUma frase longa que fecha.", Span(0, 7)) is None
    assert reading.implicit_items("Sem dois pontos.\nUm\nDois", Span(0, 16)) is None


def test_a_list_question_takes_the_lines_after_a_sentence_that_announces_them() -> None:
    quotes = selected_quotes("Que aspectos da guarda dos valores o manual lista?", ASPECTS)
    assert quotes[0].endswith("A troca periódica dos códigos")
    assert "Estas podem" not in quotes[0]


# --- a how-to is answered by its paragraph of steps


def test_a_how_to_quotes_the_rest_of_its_paragraph() -> None:
    text = (
        "Manual do Cofre › Travamento\n"
        "Quando o visor do cofre trava após uma queda de energia, prima o botão vermelho. "
        "O visor pode demorar a acender. Em alternativa pode usar a chave de emergência.\n"
        "O cofre tem duas portas."
    )
    quotes = selected_quotes(
        "O que fazer quando o visor do cofre trava depois de uma queda de energia?", text
    )
    assert quotes[-1] == "Em alternativa pode usar a chave de emergência."
    assert reading.asks_how("Como desligar o cofre?")
    assert not reading.asks_how("Como o manual define o cofre?")


# --- definitions: the defining sentence, read on while it keeps the term


DEFINED = (
    "Manual do Cofre › Grupos\n"
    "Ao criar um cliente, o cofre usa um registo de grupo pessoal (RGP). Um RGP é criado para "
    "cada cliente novo. Um RGP tem o nome do cliente e ele é o único membro do RGP. "
    "As gavetas ficam no andar de baixo.\n"
    "O cofre usa o RGP em todos os relatórios. O RGP aparece também nos recibos."
)


def test_a_definition_reads_on_while_the_sentences_keep_the_term() -> None:
    quotes = selected_quotes("O que é o RGP usado pelo cofre?", DEFINED)
    assert quotes[:3] == [
        "Ao criar um cliente, o cofre usa um registo de grupo pessoal (RGP).",
        "Um RGP é criado para cada cliente novo.",
        "Um RGP tem o nome do cliente e ele é o único membro do RGP.",
    ]


def test_a_sentence_defining_the_term_beats_sentences_that_mention_it() -> None:
    text = (
        "Manual do Cofre › Avisos\n"
        "Executa a abertura a usar o alarmix.\n"
        "Executa o fecho a usar o alarmix.\n"
        "Cada cofre traz a interface de aviso chamada alarmix para ajudar na instalação."
    )
    assert selected_quotes("O que é o alarmix?", text)[0].startswith("Cada cofre traz a interface")
    assert reading.asked_term("Para que serve o sticky bit em um diretório?")[-1] == "sticky bit"
    assert reading.defines(["RGP"], "Um RGP é criado para cada cliente.")
    assert reading.defines(["I18N"], "Internationalization (I18N): fazer o software lidar com locales.")
    assert not reading.defines(["RGP"], "O cofre usa o RGP em todos os relatórios.")


BAKER = (
    "Guia de Sintra › Comércio\n"
    "A vila de Sintra tem um mercado aos sábados e uma feira em agosto.\n"
    "O padeiro da vila de Sintra é o senhor Rui, que herdou o forno do avô. "
    "O padeiro acende o forno às cinco. O padeiro vende broa de milho e pão de centeio.\n"
    "A peixaria fecha à segunda-feira."
)


def test_who_and_what_for_questions_are_one_reading_for_selection_and_follow_ups() -> None:
    # "Quem é…" reaches sentence selection: the definition reads on while it keeps the term,
    # rather than adding a sentence that only shares "vila de Sintra"
    assert selected_quotes("Quem é o padeiro da vila de Sintra?", BAKER) == [
        "O padeiro da vila de Sintra é o senhor Rui, que herdou o forno do avô.",
        "O padeiro acende o forno às cinco.",
        "O padeiro vende broa de milho e pão de centeio.",
    ]
    assert reading.asked_term("Quem foi o padeiro da vila?") == ["padeiro da vila", "padeiro"]
    # the acronym the question gives in parentheses is a way the passage may write the term
    assert reading.asked_term("O que é o imposto sobre o valor acrescentado (IVA)?")[-1] == "IVA"
    # "Para que serve…" reaches the follow-up rules: what it asks about is the whole phrase,
    # so "E quanto custa?" is about the pass, not about the company named inside it
    asked = phrases.topic("Para que serve o passe da Carris?")
    assert asked is not None and asked.core == "passe da Carris"


# --- literals the question writes: "~/", "(x)"


def test_a_literal_of_the_question_pins_the_sentence_that_writes_it() -> None:
    text = (
        "Guia da Shell › Expansões\n"
        "A shell expande o alias se não estiver entre aspas.\n"
        'A shell expande "~/" ao diretório do utilizador atual.'
    )
    assert selected_quotes('Para onde a shell expande "~/"?', text)[0].startswith('A shell expande "~/"')
    assert [lit.text for lit in reading.literals('O que faz "deb" e a permissão (x) em $PATH?')] == [
        "deb",
        "(x)",
        "$PATH",
    ]
    deb = reading.literals('a linha "deb"')[0]
    assert deb.found_in('A linha "deb" define.') and not deb.found_in("deb-src e deb.exemplo.org")


# --- "Isto…" opening a sentence leans on the one before


def test_a_sentence_opening_with_isto_is_quoted_after_the_one_it_explains() -> None:
    text = (
        "Manual do Cofre › Desligar\n"
        "O cofre precisa de um procedimento de desligar antes de cortar a energia. "
        "Isto é para manter os registos gravados na memória interna."
    )
    assert cues.is_anaphoric("Isto porque não há cópia.")
    assert not cues.is_anaphoric("Prima Ctrl-D, isto é, as duas teclas.")
    question = "Por que o cofre precisa de um procedimento de desligar antes de cortar a energia?"
    quotes = selected_quotes(question, text)
    assert quotes[1].startswith("Isto é para manter os registos")


def test_closing_verbs_are_one_paraphrase_class() -> None:
    said = "Escreva Ctrl-D para fechar a sessão."
    assert cues.paraphrased("Como encerrar a sessão?", said) == {"encerr"}


# --- every sentence of the answer is cited, even within one quote


def test_each_sentence_inside_one_quote_gets_the_mark() -> None:
    text = (
        "Manual do Cofre › Comandos\n"
        "abrir(1) é usado pelo gerente para abrir a gaveta. fechar(1) é usado por qualquer "
        "funcionário, ex. o caixa, para fechar a gaveta."
    )
    answer = _answer("Quais comandos abrem e fecham a gaveta?", text)
    assert answer == (
        "abrir(1) é usado pelo gerente para abrir a gaveta. [1] fechar(1) é usado por qualquer "
        "funcionário, ex. o caixa, para fechar a gaveta. [1]"
    )

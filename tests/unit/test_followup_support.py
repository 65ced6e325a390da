"""A follow-up's own request must be in the sentences that answer it (assistant/followup_support.py).

Everyday examples, not the bundled corpus: a passage about the inherited subject alone must
not answer "E as desvantagens?" or "Desde que ano…?".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, followup_support
from assistant.abstain import ABSTAIN_TEXT
from assistant.conversation import Turn, condense_turn
from assistant.extractive import Unit
from assistant.grounding import Span
from fonte.settings import Settings
from tests.conftest import HashEmbedder, flat_idf, text_hit

BIKE = [Turn("user", "O que é uma bicicleta elétrica?"), Turn("assistant", "Uma bicicleta com motor.")]


def asked_after(question: str, history: list[Turn]) -> followup_support.Request:
    """The request of `question` as the pipeline reads it: after condensing it against `history`."""
    return followup_support.request(question, condense_turn(question, history))


def unit(text: str) -> Unit:
    """The whole body of a one-section chunk ("title\\nbody") as one chosen unit."""
    hit = text_hit(text)
    start = hit.chunk.text.index("\n") + 1
    return Unit(hit=hit, span=Span(start, len(hit.chunk.text)), score=1.0)


def test_request_is_the_follow_ups_own_words() -> None:
    asked = asked_after("E as desvantagens?", BIKE)
    assert asked.terms and not asked.number
    assert asked_after("Quais as desvantagens da bicicleta elétrica?", []).terms == ()


@pytest.mark.parametrize(
    "question",
    [
        "Como assim?",
        "Pode explicar melhor?",
        "E mais?",
        "Fale mais sobre isso.",
        "Por quê?",
        "E o de Porto?",
        "E por que isso importa?",
    ],
)
def test_asking_for_more_or_swapping_the_subject_requests_nothing(question: str) -> None:
    asked = asked_after(question, BIKE)
    assert not asked.terms and not asked.number  # "E o de Porto?" still has to name Porto


def test_a_year_asked_needs_a_number() -> None:
    asked = asked_after("Desde que ano existe esse modelo?", BIKE)
    assert asked.number
    plain = unit("Bicicleta elétrica\nA bicicleta elétrica tem um motor que ajuda a pedalar.")
    dated = unit("Bicicleta elétrica\nO modelo existe desde 1995 e tem um motor.")
    assert not followup_support.supported(asked, [plain], flat_idf)
    assert followup_support.supported(asked, [dated], flat_idf)


@pytest.mark.parametrize(
    ("question", "lacking", "saying"),
    [
        # the inherited subject alone does not answer what is asked of it
        (
            "E as desvantagens?",
            "Bicicleta elétrica\nA bicicleta elétrica tem um motor que ajuda o ciclista a pedalar.",
            "Bicicleta elétrica\nAs desvantagens da bicicleta elétrica são o peso e o preço.",
        ),
        # "a primeira loja a vendê-la" asks which was first: shops that sell it do not answer it
        (
            "E qual foi a primeira loja a vendê-la?",
            "Lojas\nLojas como a Pedal e a Roda vendem a bicicleta elétrica.",
            "Lojas\nA Pedal foi a primeira loja a vender a bicicleta elétrica.",
        ),
    ],
)
def test_the_answer_must_say_what_is_asked(question: str, lacking: str, saying: str) -> None:
    asked = asked_after(question, BIKE)
    assert not followup_support.supported(asked, [unit(lacking)], flat_idf)
    assert followup_support.supported(asked, [unit(saying)], flat_idf)


def test_an_ordinal_picking_from_the_list_is_no_qualifier() -> None:
    assert not asked_after("E a primeira delas?", BIKE).qualifiers


class MeaningEmbedder:
    """Vectors by meaning, as a real embedder gives them: "passar do ponto" and "em excesso"
    point the same way, an unrelated sentence elsewhere."""

    name = "meaning-test"
    BADLY = ("passar do ponto", "em excesso")

    def _vector(self, text: str) -> list[float]:
        return [1.0, 0.0] if any(w in text for w in self.BADLY) else [0.0, 1.0]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]


def test_a_request_in_other_words_is_supported_by_meaning() -> None:
    asked = asked_after("E se passar do ponto?", [Turn("user", "Como se faz o bolo de cenoura?")])
    said = unit("Bolo\nSe a massa for batida em excesso, o bolo fica pesado.")
    other = unit("Bolo\nO bolo de cenoura leva três ovos.")
    assert not followup_support.supported(asked, [said], flat_idf)  # the words differ
    assert followup_support.supported(asked, [said], flat_idf, MeaningEmbedder())
    assert not followup_support.supported(asked, [other], flat_idf, MeaningEmbedder())


def test_just_under_the_threshold_every_request_word_must_be_said() -> None:
    """A follow-up whose evidence is just under the threshold goes on only when the chosen
    sentences say its whole request; a standalone question (no request) abstains as before."""
    car = [Turn("user", "Na garagem, o que fazem os motores potentes de caminhão?")]
    asked = asked_after("E os carros elétricos?", car)
    threshold = 0.4
    assert followup_support.gated(asked, threshold, threshold) == asked
    near = followup_support.gated(asked, threshold - followup_support.FOLLOW_UP_MARGIN / 2, threshold)
    assert near is not None and near.strict
    too_weak = followup_support.gated(asked, threshold - 2 * followup_support.FOLLOW_UP_MARGIN, threshold)
    assert isinstance(too_weak, followup_support.Abstain)
    standalone = asked_after("O que fazem os carros elétricos?", [])
    assert isinstance(
        followup_support.gated(standalone, threshold - 0.01, threshold), followup_support.Abstain
    )
    # a standalone question's request is empty (falsy), yet it goes on: abstaining is said apart
    assert not standalone and followup_support.gated(standalone, threshold, threshold) == standalone
    both = unit("Garagem\nOs carros elétricos carregam a bateria durante a noite.")
    one = unit("Garagem\nOs carros a gasolina enchem o tanque no posto.")
    assert followup_support.supported(near, [both], flat_idf)
    assert not followup_support.supported(near, [one], flat_idf)
    assert followup_support.supported(asked, [one], flat_idf)  # above the threshold one word is enough


def test_a_gem_plural_is_matched_in_the_singular() -> None:
    asked = asked_after("E as desvantagens?", BIKE)
    singular = unit("Bicicleta elétrica\nA maior desvantagem da bicicleta elétrica é o peso.")
    assert followup_support.supported(asked, [singular], flat_idf)  # "-gens" plural of "-gem"


def test_the_section_title_and_paraphrases_support_the_request() -> None:
    titled = unit("Desvantagens\nO peso da bateria e o preço alto.")
    drawbacks = asked_after("E as desvantagens?", BIKE)
    assert followup_support.supported(drawbacks, [titled], flat_idf)
    job = asked_after("E quem é responsável por isso?", BIKE)
    said = unit("Manutenção\nTrocar a bateria é tarefa da oficina autorizada.")
    assert followup_support.supported(job, [said], flat_idf)


DOC = """# Pix

O Pix é um meio de pagamento instantâneo: o dinheiro chega na conta de quem recebe em segundos.

O Pix funciona todos os dias, a qualquer hora, com uma chave como o celular ou o e-mail.

# Panela de pressão

A panela de pressão cozinha feijão e carne mais depressa porque a água ferve acima de cem graus.

A válvula da panela de pressão deixa sair o vapor quando a pressão sobe demais.
"""


SUBJECT_EVIDENCE = 0.1
"""An abstain threshold the subject alone passes with the hashing test embedder, as the real
embedder's similarity makes it pass on real documents ("E as desvantagens?" after "O que é
DevOps?" scored above the default threshold)."""


@pytest.fixture
def helper(settings: Settings, tmp_path: Path) -> Assistant:
    from ingest import ingest_paths
    from vectorstore import Collection

    path = tmp_path / "casa.md"
    path.write_text(DOC, encoding="utf-8")
    collection = Collection.open(settings, embedder=HashEmbedder())
    ingest_paths([path], collection)
    return Assistant(settings.with_overrides(abstain_threshold=SUBJECT_EVIDENCE), collection=collection)


def test_follow_up_whose_request_the_passages_lack_abstains(helper: Assistant) -> None:
    first = "O que é o Pix?"
    said = helper.answer(first).text
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": said}]
    answer = helper.answer("E as desvantagens?", history=history)
    assert answer.standalone_question == "Quais são as desvantagens do Pix?"
    assert answer.abstained and answer.text == ABSTAIN_TEXT
    assert helper.answer("Desde que ano ele existe?", history=history).abstained  # no number said
    assert not helper.answer("E a chave?", history=history).abstained
    assert not helper.answer("E mais?", history=history).abstained


SHARED = """# Pix

O Pix é um meio de pagamento instantâneo criado pelo Banco Central.

# TED

A TED é uma transferência entre bancos que chega no mesmo dia útil.

# Pix e TED

A linha comum entre os dois é mover dinheiro entre contas de bancos diferentes.
"""


def test_what_two_sides_share_is_read_where_it_is_said(settings: Settings, tmp_path: Path) -> None:
    """A comparison's sides (each one's definition) do not say what the two share: the
    sentence that does answers "o que os dois têm em comum?"."""
    from ingest import ingest_paths
    from vectorstore import Collection

    path = tmp_path / "pagamentos.md"
    path.write_text(SHARED, encoding="utf-8")
    collection = Collection.open(settings, embedder=HashEmbedder())
    ingest_paths([path], collection)
    helper = Assistant(settings.with_overrides(abstain_threshold=SUBJECT_EVIDENCE), collection=collection)
    first = "Qual a diferença entre o Pix e a TED?"
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": helper.answer(first).text},
    ]
    answer = helper.answer("O que os dois têm em comum?", history=history)
    assert not answer.abstained, answer.standalone_question
    assert "linha comum" in answer.citations[0].quote

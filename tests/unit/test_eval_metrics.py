"""Eval metrics on hand-made cases."""

from __future__ import annotations

import pytest

from eval import judge, metrics

PASSAGE = (
    "Usando DevOps, empresas conseguiram reduzir o tempo do ciclo de lançamento de software de "
    "meses para literalmente segundos. Empresas como Google, Amazon e muitas outras agora lançam "
    "software muitas vezes por dia."
)


def test_retrieval_metrics() -> None:
    relevance = [False, True, False, True, False]
    assert metrics.hit_at_k(relevance, 1) == 0.0 and metrics.hit_at_k(relevance, 3) == 1.0
    assert metrics.reciprocal_rank(relevance) == 0.5
    assert metrics.ndcg_at_k([True, False], 5, 1) == 1.0
    assert metrics.ndcg_at_k([False, True], 5, 1) == pytest.approx(0.6309, abs=1e-3)


def test_relevance_ignores_whitespace_differences() -> None:
    assert metrics.is_relevant("a  frase   com\nespaços", ["frase com espaços"])
    assert not metrics.is_relevant("outra coisa", ["frase com espaços"])


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("Empresas como Google e Amazon lançam software muitas vezes por dia.", True),
        ("Com DevOps o ciclo de lançamento caiu de meses para segundos.", True),
        ("Empresas como Google e Microsoft lançam software muitas vezes por dia.", False),  # entity
        ("Com DevOps o ciclo de lançamento caiu de 12 meses para segundos.", False),  # number
        ("Empresas como Google não lançam software muitas vezes por dia.", False),  # negation
        ("Empresas como Google lançam software muitas vezes por dia usando Kubernetes e nuvem.", False),
    ],
)
def test_judge_on_perturbations(claim: str, expected: bool) -> None:
    assert judge.supported(claim, [PASSAGE]) is expected


def test_claims_keep_marks_written_after_the_period() -> None:
    assert judge.claims("Primeira frase aqui. [1] Segunda frase longa [2].") == [
        ("Primeira frase aqui.", [1]),
        ("Segunda frase longa.", [2]),
    ]


def test_faithfulness_and_citations() -> None:
    answer = (
        "Google e Amazon lançam software muitas vezes por dia [1]. "
        "O ciclo de lançamento foi de meses para segundos [1][2]."
    )
    passages = {1: PASSAGE, 2: "Texto sem relação nenhuma com isso."}
    assert metrics.faithfulness(answer, passages) == (2, 2)
    recall, claims, precise, citations = metrics.citation_scores(answer, passages)
    assert (recall, claims) == (2, 2)
    assert (precise, citations) == (2, 3)  # [2] is irrelevant: [1] alone supports the claim


def test_correctness_and_abstention() -> None:
    assert metrics.key_fact_recall("Usa DVC e MLflow.", ["DVC", "mlflow", "Airflow"]) == pytest.approx(2 / 3)
    assert metrics.token_f1("DataOps é uma metodologia ágil", "metodologia ágil") == pytest.approx(0.8)
    assert metrics.abstention([True, True, False, False], [True, False, True, False]) == (0.5, 0.5)
    assert metrics.percentile([1, 2, 3, 4], 50) == 2 and metrics.percentile([1, 2, 3, 4], 95) == 4


def test_judge_agrees_with_hand_labels() -> None:
    from eval.runner import judge_accuracy

    assert judge_accuracy() >= 0.80


def test_judge_rejects_swapped_number_words() -> None:
    passage = "O processo típico de arranque é como um foguete de quatro etapas."
    assert not judge.supported("O processo típico de arranque é como um foguete de três etapas.", [passage])


def test_quote_boundaries() -> None:
    from eval.metrics import ends_at_boundary

    chunk = "Título\nA garantia é de 24 meses. Vale no Brasil com nota fiscal\n• Item sem ponto\ncélula final"
    assert ends_at_boundary("A garantia é de 24 meses.", chunk)
    assert ends_at_boundary("• Item sem ponto", chunk)  # a list item: a line of its own
    assert ends_at_boundary("Título", chunk)
    assert ends_at_boundary("Vale no Brasil com nota fiscal", chunk)  # a block without a period
    assert ends_at_boundary("célula final", chunk)  # the chunk's last whole line
    assert not ends_at_boundary("A garantia é de 24", chunk)
    assert not ends_at_boundary("final", chunk)  # the end of a line cut short
    wrapped = "A cafeteira deve ser descalcificada a cada três meses, usando uma solução de ácido\ncítrico."
    assert not ends_at_boundary(wrapped.split("\n")[0], wrapped)  # stopped at a wrapped line

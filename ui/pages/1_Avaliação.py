"""Fonte — página "Avaliação": gráficos do relatório de avaliação mais recente (reports/eval-*.json)."""

from __future__ import annotations

import os
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from eval.reports import SCORE_KEYS, category_summary, latest_eval_report

METRIC_HELP = {
    "hit@3": "uma passagem relevante entre as 3 primeiras",
    "hit@5": "uma passagem relevante entre as 5 primeiras",
    "mrr": "posição média da primeira passagem relevante (1/rank)",
    "ndcg@5": "qualidade da ordenação das 5 primeiras",
    "faithfulness": "afirmações sustentadas pelas passagens citadas",
    "citation_recall": "afirmações com citação correta",
    "citation_precision": "citações que sustentam a afirmação",
    "key_fact_recall": "fatos-chave da resposta de referência presentes",
    "token_f1": "sobreposição de palavras com a resposta de referência",
    "abstention_precision": "abstenções que eram devidas",
    "abstention_recall": "perguntas sem resposta em que o Fonte se absteve",
}


def page() -> None:
    st.title("Avaliação")
    # the edge of the page: where reports live (relative to the working directory by default)
    reports_dir = Path(os.environ.get("FONTE_REPORTS_DIR") or "reports")
    found = latest_eval_report(reports_dir)
    if found is None:
        st.info(
            f"Nenhum relatório de avaliação em `{reports_dir}`. Gere um com `make eval` ou "
            "`fonte eval --set mlops --backend extractive` e recarregue a página.",
            icon=":material/bar_chart:",
        )
        return
    path, report = found
    st.caption(
        f"`{path.name}` · conjunto **{report.get('set', '?')}** · backend **{report.get('backend', '?')}** · "
        f"modo **{report.get('mode', '?')}** · embeddings {report.get('embedder', '?')}"
    )

    metrics = report["metrics"]
    scores = pd.DataFrame(
        [
            {"métrica": key, "valor": float(metrics[key]), "significado": METRIC_HELP.get(key, "")}
            for key in SCORE_KEYS
            if isinstance(metrics.get(key), int | float)
        ]
    )
    st.subheader("Pontuação por métrica")
    if scores.empty:
        st.warning("O relatório não traz métricas conhecidas.")
    else:
        chart = (
            alt.Chart(scores)
            .mark_bar(color="#2b6cb0")
            .encode(
                x=alt.X("valor:Q", scale=alt.Scale(domain=[0, 1]), title="valor (0–1)"),
                y=alt.Y("métrica:N", sort=list(SCORE_KEYS), title=None),
                tooltip=["métrica", alt.Tooltip("valor:Q", format=".3f"), "significado"],
            )
        )
        st.altair_chart(chart, width="stretch")
        with st.expander("Tabela de métricas"):
            st.dataframe(scores, hide_index=True, width="stretch")

    rows = category_summary(report)
    st.subheader("Por categoria de pergunta")
    if not rows:
        st.caption("O relatório não traz resultados por pergunta.")
    else:
        table = pd.DataFrame(rows)
        long = table.melt(
            id_vars=["categoria"],
            value_vars=["abstenção correta", "fidelidade", "fatos-chave"],
            var_name="medida",
            value_name="valor",
        ).dropna()
        st.altair_chart(
            alt.Chart(long)
            .mark_bar()
            .encode(
                x=alt.X("valor:Q", scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("medida:N", title=None),
                color=alt.Color("medida:N", legend=alt.Legend(orient="bottom")),
                row=alt.Row("categoria:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
                tooltip=["categoria", "medida", alt.Tooltip("valor:Q", format=".3f")],
            ),
        )
        st.dataframe(table, hide_index=True, width="stretch")

    latencies = pd.DataFrame(
        {"total_ms": [float(q["total_ms"]) for q in report.get("per_question", []) if q.get("total_ms")]}
    )
    st.subheader("Latência por pergunta")
    if latencies.empty:
        st.caption("Sem latências no relatório.")
    else:
        lat = metrics.get("latency_ms", {})
        if lat:
            cols = st.columns(4)
            for col, (label, key) in zip(
                cols,
                [
                    ("recuperação p50", "retrieve_p50"),
                    ("1º trecho p50", "first_token_p50"),
                    ("total p50", "total_p50"),
                    ("total p95", "total_p95"),
                ],
                strict=True,
            ):
                if isinstance(lat.get(key), int | float):
                    col.metric(label, f"{lat[key]:.0f} ms")
        st.altair_chart(
            alt.Chart(latencies)
            .mark_bar(color="#2b6cb0")
            .encode(
                x=alt.X("total_ms:Q", bin=alt.Bin(maxbins=20), title="tempo total (ms)"),
                y=alt.Y("count():Q", title="perguntas"),
            ),
            width="stretch",
        )


page()

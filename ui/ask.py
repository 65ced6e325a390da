"""`ask`: answer a question about your documents, with sources."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, Optional

import typer

from ui.common import load_settings, user_errors

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(help="Pergunte aos seus documentos. Sem pergunta: sessão interativa; '-' lê da entrada padrão.")
@user_errors
def ask(
    question: Annotated[Optional[str], typer.Argument(help="A pergunta (ou '-' para ler da entrada)")] = None,
    backend: Annotated[Optional[str], typer.Option(help="auto|llamacpp|ollama|openai|extractive")] = None,
    collection: Annotated[Optional[str], typer.Option("--collection", "-c")] = None,
    k: Annotated[Optional[int], typer.Option("-k", min=1, max=50, help="Trechos recuperados")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Saída JSON (contrato estável)")] = False,
) -> None:
    from assistant import assistant_for
    from fonte.errors import BadRequest

    # the backend goes with each question, as in the other front ends: resolving it checks the name
    helper = assistant_for(load_settings(collection=collection, k=k))
    _ensure_documents(helper)
    if question == "-":
        question = sys.stdin.read()
    if question is None:
        if as_json:
            raise BadRequest("--json precisa de uma pergunta")
        _interactive(helper, backend)
        return
    _answer_once(helper, question, history=[], backend=backend, as_json=as_json)


def _ensure_documents(helper: Any) -> None:
    from ingest import ensure_documents

    if helper.collection.is_empty():  # say so before the first, slow ingest starts
        print("A coleção está vazia: ingerindo o documento de exemplo…", file=sys.stderr)
    report = ensure_documents(helper.collection)
    if report is not None:
        print(f"{report.chunks} trechos ingeridos.", file=sys.stderr)


def _answer_once(
    helper: Any, question: str, *, history: list[dict[str, str]], backend: str | None, as_json: bool
) -> Any:
    from assistant import Final, Token
    from ui.render import answer_payload, sources_text

    result = None
    for event in helper.stream(question, history=history, backend=backend):
        if isinstance(event, Token) and not as_json:
            print(event.text, end="", flush=True)
        elif isinstance(event, Final):
            result = event.answer
    assert result is not None
    if as_json:
        print(json.dumps(answer_payload(result), ensure_ascii=False))
        return result
    print()
    sources = sources_text(result)
    if sources:
        print("\nFontes:\n" + sources)
    print(f"\n({result.backend}: {result.model}, {result.timings.total_ms / 1000:.1f} s)", file=sys.stderr)
    return result


def _interactive(helper: Any, backend: str | None) -> None:
    from fonte.errors import BadRequest

    history: list[dict[str, str]] = []
    print("Fonte — faça perguntas sobre os seus documentos (Ctrl-D para sair).", file=sys.stderr)
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            print(file=sys.stderr)
            return
        if not question:
            continue
        try:
            result = _answer_once(helper, question, history=history, backend=backend, as_json=False)
        except BadRequest as e:
            print(f"erro: {e}", file=sys.stderr)
            continue
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": result.text}]


def main() -> None:
    app()


if __name__ == "__main__":
    main()

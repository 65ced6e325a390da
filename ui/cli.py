"""`fonte`: ingest, inspect and search collections (and, later, answer/eval/serve)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ui.common import load_settings, user_errors

if TYPE_CHECKING:  # the CLI must start fast: the library is imported inside commands
    from fonte.types import Hit

app = typer.Typer(
    name="fonte",
    help="Fonte — perguntas e respostas com citações sobre os seus documentos.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CollectionOpt = Annotated[Optional[str], typer.Option("--collection", "-c", help="Coleção (padrão: default)")]


@app.command()
@user_errors
def ingest(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            help="Arquivos ou pastas (.txt .md .html .pdf .docx); sem caminho: o documento de exemplo"
        ),
    ] = None,
    collection: CollectionOpt = None,
    prune: Annotated[bool, typer.Option(help="Remove fontes cujos arquivos sumiram")] = False,
) -> None:
    """Ingere arquivos e pastas (recursivamente) de forma incremental."""
    from fonte.settings import bundled_corpus
    from ingest import ingest_paths
    from ui.progress import RichIngestEvents
    from vectorstore import Collection

    settings = load_settings(collection=collection)
    store = Collection.open(settings)
    with RichIngestEvents() as events:
        report = ingest_paths(paths or [bundled_corpus()], store, prune=prune, events=events)
    for path, reason in report.skipped:
        typer.echo(f"ignorado: {path}: {reason}", err=True)
    for source in report.removed:
        typer.echo(f"removido: {source}")
    typer.echo(
        f"{len(report.ingested)} arquivo(s) ingerido(s), {len(report.unchanged)} inalterado(s), "
        f"{len(report.skipped)} ignorado(s), {report.chunks} trecho(s) em {report.seconds:.1f} s "
        f"— coleção '{settings.collection}'"
    )
    if not report.ok:
        raise typer.Exit(3)


@app.command()
@user_errors
def sources(
    collection: CollectionOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Lista os documentos da coleção e quantos trechos cada um tem."""
    from vectorstore import Collection

    settings = load_settings(collection=collection)
    infos = Collection.open(settings).sources()
    if as_json:
        typer.echo(json.dumps([info.__dict__ for info in infos], ensure_ascii=False))
        return
    if not infos:
        typer.echo(f"A coleção '{settings.collection}' está vazia — rode `fonte ingest CAMINHO`.")
    for info in infos:
        typer.echo(f"{info.chunks:6d}  {info.source}")


@app.command()
@user_errors
def remove(
    source: Annotated[str, typer.Argument(help="Caminho ou nome do arquivo")],
    collection: CollectionOpt = None,
) -> None:
    """Remove um documento (e todos os seus trechos) da coleção."""
    from vectorstore import Collection

    store = Collection.open(load_settings(collection=collection))
    resolved = store.resolve_source(source)
    removed = store.remove_source(resolved)
    typer.echo(f"removido: {resolved} ({removed} trechos)")


@app.command()
@user_errors
def search(
    query: Annotated[str, typer.Argument(help="Pergunta ou termos de busca")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Quantos trechos")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid | dense | lexical")] = "hybrid",
    collection: CollectionOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Saída JSON (contrato estável)")] = False,
) -> None:
    """Busca os trechos mais relevantes (sem gerar resposta)."""
    from fonte.errors import BadRequest
    from ui.render import citation_label
    from vectorstore import Collection

    if not query.strip():
        raise BadRequest("A busca está vazia — escreva uma pergunta")
    settings = load_settings(collection=collection)
    hits = Collection.open(settings).search(query, k=k, mode=mode)
    if as_json:
        typer.echo(json.dumps(search_payload(query, settings.collection, mode, hits), ensure_ascii=False))
        return
    if not hits:
        typer.echo("Nenhum trecho encontrado.")
    for hit in hits:
        typer.echo(f"{citation_label(hit.chunk, hit.rank)} (score {hit.score:.3f})")
        typer.echo("    " + " ".join(hit.chunk.body.split())[:300])


def search_payload(query: str, collection: str, mode: str, hits: list[Hit]) -> dict[str, Any]:
    return {
        "query": query,
        "collection": collection,
        "mode": mode,
        "hits": [
            {
                "rank": h.rank,
                "chunk_id": h.chunk.chunk_id,
                "source": h.chunk.source,
                "title": h.chunk.title,
                "text": h.chunk.text,
                "score": h.score,
                "start": h.chunk.start,
                "end": h.chunk.end,
                "page": h.chunk.page,
            }
            for h in hits
        ],
    }


EVAL_SETS_HELP = (
    "mlops | mlops_dev | debian_ptbr | debian_ptbr_pdf | debian_pt"
    " | conversations | conversations_heldout | PASTA"
)


@app.command("eval")
@user_errors
def evaluate(
    set_name: Annotated[str, typer.Option("--set", help=EVAL_SETS_HELP)] = "mlops",
    backend: Annotated[str, typer.Option(help="extractive|llamacpp|ollama|openai|auto")] = "extractive",
    mode: Annotated[str, typer.Option(help="hybrid | dense | lexical")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Saída JSON (contrato estável)")] = False,
    reports_dir: Annotated[Path, typer.Option(help="Onde gravar os relatórios")] = Path("reports"),
    gate: Annotated[bool, typer.Option(help="Sai com erro abaixo de eval/thresholds.json")] = False,
    judge: Annotated[
        Optional[str], typer.Option(help="Juiz LLM adicional, ex.: ollama:gemma3:4b (precisa do Ollama)")
    ] = None,
) -> None:
    """Avalia recuperação, fidelidade, citações e abstenção num conjunto de perguntas."""
    from eval import reports, runner

    report = runner.run(load_settings(), set_name=set_name, backend=backend, mode=mode, judge=judge)
    path = reports.write(report, reports_dir)
    if as_json:
        typer.echo(json.dumps(runner.contract(report), ensure_ascii=False))
    else:
        typer.echo(reports.table(report))
        typer.echo(f"relatório: {path}")
    failures = runner.below_thresholds(report) if gate else []
    for failure in failures:
        typer.echo(f"abaixo do limite: {failure}", err=True)
    if failures:
        raise typer.Exit(1)


@app.command()
def ui(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Porta HTTP da interface")] = 8501,
    host: Annotated[str, typer.Option(help="Endereço (127.0.0.1 = só esta máquina)")] = "127.0.0.1",
) -> None:
    """Abre a interface web (Streamlit) em http://localhost:PORTA."""
    import os
    import sys

    script = Path(__file__).resolve().parent / "streamlit_app.py"
    typer.echo(f"Fonte em http://localhost:{port} (Ctrl-C para parar)", err=True)
    argv = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    argv += ["--server.address", host]  # private by default: documents never leave the machine
    argv += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    argv += ["--client.toolbarMode", "minimal"]
    os.execv(sys.executable, argv)


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Endereço (127.0.0.1 = só esta máquina)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Porta HTTP")] = 8000,
) -> None:
    """Serve a API HTTP, o widget (/widget.js), a demonstração (/demo) e a documentação (/docs)."""
    from ui.api import serve as run_server

    typer.echo(f"Fonte API em http://{host}:{port} (docs em /docs; Ctrl-C para parar)", err=True)
    run_server(load_settings(), host=host, port=port)


keys_app = typer.Typer(
    help="Chaves de API do widget (ligadas a origens e a uma coleção).", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
@user_errors
def keys_create(
    origin: Annotated[list[str], typer.Option("--origin", help="Origem permitida, ex. https://loja.example")],
    collection: Annotated[str, typer.Option("--collection", "-c", help="Coleção da chave")] = "default",
) -> None:
    """Cria uma chave pk_… para as origens dadas e imprime-a."""
    from ui.api.keys import key_store

    record = key_store(load_settings()).create(origin, collection)
    typer.echo(record.key)
    typer.echo(f"origens: {', '.join(record.origins)} — coleção '{record.collection}'", err=True)


@keys_app.command("list")
@user_errors
def keys_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Lista as chaves (ativas e revogadas)."""
    from ui.api.keys import key_store

    records = key_store(load_settings()).list_keys()
    if as_json:
        typer.echo(json.dumps([r.to_json() for r in records], ensure_ascii=False))
        return
    if not records:
        typer.echo("Nenhuma chave — crie uma com `fonte keys create --origin https://seu.site`.")
    for r in records:
        state = "revogada" if r.revoked else "ativa"
        typer.echo(f"{r.key}  {state:8s}  {r.collection}  {' '.join(r.origins)}")


@keys_app.command("revoke")
@user_errors
def keys_revoke(key: Annotated[str, typer.Argument(help="A chave pk_… a revogar")]) -> None:
    """Revoga uma chave (os pedidos com ela passam a receber 401)."""
    from ui.api.keys import key_store

    record = key_store(load_settings()).revoke(key)
    typer.echo(f"revogada: {record.key}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""Speed figures of Fonte on this machine, and a naive LangChain baseline side by side.

    python -m eval.bench [--quick] [--out reports/bench.md]

One module per section: 1) `ingest` throughput, 2) `search` latency at growing collection
sizes (embedded Chroma vs a `chroma run` server), 3) raw llama.cpp speed vs the same prompts
through Fonte's pipeline (`llm`), 4) end-to-end `ask` latency (warm, cold CLI, HTTP API via a
`fonte serve` child: `api`) and peak memory, 5) quality and latency of Fonte vs a tutorial-style
RAG (`baseline`); `answers` runs the passes sections 4 and 5 share. `plan` says how much to
measure and holds the rows, `seed` the shared starting collection and model, `process` the
child-process helpers, `report` the Markdown, `__main__` the run.

Timed figures are medians of `runs` repetitions (3; 1 with `--quick`, which also uses smaller
sizes and fewer questions). Everything is written under a temporary directory that is
removed at the end; the Chroma server and the HTTP server are always stopped.

Importing this package is cheap (no models, no numpy): `render_markdown` is unit-tested on
fake numbers. `eval/` never imports `ui/`: the CLI and the API are timed as child processes.
"""

"""`python -m eval.parity [N]`: the added latency of an OpenAI-compatible server over in-process llama.cpp.

Start a server with the reader the `llamacpp` backend uses, then point Fonte at it::

    python -m llama_cpp.server --model <data dir>/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \\
        --n_ctx 4096 --n_threads 2 --port 8766
    FONTE_OPENAI_BASE_URL=http://127.0.0.1:8766/v1 python -m eval.parity 10

The first N answerable mlops questions are asked through both backends in turn, in one
process, both warm (model loaded, reader system message cached), so load drifts hit both
alike. Quality parity is `fonte eval --set mlops` with `--backend openai` vs `--backend llamacpp`.
"""

from __future__ import annotations

import statistics
import sys

from eval.runner import load_set, prepare_collection
from fonte.errors import BadRequest
from fonte.settings import Settings

BACKENDS = ("llamacpp", "openai")


def main(argv: list[str] | None = None) -> None:
    from assistant import Assistant

    args = sys.argv[1:] if argv is None else argv
    count = int(args[0]) if args and args[0].isdigit() else 10
    settings = Settings().with_overrides(collection="eval-mlops")
    if not settings.openai_base_url:
        raise SystemExit(
            "Defina FONTE_OPENAI_BASE_URL (ex.: http://127.0.0.1:8766/v1) — veja `python -m eval.parity -h`"
        )
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return
    items = [i for i in load_set("mlops") if not i.expect_abstain and not i.history][:count]
    helper = Assistant(settings, collection=prepare_collection("mlops", settings))
    for backend in BACKENDS:  # warm both
        helper.answer(items[-1].question, backend=backend)
    added, same = [], 0
    print("| question | llamacpp ms | openai ms | same text |\n|---|---|---|---|")
    for item in items:
        answers = {b: helper.answer(item.question, backend=b) for b in BACKENDS}
        ms = {b: a.timings.total_ms for b, a in answers.items()}
        identical = answers["llamacpp"].text == answers["openai"].text
        same += identical
        if answers["llamacpp"].backend != "extractive":  # the model read: the hop was used
            added.append(ms["openai"] - ms["llamacpp"])
        print(f"| {item.id} | {ms['llamacpp']:.0f} | {ms['openai']:.0f} | {'yes' if identical else 'NO'} |")
    if not added:
        raise BadRequest("Nenhuma pergunta passou pelo modelo — aumente N")
    print(
        f"\nidentical answers {same}/{len(items)}; added latency per answer read by the model "
        f"(n={len(added)}): median {statistics.median(added):+.0f} ms, "
        f"min {min(added):+.0f}, max {max(added):+.0f}"
    )


if __name__ == "__main__":
    main()

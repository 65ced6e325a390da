"""The conversation sets themselves: verbatim quotes, the kinds of follow-up, how they are scored."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CORPUS, REPO


def _folded(text: str) -> str:
    from eval.judge import fold

    return fold(" ".join(text.split()))


@pytest.mark.parametrize(
    ("name", "min_rows", "facts_in_quotes"),
    # conversations.jsonl quotes a list's title and names its items as key facts, so there a
    # key fact need only be in the corpus; the held-out set quotes every key fact it checks
    [
        ("conversations", 30, False),
        ("conversations_heldout", 20, True),
        ("conversations_heldout2", 20, True),
        ("conversations_heldout3", 20, True),
        ("conversations_heldout4", 20, True),
        # the dev set quotes a tool list by its title, as conversations.jsonl does
        ("conversations_dev5", 20, False),
    ],
)
def test_conversation_set_is_verbatim_and_covers_the_kinds_of_follow_up(name, min_rows, facts_in_quotes):
    rows = [json.loads(line) for line in (REPO / f"eval/sets/{name}.jsonl").read_text().splitlines()]
    corpus = CORPUS.read_text(encoding="utf-8")
    assert len(rows) >= min_rows
    categories = {turn["category"] for row in rows for turn in row["turns"][1:]}
    assert {"ellipsis", "pronoun", "comparison", "selection", "unanswerable"} <= categories
    for row in rows:
        assert len(row["turns"]) >= 2, row["id"]
        for turn in row["turns"]:
            assert all(quote in corpus for quote in turn["gold_quotes"]), row["id"]
            assert turn["expect_abstain"] == (not turn["gold_quotes"]), row["id"]
            sources = turn["gold_quotes"] if facts_in_quotes else [corpus]
            for fact in turn["key_facts"]:
                assert any(_folded(fact) in _folded(text) for text in sources), (row["id"], fact)


def test_held_out_set_is_new_and_its_selections_name_what_must_stay_out():
    def questions(name: str) -> set[str]:
        lines = (REPO / f"eval/sets/{name}.jsonl").read_text().splitlines()
        return {turn["question"] for line in lines for turn in json.loads(line)["turns"]}

    assert not questions("conversations") & questions("conversations_heldout")
    from eval.conversations import load_conversations

    turns = [turn for c in load_conversations("conversations_heldout") for turn in c.turns[1:]]
    assert len(turns) >= 26
    assert all(t.absent_facts for t in turns if t.item.category == "selection")
    assert sum(t.item.expect_abstain for t in turns) >= 6


def test_turn_right_rejects_the_whole_list_for_a_selection_question():
    from eval.conversations import load_conversations, turn_right

    first = load_conversations()[0]
    selection = first.turns[1]
    row = {"abstained": False, "cites_gold": True, "key_fact_recall": 1.0,
           "answer": "DVC (Data Version Control) [1] Pachyderm [1] Neptune [1]"}  # fmt: skip
    assert not turn_right(selection, row)
    assert turn_right(selection, {**row, "answer": "DVC (Data Version Control) [1]"})
    assert not turn_right(selection, {**row, "abstained": True})


def test_every_set_named_conversations_runs_turn_by_turn(monkeypatch, settings):
    from eval import conversations, runner
    from fonte.errors import BadRequest

    monkeypatch.setattr(conversations, "run", lambda settings, **options: options)
    assert runner.run(settings, set_name="conversations_heldout")["set_name"] == "conversations_heldout"
    with pytest.raises(BadRequest, match="conjunto de conversas"):
        runner.load_set("conversations_heldout")

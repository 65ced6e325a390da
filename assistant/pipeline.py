"""The answer pipeline: condense → retrieve → abstain? → generate → verify → cite."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeGuard

from assistant import answer_type, comparison, cues, extractive, followup_support, grounding, lists, reader
from assistant.abstain import ABSTAIN_TEXT, is_abstention
from assistant.conversation import condense_turn, parse_history
from assistant.generation import build_generation
from assistant.llm import resolve_llm
from assistant.llm.base import LLM, SENTENCE_SELECTION, Generation
from fonte.errors import BadRequest
from fonte.settings import Settings
from fonte.textpt import fold
from fonte.types import Answer, Chunk, Citation, Hit, Timings
from vectorstore.collection import Collection

EVIDENCE_HITS = 3


@dataclass(frozen=True)
class Token:
    """A piece of answer text, ready to show (already verified and cited)."""

    text: str


@dataclass(frozen=True)
class Final:
    answer: Answer


Event = Token | Final


@dataclass
class _Draft:
    """Citations being numbered as verified sentences arrive."""

    hits: list[Hit]
    question: str
    citations: list[Citation] = field(default_factory=list)
    producer: LLM | None = None
    """The LLM whose output decided the answer; None when sentence selection alone did."""
    selected: bool = False
    """The producer only judged that the passages answer; sentence selection chose the text."""

    def quotes(self, quote: str) -> bool:
        """Whether a citation already quotes (part of) `quote`."""
        return any(c.quote in quote or quote in c.quote for c in self.citations)

    def cite(self, chunk: Chunk, quote_span: grounding.Span) -> int:
        quote = chunk.text[quote_span.start : quote_span.end]
        for citation in self.citations:
            if citation.chunk.chunk_id == chunk.chunk_id and citation.quote == quote:
                return citation.n
        self.citations.append(Citation(n=len(self.citations) + 1, chunk=chunk, quote=quote))
        return len(self.citations)


class Assistant:
    """Answers questions over one collection. Build once, reuse: models load lazily and stay."""

    def __init__(self, settings: Settings, *, collection: Collection | None = None):
        self.settings = settings
        self._collection = collection

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            self._collection = Collection.open(self.settings)
        return self._collection

    def answer(
        self,
        question: str,
        *,
        history: Sequence[Any] | None = None,
        backend: str | None = None,
        k: int | None = None,
    ) -> Answer:
        for event in self.stream(question, history=history, backend=backend, k=k):
            if isinstance(event, Final):
                return event.answer
        raise AssertionError("stream ended without a Final event")

    def stream(
        self,
        question: str,
        *,
        history: Sequence[Any] | None = None,
        backend: str | None = None,
        k: int | None = None,
    ) -> Iterator[Event]:
        started = time.perf_counter()
        question = self._validate(question)
        llm = resolve_llm(self.settings, backend)
        turns = parse_history(history, max_turns=self.settings.max_history_turns)
        condensed = condense_turn(question, turns, llm)
        standalone = condensed.question
        hits = self.collection.search(standalone, k=k or self.settings.k)
        answer = Answer(
            question=question, text=ABSTAIN_TEXT, citations=[], abstained=True, backend="extractive",
            model=SENTENCE_SELECTION, timings=Timings(retrieve_ms=_ms(started)),
            standalone_question=standalone, hits=hits,
        )  # fmt: skip
        sentences: list[str] = []
        evidence = self.evidence(condensed.evidence, hits)
        asked = followup_support.request(question, condensed)
        # a follow-up just under the threshold goes on, its request checked strictly
        judge = self._judge(llm, condensed.follow_up)
        verdict = followup_support.gated(
            asked,
            evidence,
            self._threshold(judge),
            pick=condensed.follow_up and lists.asks_selection(standalone),
        )
        draft = _Draft(hits=hits, question=question)
        if not isinstance(verdict, followup_support.Abstain):
            unsure = evidence < self.settings.reader_skip_evidence or standalone != question
            reading = judge if judge is not None and (unsure or _asks_list(standalone)) else None
            for sentence in self._grounded_sentences(reading, standalone, draft, verdict):
                answer.timings.first_token_ms = answer.timings.first_token_ms or _ms(started)
                yield Token(sentence if not sentences else " " + sentence)
                sentences.append(sentence)
        if draft.producer is not None:  # label the answer with what actually produced it
            answer.backend, answer.model = draft.producer.name, draft.producer.model
            if draft.selected:  # the reader judged; sentence selection chose what is shown
                answer.model += f" · {SENTENCE_SELECTION}"
        if sentences:
            answer.text, answer.citations, answer.abstained = " ".join(sentences), draft.citations, False
        else:
            answer.timings.first_token_ms = _ms(started)
            yield Token(ABSTAIN_TEXT)
        answer.timings.total_ms = _ms(started)
        yield Final(answer)

    def _grounded_sentences(
        self, llm: LLM | None, question: str, draft: _Draft, request: followup_support.Request
    ) -> Iterator[str]:
        """Verified, cited sentences; none when the model finds no answer in the passages, or
        when the chosen sentences miss what a follow-up asks beyond its inherited subject
        (`request`).

        Instruct models read: they pick the candidate sentences that answer, shown verbatim.
        A base model writes sentences; the best passage sentence backs them up (small models
        drop key facts) or, when none survives verification, replaces them.
        """
        idf = self.collection.lexical.idf
        if _reads(llm):
            units = reader.candidates(
                question, draft.hits, idf, limit=self.settings.reader_candidates,
                embedder=self.collection.store.embedder,
            )  # fmt: skip
            reading = reader.read(llm, question, units) if units else None
            if reading is not None and reading.parsed:
                draft.producer = llm
                picked = reading.decided(self.settings.reader_none_odds)
                if not picked:
                    return  # the reader found no answer in the passages
                if self.settings.reader_shows == "picks":
                    chosen = reader.with_best(picked, units)
                    if self._answers_request(request, chosen):
                        for unit in chosen:
                            yield extractive.cited(unit, draft.cite)
                    return
                draft.selected = True  # the passages answer: sentence selection says what
            llm = None  # judged, or unusable output: sentence selection
        produced = 0
        if llm is not None:
            for sentence in self._generated(llm, question, draft.hits):
                if is_abstention(sentence):
                    draft.producer = llm
                    if not produced:
                        return
                    break
                verified = self._verify(sentence, draft)
                if verified:
                    draft.producer = llm
                    produced += 1
                    yield verified
        # a side's own passages by its name: lexical search costs ~1 ms, an embedded query ~100+
        side_search = partial(self.collection.search, mode="lexical")
        compared = comparison.select(question, draft.hits, idf, search=side_search)
        # a comparison whose sides miss what was asked gives way ("o que os dois têm em comum?"
        # is answered by the sentence that says what they share)
        if compared is not None and (produced or self._answers_request(request, compared)):
            units = compared
        else:
            units = extractive.select(
                question, draft.hits, idf, embedder=self.collection.store.embedder,
                section=self.collection.lexical.sections().section_of,
            )  # fmt: skip
            if not produced and not self._answers_request(request, units):
                return  # the passages speak of the inherited subject, not of what was asked
        if produced:
            units = [u for u in units[:1] if not draft.quotes(u.quote)]
        for unit in units:
            yield extractive.cited(unit, draft.cite)

    def _judge(self, llm: LLM | None, follow_up: bool) -> LLM | None:
        """The LLM that reads this turn's passages, if any. A reader that only judges whether
        they answer (`reader_shows="selection"`) does not judge follow-ups: on the rewritten
        follow-ups of conversations_dev5 its odds of "no answer" abstained on 17 answerable
        turns and caught none the rules missed (reports/reader.md)."""
        judges_only = _reads(llm) and self.settings.reader_shows == "selection"
        return None if judges_only and follow_up else llm

    def _threshold(self, llm: LLM | None) -> float:
        """The evidence under which Fonte abstains unasked: lower when an instruct model reads
        (it tells traps from answers better than the evidence does: reports/reader.md)."""
        if _reads(llm):
            return min(self.settings.abstain_threshold, self.settings.reader_abstain_threshold)
        return self.settings.abstain_threshold

    def _answers_request(self, request: followup_support.Request, units: list[extractive.Unit]) -> bool:
        return followup_support.supported(
            request, units, self.collection.lexical.idf, self.collection.store.embedder
        )

    def evidence(self, question: str, hits: list[Hit]) -> float:
        """Evidence in [0, 1] that the passages answer the question.

        A mix of lexical coverage (idf-weighted share of the question's content words found
        in one passage unit and its section title) and dense similarity of the best passage:
        coverage alone punishes paraphrase, similarity alone is fooled by on-topic questions
        about facts the documents lack.
        """
        if not hits:
            return 0.0
        if answer_type.lacks_answer(question, [h.chunk.body for h in hits[:EVIDENCE_HITS]]):
            return 0.0  # e.g. a price, a count or a year asked of passages that hold no number
        lexical = self._lexical_evidence(question, hits)
        cosines = [h.dense_score for h in hits if h.dense_score is not None]
        if not cosines:
            return lexical
        s = self.settings
        dense = (max(cosines) - s.evidence_dense_low) / (s.evidence_dense_high - s.evidence_dense_low)
        weight = s.evidence_lexical_weight
        return weight * lexical + (1 - weight) * min(1.0, max(0.0, dense))

    def _lexical_evidence(self, question: str, hits: list[Hit]) -> float:
        if not grounding.question_terms(question):
            return 1.0
        # per sentence of the question, so text wrapped around the real question (an injected
        # "ignore as instruções…") cannot dilute the evidence for it
        # "E mais? (Pix)": a follow-up asking nothing itself is read with the subject it inherits
        parts = [p for p in cues.question_parts(question) if grounding.question_terms(p)] or [question]
        idf = self.collection.lexical.idf
        return max(
            (u.support for part in parts for u in extractive.score_units(part, hits[:EVIDENCE_HITS], idf)),
            default=0.0,
        )

    def _validate(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise BadRequest("A pergunta está vazia — escreva o que quer saber")
        if len(question) > self.settings.max_question_chars:
            raise BadRequest(
                f"Pergunta longa demais ({len(question)} caracteres; máximo "
                f"{self.settings.max_question_chars}) — resuma a pergunta"
            )
        return " ".join(question.split())

    def _generated(self, llm: LLM, question: str, hits: list[Hit]) -> Iterator[str]:
        """Complete sentences of the LLM's output, as they finish."""
        generation: Generation = build_generation(
            llm, question, hits, self.collection.lexical.idf, max_tokens=self.settings.max_new_tokens
        )
        buffer = ""
        for piece in llm.stream(generation):
            buffer = grounding.move_marks_before_period(buffer + piece)
            *complete, buffer = grounding.split_stream(buffer)
            yield from complete
        if buffer.strip():
            yield buffer.strip()

    def _verify(self, sentence: str, draft: _Draft) -> str | None:
        """The sentence with a citation to a passage that supports it, or None."""
        text, marks = grounding.strip_citations(sentence)
        if len(text) < 3 or grounding.echoes(text, draft.question):
            return None
        cited = [draft.hits[m - 1] for m in marks if 1 <= m <= len(draft.hits)]
        others = [h for h in draft.hits if h not in cited]
        for hit in [*cited, *others]:
            if grounding.supports(text, hit.chunk.text) >= grounding.SUPPORT_THRESHOLD:
                n = draft.cite(hit.chunk, grounding.best_quote(text, hit.chunk.text, hit.chunk.body_offset))
                return f"{text} [{n}]"
        return None


def _reads(llm: LLM | None) -> TypeGuard[LLM]:
    """Whether `llm` reads the candidates (an instruct model); a base model writes sentences."""
    return llm is not None and getattr(llm, "chat", True)


def _asks_list(question: str) -> bool:
    return bool(extractive.LIST_INTENT.match(fold(question)))


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)

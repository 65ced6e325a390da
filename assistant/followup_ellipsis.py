"""Ellipsis: "E o X?", "E o de X?", "E em X?", "E quanto a X?" put X where the previous
question had the thing it stands beside.

Which phrase of the previous question X replaces, in order:
- "E o de DataOps?" / "E a da Alemanha?" / "E de marcenaria?": the innermost modifier of a
  "<noun> de <…>" phrase;
- "E em Portugal?" / "E para alface?": the phrase after the same preposition; without one, a
  name replaces the name the previous question is about ("Quantos habitantes tem o Brasil?");
- "E o ordinal?" after a question with an ordinal: that ordinal;
- "E a simétrica?", "E o não supervisionado?", "E outras ferramentas?": a modifier of the
  phrase (assistant/followup_modifiers.py);
- a phrase sharing X's head noun ("glóbulos vermelhos" for "os glóbulos brancos");
- for a common noun after a definition, an attribute of what was defined ("E os
  benefícios?" after "O que é DevOps?"); after "as vantagens do Docker", the head noun;
  a noun with its own adjective replaces a whole kind ("E os carros elétricos?" after "os
  motores potentes de caminhão": not "os carros elétricos de caminhão");
- an attribute noun (`ATTRIBUTE_NOUNS`) asks for that attribute of the previous topic ("E
  os benefícios?" after "O que são vitaminas?"), never for its definition;
- else the previous question's subject.

What follows a comma ("E o de DataOps, foca em quê?") is read by assistant/followup_tails.py.
A condition ("E quando é bem feito?") replaces the previous condition (`followup_clauses.contrast`).
When the previous question has no slot for the ellipsis, assistant/followup_earlier.py looks for
an earlier question that has one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.antecedents import ABOUT, SUBJECT_PERSONAL
from assistant.followup_clauses import contrast
from assistant.followup_modifiers import modifier
from assistant.followup_tails import ALSO_WORDS, BARE_TAIL, asks_again, own_tail, resolved, with_tail
from assistant.phrases import (
    ARTICLES,
    ASKS_DEFINITION_OR_HOW,
    FUSED,
    INDEFINITE,
    LINKS,
    ORDINAL_WORD,
    VERBISH,
    WH_WORDS,
    WORD,
    Phrase,
    defined,
    is_name,
    noun_phrases,
    subject,
)
from fonte.textpt import fold, stem, stopwords

ELLIPSIS = re.compile(
    rf"^\W*(?:e|mas|e então)\s+(?:{ABOUT}\s+(?=[aàd])|sobre\s+|e\s+|"
    r"(?:qual|quais)\s+(?:(?:é|são)\s+)?(?=(?:o|a|os|as)\s+d[eoa]s?\s))?"
    r"(?P<np>[^,?]+?)\s*(?:,\s*(?P<tail>[^?]*))?\??\s*$",
    re.IGNORECASE,
)
"""'E' and one phrase, after "quanto a", "no caso de", "acerca de" (`antecedents.ABOUT`)… or
"qual é" before an of-ellipsis ("E qual é a do MLOps?"), then maybe a tail after a comma."""
OF_ELLIPSIS = re.compile(r"^(?:o|a|os|as)\s+(?P<link>de|do|da|dos|das)\s+(?P<mod>.+)$", re.IGNORECASE)
PREPOSITIONAL = re.compile(
    r"^(?P<prep>para|em|no|na|nos|nas|num|numa|com|sem|entre|contra|durante|até|pelo|pela|pelos|pelas|"
    r"ao|aos|à|às)\s+(?=\w)",
    re.IGNORECASE,
)
"""An ellipsis keeping its preposition ("E em Portugal?"): it replaces what followed the same one."""
SAME_PREPOSITION = {
    "em": ("em", "no", "na", "nos", "nas", "num", "numa"),
    "por": ("por", "pelo", "pela", "pelos", "pelas"),
    "a": ("ao", "aos", "à", "às"),  # not "a", an article as often as a preposition
}
BARE_LEAD = re.compile(r"\W*(?:e|mas|e\s+então)\s+", re.IGNORECASE)
"""Only "E" before the phrase: "E em Portugal?" is a circumstance, "E no caso do Genie?" a subject."""
BARE_OF = re.compile(r"^(?P<link>de|do|da|dos|das)\s+(?P<mod>[\wÀ-ÿ].*)$", re.IGNORECASE)
"""The modifier alone: "E de marcenaria?", "E da natação?" (and "no caso de MLOps")."""
SAME_FOR = re.compile(
    r"^\W*(?:(?:e|mas)\s+)?(?:isso|isto|o\s+mesmo|a\s+mesma\s+coisa)\s+(?:também\s+)?"
    r"(?:vale|valeria|se\s+aplica|se\s+aplicaria|serve|acontece)\s+(?:também\s+)?"
    r"(?:(?P<prep>para|pra|a|com|em)\s+(?P<art>o|a|os|as)|(?P<fused>ao|à|aos|às|no|na|nos|nas|pro|pra|pros|pras))\s+"
    r"(?P<x>[^?,]+?)(?:,?\s+também)?\s*\?*\s*$",
    re.IGNORECASE,
)
""""E o mesmo vale para o Java?", "Isso também se aplica ao Gol?": the previous question asked of
another subject, like "E o Java?" (see `same_for`)."""
ALSO_AFTER = re.compile(rf"\s+(?:{'|'.join(ALSO_WORDS)})\s*$", re.IGNORECASE)
"""A trailing "também" says the new thing shares the previous predicate ("E o Java também?")."""
SUBJECT_PRONOUNS = frozenset([*SUBJECT_PERSONAL, "isso", "isto", "aquilo"])
ORDINAL = re.compile(rf"\b(?:[oa]s?\s+)?{ORDINAL_WORD}", re.IGNORECASE)
STEPPED = re.compile(rf"\b(?:[oa]s?\s+){ORDINAL_WORD}")
"""An ordinal the previous question stepped to ("o primeiro dos…"); lower case, so not a name
("Primeira Guerra")."""
NAMED_ORDINAL = re.compile(rf"\b(?=[A-ZÀ-Ý]){ORDINAL_WORD}", re.IGNORECASE)
"""An ordinal opening a name ("a Segunda Guerra Mundial")."""
MAX_ELLIPSIS_WORDS = 5
"""An ellipsis names one thing ("E o de DataOps?", "E no caso do filtro de papel?"): at most
this many words besides articles and prepositions ("E com os resultados das análises estatísticas?")."""
COPULA = re.compile(r"^(\W*(?:qual|quais)\s+)(é|são|foi|foram)\b", re.IGNORECASE)
ATTRIBUTE_NOUNS = frozenset(
    fold(w)
    for w in WORD.findall(
        "benefício benefícios vantagem vantagens desvantagem desvantagens risco riscos custo custos "
        "preço limitação limitações exemplo exemplos tipo tipos etapa etapas fase fases objetivo "
        "objetivos desafio desafios causa causas consequência consequências característica "
        "características função funções aplicação aplicações problema problemas sintoma sintomas "
        "efeito efeitos requisito requisitos componente componentes princípio princípios finalidade"
    )
)
"""Nouns that name a property of a thing, not a thing beside it: "E os riscos?" asks the risks
of the previous topic, while "E a fotossíntese?" asks about a sibling concept."""


def ellipsis(question: str, previous: str) -> str | None:
    """ "E o Genie?" / "E o de DataOps?" / "E em Portugal?" → the previous question about the new thing."""
    contrasted = contrast(question, previous)
    if contrasted is not None:
        return contrasted
    match = matched(question)
    if match is None:
        return None
    tail = own_tail(match["tail"], previous)
    np = ALSO_AFTER.sub("", resolved(match["np"].strip(), previous))  # "E o Java também?"
    if tail and BARE_TAIL.match(tail.strip()):
        # "E no caso de MLOps, quais são?" asks "Quais plataformas de DataOps…?" again, of MLOps
        return _asked_again(np, previous) if asks_again(tail, previous) else None
    bare = BARE_LEAD.fullmatch(match.string[: match.start("np")]) is not None  # not "E no caso de…"
    of = BARE_OF.match(np)
    text = _of_ellipsis(of["link"], of["mod"], previous, tail) if of and bare else None
    if text is not None:  # "E de marcenaria?", "E da natação?": the modifier of the previous phrase
        return text
    if of and of["link"].lower() == "de":
        np = of["mod"]  # "no caso de MLOps": the phrase is the name alone
    first = WORD.findall(np)[0].lower()
    prepositional = PREPOSITIONAL.match(np)
    if prepositional and bare and tail and any(fold(w) in WH_WORDS for w in WORD.findall(tail)):
        return with_tail(previous, tail, previous, np)  # "E no inverno, o que se planta?"
    if prepositional and bare:
        preposition = prepositional["prep"].lower()
        slot = preposition_slot(preposition, previous)
        if slot is not None:
            return with_tail(f"{previous[: slot[0]]}{np}{previous[slot[1] :]}", tail, previous)
        if not _name_beside_name(np[prepositional.end() :], previous):
            return None
    if first in FUSED:  # "no caso do Genie", "quanto ao Genie", "no Porto": the phrase is "o Genie"
        np = FUSED[first][1] + np[len(first) :]
    elif prepositional:
        np = np[prepositional.end() :]  # "em Lisboa" beside "do Porto": the name alone
    ordinal = ORDINAL.fullmatch(np)
    earlier = STEPPED.search(previous)
    if ordinal and earlier:  # "E o último?" after "Explique o primeiro dos desafios."
        return f"{previous[: earlier.start()]}{ordinal.group()}{previous[earlier.end() :]}"
    named = NAMED_ORDINAL.search(previous)
    if ordinal and named and WORD.findall(np)[-1][:1].isupper():
        # "E a Primeira?" after "Quando começou a Segunda Guerra Mundial?": the ordinal of the name
        return f"{previous[: named.start()]}{WORD.findall(np)[-1]}{previous[named.end() :]}"
    of = OF_ELLIPSIS.match(np)
    if of:
        return _of_ellipsis(of["link"], of["mod"], previous, tail)
    modified = modifier(np, previous)
    if modified is not None:
        return with_tail(modified or None, tail, previous)
    new = one_phrase(np)
    target = subject(previous)
    if new is None or target is None:
        return None
    text = same_head(new, previous) or (None if new.named else _attribute(new, previous, target))
    if text is None and not new.named:
        text = _attribute_of_topic(new, previous, target)
    return with_tail(text or _substituted(new, np, previous, target), tail, previous, np)


def _asked_again(np: str, previous: str) -> str | None:
    """The list question `previous` about the new thing, in its "<noun> de <…>" phrase when it has
    one ("Quais plataformas de DataOps…?" → "…de MLOps…"), else in place of its subject."""
    lead = PREPOSITIONAL.match(np)
    if lead is not None and lead["prep"].lower() not in FUSED:
        np = np[lead.end() :]  # "E para MLOps, quais são?": MLOps's
    of = BARE_OF.match(np) or OF_ELLIPSIS.match(np)  # "de MLOps", "as do Java"
    first, _, rest = np.partition(" ")
    article = FUSED[first.lower()][1] if first.lower() in FUSED else first.lower()  # "ao Java"
    if of is not None:
        link, modifier = of["link"], of["mod"]
    elif article in ARTICLES and rest:
        link, modifier = f"d{article}", rest
    else:
        link, modifier = "de", np
    phrase = f"{article} {rest}" if article in ARTICLES and rest else np
    return _of_ellipsis(link, modifier, previous, None) or ellipsis(f"E {phrase}?", previous)


IN_PLACE = frozenset(["em", "no", "na", "nos", "nas"])
"""Prepositions of place and time: after them "o mesmo vale" narrows the previous question."""


def same_for(question: str) -> str | None:
    """ "E o mesmo vale para o Java?" → "E o Java?"; None when `question` is not that shape."""
    same = SAME_FOR.match(question)
    if same is None:
        return None
    place = same["fused"] or f"{same['prep']} {same['art']}"
    if fold(place.split()[0]) in IN_PLACE:  # "O mesmo vale no inverno?" is a circumstance
        return f"E {place} {same['x']}?"
    if same["art"]:
        article = same["art"]
    else:
        fused = same["fused"].lower()
        article = FUSED[fused][1] if fused in FUSED else fused[2:] or "a"  # "pro" → "o", "pra" → "a"
    return f"E {article} {same['x']}?"


def matched(question: str) -> re.Match[str] | None:
    """The follow-up read as an ellipsis: one short phrase, no interrogative, not a pronoun
    opening a sentence ("E ela funciona?")."""
    match = ELLIPSIS.match(same_for(question) or question)
    if not match:
        return None
    words = WORD.findall(match["np"])
    content = [w for w in words if fold(w) not in stopwords()]
    too_long = len(content) > MAX_ELLIPSIS_WORDS or len(words) > 2 * MAX_ELLIPSIS_WORDS
    if not words or too_long or any(fold(w) in WH_WORDS for w in words):
        return None
    return None if fold(words[0]) in SUBJECT_PRONOUNS else match


def _attribute_of_topic(new: Phrase, previous: str, target: Phrase) -> str | None:
    """ "E os benefícios?" after "O que é DevOps?", "O que são vitaminas?" or "Quanto custa o
    carro?" → "Quais são os benefícios das vitaminas?": an attribute of the previous topic, also
    any common noun after a definition of a name ("E a cultura?" after "O que é DevOps?")."""
    if fold(WORD.findall(new.core)[0]) not in ATTRIBUTE_NOUNS and not (
        ASKS_DEFINITION_OR_HOW.match(previous) and target.head_named
    ):
        return None
    verb = "Quais são" if new.plural else "Qual é"
    if re.search(r"\s(?:de|do|da|dos|das)\s", f" {new.core} "):
        return f"{verb} {new.with_article()}?"  # "E as vantagens dele?": it names its own holder
    return f"{verb} {new.with_article()} {(defined(previous) or target).after('de')}?"


def _substituted(new: Phrase, np: str, previous: str, target: Phrase) -> str:
    """The previous question with `new` where its subject (or, for a common noun, the common
    noun it stands beside) was: "E Portugal?" after "Quantos habitantes tem o Brasil?"."""
    if not new.named:  # a common noun stands beside a common noun ("E as propinas?" → "as matrículas")
        target = _common(previous, new) or target
    prefix = previous[target.start : target.end].removesuffix(target.core).strip().lower()
    preposition = FUSED[prefix][0] if prefix in FUSED else ""
    # a name keeps the article it was written with ("E Portugal?"); a common noun borrows one
    article = new.article or ("" if new.head_named else target.article)
    if not target.article and not target.named and not new.named:
        article = ""  # "Quais frutas o livro cita?" "E os legumes?": "Quais legumes…"
    if not article:  # "E um arquiteto de software?" keeps its indefinite article
        written = np if WORD.findall(np)[0].lower() in INDEFINITE else new.core
        slot = f"{preposition} {written}".strip()
    elif preposition:
        slot = Phrase(new.core, article, 0, 0, True, None, False).after(preposition)
    else:
        slot = f"{article} {new.core}"
    return f"{previous[: target.start]}{slot}{previous[target.end :]}"


def _name_beside_name(phrase: str, previous: str) -> bool:
    """Whether a name after a preposition `previous` lacks ("E em Portugal?" after "Quantos
    habitantes tem o Brasil?") stands beside the name `previous` is about."""
    words = WORD.findall(phrase)
    found = subject(previous)
    return bool(words) and is_name(words[-1], False) and found is not None and found.head_named


def one_phrase(np: str) -> Phrase | None:
    """The ellipsis as one noun phrase, read as it stands in the follow-up (not opening a
    sentence: "Big" in "E Big Data?" is a name); None if it is not one noun phrase."""
    phrases = [
        replace(p, start=p.start - 2, end=p.end - 2)
        for p in noun_phrases(f"E {np}")
        if not (p.head_named and p.start > 2)
    ]
    if len(phrases) != 1 or phrases[0].start != 0:
        return None
    trailing = WORD.findall(np[phrases[0].end :])  # adjectives the phrase did not take: "duplo"
    if any(
        fold(w) in stopwords() or (VERBISH.search(fold(w)) and not fold(w).endswith("lar")) for w in trailing
    ):
        return None  # not one noun phrase: "E a aplicação ajuda com…?" is no ellipsis
    core = np[phrases[0].end - len(phrases[0].core) :].strip(" ?")
    p = phrases[0]
    return Phrase(core, p.article, 0, len(np), p.named, p.gender, p.plural, p.head_named)


def _common(previous: str, new: Phrase) -> Phrase | None:
    """The previous question's common-noun phrase a new common noun stands beside: one of the
    same gender and number first, else the first."""
    common = [p for p in noun_phrases(previous) if not p.head_named and not p.named]
    same = [p for p in common if p.gender == new.gender and p.plural == new.plural]
    ranked = same or common
    return ranked[0] if ranked else None


def same_head(new: Phrase, previous: str) -> str | None:
    """ "E os glóbulos brancos?" after "…a função dos glóbulos vermelhos?" → "…dos glóbulos
    brancos?"; "E as de DataOps?" is the of-ellipsis, "E as ferramentas de DataOps?" this."""
    if new.head_named:
        return None
    head = stem(WORD.findall(new.core)[0])
    phrases = noun_phrases(previous)
    for token in WORD.finditer(previous):
        if stem(token.group()) != head:
            continue
        holder = next((p for p in phrases if p.start <= token.start() < p.end), None)
        end = holder.end if holder is not None else token.end()
        return f"{previous[: token.start()]}{new.core}{previous[end:]}"
    return None


def _attribute(new: Phrase, previous: str, target: Phrase) -> str | None:
    """ "E as desvantagens?" after "Quais são as vantagens do Docker?" → "Quais são as
    desvantagens do Docker?": the common noun the name modifies is replaced."""
    if target.head_named:
        holder = next(
            (
                p
                for p in noun_phrases(previous)
                if not p.head_named and p.start < target.start < p.end and p.article
            ),
            None,
        )
    elif ASKS_DEFINITION_OR_HOW.match(previous):
        return None  # "E a fotossíntese?" after "O que é a respiração das plantas?" asks its definition
    else:
        holder = _common(previous, new)
        holder = holder if holder is not None and holder.article else None
    if holder is None:
        return None
    link = re.search(r"\s(?:de|do|da|dos|das)\s", holder.core)
    if link is None:
        return None
    core_start = holder.end - len(holder.core)
    opener = previous[holder.start : core_start].strip().lower()
    attributes = {fold(WORD.findall(p)[0]) for p in (new.core, holder.core)} & ATTRIBUTE_NOUNS
    if target.head_named and opener in FUSED and _common(previous, new) is not None and not attributes:
        # "E os carros?" after "O que representam as estradas na analogia do X?": a thing beside
        # "as estradas", not beside the circumstance "na analogia"
        return None
    kept = core_start + link.start()
    if not target.head_named and link.group().strip() == "de" and len(WORD.findall(new.core)) > 1:
        # "E os carros digitais?" after "…os sistemas complexos de estradas?": a noun with its own
        # adjective names a kind of its own, and a bare "de" belonged to the old kind's name
        kept = holder.end
    slot = new.after(FUSED[opener][0]) if opener in FUSED else new.with_article()
    text = f"{previous[: holder.start]}{slot}{previous[kept:]}"
    copula = COPULA.match(text)
    if copula is not None:  # "Quais são as vantagens" → "Qual é o preço"
        which = "Quais" if new.plural else "Qual"
        verb = "são" if new.plural else "é"
        text = f"{which} {verb}{text[copula.end() :]}"
    return text


def preposition_slot(preposition: str, previous: str) -> tuple[int, int] | None:
    """Where the phrase after the same preposition is in `previous` ("no Brasil" in "Qual é a
    pena para furto no Brasil?" for "E em Portugal?"), preposition included; None if it has none."""
    family = next((forms for forms in SAME_PREPOSITION.values() if preposition in forms), (preposition,))
    tokens = list(WORD.finditer(previous))
    at = [n for n, t in enumerate(tokens) if t.group().lower() in family]
    if not at:
        return None
    n = at[-1]  # the last one: the circumstance usually closes the question
    end = tokens[n].end()
    joined = ("o", "a", "os", "as", "e") if preposition == "entre" else ("o", "a", "os", "as")
    for nxt in tokens[n + 1 :]:
        gap = previous[end : nxt.start()]
        word = fold(nxt.group())
        if gap.strip() or (word in stopwords() and word not in LINKS and word not in joined):
            break  # "entre DevOps e MLOps" is one slot
        end = nxt.end()
    return tokens[n].start(), end


def _of_ellipsis(link: str, modifier: str, previous: str, tail: str | None) -> str | None:
    """ "E o de DataOps?" after "…o Engenheiro de Machine Learning?" → "…o Engenheiro de DataOps?"."""
    modified = next(
        (p for p in noun_phrases(previous) if re.search(r"\s(?:de|do|da|dos|das)\s", f" {p.core} ")),
        None,
    )
    if modified is None:
        return None
    links = list(re.finditer(r"\s(?:de|do|da|dos|das)\s", modified.core))
    plain = [m for m in links if m.group().strip() == "de"]
    fused = [m for m in links if m.group().strip() != "de"]
    if link.lower() != "de" and fused:  # "E as do analista?": the modifier with an article
        head = modified.core[: fused[0].start()]
    else:  # "E o de DataOps?": the innermost modifier is replaced
        head = modified.core[: (plain or links)[-1].start()]
    article = previous[modified.start : modified.end].removesuffix(modified.core)
    phrase = f"{article}{head} {link.lower()} {modifier}"
    text = f"{previous[: modified.start]}{phrase}{previous[modified.end :]}"
    return with_tail(text, tail, previous, phrase)

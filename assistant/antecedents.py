"""Antecedents a pronoun has besides the previous question's first agreeing phrase.

- the follow-up's own topic: "Voltando ao Docker: por que ele é tão usado?", "E no caso
  do pão, como ele cresce?", "Sobre a Lua, de que ela é feita?" → the pronoun is that topic,
  whatever the conversation said before; so is a name of an earlier sentence of the
  follow-up ("O Fusca é antigo? Quanto ele custa?");
- one of a pair: "o primeiro", "a segunda", "o último", "aquele" (the former), "este" (the
  latter) after "Qual a diferença entre café e chá?";
- a person: "esse profissional", "esse cargo", and "ele" in "Ele lembra qual outro
  profissional?" stand for the person the previous question named ("o padeiro"), not for
  the last thing it named ("o forno");
- the previous question's predicate: in "Como ele consegue isso?" after "Quanto o atleta
  conseguiu baixar o seu tempo?", "ele" is the athlete, so "isso" is "baixar o seu tempo";
  "fez isso" is the previous verb phrase ("Quem inventou o telefone?" "Quando ele fez isso?");
- the item a pick chose: "esse problema" after "Qual dos problemas…?" is the one answered.
"""

from __future__ import annotations

import re

from assistant.abstain import is_abstention
from assistant.phrases import ARTICLES, WORD, Phrase, gender_number, is_name, noun_phrases
from fonte.textpt import fold, stopwords

PERSONAL: dict[str, tuple[str, str | None, bool]] = {  # pronoun → (preposition, gender, plural)
    "ele": ("", "m", False), "ela": ("", "f", False), "eles": ("", "m", True), "elas": ("", "f", True),
    "dele": ("de", "m", False), "dela": ("de", "f", False), "deles": ("de", "m", True),
    "delas": ("de", "f", True), "nele": ("em", "m", False), "nela": ("em", "f", False),
    "neles": ("em", "m", True), "nelas": ("em", "f", True),
}  # fmt: skip
SUBJECT_PERSONAL = tuple(w for w, (preposition, _, _) in PERSONAL.items() if not preposition)
"""The personal pronouns a verb's subject may be: "ele", "ela", "eles", "elas"."""
OBLIQUE_PERSONAL = tuple(w for w, (preposition, _, _) in PERSONAL.items() if preposition)
"""The ones joined to "de"/"em": "dele", "nela"…"""
ABOUT = (
    r"(?:no\s+caso|a\s+respeito|acerca|falando|quanto|relativamente|em\s+rela[çc][ãa]o|"
    r"com\s+rela[çc][ãa]o|no\s+que\s+(?:toca|diz\s+respeito|se\s+refere))"
)
"""The words that say "about" before a topic ("no caso do X", "acerca do X", "quanto ao X"):
one list for a topic that leads a question (`TOPIC_LEAD`) and for an ellipsis
(`followup_ellipsis.ELLIPSIS`)."""
TOPIC_LEAD = re.compile(
    r"^\W*(?:(?:e|mas|agora|ok)\s*,?\s+)?"
    r"(?P<lead>(?:voltando|retomando|passando)\s+(?:para\s+|pra\s+|pro\s+|a\s+)?"
    rf"|(?:e\s+)?{ABOUT}\s+|sobre\s+)?"
    r"(?P<topic>[^,:;?!.]+?)\s*[,:]\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
"""A follow-up that names its topic before its question: "Voltando ao X:", "E no caso do X,",
"Quanto ao X,", "Sobre o X,", "E o X, …" (without a lead, only an article or a name: "No Brasil,
ele…" sets a place, not a topic)."""
TOPIC_MAX_WORDS = 6
"""A topic named before the question is a short phrase ("o engenheiro de dados"); longer, it is a clause."""
LEAD_PREPOSITION = re.compile(r"^(?:de|em|para|pra|com)\s+(?=\S)", re.IGNORECASE)
"""A preposition before a bare name ("no caso de DataOps"); fused ones keep their article ("ao")."""
AFTER_PREPOSITION = re.compile(
    r"\b(?:(?:n|d|pel)[oa]s?|aos?|às?|(?:em|de|para|pra|com|por|sobre|entre|sem)(?:\s+[oa]s?)?)\s+\S{0,3}$",
    re.IGNORECASE,
)
"""A phrase that a preposition governs, checked on the text up to its first letters."""
CLAUSE_BREAK = re.compile(
    r"[,:;?!.]|\se\s+(?:(?:em|de|por|para|com|a)\s+)?(?:que|qual|quais|quando|como|onde|quanto|quantos|quantas|quem)\b",
    re.IGNORECASE,
)
"""Where a new clause begins: punctuation, or "e" before an interrogative ("Quem fez o bolo e
quando ele foi servido?")."""
PAIR_ORDINAL = re.compile(
    r"\b(?P<prep>d|n)?(?P<art>o|a)\s+(?P<which>primeir|segund|últim)[oa]\b"
    r"|\b(?P<dprep>d|n)?(?P<dem>aquel[ea]|est[ea])\b",
    re.IGNORECASE,
)
COMPARED = re.compile(
    r"\b(?:(?:diferen[çc]\w*|distingu\w*|compar\w*|separ\w*|confront\w*)\s+(?:entre\s+)?|entre\s+)"
    r"(?P<span>[^,?;.!]+)",
    re.IGNORECASE,
)
"""Two things set side by side: "a diferença entre X e Y", "diferencia X de Y", "compara X com Y"."""
PAIR_JOINS = (" e ", " ou ", " com ", " de ", " do ", " da ")
"""What joins the two sides, the surest first: "de" also joins a noun to its modifier."""
STANDS_ALONE = re.compile(
    r"\s*(?:[?,.!;:)]|$|(?:é|são|foi|tem|têm|teve|faz|fazem|serve|pode|usa|fica|vem|surgiu|"
    r"também|não|se|já|ainda|costuma|consegue|precisa)\b)",
    re.IGNORECASE,
)
"""What follows an ordinal or demonstrative with no noun of its own ("que papel o primeiro tem?")."""
ROLE_NOUNS = frozenset(
    fold(w)
    for w in ["profissional", "cargo", "função", "perfil", "especialista", "pessoa", "ocupação", "posição"]
)
"""Nouns that name a person by what they do: "esse cargo" is the person the conversation named."""
AGENT = re.compile(r"(?:eir[oa]|ista|[dts]or(?:a|es|as)?|olog[oa]|ari[oa])s?$")
"""On folded words: endings of nouns naming people by their trade: padeiro, dentista, jogador,
professores, biólogo, bibliotecário."""
TRADES = frozenset(
    fold(w)
    for w in ["médico", "médica", "técnico", "técnica", "gerente", "chefe", "líder", "estudante", "agente"]
)
"""Trades without those endings."""
NOT_PEOPLE = frozenset(
    fold(w)
    for w in [
        "primeiro", "terceiro", "dinheiro", "inteiro", "brasileiro", "revista", "entrevista", "conquista",
        "banheiro", "chuveiro", "travesseiro", "ponteiro", "canteiro", "cruzeiro", "roteiro", "pandeiro",
        "computador", "servidor", "processador", "indicador", "setor", "fator", "vetor", "motor",
        "monitor", "navegador", "roteador", "ventilador", "aquecedor", "liquidificador", "elevador",
        "calendário", "horário", "cenário", "salário", "formulário", "dicionário", "armário",
        "comentário", "questionário", "vocabulário", "aniversário", "diário", "prólogo", "monólogo",
    ]
)  # fmt: skip
"""Words with a trade's ending that name things."""
AGENT_MIN_CHARS = 6
"""Shorter words with those endings are things ("setor", "lista")."""


def is_trade(word: str) -> bool:
    """Whether the folded `word` names a person by role or trade ("padeiro", "bibliotecária",
    "usuários", "médico"): the one table of people-by-role."""
    if word in TRADES:
        return True
    return len(word) >= AGENT_MIN_CHARS and AGENT.search(word) is not None and word not in NOT_PEOPLE


PERSON_PHRASE = re.compile(
    r"(?P<core>[\wÀ-ÿ]+(?:\s+(?:de|do|da|dos|das)\s+[\wÀ-ÿ]+(?:\s+(?:[A-ZÀ-Ý][\wÀ-ÿ]*|[\wÀ-ÿ]+ing))*)?)"
)
"""A trade and its modifier: "padeiro de hotel", "Engenheiro de Machine Learning"."""
ARTICLE_BEFORE = re.compile(r"\b(?:[dn]?(o|a|os|as)|um|uma)\s+$", re.IGNORECASE)
PRO_VERB = re.compile(r"\b(?:faz|fez|fazem|fizeram|fazia|faziam|fazer)\s+(?:isso|isto)\b", re.IGNORECASE)
""""fez isso" stands for the previous question's verb and object ("inventou o telefone")."""
QUESTION_LEAD = re.compile(r"^\W*(?:e\s+)?(?:quem|quanto|como|quando|onde|por\s*que)\s+", re.IGNORECASE)
OPENERS = frozenset(
    {"como", "quando", "onde", "porque", "que", "qual", "e", "mas", "se", "ou"}
    | {"de", "em", "com", "por", "para", "pra", "a", "sobre", "entre", "sem", "sob", "até", "após"}
)
"""Words after which "isso" is a clause's subject or a preposition's object, not a verb's."""
ITEM_END = re.compile(r"\s+(?:que|onde|quando)\s|[.;,(\[]")
"""Where the item an answer picked ends: at its relative clause or its first punctuation."""
ITEM_MAX_WORDS = 10
"""An item of a list is a short phrase ("as contas em atraso"); longer, it is a whole sentence."""
INFINITIVE_CLAUSE = re.compile(
    r"\b[\wÀ-ÿ]+(?:ou|iu|eu|a|e|am|em)\s+(?:a\s+)?(?P<clause>[a-zà-ÿ]{3,}(?:ar|er|ir)\b[^?,;]*)"
)
"""A verb and the infinitive it governs: "conseguiu baixar o seu tempo", "ajuda a reduzir os custos"."""


def topic_lead(question: str) -> tuple[Phrase, str] | None:
    """The topic a follow-up names before its question and the question after it: "Voltando ao
    Docker: por que ele é tão usado?" → ("o Docker", "por que ele é tão usado?")."""
    match = TOPIC_LEAD.match(question)
    topic = _topic_phrase(match["topic"], led=bool(match["lead"])) if match else None
    return (topic, match["rest"]) if match and topic else None


def _topic_phrase(text: str, *, led: bool) -> Phrase | None:
    """The phrase a lead names, when the lead is just that phrase ("ao DevOps", "do engenheiro
    de dados", "de DataOps", "o pão"), not a clause ("O pão cresce rápido")."""
    text = LEAD_PREPOSITION.sub("", text.strip()) if led else text.strip()
    first = WORD.match(text)
    if first is None or len(WORD.findall(text)) > TOPIC_MAX_WORDS:
        return None
    if not led and first.group().lower() not in ARTICLES and not is_name(first.group(), True):
        return None  # "No Brasil, ele…", "Na prática, ele…": a setting, not a topic
    whole = _whole(text)
    if whole is None or not (whole.article or whole.head_named):
        return None  # "Em média, ele…": no article and no name, no topic
    return whole


def own_name(question: str, position: int, gender: str | None, plural: bool) -> Phrase | None:
    """A name of an earlier clause of the follow-up that a pronoun at `position` agrees with:
    "O Fusca é antigo? Quanto ele custa?" → "o Fusca"."""
    for phrase in reversed(noun_phrases(question[:position])):
        if not phrase.head_named or not CLAUSE_BREAK.search(question[phrase.end : position]):
            continue
        if AFTER_PREPOSITION.search(question[: phrase.start + 3]):
            continue  # "No Brasil, ele…", "Para o Pedro, ele…": a setting, not what "ele" is
        if question[position : position + 1].lower() in "dn" and not owned(question, position):
            return None
        if phrase.plural == plural and (gender is None or phrase.gender in (None, gender)):
            return phrase
    return None


def owned(text: str, position: int) -> bool:
    """Whether the pronoun at `position` ("dele", "nela") follows a noun, as its owner ("o preço
    dele"), rather than a verb ("difere dele"), whose subject it cannot be."""
    return any(p.end == position - 1 and not p.head_named for p in noun_phrases(text[: position - 1] + " "))


def pair_member(question: str, previous: str) -> str | None:
    """ "E no pão, que papel o primeiro tem?" after "Como o livro diferencia fermento de sal?" →
    "…que papel o fermento tem?": an ordinal or "aquele"/"este" with no noun of its own, after a
    previous question naming exactly two things."""
    pair = compared_pair(previous)
    if pair is None:
        return None
    changed = False

    def member(match: re.Match[str]) -> str:
        nonlocal changed
        if not STANDS_ALONE.match(question[match.end() :]):
            return match.group()
        which = fold(match["which"] or match["dem"])
        first = which.startswith(("primeir", "aquel"))
        phrase = pair[0] if first else pair[1]
        changed = True
        preposition = {"d": "de", "n": "em"}.get(fold(match["prep"] or match["dprep"] or ""), "")
        return phrase.after(preposition) if preposition else phrase.with_article()

    text = PAIR_ORDINAL.sub(member, question)
    return text if changed else None


def compared_pair(previous: str) -> tuple[Phrase, Phrase] | None:
    """The two things a question compares ("diferencia fermento de sal", "entre o café e o chá"),
    else its two names."""
    compared = COMPARED.search(previous)
    span = compared["span"].strip() if compared else ""
    for join in PAIR_JOINS:
        at = span.find(join)
        while at > 0:
            sides = (_whole(span[:at]), _whole(span[at + len(join) :]))
            if sides[0] is not None and sides[1] is not None:
                return sides[0], sides[1]
            at = span.find(join, at + 1)
    named = [p for p in noun_phrases(previous) if p.head_named]
    return (named[0], named[1]) if len(named) == 2 else None


def _whole(text: str) -> Phrase | None:
    """The one noun phrase `text` is, if it is one."""
    phrases = noun_phrases(text)
    return phrases[0] if phrases and phrases[0].start == 0 and phrases[0].end == len(text) else None


def person(previous: str, *, besides: str = "") -> Phrase | None:
    """The person the previous question (or answer) named, by a noun of trade ("o padeiro", "um
    engenheiro de redes"), also outside the phrases it is about ("…de quem trabalha como padeiro");
    not one `besides` names already."""
    for word_match in WORD.finditer(previous):
        match = PERSON_PHRASE.match(previous, word_match.start())
        word = fold(word_match.group())
        if match is None or not is_trade(word) or word in stopwords():
            continue
        if besides and fold(match["core"]) in fold(besides):
            continue
        written = ARTICLE_BEFORE.search(previous[: word_match.start()])
        article = (written[1] or "").lower() if written else ""
        gender, plural = ARTICLES.get(article) or gender_number(word)
        named = any(is_name(w, False) for w in WORD.findall(match["core"]))
        return Phrase(match["core"], article, 0, 0, named, gender, plural)
    return None


def names_role(question: str) -> bool:
    """Whether the follow-up speaks of a person by role ("outro profissional", "esse cargo")."""
    return any(fold(w) in ROLE_NOUNS for w in WORD.findall(question))


def done_by_another(question: str, position: int, found: Phrase, used: list[str]) -> bool:
    """Whether "isso" at `position` is the object of a verb whose subject is not `found`: "E o
    Gol também faz isso?" after "O Fusca gasta muita gasolina?" asks whether the Gol does what
    the Fusca did, not whether it does the Fusca."""
    before = WORD.findall(question[:position])
    if not before or fold(before[-1]) in OPENERS:
        return False  # "Como isso se compara…": "isso" is the subject
    subjects = [fold(p.core) for p in noun_phrases(question) if p.head_named] + [fold(u) for u in used]
    return any(s != fold(found.core) for s in subjects)


def predicate(previous: str) -> str | None:
    """The previous question's infinitive clause: "baixar o seu tempo" in "Quanto o atleta
    conseguiu baixar o seu tempo?"."""
    match = INFINITIVE_CLAUSE.search(previous)
    return match["clause"].strip() if match else None


def picked_item(answer: str) -> str | None:
    """The item the previous answer picked: "as contas em atraso" in "Despesas do mês: As contas
    em atraso, que vencem hoje. [1]"."""
    if not answer.strip() or is_abstention(answer):
        return None
    first = re.split(r"\[\d+\]", answer, maxsplit=1)[0].rsplit(":", 1)[-1].strip()
    item = ITEM_END.split(first, maxsplit=1)[0].strip()
    words = WORD.findall(item)
    if not words or len(words) > ITEM_MAX_WORDS:
        return None
    return item if is_name(words[0], True) else item[:1].lower() + item[1:]


def verb_phrase(previous: str) -> str | None:
    """The previous question's verb and what follows it: "inventou o telefone" in "Quem inventou o
    telefone?", "conseguiu reduzir o trânsito" in "Quanto a prefeitura conseguiu reduzir o trânsito?"."""
    lead = QUESTION_LEAD.match(previous)
    rest = previous[lead.end() :] if lead else previous
    if not (lead and fold(lead.group()).strip().endswith("quem")):
        phrases = noun_phrases(rest)
        if not phrases or phrases[0].start != 0:
            return None
        rest = rest[phrases[0].end :]
    clause = rest.strip().rstrip("?!. ")
    return clause if WORD.match(clause) and len(WORD.findall(clause)) > 1 else None


def redo(question: str, previous: str) -> str | None:
    """ "Em que ano ele fez isso?" after "Quem inventou o telefone?" → "Em que ano ele inventou o
    telefone?"; None without "fazer isso" or a verb phrase to put there."""
    done = verb_phrase(previous) if PRO_VERB.search(question) else None
    return PRO_VERB.sub(lambda _: done, question) if done else None

"""Portuguese text analysis shared by the lexical index and the answer verifier.

Tokens are lower-cased, stemmed with Snowball's Portuguese stemmer, accent-folded and
mapped to one spelling so that European and Brazilian Portuguese meet: the silent
consonants of pre-1990 pt-PT spelling ("actualizar", "acção", "óptimo") are dropped and
common vocabulary pairs ("ficheiro"/"arquivo", "utilizador"/"usuário") share a stem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
import stop_words

WORD_RE = re.compile(r"\w+", re.UNICODE)
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")

# pt-PT word -> pt-BR word. Both sides are stemmed when the table is built.
PT_PT_TO_PT_BR = {
    "ficheiro": "arquivo",
    "utilizador": "usuário",
    "utilizar": "usar",
    "utilização": "uso",
    "ecrã": "tela",
    "rato": "mouse",
    "sítio": "site",
    "palavra-passe": "senha",
    "registo": "registro",
    "equipa": "equipe",
    "facto": "fato",
    "partilhar": "compartilhar",
    "partilha": "compartilhamento",
    "descarregar": "baixar",
    "transferência": "download",
    "guardar": "salvar",
    "premir": "pressionar",
    "telemóvel": "celular",
    "ligação": "conexão",
    "aplicação": "aplicativo",
    "directório": "diretório",
    "pasta": "diretório",
    "gestor": "gerenciador",
    "gerir": "gerenciar",
    "gestão": "gerenciamento",
    "definições": "configurações",
    "secção": "seção",
    "controlo": "controle",
    "rede": "rede",
    "núcleo": "kernel",
    "arranque": "inicialização",
    "arrancar": "inicializar",
    "reiniciar": "reinicializar",
    "ecran": "tela",
    "ficheiros": "arquivos",
    "utilizadores": "usuários",
    "cópia de segurança": "backup",
    "actualizar": "atualizar",
    "contacto": "contato",
    "projecto": "projeto",
    "objectivo": "objetivo",
}

# Multi-word or hyphenated entries cannot be matched word by word: replaced before tokenising.
_PHRASES = {pt: br for pt, br in PT_PT_TO_PT_BR.items() if " " in pt or "-" in pt}

_SILENT_CONSONANTS = [
    (re.compile(r"c(?=[ct])"), ""),  # acção -> ação, actual -> atual, direcção -> direção
    (re.compile(r"p(?=t)"), ""),  # óptimo -> ótimo, adoptar -> adotar
]


def fold(text: str) -> str:
    """Lower-case and strip accents ("Ação" -> "acao")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("portuguese")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = stop_words.get_stop_words("portuguese")
    extra = ["é", "ser", "são", "sobre", "qual", "quais", "como", "porque", "que", "o", "a"]
    return frozenset(fold(w) for w in [*words, *extra])


def _spelling(stem: str) -> str:
    for pattern, replacement in _SILENT_CONSONANTS:
        stem = pattern.sub(replacement, stem)
    return stem


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One canonical stem for a word, whatever its spelling variety."""
    canonical = _spelling(fold(_stemmer().stemWord(word.lower())))
    return _variant_stems().get(canonical, canonical)


@lru_cache(maxsize=1)
def _variant_stems() -> dict[str, str]:
    table: dict[str, str] = {}
    for pt_pt, pt_br in PT_PT_TO_PT_BR.items():
        if pt_pt in _PHRASES:
            continue
        source = _spelling(fold(_stemmer().stemWord(pt_pt)))
        target = _spelling(fold(_stemmer().stemWord(pt_br)))
        if source != target:
            table[source] = target
    return table


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def analyze(text: str) -> list[str]:
    """Content-word stems of `text`, in order, stopwords dropped."""
    for phrase, replacement in _PHRASES.items():
        text = text.replace(phrase, replacement)
    stops = stopwords()
    return [stem(w) for w in words(text) if w.isdigit() or fold(w) not in stops]


def content_stems(text: str) -> set[str]:
    """Distinct content stems, ignoring one-letter tokens."""
    return {s for s in analyze(text) if len(s) > 1}


def numbers(text: str) -> set[str]:
    return set(NUMBER_RE.findall(text))

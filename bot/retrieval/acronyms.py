"""Acronyms a knowledge base uses without listing them in synonyms.yaml, read from its own text.

- Defined: "Data Access Environment (DAE)". The words before a bracketed acronym whose initials
  spell it are its long form; the two then match each other, like an acronym in synonyms.yaml.
- Implied: the guidance writes "Safe Data Access Professionals Group" and never "SDAP", but people
  ask "what's the SDAP group". The initials of a run of three or more capitalised words stand for
  the run, and a question word the knowledge base never uses is read as the run it spells, the
  way a typo is read as the word it misspells.

Nothing here is about one knowledge base: the table is built from whatever text it is given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

# Small words that a long form may contain but that give it no letter ("Advising on the Release
# of Data" is ARD); the first few may also join the capitalised words of a name.
_SMALL = frozenset("a an and at by for from in into of on or the to with &".split())
_JOINERS = "of|on|the|and|for|in|to|&"
_CAPITALISED = r"[A-Z][a-z]+(?:[-'][A-Za-z]+)*"
# Runs of capitalised words joined only by spaces and small words: punctuation ends a name.
_RUN = re.compile(rf"{_CAPITALISED}(?:\s+(?:(?:{_JOINERS})\s+)*{_CAPITALISED})+")
_BRACKETED = re.compile(r"\(([A-Za-z]{2,8})\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|&")
# Capitalised, these start a sentence or a clause ("If The Data ..."), never a name.
_NOT_NAME = frozenset(
    "the this that these those there then it it's its if is are was were when where what which who why "
    "how yes no not once our your my we you they he she a an and or but for from in on of to all "
    "any each every some".split()
)
MIN_LETTERS, MAX_LETTERS = 3, 8


def defined(texts: Iterable[str]) -> dict[str, str]:
    """{acronym: long form}, lower case, for each "Long Form (LF)" in the texts."""
    found: dict[str, str] = {}
    for text in texts:
        if "(" not in text:
            continue
        for match in _BRACKETED.finditer(text):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2:  # "(see)", "(Word)": not an acronym
                continue
            before = _WORD.findall(text[max(0, match.start() - 160) : match.start()])
            long_form = _long_form(acronym.lower(), before)
            if long_form:
                found.setdefault(acronym.lower(), long_form)
    return found


def _long_form(letters: str, before: list[str]) -> str:
    """The shortest tail of `before` whose content words' initials are `letters`, or ""."""
    initials = []
    for start in range(len(before) - 1, -1, -1):
        word = before[start]
        if word.lower() in _SMALL:
            continue
        initials.append(word[0].lower())
        if len(initials) == len(letters):
            spelt = "".join(reversed(initials))
            return " ".join(before[start:]).lower() if spelt == letters else ""
    return ""


def implied(texts: Iterable[str], known: set[str] | dict[str, int]) -> dict[str, str]:
    """{initials: run}, lower case, for the runs of capitalised words in the texts whose initials
    are not a word of the knowledge base (`known`). Initials that two different runs share are
    left out: a guess between two names is worse than no guess."""
    runs: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for match in _RUN.finditer(text):
            run = match.group(0).split()
            names = _names(run)
            if names and names[0][0] == run[0] and _starts_sentence(text, match.start()):
                # "Ask the Regional Data Office": a sentence's first word is capitalised anyway,
                # so the name may start at the next one.
                names += _names(names[0][1:])
            for name in names:
                capitals = [i for i, w in enumerate(name) if w.lower() not in _SMALL]
                # Every leading part of the name too: people drop the tail ("SDAP" for the group).
                for end in range(MIN_LETTERS, min(len(capitals), MAX_LETTERS) + 1):
                    initials = "".join(name[i][0] for i in capitals[:end]).lower()
                    runs[initials].add(" ".join(name[: capitals[end - 1] + 1]).lower())
    return {
        initials: next(iter(names))
        for initials, names in runs.items()
        if len(names) == 1 and initials not in known
    }


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\n\"'(-"


def _names(words: list[str]) -> list[list[str]]:
    """A run split where a capitalised function word stands; parts of fewer than three
    capitalised words are dropped, and no part starts or ends with a small word."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word[0].isupper() and word.lower() in _NOT_NAME:
            parts.append([])
        elif parts[-1] or word.lower() not in _SMALL:
            parts[-1].append(word)
    for part in parts:
        while part and part[-1].lower() in _SMALL:
            part.pop()
    return [part for part in parts if sum(w.lower() not in _SMALL for w in part) >= MIN_LETTERS]

"""Quoting the guidance so that what is said cannot mislead: whole sentences, each standing on
its own, and a reply's "Yes." only to the question it was written for.

All of it is general English punctuation and grammar; nothing knows about one knowledge base.
"""

from __future__ import annotations

import re

# Where a sentence ends: a full stop, ! or ? (with any closing quote or bracket), space, and a
# capital, digit, £ or opening quote/bracket.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(]?[A-Z0-9£])")
# A full stop that ends an abbreviation, not a sentence, when a sentence goes on after it:
# "e.g. NHS Digital", "approx. 30 days", "Dr. Smith", an initial ("J. Smith"). "etc." is left out:
# it ends sentences as often as not ("purpose, funding, etc. Once all reviews ...").
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|approx|cf|vs|incl|esp|fig|figs|dept|est|dr|mr|mrs|ms|prof|st|jr|sr)\.$", re.I)
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.$")
# "No. 5", "p. 12": a numbering abbreviation when a number follows.
_NUMBERING = re.compile(r"\b(?:no|nos|p|pp|para|vol|ch|sec)\.$", re.I)

# A sentence that opens with one of these leans on the one before it ("This is aimed at ...",
# "It is your responsibility ...", "However, ..."): quoted alone it does not say what it is about.
_LEANS_BACK = re.compile(
    r"^(?:this|these|that|those|it|its|they|their|them|such|however|also|therefore|thus|hence|"
    r"otherwise|additionally|furthermore|moreover|instead|then|in addition|as a result|"
    r"to do this|in this case|in that case|if so|if not)\b",
    re.I,
)

# A reply to a closed question ("Does CSDS cover adults?"): the answer's first sentence is one
# word ("Yes.", "No.", "Both."), or two that start with a word of negation, condition or degree
# ("Not necessarily.", "If necessary.", "It depends.", "Usually not."), or "Yes,"/"No," leading
# into the rest. Such an opening states no fact of its own: it is only true of the question it was
# written for. A two-word instruction ("Use SEFT.") is not one of them and stays.
_REPLY = re.compile(
    r"^(?:[A-Za-z]+|(?:not|if|only|it|yes|no|usually|sometimes|mostly|partly|probably|possibly|generally|"
    r"almost|nearly|always|never|rarely)\s+[A-Za-z]+)\.\s+(?=\S)|^(?:yes|no),\s+(?=\S)",
    re.I,
)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, split where one ends and the next starts, not after an
    abbreviation or an initial."""
    parts, start = [], 0
    for match in _BOUNDARY.finditer(text):
        head = text[start : match.start() + len(match.group(0).rstrip())].rstrip()
        after = text[match.end() :]
        if _ABBREVIATION.search(head) or _INITIAL.search(head):
            continue  # "e.g. NHS Digital", "J. Smith": the sentence goes on
        if _NUMBERING.search(head) and after[:1].isdigit():
            continue  # "No. 5"
        parts.append(head.strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def leans_back(sentence: str) -> bool:
    """Does the sentence depend on the one before it to say what it is about?"""
    return bool(_LEANS_BACK.match(sentence.lstrip("\"'“‘(")))


def is_fragment(sentence: str) -> bool:
    """Too short to state anything by itself ("Approval:", "Learn more.")."""
    return len(sentence.split()) < 3


def reply_opening(answer: str) -> str:
    """The opening of an answer written as a reply to a closed question ("Yes. ", "No, "), or ""."""
    match = _REPLY.match(answer)
    if not match or not any(c.isalpha() for c in answer[match.end() :]):
        return ""
    return match.group(0)


def lead_with_fact(answer: str) -> str:
    """The answer without its reply opening, its next word capitalised: "Yes. Free training ..."
    becomes "Free training ...", true whatever the question was."""
    opening = reply_opening(answer)
    if not opening:
        return answer
    rest = answer[len(opening) :]
    return rest[:1].upper() + rest[1:]


def clip(text: str, limit: int) -> str:
    """`text` within `limit` characters: its whole sentences that fit, or, when even the first
    does not, the first cut at a word with "…" to show that it goes on."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in sentences(text):
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    cut = text[: limit - 1].rsplit(None, 1)[0].rstrip(",;:–-")
    return cut + "…"

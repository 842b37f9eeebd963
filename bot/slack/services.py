"""What the Slack listeners use from the rest of the bot, in one place: the engine, the
interaction log, the conversation history store and the FAQ store. Tests build one of these around
a stub engine or a temporary knowledge folder; the listeners never import the engine or the stores
themselves. Answering, logging and ratings go through the conversation layer (bot.conversation)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from bot.conversation import Answerer, Conversations, HistoryStore, MemoryHistory, OnAnswer, QuestionLog
from bot.model import FaqEntry, Settings
from bot.slack.memory import SeenEvents

log = logging.getLogger(__name__)

CHANNEL = "slack"  # the interaction log's name for this front end


@dataclass
class Services:
    """The engine the bot answers with, where its knowledge lives, who may add to it, where
    conversation history is kept, and who is told of every answer (`on_answer`: metrics)."""

    engine: Answerer
    knowledge_dir: Path
    log: QuestionLog | None = None
    admins: frozenset[str] = field(default_factory=frozenset)
    # Called once per handled question with (channel, answer, seconds): metrics and the log line.
    on_answer: OnAnswer | None = None
    # In this process's memory by default; in the database when replicas share it (build_services).
    history: HistoryStore = field(default_factory=MemoryHistory)
    seen_events: SeenEvents = field(default_factory=SeenEvents)
    announce_change: Callable[[], None] | None = None  # tells other replicas the knowledge folder changed

    def conversations(self) -> Conversations:
        """The conversation layer over the current engine (tests may swap `engine` meanwhile)."""
        return Conversations(self.engine, self.log, self.history, self.on_answer)

    @property
    def settings(self) -> Settings:
        # LiveEngine swaps its Engine on reload; read the settings through it every time.
        knowledge = getattr(self.engine, "knowledge", None)
        return knowledge.settings if knowledge is not None else Settings()

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.admins

    def add_faq(self, question: str, answer: str, alternates: Sequence[str], source: str, force: bool) -> FaqEntry:
        """Through the same validated, locked store as `csds-bot faq add`; then reload at once so
        the new entry answers the next question (raises BotError subclasses with the fix)."""
        from bot.admin.faq_store import add_entry

        entry = add_entry(self.knowledge_dir, question, answer, alternates=alternates, source=source, force=force)
        reload_now = getattr(self.engine, "reload_now", None)
        if reload_now is not None:
            reload_now()
        if self.announce_change is not None:
            self.announce_change()
        return entry


def build_services(knowledge: str | Path | None, admins: frozenset[str], no_log: bool = False) -> Services:
    """The production wiring: a LiveEngine following the knowledge folder, the interaction log,
    and thread history and seen events in the log's database, so replicas sharing it share them
    (with the log off they stay in this process's memory: the history holds what people asked)."""
    from bot.answering.live import LiveEngine
    from bot.store.interactions import InteractionLog
    from bot.store.notify import KnowledgeChanges
    from bot.store.shared import SharedHistory, SharedSeenEvents

    engine = LiveEngine(knowledge)
    log = InteractionLog.from_env(no_log=no_log)
    services = Services(engine, engine.folder, log, admins)
    if log.database is not None:
        services.history = SharedHistory(log.database, services.history)
        services.seen_events = SharedSeenEvents(log.database, services.seen_events)
        changes = KnowledgeChanges(log.database)  # PostgreSQL only: replicas reload at once on a save
        changes.follow(engine.reload_now)
        services.announce_change = changes.announce
    return services

"""What the Slack listeners use from the rest of the bot, in one place: the engine, the
interaction log, the conversation history store and the FAQ store. Tests build one of these around
a stub engine or a temporary knowledge folder; the listeners never import the engine or the stores
themselves. Answering, logging and ratings go through the conversation layer (bot.conversation)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from bot.conversation import Answerer, Conversations, HistoryStore, MemoryHistory, OnAnswer, QuestionLog
from bot.model import FaqEntry, Settings

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
    # In this process's memory by default; a store shared by replicas can take its place.
    history: HistoryStore = field(default_factory=MemoryHistory)

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
        from bot.store.faq_store import add_entry

        entry = add_entry(self.knowledge_dir, question, answer, alternates=alternates, source=source, force=force)
        reload_now = getattr(self.engine, "reload_now", None)
        if reload_now is not None:
            reload_now()
        return entry


def build_services(knowledge: str | Path | None, admins: frozenset[str], no_log: bool = False) -> Services:
    """The production wiring: a LiveEngine following the knowledge folder, the interaction log."""
    from bot.answering.live import LiveEngine
    from bot.store.interactions import InteractionLog

    engine = LiveEngine(knowledge)
    return Services(engine, engine.folder, InteractionLog.from_env(no_log=no_log), admins)

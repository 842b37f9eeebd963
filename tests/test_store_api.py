"""The library interfaces the Slack adapter builds on: names and signatures must not drift."""

from __future__ import annotations

import inspect

from bot.admin import faq_store
from bot.answering.live import LiveEngine
from bot.errors import BotError, NearDuplicate
from bot.store.interactions import InteractionLog


def _params(func) -> list[str]:
    return [p for p in inspect.signature(func).parameters if p != "self"]


def test_faq_store_interface():
    assert _params(faq_store.add_entry) == ["knowledge_dir", "question", "answer", "alternates", "source",
                                            "entry_id", "force"]
    assert _params(faq_store.remove_entry) == ["knowledge_dir", "entry_id"]
    assert _params(faq_store.list_entries) == ["knowledge_dir", "contains"]
    assert _params(faq_store.near_duplicates) == ["knowledge", "question"]
    assert issubclass(NearDuplicate, BotError) and faq_store.NearDuplicate is NearDuplicate
    assert NearDuplicate("m", ("x",)).matches == ("x",)


def test_interaction_log_interface():
    assert _params(InteractionLog.from_env) == ["no_log"]
    assert _params(InteractionLog.record_question) == ["channel", "user_id", "answer"]
    assert _params(InteractionLog.record_feedback) == ["question_id", "question", "user_id", "helpful"]
    assert _params(InteractionLog.unanswered) == ["since"]


def test_live_engine_interface():
    assert _params(LiveEngine.__init__) == ["folder", "poll_seconds"]
    assert inspect.signature(LiveEngine.__init__).parameters["poll_seconds"].default == 1.0
    assert _params(LiveEngine.ask) == ["question", "history", "top"]
    for name in ("citation", "reload_now", "close"):
        assert callable(getattr(LiveEngine, name))

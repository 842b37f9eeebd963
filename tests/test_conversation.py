"""The conversation layer over the real engine and a real interaction log in tmp_path."""

from __future__ import annotations

import pytest

from bot.answering.engine import Engine
from bot.conversation import Conversations, MemoryHistory
from bot.store.interactions import InteractionLog
from tests.conftest import KNOWLEDGE


@pytest.fixture(scope="module")
def engine():
    return Engine.from_folder(KNOWLEDGE)


def test_small_talk_is_not_history_and_follow_ups_read_the_last_question(engine):
    history = MemoryHistory()
    chat = Conversations(engine, history=history).open("console")
    chat.ask("what is a DSFC?")
    chat.ask("thanks")
    answer = chat.ask("do we need one?")
    assert answer.answered and "DSFC" in answer.text  # "one" read as the DSFC asked about before
    assert chat.history == ("what is a DSFC?", "do we need one?")
    assert chat.last.context == "what is a DSFC?"
    other = Conversations(engine, history=history).open("console")
    assert other.id != chat.id and other.history == ()  # a new conversation starts empty


def test_every_answer_is_logged_rated_and_observed(engine, tmp_path):
    log = InteractionLog(tmp_path / "log.db")
    seen = []
    hub = Conversations(engine, log, on_answer=lambda channel, answer, seconds: seen.append((channel, answer.question, seconds >= 0)))
    chat = hub.open("cli", user_id="someone")
    with pytest.raises(LookupError):
        chat.rate(True)
    chat.ask("what is igard")
    assert chat.rate(False) is True
    assert [(q.channel, q.question) for q in log.questions()] == [("cli", "what is igard")]
    assert [(f.question_id, f.helpful) for f in log.feedback()] == [(chat.last.question_id, False)]
    assert seen == [("cli", "what is igard", True)]
    log.close()


def test_with_the_log_off_a_rating_says_so_and_a_failing_observer_costs_nothing(engine):
    def broken(*args):
        raise RuntimeError("metrics down")

    chat = Conversations(engine, InteractionLog(None), on_answer=broken).open("console")
    assert chat.ask("what is igard").answered
    assert chat.rate(True) is False

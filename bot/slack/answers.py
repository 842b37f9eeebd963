"""One question in one conversation -> one Message. Shared by mentions, DMs, /csds and buttons,
so that all of them read follow-ups, log questions and lay out replies the same way."""

from __future__ import annotations

import time
from typing import Hashable

from bot.slack.blocks import AnswerRef, Message, answer_message, help_message
from bot.slack.memory import ThreadHistory
from bot.slack.services import Services


class Conversations:
    """Answers questions with the history of the conversation they belong to."""

    def __init__(self, services: Services, history: ThreadHistory | None = None) -> None:
        self.services = services
        self.history = history or services.history

    def reply(self, question: str, key: Hashable, user_id: str | None, *, shareable: bool = False,
              asked_by: str | None = None, show_question: bool = False) -> Message:
        """The reply to `question` asked in conversation `key`; help when there is no question."""
        if not question:
            return self.help()
        earlier = self.history.get(key)
        started = time.perf_counter()
        answer = self.services.engine.ask(question, history=earlier)
        self.services.answered(answer, time.perf_counter() - started)
        if answer.kind != "smalltalk":  # "thanks!" is not what the next follow-up refers to
            self.history.add(key, question)
        question_id = self.services.record_question(user_id, answer)
        ref = AnswerRef(question, question_id, earlier[-1] if earlier else None)
        return self._render(answer, ref, shareable, asked_by, show_question)

    def replay(self, ref: AnswerRef, asked_by: str | None) -> Message:
        """The same answer again, for sharing: asked with the same earlier question, not logged
        a second time (feedback on it counts for the original question)."""
        history = (ref.context,) if ref.context else ()
        answer = self.services.engine.ask(ref.question, history=history)
        return self._render(answer, ref, False, asked_by, True)

    def help(self) -> Message:
        return help_message(self.services.settings, admin_hint=bool(self.services.admins))

    def _render(self, answer, ref: AnswerRef, shareable: bool, asked_by: str | None, show_question: bool) -> Message:
        services = self.services
        return answer_message(answer, services.engine.citation(answer), services.settings.contact, ref,
                              shareable=shareable, asked_by=asked_by, show_question=show_question)

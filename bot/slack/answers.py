"""One Slack message in a conversation -> one reply Message. Shared by mentions, DMs, /csds and
buttons. Answering, the history rule, logging and ratings are the conversation layer's
(bot.conversation); this module only names Slack's conversations and lays out what comes back."""

from __future__ import annotations

from bot.slack.blocks import AnswerRef, Message, answer_message, help_message
from bot.slack.services import CHANNEL, Services


def thread_key(channel: str, thread_ts: str | None) -> str:
    """A channel thread, or a DM (its top level, or a thread in it): one conversation."""
    return f"{CHANNEL}:{channel}:{thread_ts or 'top'}"


def command_key(channel: str | None, user: str) -> str:
    """/csds has no thread: a user's recent /csds questions in a channel are their conversation."""
    return f"{CHANNEL}-command:{channel or ''}:{user}"


class Replies:
    """Replies to questions asked in Slack conversations."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def reply(self, question: str, key: str, user_id: str | None, *, shareable: bool = False,
              asked_by: str | None = None, show_question: bool = False) -> Message:
        """The reply to `question` asked in conversation `key`; help when there is no question."""
        if not question:
            return self.help()
        conversation = self.services.conversations().open(CHANNEL, key, user_id)
        answer = conversation.ask(question)
        turn = conversation.last
        ref = AnswerRef(question, turn.question_id, turn.context)
        return answer_message(answer, ref, shareable=shareable, asked_by=asked_by, show_question=show_question)

    def replay(self, ref: AnswerRef, asked_by: str | None) -> Message:
        """The same answer again, for sharing: asked with the same earlier question, not logged
        a second time (feedback on it counts for the original question)."""
        answer = self.services.conversations().replay(ref.question, ref.context)
        return answer_message(answer, ref, False, asked_by, True)

    def rate(self, ref: AnswerRef, user_id: str, helpful: bool) -> bool:
        """A 👍 or 👎 on the answer `ref` points to; False when the interaction log is off."""
        return self.services.conversations().rate(ref.question_id, ref.question, user_id, helpful)

    def help(self) -> Message:
        return help_message(self.services.settings, admin_hint=bool(self.services.admins))

"""Buttons under answers: "did you mean" / example questions, and 👍/👎 feedback."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.slack.answers import Replies, command_key, thread_key
from bot.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP, SUGGEST, AnswerRef, notice
from bot.slack.listeners import is_dm, post
from bot.slack.listeners.errors import reported
from bot.slack.services import Services

THANKS_UP = "Thanks for the feedback! Glad it helped."
THANKS_DOWN = "Thanks for the feedback: it has been noted so the answer can be improved."


def _where(body: dict) -> tuple[str, str | None, bool]:
    """(channel, thread to reply in, whether the clicked message was ephemeral)."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    message = body.get("message") or {}
    thread_ts = message.get("thread_ts") or container.get("thread_ts")
    if not thread_ts and not is_dm(channel):
        thread_ts = message.get("ts") or container.get("message_ts")  # keep channel replies in a thread
    return channel, thread_ts, bool(container.get("is_ephemeral"))


def register(app: App, replies: Replies, services: Services) -> None:
    @app.action(re.compile(rf"^{SUGGEST}_\d+$"))
    def on_suggestion(ack, body: dict, action: dict, client, respond, context) -> None:
        ack()
        with reported(body, client, context, services):
            _suggestion(body, action, client, respond)

    def _suggestion(body: dict, action: dict, client, respond) -> None:
        question, user = action.get("value", ""), body["user"]["id"]
        channel, thread_ts, ephemeral = _where(body)
        if ephemeral:  # under a private /csds answer: answer privately too
            message = replies.reply(question, command_key(channel, user), user, shareable=True,
                                          show_question=True)
            respond(response_type="ephemeral", replace_original=False, **message.kwargs())
            return
        message = replies.reply(question, thread_key(channel, thread_ts), user, asked_by=user)
        post(client, channel, thread_ts, message)

    @app.action(re.compile(rf"^({FEEDBACK_UP}|{FEEDBACK_DOWN})$"))
    def on_feedback(ack, body: dict, action: dict, client, respond, context) -> None:
        ack()
        with reported(body, client, context, services):
            _feedback(body, action, client, respond)

    def _feedback(body: dict, action: dict, client, respond) -> None:
        user = body["user"]["id"]
        helpful = action["action_id"] == FEEDBACK_UP
        ref = AnswerRef.parse(action.get("value", ""))
        replies.rate(ref, user, helpful)
        contact = services.settings.contact
        text = THANKS_UP if helpful else THANKS_DOWN + (f" If you still need an answer, contact {contact}." if contact else "")
        thanks = notice(text)
        channel, thread_ts, ephemeral = _where(body)
        if ephemeral:
            respond(response_type="ephemeral", replace_original=False, **thanks.kwargs())
        else:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **thanks.kwargs())

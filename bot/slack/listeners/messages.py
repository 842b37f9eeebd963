"""Mentions in channels (reply in the thread) and direct messages (reply in the DM)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answers import Replies, thread_key
from bot.slack.listeners import is_dm, post
from bot.slack.text import plain_question

# Message subtypes a person writes; every other subtype (edits, deletions, joins, bot posts...)
# is not a question.
USER_SUBTYPES = (None, "file_share", "thread_broadcast")


def from_a_person(event: dict) -> bool:
    """True for a new message a person wrote; False for bots (ours and others), edits and
    deletions, which must never get a reply."""
    return (bool(event.get("user")) and not event.get("bot_id") and not event.get("bot_profile")
            and event.get("subtype") in USER_SUBTYPES and "edited" not in event)


def register(app: App, replies: Replies) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, client) -> None:
        channel = event["channel"]
        if not from_a_person(event) or event.get("channel_type") == "im" or is_dm(channel):
            return  # DMs are answered by on_message; answering both would reply twice
        thread_ts = event.get("thread_ts") or event["ts"]  # start a thread under the mention
        message = replies.reply(plain_question(event.get("text", "")), thread_key(channel, thread_ts), event["user"])
        post(client, channel, thread_ts, message)

    @app.event("message")
    def on_message(event: dict, client) -> None:
        # message.im is the only message event the manifest subscribes to; anything else that
        # arrives (a wider subscription, edits, our own posts) is ignored here, not half-handled.
        channel = event.get("channel", "")
        if event.get("channel_type") != "im" or not from_a_person(event):
            return
        thread_ts = event.get("thread_ts")  # top level of the DM, or the DM thread it came from
        message = replies.reply(plain_question(event.get("text", "")), thread_key(channel, thread_ts), event["user"])
        post(client, channel, thread_ts, message)

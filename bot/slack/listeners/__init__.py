"""Bolt listeners, one module per kind of request. Each `register(app, ...)` adds its listeners;
they parse the Slack payload, call `Conversations` or `Services`, and post what comes back."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.blocks import Message


def post(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> None:
    """chat.postMessage without link previews: answers cite guidance, not unfurl it."""
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False,
                            **message.kwargs())


def is_dm(channel: str | None) -> bool:
    return bool(channel) and channel.startswith("D")

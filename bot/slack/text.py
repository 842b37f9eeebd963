"""Text crossing the Slack boundary: what users typed -> a plain question, and our plain text ->
safe mrkdwn that can never ping a channel, whoever wrote it (an FAQ entry added from Slack too)."""

from __future__ import annotations

import html
import re

# Slack encodes mentions, channels and links as <...>; users never see the angle brackets.
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([^>|]+)(?:\|([^>]*))?>")
# Word joiner (U+2060): invisible, and keeps Slack (and people's eyes) from reading a broadcast.
_WJ = "\u2060"
_BROADCAST = re.compile(r"([@＠])(channel|here|everyone)\b", re.IGNORECASE)


def plain_question(slack_text: str) -> str:
    """A user's message as the words they see: mentions removed, links and channels as their
    labels, Slack's &amp;/&lt;/&gt; decoded, whitespace collapsed."""
    text = _MENTION.sub(" ", slack_text or "")
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}" if m.group(1) else " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(html.unescape(text).split())


def no_pings(text: str) -> str:
    """Neutralise @channel/@here/@everyone written as plain words (they are not escape sequences,
    but some clients and `link_names` turn them into broadcasts)."""
    return _BROADCAST.sub(lambda m: f"{m.group(1)}{_WJ}{m.group(2)}", text)


def mrkdwn(text: str) -> str:
    """Our plain text as safe mrkdwn: &, < and > escaped (so `<!channel>`, `<!here>`,
    `<!subteam^...>` and `<@U...>` show as text instead of notifying) and bare broadcasts broken."""
    escaped = (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return no_pings(escaped)


def plain(text: str) -> str:
    """For `plain_text` fields (buttons, modal titles), which Slack never parses for mentions;
    broadcast words are still broken so that a copied label cannot ping either."""
    return no_pings(text or "")


def clip(text: str, limit: int, escaped: bool = False) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, marked with an ellipsis.
    `escaped`: the text is mrkdwn, so never cut inside an escape like `&amp;`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    amp = cut.rfind("&")
    if escaped and amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def chunks(text: str, limit: int) -> list[str]:
    """Split long text into pieces of at most `limit` characters, at paragraph, line or word
    breaks where possible (a section's text is limited to 3,000 characters)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        amp = window.rfind("&", 0, cut)
        if amp != -1 and ";" not in window[amp:cut]:
            cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces

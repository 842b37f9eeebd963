"""Plain-text rendering of an Answer, shared by `ask` and `chat` (Slack renders Block Kit)."""

from __future__ import annotations

from bot.model import Answer


def render(answer: Answer, citation: str, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour and text else text

    lines = [answer.text]
    if citation:
        lines.append(paint(citation, "2"))
    return "\n".join(lines)

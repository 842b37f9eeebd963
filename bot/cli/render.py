"""Plain-text rendering of an Answer, shared by `ask` and `chat` (Slack renders Block Kit)."""

from __future__ import annotations

from bot.answering.engine import did_you_mean
from bot.model import Answer


def render(answer: Answer, citation: str, colour: bool = False, numbered: bool = False) -> str:
    """The answer and its citation. With `numbered`, a decline lists its close questions as
    1, 2, 3, so that the console chat can take a number for the question."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour and text else text

    text, offered = answer.text, []
    inline = did_you_mean(answer.suggestions) if answer.kind == "fallback" and answer.suggestions else ""
    if numbered and inline and inline in text:
        text = " ".join(text.replace(inline, " ").split())
        offered = ["Did you mean:", *(f"  {n}. {s}" for n, s in enumerate(answer.suggestions, 1)),
                   paint("Type a number to ask it.", "2")]
    lines = [text, *offered]
    if citation:
        lines.append(paint(citation, "2"))
    return "\n".join(lines)

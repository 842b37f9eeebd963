"""Plain-text layout of an Answer for `ask` and `chat` (Slack lays out Block Kit, `--json` prints
`Answer.to_json`). Built from the answer's parts (`Answer.decline`, `Answer.citation`), never by
taking the engine's sentence apart."""

from __future__ import annotations

import textwrap

from bot.model import Answer

# What a terminal that cannot show typographic characters (PYTHONIOENCODING=ascii, a C locale)
# gets instead: the same text in plain ASCII rather than an encoding error.
_ASCII = str.maketrans({"›": ">", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...",
                        "→": "->", "£": "GBP ", "\u00a0": " ", "•": "*"})


def render(answer: Answer, colour: bool = False, numbered: bool = False, width: int | None = None) -> str:
    """The answer and its citation. A decline offers its close questions inline ("Did you mean:
    “a”; “b”?"), or with `numbered` as a list 1, 2, 3 that the console chat takes a number from.
    With `width`, every line is wrapped to that many columns without breaking a word."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour and text else text

    lines: list[tuple[str, str, bool]] = []  # (text, indent of its continuation lines, dimmed)
    decline = answer.decline
    if decline is None:
        lines.append((answer.text, "", False))
    else:
        contact = f"For anything else, contact {decline.contact}." if decline.contact else ""
        if decline.suggestions and numbered:
            lines.append((" ".join(p for p in (decline.message, contact) if p), "", False))
            lines.append(("Did you mean:", "", False))
            lines += [(f"  {n}. {s}", "     ", False) for n, s in enumerate(decline.suggestions, 1)]
            lines.append(("Type a number to ask it.", "", True))
        else:
            offer = "Did you mean: " + "; ".join(f"“{s}”" for s in decline.suggestions) + "?" if decline.suggestions else ""
            lines.append((" ".join(p for p in (decline.message, offer, contact) if p), "", False))
    citation = answer.citation()
    if citation:
        lines.append((citation, "", True))
    out = []
    for text, indent, dim in lines:  # wrapped before painting, so escapes never count as width
        pieces = wrap(text, width, indent) if width else [text]
        out += [paint(p, "2") if dim else p for p in pieces]
    return "\n".join(out)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += textwrap.wrap(paragraph, width=max(20, width), subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False) or [""]
    return out


def fit_for(text: str, encoding: str | None) -> str:
    """`text` as the output stream can show it: unchanged when it can, else typographic characters
    in ASCII (the stream's errors="replace" catches anything left)."""
    try:
        text.encode(encoding or "utf-8")
        return text
    except (UnicodeEncodeError, LookupError):
        return text.translate(_ASCII)


def tolerant_output() -> None:
    """Never end in a UnicodeEncodeError traceback on a terminal that cannot show a character:
    replace it instead (PYTHONIOENCODING=ascii, LANG=C)."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass

"""Greetings, thanks and requests for help: answered without searching the knowledge base."""

from __future__ import annotations

import re

from bot.model import Settings

_GREETING = {"hi", "hello", "hey", "hiya", "morning", "afternoon", "evening", "good morning",
             "good afternoon", "good evening", "yo", "howdy", "greetings", "hi there", "hello there", "hey there"}
_THANKS = {"thanks", "thank you", "thx", "ta", "cheers", "many thanks", "thanks a lot", "thank you so much",
           "great thanks", "perfect thanks", "brilliant thanks", "thanks very much", "ty", "great", "perfect", "brilliant"}
_HELP = {"help", "what can you do", "what do you do", "who are you", "what are you", "how do i use you",
         "how does this work", "what can i ask", "what can i ask you", "commands", "usage", "?"}
_PUNCT = re.compile(r"[^\w\s?]")


def _clean(text: str) -> str:
    text = _PUNCT.sub(" ", text.lower())
    text = " ".join(text.split())
    return text.rstrip("? ").strip() or ("?" if "?" in text else "")


def kind_of(question: str) -> str | None:
    """'greeting', 'thanks' or 'help' when the whole message is one of those, else None."""
    text = _clean(question)
    for name in ("bot", "csds bot", "csds-bot", "csdsbot"):
        text = text.removesuffix(" " + name)
    if text in _HELP:
        return "help"
    if text in _GREETING:
        return "greeting"
    if text in _THANKS:
        return "thanks"
    return None


def reply(kind: str, settings: Settings) -> str:
    # Worded from the knowledge folder's bot.yaml, so a bot pointed at another folder speaks
    # of that folder's subject, not of CSDS.
    examples = "; ".join(f"“{e}”" for e in settings.examples[:4])
    about = settings.about
    if examples:
        about += f" Try: {examples}."
    if kind == "thanks":
        return f"You're welcome! Ask me anything else about {settings.scope}."
    if kind == "greeting":
        return f"Hello! {about}"
    return about

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
    # Who it is said to ("hi team", "thanks all") leaves a greeting or thanks what it is.
    for whom in ("there", "team", "all", "everyone", "everybody", "folks", "guys", "people"):
        if text.endswith(" " + whom) and text.removesuffix(" " + whom) in _GREETING | _THANKS:
            text = text.removesuffix(" " + whom)
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


# -- the chat around a question ----------------------------------------------------------------
# People wrap a question in chat: a greeting and who it is to ("hi team,"), a preamble ("quick
# question:", "sorry to bother you but"), a sign-off ("thanks in advance"). None of it says what is
# asked, and words like "sorry", "wondering" or "advance", which the knowledge base never uses,
# would read as an off-topic question. Each list is a closed class of English chat, not wordings of
# any one question.
_SEP = r"[\s,.:;!–—-]*"
_ADDRESSEE = r"(?:\s+(?:there|team|all|everyone|everybody|folks|guys|people|bot|csds[- ]?bot))?"
_HELLO = r"(?:hi|hello|hey|hiya|heya|yo|howdy|greetings|morning|afternoon|evening|good (?:morning|afternoon|evening))"
_PREAMBLE = (
    r"(?:(?:a |one )?quick (?:question|one|q)|(?:i have |i've got |got )?a (?:quick )?question(?: for you)?|"
    r"sorry(?: to (?:bother|trouble) you)?(?: but)?|apologies(?: if this is a silly question)?|"
    r"(?:i was |i'm |im |just )?wondering(?: if)?|(?:can|could) (?:you|anyone|someone) (?:please )?(?:tell me|help|let me know)|"
    r"(?:do|does) (?:you|anyone|someone|anybody) know|any(?:one|body) know|any ideas?(?: on)?|random question|"
    r"(?:please|pls|plz) (?:could you )?(?:tell me|help)|(?:thanks|thank you|cheers)(?: for (?:the|your) (?:help|answer|reply))?|help(?: me)? (?:please|pls|plz)|please|pls|plz|ok|okay|um+|erm+)"
)
_SIGN_OFF = (
    r"(?:(?:many |great,? )?thanks(?: (?:in advance|a lot|very much|so much|all|team))?|thank you(?: (?:in advance|very much|so much))?|"
    r"cheers|ta|thx|tia|please|pls|plz|any (?:ideas?|help|pointers)(?: (?:appreciated|welcome))?|"
    r"(?:much |any help )?appreciated|if (?:you|anyone) (?:know|knows|can help)|anyone\??)"
)
# Words that only set the frame a question is asked in ("in the DARS context", "in the context of
# an application", "in DARS terms"): the question is the same without them.
_FRAME = re.compile(
    r"[\s,]*\b(?:in|within|for) (?:the |a |this |that |our )?(?:[\w-]+ ){0,2}(?:context|sense|terms)\b(?! of\b)"
    r"|[\s,]*\bin (?:the )?context of (?:the |a |an )?[\w-]+(?: [\w-]+)?\s*(?=[?!.]*$)",
    re.I,
)
# And who the asker asks for or where they are, closing a clause after what is asked ("how do I
# get the data for my trust", "we need an extract for our research project, ..."): it says who
# will use the answer, not what is asked. Not after a copula or a question word, where it is
# what is asked ("what is in our contract"). The engine keeps the whole message's reading when
# that reads better (bot.answering.engine.Engine.ask).
_ASKER = re.compile(
    r"(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\bwhat)(?<!\bwhats)(?<!\bwhere)(?<!\bwho)"
    r"[\s,]+(?:for|at|in|within|across) (?:my|our) [\w-]+(?: [\w-]+){0,2}(?=\s*(?:[?!.,;:]|$))",
    re.I,
)
_OPENING = re.compile(rf"^(?:{_HELLO}{_ADDRESSEE}|{_PREAMBLE})\b{_SEP}(?=\S)", re.I)
_CLOSING = re.compile(rf"(?:^|(?<=[\s,.:;!?–—-])){_SIGN_OFF}[\s,.:;!?)(:–—-]*$", re.I)


def question_of(message: str) -> str:
    """The question in a chat message, without greetings, preambles and sign-offs around it
    ("hi team, quick question: how long does approval take? thanks" -> "how long does approval
    take?"). The message itself when there is nothing else."""
    text = _ASKER.sub("", _FRAME.sub("", message)).strip() or message.strip()
    while True:
        stripped = _OPENING.sub("", text, count=1)
        stripped = _CLOSING.sub("", stripped, count=1).strip(" ,;:–—-")
        if stripped == text or not stripped:
            break
        text = stripped
    return text or message.strip()

"""Answer -> Block Kit, as pure functions: no Slack calls here, so every message can be checked in
a unit test. All text from outside (the engine, FAQ entries, users) goes through `text.mrkdwn` or
`text.plain`, and every field is kept within Slack's limits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.model import MAX_ANSWER, MAX_FAQ_QUESTION, MAX_SOURCE, Answer, Settings
from bot.slack.config import USER_ID
from bot.slack.text import chunks, clip, mrkdwn, plain

# Slack's limits (https://api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK = 3900  # chat.postMessage truncates `text` at 40,000; notifications show far less
MAX_SUGGESTIONS = 3

# action_id and callback_id values the listeners in bot/slack/listeners/ match on.
SUGGEST = "csds_suggest"  # + "_<n>": a "did you mean" or example button
FEEDBACK_UP = "csds_feedback_up"
FEEDBACK_DOWN = "csds_feedback_down"
SHARE = "csds_share"
ADD_VIEW = "csds_add_faq"
ADD_SHORTCUT = "csds_add_faq_shortcut"
# The names users see for the slash command and the message shortcut are the Slack app's own,
# set in slack/manifest.yaml; the help quotes them as the manifest gives them.
COMMAND = "/csds"
SHORTCUT_NAME = "Add as CSDS FAQ"


@dataclass(frozen=True)
class Message:
    """A message ready for chat.postMessage / respond(): fallback text plus blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


@dataclass(frozen=True)
class AnswerRef:
    """What a button under an answer must carry to act on it later, without server state:
    the question, the logged question's row id (for feedback) and the earlier question it was
    read with (so that a shared answer is the same answer)."""

    question: str
    question_id: int | None = None
    context: str | None = None

    def value(self) -> str:
        data = {"q": self.question[:1200], "id": self.question_id, "h": (self.context or "")[:500] or None}
        return json.dumps(data, ensure_ascii=False)[:MAX_BUTTON_VALUE]

    @classmethod
    def parse(cls, value: str) -> "AnswerRef":
        try:
            data = json.loads(value)
            question_id = data.get("id")
            return cls(str(data.get("q") or ""), question_id if isinstance(question_id, int) else None,
                       data.get("h") or None)
        except (ValueError, AttributeError):  # a button from an older version: the value is the question
            return cls(value)


def answer_message(answer: Answer, ref: AnswerRef, shareable: bool = False, asked_by: str | None = None,
                   show_question: bool = False) -> Message:
    """The reply to one question: the answer, its source, "did you mean" buttons when it did not
    answer, contact details, feedback buttons and, for a private answer, a share button. Laid out
    from the answer's parts (`decline`, `smalltalk`, `citation()`), never from the engine's sentence."""
    head: list[dict] = []
    if asked_by and not USER_ID.match(asked_by):
        asked_by = None  # only ever a real member ID inside <@...>: nothing else may be escaped in
    if asked_by or show_question:
        who = f"<@{asked_by}> asked" if asked_by else "You asked"
        head.append(_context(f"{who}: {mrkdwn(answer.question)}", "csds_question"))
    tail: list[dict] = []
    citation = answer.citation()
    if citation:
        tail.append(_context(mrkdwn(citation), "csds_source"))
    text = answer.text
    if answer.smalltalk is not None:  # "hello", "thanks": offer the example questions, nothing to rate
        text = answer.smalltalk.text
        if answer.smalltalk.examples:
            tail.append(suggestion_buttons(answer.smalltalk.examples[:MAX_SUGGESTIONS], "csds_examples"))
    else:
        if answer.decline is not None:
            text = answer.decline.message  # the close questions become buttons, the contact a line
            if answer.decline.suggestions:
                tail.append(_context("Did you mean:", "csds_suggestions_label"))
                tail.append(suggestion_buttons(answer.decline.suggestions[:MAX_SUGGESTIONS], "csds_suggestions"))
            if answer.decline.contact:
                tail.append(_context(f"For anything else, contact {mrkdwn(answer.decline.contact)}.", "csds_contact"))
        tail.append(_answer_actions(ref, shareable))
    body = _sections(mrkdwn(text), MAX_BLOCKS - len(head) - len(tail))
    fallback = mrkdwn(answer.text) + (f"\n{mrkdwn(citation)}" if citation else "")
    return Message(clip(fallback, MAX_FALLBACK, escaped=True), head + body + tail)


def help_message(settings: Settings, admin_hint: bool = True, command: str = COMMAND) -> Message:
    """What the bot is (bot.yaml's help text, the same the engine gives for "help") and how to
    reach it in Slack, with its example questions as buttons."""
    name = plain(settings.name or "csds-bot")
    example = settings.examples[0] if settings.examples else "your question"
    intro = (f"*{mrkdwn(name)}*: {mrkdwn(settings.about)}\n"
             f"• Mention me in a channel: `@{mrkdwn(name)} {mrkdwn(example)}` (I reply in a thread; "
             "mention me again in the thread for follow-ups)\n"
             "• Send me a direct message\n"
             f"• `{command} QUESTION`: only you see the answer, with a button to share it")
    if admin_hint:
        intro += f"\n• Admins: `{command} add`, or the *{SHORTCUT_NAME}* message shortcut, adds an FAQ entry"
    blocks = [{"type": "section", "block_id": "csds_help", "text": {"type": "mrkdwn", "text": intro}}]
    examples = list(settings.examples[:5])
    if examples:
        blocks.append(_context("Try one of these:", "csds_examples_label"))
        blocks.append(suggestion_buttons(examples, "csds_examples"))
    if settings.contact:
        blocks.append(_context(f"For anything else, contact {mrkdwn(settings.contact)}.", "csds_contact"))
    text = f"{name}: {settings.about} Ask: {command} {example}"
    return Message(mrkdwn(text), blocks)


def notice(text: str) -> Message:
    """A short line (thanks, apology, refusal), safe and within limits."""
    return Message(clip(mrkdwn(text), MAX_FALLBACK, escaped=True))


def suggestion_buttons(questions: list[str] | tuple[str, ...], block_id: str) -> dict:
    """Buttons that each ask one question, in the same thread when clicked."""
    return {"type": "actions", "block_id": block_id, "elements": [
        {"type": "button", "action_id": f"{SUGGEST}_{n}", "text": _plain_text(q, MAX_BUTTON_TEXT),
         "value": q[:MAX_BUTTON_VALUE]}
        for n, q in enumerate(questions)
    ]}


def faq_modal(question: str = "", metadata: dict | None = None) -> dict:
    """The "Add an FAQ entry" modal; `metadata` (e.g. the response_url to confirm to) rides along."""
    def field_(block_id: str, label: str, limit: int, multiline: bool = False, optional: bool = False,
               initial: str = "", hint: str = "") -> dict:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": multiline,
                                   "max_length": limit}
        if initial:
            element["initial_value"] = initial[:limit]
        block = {"type": "input", "block_id": block_id, "optional": optional,
                 "label": _plain_text(label, 2000), "element": element}
        if hint:
            block["hint"] = _plain_text(hint, 2000)
        return block

    blocks = [
        field_("question", "Question", MAX_FAQ_QUESTION, initial=" ".join(question.split())),
        field_("alternates", "Other ways people ask it", 3000, multiline=True, optional=True,
               hint="One wording per line. They help the bot recognise the question."),
        field_("answer", "Answer", MAX_ANSWER, multiline=True, hint="Plain text, from the official guidance."),
        field_("source", "Source", MAX_SOURCE, optional=True,
               hint="The guidance section it rests on, e.g. Data Access Request Service (DARS) > Step 3.) Approval"),
        {"type": "input", "block_id": "force", "optional": True, "label": _plain_text("If it is close to an existing entry", 2000),
         "element": {"type": "checkboxes", "action_id": "value", "options": [
             {"text": _plain_text("Save it anyway", 75), "value": "force"}]}},
    ]
    return {
        "type": "modal", "callback_id": ADD_VIEW,
        "title": _plain_text("Add an FAQ entry", 24), "submit": _plain_text("Save", 24),
        "close": _plain_text("Cancel", 24), "blocks": blocks,
        "private_metadata": json.dumps(metadata or {})[:3000],
    }


# -- helpers --------------------------------------------------------------------------------

def _answer_actions(ref: AnswerRef, shareable: bool) -> dict:
    value = ref.value()
    elements = []
    if shareable:
        elements.append({"type": "button", "action_id": SHARE, "style": "primary",
                         "text": _plain_text("Share in channel", MAX_BUTTON_TEXT), "value": value})
    elements += [
        {"type": "button", "action_id": FEEDBACK_UP, "text": _plain_text("👍 Helpful", MAX_BUTTON_TEXT), "value": value},
        {"type": "button", "action_id": FEEDBACK_DOWN, "text": _plain_text("👎 Not helpful", MAX_BUTTON_TEXT), "value": value},
    ]
    return {"type": "actions", "block_id": "csds_feedback", "elements": elements}


def _sections(text: str, room: int) -> list[dict]:
    pieces = chunks(text or " ", MAX_SECTION)
    if len(pieces) > room:  # only a pasted novel gets here: keep what fits, say it was cut
        pieces = pieces[:room]
        pieces[-1] = clip(pieces[-1], MAX_SECTION - 1, escaped=True)
        if not pieces[-1].endswith("…"):
            pieces[-1] = pieces[-1][: MAX_SECTION - 1] + "…"
    return [{"type": "section", "block_id": f"csds_answer_{n}", "text": {"type": "mrkdwn", "text": piece}}
            for n, piece in enumerate(pieces)]


def _context(text: str, block_id: str) -> dict:
    return {"type": "context", "block_id": block_id,
            "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION, escaped=True)}]}


def _plain_text(text: str, limit: int) -> dict:
    return {"type": "plain_text", "text": clip(plain(text), limit), "emoji": True}

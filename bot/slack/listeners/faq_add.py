"""Adding FAQ entries from Slack: the "Add as CSDS FAQ" message shortcut opens the modal (with
the message as the question), and the modal's submission saves through the FAQ store. Only the
member IDs in CSDS_BOT_ADMINS may do either; the check is repeated on submit because a modal
can outlive a change of admins."""

from __future__ import annotations

import json
import logging

from slack_bolt import App
from slack_sdk.webhook import WebhookClient

from bot.errors import BotError, NearDuplicate
from bot.slack.blocks import ADD_SHORTCUT, ADD_VIEW, faq_modal, notice
from bot.slack.listeners.command import NOT_ADMIN
from bot.slack.listeners.errors import reported
from bot.slack.services import Services
from bot.slack.text import clip, plain_question

log = logging.getLogger(__name__)
MAX_ERROR = 250  # a modal's field error is a line under the field, not a page


def form_values(view: dict) -> dict:
    """The modal's fields as plain values: {question, answer, source: str, alternates: [str], force: bool}."""
    state = (view.get("state") or {}).get("values") or {}

    def text(block: str) -> str:
        return ((state.get(block) or {}).get("value") or {}).get("value") or ""

    chosen = ((state.get("force") or {}).get("value") or {}).get("selected_options") or []
    return {
        "question": text("question"), "answer": text("answer"), "source": text("source"),
        "alternates": [line.strip() for line in text("alternates").splitlines() if line.strip()],
        "force": any(o.get("value") == "force" for o in chosen),
    }


def field_error(exc: BotError) -> dict[str, str]:
    """The store's one-line error, under the field it is about."""
    if isinstance(exc, NearDuplicate) and exc.matches:
        close = "; ".join(f"{m.id} (“{m.question}”)" for m in exc.matches[:3])
        return {"question": clip(f"Already covered by {close}. Add this wording as an alternate there, "
                                 "reword it, or tick “Save it anyway”.", MAX_ERROR)}
    message = str(exc)
    for block in ("answer", "source", "alternate"):
        if message.startswith(f"the {block}") or (block == "alternate" and "alternates" in message):
            return {"alternates" if block == "alternate" else block: clip(message, MAX_ERROR)}
    return {"question": clip(message, MAX_ERROR)}


def register(app: App, services: Services) -> None:
    @app.shortcut(ADD_SHORTCUT)
    def on_add_shortcut(ack, shortcut: dict, client, respond, context) -> None:
        ack()
        with reported(shortcut, client, context, services):
            if not services.is_admin(shortcut["user"]["id"]):
                respond(response_type="ephemeral", replace_original=False, **notice(NOT_ADMIN).kwargs())
                return
            question = plain_question((shortcut.get("message") or {}).get("text", ""))
            client.views_open(trigger_id=shortcut["trigger_id"],
                              view=faq_modal(question, {"response_url": shortcut.get("response_url")}))

    @app.view(ADD_VIEW)
    def on_add_submit(ack, body: dict, view: dict, client) -> None:
        user = body["user"]["id"]
        if not services.is_admin(user):
            ack(response_action="errors", errors={"question": NOT_ADMIN[:MAX_ERROR]})
            return
        values = form_values(view)
        try:
            entry = services.add_faq(values["question"], values["answer"], values["alternates"],
                                     values["source"], values["force"])
        except BotError as exc:
            ack(response_action="errors", errors=field_error(exc))  # the modal stays open to fix it
            return
        ack()
        log.info("FAQ entry %s added from Slack by %s", entry.id, user)
        _confirm(client, view, user, f"Saved FAQ entry `{entry.id}`: “{entry.question}”. It answers from now on.")


def _confirm(client, view: dict, user: str, text: str) -> None:
    """Tell the admin where they started (the response_url of /csds add or the shortcut), else by DM."""
    message = notice(text)
    try:
        response_url = json.loads(view.get("private_metadata") or "{}").get("response_url")
    except ValueError:
        response_url = None
    if response_url:
        response = WebhookClient(response_url).send(response_type="ephemeral", replace_original=False,
                                                    **message.kwargs())
        if response.status_code == 200:
            return
        log.warning("could not confirm through the response_url (HTTP %s); sending a DM", response.status_code)
    client.chat_postMessage(channel=user, **message.kwargs())

"""When a listener fails: log it (a Slack API error as one line, anything else with its
traceback) and tell the user briefly where they asked, so nobody waits for a reply that will
never come."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import notice
from bot.slack.listeners import is_dm
from bot.slack.services import Services

log = logging.getLogger(__name__)

API_ERROR = "Sorry, Slack did not accept my reply ({code}). Please try again in a moment."
CRASH = "Sorry, something went wrong on my side while answering. It has been logged; please try again later."


def describe(error: Exception) -> str:
    """`chat.postMessage: not_in_channel` for an API error; the exception's type otherwise."""
    if isinstance(error, SlackApiError):
        response = error.response
        method = (getattr(response, "api_url", "") or "").rstrip("/").rsplit("/", 1)[-1] or "Slack API"
        code = response.get("error") if hasattr(response, "get") else None
        return f"{method}: {code or f'HTTP {response.status_code}'}"
    return type(error).__name__


def register(app: App, services: Services) -> None:
    @app.error
    def on_error(error: Exception, body: dict, client, context) -> None:
        report(error, body, client, context, services)


@contextmanager
def reported(body: dict, client, context, services: Services) -> Iterator[None]:
    """Wrap the work a listener does after ack(). Bolt (1.30) would send such an exception to the
    error handler too, but it also throws away the ack already given, so the HTTP request hangs for
    3 s and Slack shows the user an error of its own; caught here, the ack stands and the user gets
    our apology (tests/slack/test_http.py checks the ack time)."""
    try:
        yield
    except Exception as error:
        report(error, body, client, context, services)


def report(error: Exception, body: dict, client, context, services: Services) -> None:
    """Log the failure and tell the user briefly, where they asked."""
    kind = body.get("type") or ("slash_command" if body.get("command") else "request")
    if isinstance(error, SlackApiError):
        log.error("Slack API call failed while handling a %s: %s", kind, describe(error))
        text = API_ERROR.format(code=describe(error).split(": ", 1)[-1])
    else:
        log.error("handler failed on a %s", kind, exc_info=error)
        contact = services.settings.contact
        text = CRASH + (f" If it is urgent, contact {contact}." if contact else "")
    try:
        _tell(body, client, context, text)
    except Exception as exc:  # the apology failed too: the log line above is all we can do
        log.error("could not tell the user about the failure: %s", describe(exc))


def _tell(body: dict, client, context, text: str) -> None:
    message = notice(text)
    event = body.get("event") or {}
    if body.get("type") == "event_callback" and event.get("channel"):
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or (None if is_dm(channel) else event.get("ts"))
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.kwargs())
    elif context.respond is not None:  # slash commands, buttons and shortcuts carry a response_url
        context.respond(response_type="ephemeral", replace_original=False, **message.kwargs())
    elif (body.get("user") or {}).get("id"):  # a modal submission: write to the person directly
        client.chat_postMessage(channel=body["user"]["id"], **message.kwargs())

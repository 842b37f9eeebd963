"""Builds the bolt App: the Web API client (with 429 retries), retry de-duplication, and the
listeners. Thin on purpose: answering is the conversation layer's, the rest is bolt's."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.slack.answers import Replies
from bot.slack.config import APPS_PAGE, SlackConfig, SlackConfigError
from bot.slack.listeners import actions, command, errors, faq_add, messages
from bot.slack.memory import SeenEvents
from bot.slack.services import Services

log = logging.getLogger(__name__)

# Answering takes about a millisecond; the workers mostly wait on Web API calls. Enough of them
# that a burst of mentions does not delay the ack of a /csds command queued behind it.
WORKERS = 32
RATE_LIMIT_RETRIES = 3


def web_client(config: SlackConfig) -> WebClient:
    """A WebClient for SLACK_API_URL that waits out 429s (Retry-After) and retries dropped connections."""
    return WebClient(token=config.bot_token, base_url=config.api_url, retry_handlers=[
        ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)])


class _SameTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and then warns that our client (which
    holds that very token, plus SLACK_API_URL and the retry handlers) takes precedence: true, and noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def build_app(config: SlackConfig, services: Services, client: WebClient | None = None) -> App:
    """The bolt App with every listener registered. Calls auth.test once, so a revoked or wrong
    token stops the bot here with the fix, not at the first question."""
    bolt_log = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _SameTokenWarning) for f in bolt_log.filters):
        bolt_log.addFilter(_SameTokenWarning())
    try:
        app = App(
            client=client or web_client(config),  # carries the bot token
            signing_secret=config.signing_secret or "",
            # Socket Mode payloads come over our own authenticated websocket, unsigned.
            request_verification_enabled=not config.socket_mode,
            listener_executor=ThreadPoolExecutor(WORKERS, thread_name_prefix="csds-slack"),
        )
    except BoltError as exc:
        raise _auth_error(exc, config) from None
    except OSError as exc:  # URLError and friends: nothing answered at SLACK_API_URL
        raise SlackConfigError(f"could not reach the Slack Web API at {config.api_url} ({getattr(exc, 'reason', exc)}); "
                               "check the network or proxy, or SLACK_API_URL if you set it") from None
    app.use(_skip_repeats(services.seen_events))
    replies = Replies(services)
    messages.register(app, replies)
    command.register(app, replies, services)
    actions.register(app, replies, services)
    faq_add.register(app, services)
    errors.register(app, services)
    if not services.admins:
        log.info("CSDS_BOT_ADMINS is not set: nobody can add FAQ entries from Slack")
    return app


def _skip_repeats(seen: SeenEvents):
    def skip_repeated_events(body: dict, next, request) -> BoltResponse | None:
        """Ack a repeat of an event already taken in and do nothing else. Keyed on event_id rather
        than X-Slack-Retry-Num alone: a retry of an event whose first delivery never reached us
        (a restart, a dropped connection) still deserves its one reply."""
        event_id = body.get("event_id")
        if event_id and not seen.first_time(event_id):
            retry = (request.headers.get("x-slack-retry-num") or [None])[0] or body.get("retry_attempt")
            log.info("ignored a repeat of event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        return next()

    return skip_repeated_events


def _auth_error(exc: BoltError, config: SlackConfig) -> SlackConfigError:
    cause = exc.__context__
    if isinstance(cause, SlackApiError):
        code = cause.response.get("error") or f"HTTP {cause.response.status_code}"
        return SlackConfigError(
            f"Slack rejected SLACK_BOT_TOKEN ({code}); copy the Bot User OAuth Token (xoxb-...) again from "
            f"OAuth & Permissions ({APPS_PAGE}), and reinstall the app to the workspace if it was removed")
    if isinstance(cause, OSError):
        return SlackConfigError(f"could not reach the Slack Web API at {config.api_url} ({cause}); "
                                "check the network or proxy, or SLACK_API_URL if you set it")
    return SlackConfigError(f"the Slack app could not start: {exc}")

"""Slack settings from the environment, checked up front so a bad value stops the bot with one
line that names the variable and where to get it (never the value: it may be a secret)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlparse

from bot.errors import BotError

APPS_PAGE = "https://api.slack.com/apps"
DEFAULT_API_URL = "https://slack.com/api/"
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class SlackConfigError(BotError):
    """A Slack setting is missing or malformed; the message names the variable and the fix."""

    exit_code = 2


@dataclass(frozen=True)
class SlackConfig:
    """Everything the Slack front end needs from outside. `repr` hides the secrets."""

    bot_token: str = field(repr=False)
    app_token: str | None = field(default=None, repr=False)  # set: Socket Mode
    signing_secret: str | None = field(default=None, repr=False)  # needed in HTTP mode
    api_url: str = DEFAULT_API_URL
    admins: frozenset[str] = frozenset()

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    def secrets(self) -> tuple[str, ...]:
        """The values that must never reach a log line."""
        return tuple(s for s in (self.bot_token, self.app_token, self.signing_secret) if s)


def load_config(env: Mapping[str, str], http: bool) -> SlackConfig:
    """Read and check SLACK_* and CSDS_BOT_ADMINS. `http` is the `--http` flag: it wins over an
    app token, so one environment can serve either mode."""
    bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-",
                       f"the Bot User OAuth Token from your app's OAuth & Permissions page ({APPS_PAGE})")
    app_token = signing_secret = None
    if http:
        signing_secret = _signing_secret(env)
    else:
        if not env.get("SLACK_APP_TOKEN", "").strip():
            raise SlackConfigError(
                "SLACK_APP_TOKEN is not set: for Socket Mode create an app-level token (xapp-...) with the "
                f"connections:write scope under Basic Information > App-Level Tokens ({APPS_PAGE}), "
                "or run `csds-bot slack --http` to serve the Events API over HTTP instead")
        app_token = _token(env, "SLACK_APP_TOKEN", "xapp-",
                           f"an app-level token with connections:write from Basic Information > App-Level Tokens ({APPS_PAGE})")
    return SlackConfig(bot_token, app_token, signing_secret, _api_url(env), _admins(env))


def _token(env: Mapping[str, str], name: str, prefix: str, where: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SlackConfigError(f"{name} is not set; set it to {where}")
    if not value.startswith(prefix) or not re.fullmatch(r"[A-Za-z0-9-]+", value):
        # Name only the kind of token given (its prefix), never the token itself.
        given = re.match(r"^[a-z]{3,4}-", value)
        kind = f"a token starting {given.group(0)}..." if given else "something that is not a Slack token"
        raise SlackConfigError(f"{name} holds {kind}; it must start with {prefix}... : use {where}")
    return value


def _signing_secret(env: Mapping[str, str]) -> str:
    value = env.get("SLACK_SIGNING_SECRET", "").strip()
    where = f"the Signing Secret from Basic Information > App Credentials ({APPS_PAGE})"
    if not value:
        raise SlackConfigError(f"SLACK_SIGNING_SECRET is not set; HTTP mode checks every request with it: set it to {where}")
    if not re.fullmatch(r"[A-Za-z0-9]{16,}", value):
        raise SlackConfigError(f"SLACK_SIGNING_SECRET is malformed (Slack's are 32 letters and digits); copy {where}")
    return value


def _api_url(env: Mapping[str, str]) -> str:
    value = env.get("SLACK_API_URL", "").strip()
    if not value:
        return DEFAULT_API_URL
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SlackConfigError(
            f"SLACK_API_URL must be an http(s) URL like {DEFAULT_API_URL} (GovSlack: https://slack-gov.com/api/); "
            "unset it to use Slack's")
    return value if value.endswith("/") else value + "/"  # WebClient joins method names onto it


def _admins(env: Mapping[str, str]) -> frozenset[str]:
    ids = [part.strip() for part in env.get("CSDS_BOT_ADMINS", "").split(",") if part.strip()]
    for user_id in ids:
        if not USER_ID.match(user_id):
            raise SlackConfigError(
                f"CSDS_BOT_ADMINS holds {user_id!r}, which is not a Slack member ID; list IDs like U012AB3CD, "
                "comma-separated (in Slack: a person's profile > ⋮ > Copy member ID)")
    return frozenset(ids)

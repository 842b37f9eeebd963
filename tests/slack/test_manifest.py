"""The app manifest matches the code: the command, shortcut, events and scopes the bot uses, no more."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.blocks import ADD_SHORTCUT
from bot.slack.listeners.command import COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yaml"


def test_manifest_declares_what_the_listeners_handle_and_only_the_scopes_used():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert [(s["type"], s["callback_id"], s["name"]) for s in features["shortcuts"]] == [
        ("message", ADD_SHORTCUT, "Add as CSDS FAQ")]
    assert settings["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert features["app_home"]["messages_tab_enabled"] and not features["app_home"]["messages_tab_read_only_enabled"]
    # app_mention needs app_mentions:read, message.im needs im:history, posting needs chat:write,
    # /csds and the shortcut need commands. views.open needs no scope.
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == ["app_mentions:read", "chat:write", "commands",
                                                                 "im:history"]
    assert features["bot_user"]["display_name"]


def test_http_mode_urls_in_the_comments_all_point_at_the_bot_path():
    text = MANIFEST.read_text(encoding="utf-8")
    urls = [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.strip().startswith(("# url:", "# request_url:"))]
    assert urls == ["https://bot.example.org/slack/events"] * 3

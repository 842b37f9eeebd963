"""Fixtures: the fake Slack, and the bot's real App served over real HTTP (or Socket Mode) in
this process, so a test can swap the engine for one that fails."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSocketMode, FakeWebApi, send_event, send_form, send_interaction

from bot.answering.live import LiveEngine
from bot.slack.app import build_app
from bot.slack.config import SlackConfig
from bot.slack.server import PATH, make_http_server
from bot.slack.services import Services
from bot.store.interactions import InteractionLog

ADMIN = "U0ADMIN1"


@pytest.fixture
def api():
    fake = FakeWebApi()
    yield fake
    fake.close()


@dataclass
class HttpBot:
    """The bot's App behind its real HTTP server, and helpers to send it signed requests."""

    url: str
    api: FakeWebApi
    services: Services
    log: InteractionLog

    def event(self, event: dict, event_id: str, **kwargs):
        return send_event(self.url, event, event_id, **kwargs)

    def command(self, fields: dict, **kwargs):
        return send_form(self.url, fields, **kwargs)

    def interact(self, payload: dict, **kwargs):
        return send_interaction(self.url, payload, **kwargs)


def make_services(knowledge: Path, db: Path) -> tuple[Services, InteractionLog]:
    log = InteractionLog(db)
    # poll_seconds=0: no reload thread; an FAQ saved from Slack reloads through reload_now().
    return Services(LiveEngine(knowledge, poll_seconds=0), knowledge, log, frozenset({ADMIN})), log


@pytest.fixture
def http_bot(api, knowledge_copy, tmp_path):
    services, log = make_services(knowledge_copy, tmp_path / "interactions.db")
    config = SlackConfig(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=api.api_url,
                         admins=services.admins)
    app = build_app(config, services)
    server = make_http_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield HttpBot(f"http://127.0.0.1:{server.server_port}{PATH}", api, services, log)
    server.shutdown()
    server.server_close()
    log.close()


@pytest.fixture
def socket(api):
    fake = FakeSocketMode(api)
    yield fake
    fake.close()

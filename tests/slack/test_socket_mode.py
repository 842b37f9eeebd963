"""End to end over Socket Mode: the bot's App behind slack_sdk's real websocket client,
connected to a fake Socket Mode server that speaks Slack's envelope protocol."""

from __future__ import annotations

import threading

import pytest
from fake_slack import (APP_TOKEN, BOT_ID, BOT_TOKEN, BOT_USER, block_action, dm, event_callback, mention, slash,
                        view_submission)
from slack_bolt.adapter.socket_mode import SocketModeHandler

from conftest import ADMIN, make_services
from bot.slack.app import build_app
from bot.slack.config import SlackConfig


@pytest.fixture
def socket_bot(api, socket, knowledge_copy, tmp_path):
    services, log = make_services(knowledge_copy, tmp_path / "interactions.db")
    config = SlackConfig(BOT_TOKEN, APP_TOKEN, None, api.api_url, services.admins)
    handler = SocketModeHandler(build_app(config, services), APP_TOKEN)
    handler.connect()
    socket.wait_connections(1)
    yield log
    # The client's close waits for its reader (up to 3 s) unless the server hangs up first.
    closing = threading.Thread(target=handler.close, daemon=True)
    closing.start()
    socket.close()
    closing.join(5)
    log.close()


def test_it_opens_the_connection_with_the_app_token(api, socket, socket_bot):
    [opened] = api.of("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"


def test_events_api_envelope_is_acked_and_the_mention_answered_in_its_thread(api, socket, socket_bot):
    envelope = socket.send("events_api", event_callback(mention("<@UBOT0001> what is IGARD?", ts="1700.0001"), "Ev1"))
    assert socket.wait_ack(envelope) == {"envelope_id": envelope}
    [post] = api.wait_calls("chat.postMessage")
    assert post.body["channel"] == "C0001" and post.body["thread_ts"] == "1700.0001"
    assert "Independent Group Advising" in post.body["blocks"][0]["text"]["text"]
    assert post.headers["Authorization"] == f"Bearer {BOT_TOKEN}"  # replies use the bot token


def test_slash_command_envelope_acks_with_help_or_answers_through_the_response_url(api, socket, socket_bot):
    help_envelope = socket.send("slash_commands", slash("help", api.response_url()))
    ack = socket.wait_ack(help_envelope)
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "/csds QUESTION" in ack["payload"]["blocks"][0]["text"]["text"]

    question = socket.send("slash_commands", slash("how much does a CSDS extract cost?", api.response_url()))
    assert "payload" not in socket.wait_ack(question) or not socket.wait_ack(question)["payload"]
    [private] = api.wait_calls("response_url")
    assert private.body["response_type"] == "ephemeral" and "£" in private.body["text"]


def test_interactive_envelope_records_feedback_and_thanks_the_user(api, socket, socket_bot):
    socket.send("events_api", event_callback(dm("what is IGARD?", channel="D0042"), "Ev1"))
    [post] = api.wait_calls("chat.postMessage")
    value = post.body["blocks"][-1]["elements"][0]["value"]
    message = {"ts": "1700.0002"}
    envelope = socket.send("interactive", block_action("csds_feedback_up", value, message, api.response_url(),
                                                       channel="D0042"))
    socket.wait_ack(envelope)
    [thanks] = api.wait_calls("chat.postEphemeral")
    assert thanks.body["channel"] == "D0042" and thanks.body.get("thread_ts") is None
    assert [f.helpful for f in socket_bot.feedback()] == [True]


def test_a_retried_envelope_and_our_own_messages_get_no_reply(api, socket, socket_bot):
    event = mention("<@UBOT0001> what is IGARD?", ts="1700.0001")
    first = socket.send("events_api", event_callback(event, "EvSame"))
    retry = socket.send("events_api", event_callback(event, "EvSame"), retry_attempt=1)
    own = socket.send("events_api", event_callback(dm("an answer", user=BOT_USER, bot_id=BOT_ID), "EvOwn"))
    for envelope in (first, retry, own):
        socket.wait_ack(envelope)  # every envelope is acked, or Slack would send it again
    api.wait_calls("chat.postMessage")
    api.quiet()
    assert len(api.of("chat.postMessage")) == 1


def test_it_survives_a_disconnect_by_reconnecting(api, socket, socket_bot):
    socket.disconnect()
    socket.wait_connections(2)
    assert len(api.of("apps.connections.open")) == 2  # a fresh URL, as Slack requires
    envelope = socket.send("events_api", event_callback(mention("<@UBOT0001> what is IGARD?", ts="1700.0001"), "Ev1"))
    socket.wait_ack(envelope)
    [post] = api.wait_calls("chat.postMessage")
    assert post.body["thread_ts"] == "1700.0001"


def test_modal_submissions_answer_in_the_envelope_ack(api, socket, socket_bot, knowledge_copy):
    socket.wait_ack(socket.send("slash_commands", slash("add", api.response_url(), user=ADMIN)))
    [opened] = api.wait_calls("views.open")
    view = opened.body["view"]
    values = {"question": "Is there a CSDS office dog?", "answer": "No, there is no office dog.",
              "alternates": "", "source": ""}
    refused = socket.wait_ack(socket.send("interactive", view_submission(view, values, user="U0USER1")))
    assert refused["payload"]["response_action"] == "errors"
    assert not (knowledge_copy / "faq" / "added.yaml").exists()
    saved = socket.wait_ack(socket.send("interactive", view_submission(view, values, user=ADMIN)))
    assert not saved.get("payload")  # a plain ack closes the modal
    assert "Is there a CSDS office dog?" in (knowledge_copy / "faq" / "added.yaml").read_text()

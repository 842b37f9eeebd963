"""The pure parts of the Slack layer: text in and out, Block Kit layout and limits, settings."""

from __future__ import annotations

import json

import pytest

from bot.model import Answer, Decline, Hit, Settings, SmallTalk
from bot.slack.blocks import (MAX_BLOCKS, MAX_SECTION, AnswerRef, answer_message, faq_modal, help_message,
                              notice)
from bot.slack.config import SlackConfigError, load_config
from bot.slack.text import clip, mrkdwn, plain_question

HIT = Hit("igard", "faq", 1.0, "CSDS guidance", "DARS > Approval", "2023-01-16", "What is IGARD?")
GOOD = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_APP_TOKEN": "xapp-1-A1-2-abc",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99efab1285a5"}


def texts(blocks: list[dict]) -> list[str]:
    """Every piece of text a block list shows, in order."""
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        for element in block.get("elements", []):
            out.append(element["text"]["text"] if isinstance(element.get("text"), dict) else element["text"])
    return out


# -- text --------------------------------------------------------------------------------------

@pytest.mark.parametrize("slack_text, question", [
    ("<@UBOT0001> what is IGARD?", "what is IGARD?"),
    ("<@UBOT0001|csds-bot>   how long\n does it take", "how long does it take"),
    ("is R&amp;D &lt;covered&gt;? <@W12AB>", "is R&D <covered>?"),
    ("see <https://digital.nhs.uk/dars|the DARS page> in <#C123|data>", "see the DARS page in #data"),
    ("<!here> what is a DSA", "here what is a DSA"),
])
def test_plain_question_removes_mentions_and_decodes_slack_markup(slack_text, question):
    assert plain_question(slack_text) == question


@pytest.mark.parametrize("dangerous", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U123>",
                                       "@channel", "@here", "@everyone", "@Channel"])
def test_mrkdwn_never_leaves_a_ping(dangerous):
    out = mrkdwn(f"Hello {dangerous} team")
    assert "<" not in out and ">" not in out  # no escape sequence left: nothing Slack would expand
    for word in ("channel", "here", "everyone"):
        assert f"@{word}" not in out.lower()  # and no bare broadcast word either


def test_clip_cuts_at_a_word_and_never_inside_an_escape():
    assert clip("one two three", 100) == "one two three"
    assert clip("alpha beta gamma delta", 12) == "alpha beta…"
    cut = clip("x" * 20 + " &amp;&amp;&amp;", 25, escaped=True)
    assert len(cut) <= 25 and not cut.rstrip("…").endswith(("&", "&a", "&am", "&amp"))


# -- answers -----------------------------------------------------------------------------------

def test_answered_message_has_answer_source_and_feedback_buttons():
    answer = Answer("what is igard", True, "IGARD reviews applications.", 0.9, (HIT,))
    message = answer_message(answer, AnswerRef("what is igard", 7))
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["section", "context", "actions"]
    assert texts(message.blocks)[:2] == ["IGARD reviews applications.",
                                         "Source: CSDS guidance › DARS › Approval (last reviewed 16 January 2023)"]
    buttons = message.blocks[-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["csds_feedback_up", "csds_feedback_down"]
    assert AnswerRef.parse(buttons[0]["value"]) == AnswerRef("what is igard", 7)
    assert message.text.startswith("IGARD reviews applications.\nSource: CSDS guidance")


def test_unanswered_message_offers_at_most_three_suggestions_and_the_contact():
    suggestions = ("How much?", "Who pays?", "Is it free?", "A fourth?")
    decline = Decline("Sorry, I couldn't find that.", suggestions, "NHS Digital <enquiries@nhsdigital.nhs.uk>")
    # `text` is the engine's one-sentence form; the layout must come from the parts, not from it.
    answer = Answer("cost?", False, "TEXT NOT TO BE SHOWN", 0.2, (HIT,), suggestions, "fallback", decline=decline)
    message = answer_message(answer, AnswerRef("cost?"))
    suggestion_block = next(b for b in message.blocks if b["block_id"] == "csds_suggestions")
    assert [e["value"] for e in suggestion_block["elements"]] == ["How much?", "Who pays?", "Is it free?"]
    shown = texts(message.blocks)
    assert shown[0] == "Sorry, I couldn't find that." and "TEXT NOT TO BE SHOWN" not in shown
    assert "For anything else, contact NHS Digital &lt;enquiries@nhsdigital.nhs.uk&gt;." in shown
    assert not any(b["block_id"] == "csds_source" for b in message.blocks)


def test_private_answers_get_a_share_button_carrying_question_and_context():
    answer = Answer("how long does it take", True, "30 working days.", 0.9, (HIT,))
    message = answer_message(answer, AnswerRef("how long does it take", 3, "what is IGARD?"),
                             shareable=True, show_question=True)
    assert texts(message.blocks)[0] == "You asked: how long does it take"
    share = message.blocks[-1]["elements"][0]
    assert share["action_id"] == "csds_share"
    assert json.loads(share["value"]) == {"q": "how long does it take", "id": 3, "h": "what is IGARD?"}


def test_an_faq_answer_cannot_ping_a_channel_in_blocks_or_fallback():
    hit = Hit("x", "faq", 1.0, "@channel notes", "<!here>", "")
    answer = Answer("q", True, "<!channel> @here read this <!everyone>", 0.9, (hit,))
    message = answer_message(answer, AnswerRef("q"))
    for text in [message.text, *texts(message.blocks)]:
        assert "<!" not in text and "@here" not in text and "@channel" not in text


def test_asked_by_only_ever_renders_a_member_id():
    answer = Answer("q", True, "a", 0.9, (HIT,))
    assert texts(answer_message(answer, AnswerRef("q"), asked_by="U0USER1").blocks)[0] == "<@U0USER1> asked: q"
    forged = texts(answer_message(answer, AnswerRef("q"), asked_by="!channel").blocks)
    assert not any("<" in t or "channel" in t for t in forged)


@pytest.mark.parametrize("length", [2_999, 3_001, 10_000, 1_000_000])
def test_long_answers_stay_within_section_and_block_limits(length):
    words = ("word " * (length // 5 + 1))[:length]
    message = answer_message(Answer("q", True, words, 0.9, (HIT,)), AnswerRef("q"))
    assert len(message.blocks) <= MAX_BLOCKS
    assert all(len(t) <= MAX_SECTION for t in texts(message.blocks))
    assert message.blocks[-1]["type"] == "actions"  # the feedback buttons survive the cut
    shown = sum(len(b["text"]["text"]) for b in message.blocks if b["type"] == "section")
    assert shown >= min(length, 40 * MAX_SECTION) - 50 * 2  # nothing lost but whitespace, until the cap
    assert len(message.text) <= 3900


def test_small_talk_offers_the_examples_and_nothing_to_rate():
    talk = SmallTalk("greeting", "Hello! I answer questions about CSDS.", ("What is IGARD?",))
    answer = Answer("hello", True, talk.text, 1.0, (), talk.examples, "smalltalk", smalltalk=talk)
    message = answer_message(answer, AnswerRef("hello"))
    assert [b["block_id"] for b in message.blocks] == ["csds_answer_0", "csds_examples"]
    assert message.blocks[1]["elements"][0]["value"] == "What is IGARD?"


def test_help_lists_the_examples_as_buttons_and_the_contact():
    settings = Settings("csds-bot", "the helpdesk", ("How long does approval take?", "What is IGARD?"))
    message = help_message(settings)
    shown = texts(message.blocks)
    assert "/csds QUESTION" in shown[0] and "Admins" in shown[0]
    assert ["How long does approval take?", "What is IGARD?"] == [
        e["value"] for b in message.blocks if b["block_id"] == "csds_examples" for e in b["elements"]]
    assert "For anything else, contact the helpdesk." in shown
    assert "Admins" not in help_message(settings, admin_hint=False).blocks[0]["text"]["text"]


def test_help_is_bot_yaml_s_text_and_names_no_subject_of_its_own():
    settings = Settings("pets-bot", "", ("Can I walk a cat?",), "the pet care leaflet",
                        help="I answer questions about looking after pets.")
    message = help_message(settings)
    shown = " ".join([message.text, *texts(message.blocks)])
    assert "I answer questions about looking after pets." in texts(message.blocks)[0]
    assert "CSDS" not in shown.replace("/csds", "").replace("Add as CSDS FAQ", "")
    assert "Can I walk a cat?" in shown


def test_modal_prefills_the_question_within_the_field_limit():
    view = faq_modal("x" * 500, {"response_url": "https://hooks.example/1"})
    question = view["blocks"][0]
    assert question["block_id"] == "question" and len(question["element"]["initial_value"]) == 200
    assert [b["block_id"] for b in view["blocks"]] == ["question", "alternates", "answer", "source", "force"]
    assert json.loads(view["private_metadata"]) == {"response_url": "https://hooks.example/1"}
    assert len(view["title"]["text"]) <= 24


def test_notice_is_escaped():
    assert notice("hi <!here>").text == "hi &lt;!here&gt;"


# -- configuration -----------------------------------------------------------------------------

def test_socket_mode_config_and_admins():
    config = load_config({**GOOD, "CSDS_BOT_ADMINS": " U0ADMIN1, W0ADMIN2 ,"}, http=False)
    assert config.socket_mode and config.admins == {"U0ADMIN1", "W0ADMIN2"}
    assert config.api_url == "https://slack.com/api/"
    assert "xoxb" not in repr(config) and "xapp" not in repr(config)


def test_http_flag_wins_over_an_app_token_and_api_url_gets_its_slash():
    config = load_config({**GOOD, "SLACK_API_URL": "https://slack-gov.com/api"}, http=True)
    assert not config.socket_mode and config.signing_secret == GOOD["SLACK_SIGNING_SECRET"]
    assert config.api_url == "https://slack-gov.com/api/"


@pytest.mark.parametrize("change, http, message", [
    ({"SLACK_BOT_TOKEN": ""}, False, "SLACK_BOT_TOKEN is not set; set it to the Bot User OAuth Token"),
    ({"SLACK_BOT_TOKEN": "xoxp-123-456"}, False, "SLACK_BOT_TOKEN holds a token starting xoxp-...; it must start with xoxb-"),
    ({"SLACK_BOT_TOKEN": "hunter2 secret"}, False, "SLACK_BOT_TOKEN holds something that is not a Slack token"),
    ({"SLACK_APP_TOKEN": ""}, False, "SLACK_APP_TOKEN is not set: for Socket Mode create an app-level token"),
    ({"SLACK_APP_TOKEN": "xoxb-1-2"}, False, "SLACK_APP_TOKEN holds a token starting xoxb-...; it must start with xapp-"),
    ({"SLACK_SIGNING_SECRET": ""}, True, "SLACK_SIGNING_SECRET is not set; HTTP mode checks every request with it"),
    ({"SLACK_SIGNING_SECRET": "short"}, True, "SLACK_SIGNING_SECRET is malformed"),
    ({"SLACK_API_URL": "slack.com/api"}, False, "SLACK_API_URL must be an http(s) URL"),
    ({"CSDS_BOT_ADMINS": "U0ADMIN1,alice"}, False, "CSDS_BOT_ADMINS holds 'alice', which is not a Slack member ID"),
])
def test_bad_settings_name_the_variable_and_the_fix_without_the_value(change, http, message):
    with pytest.raises(SlackConfigError) as caught:
        load_config({**GOOD, **change}, http=http)
    text = str(caught.value)
    assert text.startswith(message) and "\n" not in text
    assert "hunter2" not in text and "xoxp-123-456" not in text

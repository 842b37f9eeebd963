"""One message sequence through the console (a real `csds-bot chat` subprocess) and through Slack
(the real App over HTTP, replying to the fake Slack): the conversation layer makes the answers the
same, follow-ups and small talk included."""

from __future__ import annotations

import html
import subprocess
import sys

from fake_slack import mention

from fixtures.cli import env

# Follow-ups after small talk, a decline, a follow-up after a decline, and a fresh topic.
SEQUENCE = ["what is a DSFC?", "thanks", "do we need one?", "hello", "how long does approval take",
            "how long does it take to boil an egg", "what is IGARD?", "who sits on it?", "what does it cost"]


def _console(knowledge) -> list[list[str]]:
    """Each message's reply in the console chat, as its lines."""
    proc = subprocess.run([sys.executable, "-m", "bot", "chat", "--knowledge", str(knowledge)],
                          input="\n".join(SEQUENCE) + "\n", capture_output=True, text=True, env=env(), timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""
    blocks = proc.stdout.split("\n\n")  # each reply ends with a blank line
    replies = [b.strip("\n").splitlines() for b in blocks[:-1]]
    replies[0] = replies[0][2:]  # the greeting and the help line come first
    assert len(replies) == len(SEQUENCE)
    return replies


def _slack(http_bot) -> list[list[str]]:
    """Each message's reply in one Slack thread, as the lines of its plain-text fallback."""
    thread = "1700.0001"
    for n, text in enumerate(SEQUENCE):
        ts = thread if n == 0 else f"1700.{n + 1:04d}"
        http_bot.event(mention(f"<@UBOT0001> {text}", ts=ts, thread_ts=None if n == 0 else thread), f"Ev{n}")
        http_bot.api.wait_calls("chat.postMessage", n + 1, timeout=30)  # a person reads each reply first
    posts = http_bot.api.wait_calls("chat.postMessage", len(SEQUENCE), timeout=30)
    assert all(p.body["thread_ts"] == thread for p in posts)
    return [html.unescape(p.body["text"]).splitlines() for p in posts]


def _gist(lines: list[str]) -> tuple[str, str]:
    """What was said, whatever the layout: the reply's opening and its source line. A decline is
    laid out differently on purpose (numbered questions in the console, buttons in Slack), so
    its opening is compared up to the first full stop."""
    first = lines[0]
    if first.startswith("Sorry"):
        first = first[: first.index(".") + 1]
    source = next((line for line in lines if line.startswith("Source: ")), "")
    return first, source


def test_the_console_and_slack_give_the_same_answers_to_the_same_conversation(http_bot, knowledge_copy):
    console = [_gist(r) for r in _console(knowledge_copy)]
    slack = [_gist(r) for r in _slack(http_bot)]
    for message, c, s in zip(SEQUENCE, console, slack):
        assert c == s, message
    by_message = dict(zip(SEQUENCE, console))
    # "thanks" in between does not make "do we need one?" lose what "one" is (the console
    # used to decline it): it is answered about the DSFC.
    assert not by_message["do we need one?"][0].startswith("Sorry")
    assert "DSFC" in by_message["do we need one?"][0] or "Data Sharing Framework Contract" in by_message["do we need one?"][0]
    assert by_message["do we need one?"][1] == by_message["what is a DSFC?"][1]
    assert by_message["how long does it take to boil an egg"][0].startswith("Sorry")
    assert by_message["hello"][0].startswith("Hello!")


def test_every_slack_answer_reaches_the_on_answer_observer(http_bot):
    seen = []
    http_bot.services.on_answer = lambda channel, answer, seconds: seen.append((channel, answer.question))
    http_bot.event(mention("<@UBOT0001> what is IGARD?", ts="1700.0001"), "Ev1")
    http_bot.api.wait_calls("chat.postMessage", timeout=30)
    http_bot.event(mention("<@UBOT0001> thanks", ts="1700.0002", thread_ts="1700.0001"), "Ev2")
    http_bot.api.wait_calls("chat.postMessage", 2, timeout=30)
    assert seen == [("slack", "what is IGARD?"), ("slack", "thanks")]

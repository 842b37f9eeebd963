"""The console chat, driven through a pipe and through a real pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

from fixtures.cli import copy_knowledge


def test_chat_over_a_pipe_is_plain_text_and_answers_in_order(run_cli):
    proc = run_cli("chat", input="hi\nhow long does approval take\n\n/help\nhow long does it take to boil an egg\n/quit\nnever asked\n")
    out = proc.stdout_text
    assert proc.returncode == 0 and proc.stderr_text == ""
    assert out.splitlines()[0].startswith("csds-bot: ask me about the CSDS data access guidance, e.g. “How long does approval take?”")
    assert "\x1b[" not in out  # no colours when not on a terminal
    assert out.index("Hello!") < out.index("30 working days") < out.rindex("Commands: /help") < out.index("Sorry, I couldn't find")
    assert "Source: Community Services Data Set (CSDS) data access guidance › Data Access Request Service (DARS) › Step 3.) Approval (last reviewed 16 January 2023)" in out
    assert "never asked" not in out and out.rstrip().endswith("Bye.")


def test_chat_reads_follow_ups_in_context(run_cli):
    out = run_cli("chat", input="what is IGARD?\nhow long does it take?\n").stdout_text
    assert "30 working days" in out


def _read_until(fd: int, marker: bytes, timeout: float = 30.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def _spawn_chat(tmp_path, *args: str, columns: int = 120):
    """`csds-bot chat ARGS` on a real pseudo-terminal `columns` wide, logging to a file in tmp_path."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm", "XDG_STATE_HOME": str(tmp_path / "state"),
           "CSDS_BOT_DB": str(tmp_path / "interactions.db")}
    for name in ("NO_COLOR", "CSDS_BOT_NO_LOG", "COLUMNS", "LINES"):
        env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "chat", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, cwd=tmp_path, close_fds=True)
    os.close(slave)
    return proc, master


def _visible(raw: bytes) -> str:
    """What a terminal shows of `raw`, line by line: colour and clear-line escapes dropped."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8", "replace"))
    return text.replace("\r\n", "\n")


def test_chat_on_a_terminal_has_prompt_colour_history_and_exits_on_ctrl_d(tmp_path):
    proc, master = _spawn_chat(tmp_path)
    try:
        assert b"you>" in _read_until(master, b"you>")
        os.write(master, b"igard?\r")
        answer = _read_until(master, b"you>")
        assert b"Independent Group Advising on the Release of Data" in answer
        assert b"\x1b[2mSource:" in answer  # the source is dimmed on a terminal
        os.write(master, b"\x04")  # Ctrl-D
        assert b"Bye." in _read_until(master, b"Bye.")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(master)
    history = (tmp_path / "state" / "csds-bot" / "chat_history").read_text()
    assert "igard?" in history


def test_ctrl_c_clears_the_line_and_the_chat_goes_on(tmp_path):
    proc, master = _spawn_chat(tmp_path)
    try:
        _read_until(master, b"you>")
        os.write(master, b"half a quest")
        _read_until(master, b"quest")
        time.sleep(0.5)  # let readline settle into waiting for a key
        proc.send_signal(signal.SIGINT)  # what Ctrl-C on a terminal sends
        out = _read_until(master, b"you>")
        assert b"you>" in out and b"Traceback" not in out and b"Bye." not in out
        assert proc.poll() is None  # still chatting
        os.write(master, b"what is igard\r")
        answer = _read_until(master, b"you>")
        assert b"Independent Group Advising" in answer and b"half a quest" not in answer  # the line was cleared
        os.write(master, b"\x04")
        assert b"Bye." in _read_until(master, b"Bye.")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(master)


def test_ctrl_d_says_bye_on_a_line_of_its_own(tmp_path):
    proc, master = _spawn_chat(tmp_path)
    try:
        shown = _read_until(master, b"you>")
        time.sleep(0.5)  # the prompt is fully drawn
        os.write(master, b"\x04")
        out = _visible(shown + _read_until(master, b"Bye."))
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(master)
    bye = next(line for line in out.split("\n") if "Bye." in line)
    assert bye.strip() == "Bye."  # not "you> Bye."


def test_chat_wraps_answers_to_the_terminal_width_without_breaking_words(tmp_path):
    proc, master = _spawn_chat(tmp_path, columns=50)
    try:
        _read_until(master, b"you>")
        os.write(master, b"what is a dsfc\r")
        raw = _read_until(master, b"you>")
        raw += _read_until(master, b"you>", timeout=1)
        os.write(master, b"\x04")
        _read_until(master, b"Bye.")
    finally:
        proc.kill()
        os.close(master)
    out = _visible(raw)
    lines = [line for line in out.split("\n") if line.strip() and "what is a dsfc" not in line]
    assert len(lines) > 4 and all(len(line) <= 50 for line in lines), lines
    words = set(" ".join(lines).split())
    for word in ("Data", "Sharing", "Framework", "Contract", "legally", "binding", "recipient."):
        assert word in words  # each word whole on one line
    assert "Source:" in out and "(last reviewed 16 January 2023)" in " ".join(lines)


def test_a_reload_error_is_shown_above_the_prompt_not_over_it(tmp_path):
    knowledge = copy_knowledge(tmp_path)
    proc, master = _spawn_chat(tmp_path, "--knowledge", str(knowledge))
    try:
        _read_until(master, b"you>")
        os.write(master, b"how lo")
        _read_until(master, b"how lo")
        (knowledge / "faq" / "broken.yaml").write_text("- question: [unclosed\n", encoding="utf-8")
        raw = _read_until(master, b"does not load")
        raw += _read_until(master, b"how lo", timeout=5)
        os.write(master, b"ng does approval take\r")
        answer = _read_until(master, b"you>")
        os.write(master, b"\x04")
        _read_until(master, b"Bye.")
    finally:
        proc.kill()
        os.close(master)
    out = _visible(raw)
    assert "broken.yaml" in out
    after = out[out.index("does not load"):]
    assert "you> how lo" in after  # the prompt and the typing are drawn again below the message
    assert b"30 working days" in answer  # still serving the last good knowledge, the typing kept


def test_no_log_chat_records_nothing_and_says_ratings_are_off(tmp_path):
    proc, master = _spawn_chat(tmp_path, "--no-log")
    try:
        _read_until(master, b"you>")
        os.write(master, b"what is igard\r")
        _read_until(master, b"you>")
        os.write(master, b"/good\r")
        rated = _visible(_read_until(master, b"you>"))
        os.write(master, b"\x04")
        _read_until(master, b"Bye.")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(master)
    assert "Thanks, noted." not in rated and "interaction log is off" in rated
    assert not (tmp_path / "state" / "csds-bot" / "chat_history").exists()
    assert not (tmp_path / "interactions.db").exists()


def test_with_the_log_on_good_rates_the_last_answer(tmp_path):
    proc, master = _spawn_chat(tmp_path)
    try:
        _read_until(master, b"you>")
        os.write(master, b"what is igard\r")
        _read_until(master, b"you>")
        os.write(master, b"/good\r")
        rated = _visible(_read_until(master, b"you>"))
        os.write(master, b"\x04")
        _read_until(master, b"Bye.")
    finally:
        proc.kill()
        os.close(master)
    assert "Thanks, noted." in rated
    from bot.store.interactions import InteractionLog

    log = InteractionLog(tmp_path / "interactions.db")
    try:
        assert [(q.channel, q.question) for q in log.questions()] == [("console", "what is igard")]
        assert [(f.question, f.helpful) for f in log.feedback()] == [("what is igard", True)]
    finally:
        log.close()


def test_chat_numbers_the_close_questions_of_a_decline_and_takes_a_number_to_ask_one(run_cli):
    proc = run_cli("chat", "--no-log", input="3\nhow should i word the purpose so it gets through\n7\n1\n")
    out = proc.stdout_text
    assert proc.returncode == 0 and proc.stderr_text == ""
    assert out.index("There is no close question 3 to ask: type your question in words.") < out.index("Sorry, I couldn't find that")
    offered = out[out.index("Did you mean:\n"):].splitlines()[1:4]
    sorry = next(line for line in out.splitlines() if line.startswith("Sorry"))
    assert [line[:5] for line in offered] == ["  1. ", "  2. ", "  3. "] and "Did you mean" not in sorry  # numbered, not inline
    first = offered[0][5:]
    assert out.index("There is no close question 7") < out.index(f"→ {first}")
    after = out[out.index(f"→ {first}"):]
    assert "Source: Community Services Data Set (CSDS) data access guidance" in after  # the pick was answered

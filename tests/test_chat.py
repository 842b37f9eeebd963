"""The console chat, driven through a pipe and through a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time


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


def _spawn_chat(tmp_path):
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "chat"], stdin=slave, stdout=slave, stderr=slave,
                            env=env, cwd=tmp_path, close_fds=True)
    os.close(slave)
    return proc, master


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


def test_chat_exits_cleanly_on_ctrl_c(tmp_path):
    proc, master = _spawn_chat(tmp_path)
    try:
        _read_until(master, b"you>")
        time.sleep(0.5)  # let readline settle into waiting for a key
        proc.send_signal(signal.SIGINT)  # what Ctrl-C on a terminal sends
        out = _read_until(master, b"Bye.")
        assert b"Bye." in out and b"Traceback" not in out
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(master)


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

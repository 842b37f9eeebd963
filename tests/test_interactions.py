"""The interaction log: what is stored, privacy, retention, and never getting in an answer's way."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time

import pytest

from bot.model import Answer, Hit
from bot.store.interactions import InteractionLog, default_db_path
from fixtures.cli import run

ANSWERED = Answer("how long does approval take", True, "About 30 working days.", 0.91,
                  (Hit("approval-time", "faq", 1.0, "Guidance", "Approval", "2023-01-16"),))
DECLINED = Answer("can I park at the office", False, "Sorry, ...", 0.12)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "state" / "interactions.db"


def _rows(path, sql):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_default_path_is_outside_the_package(monkeypatch, tmp_path):
    monkeypatch.delenv("CSDS_BOT_DB", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "csds-bot" / "interactions.db"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "state" / "csds-bot" / "interactions.db"
    monkeypatch.setenv("CSDS_BOT_DB", str(tmp_path / "elsewhere.db"))
    assert default_db_path() == tmp_path / "elsewhere.db"


def test_one_row_per_question_with_a_salted_user_hash(db):
    log = InteractionLog(db)
    first = log.record_question("slack", "U123", ANSWERED)
    second = log.record_question("console", "U123", DECLINED)
    third = log.record_question("cli", None, DECLINED)
    assert (first, second, third) == (1, 2, 3)
    rows = _rows(db, "SELECT channel, user_hash, question, answered, confidence, top_source FROM questions ORDER BY id")
    assert [r[0] for r in rows] == ["slack", "console", "cli"]
    assert rows[0][2:] == ("how long does approval take", 1, 0.91, "approval-time")
    assert rows[1][2:] == ("can I park at the office", 0, 0.12, None)
    assert rows[0][1] == rows[1][1] and len(rows[0][1]) == 32 and rows[2][1] is None
    assert "U123" not in db.read_bytes().decode("latin-1")  # never the raw id
    salt = _rows(db, "SELECT value FROM settings WHERE key = 'salt'")[0][0]
    assert len(salt) == 32
    log.close()
    # The salt is made once: a new process hashes the same user the same way.
    again = InteractionLog(db)
    again.record_question("slack", "U123", ANSWERED)
    assert _rows(db, "SELECT user_hash FROM questions WHERE id = 4")[0][0] == rows[0][1]
    # Another database has another salt, so hashes cannot be matched across installs.
    other = InteractionLog(db.with_name("other.db"))
    other.record_question("slack", "U123", ANSWERED)
    assert _rows(db.with_name("other.db"), "SELECT user_hash FROM questions")[0][0] != rows[0][1]


def test_wal_mode_and_time_stamps(db):
    log = InteractionLog(db)
    log.record_question("cli", None, ANSWERED)
    assert _rows(db, "PRAGMA journal_mode")[0][0] == "wal"
    stamp = dt.datetime.fromisoformat(_rows(db, "SELECT time FROM questions")[0][0].replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.timezone.utc) - stamp).total_seconds()) < 60


def test_feedback_rows_keep_the_question_they_rate(db):
    log = InteractionLog(db)
    qid = log.record_question("slack", "U1", ANSWERED)
    log.record_feedback(qid, ANSWERED.question, "U2", False)
    log.record_feedback(None, "a question from before logging", None, True)
    assert _rows(db, "SELECT question_id, question, helpful FROM feedback ORDER BY id") == [
        (1, "how long does approval take", 0), (None, "a question from before logging", 1)]
    [bad] = log.unhelpful()
    assert (bad.question, bad.top_source, bad.helpful) == ("how long does approval take", "approval-time", False)
    assert [q.question for q in log.unanswered()] == []


def test_unanswered_since(db):
    log = InteractionLog(db)
    log.record_question("cli", None, DECLINED)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE questions SET time = '2026-01-01T00:00:00Z'")
    log.record_question("cli", None, DECLINED)
    assert len(log.unanswered()) == 2
    assert len(log.unanswered(since=dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc))) == 1


def test_retention_prunes_old_rows(db, monkeypatch):
    log = InteractionLog(db)
    for _ in range(3):
        qid = log.record_question("slack", "U1", ANSWERED)
        log.record_feedback(qid, ANSWERED.question, "U1", True)
    log.close()
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE questions SET time = ? WHERE id <= 2", (old,))
        conn.execute("UPDATE feedback SET time = ? WHERE id <= 2", (old,))
    monkeypatch.setenv("CSDS_BOT_DB", str(db))
    monkeypatch.delenv("CSDS_BOT_NO_LOG", raising=False)
    monkeypatch.setenv("CSDS_BOT_RETENTION_DAYS", "30")
    log = InteractionLog.from_env()
    assert log.retention_days == 30
    log.record_question("slack", "U1", DECLINED)  # the first write of a process prunes
    assert _rows(db, "SELECT id FROM questions ORDER BY id") == [(3,), (4,)]
    assert _rows(db, "SELECT id FROM feedback ORDER BY id") == [(3,)]


def test_bad_retention_setting_warns_and_uses_90_days(monkeypatch, caplog, db):
    monkeypatch.setenv("CSDS_BOT_DB", str(db))
    monkeypatch.delenv("CSDS_BOT_NO_LOG", raising=False)
    monkeypatch.setenv("CSDS_BOT_RETENTION_DAYS", "ninety")
    assert InteractionLog.from_env().retention_days == 90
    assert "CSDS_BOT_RETENTION_DAYS='ninety' is not a whole number of days; using 90 (set it to e.g. 90)" in caplog.text


@pytest.mark.parametrize("how", ["flag", "env"])
def test_turned_off_records_nothing(monkeypatch, db, how):
    monkeypatch.setenv("CSDS_BOT_DB", str(db))
    monkeypatch.setenv("CSDS_BOT_NO_LOG", "1" if how == "env" else "")
    log = InteractionLog.from_env(no_log=(how == "flag"))
    assert not log.enabled
    assert log.record_question("cli", "U1", ANSWERED) is None
    log.record_feedback(None, "q", "U1", False)
    assert not db.exists()
    assert log.unanswered() == []


def _wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


def test_a_locked_database_costs_at_most_a_moment_and_a_warning_and_loses_nothing(db, caplog):
    log = InteractionLog(db)
    log.record_question("cli", None, ANSWERED)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        assert log.record_question("slack", "U1", DECLINED) is None
        log.record_feedback(1, "q", "U1", True)
        assert log.record_question("slack", "U2", DECLINED) is None  # fails at once: no second wait
        # Generous for a loaded machine, yet far under the 15 s that sqlite3's default 5 s busy wait would take.
        assert time.monotonic() - started < 5
        assert log.status().kept_in_memory == 3 and not log.status().ok
        assert log.status().reason == "database is locked"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"interaction log {db}: could not record the question (database is locked); answered anyway, and keeping it "
        "in memory (up to 10000 rows) to write when the database is back. Set CSDS_BOT_DB to a writable database, "
        "or CSDS_BOT_NO_LOG=1 to turn logging off"]
    # Unlocked: the kept rows are written in the background, with the user hashed as usual.
    _wait_for(lambda: len(_rows(db, "SELECT id FROM questions")) == 3)
    _wait_for(lambda: log.status().kept_in_memory == 0)
    assert [q.question for q in log.unanswered()] == [DECLINED.question] * 2
    assert [(f.question, f.helpful) for f in log.feedback()] == [("q", True)]
    assert log.questions()[1].user_hash == log.user_hash("U1")
    assert log.record_question("slack", "U1", ANSWERED) == 4


def test_rows_kept_when_the_process_ends_are_written_on_close_if_they_can_be(db, caplog):
    log = InteractionLog(db)
    log.record_question("cli", None, ANSWERED)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    log.record_question("cli", None, DECLINED)
    blocker.execute("ROLLBACK")
    log.close()  # before the background flush had its turn
    assert len(_rows(db, "SELECT id FROM questions")) == 2
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        log.record_question("cli", None, DECLINED)
        log.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert caplog.records[-1].getMessage() == (
        f"interaction log {db}: 1 rows could not be written (database is locked) and are lost with this process; "
        "the answers were given without logging them")


def test_an_unwritable_path_is_a_warning_not_a_failure(tmp_path, caplog):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    log = InteractionLog(not_a_dir / "interactions.db")
    assert log.record_question("cli", None, ANSWERED) is None
    assert "could not record the question" in caplog.text
    log.close()
    assert "1 rows could not be written" in caplog.text  # and says so, rather than losing it quietly


# -- the CLI -----------------------------------------------------------------------------------


def test_ask_logs_as_cli_and_no_log_turns_it_off(tmp_path, db):
    proc = run("ask", "how long does approval take", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert proc.returncode == 0 and "30 working days" in proc.stdout
    assert _rows(db, "SELECT channel, question, answered FROM questions") == [("cli", "how long does approval take", 1)]
    run("ask", "--no-log", "where can I park", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    run("ask", "where can I park", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="1")
    assert len(_rows(db, "SELECT id FROM questions")) == 1


def test_ask_answers_even_when_the_log_is_locked(tmp_path, db):
    InteractionLog(db).record_question("cli", None, ANSWERED)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        proc = run("ask", "how long does approval take", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert proc.returncode == 0
    assert proc.stdout.startswith("The application process is expected to take approximately 30 working days.")
    assert "could not record the question (database is locked); answered anyway" in proc.stderr
    assert "1 rows could not be written (database is locked) and are lost with this process" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_chat_logs_as_console_with_ratings(tmp_path, db):
    proc = run("chat", input="/good\nhow long does approval take\n/bad\nwhere can I park my bike\n",
               cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert proc.returncode == 0, proc.stderr
    assert "Ask a question first, then rate its answer." in proc.stdout
    assert "Thanks, noted." in proc.stdout
    assert _rows(db, "SELECT channel, question, answered FROM questions ORDER BY id") == [
        ("console", "how long does approval take", 1), ("console", "where can I park my bike", 0)]
    assert _rows(db, "SELECT question_id, question, helpful FROM feedback") == [(1, "how long does approval take", 0)]
    run("chat", "--no-log", input="how much does it cost\n", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert len(_rows(db, "SELECT id FROM questions")) == 2


def test_prune_now(db):
    log = InteractionLog(db, retention_days=1)
    log.record_question("cli", None, ANSWERED)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE questions SET time = '2020-01-01T00:00:00Z'")
    assert log.prune() == 1
    assert InteractionLog(None).prune() == 0

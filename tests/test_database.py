"""The bot's database on both engines: schema and migration, file mode, state shared between
processes (event ids, thread history), retention pruning by several replicas, and a database
that is down or comes back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from bot.errors import BotError
from bot.model import Answer
from bot.conversation import MemoryHistory
from bot.slack.memory import SeenEvents
from bot.store import database as db
from bot.store.database import Database
from bot.store.interactions import InteractionLog, iso
from bot.store.shared import SharedHistory, SharedSeenEvents

ANSWERED = Answer("how long does approval take", True, "About 30 working days.", 0.91)
DECLINED = Answer("can I park at the office", False, "Sorry, ...", 0.12)
V1 = Path(__file__).parent / "fixtures" / "interactions_v1.py"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    """A database of each engine, empty."""
    if request.param == "sqlite":
        return str(tmp_path / "state" / "bot.db")
    return request.getfixturevalue("fresh_pg_url")


def _wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


def _version(database: Database) -> int:
    return database.run(lambda conn: conn.execute(sa.select(db.schema_version.c.version)).scalar_one())


# -- schema ---------------------------------------------------------------------------------------

def test_the_sqlite_file_is_created_readable_by_its_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        log = InteractionLog(tmp_path / "new" / "interactions.db")
        log.record_question("cli", None, ANSWERED)
    finally:
        os.umask(old)
    assert (tmp_path / "new" / "interactions.db").stat().st_mode & 0o777 == 0o600


def test_the_schema_is_made_on_first_use_with_its_version(target):
    log = InteractionLog(target)
    assert log.record_question("slack", "U1", ANSWERED) == 1
    assert _version(log.database) == db.SCHEMA_VERSION
    log.close()
    again = InteractionLog(target)  # a second opening changes nothing
    assert again.record_question("slack", "U1", ANSWERED) == 2
    assert len({q.user_hash for q in again.questions()}) == 1  # the salt was kept


def _start_together(replicas: list[Database]) -> list:
    """Each replica's first ping, all let go at the same moment."""
    gate = threading.Barrier(len(replicas))
    statuses = []

    def start(database):
        gate.wait()
        statuses.append(database.ping())

    threads = [threading.Thread(target=start, args=(d,)) for d in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_sqlite_replicas_opening_a_new_file_together_all_open(tmp_path):
    # While one connection switches a new file to WAL, SQLite refuses another at once, without
    # its busy handler: about one start in fifty of four replicas failed so before the bot waited
    # itself. A hundred starts (about 3 s) would have caught it with odds of about 7 in 8.
    for n in range(100):
        replicas = [Database(str(tmp_path / f"bot-{n}.db")) for _ in range(4)]
        statuses = _start_together(replicas)
        for d in replicas:
            d.close()
        assert all(s.ok for s in statuses), (n, [s.reason for s in statuses if not s.ok])


def test_replicas_starting_together_make_the_schema_once(target):
    replicas = [Database(target) for _ in range(4)]
    statuses = _start_together(replicas)
    assert all(s.ok for s in statuses), [s.reason for s in statuses if not s.ok]
    assert len({d.salt for d in replicas}) == 1  # one salt, so user hashes agree across replicas
    rows = replicas[0].run(lambda conn: conn.execute(sa.select(db.schema_version.c.version)).scalars().all())
    assert rows == [db.SCHEMA_VERSION]


def test_a_log_written_before_schema_versions_is_migrated_in_place(tmp_path):
    spec = importlib.util.spec_from_file_location("interactions_v1", V1)
    v1 = importlib.util.module_from_spec(spec)
    sys.modules["interactions_v1"] = v1  # dataclasses look their module up there
    try:
        spec.loader.exec_module(v1)
    finally:
        del sys.modules["interactions_v1"]
    path = tmp_path / "interactions.db"
    old = v1.InteractionLog(path)
    qid = old.record_question("slack", "U1", ANSWERED)
    old.record_question("cli", None, DECLINED)
    old.record_feedback(qid, ANSWERED.question, "U2", False)
    old_hash = old.user_hash("U1")
    old.close()

    log = InteractionLog(path)
    assert [(q.id, q.question, q.answered) for q in log.questions()] == [
        (1, ANSWERED.question, True), (2, DECLINED.question, False)]
    [rating] = log.unhelpful()
    assert (rating.question_id, rating.question) == (1, ANSWERED.question)
    assert log.record_question("slack", "U1", ANSWERED) == 3
    assert log.questions()[-1].user_hash == old_hash  # the same salt: counts of askers still add up
    assert _version(log.database) == 2
    seen = SharedSeenEvents(log.database, SeenEvents())
    assert seen.first_time("Ev1") and not SharedSeenEvents(log.database, SeenEvents()).first_time("Ev1")


def test_a_database_from_a_newer_bot_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "bot.db"
    InteractionLog(path).record_question("cli", None, ANSWERED)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(BotError, match=r"written by a newer csds-bot \(schema 99, this one knows 2\); upgrade"):
        InteractionLog(path).questions()


@pytest.mark.parametrize("url", ["postgresql://host:notaport/db", "postgres://[::1/db"])
def test_a_malformed_url_names_the_form_wanted(url):
    with pytest.raises(BotError, match=r"CSDS_BOT_DB is not a usable URL; write it as postgresql://USER@HOST:PORT/DATABASE"):
        Database(url)


def test_url_forms_and_where_hides_the_password():
    database = Database("postgres://bot:s3cret@db.example:5433/csds")
    assert database.backend == "postgresql" and database.path is None
    assert database.where == "postgresql://bot:***@db.example:5433/csds"
    assert Database("/var/lib/csds-bot/bot.db").backend == "sqlite"


# -- shared state ---------------------------------------------------------------------------------

def test_an_event_is_taken_once_across_processes_even_when_deliveries_race(target):
    replicas = [Database(target) for _ in range(2)]
    replicas[0].ping()  # the schema exists before the race (replicas start before Slack sends)
    seen = [SharedSeenEvents(replica, SeenEvents()) for replica in replicas]
    results = []
    gate = threading.Barrier(16)

    def deliver(n):
        gate.wait()
        results.append(seen[n % 2].first_time("EvRace"))

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert seen[1].first_time("EvOther") and not seen[0].first_time("EvOther")


def test_thread_history_is_shared_bounded_and_keyed_by_a_hash(target):
    a, b = Database(target), Database(target)
    on_a, on_b = SharedHistory(a, MemoryHistory(), per_thread=3), SharedHistory(b, MemoryHistory(), per_thread=3)
    for n in range(5):
        on_a.add(("C0001", "1700.0001"), f"question {n}")
    on_a.add(("C0001", "1800.0001"), "x" * 5000)
    assert on_b.get(("C0001", "1700.0001")) == ("question 2", "question 3", "question 4")
    assert on_b.get(("C0001", "1800.0001")) == ("x" * 1000,)
    assert on_b.get("never asked") == ()
    rows = a.run(lambda conn: conn.execute(sa.select(db.thread_history.c.thread)).scalars().all())
    assert len(rows) == 4 and not any("C0001" in r for r in rows)


def test_pruning_deletes_old_rows_of_every_table_and_repeats_harmlessly(target):
    log = InteractionLog(target, retention_days=30)
    SharedSeenEvents(log.database, SeenEvents()).first_time("EvOld")
    SharedHistory(log.database, MemoryHistory()).add("thread", "old question")
    qid = log.record_question("slack", "U1", ANSWERED)
    log.record_feedback(qid, ANSWERED.question, "U1", True)
    old = iso(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=31))

    def age(conn):
        for table in (db.questions, db.feedback, db.seen_events, db.thread_history):
            conn.execute(table.update().values(time=old))

    log.database.run(age)
    log.record_question("slack", "U1", DECLINED)  # recent: stays
    assert log.prune() == 4
    assert log.prune() == 0
    other = InteractionLog(target, retention_days=30)  # another replica, pruning the same rows
    assert other.prune() == 0
    assert [q.question for q in log.questions()] == [DECLINED.question]


def test_on_postgresql_one_replica_prunes_at_a_time(fresh_pg_url, pg_server):
    log = InteractionLog(fresh_pg_url, retention_days=1)
    log.record_question("slack", "U1", ANSWERED)
    log.database.run(lambda conn: conn.execute(db.questions.update().values(time="2020-01-01T00:00:00Z")))
    with psycopg.connect(fresh_pg_url) as holder:  # another replica, mid-prune
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(7215302)")
        assert log.prune() == 0  # skipped, not waited for
        holder.execute("ROLLBACK")
    assert log.prune() == 1


# -- a database that is down ----------------------------------------------------------------------

def test_postgresql_down_answers_go_on_and_readiness_says_why(caplog):
    log = InteractionLog("postgresql://nobody@127.0.0.1:9/none")  # port 9: nothing listens
    tries = []
    make_engine = log.database._make_engine
    log.database._make_engine = lambda: tries.append(1) or make_engine()
    for _ in range(20):
        assert log.record_question("slack", "U1", ANSWERED) is None
    history = SharedHistory(log.database, MemoryHistory())
    history.add("thread", "what is IGARD?")
    assert history.get("thread") == ("what is IGARD?",)  # from this replica's memory
    assert SharedSeenEvents(log.database, SeenEvents()).first_time("Ev1")
    assert len(tries) == 1  # refused once, then left alone for RETRY_SECONDS: nobody waits on it again
    status = log.status()
    assert not status.ok and status.backend == "postgresql" and "Connection refused" in status.reason
    assert status.kept_in_memory == 20
    assert sum("could not record the question" in r.getMessage() for r in caplog.records) == 1  # once, not 20 times
    # status() never waits for the database, even while another thread is stuck connecting to it.
    answered = []
    log.database._status = dataclasses.replace(log.database._status, checked_at=1.0)  # stale: status() pings
    with log.database._open_lock:
        asker = threading.Thread(target=lambda: answered.append(log.status()))
        asker.start()
        asker.join(timeout=30)
        assert answered and not answered[0].ok
    log._closing.set()  # nothing will come back here: do not try again on close
    log._kept.clear()


def test_rows_kept_while_postgresql_is_down_are_written_when_it_is_back(pg_server, caplog):
    conn, user = pg_server
    name = f"csds_bot_test_late_{os.getpid()}_{time.monotonic_ns()}"
    url = f"postgresql://{user}@127.0.0.1:5432/{name}"
    log = InteractionLog(url)
    try:
        assert log.record_question("slack", "U1", DECLINED) is None  # the database does not exist yet
        log.record_feedback(None, DECLINED.question, "U2", False)
        assert f'database "{name}" does not exist' in log.status().reason
        conn.execute(f'CREATE DATABASE "{name}"')  # the database is back
        _wait_for(lambda: log.status().kept_in_memory == 0)
        assert [q.question for q in log.unanswered()] == [DECLINED.question]
        assert [f.question for f in log.unhelpful()] == [DECLINED.question]
        assert log.questions()[0].user_hash == log.user_hash("U1")
        assert "the database is back; wrote the 2 rows kept in memory" in caplog.text
        _wait_for(lambda: log.status().ok)
    finally:
        log.close()
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_ping_reports_a_reachable_database(target):
    status = Database(target).ping()
    assert status.ok and status.reason == "" and status.checked_at > 0


def test_the_cli_logs_to_postgresql_given_a_url(fresh_pg_url, run_cli):
    proc = run_cli("ask", "how long does approval take", env={"CSDS_BOT_DB": fresh_pg_url, "CSDS_BOT_NO_LOG": ""})
    assert proc.returncode == 0 and "30 working days" in proc.stdout_text
    assert [(q.channel, q.question) for q in InteractionLog(fresh_pg_url).questions()] == [
        ("cli", "how long does approval take")]


def test_a_malformed_url_stops_the_cli_with_one_line(run_cli):
    proc = run_cli("ask", "what is igard", env={"CSDS_BOT_DB": "postgresql://host:port/db", "CSDS_BOT_NO_LOG": ""})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr_text
    assert proc.stderr_text.strip() == ("Error: CSDS_BOT_DB is not a usable URL; write it as "
                                        "postgresql://USER@HOST:PORT/DATABASE (or give a file path for SQLite)")


# -- knowledge changes between replicas -----------------------------------------------------------

def test_an_faq_saved_by_one_replica_reloads_another_at_once_through_notify(fresh_pg_url, knowledge_copy):
    from bot.answering.live import LiveEngine
    from bot.admin.faq_store import add_entry
    from bot.store.notify import KnowledgeChanges

    engine = LiveEngine(knowledge_copy, poll_seconds=0)  # no polling: only the notification can reload it
    listener = KnowledgeChanges(Database(fresh_pg_url))
    saver = KnowledgeChanges(Database(fresh_pg_url))
    try:
        listener.follow(engine.reload_now)
        assert listener.listening.wait(30)
        question = "Can I bring my own laptop to the DARS office?"
        assert not engine.ask(question).answered
        add_entry(knowledge_copy, question, "Yes, visitors may bring a laptop.")
        saver.announce()
        _wait_for(lambda: engine.ask(question).answered)
        assert "visitors may bring a laptop" in engine.ask(question).text
    finally:
        listener.close()
        engine.close()


def test_on_sqlite_there_is_no_one_to_notify(tmp_path):
    from bot.store.notify import KnowledgeChanges

    changes = KnowledgeChanges(Database(tmp_path / "bot.db"))
    changes.follow(lambda: None)
    changes.announce()
    assert not changes.shared and changes._thread is None and not (tmp_path / "bot.db").exists()

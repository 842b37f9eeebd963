"""`csds-bot report` on a realistic log, and `faq add --from-report` closing the loop."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from bot.admin.report import build_report, collect_gaps, parse_since
from bot.answering.engine import Engine
from bot.knowledge import load_knowledge
from bot.store.interactions import InteractionLog
from fixtures.cli import KNOWLEDGE, copy_knowledge, run
from fixtures.interaction_log import write_log

ETHICS_ANSWER = ("The CSDS data access guidance does not cover ethics approval. Ask the NHS Digital team on "
                 "0300 303 5678 or enquiries@nhsdigital.nhs.uk whether your project needs it.")


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A log of a few hundred questions (written once for the module; the tests only read it)."""
    db = tmp_path_factory.mktemp("log") / "interactions.db"
    rows = write_log(db, KNOWLEDGE)
    return db, rows


@pytest.fixture
def groups(logged):
    db, _ = logged
    return build_report(collect_gaps(InteractionLog(db)), load_knowledge(KNOWLEDGE))


def _topic_of(rows):
    return {r["question"]: r["topic"] for r in rows}


def test_fixture_is_a_realistic_log(logged):
    db, rows = logged
    assert 300 <= len(rows) <= 500
    topics = Counter(r["topic"] for r in rows)
    assert topics["covered"] > len(rows) / 2
    assert sum(r["answered"] for r in rows if r["topic"] == "covered") > 0.8 * topics["covered"]


def test_groups_are_the_gaps_a_maintainer_would_act_on(logged, groups):
    _, rows = logged
    topic = _topic_of(rows)
    gaps = collect_gaps(InteractionLog(logged[0]))
    assert len(gaps) >= 100
    # Far fewer rows than questions, and biggest first.
    assert len(groups) <= len(gaps) / 4
    assert [g.still_open for g in groups] == sorted((g.still_open for g in groups), reverse=True)
    # Forty-odd ways of asking about ethics approval are one row, at the top.
    first = groups[0]
    members = [first.question, *first.alternates]
    assert Counter(topic[m] for m in members).most_common(1)[0][0] == "ethics"
    ethics_rows = sum(1 for r in rows if r["topic"] == "ethics")
    assert first.count >= 0.9 * ethics_rows
    assert first.askers >= 20 and first.unanswered >= 30
    # The top five groups are all real gaps; nonsense never joins a gap's group.
    for group in groups[:5]:
        kinds = {topic[m] for m in (group.question, *group.alternates)}
        assert "noise" not in kinds and "covered" not in kinds, (group.question, kinds)
    for group in groups:
        kinds = {topic[m] for m in (group.question, *group.alternates)}
        assert not ("noise" in kinds and len(kinds) > 1), group
    # Each group names the closest entry, so the maintainer can extend it rather than add one.
    assert all(g.closest_id for g in groups[:5])


def test_cli_report_text_and_json(logged, tmp_path):
    db, _ = logged
    proc = run("report", "--limit", "3", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("groups, most asked first:")
    assert re.match(r"^  1\. \[[0-9a-f]{6}\] “", lines[2]), lines[2]
    assert " times by " in lines[3] and "unanswered" in lines[3] and "👎" in lines[3]
    assert lines[4].startswith("     also: ")
    assert lines[5].startswith("     closest entry: ")
    assert lines[-1] == "Turn a group into an entry: csds-bot faq add --from-report ID (the id in brackets)"
    data = json.loads(run("report", "--json", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="").stdout)
    assert data["groups"][0]["group"] == 1
    assert lines[2].startswith(f"  1. [{data['groups'][0]['id']}] ")
    assert set(data["groups"][0]) == {"group", "id", "question", "alternates", "count", "askers", "unanswered", "unhelpful",
                                      "first_seen", "last_seen", "still_open", "closest_entry"}


def test_since_limits_the_report(logged, tmp_path):
    db, _ = logged
    everything = json.loads(run("report", "--json", "--limit", "0", cwd=tmp_path, CSDS_BOT_DB=str(db),
                                CSDS_BOT_NO_LOG="").stdout)
    recent = json.loads(run("report", "--json", "--limit", "0", "--since", "7d", cwd=tmp_path, CSDS_BOT_DB=str(db),
                            CSDS_BOT_NO_LOG="").stdout)
    total = sum(g["count"] for g in everything["groups"])
    assert 0 < sum(g["count"] for g in recent["groups"]) < total / 3
    cutoff = parse_since("7d").strftime("%Y-%m-%dT%H:%M:%SZ")
    assert all(g["first_seen"] >= cutoff for g in recent["groups"])


@pytest.mark.parametrize("args, message", [
    (["--since", "last tuesday"], "Error: --since 'last tuesday' is not a time; use e.g. 7d, 2w, 12h or a date like 2026-11-01\n"),
])
def test_bad_since(tmp_path, args, message):
    proc = run("report", *args, cwd=tmp_path, CSDS_BOT_DB=str(tmp_path / "x.db"), CSDS_BOT_NO_LOG="")
    assert (proc.returncode, proc.stderr) == (1, message)


def test_empty_and_disabled_logs(tmp_path):
    proc = run("report", cwd=tmp_path, CSDS_BOT_DB=str(tmp_path / "none.db"), CSDS_BOT_NO_LOG="")
    assert (proc.returncode, proc.stdout) == (0, "No unanswered or 👎-rated questions. Nothing to add.\n")


def test_report_reads_the_log_when_logging_is_off(logged, tmp_path):
    """CSDS_BOT_NO_LOG stops the bot writing questions; the report only reads, so it still runs."""
    db, _ = logged
    on = run("report", "--json", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    off = run("report", "--json", cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="1")
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout) == json.loads(on.stdout) and json.loads(off.stdout)["groups"]


def test_from_report_makes_an_entry_that_answers_every_wording(logged, tmp_path):
    db, _ = logged
    folder = copy_knowledge(tmp_path)
    group = build_report(collect_gaps(InteractionLog(db)), load_knowledge(folder))[0]
    proc = run("faq", "add", "--from-report", group.id, "--answer", ETHICS_ANSWER, "--id", "ethics-approval", "--force",
               "--knowledge", str(folder), cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"From report group {group.id}: {group.count} questions, {len(group.alternates) + 1} wordings.")
    assert "Added `ethics-approval` to knowledge/faq/added.yaml:4." in proc.stdout
    engine = Engine.from_folder(folder)
    entry = next(e for e in engine.knowledge.faqs if e.id == "ethics-approval")
    assert (entry.question, entry.alternates) == (group.question, group.alternates)
    # Grouping is by words: a stray of another topic may sit in the group ("when will the data
    # arrive after approval"), and is rightly not answered with ethics. Every ethics wording is.
    topic = _topic_of(logged[1])
    ethics = [w for w in (group.question, *group.alternates) if topic[w] == "ethics"]
    assert len(ethics) >= 0.9 * (len(group.alternates) + 1)
    for wording in ethics:
        answer = engine.ask(wording)
        assert answer.answered and answer.top.id == "ethics-approval", wording
    # The gap is closed: the report no longer shows it.
    after = build_report(collect_gaps(InteractionLog(db)), load_knowledge(folder))
    assert group.question not in {g.question for g in after}
    # A group is named by its commonest wording still open, so none is named by an ethics one now;
    # and the open gaps fall by the group's, less its strays (at most a tenth, as above). (Group
    # counts are no measure: the new entry's words shift the clustering's term weights, so other
    # gaps may regroup.)
    assert not [g.question for g in after if g.question in ethics]
    before = build_report(collect_gaps(InteractionLog(db)), load_knowledge(KNOWLEDGE))
    assert sum(g.still_open for g in after) < sum(g.still_open for g in before) - 0.9 * group.still_open


def test_from_report_with_a_missing_group(logged, tmp_path):
    db, _ = logged
    folder = copy_knowledge(tmp_path)
    proc = run("faq", "add", "--from-report", "abc123", "--answer", "x", "--knowledge", str(folder), cwd=tmp_path,
               CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: the report has no group abc123 (it has ")
    assert proc.stderr.endswith("); it may have been added already: run `csds-bot report` to see the current ids\n")
    first = build_report(collect_gaps(InteractionLog(db)), load_knowledge(folder))[0]
    proc = run("faq", "add", "--from-report", "2", "--answer", "x", "--knowledge", str(folder), cwd=tmp_path,
               CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert (proc.returncode, proc.stderr) == (
        1, "Error: --from-report takes a group's id, not its number; run `csds-bot report` and give the id in "
           f"brackets (the first is {first.id})\n")


def test_working_down_the_report_by_id_adds_the_group_shown(logged, tmp_path):
    """Adding the first group drops it from the report and renumbers the rest; an id taken from the
    report before that still adds the group it named."""
    db, _ = logged
    folder = copy_knowledge(tmp_path)
    shown = json.loads(run("report", "--json", "--knowledge", str(folder), cwd=tmp_path, CSDS_BOT_DB=str(db)).stdout)
    first, second = shown["groups"][0], shown["groups"][1]
    added = run("faq", "add", "--from-report", first["id"], "--answer", ETHICS_ANSWER, "--force",
                "--knowledge", str(folder), cwd=tmp_path, CSDS_BOT_DB=str(db))
    assert added.returncode == 0, added.stderr
    after = json.loads(run("report", "--json", "--knowledge", str(folder), cwd=tmp_path, CSDS_BOT_DB=str(db)).stdout)
    assert first["id"] not in {g["id"] for g in after["groups"]}
    assert after["groups"][0]["id"] == second["id"]  # now number 1: a number would name another group
    proc = run("faq", "add", "--from-report", second["id"], "--answer", "Ask the NHS Digital team.", "--force",
               "--id", "second-gap", "--knowledge", str(folder), cwd=tmp_path, CSDS_BOT_DB=str(db))
    assert proc.returncode == 0, proc.stderr
    entry = next(e for e in load_knowledge(folder).faqs if e.id == "second-gap")
    assert entry.question == second["question"]


def test_a_declined_question_rated_down_counts_once(tmp_path):
    from bot.model import Answer

    log = InteractionLog(tmp_path / "log.db")
    declined = log.record_question("slack", "U1", Answer("do we need ethics approval", False, "Sorry", 0.1))
    log.record_feedback(declined, "do we need ethics approval", "U1", False)
    answered = log.record_question("slack", "U2", Answer("when does the data arrive", True, "x", 0.9))
    log.record_feedback(answered, "when does the data arrive", "U2", False)
    log.record_feedback(answered, "when does the data arrive", "U3", False)  # a second 👎 on the same answer
    log.close()
    gaps = collect_gaps(InteractionLog(tmp_path / "log.db"))
    assert sorted((g.question, g.reason, g.rated_down) for g in gaps) == [
        ("do we need ethics approval", "unanswered", True), ("when does the data arrive", "unhelpful", True)]
    proc = run("report", "--all", cwd=tmp_path, CSDS_BOT_DB=str(tmp_path / "log.db"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "2 unanswered or 👎-rated questions in 2 groups, most asked first:"
    assert "     once by 1 person (1 unanswered, 1 👎), last " in proc.stdout



def test_report_help(tmp_path):
    proc = run("report", "--help", cwd=tmp_path)
    assert proc.returncode == 0 and "--since" in proc.stdout and "--json" in proc.stdout


def test_large_logs_fall_back_to_leader_clustering(logged, monkeypatch):
    """Past EXACT_LIMIT distinct wordings the report clusters in one pass; the top gap still leads."""
    import bot.admin.report as report

    db, rows = logged
    monkeypatch.setattr(report, "EXACT_LIMIT", 0)
    groups = build_report(collect_gaps(InteractionLog(db)), load_knowledge(KNOWLEDGE))
    topic = _topic_of(rows)
    first = groups[0]
    assert Counter(topic[m] for m in (first.question, *first.alternates)).most_common(1)[0][0] == "ethics"
    assert first.count >= 0.6 * sum(1 for r in rows if r["topic"] == "ethics")


def test_from_report_leaves_out_what_an_entry_cannot_take(tmp_path):
    from bot.model import Answer

    db = tmp_path / "log.db"
    log = InteractionLog(db)
    asked = [f"do we need ethics approval for project {n}" for n in range(1, 56)]
    asked.append("do we need ethics approval for project " + "very " * 40 + "big")
    for question in ["do we need ethics approval"] * 3 + asked:
        log.record_question("slack", "U1", Answer(question, False, "Sorry", 0.1))
    log.close()
    folder = copy_knowledge(tmp_path)
    from bot.admin.report import group_id

    proc = run("faq", "add", "--from-report", group_id("do we need ethics approval"), "--answer", ETHICS_ANSWER,
               "--force", "--knowledge", str(folder), cwd=tmp_path, CSDS_BOT_DB=str(db), CSDS_BOT_NO_LOG="")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:2] == [f"From report group {group_id('do we need ethics approval')}: 59 questions, 57 wordings.", "Question:   do we need ethics approval"]
    assert sum(line.startswith("Alternate:  ") for line in lines) == 50
    assert "(6 rarer or overlong wordings left out: an entry takes at most 50 alternates of at most 200 characters.)" in lines
    entry = next(e for e in load_knowledge(folder).faqs if e.question == "do we need ethics approval")
    assert len(entry.alternates) == 50 and all(len(a) <= 200 for a in entry.alternates)

"""The FAQ store: appends and removals that keep every other byte, locking, and crash safety."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bot.admin import faq_store
from bot.admin.safefile import LOCK_NAME, PAUSE_ENV
from bot.errors import InputError, KnowledgeError, NearDuplicate
from bot.knowledge.loader import fingerprint, load_knowledge, parse_faq_file
from fixtures.cli import command, copy_knowledge, env, run

RETENTION_Q = "How long can we keep CSDS data after our project ends?"
RETENTION_A = ("Only as long as your Data Sharing Agreement allows; then destroy it and confirm the "
               "destruction to NHS Digital.")


@pytest.fixture
def folder(tmp_path) -> Path:
    return copy_knowledge(tmp_path)


def test_add_creates_added_yaml_with_header_and_the_entry(folder):
    entry = faq_store.add_entry(folder, RETENTION_Q, RETENTION_A, ["data retention period"], "Accessing CSDS data")
    text = (folder / "faq" / "added.yaml").read_text()
    assert text.startswith(faq_store.HEADER)
    assert entry.id == "long-keep-csds-data"
    assert (entry.question, entry.answer, entry.alternates, entry.source) == (
        RETENTION_Q, RETENTION_A, ("data retention period",), "Accessing CSDS data")
    assert entry.path == str(folder / "faq" / "added.yaml") and entry.line == 4
    assert entry in load_knowledge(folder).faqs


def test_add_appends_and_keeps_every_existing_byte(folder):
    target = folder / "faq" / "added.yaml"
    hand_written = ("# Our team's own entries.   Odd spacing and 'quotes' stay.\n\n"
                    "- id: team-contact\n  question: 'Who runs our DARS applications?'\n"
                    "  answer: \"Priya, in the analytics team.\"   # ask her first\n")  # no final blank line
    target.write_text(hand_written)
    faq_store.add_entry(folder, RETENTION_Q, RETENTION_A)
    faq_store.add_entry(folder, "Can we link CSDS to Hospital Episode Statistics?", "Only if your DSA covers linkage.")
    text = target.read_text()
    assert text.startswith(hand_written)
    assert [e.id for e in parse_faq_file(target)] == [
        "team-contact", "long-keep-csds-data", "link-csds-hospital-episode"]


def test_awkward_text_round_trips_exactly(folder):
    question = 'What does "# of records: 5" mean in a DARS form — and why?'
    answer = "It's the count: - not a list, # not a comment, {not: flow}, & not an anchor. " * 3
    entry = faq_store.add_entry(folder, question, answer, ["- dash first", "yes", "null", "'quoted'"])
    assert entry.question == question
    assert entry.answer == answer.strip()
    assert entry.alternates == ("- dash first", "yes", "null", "'quoted'")


def test_given_id_and_unique_ids(folder):
    first = faq_store.add_entry(folder, "Can we share CSDS data with our partners?", "Only as your DSA allows.", entry_id="sharing")
    assert first.id == "sharing"
    with pytest.raises(InputError) as exc:
        faq_store.add_entry(folder, "Something else entirely about parking?", "No.", entry_id="sharing")
    assert str(exc.value) == (f"id `sharing` is already used at {folder}/faq/added.yaml:4; "
                              "choose another --id or leave it out to get one")


def test_generated_ids_are_short_slugs_unique_within_the_folder(folder):
    first = faq_store.add_entry(folder, "What is the cost of a new CSDS application for our trust?", "Around £1,000.",
                                source="Cost of access")
    second = faq_store.add_entry(folder, "Cost of new CSDS application, in our region?", "The same everywhere.",
                                 force=True)
    assert (first.id, second.id) == ("cost-new-csds-application", "cost-new-csds-application-2")


@pytest.mark.parametrize("kwargs, message", [
    ({"question": "  "}, "the question is empty; write the question as plain text"),
    ({"answer": ""}, "the answer is empty; write the answer as plain text"),
    ({"answer": "x" * 601}, "the answer is 601 characters long; shorten it to at most 600"),
    ({"question": "q" * 201}, "the question is 201 characters long; shorten it to at most 200"),
    ({"question": "bell\x07?"}, "the question contains control characters; write it as plain text"),
    ({"entry_id": "Not An Id"}, "id 'Not An Id' is not usable; use lower-case letters, digits and dashes, "
                                "like 'long-keep-csds-data', or leave it out to get one"),
])
def test_bad_input_is_refused_with_the_fix(folder, kwargs, message):
    args = {"question": RETENTION_Q, "answer": RETENTION_A, **kwargs}
    with pytest.raises(InputError) as exc:
        faq_store.add_entry(folder, **args)
    assert str(exc.value) == message
    assert not (folder / "faq" / "added.yaml").exists()


def test_near_duplicate_is_refused_with_matches_unless_forced(folder):
    with pytest.raises(NearDuplicate) as exc:
        faq_store.add_entry(folder, "How long does DARS approval take?", "About 30 working days.")
    assert [m.id for m in exc.value.matches] == ["approval-time"]
    assert exc.value.matches[0].similarity >= 0.8
    assert str(exc.value) == ("the question is close to 1 existing entry (approval-time); add your wording as an "
                              "alternate there, reword it, or pass --force to add it anyway")
    forced = faq_store.add_entry(folder, "How long does DARS approval take?", "About 30 working days.", force=True)
    assert forced.id == "long-dars-approval-take"


def test_near_duplicates_finds_the_entry_the_bot_already_answers_with(folder):
    knowledge = load_knowledge(folder)
    # Few words in common, but the bot answers it confidently from cost-how-much.
    assert [m.id for m in faq_store.near_duplicates(knowledge, "how much does it cost to get csds data")] == ["cost-how-much"]
    assert faq_store.near_duplicates(knowledge, RETENTION_Q) == []


def test_remove_cuts_exactly_the_entry_lines(folder):
    path = folder / "faq" / "costs.yaml"
    before = path.read_text().splitlines(keepends=True)
    entries = parse_faq_file(path)
    second, third = entries[1], entries[2]
    removed = faq_store.remove_entry(folder, second.id)
    assert removed.id == second.id
    # The entry's lines and the blank line after it go; the header comment and the others stay.
    expected = before[: second.line - 1] + before[third.line - 1:]
    assert path.read_text() == "".join(expected)
    assert [e.id for e in parse_faq_file(path)] == [e.id for e in entries if e.id != second.id]


def test_remove_keeps_the_comment_that_introduces_the_next_entry(folder):
    path = folder / "faq" / "added.yaml"
    path.write_text("# header\n\n- id: a\n  question: Aa?\n  answer: A.\n\n# About b:\n- id: b\n  question: Bb?\n  answer: B.\n")
    faq_store.remove_entry(folder, "a")
    assert path.read_text() == "# header\n\n# About b:\n- id: b\n  question: Bb?\n  answer: B.\n"
    faq_store.remove_entry(folder, "b")
    assert path.read_text() == "# header\n\n# About b:\n"


def test_remove_unknown_id(folder):
    with pytest.raises(InputError) as exc:
        faq_store.remove_entry(folder, "no-such-entry")
    assert str(exc.value) == "no FAQ entry has the id `no-such-entry`; run `csds-bot faq list` to see the ids"


def test_a_broken_folder_is_not_written_to(folder):
    broken = folder / "faq" / "costs.yaml"
    broken.write_text(broken.read_text() + "\n- question: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"costs\.yaml:\d+: invalid YAML"):
        faq_store.add_entry(folder, RETENTION_Q, RETENTION_A)
    assert not (folder / "faq" / "added.yaml").exists()


def test_list_filters_on_id_and_wordings(folder):
    assert [e.id for e in faq_store.list_entries(folder, "SEFT")] == [
        e.id for e in load_knowledge(folder).faqs if "seft" in " ".join([e.id, e.question, *e.alternates]).lower()]
    assert len(faq_store.list_entries(folder)) == len(load_knowledge(folder).faqs)
    assert faq_store.list_entries(folder, "zebra crossing") == []


def test_twenty_concurrent_faq_add_processes_all_land(folder, tmp_path):
    topics = ["parking", "printing", "lunch", "holidays", "badges", "laptops", "meetings", "wifi", "desks",
              "visitors", "expenses", "training", "pensions", "payroll", "lockers", "bikes", "showers",
              "keys", "post", "plants"]
    started = time.monotonic()
    procs = [subprocess.Popen(command("faq", "add", "--knowledge", str(folder), "--id", f"office-{n:02d}",
                                      "--question", f"Where do I ask about office {topic} for the CSDS team?",
                                      "--answer", f"Ask the office manager about {topic}.", "--force"),
                              cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n, topic in enumerate(topics)]
    results = [p.communicate(timeout=120) for p in procs]
    elapsed = time.monotonic() - started
    assert [p.returncode for p in procs] == [0] * 20, [err for _, err in results if err]
    entries = parse_faq_file(folder / "faq" / "added.yaml")
    assert sorted(e.id for e in entries) == [f"office-{n:02d}" for n in range(20)]
    assert (folder / "faq" / "added.yaml").read_text().count(faq_store.HEADER) == 1
    assert not list((folder / "faq").glob(".tmp-*"))
    print(f"20 concurrent `faq add` processes: {elapsed:.1f}s")


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("action", ["add", "remove"])
def test_a_writer_killed_mid_write_leaves_the_old_file(folder, tmp_path, action):
    target = folder / "faq" / ("added.yaml" if action == "add" else "costs.yaml")
    if action == "add":
        faq_store.add_entry(folder, "Where is the CSDS team based?", "In Leeds.", entry_id="team-base")
        args = ["faq", "add", "--question", RETENTION_Q, "--answer", RETENTION_A]
    else:
        args = ["faq", "remove", "cost-how-much"]
    old = target.read_bytes()
    proc = subprocess.Popen(command(*args, "--knowledge", str(folder)), cwd=tmp_path,
                            env=env(**{PAUSE_ENV: "60"}), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        temps = lambda: list(target.parent.glob(f".tmp-{target.name}.*"))  # noqa: E731
        assert _wait_for(lambda: temps() and temps()[0].stat().st_size > 0), "the writer never started writing"
        assert target.read_bytes() == old  # paused with half the new file in the temp file
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    parse_faq_file(target)  # still a valid file
    load_knowledge(folder)  # the half-written temp file is a dot-file: the loader ignores it
    # The lock died with the process; the next writer gets it at once and clears the leftover.
    entry = faq_store.add_entry(folder, "Who signs off our CSDS outputs?", "Your information governance lead.")
    assert entry.id == "signs-csds-outputs"
    assert not list(target.parent.glob(".tmp-*"))
    assert (folder / LOCK_NAME).exists()


def test_dot_files_in_the_folder_do_not_change_the_knowledge(folder):
    before = fingerprint(folder)
    (folder / "faq" / ".tmp-added.yaml.123").write_text("- question: [broken\n")
    (folder / LOCK_NAME).write_text("")
    assert fingerprint(folder) == before


# -- the CLI -----------------------------------------------------------------------------------


def test_cli_add_prints_id_and_the_new_answer(folder, tmp_path):
    proc = run("faq", "add", "--knowledge", str(folder), "--question", RETENTION_Q, "--answer", RETENTION_A,
               "--alternate", "data retention period", "--alternate", "when do we delete the data", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Added `long-keep-csds-data` to knowledge/faq/added.yaml:4."
    assert lines[1] == f"The bot now answers “{RETENTION_Q}” with:"
    assert lines[2] == f"  {RETENTION_A}"
    assert proc.stderr == ""


def test_cli_add_near_duplicate_shows_matches_and_one_error_line(folder, tmp_path):
    proc = run("faq", "add", "--knowledge", str(folder), "--question", "How long does DARS approval take?",
               "--answer", "About 30 working days.", cwd=tmp_path)
    assert proc.returncode == 1
    err = proc.stderr.splitlines()
    assert err[0] == "Similar questions already in the knowledge base:"
    assert err[1].startswith("  approval-time: How long does a DARS application take to be approved?  (knowledge/faq/dars.yaml:")
    assert err[-1] == ("Error: the question is close to 1 existing entry (approval-time); add your wording as an "
                       "alternate there, reword it, or pass --force to add it anyway")
    assert "Traceback" not in proc.stderr


def test_cli_add_without_question_off_a_terminal(folder, tmp_path):
    proc = run("faq", "add", "--knowledge", str(folder), "--answer", "x", cwd=tmp_path, input="")
    assert (proc.returncode, proc.stderr) == (
        1, "Error: --question missing; pass --question TEXT --answer TEXT, or run it in a terminal to be asked\n")


def test_cli_add_prompts_on_a_terminal(folder, tmp_path):
    import pty

    parent, child = pty.openpty()
    proc = subprocess.Popen(command("faq", "add", "--knowledge", str(folder)), cwd=tmp_path, env=env(),
                            stdin=child, stdout=child, stderr=child)
    os.close(child)
    out = b""

    def read_until(marker: bytes) -> None:
        nonlocal out
        deadline = time.monotonic() + 30
        while marker not in out and time.monotonic() < deadline:
            out += os.read(parent, 4096)

    read_until(b"Question: ")
    os.write(parent, (RETENTION_Q + "\n").encode())
    read_until(b"Answer: ")
    os.write(parent, (RETENTION_A + "\n").encode())
    read_until(b"leave empty): ")
    os.write(parent, b"data retention period; when do we delete the data\n")
    read_until(b"The bot now answers")
    proc.wait(timeout=30)
    os.close(parent)
    assert proc.returncode == 0, out.decode()
    entry = faq_store.get_entry(folder, "long-keep-csds-data")
    assert entry.alternates == ("data retention period", "when do we delete the data")


def test_cli_list_show_remove(folder, tmp_path):
    listed = run("faq", "list", "seft", "--knowledge", str(folder), cwd=tmp_path)
    assert listed.returncode == 0
    assert "glossary-seft  What is SEFT?" in listed.stdout.splitlines()
    shown = run("faq", "show", "glossary-seft", "--knowledge", str(folder), cwd=tmp_path)
    assert shown.stdout.splitlines()[:3] == [
        "id:       glossary-seft", f"file:     knowledge/faq/glossary.yaml:{faq_store.get_entry(folder, 'glossary-seft').line}",
        "question: What is SEFT?"]
    removed = run("faq", "remove", "glossary-seft", "--knowledge", str(folder), cwd=tmp_path)
    assert removed.returncode == 0
    assert removed.stdout.startswith("Removed `glossary-seft` (“What is SEFT?”) from knowledge/faq/glossary.yaml:")
    again = run("faq", "show", "glossary-seft", "--knowledge", str(folder), cwd=tmp_path)
    assert (again.returncode, again.stderr) == (
        1, "Error: no FAQ entry has the id `glossary-seft`; run `csds-bot faq list` to see the ids\n")


def test_cli_uses_the_knowledge_environment_variable(folder, tmp_path):
    proc = run("faq", "add", "--question", RETENTION_Q, "--answer", RETENTION_A, cwd=tmp_path,
               CSDS_BOT_KNOWLEDGE=str(folder))
    assert proc.returncode == 0, proc.stderr
    assert (folder / "faq" / "added.yaml").exists()


@pytest.mark.parametrize("args", [["faq"], ["faq", "add"], ["faq", "list"], ["faq", "show"], ["faq", "remove"]])
def test_cli_help(args, tmp_path):
    proc = run(*args, "--help", cwd=tmp_path)
    assert proc.returncode == 0 and "usage: csds-bot faq" in proc.stdout


def test_cli_errors_for_unusable_folders(folder, tmp_path):
    (folder / "faq" / "added.yaml").mkdir()
    proc = run("faq", "add", "--knowledge", str(folder), "-q", RETENTION_Q, "-a", RETENTION_A, cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (
        2, f"Error: {folder}/faq/added.yaml: cannot be read (Is a directory); make it a readable UTF-8 file\n")
    proc = run("faq", "remove", "x", "--knowledge", "nowhere", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: nowhere: knowledge folder not found; pass --knowledge DIR")
    assert not (tmp_path / "nowhere").exists()  # nothing created on the way to the error


def test_cli_add_says_when_the_bot_does_not_answer_with_the_new_entry(folder, tmp_path):
    proc = run("faq", "add", "--knowledge", str(folder), "--question", "Is there anything else?",
               "--answer", "Ask the NHS Digital team.", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == (
        "Note: that is not the new entry; reword its question or run `csds-bot check` to see why.")


def test_cli_add_on_a_terminal_offers_to_add_a_near_duplicate_anyway(folder, tmp_path):
    import pty

    parent, child = pty.openpty()
    proc = subprocess.Popen(command("faq", "add", "--knowledge", str(folder), "--question",
                                    "How long does DARS approval take?", "--answer", "About 30 working days."),
                            cwd=tmp_path, env=env(), stdin=child, stdout=child, stderr=child)
    os.close(child)
    out = b""
    deadline = time.monotonic() + 30
    while b"Add it anyway? [y/N] " not in out and time.monotonic() < deadline:
        out += os.read(parent, 4096)
    os.write(parent, b"y\n")
    proc.wait(timeout=30)
    os.close(parent)
    assert proc.returncode == 0
    assert b"approval-time: How long does a DARS application take to be approved?" in out
    assert faq_store.get_entry(folder, "long-dars-approval-take").answer == "About 30 working days."


def test_cli_add_refuses_a_source_that_names_no_section(folder, tmp_path):
    before = sorted(p.name for p in (folder / "faq").iterdir())
    proc = run("faq", "add", "--knowledge", str(folder), "-q", RETENTION_Q, "-a", RETENTION_A,
               "--source", "Fast trak section", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        "Error: the guidance has no section “Fast trak section”; the closest are “CSDS data dictionary”, "
        "“Key contact details”, “Data Access Request Service (DARS)”: give one of them as the source (or none)\n")
    assert sorted(p.name for p in (folder / "faq").iterdir()) == before


def test_add_takes_a_section_in_any_case_and_by_its_last_heading(folder):
    entry = faq_store.add_entry(folder, RETENTION_Q, RETENTION_A, source="step 4.) ACCESS")
    assert entry.source == "Data Access Request Service (DARS) > Step 4.) Access"
    date, digest = entry.checked.split()
    assert len(date) == 10 and len(digest) == 12


class _Terminal:
    """`csds-bot ARGS` on a pseudo-terminal, as a maintainer types at it."""

    def __init__(self, args, cwd):
        import pty

        self.fd, child = pty.openpty()
        self.proc = subprocess.Popen(command(*args), cwd=cwd, env=env(), stdin=child, stdout=child, stderr=child)
        os.close(child)
        self.out = b""

    def read_until(self, marker: bytes) -> bytes:
        deadline = time.monotonic() + 60
        while marker not in self.out and time.monotonic() < deadline:
            if not select.select([self.fd], [], [], 1)[0]:
                continue  # nothing yet: look at the deadline again rather than block on the read
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:  # the process ended and closed the terminal
                break
            if not chunk:
                break
            self.out += chunk
        assert marker in self.out, self.out.decode()
        return self.out

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def finish(self) -> int:
        code = self.proc.wait(timeout=60)
        with contextlib.suppress(OSError):  # read what is left: EIO once it is all read
            while select.select([self.fd], [], [], 1)[0] and (chunk := os.read(self.fd, 4096)):
                self.out += chunk
        os.close(self.fd)
        return code


def test_cli_add_on_a_terminal_checks_duplicates_before_the_answer_and_no_ends_cleanly(folder, tmp_path):
    term = _Terminal(["faq", "add", "--knowledge", str(folder)], tmp_path)
    term.read_until(b"Question: ")
    term.send(b"How long does DARS approval take?\n")
    out = term.read_until(b"Add it anyway? [y/N] ")
    assert b"Answer:" not in out  # asked before the answer is typed
    assert b"approval-time: How long does a DARS application take to be approved?" in out
    term.send(b"n\n")
    assert term.finish() == 1
    tail = term.out.split(b"Add it anyway? [y/N] ", 1)[1].decode()
    assert tail.replace("\r", "").strip().splitlines() == ["n", "Not added."]
    assert "Error" not in term.out.decode() and "--force" not in term.out.decode()
    assert not (folder / "faq" / "added.yaml").exists()


def test_cli_add_ctrl_d_at_the_question_ends_cleanly(folder, tmp_path):
    term = _Terminal(["faq", "add", "--knowledge", str(folder)], tmp_path)
    term.read_until(b"Question: ")
    term.send(b"\x04")  # Ctrl-D on an empty line: end of input
    assert term.finish() == 1
    assert term.out.decode().replace("\r", "").splitlines() == ["Question: ", "Not added."]
    assert not (folder / "faq" / "added.yaml").exists()

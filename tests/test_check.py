"""`csds-bot check`: every problem with file and line, the exit codes, and the bundled knowledge."""

from __future__ import annotations

import json

import pytest

from bot.admin.validate import check_folder
from bot.knowledge import load_knowledge
from fixtures.cli import ROOT, copy_knowledge, run

BUNDLED = len(load_knowledge(ROOT / "knowledge").faqs)  # entries in the bundled knowledge folder

ERRORS = """
- id: published-statistics
  question: Is there a CSDS dashboard?
  answer: Yes, monthly.

- question: What is the meaning of life?

- id: bad-alternates
  question: What does SEFT stand for exactly?
  alternates: 7
  answer: Secure Electronic File Transfer.

- id: no-question
  answer: something
"""

WARNINGS = """
- id: anything-else
  question: Is there anything else?
  answer: Ask the NHS Digital team.

- id: contact-copy
  question: How do I contact the CSDS team at NHS Digital?
  answer: Phone 0300 303 5678.

- id: fee-alternate
  question: Do universities get a discount?
  alternates:
    - what's the fee
  answer: The guidance does not say.
"""


@pytest.fixture
def folder(tmp_path):
    return copy_knowledge(tmp_path)


def _append(path, text):
    before = path.read_text()
    path.write_text(before + text)
    return len(before.splitlines())  # the appended text's line 1 is this line + 1


def test_bundled_knowledge_is_clean(tmp_path):
    proc = run("check", "--strict", str(ROOT / "knowledge"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[-1].startswith(f"{ROOT / 'knowledge'}: OK (")
    assert proc.stdout.splitlines()[-1].endswith(" FAQ entries, no problems)")


def test_every_error_is_reported_with_file_and_line(folder, tmp_path):
    base = _append(folder / "faq" / "access.yaml", ERRORS)
    (folder / "faq" / "broken.yaml").write_text("- question: [oops\n  answer: x\n")
    proc = run("check", "knowledge", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        f"knowledge/faq/access.yaml:{base + 2}: error: duplicate id `published-statistics` (also at knowledge/faq/access.yaml:4); give one of them another id",
        f"knowledge/faq/access.yaml:{base + 6}: error: entry has no `answer`; add `answer: ...` to it",
        f"knowledge/faq/access.yaml:{base + 8}: error: `alternates` must be a list (`- another way to ask`); fix it",
        f"knowledge/faq/access.yaml:{base + 13}: error: entry has no `question`; add `question: ...` to it",
        "knowledge/faq/broken.yaml:2: error: invalid YAML (did not find expected ',' or ']', while parsing a flow "
        "sequence at line 1); fix the syntax there (indentation, quotes, colons)",
        f"knowledge: 5 errors, 0 warnings ({BUNDLED} FAQ entries loaded)",
    ]


def test_other_files_are_checked_too(folder, tmp_path):
    (folder / "synonyms.yaml").write_text("- just\n- a list\n")
    (folder / "bot.yaml").write_text("name: [unclosed\n")
    proc = run("check", "knowledge", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.splitlines()[:2] == [
        "knowledge/bot.yaml:2: error: invalid YAML (did not find expected ',' or ']', while parsing a flow sequence "
        "at line 1); fix the syntax there (indentation, quotes, colons)",
        "knowledge/synonyms.yaml:1: error: expected `acronyms:` and `synonyms:` keys; fix its layout",
    ]


def test_warnings_name_both_entries_and_the_fix(folder, tmp_path):
    base = _append(folder / "faq" / "access.yaml", WARNINGS)
    proc = run("check", "knowledge", cwd=tmp_path)
    assert proc.returncode == 0  # warnings only
    lines = proc.stdout.splitlines()
    assert lines[:2] == [
        f"knowledge/faq/access.yaml:{base + 2}: warning: the bot declines `anything-else`'s own question; "
        "reword the question or add alternates",
        f"knowledge/faq/access.yaml:{base + 13}: warning: alternate “what's the fee” of `fee-alternate` is nearly "
        "“what's the fee” of `cost-how-much` (knowledge/faq/costs.yaml:5, 100% alike); keep it in one entry only",
    ]
    assert any(line.startswith("knowledge/faq/contacts-and-training.yaml:3: warning: `contact-details` asks nearly "
                               f"the same as `contact-copy` (knowledge/faq/access.yaml:{base + 6}, ") for line in lines)
    assert any(line.startswith("knowledge/faq/costs.yaml:11: warning: alternate “what's the fee” of `cost-how-much` "
                               "is answered with `fee-alternate`") for line in lines)
    assert lines[-1] == f"knowledge: 0 errors, 4 warnings ({BUNDLED + 3} FAQ entries loaded)"
    assert run("check", "--strict", "knowledge", cwd=tmp_path).returncode == 1


def test_json_output(folder, tmp_path):
    line = len((folder / "faq" / "access.yaml").read_text().splitlines()) + 2  # the appended entry's line
    _append(folder / "faq" / "access.yaml", "\n- id: x\n  question: Anything?\n")
    proc = run("check", "--json", "--knowledge", "knowledge", cwd=tmp_path)
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert data["entries"] == BUNDLED
    assert data["problems"][0] == {"severity": "error", "path": "knowledge/faq/access.yaml", "line": line,
                                   "message": "entry has no `answer`; add `answer: ...` to it"}


def test_library_report_and_exit_codes(folder):
    report = check_folder(folder)
    assert (report.problems, report.exit_code(), report.exit_code(strict=True)) == ((), 0, 0)


def test_missing_folder(tmp_path):
    proc = run("check", "nowhere", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == ("Error: nowhere: knowledge folder not found; pass the folder to check, "
                           "e.g. csds-bot check knowledge/\n")


def test_ci_runs_check_for_real():
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "csds-bot check --strict knowledge/" in lines
    assert not any("csds-bot check" in line and "|| true" in line for line in lines)


def test_help(tmp_path):
    proc = run("check", "--help", cwd=tmp_path)
    assert proc.returncode == 0 and "usage: csds-bot check" in proc.stdout and "--strict" in proc.stdout


def test_strict_check_names_an_unknown_key_its_line_and_the_likely_fix(folder, tmp_path):
    target = folder / "faq" / "more.yaml"
    start = _append(target, "\n- id: wales\n  question: Can I get CSDS data for Wales?\n  alternate:\n"
                            "    - csds for wales\n  answer: No. CSDS covers community services in England.\n"
                            "  sauce: Accessing CSDS data\n")
    proc = run("check", "--strict", str(folder), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.splitlines()[0] == (
        f"{folder}/faq/more.yaml:{start + 4}: error: unknown key `alternate` (the bot would ignore it); "
        "did you mean `alternates`? An entry's keys are id, question, alternates, answer, source, checked")
    # The bot itself refuses the folder rather than drop the alternates without a word.
    ask = run("ask", "--knowledge", str(folder), "csds for wales", cwd=tmp_path)
    assert ask.returncode == 2 and "unknown key `alternate`" in ask.stderr
    target.write_text(target.read_text().replace("  alternate:\n", "  alternates:\n"))
    proc = run("check", "--strict", str(folder), cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == (
        f"{folder}/faq/more.yaml:{start + 7}: error: unknown key `sauce` (the bot would ignore it); "
        "did you mean `source`? An entry's keys are id, question, alternates, answer, source, checked")


def test_check_flags_a_source_that_names_no_section(folder, tmp_path):
    target = folder / "faq" / "more.yaml"
    start = _append(target, "\n- id: wales\n  question: Can I get CSDS data for Wales?\n"
                            "  answer: No. CSDS covers community services in England.\n"
                            "  source: Fast trak section\n")
    proc = run("check", str(folder), cwd=tmp_path)
    assert proc.returncode == 0  # a warning: the bot still loads
    assert proc.stdout.splitlines()[0] == (
        f"{folder}/faq/more.yaml:{start + 5}: warning: `wales`'s source “Fast trak section” names no section of the "
        "guidance (closest: “CSDS data dictionary”, “Key contact details”, “Data Access Request Service (DARS)”); "
        "set `source:` to the section its answer rests on")
    assert run("check", "--strict", str(folder), cwd=tmp_path).returncode == 1

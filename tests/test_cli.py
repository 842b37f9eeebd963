"""The `csds-bot` command in real subprocesses: output, JSON, stdin batches, options, bad input."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import write


def test_ask_prints_answer_and_source(run_cli):
    proc = run_cli("ask", "how long does approval take??")
    assert proc.returncode == 0, proc.stderr_text
    lines = proc.stdout_text.splitlines()
    assert "30 working days" in lines[0]
    assert lines[1].startswith("Source: Community Services Data Set (CSDS) data access guidance › ")
    assert "last reviewed 16 January 2023" in lines[1]
    assert "\x1b[" not in proc.stdout_text  # no colours when piped


def test_ask_json(run_cli):
    proc = run_cli("ask", "--json", "--top", "2", "what is igard")
    data = json.loads(proc.stdout_text)
    assert data["answered"] is True and "IGARD" in data["answer"]
    assert len(data["sources"]) == 2 and data["sources"][0]["kind"] in ("faq", "passage")
    assert 0 <= data["confidence"] <= 1 and isinstance(data["suggestions"], list)


def test_ask_json_declines_with_sources(run_cli):
    data = json.loads(run_cli("ask", "--json", "how long does it take to boil an egg").stdout_text)
    assert data["answered"] is False and data["sources"] and len(data["suggestions"]) <= 3


def test_ask_json_stdin_one_object_per_line_in_order(run_cli):
    questions = ["how much does it cost", "", "igard?", "   ", "how long does it take to boil an egg"]
    proc = run_cli("ask", "--json", "-", input="\n".join(questions) + "\n")
    assert proc.returncode == 0, proc.stderr_text
    rows = [json.loads(line) for line in proc.stdout_text.splitlines()]
    assert [r["question"] for r in rows] == ["how much does it cost", "igard?", "how long does it take to boil an egg"]
    assert [r["answered"] for r in rows] == [True, True, False]


def test_other_knowledge_folder_by_option_and_environment(run_cli, tmp_path):
    folder = write(tmp_path / "kb" / "faq" / "x.yaml", "- question: What colour is the sky?\n  answer: Blue.\n").parents[1]
    assert run_cli("ask", "--knowledge", str(folder), "sky colour?").stdout_text.startswith("Blue.")
    assert run_cli("ask", "sky colour?", env={"CSDS_BOT_KNOWLEDGE": str(folder)}).stdout_text.startswith("Blue.")


@pytest.mark.parametrize(
    "args, stdin, code, message",
    [
        (["ask", ""], None, 1, 'Error: the question is empty; ask something like: csds-bot ask "how long does approval take?"\n'),
        (["ask", "--json", "-"], b"\n\n", 1, "Error: no questions on stdin; send one question per line\n"),
        (["ask", "-"], b"\xff\xfe\x00binary", 1, "Error: line 1: byte 1 is not UTF-8 text; save the questions as UTF-8\n"),
        (["ask", "--frobnicate", "x"], None, 2, "Error: unrecognized arguments: --frobnicate. Run `csds-bot --help` for usage.\n"),
        (["ask", "--top", "0", "x"], None, 2, "Error: argument --top: --top takes a whole number of 1 or more, not '0'. Run `csds-bot ask --help` for usage.\n"),
        (["ask", "--knowledge", "/nonexistent", "x"], None, 2,
         "Error: /nonexistent: knowledge folder not found; pass --knowledge DIR or set CSDS_BOT_KNOWLEDGE to a folder with guidance (*.md) or faq/*.yaml\n"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(run_cli, args, stdin, code, message):
    proc = run_cli(*args, input=stdin)
    assert proc.returncode == code
    assert proc.stderr_text == message
    assert "Traceback" not in proc.stderr_text


def test_binary_and_huge_questions_are_refused_quickly(run_cli):
    start = time.monotonic()
    proc = run_cli("ask", "\x01\x02\x03\x04\x05\x06 what")
    assert proc.returncode == 1 and proc.stderr_text == "Error: the question contains binary data; ask in plain text\n"
    proc = run_cli("ask", "--json", "-", input="cost " * 20_000 + "x" * 10)
    assert proc.returncode == 1 and proc.stderr_text == "Error: line 1: the question is 100,010 characters long; ask in at most 100,000 characters\n"
    proc = run_cli("ask", "--json", "how long " * 11_000)  # 99,000 characters: answered or declined, fast
    assert proc.returncode == 0 and "answered" in json.loads(proc.stdout_text)
    assert time.monotonic() - start < 20  # generous: three process starts on a busy machine


@pytest.mark.parametrize(
    "text, where",
    [
        ("- question: Q\n  answer: [oops\n", "bad.yaml:3: invalid YAML"),
        ("- question: What is it?\n", "bad.yaml:1: entry has no `answer`; add `answer: ...` to it"),
    ],
)
def test_broken_knowledge_file_exits_2_naming_file_and_line(run_cli, knowledge_copy, text, where):
    write(knowledge_copy / "faq" / "bad.yaml", text)
    proc = run_cli("ask", "--knowledge", str(knowledge_copy), "cost?")
    assert proc.returncode == 2
    assert proc.stderr_text.startswith("Error: ") and where in proc.stderr_text
    assert len(proc.stderr_text.strip().splitlines()) == 1


def test_every_command_has_help(run_cli):
    from bot.cli.main import COMMANDS

    top = run_cli("--help")
    assert top.returncode == 0
    for name in COMMANDS:
        assert name in top.stdout_text
        sub = run_cli(name, "--help")
        assert sub.returncode == 0 and f"usage: csds-bot {name}" in sub.stdout_text
        assert len(sub.stdout_text.splitlines()) > 3


# Commands that compare no texts and ask the engine nothing stay clear of NumPy, SciPy and scikit-learn
# (about a second of imports per process): what a command imports is read from -X importtime.
@pytest.mark.parametrize("args", [["--help"], ["faq", "list"], ["faq", "show", "cost-how-much"],
                                  ["faq", "remove", "no-such-entry"], ["faq", "checked", "no-such-entry"], ["report"]])
def test_commands_that_need_no_vectors_do_not_import_scikit_learn(run_cli, knowledge_copy, args):
    folder = ["--knowledge", str(knowledge_copy)] if args[0] == "faq" else []
    proc = run_cli(*args, *folder, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode in (0, 1), proc.stderr_text[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr_text.splitlines() if line.startswith("import time:")}
    assert "bot.cli.main" in imported
    heavy = sorted(m for m in imported if m.split(".")[0] in ("numpy", "scipy", "sklearn"))
    assert not heavy, heavy[:5]


def test_readme_documents_every_command():
    from bot.cli.main import COMMANDS
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"csds-bot {name}" in readme, name


def test_eval_scores_and_gates(run_cli, tmp_path):
    cases = tmp_path / "q.jsonl"
    cases.write_text(
        '{"q": "how long does approval take", "expect": ["30 working days"]}\n'
        '{"q": "igard?", "expect": ["a string no answer has"]}\n'
        '{"q": "how long does it take to boil an egg", "out_of_scope": true}\n'
    )
    proc = run_cli("eval", str(cases))
    assert proc.returncode == 0
    assert "in-scope accuracy: 0.500 (1/2)" in proc.stdout_text
    assert "out-of-scope abstention: 1.000 (1/1)" in proc.stdout_text
    assert "FAIL line 2: 'igard?'" in proc.stdout_text
    assert run_cli("eval", str(cases), "--min-accuracy", "0.9").returncode == 1
    cases.write_text('{"q": "x"}\n')
    bad = run_cli("eval", str(cases))
    assert bad.returncode == 1 and 'q.jsonl:1: give "expect": ["..."] or "out_of_scope": true; fix that line' in bad.stderr_text


def test_eval_counts_declined_questions_that_a_suggestion_answers(run_cli, tmp_path):
    folder = tmp_path / "kb"
    (folder / "faq").mkdir(parents=True)
    (folder / "faq" / "a.yaml").write_text(
        "- question: How long does approval take?\n  answer: Approval takes about 30 working days.\n"
        "- question: What does an extract cost?\n  answer: Around £1,000.\n", encoding="utf-8")
    cases = tmp_path / "q.jsonl"
    cases.write_text(
        '{"q": "approval for our borough parks tree survey", "expect": ["30 working days"]}\n'
        '{"q": "approval for our borough parks tree survey", "expect": ["£5"]}\n'
        '{"q": "how long does approval take", "expect": ["30 working days"]}\n'
    )
    proc = run_cli("eval", str(cases), "--knowledge", str(folder))
    assert proc.returncode == 0
    lines = proc.stdout_text.splitlines()
    assert lines[0] == ("FAIL line 1: 'approval for our borough parks tree survey' wanted one of ['30 working days'] "
                        "-> '(declined)' (a suggested question answers it)")
    assert lines[1].endswith("-> '(declined)'")
    assert "declined in-scope questions whose suggestions answer them: 1/2" in lines


def test_module_and_console_script_agree(run_cli):
    assert run_cli("--version").stdout_text.startswith("csds-bot ")


def test_no_command_prints_usage_and_exits_2(run_cli):
    proc = run_cli()
    assert proc.returncode == 2
    assert proc.stdout_text == ""
    assert proc.stderr_text.startswith("usage: csds-bot ")
    assert proc.stderr_text.splitlines()[-1] == (
        'Error: no command given; run a command such as `csds-bot ask "QUESTION"`, or `csds-bot --help` for all of them.')


def test_a_batch_answers_every_good_line_and_names_each_bad_one(run_cli):
    stdin = b"what is igard\n\xa3\nhow long does approval take\n\x00\n\nwhat does a csds extract cost\n"
    proc = run_cli("ask", "--json", "-", input=stdin)
    assert proc.returncode == 1  # a bad line makes the batch fail, after every good line is answered
    rows = [json.loads(line) for line in proc.stdout_text.splitlines()]
    assert [r.get("question") or r["line"] for r in rows] == [
        "what is igard", 2, "how long does approval take", 4, "what does a csds extract cost"]
    assert all(r["answered"] for r in rows if "question" in r)
    assert rows[1]["error"].endswith("is not UTF-8 text; save the questions as UTF-8")
    assert proc.stderr_text.splitlines() == [
        "Error: line 2: byte 1 is not UTF-8 text; save the questions as UTF-8",
        "Error: line 4: the question contains binary data; ask in plain text"]
    assert "Traceback" not in proc.stderr_text


def test_a_batch_of_good_lines_exits_0(run_cli):
    proc = run_cli("ask", "-", input=b"what is igard\r\nhow long does approval take\r\n")
    assert proc.returncode == 0 and proc.stderr_text == ""
    assert proc.stdout_text.count("Source:") == 2


@pytest.mark.parametrize("args", [("ask", "what is igard"), ("ask", "--json", "what does a csds extract cost"),
                                  ("ask", "how long does it take to boil an egg")])
def test_an_ascii_terminal_gets_ascii_not_a_traceback(run_cli, args):
    proc = run_cli(*args, env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0 and proc.stderr_text == ""
    proc.stdout.decode("ascii")  # nothing the terminal cannot show
    if "--json" in args:
        assert "£" in json.loads(proc.stdout_text)["answer"]  # escaped in JSON, not lost
    elif "igard" in args[-1]:
        assert "Source: Community Services Data Set (CSDS) data access guidance > Data Access Request Service (DARS) > " in proc.stdout_text


def test_chat_on_an_ascii_terminal_gets_ascii_not_a_traceback(run_cli):
    proc = run_cli("chat", input="what is igard\nhow long does it take to boil an egg\n",
                   env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0 and proc.stderr_text == "" and "Bye." in proc.stdout_text
    proc.stdout.decode("ascii")

"""Drill seeds: another seed is a fresh fit of the same folder, and the benchmark that measures the
fit's noise scores seed 0 exactly as `csds-bot eval` scores the bot."""

from __future__ import annotations

import json
import re

from benchmarks import fit_seeds
from bot.answering.engine import Engine, calibrate
from tests.conftest import KNOWLEDGE, write

QUESTIONS = [
    {"q": "how long does approval take", "expect": ["30 working days"]},
    {"q": "whats the phone number for the csds team", "expect": ["0300 303 5678"]},
    {"q": "what is igard", "expect": ["Independent Group Advising"]},
    {"q": "how much does an extract cost", "expect": ["£1,000"]},
    {"q": "how do i book a table at a restaurant", "out_of_scope": True},
    {"q": "what is the weather in leeds", "out_of_scope": True},
]


def test_another_seed_is_a_fresh_fit_never_the_cached_one():
    engine = Engine.from_folder(KNOWLEDGE)
    assert calibrate(engine.knowledge, engine.index).coef == engine.calibration.coef  # seed 0: the bot's own fit
    other = calibrate(engine.knowledge, engine.index, seed=1)
    assert other.coef != engine.calibration.coef
    assert other.report is not None and other.report.answerable > 0


def test_the_benchmark_scores_seed_0_as_eval_does(tmp_path, run_cli, capsys):
    cases = write(tmp_path / "few.jsonl", "".join(json.dumps(c) + "\n" for c in QUESTIONS))
    assert fit_seeds.main([str(cases), "--seeds", "2", "--knowledge", str(KNOWLEDGE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split("|")[1].strip(): line for line in lines if line.startswith("| ")}
    assert {"0", "1", "mean", "range"} <= rows.keys()
    seed0 = int(rows["0"].split("|")[3])
    proc = run_cli("eval", str(cases), "--knowledge", str(KNOWLEDGE))
    assert proc.returncode == 0, proc.stderr_text
    assert int(re.search(r"= (\d+)$", next(l for l in proc.stdout_text.splitlines() if l.startswith("wrong answers"))).group(1)) == seed0


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert fit_seeds.main([str(tmp_path / "missing.jsonl"), "--knowledge", str(KNOWLEDGE)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.jsonl" in err[0] and "JSONL" in err[0]
    assert fit_seeds.main([str(tmp_path / "x.jsonl"), "--seeds", "0"]) == 2

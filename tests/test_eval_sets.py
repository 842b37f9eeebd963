"""The eval sets CI gates on are well formed and as large as the issues ask (at least 100 in-scope
questions and 25 out-of-scope ones each), with no question asked twice."""

from pathlib import Path

import pytest

from bot.cli.eval import read_cases

SETS = sorted((Path(__file__).parent / "eval").glob("*.jsonl"))


def test_the_five_sets_are_there():
    assert [p.name for p in SETS] == ["blind.jsonl", "blind2.jsonl", "holdout.jsonl", "pilot.jsonl", "questions.jsonl"]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_an_eval_set_is_well_formed(path):
    cases = read_cases(path)
    inside = [c for c in cases if not c.get("out_of_scope")]
    outside = [c for c in cases if c.get("out_of_scope")]
    assert len(inside) >= 100 and len(outside) >= 25
    assert all(isinstance(e, str) and e.strip() for c in inside for e in c["expect"])
    questions = [" ".join(c["q"].lower().split()) for c in cases]
    assert len(set(questions)) == len(questions)

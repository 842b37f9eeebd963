"""`csds-bot eval FILE.jsonl`: in-scope accuracy and out-of-scope abstention on a question file."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.cli.main import add_knowledge_option
from bot.errors import InputError
from bot.model import Answer


def register(sub) -> None:
    p = sub.add_parser(
        "eval", help="score the bot on a file of questions",
        description='Score the bot on a JSONL file: {"q": ..., "expect": [...]} lines must be answered with '
        'one of the strings; {"q": ..., "out_of_scope": true} lines must be declined.',
    )
    p.add_argument("file", help="JSONL file of questions")
    p.add_argument("--min-accuracy", type=float, default=0.0, metavar="X", help="exit 1 if in-scope accuracy is below X (0-1)")
    p.add_argument("--min-abstention", type=float, default=0.0, metavar="X", help="exit 1 if out-of-scope abstention is below X (0-1)")
    add_knowledge_option(p)
    p.set_defaults(run=run)


def read_cases(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}); pass a UTF-8 JSONL file") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not valid JSON ({exc.msg}); one JSON object per line") from None
        if not isinstance(case, dict) or not isinstance(case.get("q"), str):
            raise InputError(f'{path}:{number}: each line needs a "q" string; fix that line')
        if not case.get("out_of_scope") and not (isinstance(case.get("expect"), list) and case["expect"]):
            raise InputError(f'{path}:{number}: give "expect": ["..."] or "out_of_scope": true; fix that line')
        case["line"] = number
        cases.append(case)
    if not cases:
        raise InputError(f"{path}: no questions; add JSONL lines")
    return cases


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def _contains_one(text: str, expect: list[str]) -> bool:
    text = _plain(text)
    return any(_plain(e) in text for e in expect)


def _suggests_answer(answer: Answer, expect: list[str]) -> bool:
    """Does one of a declined answer's suggested questions lead to an expected answer?"""
    return any(hit.question in answer.suggestions and _contains_one(hit.text, expect) for hit in answer.sources)


@dataclass
class Tally:
    """What an engine got right and wrong on a question file."""

    hits: int = 0  # in-scope questions answered with an expected string
    total: int = 0  # in-scope questions
    abstained: int = 0  # out-of-scope questions declined
    outside: int = 0  # out-of-scope questions
    declined: int = 0  # in-scope questions declined
    suggested: int = 0  # of those, declines whose suggestions answer them
    wrong: int = 0  # in-scope questions answered with something else
    failures: list[str] = field(default_factory=list)

    @property
    def cost(self) -> float:
        """The mistakes at the decision's stated price (bot.answering.calibration.WRONG_COST): a
        wrong answer, to an in-scope or an out-of-scope question, against a declined in-scope one."""
        from bot.answering.calibration import WRONG_COST

        return WRONG_COST * (self.wrong + self.outside - self.abstained) + self.declined


def tally(engine, cases: list[dict]) -> Tally:
    t = Tally()
    for case in cases:
        # Every candidate a suggestion may come from comes back among the sources.
        answer = engine.ask(case["q"], top=engine.CANDIDATES)
        if case.get("out_of_scope"):
            t.outside += 1
            t.abstained += not answer.answered
            if answer.answered:
                t.failures.append(f"line {case['line']}: answered an out-of-scope question: {case['q']!r} -> {answer.text[:90]!r}")
        else:
            t.total += 1
            good = answer.answered and _contains_one(answer.text, case["expect"])
            t.hits += good
            if not good:
                got = answer.text[:90] if answer.answered else "(declined)"
                note = ""
                t.wrong += answer.answered
                if not answer.answered:
                    t.declined += 1
                    if _suggests_answer(answer, case["expect"]):
                        t.suggested += 1
                        note = " (a suggested question answers it)"
                t.failures.append(f"line {case['line']}: {case['q']!r} wanted one of {case['expect']} -> {got!r}{note}")
    return t


def run(args) -> int:
    from bot.answering.calibration import WRONG_COST
    from bot.answering.engine import Engine

    cases = read_cases(Path(args.file))
    engine = Engine.from_folder(args.knowledge)
    t = tally(engine, cases)
    accuracy = t.hits / t.total if t.total else 1.0
    abstention = t.abstained / t.outside if t.outside else 1.0
    for failure in t.failures:
        print(f"FAIL {failure}")
    report = engine.calibration.report
    if report is not None:
        print(f"decision: {report.describe()}; answers at confidence >= {engine.threshold:.3f}")
    answered_outside = t.outside - t.abstained
    print(f"wrong answers: {t.wrong} in scope, {answered_outside} out of scope; in-scope declines: {t.declined}; "
          f"cost {WRONG_COST:g} x {t.wrong + answered_outside} + {t.declined} = {t.cost:g}")
    print(f"in-scope accuracy: {accuracy:.3f} ({t.hits}/{t.total})")
    print(f"out-of-scope abstention: {abstention:.3f} ({t.abstained}/{t.outside})")
    if t.declined:
        # A declined question still helps when one of its "did you mean" buttons answers it.
        print(f"declined in-scope questions whose suggestions answer them: {t.suggested}/{t.declined}")
    ok = accuracy >= args.min_accuracy and abstention >= args.min_abstention
    if not ok:
        print(f"below the bar: accuracy {accuracy:.3f} (min {args.min_accuracy}), abstention {abstention:.3f} (min {args.min_abstention})", file=sys.stderr)
    return 0 if ok else 1

"""How much the fitted decision moves with the drills it is fitted on: the CSDS eval sets' cost
under several drill seeds, each seed a fresh fit of the same knowledge folder.

    python -m benchmarks.fit_seeds tests/eval/questions.jsonl [more.jsonl ...] [--seeds 6]

The bot always fits on seed 0 (bot.answering.engine.calibrate); any edit of the folder draws
other drills, much as another seed does. So a change to the code or the knowledge is better judged
by its cost on each seed, paired with the old code's on the same seed, than by seed 0 alone.
Cost is what `csds-bot eval` prints: 3 for a wrong answer to any question, 1 for a declined
in-scope one. Only aggregate lines are printed, so a blind set can be measured without reading
its questions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fit_seeds", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", help="eval JSONL files")
    parser.add_argument("--seeds", type=int, default=6, metavar="N", help="drill seeds 0 .. N-1 (default: 6)")
    parser.add_argument("--knowledge", default="knowledge", help="knowledge folder (default: knowledge)")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        print("Error: --seeds must be at least 1", file=sys.stderr)
        return 2
    os.environ.setdefault("CSDS_BOT_NO_LOG", "1")
    from bot.answering.engine import Engine, calibrate
    from bot.cli.eval import read_cases, tally
    from bot.errors import InputError

    try:
        sets = {Path(name).name: read_cases(Path(name)) for name in args.files}
        base = Engine.from_folder(args.knowledge)
    except InputError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    costs: dict[str, list[int]] = {name: [] for name in sets}
    print("| seed | held-out AUC | " + " | ".join(sets) + " | all |")
    print("|---" * (len(sets) + 3) + "|")
    for seed in range(args.seeds):
        calibration = base.calibration if seed == 0 else calibrate(base.knowledge, base.index, seed)
        engine = Engine(base.knowledge, base.index, calibration)
        row = [round(tally(engine, cases).cost) for cases in sets.values()]
        for name, value in zip(sets, row):
            costs[name].append(value)
        auc = calibration.report.held_out_auc if calibration.report else float("nan")
        print(f"| {seed} | {auc:.3f} | " + " | ".join(map(str, row)) + f" | {sum(row)} |", flush=True)
    sums = [sum(values) for values in zip(*costs.values())]
    print("| mean | | " + " | ".join(f"{statistics.mean(v):.1f}" for v in costs.values())
          + f" | {statistics.mean(sums):.1f} |")
    print("| range | | " + " | ".join(f"{min(v)}-{max(v)}" for v in costs.values()) + f" | {min(sums)}-{max(sums)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""StackFAQ: P@1 and MRR@10 of the bot beside BM25 and plain TF-IDF, on the same entries.

    python -m benchmarks.stackfaq [--data PATH] [--protocol zero-shot|alternates|both] [--shape NAME|all]

Every pair becomes an FAQ entry in a real knowledge folder (YAML files in a temporary folder,
loaded by the bot's own loader); every human rephrasing is then asked through `Engine.ask`.
- zero-shot: an entry is the pair's question, with its answers joined as the answer;
- alternates: the first half of the pair's rephrasings also become the entry's `alternates`,
  and only the second half are asked.
Scores are also split by pair index (even / odd): tune on the even pairs, confirm on the odd.
Beside the bot: bm25s over the question field alone (question and alternates), bm25s over the whole
entry and scikit-learn TF-IDF over the whole entry (benchmarks.common). `--shape` gives the entries
long answers (benchmarks.shapes) to stand for FAQ folders unlike StackFAQ.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from benchmarks.common import Bm25Baseline, TfidfBaseline, entry_text, question_text, write_folder
from benchmarks.shapes import SHAPES, shaped

REPO = Path(__file__).resolve().parents[1]
_IN_SHARED = Path("shared") / "benchmarks" / "stackfaq" / "stackExchange-FAQ.json"
# shared/ sits beside a clone (CI) or beside the folder of worktrees (/work/wt/NAME).
DEFAULT_DATA = next((p / _IN_SHARED for p in REPO.parents[:2] if (p / _IN_SHARED).is_file()), REPO.parent / _IN_SHARED)
PROTOCOLS = ("zero-shot", "alternates")
K = 10


@dataclass(frozen=True)
class Pair:
    question: str
    answers: tuple[str, ...]
    rephrasings: tuple[str, ...]


def load_pairs(path: Path | str = DEFAULT_DATA) -> list[Pair]:
    """The pairs of the StackFAQ file; `null` and `"*"` rephrasings are dropped (see its README)."""
    path = Path(path)
    if path.is_dir():
        path = path / "stackExchange-FAQ.json"
    if not path.is_file():
        raise SystemExit(f"Error: {path}: StackFAQ data not found; pass --data PATH to stackExchange-FAQ.json")
    raw = json.loads(path.read_text(encoding="utf-8"))["root"]["qapair"]
    return [
        Pair(" ".join(p["question"].split()), tuple(a for a in _listed(p["answer"]) if a),
             tuple(" ".join(r.split()) for r in _listed(p["rephr"]) if r and r.strip() not in ("", "*")))
        for p in raw
    ]


def _listed(value: str | list | None) -> list:
    """A field the file holds as a list, or (for a pair with one answer) as a bare string: a bare
    string must stay one item, not be read character by character."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def build(pairs: list[Pair], protocol: str) -> tuple[list[dict], list[tuple[str, int]]]:
    """The FAQ entries and the (question, pair index) queries of one protocol."""
    entries, queries = [], []
    for n, pair in enumerate(pairs):
        entry = {"id": f"pair-{n:03d}", "question": pair.question, "answer": " ".join(pair.answers)}
        asked = pair.rephrasings
        if protocol == "alternates":
            half = len(pair.rephrasings) // 2
            entry["alternates"] = list(pair.rephrasings[:half])
            asked = pair.rephrasings[half:]
        entries.append(entry)
        queries.extend((q, n) for q in asked)
    return entries, queries


def score(search: Callable[[str], list[int]], queries: list[tuple[str, int]]) -> dict:
    """P@1 and MRR@10 overall and on the queries of even and of odd pairs."""
    ranks = []
    for text, want in queries:
        got = search(text)[:K]
        ranks.append(got.index(want) + 1 if want in got else 0)
    out = {}
    for name, keep in (("all", lambda n: True), ("even", lambda n: n % 2 == 0), ("odd", lambda n: n % 2 == 1)):
        sel = [r for r, (_, n) in zip(ranks, queries) if keep(n)]
        out[name] = {
            "p1": sum(r == 1 for r in sel) / len(sel),
            "mrr": sum(1 / r for r in sel if r) / len(sel),
            "n": len(sel),
        }
    return out


def bot_search(entries: list[dict], folder: Path) -> Callable[[str], list[int]]:
    """The bot, end to end: its loader reads the YAML, its engine answers each question."""
    from bot.answering.engine import Engine
    from bot.knowledge import load_knowledge

    write_folder(folder, entries)
    engine = Engine(load_knowledge(folder))
    position = {e["id"]: n for n, e in enumerate(entries)}
    return lambda q: [position[h.id] for h in engine.ask(q, top=K).sources if h.id in position]


SYSTEMS = ("bot", "bm25q", "bm25s", "tfidf")
NAMES = {"bot": "csds-bot", "bm25q": "BM25 question field (bm25s)", "bm25s": "BM25 whole entry (bm25s)",
         "tfidf": "TF-IDF whole entry (scikit-learn)"}


def run(pairs: list[Pair], protocol: str, systems: tuple[str, ...] = SYSTEMS, shape: str = "as-is") -> dict:
    entries, queries = build(shaped(pairs, shape), protocol)
    texts = [entry_text(e) for e in entries]
    results = {}
    with tempfile.TemporaryDirectory(prefix="stackfaq-") as tmp:
        makers = {
            "bot": lambda: bot_search(entries, Path(tmp)),
            "bm25q": lambda: Bm25Baseline([question_text(e) for e in entries]).search,
            "bm25s": lambda: Bm25Baseline(texts).search,
            "tfidf": lambda: TfidfBaseline(texts).search,
        }
        for name in systems:
            search = makers[name]()
            results[name] = score(search if name == "bot" else (lambda q, s=search: s(q, K)), queries)
    return {"shape": shape, "protocol": protocol, "entries": len(entries), "queries": len(queries), "systems": results}


def table(runs: list[dict]) -> str:
    lines = [
        "| shape | protocol | system | P@1 | MRR@10 | P@1 even pairs | P@1 odd pairs |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        for name, s in r["systems"].items():
            lines.append(
                f"| {r['shape']} | {r['protocol']} ({r['queries']} questions) | {NAMES[name]} | {s['all']['p1']:.3f} | "
                f"{s['all']['mrr']:.3f} | {s['even']['p1']:.3f} | {s['odd']['p1']:.3f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stackfaq", description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="stackExchange-FAQ.json or its folder "
                        "(default: ../shared/benchmarks/stackfaq beside the repository)")
    parser.add_argument("--protocol", choices=[*PROTOCOLS, "both"], default="both")
    parser.add_argument("--shape", choices=[*SHAPES, "all"], default="as-is",
                        help="the answers as shipped, or made long (see benchmarks/shapes.py)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    for protocol in PROTOCOLS:
        parser.add_argument(f"--min-{protocol}", type=float, default=0.0, metavar="X",
                            help=f"exit 1 if the bot's {protocol} P@1 (as shipped) is below X")
    args = parser.parse_args(argv)
    pairs = load_pairs(args.data)
    protocols = PROTOCOLS if args.protocol == "both" else (args.protocol,)
    systems = tuple(s.strip() for s in args.systems.split(",") if s.strip())
    started = time.perf_counter()
    shapes = SHAPES if args.shape == "all" else (args.shape,)
    runs = [run(pairs, p, systems, shape) for shape in shapes for p in protocols]
    if args.json:
        print(json.dumps(runs, indent=1))
    else:
        print(table(runs))
        print(f"\n{len(pairs)} pairs; {time.perf_counter() - started:.1f} s", file=sys.stderr)
    below = [(r["protocol"], r["systems"]["bot"]["all"]["p1"], getattr(args, f"min_{r['protocol'].replace('-', '_')}"))
             for r in runs if r["shape"] == "as-is" and "bot" in r["systems"]]
    below = [(p, got, floor) for p, got, floor in below if got < floor]
    for protocol, got, floor in below:
        print(f"below the bar: {protocol} P@1 {got:.3f} (min {floor})", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())

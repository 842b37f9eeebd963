"""Speed at scale: start-up, per-question time and peak memory of the bot beside bm25s and plain
TF-IDF, on N synthetic FAQ entries, plus the bot's cold start.

    python -m benchmarks.scale [--sizes 1000,10000,100000] [--questions 2000]

The entries are real English every Python has (`pydoc_data.topics`): a question is a run of 6-14
words of a sentence, its answer that sentence and the next one or two. The questions asked are
entry questions with a quarter of their words dropped and, for one in three, a typo.

Each system runs in its own process, so peak memory (max RSS) is its own:
- start-up: reading the YAML folder and building the index, imports excluded. For the bot: its loader and
  `Engine(knowledge)` with no cache; for the baselines: PyYAML's C loader, then fitting.
- per question: the bot's `Engine.ask`; the baselines' search for the top 10.
Cold start: the wall time of a one-shot `csds-bot ask` over the import floor of any
scikit-learn tool, `python -c "import sklearn.feature_extraction.text, rapidfuzz"`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Bm25Baseline, TfidfBaseline, entry_text, write_folder

SYSTEMS = ("bot", "tfidf", "bm25s")
NAMES = {"bot": "csds-bot", "bm25s": "BM25 (bm25s)", "tfidf": "TF-IDF (scikit-learn)"}
REPO = Path(__file__).resolve().parents[1]


def _sentences() -> list[list[str]]:
    """Sentences of the pydoc topics, grouped by topic, in order."""
    from pydoc_data.topics import topics

    out = []
    for name in sorted(topics):
        text = " ".join(topics[name].split())
        sents = [s for s in re.split(r"(?<=[.!?])\s+", text) if 6 <= len(s.split()) <= 40
                 and sum(c.isalpha() for c in s) > 0.7 * len(s)]
        if sents:
            out.append(sents)
    return out


def entries(n: int, seed: int = 0) -> list[dict]:
    """`n` distinct FAQ entries (see the module docstring)."""
    rng = random.Random(seed)
    topics = _sentences()
    seen: set[str] = set()
    out: list[dict] = []
    while len(out) < n:
        sents = rng.choice(topics)
        i = rng.randrange(len(sents))
        words = sents[i].rstrip(".!?").split()
        if len(words) < 6:
            continue
        size = rng.randint(6, min(14, len(words)))
        start = rng.randint(0, len(words) - size)
        question = " ".join(words[start : start + size]) + "?"
        if question in seen:
            continue
        seen.add(question)
        answer = " ".join(sents[i : i + rng.randint(2, 3)])
        out.append({"id": f"e{len(out)}", "question": question, "answer": answer})
    return out


def questions(items: list[dict], count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for entry in rng.sample(items, min(count, len(items))):
        words = [w for w in entry["question"].rstrip("?").split() if rng.random() > 0.25] or ["python"]
        if rng.random() < 1 / 3:
            j = rng.randrange(len(words))
            w = words[j]
            if len(w) > 4:
                k = rng.randrange(1, len(w) - 1)
                words[j] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]  # swap two letters
        out.append(" ".join(words))
    return out


# -- one system in its own process ------------------------------------------------------------


def _load_yaml(folder: Path) -> list[dict]:
    import yaml

    data = []
    for path in sorted((folder / "faq").glob("*.yaml")):
        data.extend(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    return data


def worker(system: str, folder: Path, asked: list[str]) -> dict:
    # Imports are paid before the clock starts (the cold-start figure counts them).
    import yaml  # noqa: F401
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401

    from bot.answering.engine import Engine
    from bot.knowledge import load_knowledge

    if system == "bm25s":
        import bm25s  # noqa: F401
    started = time.perf_counter()
    if system == "bot":
        engine = Engine(load_knowledge(folder))
        search = lambda q: engine.ask(q, top=10)  # noqa: E731
    else:
        texts = [entry_text(e) for e in _load_yaml(folder)]
        model = TfidfBaseline(texts) if system == "tfidf" else Bm25Baseline(texts)
        search = lambda q: model.search(q, 10)  # noqa: E731
    build = time.perf_counter() - started
    for q in asked[:20]:  # warm-up: first calls fill caches and page in code
        search(q)
    times = []
    for q in asked:
        t = time.perf_counter()
        search(q)
        times.append(time.perf_counter() - t)
    times.sort()
    return {
        "system": system,
        "build_s": build,
        "p50_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * times[min(len(times) - 1, int(0.99 * len(times)))],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(system: str, folder: Path, asked_file: Path, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.scale", "--worker", system, "--folder", str(folder),
           "--asked", str(asked_file)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"Error: {system} failed on {folder}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- cold start -------------------------------------------------------------------------------


def _wall(cmd: list[str], env: dict, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t)
    return out


def cold_start(runs: int = 7) -> dict:
    """Median wall times of a one-shot `csds-bot ask` (first with an empty cache, then warm)
    and of the import floor, alternated so that machine noise hits both alike."""
    cli = str(Path(sys.executable).with_name("csds-bot"))
    with tempfile.TemporaryDirectory(prefix="csds-cache-") as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "CSDS_BOT_NO_LOG": "1"}
        ask = [cli, "ask", "how long does approval take?"]
        first = _wall(ask, env, 1)[0]
        floor_cmd = [sys.executable, "-c", "import sklearn.feature_extraction.text, rapidfuzz"]
        bot, floor = [], []
        for _ in range(runs):
            bot += _wall(ask, env, 1)
            floor += _wall(floor_cmd, env, 1)
    return {"first_s": first, "bot_s": statistics.median(bot), "floor_s": statistics.median(floor)}


# -- report -----------------------------------------------------------------------------------


def table(rows: list[dict]) -> str:
    lines = [
        "| entries | system | start-up s | × TF-IDF | p50 ms | p99 ms | p50 × TF-IDF | peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = next(b for b in rows if b["n"] == r["n"] and b["system"] == "tfidf")
        lines.append(
            f"| {r['n']:,} | {NAMES[r['system']]} | {r['build_s']:.2f} | {r['build_s'] / base['build_s']:.2f} | "
            f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['p50_ms'] / base['p50_ms']:.2f} | {r['peak_mb']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated entry counts")
    parser.add_argument("--questions", type=int, default=2000, help="questions asked at each size")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one system at one size")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the one-shot `csds-bot ask` timing")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--asked", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        asked = json.loads(Path(args.asked).read_text(encoding="utf-8"))
        print(json.dumps(worker(args.worker, Path(args.folder), asked)))
        return 0

    rows = []
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        with tempfile.TemporaryDirectory(prefix=f"scale-{n}-") as tmp:
            items = entries(n)
            folder = write_folder(Path(tmp) / "knowledge", items)
            asked_file = Path(tmp) / "asked.json"
            asked_file.write_text(json.dumps(questions(items, args.questions)), encoding="utf-8")
            for system in SYSTEMS:
                row = {"n": n, **run_worker(system, folder, asked_file, args.timeout)}
                rows.append(row)
                print(f"{n:>7,} {system:6s} start-up {row['build_s']:.2f} s, p50 {row['p50_ms']:.2f} ms, "
                      f"p99 {row['p99_ms']:.2f} ms, peak {row['peak_mb']:.0f} MB", file=sys.stderr, flush=True)
    cold = None if args.no_cold_start else cold_start()
    if args.json:
        print(json.dumps({"rows": rows, "cold_start": cold}, indent=1))
        return 0
    print(table(rows))
    if cold:
        print(f"\nCold start: `csds-bot ask` {cold['bot_s']:.2f} s (first run, empty cache: {cold['first_s']:.2f} s); "
              f"import floor {cold['floor_s']:.2f} s; ratio {cold['bot_s'] / cold['floor_s']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

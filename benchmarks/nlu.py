"""Training time, parse latency (p50, p99) and memory of the free-text understanding.

    python -m benchmarks.nlu [--rasa-url URL] [--parses 2000]

The embedded interpreter is always measured; the Rasa server too when a URL is given (or
RASA_URL is set). Memory is the peak RSS of a fresh process that loads the content and the
Telegram and database libraries, without and with the NLU, so the difference is what the NLU
costs the bot process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.nlu import EmbeddedInterpreter, Interpreter, RasaInterpreter
from bot.nlu.build import DEFAULT_NLU_DIR, TRAINING_SUBDIR
from bot.nlu.data import load_examples
from bot.nlu.embedded import _memory_cache
from bot.nlu.evaluate import HELD_OUT

# A fresh process with the bot's heavy parts (content, ORM, Telegram library); with "nlu", also
# the NLU as the bot loads it: the saved model (NumPy) from the cache folder, parsing once.
# (bot.engine imports bot.nlu, so it is left out of the baseline.)
_MEMORY_PROBE = """
import sys
from pathlib import Path
import sqlalchemy, telegram
from core.content import load_content
from ungeguide.settings import REPO_ROOT
load_content(REPO_ROOT / "dialogues")
if sys.argv[1] == "nlu":
    from bot.nlu.build import build_understander
    build_understander(cache_dir=Path(sys.argv[2])).understand("hej")
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def training_seconds(runs: int) -> list[float]:
    examples = load_examples(DEFAULT_NLU_DIR / TRAINING_SUBDIR)
    times = []
    for _ in range(runs):
        _memory_cache.clear()
        started = time.perf_counter()
        EmbeddedInterpreter.train(examples)
        times.append(time.perf_counter() - started)
    return times


def latencies_ms(interpreter: Interpreter, texts: list[str], parses: int) -> list[float]:
    found = []
    for n in range(parses):
        started = time.perf_counter()
        interpreter.parse(texts[n % len(texts)])
        found.append((time.perf_counter() - started) * 1000)
    return sorted(found)


def peak_rss_mb(with_nlu: bool, cache: Path) -> float:
    output = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", _MEMORY_PROBE, "nlu" if with_nlu else "plain", str(cache)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(output.split()[-1]) / 1024


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL"))
    parser.add_argument("--parses", type=int, default=2000)
    parser.add_argument("--training-runs", type=int, default=5)
    args = parser.parse_args()

    texts = [e.text for e in load_examples(HELD_OUT)]
    trained = training_seconds(args.training_runs)
    embedded = EmbeddedInterpreter.from_path(DEFAULT_NLU_DIR / TRAINING_SUBDIR)
    rows = [("embedded", latencies_ms(embedded, texts, args.parses))]
    if args.rasa_url:
        rasa = RasaInterpreter(args.rasa_url)
        rows.append(("rasa", latencies_ms(rasa, texts, min(args.parses, 500))))
        rasa.close()

    print(f"embedded training: median {statistics.median(trained):.3f} s over {len(trained)} runs")
    print(f"{'interpreter':<12}{'parses':>8}{'p50 ms':>10}{'p99 ms':>10}")
    for name, found in rows:
        p50, p99 = percentile(found, 0.5), percentile(found, 0.99)
        print(f"{name:<12}{len(found):>8}{p50:>10.2f}{p99:>10.2f}")
    if len(rows) == 2:
        ratio = percentile(rows[0][1], 0.5) / percentile(rows[1][1], 0.5)
        print(f"embedded / rasa p50 latency: {ratio:.3f}")
    with tempfile.TemporaryDirectory() as cache:  # the model saved as a bot saves it
        EmbeddedInterpreter.from_path(DEFAULT_NLU_DIR / TRAINING_SUBDIR, cache_dir=Path(cache))
        plain, with_nlu = peak_rss_mb(False, Path(cache)), peak_rss_mb(True, Path(cache))
    print(
        f"bot process peak RSS: {plain:.0f} MB without NLU, {with_nlu:.0f} MB with NLU "
        f"(+{with_nlu - plain:.0f} MB, ratio {with_nlu / plain:.2f})"
    )


if __name__ == "__main__":
    main()

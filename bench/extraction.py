"""Benchmark the article extractor against its peers on the shared extraction corpus.

Runs the referee (../shared/tools/score_extraction.py, relative to the repository root) once per
tool — ours, trafilatura fast mode and readability-lxml — in the same session, reads each run's
--summary JSON and prints one table: F1, P, R, pageF1, title, date, median and p95 ms, peak
memory, and how many times faster ours is than each peer (median ms ratio).
If ../shared is absent, says so and exits 0. Installs nothing (peers: the `bench` extra).

    .venv/bin/python bench/extraction.py [--pages REGEX] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFEREE = SHARED / "tools" / "score_extraction.py"
CORPUS = SHARED / "corpora" / "extraction"
TOOLS = {
    "broadsheet": "tui.core.extract:extract_for_score",
    "trafilatura-fast": "bench.peers:trafilatura_fast",
    "readability-lxml": "bench.peers:readability_lxml",
}


def run_referee(module: str, extra: list[str]) -> tuple[dict[str, dict], str]:
    """One referee run: its per-corpus metrics (from --summary JSON) and peak worker memory."""
    with tempfile.TemporaryDirectory() as tmp:
        summary_path = Path(tmp) / "summary.json"
        command = [
            sys.executable,
            str(REFEREE),
            "--corpus",
            str(CORPUS),
            "--module",
            module,
            "--python",
            sys.executable,
            "--summary",
            str(summary_path),
            "-q",
            *extra,
        ]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not summary_path.exists():
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return {}, "-"
        summary = json.loads(summary_path.read_text())
        peak = summary.get("peak_rss_mib")
        return summary.get("corpora", {}), f"{peak:.0f} MiB" if isinstance(
            peak, int | float
        ) else "-"


def fmt(value: object, digits: int = 3) -> str:
    if isinstance(value, int | float):
        return f"{value:.{digits}f}"
    return "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="only pages whose id matches this regex")
    parser.add_argument("--limit", type=int, help="at most N pages per corpus")
    args = parser.parse_args(argv)
    if not REFEREE.is_file() or not CORPUS.is_dir():
        print(f"{SHARED} is absent: nothing to benchmark.")
        return 0
    extra = (["--pages", args.pages] if args.pages else []) + (
        ["--limit", str(args.limit)] if args.limit else []
    )
    results = {}
    for tool, module in TOOLS.items():
        print(f"running {tool}…", file=sys.stderr)
        results[tool] = run_referee(module, extra)
    ours = results["broadsheet"][0]
    header = (
        f"{'tool':<18}{'corpus':<13}{'F1':>7}{'P':>7}{'R':>7}{'pageF1':>8}{'title':>7}{'date':>7}"
        f"{'med ms':>8}{'p95 ms':>8}{'peak':>10}  speed of ours vs this"
    )
    print(header)
    print("-" * len(header))
    for tool, (corpora, peak) in results.items():
        for corpus, s in sorted(corpora.items()):
            ratio = "-"
            mine = ours.get(corpus, {}).get("ms_median")
            theirs = s.get("ms_median")
            if tool != "broadsheet" and mine and theirs:
                ratio = f"{theirs / mine:.1f}x faster"
            print(
                f"{tool:<18}{corpus:<13}{fmt(s.get('f1')):>7}{fmt(s.get('precision')):>7}"
                f"{fmt(s.get('recall')):>7}{fmt(s.get('page_f1')):>8}{fmt(s.get('title')):>7}"
                f"{fmt(s.get('date')):>7}{fmt(s.get('ms_median'), 1):>8}{fmt(s.get('ms_p95'), 1):>8}"
                f"{peak:>10}  {ratio}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

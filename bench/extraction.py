"""Benchmark the article extractor against its peers on the shared extraction corpus.

Three parts, one run:

1. Quality (and the referee's own timing): the referee (../shared/tools/score_extraction.py,
   relative to the repository root) runs once per tool — ours, trafilatura fast mode and
   readability-lxml — and each run's --summary JSON gives F1, P, R, pageF1, title, date,
   median and p95 ms and peak memory. Those runs follow each other, so on a shared machine a
   load change between them skews their times.
2. Speed, side by side: in one process, for --rounds rounds, every tool (and selectolax's
   parser alone, the floor any selectolax-based extractor stands on; the app's own extract(),
   links, lede and episodes included; and the every-<p> floor) reads every page, the
   tools taking turns page by page in an order shuffled anew for each page and round (seeded),
   so that a change of load hits them all alike and no tool always runs right after the same
   one (a call right after a heavy peer pays for the memory state it left: in a fixed rotation
   the app's extract(), always after readability-lxml, measured a quarter slower); a page's
   time per tool is its fastest round. Times are the CPU time of the thread (time.thread_time)
   unless --wall is given: on a shared machine, wall time also counts the moments another
   process holds the core, which makes lone times swing by half. The table
   gives median and p95 ms per tool and corpus, and how many times faster ours is than each
   peer (ratio of medians, and the median of the per-page ratios); its '1st' columns do the
   same with round 1 alone, where every tool meets every page for the first time, as the
   referee's single pass does (caches that learn a site's class names are cold). Last, the speed
   target: the app's extract() median over the every-<p> floor's median, same pages, same run
   (on the page's text, and on its bytes as the app calls it, decoding included).
3. Speed as the referee meets pages: every tool in a worker process of its own, each page sent
   as JSON over a pipe to every worker in turn, timed in the worker (wall and CPU). The referee's
   way of meeting pages (each once, in a process that waited on a pipe in between, its CPU
   caches cold) without its weakness on a shared machine: its runs come one after another, so
   a change of load between them skews their ratio.

If ../shared is absent, says so and exits 0. Installs nothing (peers: the `bench` extra).

    .venv/bin/python bench/extraction.py [--pages REGEX] [--limit N] [--rounds N] [--wall]
                                         [--no-referee] [--shared DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFEREE = SHARED / "tools" / "score_extraction.py"
CORPUS = SHARED / "corpora" / "extraction"
TOOLS = {
    "broadsheet": "tui.core.extract:extract_for_score",
    "trafilatura-fast": "bench.peers:trafilatura_fast",
    "readability-lxml": "bench.peers:readability_lxml",
}
OURS = "broadsheet"


def run_referee(module: str, extra: list[str]) -> tuple[dict[str, dict[str, Any]], str]:
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


def print_quality(results: dict[str, tuple[dict[str, dict[str, Any]], str]]) -> None:
    ours = results[OURS][0]
    header = (
        f"{'tool':<18}{'corpus':<13}{'F1':>7}{'P':>7}{'R':>7}{'pageF1':>8}{'title':>7}{'date':>7}"
        f"{'med ms':>8}{'p95 ms':>8}{'peak':>10}  speed of ours vs this"
    )
    print("Quality, through the referee (one run per tool, one after another)")
    print(header)
    print("-" * len(header))
    for tool, (corpora, peak) in results.items():
        for corpus, s in sorted(corpora.items()):
            ratio = "-"
            mine = ours.get(corpus, {}).get("ms_median")
            theirs = s.get("ms_median")
            if tool != OURS and mine and theirs:
                ratio = f"{theirs / mine:.1f}x faster"
            print(
                f"{tool:<18}{corpus:<13}{fmt(s.get('f1')):>7}{fmt(s.get('precision')):>7}"
                f"{fmt(s.get('recall')):>7}{fmt(s.get('page_f1')):>8}{fmt(s.get('title')):>7}"
                f"{fmt(s.get('date')):>7}{fmt(s.get('ms_median'), 1):>8}{fmt(s.get('ms_p95'), 1):>8}"
                f"{peak:>10}  {ratio}"
            )


# --- speed, side by side -------------------------------------------------------------------


def load_referee() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", REFEREE)
    if spec is None or spec.loader is None:
        raise ImportError(str(REFEREE))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(pages: str | None, limit: int | None) -> list[tuple[str, str, str, str | None]]:
    """(corpus, page id, html, url) of every page, decoded as the referee decodes them."""
    referee = load_referee()
    found = []
    for corpus_dir in referee.find_corpora(str(CORPUS)):
        truth = json.loads((Path(corpus_dir) / "truth.json").read_text())["pages"]
        chosen = [pid for pid in sorted(truth) if not pages or re.search(pages, pid)]
        for pid in chosen[:limit] if limit else chosen:
            html = referee.read_page_html(corpus_dir, truth[pid])
            found.append((Path(corpus_dir).name, pid, html, truth[pid].get("url")))
    return found


PARSE_ONLY = "selectolax parse"
APP = "app extract()"  # the app's own call: links, lede, captions, episodes included
# The same call on the page's bytes with its Content-Type, as the app makes it (the fetched body:
# decoding included). The bytes are the page's text in UTF-8, made before the clock starts.
APP_BYTES = "app extract(bytes)"
_AS_BYTES: dict[int, bytes] = {}
FLOOR = "every-<p> floor"  # the naive floor of the corpus README: every <p> joined


def every_paragraph(html: str, url: str | None) -> str:
    """The naive floor: the text of every <p>, joined (selectolax/lexbor)."""
    from selectolax.lexbor import LexborHTMLParser

    return "\n\n".join(node.text() for node in LexborHTMLParser(html).css("p"))


def load_tool(name: str) -> Callable[[str, str | None], object]:
    """One contender's function (ImportError when its package is not installed)."""
    if name == PARSE_ONLY:
        from selectolax.lexbor import LexborHTMLParser

        return lambda html, url: LexborHTMLParser(html)
    if name == FLOOR:
        return every_paragraph
    if name == APP:
        from tui.core.extract import extract

        return extract
    if name == APP_BYTES:
        from tui.core.extract import extract

        def extract_bytes(html: str, url: str | None) -> object:
            data = _AS_BYTES.get(id(html)) or html.encode()
            return extract(data, url, content_type="text/html; charset=utf-8")

        return extract_bytes
    module_name, _, function = TOOLS[name].partition(":")
    return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]


def contenders() -> dict[str, Callable[[str, str | None], object]]:
    found: dict[str, Callable[[str, str | None], object]] = {}
    for name in [*TOOLS, APP, APP_BYTES, FLOOR, PARSE_ONLY]:
        try:
            tool = load_tool(name)
            tool(WARM_UP, None)  # the peers' adapters import their package on first call
            found[name] = tool
        except ImportError as error:
            print(f"{name}: not installed ({error}); left out of the speed table", file=sys.stderr)
    return found


def time_side_by_side(rounds: int, pages_regex: str | None, limit: int | None, wall: bool) -> None:
    pages = load_pages(pages_regex, limit)
    _AS_BYTES.update((id(html), html.encode()) for _, _, html, _ in pages)
    tools = contenders()
    names = list(tools)
    clock = time.perf_counter if wall else time.thread_time
    for name in names:  # warm-up: imports, caches of compiled patterns
        tools[name](pages[0][2], pages[0][3])
    best: dict[tuple[str, str, str], float] = {}
    first: dict[tuple[str, str, str], float] = {}  # round 1: every page new, as the referee has it
    for round_number in range(rounds):
        for number, (corpus, pid, html, url) in enumerate(pages):
            # The tools take turns on each page (each keeps its own caches, as in real use),
            # in an order drawn for this page and round: no tool always follows the same one.
            order = names[:]
            random.Random(number * 1000 + round_number).shuffle(order)
            for name in order:
                extract = tools[name]
                gc.collect(0)
                started = clock()
                with contextlib.suppress(Exception):  # a peer failing is timed all the same
                    extract(html, url)
                elapsed = (clock() - started) * 1000
                key = (name, corpus, pid)
                best[key] = min(best.get(key, elapsed), elapsed)
                first.setdefault(key, elapsed)
    print()
    print(
        f"Speed side by side: one process, {rounds} round(s); the tools take turns page by page; "
        f"{'wall' if wall else 'CPU'} time; a page's time is its fastest round;\n"
        "'1st' columns: round 1 only, where every page is met for the first time (as the referee"
        " meets it: per-site caches cold)"
    )
    header = (
        f"{'tool':<18}{'corpus':<13}{'pages':>6}{'med ms':>8}{'p95 ms':>8}"
        f"{'ours faster: med/med':>22}{'per-page med':>14}{'1st med':>9}{'1st: ours faster':>18}"
    )
    print(header)
    print("-" * len(header))
    corpora = sorted({corpus for corpus, _, _, _ in pages})
    for name in names:
        for corpus in corpora:
            ids = [pid for c, pid, _, _ in pages if c == corpus]
            times = sorted(best[(name, corpus, pid)] for pid in ids)
            mine = [best[(OURS, corpus, pid)] for pid in ids] if OURS in tools else []
            first_median = statistics.median(first[(name, corpus, pid)] for pid in ids)
            ratio = per_page = first_ratio = "-"
            if name != OURS and mine:
                ratio = f"{statistics.median(times) / statistics.median(mine):.2f}x"
                per_page = f"{statistics.median(best[(name, corpus, p)] / best[(OURS, corpus, p)] for p in ids):.2f}x"
                ours_first = statistics.median(first[(OURS, corpus, pid)] for pid in ids)
                first_ratio = f"{first_median / ours_first:.2f}x"
            p95 = times[min(len(times) - 1, int(0.95 * (len(times) - 1) + 0.5))]
            print(
                f"{name:<18}{corpus:<13}{len(ids):>6}{statistics.median(times):>8.2f}{p95:>8.2f}"
                f"{ratio:>22}{per_page:>14}{first_median:>9.2f}{first_ratio:>18}"
            )
    if APP in tools and FLOOR in tools:
        print_app_over_floor(pages, best, first)


def print_app_over_floor(
    pages: list[tuple[str, str, str, str | None]],
    best: dict[tuple[str, str, str], float],
    first: dict[tuple[str, str, str], float],
) -> None:
    """The speed target: the app's extract() median over the every-<p> floor's median, on the
    same pages in the same run (per corpus and over all pages; best round and round 1)."""
    print()
    print(f"Speed target: {APP} median / {FLOOR} median (same pages, same run; target <= 4x)")
    groups = [
        (corpus, [p for p in pages if p[0] == corpus]) for corpus in sorted({p[0] for p in pages})
    ]
    calls = [APP, APP_BYTES] if any(key[0] == APP_BYTES for key in best) else [APP]
    for call in calls:
        if call != APP:
            print(
                f"{call}: the same, on the page's bytes with its Content-Type (decoding included)"
            )
        for label, chosen in [*groups, ("all pages", pages)]:
            keys = [(corpus, pid) for corpus, pid, _, _ in chosen]
            cells = []
            for times in (best, first):
                app = statistics.median(times[(call, c, p)] for c, p in keys)
                floor = statistics.median(times[(FLOOR, c, p)] for c, p in keys)
                cells.append(f"{app:.2f} / {floor:.2f} ms = {app / floor:.2f}x")
            print(f"  {label:<13} best round: {cells[0]:<28} round 1: {cells[1]}")


# --- speed as the referee meets pages --------------------------------------------------------


def worker(name: str) -> int:
    """Child of time_in_workers: one tool in its own process, as the referee runs it. Reads
    {"html", "url"} JSON lines, answers [wall s, CPU s] of each call (on a private copy of
    stdout: a library printing cannot garble the answers)."""
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    extract = load_tool(name)
    extract(WARM_UP, None)
    for line in sys.stdin:
        request = json.loads(line)
        wall, cpu = time.perf_counter(), time.thread_time()
        with contextlib.suppress(Exception):  # a peer failing is timed all the same
            extract(request["html"], request["url"])
        answers.write(json.dumps([time.perf_counter() - wall, time.thread_time() - cpu]) + "\n")
        answers.flush()
    return 0


WARM_UP = (
    "<html><head><title>Warm-up</title></head><body><p>Parsed once, untimed.</p></body></html>"
)


def time_in_workers(pages_regex: str | None, limit: int | None) -> None:
    """Every tool in a worker process of its own, each page sent over a pipe to every worker in
    turn (the first turn passing from tool to tool): the referee's way of meeting pages (one
    visit each, in a process that waited on a pipe in between), with a change of load hitting
    all tools alike, which the referee's runs one after another cannot give."""
    pages = load_pages(pages_regex, limit)
    names = [name for name in contenders() if name != APP_BYTES]  # the text path only
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--worker", name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name in names
    }
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        for number, (corpus, _, html, url) in enumerate(pages):
            message = json.dumps({"html": html, "url": url}) + "\n"
            turn = number % len(names)
            for name in names[turn:] + names[:turn]:
                process = workers[name]
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(message)
                process.stdin.flush()
                wall, cpu = json.loads(process.stdout.readline())
                times.setdefault((name, corpus), []).append((wall * 1000, cpu * 1000))
    finally:
        for process in workers.values():
            if process.stdin is not None:
                process.stdin.close()
            process.wait()
    print()
    print(
        "Speed as the referee meets pages: one worker process per tool, each page once, sent to "
        "the workers in turn;\nmedian wall and CPU ms, and how many times faster ours is "
        "(ratio of wall medians)"
    )
    header = f"{'tool':<18}{'corpus':<13}{'pages':>6}{'wall ms':>9}{'CPU ms':>8}{'ours faster':>13}"
    print(header)
    print("-" * len(header))
    for name in names:
        for corpus in sorted({corpus for corpus, _, _, _ in pages}):
            walls = [wall for wall, _ in times[(name, corpus)]]
            cpus = [cpu for _, cpu in times[(name, corpus)]]
            mine = [wall for wall, _ in times.get((OURS, corpus), [])]
            ratio = "-"
            if name != OURS and mine:
                ratio = f"{statistics.median(walls) / statistics.median(mine):.2f}x"
            print(
                f"{name:<18}{corpus:<13}{len(walls):>6}{statistics.median(walls):>9.2f}"
                f"{statistics.median(cpus):>8.2f}{ratio:>13}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", help="only pages whose id matches this regex")
    parser.add_argument("--limit", type=int, help="at most N pages per corpus")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the side-by-side timing")
    parser.add_argument(
        "--wall", action="store_true", help="time the side by side in wall time, not CPU time"
    )
    parser.add_argument("--no-referee", action="store_true", help="skip the quality runs")
    parser.add_argument(
        "--shared", type=Path, help=f"the shared folder (default {SHARED}: beside the checkout)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: see worker()
    args = parser.parse_args(argv)
    if args.shared is not None:
        global REFEREE, CORPUS
        REFEREE = args.shared / "tools" / "score_extraction.py"
        CORPUS = args.shared / "corpora" / "extraction"
    if args.worker:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        return worker(args.worker)
    if not REFEREE.is_file() or not CORPUS.is_dir():
        print(f"{SHARED} is absent: nothing to benchmark.")
        return 0
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if not args.no_referee:
        extra = (["--pages", args.pages] if args.pages else []) + (
            ["--limit", str(args.limit)] if args.limit else []
        )
        results = {}
        for tool, module in TOOLS.items():
            print(f"running {tool}…", file=sys.stderr)
            results[tool] = run_referee(module, extra)
        print_quality(results)
    print("timing side by side…", file=sys.stderr)
    time_side_by_side(max(1, args.rounds), args.pages, args.limit, args.wall)
    print("timing in worker processes…", file=sys.stderr)
    time_in_workers(args.pages, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

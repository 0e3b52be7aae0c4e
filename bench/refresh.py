"""Refresh speed: `broadsheet refresh` against `newsboat -x reload`, on feeds served from loopback.

    .venv/bin/python bench/refresh.py [--runs 5] [--feeds 100] [--quick] [--transports httpx,aiohttp]

The project's generator (bench/feedgen.py) builds `--feeds` RSS feeds of 50 items (a few KB of
content:encoded each) and serves them on 127.0.0.1 with ETag and Last-Modified. Both tools run
as real processes on private temp directories (XDG_* and HOME point there), alternating which
goes first, `--runs` times in each of three scenarios:

  cold        empty cache: everything downloaded, parsed and stored;
  re-send     warm cache, but the server has published new items in every feed (new ETag and
              Last-Modified), so everything is downloaded again and merged;
  unchanged   warm cache, nothing changed: every answer is a 304.

Re-send runs before unchanged and each bump adds ten items per feed, so by the unchanged runs
both caches hold 100 entries per feed (what a week of real use looks like), not 50.

Both get 8 fetches in flight (newsboat `reload-threads 8`; Broadsheet `concurrency = 8`,
`per_host = 8`, because here every feed is on one host, while real subscriptions are spread
over many). The server counts its 200 and 304 answers during every run and the tables show
them; a round in which some tool did not get every feed answered as the scenario expects (all
200s, or all 304s when unchanged) is reported and left out of the comparison, so a tool that
skipped work cannot win by it.

`--transports httpx,aiohttp` also times `broadsheet refresh` over each named HTTP transport
(the BROADSHEET_HTTP_TRANSPORT variable of tui/core/http/fetcher.py; "aiohttp" is httpx-aiohttp,
in the bench extra), as separate tools in the same interleaved rounds, in a table of its own.

Also: Broadsheet's cold refresh of 10 × `--feeds` feeds against `--feeds` (target ≤ 11×), and
its peak RSS at 10 × `--feeds` (target < 150 MB): the peak of the RSS summed over the process
and its worker processes, sampled every 20 ms, next to the largest process's own ru_maxrss.
Children are started by a small helper (bench/launcher.py), because a child's ru_maxrss
includes the memory of whoever forked it, and this process holds every generated feed.
Targets for the Broadsheet/newsboat ratio: ≤ 0.50 cold, ≤ 0.45 re-send, ≤ 0.80 unchanged. If
newsboat is not installed the bench says so and measures Broadsheet alone; it installs nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.feedgen import FeedServer, FeedSet
from bench.launcher import Launcher
from tui.core.http.fetcher import DEFAULT_TRANSPORT, TRANSPORT_VARIABLE, TRANSPORTS

ROOT = Path(__file__).resolve().parent.parent
BROADSHEET = ROOT / ".venv" / "bin" / "broadsheet"
TARGETS = {"cold": 0.50, "re-send": 0.45, "unchanged": 0.80}
TRANSPORT_SCENARIOS = ("cold", "re-send", "unchanged")
SCALE_TARGET = 11.0
RSS_TARGET_MB = 150.0
THREADS = 8
_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # the largest process (ru_maxrss)
    tree_rss_mb: float  # the process and its workers together (sampled peak of the sum)
    requests: int = 0  # answered by the server during the run (200s and 304s)
    not_modified: int = 0  # of which 304s
    complete: bool = True  # every feed answered as the scenario expects


@dataclass
class Tool:
    """One client under test, with its private state directory."""

    name: str
    home: Path
    urls: list[str]
    launcher: Launcher
    runs: dict[str, list[Run]] = field(default_factory=dict)
    last_output: tuple[str, str] = ("", "")

    def env(self) -> dict[str, str]:
        # PYTHONDONTWRITEBYTECODE (set in some sandboxes) would make every run compile the
        # modules changed since the last install from source: an installed program has its
        # bytecode, so the discarded warm-up run is allowed to write it.
        dropped = {*_PROXY_VARS, "PYTHONDONTWRITEBYTECODE"}
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_DATA_HOME=str(self.home / "data"),
            NO_PROXY="127.0.0.1",
            no_proxy="127.0.0.1",
        )
        return env

    def reset(self) -> None:
        """An empty cache and state, and a fresh config: a first refresh from nothing."""
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        self.write_config()

    def write_config(self) -> None:
        raise NotImplementedError

    def command(self) -> list[str]:
        raise NotImplementedError

    def check_output(self, stdout: str, stderr: str) -> None:
        """Raise when the tool's own output says the refresh did not fully succeed."""

    def run(self, scenario: str) -> Run:
        result, *output = run_child(self.launcher, self.command(), self.env(), self.home)
        self.last_output = (output[0], output[1])
        self.runs.setdefault(scenario, []).append(result)
        return result


class Broadsheet(Tool):
    """`broadsheet refresh`; `transport` picks the HTTP transport (None: the app's default)."""

    def __init__(self, *args: object, transport: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.transport = transport

    def env(self) -> dict[str, str]:
        env = super().env()
        env.pop(TRANSPORT_VARIABLE, None)
        if self.transport is not None:
            env[TRANSPORT_VARIABLE] = self.transport
        return env

    def write_config(self) -> None:
        path = self.home / "config" / "broadsheet" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            "[settings]",
            "sample_edition = false",
            f"concurrency = {THREADS}",
            f"per_host = {THREADS}",
        ]
        for url in self.urls:
            lines += ["", "[[feeds]]", f'url = "{url}"']
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def command(self) -> list[str]:
        # --all: every feed, as `newsboat -x reload` does (a plain `refresh` asks only for the
        # feeds that are due, and every feed here was refreshed moments before).
        return [str(BROADSHEET), "refresh", "--all"]

    def check_output(self, stdout: str, stderr: str) -> None:
        match = re.search(r"Refreshed (\d+) of (\d+) feeds", stdout)
        if not match or match.group(1) != match.group(2) or int(match.group(2)) != len(self.urls):
            raise RuntimeError(f"broadsheet refresh did not refresh every feed:\n{stdout}{stderr}")


class Newsboat(Tool):
    def write_config(self) -> None:
        (self.home / "urls").write_text("\n".join(self.urls) + "\n", encoding="utf-8")
        (self.home / "config").write_text(f"reload-threads {THREADS}\n", encoding="utf-8")

    def command(self) -> list[str]:
        home = self.home
        return [
            "newsboat",
            "-x",
            "reload",
            "-u",
            str(home / "urls"),
            "-c",
            str(home / "cache.db"),
            "-C",
            str(home / "config"),
        ]

    def check_output(self, stdout: str, stderr: str) -> None:
        if "error" in (stdout + stderr).lower():
            raise RuntimeError(f"newsboat reported an error:\n{stdout}{stderr}")


def run_child(
    launcher: Launcher, command: list[str], env: dict[str, str], cwd: Path
) -> tuple[Run, str, str]:
    """Run a command to completion through the launcher (bench/launcher.py: so that its peak
    RSS is its own, not this big process's): wall time, peak RSS, stdout and stderr."""
    out_path, err_path = cwd / "stdout.txt", cwd / "stderr.txt"
    child = launcher.run(command, env=env, cwd=cwd, stdout=out_path, stderr=err_path)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    if child.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {child.returncode}:\n{stdout}{stderr}")
    return Run(child.seconds, child.max_rss_mb, child.tree_rss_mb), stdout, stderr


def timed(tool: Tool, scenario: str, server: FeedServer, expect: str) -> Run:
    """One run of `tool`, with the server's count of what it answered: every feed must have been
    sent as `expect` (ok/304) for the run to count; a run that was not is kept, marked, and left
    out of the comparisons (with its round), so a tool that skipped work cannot win by it."""
    server.take_counts()
    result = tool.run(scenario)
    tool.check_output(*tool.last_output)
    counts = server.take_counts()
    result.requests = counts["ok"] + counts["not_modified"]
    result.not_modified = counts["not_modified"]
    wanted = len(tool.urls)
    result.complete = counts[expect] == wanted and result.requests == wanted
    if not result.complete:
        print(f"  {tool.name} {scenario}: expected {wanted} × {expect}, got {counts}: not compared")
    return result


def scenarios(tools: list[Tool], server: FeedServer, runs: int) -> None:
    for n in range(runs):  # cold: empty caches every time
        for tool in tools if n % 2 == 0 else tools[::-1]:
            tool.reset()
            timed(tool, "cold", server, "ok")
    for n in range(runs):  # re-send: one new generation per round, both tools fetch it
        server.feeds.bump()
        for tool in tools if n % 2 == 0 else tools[::-1]:
            timed(tool, "re-send", server, "ok")
    for n in range(runs):  # unchanged: both already hold the current generation
        for tool in tools if n % 2 == 0 else tools[::-1]:
            timed(tool, "unchanged", server, "not_modified")


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs) if runs else float("nan")


def compared(tools: list[Tool], scenario: str) -> list[list[Run]]:
    """Each tool's runs of `scenario` from the rounds in which every tool did all the work."""
    rounds = zip(*(tool.runs[scenario] for tool in tools), strict=True)
    kept = [runs for runs in rounds if all(r.complete for r in runs)]
    return [list(column) for column in zip(*kept, strict=True)] or [[] for _ in tools]


def counts(runs: list[Run]) -> str:
    """The server's answers per run, e.g. "100 req, 100×304" (a range when runs differ)."""

    def span(values: list[int]) -> str:
        low, high = min(values), max(values)
        return str(low) if low == high else f"{low}-{high}"

    if not runs:
        return "—"
    return f"{span([r.requests for r in runs])} req, {span([r.not_modified for r in runs])}×304"


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=5, help="runs per tool per scenario")
    options.add_argument("--feeds", type=int, default=100, help="feeds in the main scenarios")
    options.add_argument("--quick", action="store_true", help="2 runs, one scaling run")
    options.add_argument(
        "--transports",
        default="",
        help=f"comma-separated HTTP transports to time side by side ({', '.join(TRANSPORTS)})",
    )
    args = options.parse_args()
    runs = 2 if args.quick else args.runs
    transports = [t for t in args.transports.split(",") if t]
    if unknown := [t for t in transports if t not in TRANSPORTS]:
        options.error(
            f"unknown transport {', '.join(unknown)}: choose from {', '.join(TRANSPORTS)}"
        )
    if not BROADSHEET.exists():
        print(f"missing {BROADSHEET}: install the project into .venv first", file=sys.stderr)
        return 2
    have_newsboat = shutil.which("newsboat") is not None
    if not have_newsboat:
        print("newsboat is not installed (apt-get install newsboat): measuring Broadsheet alone")

    launcher = Launcher()  # first, while this process is small (see bench/launcher.py)
    with launcher, tempfile.TemporaryDirectory(prefix="bench-refresh-") as temp:
        base = Path(temp)
        feeds = FeedSet(args.feeds)
        with FeedServer(feeds) as server:
            print(
                f"{args.feeds} feeds × {feeds.items} items, {feeds.total_bytes() / 2**20:.1f} MiB "
                f"per full refresh, {runs} runs per tool per scenario, {THREADS} fetches at once"
            )
            # The app as it is (no transport chosen) first; then each transport asked for.
            tools: list[Tool] = [
                Broadsheet("broadsheet", base / "broadsheet", server.urls, launcher)
            ]
            for name in transports:
                tools.append(
                    Broadsheet(
                        f"broadsheet[{name}]",
                        base / f"broadsheet-{name}",
                        server.urls,
                        launcher,
                        transport=name,
                    )
                )
            if have_newsboat:
                tools.append(Newsboat("newsboat", base / "newsboat", server.urls, launcher))
            for tool in tools:  # a discarded warm-up: bytecode caches, page cache, server threads
                tool.reset()
                timed(tool, "warm-up", server, "ok")
            scenarios(tools, server, runs)

        scale_runs = 1 if args.quick else min(runs, 3)
        big = FeedSet(args.feeds * 10)
        with FeedServer(big) as server:
            scaled = Broadsheet("broadsheet", base / "broadsheet-big", server.urls, launcher)
            for _ in range(scale_runs):
                scaled.reset()
                timed(scaled, "cold", server, "ok")

    ours = tools[0]
    print()
    header = (
        f"{'scenario':10} {'broadsheet s':>13} {'newsboat s':>11} {'ratio':>6} {'target':>7}"
        f"  {'broadsheet got':>20}  {'newsboat got':>20}"
    )
    print(header)
    print("-" * len(header))
    for scenario, target in TARGETS.items():
        if have_newsboat:
            pair = [ours, tools[-1]]
            b_runs, n_runs = compared(pair, scenario)
            b, n = median(b_runs), median(n_runs)
            verdict = "ok" if b / n <= target else "MISSED"
            print(
                f"{scenario:10} {b:13.3f} {n:11.3f} {b / n:6.2f} {'≤ ' + str(target):>7}"
                f"  {counts(b_runs):>20}  {counts(n_runs):>20} {verdict}"
                f"  ({len(b_runs)} of {len(ours.runs[scenario])} rounds compared)"
            )
        else:
            b_runs = [r for r in ours.runs[scenario] if r.complete]
            print(
                f"{scenario:10} {median(b_runs):13.3f} {'—':>11} {'—':>6} {'≤ ' + str(target):>7}"
                f"  {counts(b_runs):>20}"
            )
    if transports:
        transport_table(tools[: 1 + len(transports)], transports)
    small, large = median(ours.runs["cold"]), median(scaled.runs["cold"])
    ratio = large / small
    print(
        f"\nscaling: {args.feeds * 10} feeds cold {large:.3f} s vs {args.feeds} feeds {small:.3f} s"
        f" = {ratio:.1f}× (target ≤ {SCALE_TARGET:g}×) {'ok' if ratio <= SCALE_TARGET else 'MISSED'}"
    )

    def peaks(runs: list[Run]) -> tuple[float, float]:
        return max(r.max_rss_mb for r in runs), max(r.tree_rss_mb for r in runs)

    small_peak, small_tree = peaks([r for rs in ours.runs.values() for r in rs])
    big_peak, big_tree = peaks(scaled.runs["cold"])
    verdict = "ok" if big_tree < RSS_TARGET_MB else "MISSED"
    print(
        f"peak RSS of broadsheet at {args.feeds * 10} feeds: {big_tree:.0f} MB with its workers, "
        f"{big_peak:.0f} MB its largest process (target < {RSS_TARGET_MB:g} MB) {verdict}; "
        f"at {args.feeds} feeds: {small_tree:.0f} MB, largest process {small_peak:.0f} MB"
    )
    if have_newsboat:
        _, nb_tree = peaks([r for rs in tools[-1].runs.values() for r in rs])
        print(f"peak RSS of newsboat at {args.feeds} feeds: {nb_tree:.0f} MB")
    print(f"(a child doing nothing reports {launcher.floor_mb:.0f} MB here)")
    return 0


def transport_table(tools: list[Tool], transports: list[str]) -> None:
    """The transports side by side: medians over the rounds where all did all the work, each
    against the fastest."""
    chosen = tools[1:]
    print(f"\nHTTP transports (the app's default: {DEFAULT_TRANSPORT}), whole processes:")
    header = f"{'transport':10}" + "".join(
        f" {scenario + ' s':>12} {'vs best':>7} {'got':>18}" for scenario in TRANSPORT_SCENARIOS
    )
    print(header)
    print("-" * len(header))
    medians: dict[str, dict[str, float]] = {}
    got: dict[str, dict[str, str]] = {}
    for scenario in TRANSPORT_SCENARIOS:
        columns = compared(chosen, scenario)
        for name, runs in zip(transports, columns, strict=True):
            medians.setdefault(name, {})[scenario] = median(runs)
            got.setdefault(name, {})[scenario] = counts(runs)
    best = {s: min(medians[t][s] for t in transports) for s in TRANSPORT_SCENARIOS}
    for name in transports:
        print(
            f"{name:10}"
            + "".join(
                f" {medians[name][s]:12.3f} {medians[name][s] / best[s]:7.2f} {got[name][s]:>18}"
                for s in TRANSPORT_SCENARIOS
            )
        )


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark `broadsheet refresh` + `broadsheet prefetch` against a generated news site.

bench/pagegen.py writes 1,000 article pages (~100 KB of realistic news markup each) and feeds
listing them; a loopback server on 127.0.0.1 serves them. Each run uses fresh temp XDG dirs,
runs the real CLI (`python -m tui refresh`, then `python -m tui prefetch`) as child processes
and measures:

- articles/s: articles made available offline (fetched + extracted + cached) divided by the
  prefetch process's wall time, start-up included;
- peak RSS of the prefetch process and its worker processes together (sampled; started by
  bench/launcher.py, since a child's own ru_maxrss would include this process's pages);
- cache size on disk (du of the cache dir, allocated blocks) divided by the raw HTML bytes.

Medians of --runs runs (default 3) are compared with the targets. Only 127.0.0.1 traffic.

    .venv/bin/python bench/prefetch.py [--pages 1000] [--runs 3] [--per-host N] [--concurrency N]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.launcher import Launcher  # noqa: E402
from bench.pagegen import generate_site  # noqa: E402
from tests.servers.loopback import Route, serve  # noqa: E402

TARGET_RATE = 150.0
TARGET_RSS_MB = 200.0
TARGET_RATIO = 1 / 3


def du_bytes(directory: Path) -> int:
    """Bytes allocated on disk under `directory` (like `du -s`, in bytes)."""
    total = 0
    for dirpath, _dirs, files in os.walk(directory):
        for name in files:
            total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total


def run_child(
    launcher: Launcher, argv: list[str], env: dict[str, str]
) -> tuple[int, str, str, float, float]:
    """Run a child to completion through the launcher (so its peak RSS is its own, not this
    process's, which holds every page): (exit code, stdout, stderr, wall s, peak RSS MiB).
    The peak is of the child and its worker processes together."""
    with tempfile.TemporaryDirectory(prefix="bench-prefetch-out-") as tmp:
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        child = launcher.run(argv, env=env, cwd=ROOT, stdout=out, stderr=err)
        return (
            child.returncode,
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
            child.seconds,
            child.tree_rss_mb,
        )


def one_run(
    launcher: Launcher, feed_urls: list[str], html_bytes: int, args: argparse.Namespace
) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-prefetch-") as tmp:
        root = Path(tmp)
        # Without PYTHONDONTWRITEBYTECODE (set in some sandboxes) bytecode is cached like in
        # any installed program, instead of every changed module compiling in every run.
        env = {
            k: v
            for k, v in os.environ.items()
            if "proxy" not in k.lower() and k != "PYTHONDONTWRITEBYTECODE"
        }
        env.update(
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_CACHE_HOME=str(root / "cache"),
            XDG_DATA_HOME=str(root / "data"),
            PYTHONPATH=str(ROOT),
        )
        config = root / "config" / "broadsheet" / "config.toml"
        config.parent.mkdir(parents=True)
        settings = "[settings]\nsample_edition = false\n"
        if args.per_host:
            settings += f"per_host = {args.per_host}\n"
        if args.concurrency:
            settings += f"concurrency = {args.concurrency}\n"
        config.write_text(settings + "".join(f'\n[[feeds]]\nurl = "{u}"\n' for u in feed_urls))
        cli = [sys.executable, "-m", "tui"]
        code, out, err, refresh_s, _ = run_child(launcher, [*cli, "refresh"], env)
        if code != 0:
            raise SystemExit(f"refresh failed ({code}): {err or out}")
        code, out, err, seconds, rss = run_child(launcher, [*cli, "prefetch"], env)
        if code != 0:
            raise SystemExit(f"prefetch failed ({code}): {err or out}")
        made = re.search(r"Made (\d+) articles available offline in ([\d.]+) s; (\d+) failed", out)
        if made is None:
            raise SystemExit(f"unexpected prefetch output: {out!r}")
        articles, failed = int(made.group(1)), int(made.group(3))
        cache_bytes = du_bytes(root / "cache" / "broadsheet")
        return {
            "refresh_s": refresh_s,
            "articles": articles,
            "failed": failed,
            "seconds": seconds,
            "rate": articles / seconds,
            "inner_rate": articles / float(made.group(2)),
            "rss_mb": rss,
            "cache_mb": cache_bytes / 2**20,
            "ratio": cache_bytes / html_bytes,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-host", type=int, default=0, help="override settings.per_host")
    parser.add_argument("--concurrency", type=int, default=0, help="override settings.concurrency")
    args = parser.parse_args()

    launcher = Launcher()  # first, while this process is small (see bench/launcher.py)
    with launcher, serve() as server:
        started = time.perf_counter()
        pages, feeds = generate_site(str(server), pages=args.pages)
        for path, html in pages.items():
            server.route(path, Route(body=html, content_type="text/html; charset=utf-8"))
        for path, xml in feeds.items():
            server.route(path, Route(body=xml, content_type="application/rss+xml"))
        html_bytes = sum(len(h) for h in pages.values())
        print(
            f"{len(pages)} pages, {html_bytes / 2**20:.1f} MiB of HTML "
            f"(mean {html_bytes / len(pages) / 1000:.0f} kB), {len(feeds)} feeds; "
            f"generated in {time.perf_counter() - started:.1f} s"
        )
        feed_urls = [server.url(p) for p in feeds]
        runs = []
        for n in range(args.runs):
            result = one_run(launcher, feed_urls, html_bytes, args)
            runs.append(result)
            print(
                f"run {n + 1}: {result['articles']:.0f} articles ({result['failed']:.0f} failed) "
                f"in {result['seconds']:.2f} s = {result['rate']:.0f}/s "
                f"({result['inner_rate']:.0f}/s excluding start-up); "
                f"peak RSS {result['rss_mb']:.0f} MiB; cache {result['cache_mb']:.1f} MiB "
                f"= {result['ratio']:.3f} of the HTML; refresh {result['refresh_s']:.2f} s"
            )
        if server.hits() == 0:
            raise SystemExit("the server saw no traffic")
        print(
            f"server: {server.hits()} requests on {server.connections} TCP connections, "
            f"at most {server.max_in_flight} in flight"
        )

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows = [
        ("articles/s", median("rate"), f">= {TARGET_RATE:.0f}", median("rate") >= TARGET_RATE),
        (
            "peak RSS MiB",
            median("rss_mb"),
            f"<= {TARGET_RSS_MB:.0f}",
            median("rss_mb") <= TARGET_RSS_MB,
        ),
        ("cache/HTML", median("ratio"), "<= 0.333", median("ratio") <= TARGET_RATIO),
    ]
    print(
        f"\nmedians of {len(runs)} runs (a child doing nothing reports {launcher.floor_mb:.0f} MiB):"
    )
    for name, value, target, ok in rows:
        print(f"  {name:14} {value:9.3f}   target {target:8}  {'ok' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

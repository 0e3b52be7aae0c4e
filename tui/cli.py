"""The `broadsheet` command line: the app by default, and subcommands that need no terminal UI.

Imports are lazy: `broadsheet refresh` never loads Textual, and the app never waits for httpx
before its first frame.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui import __version__

if TYPE_CHECKING:
    from tui.core.session import Session


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="A keyboard-driven terminal news browser: feeds, clean articles, podcasts, offline.",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    parser.add_argument(
        "--offline", action="store_true", help="never touch the network; read from the cache"
    )
    parser.add_argument(
        "--sample", action="store_true", help="show the bundled sample edition only"
    )
    parser.add_argument(
        "--config", type=Path, help="config file (default: the platform config dir)"
    )
    parser.add_argument(
        "--cache-dir", type=Path, help="cache directory (default: the platform cache dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    read = sub.add_parser(
        "read", help="fetch (or take from the cache), extract and print an article"
    )
    read.add_argument("url")
    read.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    read.add_argument("--offline", action="store_true", default=argparse.SUPPRESS)

    feed = sub.add_parser("feed", help="print a feed and its entries")
    feed.add_argument("url")
    feed.add_argument("--format", choices=("text", "json"), default="text")
    feed.add_argument("--offline", action="store_true", default=argparse.SUPPRESS)

    sub.add_parser("refresh", help="refresh every subscription and print a summary")
    sub.add_parser("prefetch", help="make every unread article available offline")

    add = sub.add_parser("add", help="subscribe to a feed, or to the feeds a site's page announces")
    add.add_argument("url")
    add.add_argument("--title")
    add.add_argument("--folder")
    remove = sub.add_parser("remove", help="unsubscribe")
    remove.add_argument("url")
    sub.add_parser("list", help="list the subscriptions")
    opml_in = sub.add_parser("import", help="import subscriptions from an OPML file")
    opml_in.add_argument("file", type=Path)
    sub.add_parser("export", help="print the subscriptions as OPML 2.0")

    cache = sub.add_parser("cache", help="cache information and maintenance")
    cache.add_argument("action", choices=("info", "clear"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from tui.core.errors import BroadsheetError

    try:
        if args.command is None:
            return _run_app(args)
        from tui import commands

        return commands.run(args)
    except BroadsheetError as error:
        print(f"broadsheet: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def open_from_args(
    args: argparse.Namespace, *, sample_only: bool | None = None, first_run: bool = True
) -> Session:
    """The session for a command; `first_run=False` for commands that should not write a config."""
    from tui.core.session import open_session

    return open_session(
        config_path=args.config,
        cache_dir=args.cache_dir,
        offline=args.offline,
        sample_only=args.sample if sample_only is None else sample_only,
        write_first_run=first_run,
    )


def _run_app(args: argparse.Namespace) -> int:
    # Start-up allocates hundreds of thousands of objects that live as long as the process;
    # the cyclic collector would scan them again and again (about a tenth of the launch,
    # bench/startup.py). It stays off until the first frame: see freeze_start_up_heap.
    gc.disable()
    session = open_from_args(args)
    try:
        from tui.ui.app import BroadsheetApp

        app = BroadsheetApp(session)
        app.run()
        return app.return_code or 0
    finally:
        session.close()

"""The `broadsheet` command line: the app by default, and subcommands that need no terminal UI.

The package: this module parses the arguments and dispatches; `session` opens the service from
them and closes it with its storage notices; `commands` holds the subcommands, which use only
the service's public methods; `output` renders articles and feeds as text or JSON. Imports are
lazy: `broadsheet refresh` never loads Textual, and the app never waits for httpx before its
first frame.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__


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
    feed.add_argument(
        "--no-measure",
        action="store_true",
        help="do not measure the episodes whose length the feed does not give "
        "(by default up to 20 are read from the first bytes of their file, as the app does)",
    )

    refresh = sub.add_parser(
        "refresh", help="refresh the subscriptions that are due and print a summary"
    )
    refresh.add_argument(
        "--all",
        action="store_true",
        help="refresh every subscription, also those whose refresh_minutes have not passed",
    )
    prefetch = sub.add_parser(
        "prefetch",
        help="refresh the subscriptions that are due, then make every unread article "
        "available offline",
    )
    prefetch.add_argument(
        "--no-refresh", action="store_true", help="work from the feeds in the cache as they are"
    )

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

    sub.add_parser(
        "sync",
        help="sync with your own reader server ([sync] in the config): subscriptions, "
        "new stories, read and starred state, both ways",
    )
    stories = sub.add_parser(
        "stories", help="list every story with its read, starred and offline state (no network)"
    )
    which = stories.add_mutually_exclusive_group()
    which.add_argument("--unread", action="store_true", help="only unread stories")
    which.add_argument("--starred", action="store_true", help="only starred stories")
    which.add_argument(
        "--saved", action="store_true", help="the stories saved for later, newest saved first"
    )
    stories.add_argument("--feed", metavar="URL", help="only the stories of this feed")
    stories.add_argument(
        "--all", action="store_true", help="also the stories your [[rules]] hide (as the app does)"
    )
    stories.add_argument("--format", choices=("text", "json"), default="text")
    mark = sub.add_parser(
        "mark",
        help="mark stories read, unread, starred or unstarred by their article URL "
        "(no network; sent at the next sync)",
    )
    mark.add_argument("action", choices=("read", "unread", "star", "unstar"))
    mark.add_argument("urls", nargs="+", metavar="URL")

    save = sub.add_parser(
        "save", help="save a web page for later: fetched, extracted and kept to read offline"
    )
    save.add_argument("url")
    save.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    unsave = sub.add_parser("unsave", help="take a page off the saved-for-later shelf")
    unsave.add_argument("url")

    export = sub.add_parser(
        "export-article",
        help="write an article (cached, saved, else fetched) to a file: Markdown with front "
        "matter by default",
    )
    export.add_argument("url")
    export.add_argument("--dir", type=Path, help="the folder (default: [settings] export_dir)")
    export.add_argument("--format", choices=("markdown", "html", "json"), default="markdown")

    share = sub.add_parser(
        "share", help="send an article to one of your [[share]] commands (the first by default)"
    )
    share.add_argument("url")
    share.add_argument("--to", metavar="NAME", help="the [[share]] command's name")

    cache = sub.add_parser("cache", help="cache information and maintenance")
    cache.add_argument("action", choices=("info", "clear"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from tui.core.errors import BroadsheetError

    try:
        if args.command is None:
            return _run_app(args)
        from tui.cli import commands

        return commands.run(args)
    except BroadsheetError as error:
        print(f"broadsheet: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run_app(args: argparse.Namespace) -> int:
    # Start-up allocates hundreds of thousands of objects that live as long as the process;
    # the cyclic collector would scan them again and again (about a tenth of the launch,
    # bench/startup.py). It stays off until the first frame: see freeze_start_up_heap.
    gc.disable()
    from tui.cli.session import open_from_args

    session = open_from_args(args)
    try:
        from tui.ui.app import BroadsheetApp

        app = BroadsheetApp(session)
        app.run()
        return app.return_code or 0
    finally:
        session.close()

"""Build a NewsService from the command line's choices: config, cache, state, sample edition."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core import paths
from tui.core.cache import Cache
from tui.core.config import (
    Config,
    Subscription,
    first_run_config,
    load_config,
    save_config,
    unusable,
)
from tui.core.errors import ConfigError
from tui.core.service import NewsService
from tui.core.state import State

if TYPE_CHECKING:
    from tui.core.workers import Workers


@dataclass
class Session:
    """A running service and what starting it had to say (config problems, cache notices)."""

    service: NewsService
    config_path: Path
    notices: list[str] = field(default_factory=list)
    config_errors: list[ConfigError] = field(default_factory=list)
    sample_server: object | None = None
    first_run: bool = False
    sample_only: bool = False
    workers: Workers | None = None

    @property
    def unusable_config(self) -> ConfigError | None:
        """The error that kept the config file from being used at all (not valid TOML,
        unreadable), if any: a command that shows or edits the subscriptions stops on it."""
        return unusable(self.config_errors)

    def close(self) -> None:
        stop = getattr(self.sample_server, "stop", None)
        if stop is not None:
            stop()
        self.service.close_sync()
        self.service.cache.close()
        self.service.state.close()
        if self.workers is not None:
            self.workers.close()


def open_session(
    *,
    config_path: Path | None = None,
    cache_dir: Path | None = None,
    offline: bool = False,
    sample_only: bool = False,
    write_first_run: bool = True,
    worker_processes: bool = False,
    warm: tuple[str, ...] = (),
) -> Session:
    """Everything the app and the CLI need, with nothing fetched yet.

    `sample_only` shows just the bundled sample edition (no subscriptions). On a first run (no
    config file) the default config is written so the user can edit it. With
    `worker_processes` (the CLI's refresh and prefetch, online) parsing and extraction run in
    worker processes, forked first thing, before any database is open or thread started; each
    imports the modules in `warm` meanwhile. `Session.close` stops them.
    """
    workers = None
    if worker_processes and not offline:
        from tui.core.workers import Workers

        workers = Workers.create(warm=warm)
    try:
        return _open(config_path, cache_dir, offline, sample_only, write_first_run, workers)
    except BaseException:
        if workers is not None:
            workers.close()
        raise


def _open(
    config_path: Path | None,
    cache_dir: Path | None,
    offline: bool,
    sample_only: bool,
    write_first_run: bool,
    workers: Workers | None,
) -> Session:
    path = config_path or paths.config_file()
    first_run = False
    errors: list[ConfigError] = []
    if sample_only:
        config = Config(path=path)
    elif not path.exists() and write_first_run:
        config = first_run_config(path)
        first_run = True
        try:
            save_config(config, path)
        except OSError as error:
            errors.append(
                ConfigError(f"could not write the first config ({type(error).__name__})", str(path))
            )
    else:
        config, errors = load_config(path)
    cache_settings = config.settings
    cache = Cache(cache_dir or paths.cache_dir(create=False), cache_settings.cache_size_mb * 2**20)
    state = State(paths.data_dir(create=False) / "state.sqlite3")
    extra: list[Subscription] = []
    server = None
    if sample_only or config.settings.sample_edition:
        if offline:
            # Nothing is fetched: read the cached sample under the URLs its server had last
            # time, without starting it (its imports, documents and thread were ~45 ms of CPU
            # before the first frame, and its shutdown more at exit).
            urls = _last_sample_feed_urls(cache)
        else:
            from tui.core.sample.server import SampleServer

            server = SampleServer()
            server.start()
            urls = server.feed_urls
            if urls != _last_sample_feed_urls(cache):
                cache.set_json("sample", "feed-urls", urls)
        extra = [Subscription(url, folder="Sample") for url in urls]
    service = NewsService(config, cache, state, offline=offline, extra_feeds=extra, workers=workers)
    notices = [n for n in (cache.notice, state.notice) if n]
    return Session(service, path, notices, errors, server, first_run, sample_only, workers)


def _last_sample_feed_urls(cache: Cache) -> list[str]:
    """The sample feeds' URLs as its server last served them. It tries the same port each
    time, but takes another when that one is busy; the cached sample is filed under the URLs
    it was fetched from, so offline reading must use those."""
    from tui.core.sample import HOST, preferred_feed_urls

    urls = cache.get_json("sample", "feed-urls")
    prefix = f"http://{HOST}:"
    if (
        isinstance(urls, list)
        and urls
        and all(isinstance(url, str) and url.startswith(prefix) for url in urls)
    ):
        return urls
    return preferred_feed_urls()

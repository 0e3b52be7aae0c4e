"""Every change to the subscriptions goes through the service: one path for the app and the CLI,
and a config file that is not valid TOML is never rewritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.cache import Cache
from tui.core.config import Config, Subscription, load_config
from tui.core.errors import ConfigError, FeedError
from tui.core.opml import OpmlFeed, parse_opml
from tui.core.service import NewsService
from tui.core.session import open_session
from tui.core.state import State

A, B, C = "https://a.example.org/feed", "https://b.example.org/feed", "https://c.example.org/feed"
OPML = f"""<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="News"><outline text="B" xmlUrl="{B}"/><outline text="C" xmlUrl="{C}"/></outline>
  <outline text="A again" xmlUrl="{A}"/>
</body></opml>""".encode()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[settings]\nrefresh_minutes = 45\n\n[[feeds]]\nurl = "{A}"\ntitle = "A"\n')
    return path


@pytest.fixture
def service(config_file: Path, tmp_path: Path) -> Iterator[NewsService]:
    config, errors = load_config(config_file)
    assert errors == []
    news = NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))
    yield news
    news.cache.close()
    news.state.close()


def _urls(path: Path) -> list[str]:
    config, errors = load_config(path)
    assert errors == []
    return [feed.url for feed in config.feeds]


def test_subscribe_and_unsubscribe_write_the_file_and_the_service(
    service: NewsService, config_file: Path
) -> None:
    service.subscribe(Subscription(B, "B", "News"))
    assert _urls(config_file) == [A, B]
    assert [s.url for s in service.user_subscriptions()] == [A, B]
    service.unsubscribe(A)
    assert _urls(config_file) == [B]
    assert [s.url for s in service.user_subscriptions()] == [B]
    assert load_config(config_file)[0].settings.refresh_minutes == 45  # settings kept


def test_unsubscribing_a_feed_not_subscribed_is_a_clear_error(
    service: NewsService, config_file: Path
) -> None:
    before = config_file.read_bytes()
    with pytest.raises(ConfigError) as raised:
        service.unsubscribe(B)
    assert f"not subscribed to {B}" in str(raised.value)
    assert str(config_file) in str(raised.value)
    assert config_file.read_bytes() == before


@pytest.mark.parametrize("how", ["subscribe", "unsubscribe", "import"])
def test_a_config_that_is_not_valid_toml_is_never_rewritten(
    service: NewsService, config_file: Path, how: str
) -> None:
    """The user broke the file while the app ran: the service's copy is fine, the file is not,
    and writing the service's copy would throw away what the user wrote."""
    broken = config_file.read_text() + '\n[[feeds]\nurl = "https://half-typed\n'
    config_file.write_text(broken)
    with pytest.raises(ConfigError) as raised:
        if how == "subscribe":
            service.subscribe(Subscription(B))
        elif how == "unsubscribe":
            service.unsubscribe(A)
        else:
            service.import_opml(OPML)
    message = str(raised.value)
    assert "not valid TOML" in message and f"{config_file}:" in message
    assert "left unchanged" in message
    assert config_file.read_text() == broken
    assert [s.url for s in service.user_subscriptions()] == [A]


def test_hand_edits_made_since_loading_are_kept(service: NewsService, config_file: Path) -> None:
    config_file.write_text(config_file.read_text() + f'\n[[feeds]]\nurl = "{C}"\nfolder = "Hand"\n')
    service.subscribe(Subscription(B))
    assert _urls(config_file) == [A, C, B]
    assert [s.url for s in service.user_subscriptions()] == [A, C, B]


def test_subscribing_under_sample_only_keeps_the_real_subscriptions(
    config_file: Path, tmp_path: Path
) -> None:
    """`--sample` runs with an empty config in memory; adding a feed there must not write that
    empty config over the user's file."""
    session = open_session(
        config_path=config_file, cache_dir=tmp_path / "cache", offline=True, sample_only=True
    )
    try:
        assert session.service.user_subscriptions() == ()
        session.service.subscribe(Subscription(B))
    finally:
        session.close()
    assert _urls(config_file) == [A, B]


def test_import_opml_adds_only_new_feeds_in_one_write(
    service: NewsService, config_file: Path
) -> None:
    assert service.import_opml(OPML) == (2, 3)
    config = load_config(config_file)[0]
    assert [(f.url, f.folder) for f in config.feeds] == [(A, None), (B, "News"), (C, "News")]
    assert service.import_opml(OPML) == (0, 3)
    with pytest.raises(FeedError):
        service.import_opml(b"<html>not opml</html>")
    assert _urls(config_file) == [A, B, C]


def test_export_lists_the_users_feeds(service: NewsService) -> None:
    service.subscribe(Subscription(B, "Bee", "News/World"))
    feeds = parse_opml(service.export_opml().encode())
    assert feeds == [OpmlFeed(A, "A", None), OpmlFeed(B, "Bee", "News/World")]


def test_a_service_without_a_config_file_changes_only_in_memory(tmp_path: Path) -> None:
    news = NewsService(Config(), Cache(tmp_path / "cache"), State(tmp_path / "state.db"))
    news.subscribe(Subscription(A))
    assert [s.url for s in news.user_subscriptions()] == [A]
    assert list(tmp_path.glob("*.toml")) == []


def test_the_theme_is_saved_through_the_same_door(service: NewsService, config_file: Path) -> None:
    service.save_theme("nord")
    config = load_config(config_file)[0]
    assert config.settings.theme == "nord" and config.settings.refresh_minutes == 45
    assert [f.url for f in config.feeds] == [A]
    config_file.write_text("[settings\n")
    with pytest.raises(ConfigError):
        service.save_theme("gruvbox")
    assert config_file.read_text() == "[settings\n"

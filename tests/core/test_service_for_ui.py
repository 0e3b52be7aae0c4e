"""The service's methods for the UI, without Textual: settings, whether a feed can be removed,
the theme written back, reading state, played marks and the player's stop when idle."""

from __future__ import annotations

from pathlib import Path

from tui.core.cache import Cache
from tui.core.config import Config, Settings, Subscription, load_config
from tui.core.models import Entry, Episode, EpisodeMark
from tui.core.service import NewsService
from tui.core.state import State


def _service(tmp_path: Path, config: Config | None = None) -> NewsService:
    config = config or Config(path=tmp_path / "config.toml")
    return NewsService(
        config,
        Cache(tmp_path / "cache"),
        State(tmp_path / "state.db"),
        extra_feeds=[Subscription("http://127.0.0.1:9/sample.xml")],
    )


def test_settings_the_ui_reads(tmp_path: Path) -> None:
    settings = Settings(reader_width=72, theme="nord", refresh_minutes=5)
    service = _service(tmp_path, Config(settings, keys={"main.play": "z"}))
    assert (service.reader_width, service.theme) == (72, "nord")
    assert service.keys == {"main.play": "z"}
    service.keys["main.play"] = "changed"  # a copy: the config is not changed through it
    assert service.keys == {"main.play": "z"}


def test_only_the_config_files_feeds_can_be_removed(tmp_path: Path) -> None:
    mine = Subscription("http://127.0.0.1:9/mine.xml")
    service = _service(tmp_path, Config(feeds=(mine,), path=tmp_path / "config.toml"))
    assert service.can_unsubscribe(mine.url)
    assert not service.can_unsubscribe("http://127.0.0.1:9/sample.xml")  # the sample edition
    assert not service.can_unsubscribe("http://127.0.0.1:9/other.xml")


def test_a_chosen_theme_is_written_to_the_config(tmp_path: Path) -> None:
    service = _service(tmp_path)
    service.save_theme(service.theme)  # unchanged: nothing written
    assert not (tmp_path / "config.toml").exists()
    service.save_theme("gruvbox")
    assert load_config(tmp_path / "config.toml")[0].settings.theme == "gruvbox"
    assert service.theme == "gruvbox"
    no_file = _service(tmp_path, Config())
    no_file.save_theme("nord")  # no config file (the sample only): nothing to write, no error
    assert no_file.theme == "textual-dark"


def test_reading_state_through_the_service(tmp_path: Path) -> None:
    service = _service(tmp_path)
    entry = Entry(id="e1", feed_url="http://127.0.0.1:9/f.xml", title="One", url="http://x/1")
    assert service.position("http://x/1") is None
    service.set_position("http://x/1", 0.4)
    assert service.position("http://x/1") == 0.4
    service.mark_read([entry])
    assert (entry.feed_url, entry.id) in service.read_ids()
    service.set_starred(entry, True)
    assert [e.id for e in service.starred()] == ["e1"]


def test_listening_through_the_service(tmp_path: Path) -> None:
    service = _service(tmp_path)
    episode = Episode(url="http://127.0.0.1:9/ep.mp3", title="Ep")
    assert service.playing is None
    assert service.stop_playing() is None  # nothing was playing
    assert service.episode_marks() == {}
    assert service.toggle_played(episode) is True
    assert service.episode_marks() == {episode.url: EpisodeMark(played=True)}
    assert service.toggle_played(episode) is False
    assert service.known_length(episode) == episode  # never measured: unchanged

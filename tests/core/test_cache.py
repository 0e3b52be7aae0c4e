"""The on-disk cache: plain values, misses on bad data, recovery from corruption."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from diskcache.core import MODE_BINARY, MODE_RAW

from tui.core.cache import Cache, RawResponse
from tui.core.models import Article, Block, Episode


def test_json_round_trip_survives_reopen(tmp_path: Path) -> None:
    article = Article(
        url="http://x/a",
        title="T",
        blocks=(Block("paragraph", "Hello"),),
        episodes=(Episode("E", "http://x/e.mp3", 2529),),
    )
    cache = Cache(tmp_path / "c")
    cache.set_json("article:1", article.url, article.to_dict())
    cache.close()
    again = Cache(tmp_path / "c")
    assert Article.from_dict(again.get_json("article:1", article.url)) == article
    assert again.names("article:1") == {"http://x/a"}


def test_raw_round_trip_and_values_are_not_pickles(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    raw = RawResponse(
        "http://x/a",
        b"<html>\x00body</html>",
        "text/html",
        '"e1"',
        "Tue, 20 May 2025 13:29:00 GMT",
        5.0,
    )
    cache.set_raw("http://x/a", raw)
    assert cache.get_raw("http://x/a") == raw
    cache.close()
    db = sqlite3.connect(tmp_path / "c" / "cache.db")
    modes = {row[0] for row in db.execute("SELECT mode FROM Cache")}
    assert modes and modes <= {MODE_RAW, MODE_BINARY}  # bytes as they are, never MODE_PICKLE


def test_undecodable_value_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    cache._store.set("v1:feed:http://x", b"not zlib")
    assert cache.get_json("feed", "http://x") is None
    assert "v1:feed:http://x" not in cache._store


def test_corrupt_database_is_moved_aside(tmp_path: Path) -> None:
    directory = tmp_path / "c"
    Cache(directory).close()
    (directory / "cache.db").write_bytes(b"garbage header" * 100)
    cache = Cache(directory)
    assert cache.notice and "moved" in cache.notice
    assert list(tmp_path.glob("c.corrupt-*"))
    cache.set_json("feed", "u", {"a": 1})
    assert cache.get_json("feed", "u") == {"a": 1}


def test_unusable_directory_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = Cache(blocker / "cache")
    assert cache.notice and "memory" in cache.notice
    cache.set_json("feed", "u", [1])
    assert cache.get_json("feed", "u") == [1]


def test_values_written_together_are_all_there_after_reopen(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    raw = RawResponse("http://x/a", b"<html>page</html>", "text/html")
    cache.set_many(
        [("article:1", "http://x/a", {"title": "A"}), ("feed", "f", [1, 2])], [("http://x/a", raw)]
    )
    cache.close()
    again = Cache(tmp_path / "c")
    assert again.get_json("article:1", "http://x/a") == {"title": "A"}
    assert again.get_json("feed", "f") == [1, 2]
    assert again.get_raw("http://x/a") == raw


def test_a_batch_that_fails_leaves_nothing_half_written(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    cache.set_json("feed", "kept", 1)
    try:
        with cache.batch():
            cache.set_json("feed", "a", 1)
            cache.delete("feed", "kept")
            raise RuntimeError("interrupted")
    except RuntimeError:
        pass
    assert cache.get_json("feed", "a") is None
    assert cache.get_json("feed", "kept") == 1


def test_the_least_recently_used_values_are_evicted_first(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", size_limit=3 * 2**20)
    page = RawResponse("http://x/0", os.urandom(200_000))  # incompressible: 200 KB stored
    for n in range(40):  # 8 MB in all, far over the limit
        cache.set_raw(f"http://x/{n}", RawResponse(f"http://x/{n}", os.urandom(200_000)))
        if n == 0:
            cache.set_raw("http://x/0", page)
        assert cache.get_raw("http://x/0") == page  # read after every write: always recent
    assert cache.get_raw("http://x/1") is None  # written early, never read: gone
    assert cache.get_raw("http://x/39") is not None
    assert cache.stats().size_bytes <= 4 * 2**20

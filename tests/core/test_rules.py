"""The rule language (valid and invalid rules with their columns, hostile regular
expressions), its evaluation, the config's [[rules]]/[[queries]] (file, line and column), and
rules applied at refresh against a loopback feed: hide, read, star, tag and saved searches."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.servers.loopback import Route, serve
from tui.core.cache import Cache
from tui.core.config import load_config, parse_config
from tui.core.rules import Query, Rule, RuleSyntaxError, Story, apply_rules, compile_match
from tui.core.rules.parser import And, Compare, Not, Or, parse_rule
from tui.core.service import NewsService
from tui.core.state import State

NOW = 1_765_000_000.0


def story(n: int, **fields: object) -> Story:
    base: dict[str, object] = {
        "key": ("http://f.test/feed.xml", f"id{n}"),
        "title": f"Story {n}",
        "feed": "Feed\nhttp://f.test/feed.xml",
        "author": "",
        "text": "",
        "url": f"https://news.test/{n}",
        "published": NOW - n * 86400,
        "tags": ("News",),
    }
    base.update(fields)
    return Story(**base)  # type: ignore[arg-type]


def matching(match: str, stories: list[Story]) -> list[int]:
    out = apply_rules((), (Query("q", match, compile_match(match)),), stories, NOW)
    return sorted(int(k[1][2:]) for k in out.queries["q"])


def test_the_tree_of_a_rule() -> None:
    tree = parse_rule("not title ~ \"a\" and (url = 'b' or AGE < 7d) or tag = News")
    assert tree == Or(
        (
            And(
                (
                    Not(Compare("title", "~", "a", 0.0, 13)),
                    Or(
                        (Compare("url", "=", "b", 0.0, 28), Compare("age", "<", "7d", 604800.0, 41))
                    ),
                )
            ),
            Compare("tag", "=", "News", 0.0, 54),
        )
    )


@pytest.mark.parametrize(
    ("source", "column", "words"),
    [
        ("", 1, "empty"),
        ("title", 6, "expected ~, =, < or >"),
        ('title ~ "open', 9, "not closed"),
        ('colour = "red"', 1, "expected a field"),
        ('title ~ "a" and', 16, "expected a field"),
        ('(title ~ "a"', 13, "expected ')' to close the '(' at column 1"),
        ('title ~ "a" title ~ "b"', 13, "expected 'and', 'or' or the end"),
        ('title < "a"', 7, "compares ages only"),
        ("age < soon", 7, "not a duration"),
        ("age ~ 3d", 5, "age takes"),
        ('title ~ "a" ; import os', 13, "unexpected character ';'"),
        ('title ~ "(a"', 9, "bad regular expression"),
        ('title ~ "(a)\\\\1"', 9, "bad regular expression"),  # no backreferences in RE2
        ("not " * 60 + 'title ~ "a"', 201, "nested too deeply"),
    ],
)
def test_a_bad_rule_names_its_column(source: str, column: int, words: str) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        compile_match(source)
    assert caught.value.column == column
    assert words in caught.value.message


def test_youtube_shorts_and_the_other_fields() -> None:
    stories = [
        story(0, url="https://www.YouTube.com/shorts/abc"),
        story(1, url="https://youtube.com/watch?v=1", author="Ada"),
        story(2, title="Rust 2.0 released", text="A long note on rust"),
        story(3, tags=("Tech", "Rust"), feed="Hacker News\nhttps://hn.test/rss"),
        story(40, published=None),
    ]
    assert matching('url ~ "youtube\\\\.com/shorts/"', stories) == [0]
    assert matching("url ~ 'youtube\\.com/shorts/'", stories) == [0]  # the same expression
    assert matching('author = "ada"', stories) == [1]
    assert matching('title ~ "^rust" or text ~ "NOTE"', stories) == [2]
    assert matching('feed = "hacker news" and tag = rust', stories) == [3]
    assert matching('feed ~ "hn\\\\.test"', stories) == [3]
    assert matching("age < 2d", stories) == [0, 1]
    assert matching("age > 2d", stories) == [3]  # an undated story has no age
    assert matching("age = 2d", stories) == [2]
    assert matching('not url ~ "youtube"', stories) == [2, 3, 40]


def test_hostile_regular_expressions_take_linear_time() -> None:
    stories = [story(n, title="a" * 5000 + "!", text="x" * 20000) for n in range(20)]
    started = time.perf_counter()
    assert matching('title ~ "(a+)+$" or title ~ "(a|aa)*c" or text ~ "(x*)*y"', stories) == []
    assert time.perf_counter() - started < 2  # a backtracking engine would not finish
    with pytest.raises(RuleSyntaxError, match="at most 1000 characters"):
        compile_match(f'title ~ "{"a" * 1001}"')


def test_actions_and_queries_see_the_tags_rules_gave() -> None:
    stories = [story(n) for n in range(4)]
    rules = [
        Rule("r", compile_match('title ~ "story 0"'), "hide"),
        Rule("r", compile_match('title ~ "story [12]"'), "tag:pick"),
        Rule("r", compile_match('title = "story 2"'), "star"),
        Rule("r", compile_match('title = "story 3"'), "read"),
    ]
    queries = [Query("Picks", "tag = pick", compile_match("tag = pick"))]
    out = apply_rules(rules, queries, stories, NOW)
    key = stories[0].key[0]
    assert out.hidden == {(key, "id0")} and out.star == {(key, "id2")}
    assert out.read == {(key, "id3")} and out.counts == [1, 2, 1, 1]
    assert out.tags == {(key, "id1"): ("pick",), (key, "id2"): ("pick",)}
    assert out.queries == {"Picks": [(key, "id1"), (key, "id2")]}


def test_config_errors_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[[rules]]\n"
        "match = 'url ~ \"youtube\\\\.com/shorts/\"'\n"
        'action = "hide"\n'
        "\n[[rules]]\n"
        "match = 'title ~ \"ok\" and nope'\n"
        'action = "hide"\n'
        "\n[[rules]]\n"
        "match = 'title ~ \"ok\"'\n"
        'action = "delete"\n'
        "\n[[queries]]\n"
        'name = "Shorts"\n'
        "match = 'url ~ \"/shorts/\"'\n"
    )
    config, errors = load_config(path)
    assert [r.action for r in config.rules] == ["hide"]
    assert [q.name for q in config.queries] == ["Shorts"]
    assert [str(e) for e in errors] == [
        f"{path}:6:27: rule 2: expected a field (title, feed, author, text, url, age, tag), "
        "found 'nope'",
        f'{path}:11: rule 3: action must be "hide", "read", "star" or "tag:NAME" (got \'delete\')',
    ]
    assert (errors[0].line, errors[0].column) == (6, 27)
    bad, errors = parse_config("[[rules]]\nmatch = 3\naction = 'hide'\n")
    assert bad.rules == () and "needs match" in errors[0].reason


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed</title>
<item><title>A short</title><link>https://www.youtube.com/shorts/x1</link><guid>1</guid></item>
<item><title>Election night live</title><link>https://n.test/live</link><guid>2</guid></item>
<item><title>Sponsored: buy now</title><link>https://n.test/ad</link><guid>3</guid></item>
<item><title>Rust 2.0</title><link>https://n.test/rust</link><guid>4</guid></item>
</channel></rss>"""


async def test_rules_apply_at_refresh_and_a_mark_by_hand_sticks(tmp_path: Path) -> None:
    with serve(
        {"/feed.xml": Route(body=FEED.encode(), content_type="application/rss+xml")}
    ) as server:
        url = server.url("/feed.xml")
        config, errors = parse_config(
            f'[[feeds]]\nurl = "{url}"\n'
            '\n[[rules]]\nmatch = \'url ~ "youtube\\\\.com/shorts/"\'\naction = "hide"\n'
            '\n[[rules]]\nmatch = \'title ~ "^sponsored"\'\naction = "read"\n'
            '\n[[rules]]\nmatch = \'title ~ "election"\'\naction = "star"\n'
            '\n[[rules]]\nmatch = \'title ~ "rust"\'\naction = "tag:lang"\n'
            '\n[[queries]]\nname = "Languages"\nmatch = \'tag = lang or title ~ "python"\'\n',
            tmp_path / "config.toml",
        )
        assert errors == []
        service = NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))
        await service.refresh_all()
        await service.aclose()
    outcome = service.rule_outcome()
    assert outcome.hidden == {(url, "1")}
    assert service.read_ids() == {(url, "3")}
    assert [e.id for e in service.starred()] == ["2"]
    assert outcome.queries == {"Languages": [(url, "4")]}
    assert outcome.counts == [1, 1, 1, 1]
    assert service.rule_lines[0] == '      hide  url ~ "youtube\\\\.com/shorts/"  (1 stories)'
    # Marked unread by hand: applying the same rules again leaves it so.
    [sponsored] = [e for e in service.cached_feed(url).entries if e.id == "3"]  # type: ignore[union-attr]
    service.mark_read([sponsored], False)
    service.apply_rules()
    assert service.read_ids() == frozenset()
    assert service.test_rule('title ~ "e"', [(url, "2"), (url, "3")]) == (
        2,
        ["Election night live", "Sponsored: buy now"],
    )

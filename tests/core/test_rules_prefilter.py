"""The rules engine's literal prefilter (tui/core/rules/literals.py): what it reads out of a
pattern, the case folding it relies on, checked against every code point, and the optimised
engine against a plain per-story evaluation on generated stories and rules."""

from __future__ import annotations

import math
import random

import pytest
import re2

from tui.core.rules import Query, Rule, RuleOutcome, Story, apply_rules, compile_match
from tui.core.rules import engine as engine_module
from tui.core.rules.engine import _options
from tui.core.rules.literals import Need, required
from tui.core.rules.parser import UNITS, And, Compare, Node, Not

NOW = 1_765_000_000.0


@pytest.mark.parametrize(
    ("pattern", "clauses", "pure"),
    [
        ("youtube\\.com/shorts/", [{"youtube.com/shorts/"}], True),
        ("Storm|RAIN", [{"storm", "rain"}], True),
        ("(?P<n>abc)def", [{"abcdef"}], True),
        ("bridge.*youtube", [{"bridge"}, {"youtube"}], False),
        ("\\belection\\b", [{"election"}], False),
        ("^author 118$", [{"author 118"}], False),
        ("colou?r", [{"colo"}, {"r"}], False),
        ("[ab]c", [{"c"}], False),
        ("\\d+ items?", [{" item"}], False),
        ("(?-i)abc", [{"abc"}], False),  # case-sensitive: still a superset, not "pure"
        ("x|.*", [], False),  # a branch with no literal: no prefilter
        ("a|", [], False),
        ("a{,3}", [], False),  # not a repetition this reader knows: no prefilter
        ("\\x41bc", [], False),
        ("é+", [], False),
        ("", [], False),
    ],
)
def test_the_literals_a_pattern_needs(pattern: str, clauses: list[set[str]], pure: bool) -> None:
    need = required(pattern)
    assert sorted(map(sorted, need.clauses)) == sorted(map(sorted, clauses))
    assert need.pure == pure


def test_ascii_literals_survive_case_folding_of_every_code_point() -> None:
    """Every character RE2 matches, case-insensitively, against a printable ASCII character
    folds (str.casefold) to that character lower-cased: the prefilter looks for lower-cased
    ASCII words in case-folded text, so it never misses what RE2 would match."""
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    found = re2.compile("[\\x20-\\x7e]", _options()).findall(every)
    assert found  # U+017F LONG S and U+212A KELVIN SIGN at least
    for char in found:
        twins = [
            c for c in map(chr, range(0x20, 0x7F)) if re2.fullmatch(re2.escape(c), char, _options())
        ]
        assert twins and all(char.casefold() == twin.lower() for twin in twins), char


# -- the optimised engine against a plain evaluation -----------------------------------------

COMMON = ["the", "Tide", "MOON", "news", "storm", "rain", "bank", "Court", "video", "city"]
RARE = ["Straße", "strasse", "ſtar", "\u212aelvin", "kelvin", "café", "CAFE", "x.y", "a+b", "zebra"]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(
        rng.choice(RARE) if rng.random() < 0.04 else rng.choice(COMMON) for _ in range(count)
    )


def _stories(rng: random.Random, n: int) -> list[Story]:
    out = []
    for i in range(n):
        feed = i // 40
        out.append(
            Story(
                key=(f"https://f{feed}.test/feed.xml", f"id{i}"),
                title=_words(rng, rng.randrange(0, 7)),
                feed=f"Feed {feed}\nhttps://f{feed}.test/feed.xml",
                author=rng.choice(["", "Ada", "ada lovelace", "Grace", f"Author {i % 7}", "ſam"]),
                text=_words(rng, rng.randrange(0, 30)),
                url=f"https://{rng.choice(['www.youtube.com/shorts', 'n.test/live', 'x.test'])}/{i}",
                published=None if i % 23 == 0 else NOW - rng.random() * 40 * 86400,
                tags=(("News", "tech", "Sport")[feed % 3], f"folder{feed % 4}"),
            )
        )
    return out


def _pattern(rng: random.Random) -> str:
    a, b = rng.choice(COMMON + RARE), rng.choice(COMMON + RARE)
    a, b = re2.escape(a), re2.escape(b)
    return rng.choice(
        [
            a,
            f"{a}|{b}",
            f"^{a}",
            f"{a}$",
            f"\\b{a}\\b",
            f"{a}.*{b}",
            f"[a-d]{a}",
            f"{a} ?{b}",
            f"({a}|{b})+ ",
            f"(?i){a}",
            f"(?-i){a}",
            f"{a}\\s+{b}",
            "(a+)+$",
            "\\d+",
            "s",
            "k",
            "ss",
            "ſ",
            "caf[eé]",
            "youtube\\.com/shorts/",
            "/live/",
            f"{a}x?",
            f"(?:{a})[^ ]*",
        ]
    )


def _comparison(rng: random.Random) -> str:
    kind = rng.randrange(9)
    if kind <= 4:
        field = rng.choice(["title", "title", "text", "text", "url", "author", "feed", "tag"])
        return f"{field} ~ '{_pattern(rng)}'"
    if kind == 5:
        return f"age {rng.choice('<>=')} {rng.randrange(1, 30)}{rng.choice('dh')}"
    if kind == 6:
        return f'tag = "{rng.choice(["news", "TECH", "folder1", "picked", "weather"])}"'
    if kind == 7:
        return f'feed = "{rng.choice(["feed 1", "Feed 3", "https://f2.test/feed.xml"])}"'
    return f'author = "{rng.choice(["ADA", "ſam", "sam", "grace"])}"'


def _rule(rng: random.Random, depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.4:
        term = _comparison(rng)
    else:
        joiner = rng.choice([" and ", " or "])
        term = "(" + joiner.join(_rule(rng, depth + 1) for _ in range(rng.randrange(2, 4))) + ")"
    return f"not {term}" if rng.random() < 0.2 else term


def _plain_matches(node: Node, story: Story, tags: tuple[str, ...]) -> bool:
    """One story, one rule, the obvious way: what the engine must agree with."""
    if isinstance(node, Not):
        return not _plain_matches(node.term, story, tags)
    if isinstance(node, And):
        return all(_plain_matches(t, story, tags) for t in node.terms)
    if not isinstance(node, Compare):
        return any(_plain_matches(t, story, tags) for t in node.terms)
    if node.field == "age":
        if story.published is None:
            return False
        age = NOW - story.published
        if node.op == "<":
            return age < node.seconds
        if node.op == ">":
            return age > node.seconds
        unit = float(UNITS.get(node.value.strip().lower()[-1:], UNITS["d"]))
        n = math.floor(node.seconds / unit + 1e-9)
        return n * unit <= age < (n + 1) * unit
    if node.field == "tag":
        values = story.tags + tags
    elif node.field == "feed" and node.op == "=":
        values = tuple(story.feed.split("\n"))
    else:
        values = (getattr(story, node.field),)
    if node.op == "~":
        return any(re2.search(node.value, v, _options()) for v in values)
    return any(v.casefold() == node.value.casefold() for v in values)


def _plain_apply(rules: list[Rule], queries: list[Query], stories: list[Story]) -> RuleOutcome:
    out = RuleOutcome()
    given: dict[int, list[str]] = {}
    hidden: set[int] = set()
    for rule in rules:
        matched = [i for i, s in enumerate(stories) if _plain_matches(rule.tree, s, ())]
        out.counts.append(len(matched))
        for i in matched:
            if rule.action == "hide":
                hidden.add(i)
                out.hidden.add(stories[i].key)
            elif rule.action in ("read", "star"):
                getattr(out, rule.action).add(stories[i].key)
            else:
                names = given.setdefault(i, [])
                if rule.action[4:] not in names:
                    names.append(rule.action[4:])
    out.tags = {stories[i].key: tuple(names) for i, names in given.items()}
    for query in queries:
        out.queries[query.name] = [
            s.key
            for i, s in enumerate(stories)
            if i not in hidden and _plain_matches(query.tree, s, tuple(given.get(i, ())))
        ]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_the_engine_agrees_with_a_plain_evaluation(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    stories = _stories(rng, 600)
    actions = ["hide", "read", "star", "tag:picked", "tag:weather"]
    rules = []
    for _ in range(40):
        match = _rule(rng)
        rules.append(Rule(match, compile_match(match), rng.choice(actions)))
    queries = []
    for n in range(8):
        match = _rule(rng)
        queries.append(Query(f"q{n}", match, compile_match(match)))
    # The prefilter must have done some of the work, or this test proves nothing about it.
    used: list[bool] = []
    prefiltered = engine_module.Evaluation._prefiltered

    def counting(
        self: engine_module.Evaluation, field: str, atom: tuple[str, str, str, float]
    ) -> bool:
        done = prefiltered(self, field, atom)
        used.append(done)
        return done

    monkeypatch.setattr(engine_module.Evaluation, "_prefiltered", counting)
    assert apply_rules(rules, queries, stories, NOW) == _plain_apply(rules, queries, stories)
    assert any(used)


def test_a_rare_word_is_found_in_every_story_that_has_it_in_any_case() -> None:
    stories = [
        Story(("f", f"id{i}"), t, "Feed\nf", "", "", "u", NOW, ())
        for i, t in enumerate(
            ["a \u212aelvin scale", "kelvin", "KELVIN", "the ſtar", "STAR", "Straße"]
            + [f"x{n}" for n in range(200)]  # all different: not matched once per value
        )
    ]
    for match, found in [
        ("title ~ 'kelvin'", [0, 1, 2]),
        ("title ~ 'star'", [3, 4]),
        ("title ~ 'strasse'", []),  # RE2 folds ß to itself only
        ("title ~ 'straße|kelvin$'", [1, 2, 5]),
    ]:
        out = apply_rules((), (Query("q", match, compile_match(match)),), stories, NOW)
        assert sorted(int(k[1][2:]) for k in out.queries["q"]) == found, match


def test_a_need_is_a_value() -> None:
    assert required("a.*b") == Need((frozenset({"a"}), frozenset({"b"})), False)


def test_ages_after_and_agree_with_a_plain_evaluation() -> None:
    """`x and age …` tests the dates of x's few stories only: the same bounds as a whole age."""
    stories = _stories(random.Random(11), 800)
    matches = [
        'feed = "Feed 3" and age < 10d',
        'feed = "feed 5" and age > 20d',
        'tag = "folder1" and feed = "Feed 9" and age = 3d',
        "title ~ 'zebra' and age < 15d and age > 2d",
        "(title ~ 'zebra' or text ~ 'café') and age = 2d",
        "age = 5d and age < 6d",  # ages alone: the whole sets
    ]
    queries = [Query(f"q{n}", m, compile_match(m)) for n, m in enumerate(matches)]
    out = apply_rules((), queries, stories, NOW)
    assert out == _plain_apply([], queries, stories)
    assert all(out.queries[f"q{n}"] for n in range(2))  # not only empty answers

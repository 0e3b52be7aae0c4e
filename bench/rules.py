"""Rules at scale: 50 rules applied to 100,000 stories (the goal: at most 1 s).

Generated stories (500 feeds of 200, titles of 8 words, summaries of about 40, URLs, authors,
dates over a year, one folder and tags per feed) and 50 rules of every kind the language has:
regular expressions on title, url, text and author, equality on feed and tag, ages, and
and/or/not with parentheses, including the YouTube Shorts rule and a hostile pattern. Prints
the median of --runs runs of `apply_rules` (all rules and 5 queries), and how many stories
each action touched.

    python bench/rules.py [--stories 100000] [--rules 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from tui.core.rules import Query, Rule, Story, apply_rules, compile_match

WORDS = [
    "the",
    "tide",
    "moon",
    "shorts",
    "news",
    "world",
    "sport",
    "rust",
    "python",
    "election",
    "market",
    "storm",
    "rain",
    "bank",
    "court",
    "police",
    "video",
    "youtube",
    "climate",
    "energy",
    "rail",
    "strike",
    "budget",
    "health",
    "school",
    "film",
    "music",
    "science",
    "space",
    "ocean",
    "forest",
    "city",
    "village",
    "coast",
    "harbour",
    "bridge",
    "road",
    "report",
    "review",
    "interview",
]

RULES = [
    ('url ~ "youtube\\\\.com/shorts/"', "hide"),
    ('title ~ "(a+)+$"', "tag:hostile"),
    ('title ~ "\\\\belection\\\\b" and feed = "Feed 3"', "star"),
    ('feed = "Feed 7" and age > 30d', "read"),
    ('not (tag = "news" or tag = "tech") and title ~ "storm|rain"', "tag:weather"),
    ('author = "Ada Lovelace"', "star"),
    ('text ~ "sponsored content"', "hide"),
    ('age < 12h and (title ~ "breaking" or url ~ "/live/")', "tag:fresh"),
]


def stories(n: int, now: float) -> list[Story]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        feed = i // 200
        title = " ".join(rng.choice(WORDS) for _ in range(8))
        text = " ".join(rng.choice(WORDS) for _ in range(40))
        host = "www.youtube.com/shorts" if i % 97 == 0 else f"site{feed}.example/news"
        out.append(
            Story(
                key=(f"https://site{feed}.example/feed.xml", f"id{i}"),
                title=title,
                feed=f"Feed {feed}\nhttps://site{feed}.example/feed.xml",
                author="Ada Lovelace" if i % 501 == 0 else f"Author {i % 300}",
                text=text,
                url=f"https://{host}/{i}",
                published=now - rng.random() * 365 * 86400,
                tags=(("news", "tech", "sport")[feed % 3], f"folder{feed % 10}"),
            )
        )
    return out


def rules(count: int) -> list[Rule]:
    out = [Rule(m, compile_match(m), a) for m, a in RULES]
    rng = random.Random(3)
    while len(out) < count:
        a, b = rng.sample(WORDS, 2)
        kind = len(out) % 4
        if kind == 0:
            match = f'title ~ "{a}.*{b}"'
        elif kind == 1:
            match = f'url ~ "site{rng.randrange(500)}\\\\." and not title ~ "{a}"'
        elif kind == 2:
            match = f'(feed = "Feed {rng.randrange(500)}" or tag = "folder{rng.randrange(10)}") and age > {rng.randrange(1, 300)}d'
        else:
            match = f'text ~ "{a} {b}" or author ~ "^author {rng.randrange(300)}$"'
        out.append(Rule(match, compile_match(match), ("hide", "read", "star", f"tag:{a}")[kind]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    now = time.time()
    listed = stories(args.stories, now)
    chosen = rules(args.rules)
    queries = [
        Query(f"q{n}", m, compile_match(m))
        for n, m in enumerate(
            ['tag = "weather"', 'title ~ "ocean"', "age < 7d", 'feed = "Feed 1"', 'tag = "fresh"']
        )
    ]
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        outcome = apply_rules(chosen, queries, listed, now)
        times.append(time.perf_counter() - started)
    print(
        f"{len(chosen)} rules + {len(queries)} queries over {len(listed):,} stories: "
        f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, "
        f"{args.runs} runs)"
    )
    print(
        f"hidden {len(outcome.hidden):,} · read {len(outcome.read):,} · starred "
        f"{len(outcome.star):,} · tagged {len(outcome.tags):,} · query sizes "
        + ", ".join(f"{k} {len(v):,}" for k, v in outcome.queries.items())
    )


if __name__ == "__main__":
    main()

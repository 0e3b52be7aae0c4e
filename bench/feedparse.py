"""Feed parser speed: ours (lxml driven directly) against feedparser and other peers.

    .venv/bin/python bench/feedparse.py [--feeds 100] [--items 50] [--runs 5]

Generates `--feeds` RSS 2.0 feeds of `--items` items each, shaped like real news and podcast
feeds (content:encoded of a few KB, categories, dc:creator, HTML in descriptions, mixed date
styles, one feed in five a podcast with enclosures and itunes tags), then times each parser over
the whole set `--runs` times and prints the medians and the ratio to ours. A peer that is not
installed (fastfeedparser, feedparser-rs) is skipped. Bare `etree.fromstring` is the floor: the
cost of reading the XML at all.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [
    "council",
    "harbour",
    "wall",
    "repair",
    "vote",
    "mayor",
    "storm",
    "coast",
    "ferry",
    "library",
    "budget",
    "school",
    "rail",
    "line",
    "minister",
    "report",
    "water",
    "bridge",
    "market",
    "festival",
    "museum",
    "orchard",
    "winter",
    "tide",
    "road",
    "hospital",
    "court",
    "police",
    "election",
    "ward",
    "housing",
    "planning",
    "inquiry",
    "shop",
    "bakery",
    "river",
    "flood",
    "season",
]
DATE_STYLES = (
    "%a, %d %b %Y %H:%M:%S +0000",
    "%a, %d %b %Y %H:%M:%S GMT",
    "%d %b %Y %H:%M:%S -0500",
    "%a, %d %b %Y %H:%M %Z",
)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def make_feed(number: int, items: int, rng: random.Random) -> bytes:
    """One RSS 2.0 feed as bytes: a news feed, or (every fifth) a podcast."""
    podcast = number % 5 == 0
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">',
        "<channel>",
        f"<title>Bench feed {number} &amp; friends</title>",
        f"<link>https://news{number}.example.org/</link>",
        f"<description>{_sentence(rng, 8, 20)}</description>",
        f'<atom:link href="https://news{number}.example.org/feed.xml" rel="self"/>',
    ]
    base = 1_750_000_000
    for index in range(items):
        stamp = time.gmtime(base - index * 3600 - rng.randint(0, 3000))
        date = time.strftime(rng.choice(DATE_STYLES), stamp)
        paragraphs = "".join(
            f'<p>{_sentence(rng, 15, 40)} <a href="/story/{index}-{n}">{rng.choice(WORDS)}</a> '
            f"<em>{_sentence(rng, 4, 9)}</em></p>"
            for n in range(rng.randint(4, 10))
        )
        categories = "".join(f"<category>{rng.choice(WORDS)}</category>" for _ in range(3))
        out.append("<item>")
        out.append(f"<title>{_sentence(rng, 5, 12)} &#8211; &lt;b&gt;live&lt;/b&gt;</title>")
        out.append(f"<link>https://news{number}.example.org/story/{index}</link>")
        out.append(f'<guid isPermaLink="false">news{number}-{index}</guid>')
        out.append(f"<pubDate>{date}</pubDate>")
        out.append(
            f"<dc:creator>{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}</dc:creator>"
        )
        out.append(categories)
        out.append(
            f"<description>&lt;p&gt;{_sentence(rng, 20, 45)}&lt;/p&gt;"
            f"&lt;p&gt;{_sentence(rng, 10, 30)}&lt;/p&gt;</description>"
        )
        out.append(f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>")
        if podcast:
            out.append(
                f'<enclosure url="https://cdn.example.org/{number}/{index}.mp3" '
                f'length="{rng.randint(10**6, 10**8)}" type="audio/mpeg"/>'
            )
            out.append(
                f"<itunes:duration>{rng.randint(5, 90)}:{rng.randint(0, 59):02d}</itunes:duration>"
            )
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def make_corpus(feeds: int, items: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    return [make_feed(number, items, rng) for number in range(feeds)]


def _parsers() -> dict[str, Callable[[bytes, str], int]]:
    """name → function(data, url) returning the entry count (so every parser does its full job)."""
    from lxml import etree

    from tui.core.feeds import parse_feed

    def lxml_floor(data: bytes, url: str) -> int:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return len(etree.fromstring(data, parser).findall("channel/item"))

    parsers: dict[str, Callable[[bytes, str], int]] = {
        "broadsheet (lxml)": lambda data, url: len(parse_feed(data, url).entries),
        "bare etree.fromstring": lxml_floor,
    }
    try:
        import feedparser

        parsers["feedparser"] = lambda data, url: len(feedparser.parse(data).entries)
    except ImportError:
        pass
    try:
        import fastfeedparser

        parsers["fastfeedparser"] = lambda data, url: len(fastfeedparser.parse(data).entries)
    except ImportError:
        pass
    try:
        import feedparser_rs

        parsers["feedparser-rs"] = lambda data, url: len(feedparser_rs.parse(data).entries)
    except ImportError:
        pass
    return parsers


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--feeds", type=int, default=100)
    options.add_argument("--items", type=int, default=50)
    options.add_argument("--runs", type=int, default=5)
    args = options.parse_args()
    corpus = make_corpus(args.feeds, args.items)
    size = sum(len(feed) for feed in corpus)
    print(f"{args.feeds} feeds × {args.items} items, {size / 2**20:.1f} MiB, {args.runs} runs each")
    results: dict[str, tuple[float, int]] = {}
    for name, parse in _parsers().items():
        times, count = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            count = sum(
                parse(feed, f"https://f{i}.example.org/feed.xml") for i, feed in enumerate(corpus)
            )
            times.append(time.perf_counter() - start)
        results[name] = (statistics.median(times), count)
    ours = results["broadsheet (lxml)"][0]
    print(f"{'parser':24} {'median s':>9} {'× ours':>7} {'entries':>8}")
    for name, (seconds, count) in sorted(results.items(), key=lambda item: item[1][0]):
        print(f"{name:24} {seconds:9.3f} {seconds / ours:7.2f} {count:8d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

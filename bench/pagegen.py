"""Generate a realistic news site for benchmarks: article pages of about 100 KB and their feeds.

Each page looks like a real news article page: a head full of meta tags, preloads and inline
JSON-LD; a header with a large navigation menu; a cookie banner; ~1,000 words of body text with
subheadings, a pull quote and a figure; two sidebars (most read, newsletter, ads); a footer
with link farms; and several inline scripts (analytics, ad config, a hydration blob). About
90% of the bytes are boilerplate, as on real sites. Text comes from a seeded Zipf-like draw over
a few hundred English words, so compression ratios are in the range of real prose rather than
the extreme ratios of repeated text. Everything is deterministic for a given seed.

    pages = generate_site("http://127.0.0.1:8000", pages=1000, per_feed=100, seed=1)
"""

from __future__ import annotations

import email.utils
import random
from dataclasses import dataclass
from datetime import datetime

_VOCAB_TEXT = """the of and to a in that is was he for it with as his on be at by i this had not are but
from or have an they which one you were her all she there would their we him been has when who will
more no if out so said what up its about into than them can only other new some could time these
two may then do first any my now such like our over man me even most made after also did many before
must through back years where much your way well down should because each just those people how too
little state good very make world still own see men work long get here between both life being under
never day same another know while last might us great old year off come since against go came right
used take three council minister government report police court hospital school water energy market
prices budget election vote party leader city region country border trade talks health workers union
strike rail station harbour bridge river flood storm weather winter summer festival museum library
archive theatre film music album season match team coach player league final goal injury transfer
bank rates inflation housing rent tenants landlord planning permission developer village farmers
harvest drought wildfire evacuation rescue volunteers charity donation scientists study research
university students teachers exam results survey poll analysts investors shares profit loss company
chief executive board spokesperson statement interview official document evidence inquiry judge trial
verdict appeal sentence jury witness lawyer prosecutor accused claims denied confirmed announced
warned expected according reported described suggested agreed rejected proposed approved delayed
cancelled opened closed launched"""
_VOCAB = _VOCAB_TEXT.split()

_SECTIONS_TEXT = (
    "World UK US Politics Business Markets Technology Science Health Education Environment Climate "
    "Sport Football Cricket Tennis Culture Books Music Film Television Travel Food Opinion Analysis "
    "Obituaries Weather Podcasts Video Photography Puzzles Crosswords Newsletters Jobs Events"
)
_SECTIONS = _SECTIONS_TEXT.split()


@dataclass(frozen=True)
class Page:
    """One generated article: where it lives, its title, and its HTML."""

    path: str
    title: str
    published: str
    html: bytes


def _words(rng: random.Random, count: int) -> str:
    # a Zipf-like draw: low indexes (function words) much more common, as in real prose
    n = len(_VOCAB)
    return " ".join(
        _VOCAB[min(n - 1, int(rng.paretovariate(1.1)) - 1 + rng.randrange(3))]
        if rng.random() < 0.6
        else _VOCAB[rng.randrange(n)]
        for _ in range(count)
    )


def _sentence(rng: random.Random) -> str:
    text = _words(rng, rng.randint(8, 24))
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        sentence = _sentence(rng)
        out.append(sentence)
        count += sentence.count(" ") + 1
    return " ".join(out)


def _nav(rng: random.Random) -> str:
    items = "".join(
        f'<li class="nav__item nav__item--{s.lower()}"><a class="nav__link" href="/{s.lower()}" '
        f'data-link-name="nav : primary : {s.lower()}">{s}</a><ul class="nav__sub">'
        + "".join(
            f'<li><a href="/{s.lower()}/{w}" data-link-name="nav : secondary : {w}">{w.title()}</a></li>'
            for w in rng.sample(_VOCAB[150:], 8)
        )
        + "</ul></li>"
        for s in _SECTIONS
    )
    return f'<nav class="site-nav" aria-label="Sections"><ul class="nav__list">{items}</ul></nav>'


def _script(rng: random.Random, name: str, size: int) -> str:
    """Minified-looking JavaScript of about `size` bytes."""
    parts = [f"(function(w,d){{var {name}={{v:'{rng.randrange(10**6)}',q:[]}};"]
    total = len(parts[0])
    while total < size:
        key = rng.choice(_VOCAB[150:])
        part = (
            f"{name}.{key}_{rng.randrange(999)}=function(a,b){{return a&&a.{key}?"
            f"d.querySelector('[data-{key}=\"'+b+'\"]'):w.{name}.q.push(['{key}',a,b,"
            f"{rng.randrange(10**5)}])}};"
        )
        parts.append(part)
        total += len(part)
    parts.append(f"w.{name}={name}}})(window,document);")
    return f"<script>{''.join(parts)}</script>"


def _sidebar(rng: random.Random, base: str, heading: str, count: int) -> str:
    items = "".join(
        f'<li class="most-read__item"><a href="{base}/{rng.choice(_SECTIONS).lower()}/2026/'
        f'{rng.randrange(1, 13):02d}/{"-".join(rng.sample(_VOCAB[150:], 5))}" '
        f'data-link-name="most read : {n}"><span class="most-read__number">{n + 1}</span>'
        f'<span class="most-read__headline">{_sentence(rng)}</span></a></li>'
        for n in range(count)
    )
    return (
        f'<aside class="sidebar" aria-label="{heading}"><h2 class="sidebar__title">{heading}</h2>'
        f'<ol class="most-read">{items}</ol><div class="ad-slot ad-slot--mpu" '
        f'data-ad-unit="/1234/news/{heading.lower().replace(" ", "-")}" data-sizes="300x250,300x600">'
        f"</div></aside>"
    )


def article_page(base: str, number: int, seed: int = 1, target_bytes: int = 100_000) -> Page:
    """Article page `number` of the site at `base`: about `target_bytes` of HTML."""
    rng = random.Random(seed * 1_000_003 + number)
    title = _sentence(rng).rstrip(".?!")
    day = 1 + number % 28
    published = f"2026-11-{day:02d}T{number % 24:02d}:{number % 60:02d}:00Z"
    path = f"/news/2026/11/{day:02d}/story-{number}.html"
    body: list[str] = [f'<p class="article__standfirst">{_paragraph(rng, 40)}</p>']
    words = 0
    while words < 1000:
        if rng.random() < 0.12:
            body.append(f"<h2>{_sentence(rng).rstrip('.?!')}</h2>")
        if rng.random() < 0.05:
            body.append(f'<blockquote class="pullquote"><p>{_sentence(rng)}</p></blockquote>')
        paragraph = _paragraph(rng, rng.randint(40, 90))
        words += paragraph.count(" ") + 1
        body.append(f"<p>{paragraph}</p>")
        if len(body) == 4:
            body.append(
                f'<figure class="article__figure"><img src="/img/{number}-1.jpg" '
                f'srcset="/img/{number}-1-480.jpg 480w, /img/{number}-1-960.jpg 960w" '
                f'alt="{_sentence(rng)}" width="960" height="540" loading="lazy">'
                f"<figcaption>{_sentence(rng)} Photograph: Agency</figcaption></figure>"
            )
            body.append(
                '<div class="ad-slot ad-slot--inline" data-ad-unit="/1234/news/inline"></div>'
            )
    article = "\n".join(body)
    head = (
        f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} | '
        f"The Loopback Herald</title>"
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="description" content="{_sentence(rng)}">'
        f'<meta property="og:title" content="{title}"><meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{published}">'
        f'<link rel="canonical" href="{base}{path}">'
        + "".join(
            f'<link rel="preload" href="/static/{k}.{rng.randrange(16**8):08x}.js" as="script">'
            for k in ("vendor", "app", "ads", "comments")
        )
        + '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{title}","datePublished":"{published}","author":{{"@type":"Person",'
        f'"name":"Sam Writer"}}}}</script>'
        + f"<style>{'.c' + '{margin:0;padding:0}.c'.join(str(i) for i in range(300))}{{}}</style>"
        + "</head>"
    )
    parts = [
        head,
        '<body class="article-page"><div class="cookie-banner" role="dialog"><p>'
        f"{_paragraph(rng, 50)}</p><button>Accept all</button><button>Manage</button></div>",
        f'<header class="site-header"><a class="logo" href="/">The Loopback Herald</a>{_nav(rng)}'
        "</header>",
        f'<main id="maincontent"><article class="article"><header><p class="kicker">'
        f'{rng.choice(_SECTIONS)}</p><h1 class="article__headline">{title}</h1>'
        f'<p class="byline">By <a rel="author" href="/profile/sam-writer">Sam Writer</a></p>'
        f'<time datetime="{published}">{published[:10]}</time></header>'
        f'<div class="article__body" itemprop="articleBody">{article}</div>'
        '<div class="share"><a href="#">Share on Mastodon</a><a href="#">Email</a></div>'
        "</article>",
        _sidebar(rng, base, "Most read", 10),
        _sidebar(rng, base, "Related stories", 8),
        '<section class="newsletter"><h2>Sign up</h2><form><input type="email">'
        "<button>Subscribe</button></form></section></main>",
        _script(rng, "analytics", 9000),
        _script(rng, "adsConfig", 7000),
    ]
    size = sum(len(p.encode()) for p in parts)
    footer_links = []
    while size < target_bytes - 2000:
        link = (
            f'<li><a href="/{rng.choice(_SECTIONS).lower()}/{"-".join(rng.sample(_VOCAB[150:], 3))}">'
            f"{_words(rng, 4).title()}</a></li>"
        )
        footer_links.append(link)
        size += len(link)
        if len(footer_links) % 60 == 0:  # past the footer budget: the rest is the hydration blob
            break
    parts.append(f'<footer class="site-footer"><ul>{"".join(footer_links)}</ul></footer>')
    size = sum(len(p.encode()) for p in parts)
    parts.append(_script(rng, "hydrate", max(1000, target_bytes - size - 50)))
    parts.append("</body></html>")
    return Page(path, title, published, "\n".join(parts).encode())


def _rfc822(iso: str) -> str:
    return email.utils.format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")))


def feed_xml(base: str, number: int, pages: list[Page]) -> bytes:
    """An RSS 2.0 feed listing `pages`."""
    items = "".join(
        f"<item><title>{p.title}</title><link>{base}{p.path}</link><guid>{base}{p.path}</guid>"
        f"<pubDate>{_rfc822(p.published)}</pubDate><description>{p.title}.</description></item>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>The Loopback Herald {number}</title><link>{base}/</link>"
        f"<description>Generated for benchmarks</description>{items}</channel></rss>"
    ).encode()


def generate_site(
    base: str, pages: int = 1000, per_feed: int = 100, seed: int = 1
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(article path -> HTML, feed path -> RSS) for a site at `base`.

    Several feeds rather than one, because Broadsheet keeps at most `max_entries_per_feed`
    (500 by default) entries per feed.
    """
    articles = [article_page(base, n, seed) for n in range(pages)]
    feeds = {
        f"/feeds/{k}.xml": feed_xml(base, k, articles[i : i + per_feed])
        for k, i in enumerate(range(0, pages, per_feed))
    }
    return {p.path: p.html for p in articles}, feeds

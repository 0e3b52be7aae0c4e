"""Generators of hostile feeds and pages, and the byte signatures a terminal must never receive.

Every payload carries the marker `MARK`, so a test can tell the content's escape sequences
from the ones the app itself writes (Textual emits plenty of CSI on its own). `SIGNATURES` are
the raw byte strings that may reach the terminal only if the sanitiser failed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from html import escape as html_escape
from pathlib import Path

MARK = "ZQX7"
CLIPBOARD_B64 = base64.b64encode(f"clipboard-{MARK}".encode()).decode()

OSC_TITLE = f"\x1b]0;PWNED-{MARK}\x07"  # sets the window title
OSC_CLIPBOARD = f"\x1b]52;c;{CLIPBOARD_B64}\x07"  # writes the clipboard
CSI_CLEAR = "\x1b[2J"  # the app writes this one itself, so it is not a signature
CSI_MOVE = "\x1b[4242;4242H"  # a cursor move to a row no real screen has
DCS = f"\x1bPq{MARK}-DCS\x1b\\"
APC = f"\x1b_{MARK}-APC\x1b\\"
C1_CSI = "\x9b4243;4243H"  # the 8-bit CSI form
BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: makes "txt.exe" look like "exe.txt"
ISOLATE = "\u2066"
BELL_BS = "\x07\x08\x0b\x0c\x7f"

ESCAPES = OSC_TITLE + OSC_CLIPBOARD + CSI_CLEAR + CSI_MOVE + DCS + APC + C1_CSI + BIDI + ISOLATE
MARKUP = "[bold]B[/bold] [link=file:///etc/passwd]L[/link] [@click=app.quit]Q[/] [/]"

SIGNATURES: dict[str, bytes] = {
    "OSC 0 window title": f"\x1b]0;PWNED-{MARK}".encode(),
    "OSC 52 clipboard": f"\x1b]52;c;{CLIPBOARD_B64}".encode(),
    "CSI cursor move": CSI_MOVE.encode(),
    "DCS": f"\x1bPq{MARK}".encode(),
    "APC": f"\x1b_{MARK}".encode(),
    "8-bit CSI": "\x9b".encode(),
    "bidi override": BIDI.encode(),
    "bidi isolate": ISOLATE.encode(),
}

# What is forbidden in any text the CLI prints: C0 but TAB/LF, DEL, C1, bidi controls.
FORBIDDEN_CHARS = frozenset(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters found in `text`, as repr strings (empty when clean)."""
    return sorted({repr(ch) for ch in text if ch in FORBIDDEN_CHARS})


def poisoned(label: str) -> str:
    """A visible `label` wrapped in every escape payload and the markup payload."""
    return f"{OSC_TITLE}{label}{OSC_CLIPBOARD} {MARKUP} {CSI_MOVE}{DCS}{APC}{C1_CSI}{BIDI}txt.exe{ISOLATE}{BELL_BS}"


# -- pages --------------------------------------------------------------------------------------


def article_page(
    title: str, body_label: str, *, links: dict[str, str] | None = None, audio: Sequence[str] = ()
) -> bytes:
    """An article page whose <title>, <h1>, paragraphs and link texts carry raw escapes.

    HTML keeps control characters in text (a parse error, not a drop), so these reach the
    extractor exactly as a hostile server would send them.
    """
    links = links or {}
    anchors = " ".join(
        f'<a href="{html_escape(href)}">{poisoned(text)}</a>' for text, href in links.items()
    )
    players = "".join(f'<audio controls src="{html_escape(src)}"></audio>' for src in audio)
    filler = (
        "The committee met on Tuesday to weigh the proposal in detail, and members from every "
        "district spoke at length about the costs, the schedule and the likely effects on "
        "residents who depend on the service each day. "
    )
    paragraphs = "".join(
        f"<p>{poisoned(f'{body_label} paragraph {n}')} {filler * 2}</p>" for n in range(1, 6)
    )
    html = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{poisoned(title)}</title></head><body>"
        "<nav>Home News Sport</nav><main><article>"
        f"<h1>{poisoned(title)}</h1>{paragraphs}<p>See also: {anchors}</p>{players}"
        "</article></main><footer>Copyright</footer></body></html>"
    )
    return html.encode("utf-8")


# -- feeds --------------------------------------------------------------------------------------


def json_feed(
    feed_title: str,
    items: list[tuple[str, str]],
    *,
    attachments: Sequence[str] = (),
    summary_label: str = "Summary",
) -> bytes:
    """A JSON Feed whose titles carry every escape (JSON, unlike XML, may carry ESC itself).

    `items` are (title label, article URL); `attachments` become audio attachments of item 1.
    """
    entries = []
    for n, (label, url) in enumerate(items, 1):
        entry: dict[str, object] = {
            "id": f"item-{n}",
            "url": url,
            "title": poisoned(label),
            "content_text": poisoned(f"{summary_label} {n}"),
            "date_published": f"2026-11-{28 - n % 27:02d}T10:00:00Z",
            "authors": [{"name": poisoned("Author")}],
        }
        if n == 1 and attachments:
            entry["attachments"] = [
                {"url": a, "mime_type": "audio/mpeg", "duration_in_seconds": 61}
                for a in attachments
            ]
        entries.append(entry)
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": poisoned(feed_title),
        "home_page_url": "http://127.0.0.1/",
        "items": entries,
    }
    return json.dumps(doc).encode()


def rss_feed(
    feed_title: str, items: list[tuple[str, str]], *, enclosures: Sequence[str] = ()
) -> bytes:
    """An RSS 2.0 feed with C1 controls, bidi overrides and markup in its titles, and
    (for item 1) the given enclosure URLs. ESC itself is not legal XML, so it goes in as a
    numeric reference, which a recovering parser may or may not keep."""
    rows = []
    for n, (label, url) in enumerate(items, 1):
        encl = (
            "".join(
                f'<enclosure url="{html_escape(e)}" type="audio/mpeg" length="1"/>'
                for e in enclosures
            )
            if n == 1
            else ""
        )
        rows.append(
            f"<item><guid>rss-{n}</guid><title>{_xml_poison(label)}</title>"
            f"<link>{html_escape(url)}</link><description>{_xml_poison('Desc')}</description>"
            f"<pubDate>Sat, {28 - n % 27:02d} Nov 2026 10:00:00 GMT</pubDate>{encl}"
            "<itunes:duration>1:01</itunes:duration></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>{_xml_poison(feed_title)}</title><link>http://127.0.0.1/</link>"
        f"{''.join(rows)}</channel></rss>"
    ).encode()


def _xml_poison(label: str) -> str:
    """The XML-legal part of the payload: C1, bidi, markup, and ESC as a character reference."""
    return (
        f"&#x1b;]0;PWNED-{MARK}&#x7;{html_escape(label)} {html_escape(MARKUP)} "
        f"\u009b4243;4243H{BIDI}txt.exe{ISOLATE}"
    )


def big_rss(count: int, url_base: str) -> bytes:
    """An RSS feed with `count` items (for the bounded-resources tests), built fast."""
    head = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
    item = "<item><guid>g{n}</guid><title>Item {n}</title><link>{base}/a/{n}</link></item>"
    body = "".join(item.format(n=n, base=url_base) for n in range(count)).encode()
    return head + body + b"</channel></rss>"


def deep_html(depth: int) -> bytes:
    """A page nested `depth` divs deep around its only paragraph."""
    text = "Deep text survives nesting. " * 40
    return (
        b"<!doctype html><html><head><title>Deep</title></head><body>"
        + b"<div>" * depth
        + f"<p>{text}</p>".encode()
        + b"</div>" * depth
        + b"</body></html>"
    )


def write_config(config_home: Path, feed_urls: list[str]) -> Path:
    """Write $XDG_CONFIG_HOME/broadsheet/config.toml subscribing to `feed_urls` only."""
    path = config_home / "broadsheet" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["[settings]", "sample_edition = false", "timeout_seconds = 5.0", ""]
    for url in feed_urls:
        lines += ["[[feeds]]", f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path

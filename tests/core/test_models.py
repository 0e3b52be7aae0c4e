"""The fast paths of the models' sanitizing (Image's own field test) give exactly
what the generic cleaning gives, on hostile strings too."""

from __future__ import annotations

import random

from tui.core.models import TITLE_LIMIT, Image, Link, _clean_fields

_PIECES = (
    "plain words",
    " ",
    "  ",
    "\n",
    "\t",
    "\r\n",
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "\x00",
    "\x7f",
    "\x9b",
    "\u200b",
    "\u202e",
    "\u2028",
    "\xa0",
    "é",
    "ß",
    "ǅ",
    "\ud800",
    "\ufeff",
    "[b]",
    "https://example.com/a b",
)


def _has_control(text: str) -> bool:
    """A C0 or C1 control, or DEL, left in `text`."""
    return any(ord(char) < 32 or 127 <= ord(char) < 160 for char in text)


def _hostile(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8)))


def _generic_image(url: str, alt: str, caption: str) -> tuple[str, str, str]:
    """What the generic loop makes of an Image's three text fields."""
    image = Image("https://example.com/x.jpg")
    for name, value in (("url", url), ("alt", alt), ("caption", caption)):
        object.__setattr__(image, name, value)
    _clean_fields(image, ("url", "alt", "caption"))
    return image.url, image.alt, image.caption


def test_image_fields_cleaned_as_the_generic_loop_cleans_them() -> None:
    rng = random.Random(11)
    cases = [(_hostile(rng), _hostile(rng), _hostile(rng)) for _ in range(3000)]
    cases += [
        ("https://example.com/a.jpg", "", ""),
        ("https://example.com/a.jpg", "a" * (TITLE_LIMIT + 5), "\x1b[1m"),
        ("https://example.com/\x1b]8;;", "ok", "ok"),
        ("u" * 5000, " alt ", "cap\ntion"),
    ]
    for url, alt, caption in cases:
        image = Image(url, alt, caption)
        assert (image.url, image.alt, image.caption) == _generic_image(url, alt, caption)
        assert not any(_has_control(text) for text in (image.url, image.alt, image.caption))


def test_link_fields_cleaned() -> None:
    rng = random.Random(13)
    for _ in range(2000):
        text, url = _hostile(rng), _hostile(rng)
        link = Link(text, url)
        expected = Link("t", "u")
        object.__setattr__(expected, "text", text)
        object.__setattr__(expected, "url", url)
        _clean_fields(expected, ("text", "url"))
        assert link == expected
        assert not _has_control(link.text) and not _has_control(link.url)

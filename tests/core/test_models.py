"""The fast paths of the models' sanitizing (blocks_of, Image's own field test) give exactly
what the generic cleaning gives, on hostile strings too."""

from __future__ import annotations

import random

from tui.core.models import TEXT_LIMIT, TITLE_LIMIT, Block, Image, Link, _clean_fields, blocks_of

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


def test_blocks_of_equals_block_on_hostile_texts() -> None:
    rng = random.Random(7)
    items = [("paragraph", _hostile(rng), rng.randint(0, 6)) for _ in range(5000)]
    items += [
        ("pre", "x" * TEXT_LIMIT, 0),  # at the limit: kept whole
        ("paragraph", "x" * (TEXT_LIMIT + 1), 0),  # over it: cut by Block()
        ("quote", "", 0),
        ("heading", "\x1b[2J" + "y" * TEXT_LIMIT, 2),
    ]
    fast = blocks_of(items)
    slow = [Block(kind, text, level) for kind, text, level in items]
    assert fast == slow
    assert [type(block) for block in fast] == [Block] * len(items)
    assert not any(_has_control(block.text.replace("\n", "").replace("\t", "")) for block in fast)
    assert len(fast[-3].text) == TEXT_LIMIT
    assert "\x1b" not in fast[-1].text


def test_blocks_of_hands_a_str_subclass_to_block() -> None:
    class Tainted(str):
        pass

    (block,) = blocks_of([("paragraph", Tainted("a\x1bb"), 0)])
    assert block == Block("paragraph", Tainted("a\x1bb"), 0)
    assert "\x1b" not in block.text


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

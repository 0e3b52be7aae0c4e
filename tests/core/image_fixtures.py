"""Images the tests make with Pillow: ordinary pictures and the hostile kinds."""

from __future__ import annotations

import io

from PIL import Image as PILImage


def picture(width: int = 400, height: int = 300, fmt: str = "PNG", colour=(200, 40, 40)) -> bytes:
    """A picture: a coloured field with a darker square in its middle (so shapes can be seen)."""
    image = PILImage.new("RGB", (width, height), colour)
    box = (width // 4, height // 4, 3 * width // 4, 3 * height // 4)
    image.paste((20, 20, 120), box)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def bomb(side: int = 6000) -> bytes:
    """A PNG of side×side pixels that compresses to a few kilobytes: a decompression bomb."""
    out = io.BytesIO()
    PILImage.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def animated_gif() -> bytes:
    """Three frames: red, green, blue. Only the first (red) may be drawn."""
    frames = [PILImage.new("RGB", (64, 64), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"/>'

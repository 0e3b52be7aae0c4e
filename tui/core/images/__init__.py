"""Pictures of articles: which to fetch, how they are checked, shrunk and stored.

An image from the network is untrusted input. `prepare` opens it with Pillow with the pixel
limit set (`MAX_PIXELS`: a decompression bomb is refused before it is decoded), draws only the
first frame of an animation, never renders SVG (its alt text is shown instead), and refuses
tiny pictures (tracking pixels, icons). What it keeps is shrunk to at most `STORE_WIDTH` pixels
wide and stored as a JPEG, so the cache holds a few tens of kilobytes per picture and drawing
one never decodes the original again.
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tui.core.errors import BroadsheetError
from tui.core.models import Article, Image, Picture

IMAGE_BYTES = 2 * 2**20  # the most one picture may download
IMAGES_PER_ARTICLE = 8  # pictures fetched per article (lead image first)
PICTURES_AT_ONCE = 3  # downloaded and decoded at once: bounded memory
MAX_PIXELS = 16_000_000  # Pillow's limit: a larger image is refused, never decoded
MAX_SIDE = 16_384  # even with few pixels, a 20000×1 strip is not a picture
MIN_SIDE = 32  # smaller: a tracking pixel or an icon
STORE_WIDTH = 960  # pixels kept: enough for half-blocks and for Kitty/Sixel at reading width
STORE_HEIGHT = 1440
JPEG_QUALITY = 80
KEEP_JPEG_BYTES = 256 * 1024  # a JPEG needing no shrinking, up to this size, is kept as sent
IMAGE_ACCEPT = "image/avif, image/webp, image/png, image/jpeg, image/gif;q=0.9, image/*;q=0.8"
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
NAMESPACE = "image"

_DECODING = threading.BoundedSemaphore(2)  # at most two images decoded at once: bounded memory
_decoder: ThreadPoolExecutor | None = None
_decoder_lock = threading.Lock()
_SEPARATOR = b"\0"


class ImageError(BroadsheetError):
    """A picture cannot be shown; `reason` says why in plain words."""


@dataclass(frozen=True, slots=True)
class Prepared:
    data: bytes  # JPEG
    width: int
    height: int


def is_svg_url(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith((".svg", ".svgz"))


def wanted_images(article: Article, limit: int | None = None) -> list[Image]:
    """The pictures of `article` worth fetching, lead image first, each URL once, at most
    `limit`; SVGs are left out (they are never drawn)."""
    limit = IMAGES_PER_ARTICLE if limit is None else limit
    seen: set[str] = set()
    chosen: list[Image] = []
    candidates: Iterable[Image] = (
        (article.lead_image, *article.images) if article.lead_image else article.images
    )
    for image in candidates:
        if image.url in seen or is_svg_url(image.url):
            continue
        if not image.url.startswith(("http://", "https://")):
            continue
        seen.add(image.url)
        chosen.append(image)
        if len(chosen) >= limit:
            break
    return chosen


def check_content_type(content_type: str | None, url: str) -> None:
    """Refuse an answer that says it is not an image (an HTML error page, a script)."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind in ("image/svg+xml", "image/svg"):
        raise ImageError("an SVG drawing: not drawn, alt text only", url)
    if kind and not kind.startswith("image/") and kind != "application/octet-stream":
        raise ImageError(f"not an image ({kind[:40]})", url)


async def prepare_in_thread(data: bytes, url: str = "") -> Prepared:
    """`prepare` in the one thread that decodes pictures. One thread, not the shared pool:
    the C allocator keeps a heap per thread, and large decodes spread over six threads left
    each one holding its own tens of megabytes (bench/pictures.py, 50 photos of 3000 px: peak
    RSS 210 MB over the pool, 107 MB in one thread)."""
    global _decoder
    with _decoder_lock:
        if _decoder is None:
            _decoder = ThreadPoolExecutor(1, thread_name_prefix="broadsheet-pictures")
    return await asyncio.get_running_loop().run_in_executor(_decoder, prepare, data, url)


def prepare(data: bytes, url: str = "") -> Prepared:
    """Check and shrink one downloaded image; raise ImageError with the reason it cannot be
    shown. CPU work: call in a thread. At most two run at once (memory stays bounded)."""
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ImageError("an SVG drawing: not drawn, alt text only", url)
    if not data:
        raise ImageError("the server sent no image", url)
    with _DECODING:
        return _prepare(data, url)


def _prepare(data: bytes, url: str) -> Prepared:
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS  # set, never disabled
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    raise ImageError(f"too large to draw ({width}×{height} pixels)", url)
                if min(width, height) < MIN_SIDE:
                    raise ImageError(f"too small to be a picture ({width}×{height})", url)
                image.seek(0)  # an animation: its first frame
                ratio = min(STORE_WIDTH / width, STORE_HEIGHT / height, 1.0)
                # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still as large as
                # what is kept: a quarter or less of the memory and the time.
                image.draft("RGB", (max(1, int(width * ratio)), max(1, int(height * ratio))))
                if (
                    ratio == 1.0
                    and image.format == "JPEG"
                    and image.mode == "RGB"
                    and len(data) <= KEEP_JPEG_BYTES
                ):
                    # Already a colour JPEG of the size kept: decoded whole to check it (a
                    # truncated or corrupt one raises here), then kept as it came. Compressing
                    # it again cost twice the decoding and gained nothing.
                    image.load()
                    return Prepared(data, width, height)
                frame = _flattened(image)
                frame.thumbnail((STORE_WIDTH, STORE_HEIGHT))
                out = io.BytesIO()
                frame.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
                return Prepared(out.getvalue(), frame.width, frame.height)
    except ImageError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageError("too many pixels (a decompression bomb?)", url) from None
    except UnidentifiedImageError:
        raise ImageError("not an image Broadsheet can read", url) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, MemoryError) as error:
        raise ImageError(f"a truncated or corrupt image ({type(error).__name__})", url) from None


def _flattened(image: Any) -> Any:
    """The frame as RGB, any transparency laid over white (JPEG keeps no alpha)."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = PILImage.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")  # no copy when already RGB


# -- the stored form ------------------------------------------------------------------------------


def encode(prepared: Prepared) -> bytes:
    header = json.dumps({"w": prepared.width, "h": prepared.height}).encode()
    return header + _SEPARATOR + prepared.data


def decode_stored(url: str, blob: bytes | None) -> Picture | None:
    """The stored picture of `url`, or None when there is none (or it is unreadable)."""
    if not blob:
        return None
    header, sep, data = blob.partition(_SEPARATOR)
    try:
        meta = json.loads(header) if sep else None
        return Picture(url, data, int(meta["w"]), int(meta["h"])) if meta and data else None
    except (ValueError, KeyError, TypeError):
        return None

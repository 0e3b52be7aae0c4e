"""The service's pictures room: the pictures of articles for the reader, fetched, checked,
shrunk and cached (tui/core/images/), and stored with a page made available offline.

A mixin of NewsService (tui/core/service.py), which stays the one door: the UI and the CLI call
these methods on the service. Here so the service's module holds one idea. The images module
(and Pillow) is imported on first use, never when the service is.
"""

from __future__ import annotations

import asyncio

from tui.core.errors import BroadsheetError, OfflineError
from tui.core.models import Article, Image, Picture
from tui.core.service_parts import ServiceParts


class PicturesDoor(ServiceParts):
    """NewsService's methods for this room (see the module docstring)."""

    # Set by NewsService.__init__: why a picture cannot be shown (this session), by URL, and the
    # semaphore that bounds downloads at once, with the event loop it belongs to.
    _picture_failures: dict[str, str]
    _picture_slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None

    # -- pictures ---------------------------------------------------------------------------------

    @property
    def images_mode(self) -> str:
        """How the reader draws pictures: "auto", "kitty", "sixel", "halfblock" or "off"; the
        environment's BROADSHEET_IMAGES, when it names one, wins over the config."""
        import os

        from tui.core.config import IMAGE_MODES

        override = os.environ.get("BROADSHEET_IMAGES", "").strip().lower()
        return override if override in IMAGE_MODES else self.config.settings.images

    def cached_picture(self, url: str) -> Picture | None:
        """The stored (shrunk) picture at `url`, or None. Disk work: call in a thread."""
        from tui.core.images import NAMESPACE, decode_stored

        return decode_stored(url, self.cache.get_bytes(NAMESPACE, url))

    async def load_picture(self, url: str) -> Picture:
        """The picture at `url`, from the cache or fetched, checked and shrunk (in a thread).
        A picture that cannot be shown comes back with no data and the reason, never raised."""
        from tui.core.images import is_svg_url

        if is_svg_url(url):
            return Picture(url, reason="an SVG drawing: not drawn")
        cached = await asyncio.to_thread(self.cached_picture, url)
        if cached is not None:
            return cached
        failed = self._picture_failures.get(url)
        if failed:
            return Picture(url, reason=failed)
        try:
            async with self._picture_slot():
                return await self._fetch_picture(url)
        except OfflineError:
            return Picture(url, reason="not downloaded (offline)")
        except BroadsheetError as error:
            self._picture_failures[url] = error.reason
            return Picture(url, reason=error.reason)

    def _picture_slot(self) -> asyncio.Semaphore:
        """At most PICTURES_AT_ONCE pictures downloaded and decoded at once (on this loop): a
        page of 50 pictures holds a few bodies in memory, never all of them."""
        from tui.core.images import PICTURES_AT_ONCE

        loop = asyncio.get_running_loop()
        if self._picture_slots is None or self._picture_slots[0] is not loop:
            self._picture_slots = (loop, asyncio.Semaphore(PICTURES_AT_ONCE))
        return self._picture_slots[1]

    async def _fetch_picture(self, url: str) -> Picture:
        from tui.core.images import (
            IMAGE_ACCEPT,
            IMAGE_BYTES,
            NAMESPACE,
            check_content_type,
            encode,
            prepare_in_thread,
        )

        result = await self.fetcher.fetch(url, max_bytes=IMAGE_BYTES, accept=IMAGE_ACCEPT)
        check_content_type(result.content_type, url)
        prepared = await prepare_in_thread(result.body, url)
        await asyncio.to_thread(self.cache.set_bytes, NAMESPACE, url, encode(prepared))
        return Picture(url, prepared.data, prepared.width, prepared.height)

    def pictures_of(self, article: Article) -> list[Image]:
        """The pictures of `article` that are fetched: lead image first, each URL once, no SVG,
        at most the per-article cap. In-memory work."""
        from tui.core.images import wanted_images

        return wanted_images(article)

    async def fetch_pictures(self, article: Article) -> tuple[int, list[tuple[str, str]]]:
        """Store the pictures of `article` for offline reading, within the per-article cap
        (lead image first). Returns (stored, [(url, why not)])."""
        from tui.core.images import wanted_images

        if self.images_mode == "off":
            return 0, []
        pictures = await asyncio.gather(
            *(self.load_picture(image.url) for image in wanted_images(article))
        )
        failures = [(p.url, p.reason) for p in pictures if not p.data]
        return len(pictures) - len(failures), failures

    # -- for broadsheet prefetch ------------------------------------------------------------------

    async def _prefetch_pictures(self, url: str) -> None:
        """The pictures of a page just made available offline (a picture that fails does not
        make the page fail: the reader shows its alt text and why)."""
        if self.images_mode == "off":
            return
        article = await asyncio.to_thread(self.cached_article, url)
        if article is not None:
            await self.fetch_pictures(article)

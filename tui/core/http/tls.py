"""The TLS trust store of the shared client: certificates loaded when the first https URL comes."""

from __future__ import annotations

import asyncio
import os
import ssl
import sys

from tui.core.errors import FetchError


class TrustStore:
    """The client's TLS context, whose trusted certificates are loaded when first needed.

    Reading the certificate bundle is most of the cost of creating an httpx client (about
    0.05-0.1 s of CPU): a refresh of plain-http feeds never needs it, and when the first https
    URL comes it is read in a thread, so the event loop (the app's) is not blocked meanwhile.
    The context demands verified certificates from the start, so a TLS connection attempted
    before the bundle is in would fail closed, never open. The bundle is the one httpx would
    use: $SSL_CERT_FILE, else $SSL_CERT_DIR, else certifi's.
    """

    __slots__ = ("context", "loaded", "loading")

    def __init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.context.check_hostname = True
        self.loaded = False
        self.loading: asyncio.Task[None] | None = None  # one load for every waiting fetch

    async def ready(self, url: str) -> None:
        if self.loaded:
            return
        if self.loading is None:
            self.loading = asyncio.ensure_future(asyncio.to_thread(self._load))
        try:
            await asyncio.shield(self.loading)
        except (OSError, ssl.SSLError):
            self.loading = None  # try again with the next https URL
            raise FetchError("could not load the trusted TLS certificates", url) from None
        self.loaded = True

    def _load(self) -> None:
        cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if cafile:
            self.context.load_verify_locations(cafile=cafile)
        elif capath:
            self.context.load_verify_locations(capath=capath)
        else:
            import certifi  # httpx's own dependency and default

            self.context.load_verify_locations(cafile=certifi.where())
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment:
            self.context.keylog_filename = keylog

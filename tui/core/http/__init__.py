"""HTTP for Broadsheet: one client, every download bounded.

    fetcher.py    Fetcher: redirects, retries, deadlines, politeness (the one entry point)
    body.py       body limits, streamed reading, gzip/deflate inflated under a ceiling
    reasons.py    network errors → the short plain reasons a user sees
    tls.py        the trust store, loaded when the first https URL comes

Importing this package imports httpx: the service imports it on first use, not at start-up.
"""

from tui.core.http.fetcher import Fetcher

__all__ = ["Fetcher"]

"""Every hostile test talks to 127.0.0.1 only: a developer's proxy settings must not reroute it."""

from __future__ import annotations

import pytest

from tests.servers.loopback import PROXY_VARIABLES


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)

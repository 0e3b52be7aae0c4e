"""The bundled sample edition: a news feed, article pages and a podcast feed that ship with the app.

`broadsheet --sample` (and a first run) reads these through a real HTTP server on 127.0.0.1
(see `server.py`), so the whole fetch → extract → cache path runs with no internet at all.
The packaged files live in `files/`; URLs inside them use the placeholder `{{BASE}}`, which the
server replaces with its own `http://127.0.0.1:PORT` when it serves them. This module only knows
about the files; it imports nothing heavier than `importlib.resources`, so the CLI can ask for
the feed paths without starting anything.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

BASE_PLACEHOLDER = "{{BASE}}"
HOST = "127.0.0.1"
# Tried first by the server so that cached URLs (which include the port) stay valid across runs
# and the sample can be read offline after a restart; any free port is the fallback.
PREFERRED_PORT = 47231
NEWS_FEED_PATH = "/news.xml"
PODCAST_FEED_PATH = "/podcast.xml"
SEED_ARTICLE_PATH = "/articles/nato-chief-putin-trump-call.html"


def preferred_feed_urls() -> list[str]:
    """The feeds' URLs when the server has its preferred port, as it does unless that is taken
    (the server's fixed port keeps cached URLs valid across runs; see `server.PREFERRED_PORT`)."""
    base = f"http://{HOST}:{PREFERRED_PORT}"
    return [base + path for path in sample_feed_paths()]


def sample_feed_paths() -> list[str]:
    """URL paths of the sample feeds on the sample server: the news feed, then the podcast feed."""
    return [NEWS_FEED_PATH, PODCAST_FEED_PATH]


def sample_files() -> dict[str, bytes]:
    """Every packaged sample file as {URL path: raw template bytes}, e.g. {"/news.xml": b"..."}.

    This is the server's whole namespace: a request for any other path is a 404, which is what
    makes path traversal impossible (nothing is looked up on the file system by request path).
    """
    found: dict[str, bytes] = {}
    _collect(files(__name__) / "files", "", found)
    return found


def article_paths() -> list[str]:
    """URL paths of the sample article pages, sorted."""
    return sorted(path for path in sample_files() if path.startswith("/articles/"))


def render(template: bytes, base_url: str) -> bytes:
    """Replace every `{{BASE}}` in a packaged file with the serving base URL (no trailing slash)."""
    return template.replace(BASE_PLACEHOLDER.encode(), base_url.rstrip("/").encode())


def _collect(folder: Traversable, prefix: str, found: dict[str, bytes]) -> None:
    for item in folder.iterdir():
        # Skip editor and interpreter droppings; only real content files are served.
        if item.name.startswith((".", "_")):
            continue
        if item.is_dir():
            _collect(item, f"{prefix}/{item.name}", found)
        elif item.is_file():
            found[f"{prefix}/{item.name}"] = item.read_bytes()

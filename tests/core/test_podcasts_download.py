"""Downloading episodes over loopback HTTP: resume, size cap, refusals, and safe file names."""

from __future__ import annotations

import inspect
import unicodedata
from pathlib import Path

import pytest

from tests.core import audio_fixtures as audio
from tests.core.audio_fixtures import AudioServer, serve_audio
from tui.core.paths import data_dir
from tui.core.podcasts import DownloadError
from tui.core.podcasts.download import download, downloads_dir, safe_filename

EPISODE = audio.mp3_cbr(60, 128)  # 960 kB


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def test_download_writes_the_whole_file_and_reports_progress(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    with serve_audio(AudioServer({"/ep.mp3": EPISODE})) as server:
        path = await download(
            server.url("/ep.mp3"), tmp_path, title="Episode 1", progress=lambda *a: seen.append(a)
        )
    assert path.read_bytes() == EPISODE
    assert path.parent == tmp_path and path.suffix == ".mp3"
    assert files_in(tmp_path) == [path.name]  # no .part left behind
    assert seen[-1] == (len(EPISODE), len(EPISODE))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


async def test_interrupted_download_resumes_with_range(tmp_path: Path) -> None:
    half = len(EPISODE) // 2
    server = AudioServer({"/ep.mp3": EPISODE}, cut_next_after=half)
    with serve_audio(server):
        url = server.url("/ep.mp3")
        with pytest.raises(DownloadError, match="try again to resume"):
            await download(url, tmp_path, title="Episode 2")
        [part] = tmp_path.iterdir()
        kept = part.stat().st_size
        assert part.name.endswith(".part") and 0 < kept <= half
        path = await download(url, tmp_path, title="Episode 2")
    first, second = server.log
    assert first.range is None and first.status == 200
    assert second.range == f"bytes={kept}-" and second.status == 206
    assert second.sent == len(EPISODE) - kept  # only the rest travelled
    assert path.read_bytes() == EPISODE
    assert files_in(tmp_path) == [path.name]


async def test_server_without_ranges_restarts_from_zero(tmp_path: Path) -> None:
    server = AudioServer({"/ep.mp3": EPISODE}, cut_next_after=300_000, honour_range=False)
    with serve_audio(server):
        url = server.url("/ep.mp3")
        with pytest.raises(DownloadError):
            await download(url, tmp_path, title="Episode 3")
        path = await download(url, tmp_path, title="Episode 3")
    assert server.log[1].range is not None and server.log[1].status == 200
    assert path.read_bytes() == EPISODE  # not the first 300 kB twice


async def test_part_that_is_already_complete_is_finished_without_a_body(tmp_path: Path) -> None:
    with serve_audio(AudioServer({"/ep.mp3": EPISODE})) as server:
        url = server.url("/ep.mp3")
        name = safe_filename("Episode 4", url)
        (tmp_path / f"{name}.part").write_bytes(EPISODE)
        path = await download(url, tmp_path, title="Episode 4")
    assert [s.status for s in server.log] == [416]
    assert path.read_bytes() == EPISODE


async def test_finished_file_is_not_fetched_again(tmp_path: Path) -> None:
    with serve_audio(AudioServer({"/ep.mp3": EPISODE})) as server:
        url = server.url("/ep.mp3")
        first = await download(url, tmp_path, title="Episode 5")
        again = await download(url, tmp_path, title="Episode 5")
    assert first == again and len(server.log) == 1


async def test_declared_size_over_the_cap_is_refused_before_writing(tmp_path: Path) -> None:
    server = AudioServer({"/ep.mp3": EPISODE})
    with serve_audio(server), pytest.raises(DownloadError, match=r"larger than 0\.5 MiB"):
        await download(server.url("/ep.mp3"), tmp_path, title="Big", max_bytes=2**19)
    assert files_in(tmp_path) == []


async def test_undeclared_size_is_capped_while_streaming(tmp_path: Path) -> None:
    big = audio.mp3_cbr(3600, 128)  # 57.6 MB, sent with no Content-Length
    server = AudioServer({"/ep.mp3": big}, send_length=False)
    with serve_audio(server):
        with pytest.raises(DownloadError, match="larger than"):
            await download(server.url("/ep.mp3"), tmp_path, title="Big", max_bytes=100_000)
        assert server.log[0].done.wait(10)
    assert files_in(tmp_path) == []  # the partial file is deleted, not kept for resuming
    assert server.log[0].sent < len(big) // 2  # the client hung up (the rest: socket buffers)


async def test_default_cap_is_500_mib() -> None:
    assert inspect.signature(download).parameters["max_bytes"].default == 500 * 2**20


async def test_http_error_leaves_nothing(tmp_path: Path) -> None:
    with serve_audio(AudioServer()) as server, pytest.raises(DownloadError, match="HTTP 404"):
        await download(server.url("/missing.mp3"), tmp_path, title="Gone")
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/a.mp3", "javascript:alert(1)", "-x"]
)
async def test_only_http_urls_are_downloaded(tmp_path: Path, url: str) -> None:
    with pytest.raises(DownloadError, match="Only http and https"):
        await download(url, tmp_path, title="Nope")
    assert files_in(tmp_path) == []


async def test_redirect_to_another_scheme_is_refused(tmp_path: Path) -> None:
    server = AudioServer({}, {"/ep.mp3": "file:///etc/passwd"})
    with serve_audio(server), pytest.raises(DownloadError, match="only http and https"):
        await download(server.url("/ep.mp3"), tmp_path, title="Sneaky")
    assert files_in(tmp_path) == []


def test_downloads_dir_is_in_user_data() -> None:
    assert downloads_dir() == data_dir() / "episodes" and downloads_dir().is_dir()


# -- file names ------------------------------------------------------------------------------------

URL = "https://cdn.example/shows/ep42.mp3?tracking=1"
HASH = safe_filename("x", URL).rsplit("-", 1)[1].split(".")[0]


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        ("Episode 42: The Answer", URL, f"Episode 42 The Answer-{HASH}.mp3"),
        ("../../etc/passwd", URL, f"etc passwd-{HASH}.mp3"),
        ("\x1b]0;pwned\x07name", URL, f"name-{HASH}.mp3"),
        ("con", URL, f"_con-{HASH}.mp3"),
        ("LPT1.txt", URL, f"_LPT1.txt-{HASH}.mp3"),
        ("--help", URL, f"help-{HASH}.mp3"),
        ("...", URL, f"episode-{HASH}.mp3"),
        ("", URL, f"episode-{HASH}.mp3"),
        ("evil\u202egpj.mp3", URL, f"evilgpj.mp3-{HASH}.mp3"),  # RTL override dropped
        ("Cafe\u0301 del Mar", URL, f"Caf\u00e9 del Mar-{HASH}.mp3"),  # NFC
        ("tab\there\nnewline", URL, f"tab here newline-{HASH}.mp3"),
        ('a<b>c:d"e|f?g*h\\i', URL, f"a b c d e f g h i-{HASH}.mp3"),
    ],
)
def test_safe_filename_table(title: str, url: str, expected: str) -> None:
    assert safe_filename(title, url) == expected


@pytest.mark.parametrize(
    ("url", "mime", "extension"),
    [
        ("https://x.example/a.M4A", None, ".m4a"),
        ("https://x.example/a.opus", None, ".opus"),
        ("https://x.example/a.exe", "audio/ogg", ".ogg"),
        ("https://x.example/a.sh", None, ".mp3"),
        ("https://x.example/listen?id=5", "audio/mp4; codecs=mp4a", ".m4a"),
        ("https://x.example/a%2Ewav", None, ".wav"),
    ],
)
def test_extension_comes_from_a_safe_list(url: str, mime: str | None, extension: str) -> None:
    assert safe_filename("Show", url, mime).endswith(extension)


def test_very_long_titles_are_cut_on_a_character_boundary() -> None:
    for title in ("a" * 5000, "ж" * 5000, "🎙" * 5000):
        name = safe_filename(title, URL)
        assert len(name.encode("utf-8")) <= 150
        assert name.endswith(f"-{HASH}.mp3") and title[0] in name


def test_names_are_single_safe_components() -> None:
    hostile = ["../x", "/abs/path", "a/../../b", "\\\\server\\share", "\u0000nul", "\u200b.hidden"]
    for title in hostile:
        name = safe_filename(title, URL)
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert not name.startswith((".", "-")) and name == unicodedata.normalize("NFC", name)
        assert Path(name).name == name


def test_different_urls_with_one_title_get_different_names() -> None:
    assert safe_filename("Trailer", "https://a.example/1.mp3") != safe_filename(
        "Trailer", "https://a.example/2.mp3"
    )

"""Episode lengths from the first bytes of the file: pure readers, then over loopback HTTP."""

from __future__ import annotations

import io
import os
import random
import time

import pytest

from tests.core import audio_fixtures as audio
from tests.core.audio_fixtures import AudioServer, serve_audio
from tui.core.errors import FetchError
from tui.core.podcasts.lengths import next_range
from tui.core.podcasts.probe import PROBE_BYTES, HttpxRangeReader, estimate_duration, probe_length

# -- the fixtures themselves -----------------------------------------------------------------------


def test_generated_ogg_pages_carry_the_crc_mutagen_computes() -> None:
    from mutagen.ogg import OggPage

    data = audio.ogg_opus(3)
    stream = io.BytesIO(data)
    pages = []
    while stream.tell() < len(data):
        page = OggPage(stream)
        pages.append(page.write())  # mutagen recomputes the checksum when writing
    assert b"".join(pages) == data and len(pages) == 5


def test_generated_files_parse_fully_with_mutagen() -> None:
    from mutagen.mp3 import MPEGInfo
    from mutagen.mp4 import MP4
    from mutagen.oggopus import OggOpus

    assert round(MPEGInfo(io.BytesIO(audio.mp3_cbr(60))).length) == 60
    mp4_info = MP4(io.BytesIO(audio.m4a(75.5))).info
    opus_info = OggOpus(io.BytesIO(audio.ogg_opus(7))).info
    assert mp4_info is not None and mp4_info.length == 75.5
    assert opus_info is not None and opus_info.length == 7


# -- from bytes in hand ----------------------------------------------------------------------------


def test_xing_header_gives_the_exact_length_even_when_bitrates_vary() -> None:
    # 32 and 320 kbps alternate, so the first frame's bitrate × size would be far off.
    data = audio.mp3_vbr_xing([32, 320] * 1250)  # 2500 frames × 24 ms = 60 s
    assert estimate_duration(data[:PROBE_BYTES], len(data)) == (60, False)
    assert estimate_duration(data[:PROBE_BYTES], None) == (60, False)  # size not needed


def test_vbri_header_gives_the_exact_length() -> None:
    data = audio.mp3_vbr_vbri([320, 32, 64] * 1000)  # 3000 frames = 72 s
    assert estimate_duration(data[:PROBE_BYTES], len(data)) == (72, False)


@pytest.mark.parametrize("kbps", [64, 128, 320])
def test_cbr_without_header_is_estimated_from_bitrate_and_size(kbps: int) -> None:
    data = audio.mp3_cbr(1800, kbps)  # half an hour
    seconds, estimated = estimate_duration(data[:PROBE_BYTES], len(data))
    assert estimated is True
    assert seconds is not None and abs(seconds - 1800) <= 1800 * 0.02


def test_cbr_after_an_id3_tag_counts_only_the_audio() -> None:
    data = audio.mp3_cbr(600, 128, id3_size=100_000)
    seconds, estimated = estimate_duration(data[:PROBE_BYTES], len(data))
    assert estimated and seconds is not None and abs(seconds - 600) <= 600 * 0.02


def test_cbr_without_a_total_size_is_unknown() -> None:
    data = audio.mp3_cbr(600, 128)
    assert estimate_duration(data[:PROBE_BYTES], None) == (None, False)


def test_m4a_with_moov_first_is_exact() -> None:
    data = audio.m4a(3723.4, media_bytes=1_000_000)
    assert estimate_duration(data[:PROBE_BYTES], len(data)) == (3723, False)
    assert estimate_duration(data[:PROBE_BYTES], len(data), "audio/x-m4a") == (3723, False)


def test_m4a_with_moov_last_needs_a_second_range() -> None:
    data = audio.m4a(125, media_bytes=1_000_000, moov_first=False)
    assert estimate_duration(data[:PROBE_BYTES], len(data)) == (None, False)
    more = next_range(data[:PROBE_BYTES], len(data), PROBE_BYTES)
    assert more is not None and data[more[0] + 4 : more[0] + 8] == b"moov"


def test_opus_head_alone_is_extrapolated_and_a_whole_short_file_is_exact() -> None:
    data = audio.ogg_opus(600)
    seconds, estimated = estimate_duration(data[:PROBE_BYTES], len(data))
    assert estimated and seconds is not None and abs(seconds - 600) <= 6
    short = audio.ogg_opus(12)
    assert estimate_duration(short, len(short)) == (12, False)
    assert estimate_duration(short, None) == (12, False)  # its end-of-stream page is in hand


def test_opus_head_without_size_is_unknown() -> None:
    data = audio.ogg_opus(600)
    assert estimate_duration(data[:PROBE_BYTES], None) == (None, False)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"ID3",
        b"OggS" + bytes(40),
        b"\x00\x00\x00\x18ftypM4A " + b"\xff" * 100,
        b"<html><body>Not found</body></html>",
        b"\xff\xfb" * 1000,  # sync words with nothing valid behind them
    ],
)
def test_garbage_is_unknown(head: bytes) -> None:
    assert estimate_duration(head, 10**7) == (None, False)
    assert estimate_duration(head, None, "audio/mpeg") == (None, False)


def test_random_bytes_and_damaged_files_never_raise_and_stay_fast() -> None:
    rng = random.Random(1234)
    samples = [os.urandom(PROBE_BYTES) for _ in range(3)]
    for good in (audio.mp3_vbr_xing([128] * 400), audio.ogg_opus(5), audio.m4a(30)):
        for _ in range(40):
            damaged = bytearray(good[:PROBE_BYTES])
            for _ in range(20):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            samples.append(bytes(damaged[: rng.randrange(len(damaged) + 1)]))
    started = time.perf_counter()
    for head in samples:
        for mime in (None, "audio/mpeg", "audio/ogg", "audio/mp4"):
            seconds, estimated = estimate_duration(head, rng.choice([None, 10**6, 10**9]), mime)
            assert seconds is None or 0 < seconds <= 7 * 24 * 3600
            assert isinstance(estimated, bool)
    assert time.perf_counter() - started < 10


# -- over HTTP -------------------------------------------------------------------------------------


async def _probe(server: AudioServer, path: str) -> tuple[tuple[int | None, bool], int]:
    reader = HttpxRangeReader()
    try:
        return await probe_length(reader, server.url(path)), reader.requests
    finally:
        await reader.aclose()


async def test_probe_asks_for_the_head_only() -> None:
    data = audio.mp3_cbr(3600, 128)  # 57.6 MB
    with serve_audio(AudioServer({"/ep.mp3": data})) as server:
        (seconds, estimated), requests = await _probe(server, "/ep.mp3")
    assert estimated and seconds is not None and abs(seconds - 3600) <= 36
    assert requests == 1
    [served] = server.log
    assert served.range == f"bytes=0-{PROBE_BYTES - 1}"
    assert served.status == 206 and served.sent == PROBE_BYTES


async def test_probe_of_xing_mp3_behind_a_redirect_is_exact() -> None:
    data = audio.mp3_vbr_xing([64, 160] * 2000)  # 4000 frames = 96 s
    files = {"/media/ep.mp3": data}
    redirects = {"/track/ep": "/media/ep.mp3"}
    with serve_audio(AudioServer(files, redirects)) as server:
        (result, _) = await _probe(server, "/track/ep")
    assert result == (96, False)
    assert [s.status for s in server.log] == [302, 206]


async def test_server_ignoring_range_is_cut_off() -> None:
    data = audio.mp3_cbr(3600, 128)  # 57.6 MB sent as a plain 200
    with serve_audio(AudioServer({"/ep.mp3": data}, honour_range=False)) as server:
        reader = HttpxRangeReader()
        try:
            head, total = await reader.get_range(server.url("/ep.mp3"), 0, PROBE_BYTES - 1)
            result = await probe_length(reader, server.url("/ep.mp3"))
        finally:
            await reader.aclose()
        for served in server.log:
            assert served.done.wait(10)
    assert len(head) == PROBE_BYTES and head == data[:PROBE_BYTES] and total == len(data)
    assert result[1] and result[0] is not None and abs(result[0] - 3600) <= 72
    # The client hung up: the server got rid of socket buffers' worth (a few MB on loopback),
    # not the whole file.
    assert all(s.status == 200 and s.sent < len(data) // 2 for s in server.log)


async def test_probe_of_m4a_with_moov_at_the_end_uses_two_ranges() -> None:
    data = audio.m4a(1234.5, media_bytes=3_000_000, moov_first=False)
    with serve_audio(AudioServer({"/ep.m4a": data})) as server:
        (result, requests) = await _probe(server, "/ep.m4a")
    assert result == (1234, False)  # 1234.5 rounds to even
    assert requests == 2
    moov = data.rindex(b"moov") - 4
    assert server.log[1].range == f"bytes={moov}-{len(data) - 1}"  # capped at the end
    assert sum(s.sent for s in server.log) <= 2 * PROBE_BYTES


async def test_probe_of_opus_reads_the_last_page() -> None:
    data = audio.ogg_opus(900)
    with serve_audio(AudioServer({"/ep.opus": data})) as server:
        (result, requests) = await _probe(server, "/ep.opus")
    assert result == (900, False)
    assert requests == 2
    assert server.log[1].range == f"bytes={len(data) - 65536}-{len(data) - 1}"


async def test_probe_past_a_cover_art_sized_id3_tag() -> None:
    data = audio.mp3_cbr(300, 128, id3_size=600_000)
    with serve_audio(AudioServer({"/ep.mp3": data})) as server:
        ((seconds, estimated), requests) = await _probe(server, "/ep.mp3")
    assert requests == 2 and server.log[1].range == f"bytes=600000-{600000 + PROBE_BYTES - 1}"
    assert estimated and seconds is not None and abs(seconds - 300) <= 6


async def test_probe_of_a_missing_file_raises_fetch_error() -> None:
    with serve_audio(AudioServer()) as server, pytest.raises(FetchError, match="HTTP 404"):
        await _probe(server, "/gone.mp3")


async def test_probe_refuses_a_redirect_to_a_local_file() -> None:
    redirects = {"/ep.mp3": "file:///etc/passwd"}
    with serve_audio(AudioServer({}, redirects)) as server, pytest.raises(FetchError) as caught:
        await _probe(server, "/ep.mp3")
    assert "only http and https" in str(caught.value)


async def test_probe_of_html_error_page_is_unknown() -> None:
    with serve_audio(AudioServer({"/ep.mp3": b"<html>please log in</html>"})) as server:
        (result, _) = await _probe(server, "/ep.mp3")
    assert result == (None, False)


async def test_second_range_refused_by_the_server_costs_only_precision() -> None:
    data = audio.m4a(300, media_bytes=48_000_000, moov_first=False)
    server = AudioServer({"/ep.m4a": data}, honour_range=False)
    with serve_audio(server):
        (result, requests) = await _probe(server, "/ep.m4a")
        for served in server.log:
            assert served.done.wait(10)
    assert result == (None, False) and requests == 2
    # the second answer (200, whole file, asked from the middle) was not read at all
    assert all(s.status == 200 and s.sent < len(data) // 2 for s in server.log)

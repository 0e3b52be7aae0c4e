"""Audio length from a few fetched pieces of a file: MP3, MP4/M4A and Ogg (Opus, Vorbis).

What each format allows, and therefore what `audio_length` returns as (seconds, estimated):
- MP3 with a Xing/Info or VBRI header: the encoder wrote the frame count, so the length is
  exact. Without one (plain CBR) mutagen's bitrate × file size is an estimate.
- MP4/M4A: the movie header (mvhd) and the sound track's media header (mdhd) hold the length.
  They sit in `moov`, at the start of "fast start" files or after the media at the end.
- Ogg: the granule position of the stream's last page is exact; only the head in hand, the
  bytes-per-second of the pages seen so far gives an estimate.
`next_range` names the one further byte range that turns "unknown" or "estimated" into a better
answer (after a big ID3 tag, the moov atom, the Ogg tail), so a probe needs at most two requests.

mutagen is imported inside the readers: it is only needed when an episode is probed.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator, Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Literal

from tui.core.durations import parse_duration
from tui.core.podcasts.sparse import SparseFile

if TYPE_CHECKING:
    from mutagen.ogg import OggPage

Kind = Literal["mp3", "mp4", "ogg"]
Result = tuple[int | None, bool]
UNKNOWN: Result = (None, False)

OGG_TAIL_BYTES = 65536  # an Ogg page is at most 65,307 bytes, so the last one starts in here
MAX_ATOMS = 64  # top-level MP4 atoms walked before giving up on a malformed file
MAX_OGG_PAGES = 10_000  # a 256 KiB head holds at most ~9,400 pages of the smallest size
MAX_HEAD_BYTES = 1 << 20  # never look further than this into a head, whatever the caller passed

_MIME_KINDS: dict[str, Kind] = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/mpeg3": "mp3",
    "audio/x-mpeg": "mp3",
    "audio/mp4": "mp4",
    "audio/x-m4a": "mp4",
    "audio/m4a": "mp4",
    "video/mp4": "mp4",
    "audio/ogg": "ogg",
    "audio/opus": "ogg",
    "audio/vorbis": "ogg",
    "application/ogg": "ogg",
}


def sniff(head: bytes, mime_type: str | None = None) -> Kind | None:
    """The container of `head`, by magic bytes first and the server's MIME type second."""
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    return _MIME_KINDS.get(mime)


def audio_length(
    parts: Mapping[int, bytes], total_size: int | None, mime_type: str | None = None
) -> Result:
    """(seconds, estimated) from the fetched `parts` ({offset: bytes}) of a file; never raises."""
    try:
        kind = sniff(parts.get(0, b""), mime_type)
        if kind == "mp3":
            return _mp3(parts, total_size)
        if kind == "mp4":
            return _mp4(parts, total_size)
        if kind == "ogg":
            return _ogg(parts, total_size)
    except Exception:  # hostile bytes make mutagen raise all sorts; a length is never worth a crash
        return UNKNOWN
    return UNKNOWN


def next_range(
    head: bytes, total_size: int | None, chunk: int, mime_type: str | None = None
) -> tuple[int, int] | None:
    """The inclusive byte range (at most `chunk` long) worth fetching after `head`, or None."""
    if total_size is not None and len(head) >= total_size:
        return None  # the whole file is in hand
    try:
        kind = sniff(head, mime_type)
        start: int | None = None
        if kind == "mp3":
            start = _id3_end(head)
            if start is not None and start + 1024 <= len(head):
                start = None  # frames follow the tag inside the head
        elif kind == "mp4":
            start = _moov_offset_outside(head)
        elif kind == "ogg" and total_size is not None and not _ogg_has_end(head):
            start = max(len(head), total_size - OGG_TAIL_BYTES)
    except Exception:  # same reasoning as audio_length: malformed input means "nothing more"
        return None
    if start is None or (total_size is not None and start >= total_size):
        return None
    end = start + chunk - 1
    return start, end if total_size is None else min(end, total_size - 1)


def _seconds(length: float | None) -> int | None:
    return parse_duration(length) if length is not None else None


# -- MP3 -------------------------------------------------------------------------------------------


def _mp3(parts: Mapping[int, bytes], total_size: int | None) -> Result:
    from mutagen.mp3 import MPEGInfo

    file = SparseFile(parts, total_size)
    info = MPEGInfo(file)
    # mutagen seeks to the end only when no Xing/VBRI frame count was found and it falls back
    # to size × bitrate; with no real size that fallback measured our head, not the file.
    if file.seeked_to_end:
        if total_size is None:
            return UNKNOWN
        seconds = _seconds(info.length)
        return (seconds, True) if seconds else UNKNOWN
    seconds = _seconds(info.length)
    return (seconds, False) if seconds else UNKNOWN


def _id3_end(head: bytes) -> int | None:
    """Where a leading ID3v2 tag ends (tags holding cover art often outgrow the probe)."""
    if len(head) < 10 or not head.startswith(b"ID3"):
        return None
    size_bytes = head[6:10]
    if any(byte & 0x80 for byte in size_bytes):
        return None
    size = (size_bytes[0] << 21) | (size_bytes[1] << 14) | (size_bytes[2] << 7) | size_bytes[3]
    footer = 10 if head[5] & 0x10 else 0
    return 10 + size + footer


# -- MP4 / M4A -------------------------------------------------------------------------------------


def _mp4(parts: Mapping[int, bytes], total_size: int | None) -> Result:
    from mutagen.mp4 import MP4

    file = SparseFile(parts, total_size)
    length: float | None
    try:
        info = MP4(file).info
        length = info.length if info is not None else None
    except Exception:  # a moov cut by the probe window, or atoms after mdat we did not fetch
        length = None
    if not length:
        length = _mvhd_length(file)
    seconds = _seconds(length)
    return (seconds, False) if seconds else UNKNOWN


def _atoms(
    read: Callable[[int, int], bytes], start: int, end: int
) -> Iterator[tuple[int, bytes, int]]:
    """(offset, type, size) of the atoms between `start` and `end`, while their headers are readable."""
    position = start
    for _ in range(MAX_ATOMS):
        if position + 8 > end:
            return
        header = read(position, 16)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header[:8])
        if size == 1:  # 64-bit size follows the type
            if len(header) < 16:
                return
            size = struct.unpack(">Q", header[8:16])[0]
        elif size == 0:  # "to the end of the file"
            size = end - position
        if size < 8:
            return
        yield position, kind, size
        position += size


def _moov_offset_outside(head: bytes) -> int | None:
    """Where to fetch next when the head holds no moov: the first atom header beyond the head."""
    file = SparseFile({0: head})
    position = 0
    for offset, kind, size in _atoms(file.pread, 0, 2**62):
        if kind == b"moov":
            return None if offset + 8 <= len(head) else offset
        position = offset + size
    return position if position >= len(head) else None


def _mvhd_length(file: SparseFile) -> float | None:
    """The movie length from moov/mvhd, read by hand when mutagen cannot parse the whole file."""
    for offset, kind, size in _atoms(file.pread, 0, file.size):
        if kind != b"moov":
            continue
        for child, child_kind, _ in _atoms(file.pread, offset + 8, offset + size):
            if child_kind != b"mvhd":
                continue
            body = file.pread(child + 8, 32)
            if body[:1] == b"\x00" and len(body) >= 20:
                scale, duration = struct.unpack(">II", body[12:20])
            elif body[:1] == b"\x01" and len(body) >= 32:
                scale, duration = struct.unpack(">IQ", body[20:32])
            else:
                return None
            return duration / scale if scale else None
    return None


# -- Ogg -------------------------------------------------------------------------------------------


def _ogg(parts: Mapping[int, bytes], total_size: int | None) -> Result:
    from mutagen.ogg import OggPage

    head = parts.get(0, b"")[:MAX_HEAD_BYTES]
    first = OggPage(BytesIO(head))
    packet = first.packets[0] if first.packets else b""
    if packet.startswith(b"OpusHead") and len(packet) >= 19:
        rate, pre_skip = 48000, struct.unpack_from("<H", packet, 10)[0]
    elif packet.startswith(b"\x01vorbis") and len(packet) >= 16:
        rate, pre_skip = struct.unpack_from("<I", packet, 12)[0], 0
    else:
        return UNKNOWN
    if not rate:
        return UNKNOWN
    file = SparseFile(parts, total_size)
    final = _last_granule(file, first.serial, total_size is not None)
    if final is not None:
        seconds = _seconds((final - pre_skip) / rate)
        return (seconds, False) if seconds else UNKNOWN
    if total_size is None:
        return UNKNOWN
    # Only the head: extrapolate its bytes per second of audio to the whole file.
    audio_start, last_end, last_granule = 0, 0, 0
    for page, end in _pages(head):
        if page.serial != first.serial:
            continue
        if page.position <= 0:
            audio_start = end  # still header pages (identification, comments, setup)
        else:
            last_end, last_granule = end, page.position
    covered_seconds = (last_granule - pre_skip) / rate
    covered_bytes = last_end - audio_start
    if covered_seconds <= 0 or covered_bytes <= 0:
        return UNKNOWN
    seconds = _seconds((total_size - audio_start) * covered_seconds / covered_bytes)
    return (seconds, True) if seconds else UNKNOWN


def _last_granule(file: SparseFile, serial: int, size_known: bool) -> int | None:
    """The granule position of the stream's final page, if the fetched pieces reach the end.

    Looks backwards from the end of the file (only when its real size is known: otherwise the
    "end" is just where the head stops); the head also counts when it holds the end-of-stream
    page (a very short file).
    """
    tail_start = max(0, file.size - OGG_TAIL_BYTES)
    tail = file.pread(tail_start, file.size - tail_start)
    if size_known and tail_start + len(tail) == file.size:
        found = _scan_back(tail, serial)
        if found is not None:
            return found
    for page, _ in _pages(file.pread(0, MAX_HEAD_BYTES)):
        if page.serial == serial and page.last and page.position > 0:
            return int(page.position)
    return None


def _scan_back(data: bytes, serial: int) -> int | None:
    """The granule of the last complete page of `serial` in `data` (which ends the file)."""
    from mutagen.ogg import OggPage

    index = len(data)
    for _ in range(64):
        index = data.rfind(b"OggS", 0, index)
        if index < 0:
            return None
        try:
            page = OggPage(BytesIO(data[index:]))
        except Exception:  # "OggS" inside a packet, or a page cut at the start of the tail
            continue
        if page.serial == serial and page.position > 0:
            return int(page.position)
    return None


def _ogg_has_end(head: bytes) -> bool:
    """True when the head already holds an end-of-stream page (the whole short file)."""
    return any(page.last for page, _ in _pages(head))


def _pages(data: bytes) -> Iterator[tuple[OggPage, int]]:
    """The whole Ogg pages at the start of `data`, each with the offset where it ends."""
    from mutagen.ogg import OggPage

    stream = BytesIO(data)
    for _ in range(MAX_OGG_PAGES):
        try:
            page = OggPage(stream)
        except Exception:  # the end of the data, a page cut short, or not a page at all
            return
        yield page, stream.tell()

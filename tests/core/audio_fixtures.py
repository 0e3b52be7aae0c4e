"""Hand-built audio files for the podcast tests: valid containers, silent or noise payloads.

Nothing here is copied from a real recording. Each builder writes just the structure a length
reader looks at, following the public format descriptions:

- MP3: MPEG-1 Layer III frames at 48 kHz, where a frame is exactly 3 × kbps bytes (no padding
  needed) and lasts 1152 / 48000 = 24 ms. Optional Xing (VBR) or VBRI (Fraunhofer) header in the
  first frame, optional ID3v2 tag in front.
- Ogg/Opus: pages with a real CRC, an OpusHead and OpusTags header, then 20 ms packets.
- M4A: ftyp + moov (mvhd, one sound trak with tkhd/mdhd/hdlr/stbl) + mdat, moov first or last.

`serve_audio` runs a small loopback HTTP server with byte-range support and switches for the
misbehaviour the probe and the downloader must survive.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FRAME_SECONDS = 1152 / 48000  # one MPEG-1 Layer III frame at 48 kHz
_MP3_BITRATE_INDEX = {32: 1, 40: 2, 48: 3, 56: 4, 64: 5, 80: 6, 96: 7, 112: 8, 128: 9, 160: 10,
                      192: 11, 224: 12, 256: 13, 320: 14}  # fmt: skip


def mp3_frame_header(kbps: int, *, mono: bool = False) -> bytes:
    """The 4-byte header of an MPEG-1 Layer III frame at 48 kHz, no CRC, no padding."""
    byte2 = (_MP3_BITRATE_INDEX[kbps] << 4) | (0b01 << 2)  # sample-rate index 01 = 48 kHz
    byte3 = 0b11 << 6 if mono else 0  # channel mode: 11 mono, 00 stereo
    return bytes((0xFF, 0xFB, byte2, byte3))


def mp3_frame(kbps: int, fill: int = 0) -> bytes:
    """One whole frame (3 × kbps bytes at 48 kHz); `fill` varies the payload bytes."""
    size = 3 * kbps
    return mp3_frame_header(kbps) + bytes([fill & 0xFF]) * (size - 4)


def id3v2(size: int) -> bytes:
    """An ID3v2.4 tag of exactly `size` bytes: one TIT2 frame, then padding (like cover art)."""
    title = b"\x03Hand-made test tone"
    frame = b"TIT2" + _syncsafe(len(title)) + b"\x00\x00" + title
    body_size = size - 10
    assert body_size >= len(frame), "tag too small"
    body = frame + b"\x00" * (body_size - len(frame))
    return b"ID3\x04\x00\x00" + _syncsafe(body_size) + body


def _syncsafe(value: int) -> bytes:
    return bytes(((value >> 21) & 0x7F, (value >> 14) & 0x7F, (value >> 7) & 0x7F, value & 0x7F))


def mp3_cbr(seconds: float, kbps: int = 128, *, id3_size: int = 0) -> bytes:
    """A constant-bitrate MP3 with no VBR header: a reader can only estimate from size."""
    frames = round(seconds / FRAME_SECONDS)
    body = b"".join(mp3_frame(kbps, fill=i) for i in range(min(frames, 256)))
    # repeat a block of distinct frames rather than building millions of tiny objects
    whole, rest = divmod(frames, 256)
    data = body * whole + body[: rest * 3 * kbps]
    return (id3v2(id3_size) if id3_size else b"") + data


def mp3_vbr_xing(bitrates: list[int], *, id3_size: int = 0) -> bytes:
    """A variable-bitrate MP3 whose first frame carries a Xing header with the exact frame count.

    The Xing frame itself is silent and not counted, as encoders do.
    """
    audio = b"".join(mp3_frame(kbps, fill=i) for i, kbps in enumerate(bitrates))
    xing_kbps = 128
    header = mp3_frame_header(xing_kbps)
    side_info = b"\x00" * 32  # MPEG-1 stereo: the Xing tag sits 32 bytes after the header
    flags = 0x1 | 0x2 | 0x4 | 0x8  # frames, bytes, TOC, quality present
    total_bytes = 3 * xing_kbps + len(audio)
    toc = bytes(min(255, i * 256 // 100) for i in range(100))
    tag = b"Xing" + struct.pack(">III", flags, len(bitrates), total_bytes) + toc
    tag += struct.pack(">I", 50)
    first = header + side_info + tag
    first += b"\x00" * (3 * xing_kbps - len(first))
    return (id3v2(id3_size) if id3_size else b"") + first + audio


def mp3_vbr_vbri(bitrates: list[int]) -> bytes:
    """A variable-bitrate MP3 with a Fraunhofer VBRI header (always 32 bytes after the header)."""
    audio = b"".join(mp3_frame(kbps, fill=i) for i, kbps in enumerate(bitrates))
    vbri_kbps = 128
    entries, scale = 10, 100  # TOC of 10 two-byte entries, each in units of `scale` bytes
    frames_per_entry = max(1, len(bitrates) // entries)
    tag = b"VBRI" + struct.pack(
        ">HHHIIHHHH",
        1,
        0,
        75,
        3 * vbri_kbps + len(audio),
        len(bitrates),
        entries,
        scale,
        2,
        frames_per_entry,
    )
    tag += struct.pack(f">{entries}H", *([len(audio) // entries // scale] * entries))
    first = mp3_frame_header(vbri_kbps) + b"\x00" * 32 + tag
    first += b"\x00" * (3 * vbri_kbps - len(first))
    return first + audio


# -- Ogg / Opus ------------------------------------------------------------------------------------


_REVERSED_BITS = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def _ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, initial value 0, no final xor).

    Computed with zlib for speed: zlib's CRC-32 is the same polynomial bit-reflected, with
    0xFFFFFFFF as initial value and final xor. Reversing the bits of every input byte and of the
    result turns one into the other, and xoring with the CRC of as many zero bytes cancels
    zlib's initial value and final xor (CRCs are affine in their input).
    """
    reflected = zlib.crc32(data.translate(_REVERSED_BITS)) ^ zlib.crc32(bytes(len(data)))
    return int(f"{reflected:032b}"[::-1], 2)


def ogg_page(
    packets: list[bytes], *, granule: int, serial: int, sequence: int, flags: int = 0
) -> bytes:
    """One Ogg page holding whole packets (each under 255 × 255 bytes in total)."""
    lacing = bytearray()
    for packet in packets:
        full, rest = divmod(len(packet), 255)
        lacing += b"\xff" * full + bytes((rest,))
    assert len(lacing) <= 255, "too many packets for one page"
    header = b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, sequence, 0, len(lacing))
    page = bytearray(header + bytes(lacing) + b"".join(packets))
    struct.pack_into("<I", page, 22, _ogg_crc(bytes(page)))
    return bytes(page)


def ogg_opus(
    seconds: int, *, packet_bytes: int = 160, pre_skip: int = 312, eos: bool = True
) -> bytes:
    """An Ogg/Opus stream of `seconds` s: one page per second of 50 × 20 ms packets.

    The packets are a TOC byte for a 20 ms CELT frame and filler: the right shape for a
    container reader, not something a decoder would enjoy. `eos=False` leaves the last page
    without its end-of-stream flag, as a cut-off recording would.
    """
    serial = 0x0B5EED
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 2, pre_skip, 48000, 0, 0)
    vendor = b"broadsheet tests"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    pages = [
        ogg_page([head], granule=0, serial=serial, sequence=0, flags=0x02),
        ogg_page([tags], granule=0, serial=serial, sequence=1),
    ]
    packet = b"\xfc" + b"\x55" * (packet_bytes - 1)
    for second in range(1, seconds + 1):
        last = second == seconds
        pages.append(
            ogg_page(
                [packet] * 50,
                granule=pre_skip + second * 48000,
                serial=serial,
                sequence=second + 1,
                flags=0x04 if last and eos else 0,
            )
        )
    return b"".join(pages)


# -- MP4 / M4A -------------------------------------------------------------------------------------


def _atom(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_atom(kind: bytes, version: int, payload: bytes) -> bytes:
    return _atom(kind, bytes((version, 0, 0, 0)) + payload)


def _moov(seconds: float, *, movie_scale: int = 1000, sample_rate: int = 44100) -> bytes:
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _full_atom(
        b"mvhd",
        0,
        struct.pack(">IIII", 0, 0, movie_scale, round(seconds * movie_scale))
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\x00" * 10
        + matrix
        + b"\x00" * 24
        + struct.pack(">I", 2),
    )
    tkhd = _full_atom(
        b"tkhd",
        0,
        struct.pack(">IIIII", 0, 0, 1, 0, round(seconds * movie_scale))
        + b"\x00" * 8
        + struct.pack(">HHHH", 0, 0, 0x100, 0)
        + matrix
        + struct.pack(">II", 0, 0),
    )
    mdhd = _full_atom(
        b"mdhd",
        0,
        struct.pack(">IIII", 0, 0, sample_rate, round(seconds * sample_rate))
        + struct.pack(">HH", 0x55C4, 0),
    )
    hdlr = _full_atom(b"hdlr", 0, struct.pack(">I4s", 0, b"soun") + b"\x00" * 12 + b"Sound\x00")
    esds = _full_atom(
        b"esds",
        0,
        bytes((0x03, 25, 0, 1, 0, 0x04, 17, 0x40, 0x15))
        + b"\x00" * 3
        + struct.pack(">II", 128000, 128000)
        + bytes((0x05, 2, 0x12, 0x10, 0x06, 1, 2)),
    )
    mp4a = _atom(
        b"mp4a",
        b"\x00" * 6
        + struct.pack(">H", 1)
        + b"\x00" * 8
        + struct.pack(">HHHHI", 2, 16, 0, 0, sample_rate << 16)
        + esds,
    )
    stsd = _full_atom(b"stsd", 0, struct.pack(">I", 1) + mp4a)
    empty_tables = b"".join(
        _full_atom(kind, 0, struct.pack(">I", 0)) for kind in (b"stts", b"stsc", b"stco")
    )
    stsz = _full_atom(b"stsz", 0, struct.pack(">II", 0, 0))
    stbl = _atom(b"stbl", stsd + empty_tables + stsz)
    smhd = _full_atom(b"smhd", 0, b"\x00" * 4)
    minf = _atom(b"minf", smhd + stbl)
    mdia = _atom(b"mdia", mdhd + hdlr + minf)
    trak = _atom(b"trak", tkhd + mdia)
    return _atom(b"moov", mvhd + trak)


def m4a(seconds: float, *, media_bytes: int = 64_000, moov_first: bool = True) -> bytes:
    """An M4A (ftyp, moov, mdat) of the stated length; `moov_first=False` puts moov at the end."""
    ftyp = _atom(b"ftyp", b"M4A \x00\x00\x02\x00M4A mp42isom")
    mdat = _atom(b"mdat", bytes(i * 7 & 0xFF for i in range(256)) * (media_bytes // 256))
    moov = _moov(seconds)
    return ftyp + moov + mdat if moov_first else ftyp + mdat + moov


# -- serving them over loopback HTTP ---------------------------------------------------------------


@dataclass
class Served:
    """One request the AudioServer answered: what was asked and how many body bytes went out."""

    path: str
    range: str | None
    status: int = 0
    sent: int = 0
    done: threading.Event = field(default_factory=threading.Event)  # set once the handler returns


@dataclass
class AudioServer:
    """A tiny HTTP server on 127.0.0.1 serving `files`, with switches for misbehaviour.

    - `honour_range=False`: answer every request with 200 and the whole body.
    - `cut_next_after=N`: the next response declares its full length, sends N body bytes and
      drops the connection (a network failure mid-download); later responses are whole.
    - `send_length=False`: no Content-Length; the body ends when the connection closes.
    - `redirects`: path → Location answered with 302.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    honour_range: bool = True
    cut_next_after: int | None = None
    send_length: bool = True
    log: list[Served] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


def _handler_for(server: AudioServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            served = Served(self.path, self.headers.get("Range"))
            server.log.append(served)
            try:
                self._answer(served)
            finally:
                served.done.set()

        def _answer(self, served: Served) -> None:
            if self.path in server.redirects:
                served.status = 302
                self.send_response(302)
                self.send_header("Location", server.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = server.files.get(self.path)
            if body is None:
                served.status = 404
                self.send_error(404)
                return
            start, end, status = 0, len(body) - 1, 200
            match = _RANGE.match(served.range or "")
            if server.honour_range and match:
                start = int(match.group(1))
                end = min(int(match.group(2) or len(body) - 1), len(body) - 1)
                if start >= len(body):
                    served.status = 416
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
            served.status = status
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            if server.send_length:
                self.send_header("Content-Length", str(end - start + 1))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
            self.send_header("Connection", "close")
            self.end_headers()
            cut, server.cut_next_after = server.cut_next_after, None
            stop = end + 1 if cut is None else min(end + 1, start + cut)
            try:
                for offset in range(start, stop, 16384):
                    chunk = body[offset : min(offset + 16384, stop)]
                    self.wfile.write(chunk)
                    served.sent += len(chunk)
            except OSError:  # the client hung up, as a probe does once it has enough
                pass
            if cut is not None:
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


@contextmanager
def serve_audio(server: AudioServer) -> Iterator[AudioServer]:
    """Run `server` on a free loopback port for the duration of the block."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)

"""The text of a PDF written by fpdf2 with an embedded TrueType font, without a PDF library:
page content shows glyph ids (two bytes each) and the font's ToUnicode map turns them back into
characters. Enough to assert what a generated PDF says and does not say."""

import re
import zlib

STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", re.S)
LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _streams(data: bytes) -> list[bytes]:
    found = []
    for head, body in STREAM.findall(data):
        found.append(zlib.decompress(body) if b"FlateDecode" in head else body)
    return found


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] != b"\\":
            out += raw[i : i + 1]
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    streams = _streams(data)
    glyphs: dict[int, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for cid, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[int(cid, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    lines = []
    for stream in streams:
        for raw in LITERAL.findall(stream):
            codes = _unescape(raw)
            lines.append(
                "".join(
                    glyphs.get(int.from_bytes(codes[i : i + 2], "big"), "?")
                    for i in range(0, len(codes) - 1, 2)
                )
            )
    return "\n".join(lines)

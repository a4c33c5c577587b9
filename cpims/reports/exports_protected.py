"""Password-protected exports: the file inside a ZIP encrypted with AES-256 (WinZip AE-2, which
7-Zip, WinRAR and macOS/Windows archivers with AES support open; the old ZipCrypto is broken and
not offered).

The archive is written to a temporary file on disk while the rows stream in, then sent from
there: encryption needs the whole member before the central directory is written, and holding
it in memory would break the constant-memory promise of the exports. The password lives only
in the request; it is never logged, audited or stored."""

import shutil
import tempfile
from collections.abc import Callable, Iterable
from typing import IO

import pyzipper
from django.http import FileResponse

BUFFER = 64 * 1024
MIN_LENGTH = 8


def zip_spool(
    member: str, fill: Callable[[IO[bytes]], None], *, password: str, compress: bool = True
) -> IO[bytes]:
    """A temporary file holding an AES-encrypted ZIP with one `member` that `fill` writes."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller, who closes it
    with pyzipper.AESZipFile(
        handle,
        "w",
        compression=pyzipper.ZIP_DEFLATED if compress else pyzipper.ZIP_STORED,
        encryption=pyzipper.WZ_AES,
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        with archive.open(member, "w", force_zip64=True) as out:
            fill(out)
    handle.seek(0)
    return handle


def zip_response(member: str, fill: Callable[[IO[bytes]], None], *, password: str, compress=True):
    handle = zip_spool(member, fill, password=password, compress=compress)
    return FileResponse(
        handle, as_attachment=True, filename=f"{member}.zip", content_type="application/zip"
    )


def write_text_chunks(out: IO[bytes], chunks: Iterable[str]) -> None:
    """Encode and write in blocks of about 64 KB: one encryption call per row would be slow."""
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= BUFFER:
            out.write("".join(pending).encode("utf-8"))
            pending, size = [], 0
    if pending:
        out.write("".join(pending).encode("utf-8"))


def write_file(out: IO[bytes], write: Callable[[IO[bytes]], None]) -> None:
    """Formats that need a seekable file of their own (XLSX is itself a ZIP) go through one."""
    with tempfile.TemporaryFile() as inner:
        write(inner)
        inner.seek(0)
        shutil.copyfileobj(inner, out, BUFFER)

"""The case export streams: rows leave as they are read, so memory does not grow with the
number of rows (the full 100 000-row figure is in bench/export.py). The password-protected
variant spools its encrypted archive to disk, so it stays flat too."""

import tempfile
import tracemalloc

import pyzipper
from django.test import Client

from cpims.cases.models import Case
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user, signed_in

PASSWORD = "Streaming-2026"


def _lines(client, password: str, spool) -> tuple[int, int]:
    """Export once; the lines of the CSV and the peak of Python memory while it was made and
    sent (the response goes to a file, as a client would save it, not into memory)."""
    spool.seek(0)
    spool.truncate()
    tracemalloc.start()
    if password:
        response = client.post("/reports/export/cases.csv", {"password": password})
    else:
        response = client.get("/reports/export/cases.csv")
    for chunk in response.streaming_content:
        spool.write(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    spool.seek(0)
    if not password:
        return sum(line.count(b"\n") for line in spool), peak
    with pyzipper.AESZipFile(spool) as archive:
        archive.setpassword(password.encode())
        with archive.open("cases.csv") as member:
            blocks = iter(lambda: member.read(1 << 16), b"")
            return sum(block.count(b"\n") for block in blocks), peak


def test_the_case_csv_streams_in_flat_memory(places):
    case = register(assigned_worker=worker_of(team()))
    template = Case.objects.values().get(pk=case.pk)
    template.pop("id")

    def add(n: int, start: int) -> None:
        Case.objects.bulk_create(
            [Case(**{**template, "number": f"T-{start + i:07d}"}) for i in range(n)],
            batch_size=2000,
        )

    client = Client()
    signed_in(client, make_user(role="cp_officer", scope="MN"))
    add(3_000, 0)
    with tempfile.TemporaryFile() as spool:
        for password in ("", PASSWORD):  # warm up: templates, translations, connection caches
            _lines(client, password, spool)
        small = {p: _lines(client, p, spool) for p in ("", PASSWORD)}
        add(9_000, 3_000)
        big = {p: _lines(client, p, spool) for p in ("", PASSWORD)}
    for password in ("", PASSWORD):
        (lines_small, peak_small), (lines_big, peak_big) = small[password], big[password]
        assert (lines_small, lines_big) == (3_002, 12_002)  # header + rows
        # Rows are read in chunks of 2 000 (exports.CHUNK). Holding the rows would cost about a
        # kilobyte each (a 14-field tuple); 9 000 more rows must add far less than that.
        growth = (peak_big - peak_small) / 9_000
        assert growth < 250, (bool(password), peak_small, peak_big)

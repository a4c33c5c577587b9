"""The case export streams: rows leave as they are read, so memory does not grow with the
number of rows (the full 100 000-row figure belongs in bench/)."""

import tracemalloc

from django.test import Client

from cpims.cases.models import Case
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user


def _peak_while_streaming(client) -> tuple[int, int]:
    tracemalloc.start()
    response = client.get("/reports/export/cases.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines, peak


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
    client.force_login(make_user(role="cp_officer", scope="MN"))
    add(3_000, 0)
    _peak_while_streaming(client)  # warm up: templates, translations, connection caches
    lines_small, peak_small = _peak_while_streaming(client)
    add(9_000, 3_000)
    lines_big, peak_big = _peak_while_streaming(client)
    assert (lines_small, lines_big) == (3_002, 12_002)  # header + rows
    # Rows are read in chunks of 2 000 (exports.CHUNK). Holding the rows would cost about a
    # kilobyte each (a 14-field tuple); 9 000 more rows must add far less than that.
    assert (peak_big - peak_small) / 9_000 < 250, (peak_small, peak_big)

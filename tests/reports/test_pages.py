import csv
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from cpims.audit.models import AuditEvent
from cpims.reports.indicators import CATALOGUE
from tests.access import assert_access, matrix
from tests.factories import make_user, signed_in
from tests.reports.helpers import CHILD_NAME, build

AGGREGATE = ["cp_officer", "national_analyst", "finance_officer"]
Q = "?start=2025-01-01&end=2025-12-31"


@pytest.fixture
def world(places):
    return build()


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def xlsx_text(response) -> str:
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return "\n".join(
        ",".join("" if v is None else str(v) for v in row)
        for row in workbook.active.iter_rows(values_only=True)
    )


def test_access_matrix(world):
    assert_access("/reports/", matrix(AGGREGATE))
    assert_access("/reports/indicators/CM1/", matrix(AGGREGATE))
    assert_access("/reports/map/", matrix(AGGREGATE))
    # Personal exports ask for the password again first (see test_protected_exports.py).
    assert_access("/reports/export/cases.csv", matrix(["cp_officer"], allow=302))
    assert_access("/api/v1/indicators/", matrix(AGGREGATE, anonymous=403))
    assert_access("/api/v1/indicators/CM1/", matrix(AGGREGATE, anonymous=403))


def test_an_officer_sees_only_their_area(world, settings):
    settings.LANGUAGE_CODE = "mn"  # place names as users see them
    client = Client()
    client.force_login(make_user(role="cp_officer", scope="11"))
    assert client.get("/reports/?place=21").status_code == 404
    assert client.get("/reports/map/").status_code == 403
    page = client.get(f"/reports/indicators/CM1/{Q}")
    assert page.status_code == 200 and "Баянгол" in page.content.decode()  # by district
    api = client.get("/api/v1/indicators/CM1/", {"start": "2025-01-01", "end": "2025-12-31"})
    assert api.json()["value"] == "2"
    assert client.get("/api/v1/indicators/CM1/?place=21").status_code == 404


def test_national_analysts_get_no_personal_data_anywhere(world):
    client = Client()
    client.force_login(make_user(role="national_analyst", scope="MN"))
    urls = ["/reports/" + Q, "/reports/map/" + Q, "/api/v1/indicators/"]
    urls += ["/reports/" + Q + "&format=csv", "/reports/" + Q + "&format=xlsx"]
    for indicator in CATALOGUE:
        base = f"/reports/indicators/{indicator.code}/{Q}"
        urls += [base, base + "&format=csv", base + "&format=xlsx"]
        urls += [base + f"&by={d}&format=csv" for d in indicator.disaggregations]
        urls += [f"/reports/map/{Q}&indicator={indicator.code}"]
        urls += [f"/api/v1/indicators/{indicator.code}/?start=2025-01-01&end=2025-12-31"]
    case_numbers = [case.number for case in world["cases"]]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = xlsx_text(response) if "format=xlsx" in url else body(response)
        assert CHILD_NAME not in text, url
        assert not any(number in text for number in case_numbers), url
    assert client.get("/reports/export/cases.csv").status_code == 403


def test_aggregate_export_suppresses_small_cells(world):
    client = Client()
    client.force_login(make_user(role="national_analyst", scope="MN"))
    text = body(client.get(f"/reports/indicators/CM1/{Q}&format=csv"))
    lines = {line.split(",")[0]: line.split(",") for line in text.strip().splitlines()[1:]}
    # Ulaanbaatar 2 cases, Dornod 1, total 3: every count is below 5
    assert lines["11"][2] == "<5" and lines["21"][2] == "<5"
    assert lines["MN"][2] == "<5"
    assert lines["84"][2] == "<5"  # zeros are below the threshold too


def test_threshold_is_a_setting(world, settings):
    settings.CPIMS_SUPPRESSION_THRESHOLD = 1
    client = Client()
    client.force_login(make_user(role="national_analyst", scope="MN"))
    text = body(client.get(f"/reports/indicators/CM1/{Q}&format=csv"))
    lines = {line.split(",")[0]: line.split(",") for line in text.strip().splitlines()[1:]}
    assert lines["11"][2:] == ["2", "2"] and lines["MN"][2:] == ["3", "3"]


def test_the_map_colours_every_aimag(world):
    client = Client()
    client.force_login(make_user(role="national_analyst", scope="MN"))
    page = client.get(f"/reports/map/{Q}&indicator=CM1").content.decode()
    assert page.count("data-aimag=") == 22
    assert "<script" not in page.split("<main")[-1] if "<main" in page else True


def test_personal_case_export_is_audited_and_complete(world):
    client = Client()
    officer = make_user(role="cp_officer", scope="MN")
    signed_in(client, officer)
    response = client.get("/reports/export/cases.csv?risk=high")
    assert response.streaming
    text = body(response)
    assert CHILD_NAME in text and len(text.strip().splitlines()) == 2
    event = AuditEvent.objects.filter(action="reports.case_export").latest("pk")
    assert event.actor_id == officer.pk
    assert event.changes["rows"] == 1 and event.changes["filter"] == {"risk": "high"}
    workbook = xlsx_text(client.get("/reports/export/cases.xlsx"))
    assert workbook.count(CHILD_NAME) == 2  # two cases of the same girl


def test_the_schema_lists_the_indicator_endpoints(world):
    client = Client()
    client.force_login(make_user(role="national_analyst", scope="MN"))
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/indicators/{code}/" in schema


def test_dashboard_csv_suppresses_small_headline_counts(world, settings):
    client = Client()
    client.force_login(make_user(role="national_analyst", scope="MN"))
    text = body(client.get(f"/reports/{Q}&format=csv")).lstrip("\ufeff")
    rows = {row[0]: row for row in list(csv.reader(text.splitlines()))[1:]}
    assert rows["CM1"][2:] == ["<5", "<5", ""]
    assert rows["CM3"][2:] == ["<5", "<5", "200000"]
    assert rows["PV1"][2:] == ["25", "25", ""]
    # money is not suppressed
    assert [Decimal(v) for v in rows["FN1"][2:]] == [Decimal("25.0"), 250, 1000]

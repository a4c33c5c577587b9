from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cpims.cases.models import Case
from cpims.justice import labour
from cpims.justice.jockeys import Period, evaluate, per_thousand, summarise
from cpims.justice.models import Inspection, RestrictedPeriod
from cpims.justice.reports import jockey_report
from cpims.registry.models import Person
from cpims.registry.services import PossibleDuplicate
from tests.cases.helpers import officer, team
from tests.factories import location, make_user
from tests.registry.helpers import make_person

WINTER = [Period("winter", frozenset({12, 1, 2}), 12), Period("early", frozenset({3, 4}), 12)]


def test_minimum_age_and_the_winter_rule_for_under_twelves():
    february = evaluate(
        kind="horse_race", held_on=date(2026, 2, 14), ages=[6, 8, 11, 12, 14], periods=WINTER
    )
    assert (february.under_min_age, february.restricted_period) == (1, True)
    assert february.season_violations == 3, "6, 8 and 11 are under 12"
    assert february.periods == ["winter"]
    april = evaluate(kind="horse_race", held_on=date(2026, 4, 30), ages=[11, 12], periods=WINTER)
    assert april.season_violations == 1 and april.periods == ["early"]
    july = evaluate(kind="horse_race", held_on=date(2026, 7, 11), ages=[6, 7, 9], periods=WINTER)
    assert (july.under_min_age, july.restricted_period, july.season_violations) == (1, False, 0)
    may = evaluate(kind="horse_race", held_on=date(2026, 5, 1), ages=[8], periods=WINTER)
    assert may.season_violations == 0, "May is not early spring"


def test_workplaces_use_the_working_age_and_no_season_rule(settings):
    settings.CPIMS_WORK_MIN_AGE = 15
    result = evaluate(
        kind="workplace", held_on=date(2026, 1, 10), ages=[13, 15, 16], periods=WINTER
    )
    assert (result.min_age, result.under_min_age, result.season_violations) == (15, 1, 0)


@pytest.mark.django_db
def test_restricted_periods_are_data(places):
    RestrictedPeriod.objects.create(
        code="deep-winter", name_mn="x", name_en="x", months="1, 2", under_age=10
    )
    december = evaluate(kind="horse_race", held_on=date(2026, 12, 20), ages=[8, 9])
    assert december.season_violations == 0, "the configured rule replaces the defaults"
    january = evaluate(kind="horse_race", held_on=date(2027, 1, 20), ages=[8, 9, 10])
    assert january.season_violations == 2


def test_injuries_per_thousand_rides_and_compliance_rates_on_hand_built_data():
    races = [
        # aimag, season, children, rides, under 7, season violations, gear, insured, hurt, dead
        ("21", "summer", 10, 40, 0, 0, 10, 10, 2, 0),
        ("21", "summer", 20, 60, 2, 0, 15, 20, 1, 1),
        ("21", "winter", 5, 5, 1, 4, 0, 5, 0, 0),
        ("67", "summer", 0, 0, 0, 0, 0, 0, 0, 0),
    ]
    fields = [
        "aimag",
        "season",
        "children",
        "rides",
        "under_min_age",
        "season_violations",
        "with_gear",
        "insured",
        "injuries",
        "deaths",
    ]
    rows = {
        r["group"]: r for r in summarise([dict(zip(fields, race, strict=True)) for race in races])
    }
    summer = rows[("21", "summer")]
    assert summer["inspections"] == 2 and summer["children"] == 30 and summer["rides"] == 100
    assert summer["injuries_per_1000_rides"] == 30.0  # 3 injuries / 100 rides
    assert summer["min_age_compliance"] == 93.3  # 28 of 30
    assert summer["gear_compliance"] == 83.3  # 25 of 30
    assert summer["insurance_compliance"] == 100.0
    assert summer["season_compliance"] == 100.0
    assert summer["compliant_inspections"] == 50.0
    assert summer["deaths"] == 1
    winter = rows[("21", "winter")]
    assert winter["season_compliance"] == 20.0 and winter["injuries_per_1000_rides"] == 0.0
    empty = rows[("67", "summer")]
    assert empty["injuries_per_1000_rides"] is None and empty["min_age_compliance"] is None
    assert per_thousand(169, 10435) == 16.2  # 2017: 169 injured in 10,435 rides (if one each)


def _race(actor, **kw):
    data = {
        "kind": "horse_race",
        "held_on": date(2026, 7, 11),
        "location": location("2101"),
        "place": "Naadam",
        "organiser": "Soum",
        "ages": [7, 8, 9, 12],
        "with_gear": 4,
        "insured": 4,
    } | kw
    return labour.inspection_save(actor=actor, data=labour.InspectionInput(**data))


@pytest.mark.django_db
def test_an_inspection_is_saved_with_its_compliance_computed(places):
    boss = officer("21")
    race = _race(
        boss, held_on=date(2026, 2, 1), ages=[6, 9, 13], children=5, with_gear=2, insured=5
    )
    assert (race.children, race.rides, race.season) == (5, 5, "winter")
    assert (race.under_min_age, race.season_violations, race.restricted_period) == (1, 2, True)
    assert not race.compliant
    assert _race(boss).compliant
    with pytest.raises(ValidationError):
        _race(boss, with_gear=9)
    with pytest.raises(ValidationError):
        labour.parse_ages("7, eight")
    assert labour.parse_ages("7, 8;9 10") == [7, 8, 9, 10]


@pytest.mark.django_db
def test_the_report_groups_by_aimag_and_season(places):
    boss = officer("MN")
    _race(boss, rides=10, injuries=1)
    _race(boss, location=location("2128"), rides=10, injuries=1)
    _race(
        boss,
        location=location("6701"),
        held_on=date(2026, 3, 8),
        ages=[8, 13],
        with_gear=2,
        insured=2,
    )
    _race(boss, kind="workplace", injuries=3)
    _race(boss, held_on=date(2025, 7, 11), injuries=4)
    report = jockey_report(Inspection.objects.all(), year=2026)
    rows = {(r["aimag"], r["season"]): r for r in report["rows"]}
    assert set(rows) == {("21", "summer"), ("67", "spring")}
    assert rows[("21", "summer")]["injuries_per_1000_rides"] == 100.0  # 2 of 20 rides
    assert rows[("67", "spring")]["season_compliance"] == 50.0
    assert report["total"]["inspections"] == 3


@pytest.mark.django_db
def test_an_injured_child_becomes_a_high_risk_case_in_one_step(places):
    team("mdt-kherlen", "2101")
    boss = officer("21")
    race = _race(boss)
    found = labour.found_child_add(
        actor=boss, inspection=race, given_name="Билгүүн", sex="M", age=9, injury="broken arm"
    )
    race.refresh_from_db()
    assert race.injuries == 1, "the injury count follows the named children"
    case = labour.found_child_open_case(actor=boss, found=found, confirmed_new=True)
    assert (case.origin, case.risk) == ("inspection", "high")
    assert set(case.harms.values_list("harm", flat=True)) == {"jockey_injury", "child_labour"}
    assert case.harm_location.code == "2101" and "broken arm" in case.summary
    person = case.children.get().person
    assert person.given_name == "Билгүүн" and person.birth_year == 2017
    found.refresh_from_db()
    assert found.case == case and found.person == person
    with pytest.raises(ValidationError):
        labour.found_child_open_case(actor=boss, found=found, confirmed_new=True)
    assert case.tasks.filter(kind="first_response", done_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_registry_is_searched_before_a_new_child_is_registered(places):
    team("mdt-kherlen", "2101")
    boss = officer("21")
    known = make_person(
        given_name="Тэмүүлэн",
        place="2101",
        registration_number="УК17231214",
        sex="M",
        date_of_birth=date(2017, 3, 12),
    )
    race = _race(boss)
    by_number = labour.found_child_add(
        actor=boss,
        inspection=race,
        given_name="Temuulen",
        registration_number="ук17231214",
        injury="x",
    )
    case = labour.found_child_open_case(actor=boss, found=by_number)
    assert case.children.get().person == known, "found by registration number"
    similar = labour.found_child_add(
        actor=boss,
        inspection=race,
        given_name="Тэмүүлэн",
        sex="M",
        age=9,
        injury="y",
        home=location("2101"),
    )
    with pytest.raises(PossibleDuplicate):
        labour.found_child_open_case(actor=boss, found=similar)
    case = labour.found_child_open_case(actor=boss, found=similar, person=known)
    assert case.children.get().person == known
    assert Person.objects.filter(given_name="Тэмүүлэн").count() == 1


@pytest.mark.django_db
def test_open_case_page_shows_likely_matches_first(places):
    team("mdt-kherlen", "2101")
    boss = officer("21")
    make_person(given_name="Билгүүн", place="2101", sex="M", date_of_birth=date(2017, 1, 1))
    race = _race(boss)
    found = labour.found_child_add(
        actor=boss,
        inspection=race,
        given_name="Билгүүн",
        sex="M",
        age=9,
        injury="z",
        home=location("2101"),
    )
    client = Client()
    client.force_login(boss)
    response = client.post(f"/justice/found/{found.pk}/case/")
    assert response.status_code == 200 and b'data-testid="candidates"' in response.content
    response = client.post(f"/justice/found/{found.pk}/case/", {"confirmed_new": "1"})
    case = Case.objects.get(origin="inspection")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"


@pytest.mark.django_db
def test_administrators_change_the_season_rule_as_data(places):
    admin = make_user(role="sysadmin", scope="MN")
    client = Client()
    client.force_login(admin)
    body = {"code": "winter", "name_mn": "Өвөл", "name_en": "Winter", "months": "1, 2,12"}
    response = client.post("/justice/rules/", {**body, "under_age": 12, "is_active": "on"})
    assert response.status_code == 302
    assert RestrictedPeriod.objects.get(code="winter").months == "1,2,12"
    bad = client.post("/justice/rules/", {**body, "code": "bad", "months": "13", "under_age": 12})
    assert bad.status_code == 200 and not RestrictedPeriod.objects.filter(code="bad").exists()
    march = evaluate(kind="horse_race", held_on=date(2026, 3, 8), ages=[8])
    assert march.season_violations == 0, "early spring is no longer restricted once rows exist"
    officer_client = Client()
    officer_client.force_login(officer("MN"))
    assert officer_client.get("/justice/rules/").status_code == 403

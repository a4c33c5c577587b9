import pytest

from cpims.registry.selectors import SearchQuery, person_search
from tests.registry.helpers import dob, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory):
    officer = user_factory(role="cp_officer", scope="MN")
    return {
        "batbayar": make_person(
            officer,
            given_name="Батбаяр",
            patronymic="Доржийн",
            date_of_birth=dob("2014-03-05"),
            registration_number="УК14230512",
            phones=["99112233"],
        ),
        "khongorzul": make_person(
            officer,
            given_name="Khongorzul",
            patronymic="B.",
            date_of_birth=dob("2011-01-01"),
            place="2101",
        ),
        "bat": make_person(
            officer, given_name="Бат", patronymic="Болдын", date_of_birth=dob("2010-06-06")
        ),
    }


def search(user, text="", **kw):
    return [p.pk for p in person_search(user=user, query=SearchQuery(text=text, **kw))]


@pytest.mark.parametrize(
    "text", ["Батбаяр", "Batbayar", "batbaiar", "Д. Батбаяр", "Dorjiin Batbayar", "Д.Батбаяр"]
)
def test_cyrillic_and_latin_find_the_same_person(people, user_factory, text):
    officer = user_factory(role="cp_officer")
    assert people["batbayar"].pk in search(officer, text)


@pytest.mark.parametrize("text", ["Хонгорзул", "Hongorzul", "Xongorzul", "Б. Хонгорзул"])
def test_latin_stored_names_are_found_in_cyrillic(people, user_factory, text):
    assert search(user_factory(role="cp_officer"), text) == [people["khongorzul"].pk]


def test_a_wrong_patronymic_initial_excludes(people, user_factory):
    assert search(user_factory(role="cp_officer"), "Г. Батбаяр") == []


def test_prefix_search_and_birth_year(people, user_factory):
    officer = user_factory(role="cp_officer")
    assert set(search(officer, "Бат")) == {people["batbayar"].pk, people["bat"].pk}
    assert search(officer, "Бат")[0] == people["bat"].pk, "exact given name first"
    assert search(officer, "Бат", birth_year=2014) == [people["batbayar"].pk]


def test_registration_number_and_phone_search(people, user_factory):
    officer = user_factory(role="cp_officer")
    assert search(officer, "yk14230512") == [people["batbayar"].pk]
    assert search(officer, "9911 2233") == [people["batbayar"].pk]
    assert search(officer, "+976 99112233") == [people["batbayar"].pk]


def test_place_filter_and_scope(people, user_factory):
    officer = user_factory(role="cp_officer")
    assert search(officer, "", location_code="21") == [people["khongorzul"].pk]
    ub_worker = user_factory(role="social_worker", scope="11")
    assert search(ub_worker, "Хонгорзул") == [], (
        "a person in Dornod is outside an Ulaanbaatar scope"
    )
    assert people["batbayar"].pk in search(ub_worker, "Батбаяр")
    assert search(user_factory(role="national_analyst"), "Батбаяр") == [], "no personal data"

import pytest
from django.core.exceptions import ValidationError

from cpims.audit.models import AuditEvent
from cpims.registry.models import Person
from cpims.registry.services import (
    PersonInput,
    PossibleDuplicate,
    VersionConflict,
    person_create,
    person_update,
    regno_warnings,
)
from tests.factories import location
from tests.registry.helpers import dob, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(user_factory):
    return user_factory(role="social_worker", scope="11")


def test_create_normalises_identity_and_stores_search_keys(worker):
    person = make_person(
        worker,
        given_name="Batbayar",
        patronymic="Б.",
        registration_number="yk 03271614",
        date_of_birth=dob("2003-07-16"),
        phones=["9911 2233", "+976-99112233"],
    )
    assert person.registration_number == "УК03271614"
    assert list(person.phones.values_list("number", flat=True)) == ["+97699112233"]
    assert person.given_key == "batbaiar" and person.patronymic_initial == "b"
    assert person.birth_year == 2003
    event = AuditEvent.objects.get(action="registry.person_created", object_id=str(person.pk))
    assert event.changes["given_name"] == "Batbayar" and event.actor_id == worker.pk


def test_a_likely_duplicate_is_shown_before_anything_is_saved(worker):
    existing = make_person(
        worker, given_name="Батбаяр", patronymic="Доржийн", date_of_birth=dob("2014-03-05"), sex="M"
    )
    data = PersonInput(
        given_name="Batbayar",
        patronymic="D.",
        date_of_birth=dob("2014-03-05"),
        sex="M",
        location=location("110751"),
    )
    with pytest.raises(PossibleDuplicate) as caught:
        person_create(actor=worker, data=data)
    assert [c.person.pk for c in caught.value.candidates.visible] == [existing.pk]
    assert Person.objects.count() == 1
    person_create(actor=worker, data=data, confirmed_new=True)
    assert Person.objects.count() == 2


def test_matches_outside_the_users_area_are_counted_not_shown(user_factory, worker):
    dornod = user_factory(role="social_worker", scope="21")
    make_person(dornod, given_name="Тэмүүлэн", date_of_birth=dob("2012-03-04"), place="2101")
    data = PersonInput(
        given_name="Temuulen", date_of_birth=dob("2012-03-04"), location=location("1107")
    )
    with pytest.raises(PossibleDuplicate) as caught:
        person_create(actor=worker, data=data)
    assert caught.value.candidates.visible == [] and caught.value.candidates.hidden_count == 1


@pytest.mark.parametrize("regno", ["УК0327161", "УК13131614", "123", "УКК3271614"])
def test_bad_registration_numbers_are_refused_with_the_field_named(worker, regno):
    with pytest.raises(ValidationError) as caught:
        make_person(worker, registration_number=regno)
    assert "registration_number" in caught.value.message_dict


def test_bad_phone_is_refused_with_the_field_named(worker):
    with pytest.raises(ValidationError) as caught:
        make_person(worker, phones=["not a phone"])
    assert "phones" in caught.value.message_dict


def test_registration_number_disagreement_warns_but_saves(worker):
    data = PersonInput(
        given_name="Сараа",
        sex="M",
        date_of_birth=dob("2004-01-01"),
        registration_number="УК04231425",
        location=location("110751"),
    )
    warnings = regno_warnings(data)
    assert len(warnings) == 2  # the number says 2004-03-14 and female
    person = person_create(actor=worker, data=data, confirmed_new=True)
    assert person.pk


def test_second_save_with_an_old_version_is_a_conflict_not_an_overwrite(worker):
    person = make_person(worker, given_name="Золбоо")
    first = PersonInput(given_name="Золбоо", address="Хороо 1", location=location("110751"))
    person_update(actor=worker, person=person, data=first, expected_version=1)
    second = PersonInput(given_name="Zolboo", address="Other", location=location("110751"))
    with pytest.raises(VersionConflict) as caught:
        person_update(actor=worker, person=person, data=second, expected_version=1)
    assert caught.value.current.address == "Хороо 1"
    person.refresh_from_db()
    assert person.given_name == "Золбоо" and person.version == 2


def test_updates_keep_their_history_in_the_audit_log(worker):
    person = make_person(worker, given_name="Ану", phones=["88112233"])
    person_update(
        actor=worker,
        person=person,
        data=PersonInput(given_name="Ану", phones=["99001122"], location=location("110751")),
        expected_version=1,
    )
    event = AuditEvent.objects.get(action="registry.person_updated", object_id=str(person.pk))
    assert event.changes["phones"] == [["+97688112233"], ["+97699001122"]]

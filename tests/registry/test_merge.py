import pytest
from django.core.exceptions import ValidationError

from cpims.audit.models import AuditEvent
from cpims.registry.merge import person_merge, person_merge_undo
from cpims.registry.models import Person, PersonPhone, Relationship
from cpims.registry.services import relationship_add
from tests.registry.helpers import dob, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_factory):
    return user_factory(role="cp_officer", scope="MN")


def test_merge_moves_every_link_and_undo_moves_them_back(manager):
    survivor = make_person(
        manager, given_name="Батбаяр", phones=["99112233"], date_of_birth=dob("2014-03-05")
    )
    duplicate = make_person(
        manager,
        given_name="Batbayar",
        phones=["99112233", "88001122"],
        registration_number="УК14230512",
    )
    mother = make_person(manager, given_name="Сарнай", sex="F")
    sister = make_person(manager, given_name="Номин", sex="F")
    relationship_add(actor=manager, from_person=mother, to_person=duplicate, kind="mother")
    relationship_add(actor=manager, from_person=duplicate, to_person=sister, kind="sibling")

    merge = person_merge(
        actor=manager,
        survivor=survivor,
        merged=duplicate,
        take_from_merged=["registration_number"],
        reason="same child",
    )
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert survivor.registration_number == "УК14230512"
    assert set(survivor.phones.values_list("number", flat=True)) == {"+97699112233", "+97688001122"}
    assert Relationship.objects.filter(
        from_person=mother, to_person=survivor, kind="mother"
    ).exists()
    assert Relationship.objects.filter(from_person=survivor, to_person=sister).exists()
    assert AuditEvent.objects.filter(
        action="registry.person_merged", object_id=str(survivor.pk)
    ).exists()

    person_merge_undo(actor=manager, merge=merge)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert survivor.registration_number is None
    assert set(survivor.phones.values_list("number", flat=True)) == {"+97699112233"}
    assert set(duplicate.phones.values_list("number", flat=True)) == {
        "+97699112233",
        "+97688001122",
    }
    assert Relationship.objects.filter(from_person=mother, to_person=duplicate).exists()
    assert Relationship.objects.filter(from_person=duplicate, to_person=sister).exists()
    assert not Relationship.objects.filter(to_person=survivor).exists()
    assert AuditEvent.objects.filter(action="registry.merge_undone").exists()
    with pytest.raises(ValidationError):
        person_merge_undo(actor=manager, merge=merge)


def test_merging_a_record_twice_or_into_itself_is_refused(manager):
    a, b, c = (make_person(manager, given_name=n) for n in ["Ану", "Anu", "Ануу"])
    with pytest.raises(ValidationError):
        person_merge(actor=manager, survivor=a, merged=a)
    person_merge(actor=manager, survivor=a, merged=b)
    with pytest.raises(ValidationError):
        person_merge(actor=manager, survivor=c, merged=b)


def test_a_link_between_the_two_records_stays_behind(manager):
    a, b = make_person(manager, given_name="Тэмүүлэн"), make_person(manager, given_name="Temuulen")
    relationship_add(actor=manager, from_person=a, to_person=b, kind="sibling")
    person_merge(actor=manager, survivor=a, merged=b)
    assert not Relationship.objects.filter(from_person=a, to_person=a).exists()
    assert PersonPhone.objects.count() == 0
    assert Person.objects.filter(merged_into__isnull=True).count() == 1

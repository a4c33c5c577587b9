import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from cpims.audit.models import AuditEvent
from cpims.helpline import services
from cpims.helpline.choices import FORM_VERSION, NON_DATA_CALL_TYPES
from cpims.helpline.models import Contact, current_version
from tests.helpline.helpers import category, counsellor, data_contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("call_type", [t.value for t in NON_DATA_CALL_TYPES])
def test_each_non_data_call_type_is_saved_and_counted_in_one_call(places, call_type):
    user = counsellor()
    contact = services.contact_record_non_data(actor=user, call_type=call_type)
    assert (contact.status, contact.call_type, contact.counsellor) == ("completed", call_type, user)
    assert contact.taxonomy_version == current_version() and contact.form_version == FORM_VERSION
    assert contact.duration_seconds is not None
    assert AuditEvent.objects.filter(
        action="helpline.contact_non_data", object_id=str(contact.pk)
    ).exists()
    counts = dict(Contact.objects.values_list("call_type").annotate(n=Count("pk")))
    assert counts == {call_type: 1}


def test_a_data_type_is_not_a_one_click_type(places):
    with pytest.raises(ValidationError):
        services.contact_record_non_data(actor=counsellor(), call_type="data")


def test_one_click_on_a_popped_draft_closes_that_draft(places):
    user = counsellor()
    draft = services.contact_start(actor=user, telephony_call_id="pbx-1")
    saved = services.contact_record_non_data(actor=user, call_type="silent", contact=draft)
    assert saved.pk == draft.pk and saved.status == "completed"
    assert Contact.objects.count() == 1
    with pytest.raises(services.ContactLocked):
        services.contact_record_non_data(actor=user, call_type="prank", contact=saved)


def test_a_data_contact_needs_a_reason_before_it_closes(places):
    user = counsellor()
    draft = services.contact_start(actor=user, call_type="data")
    with pytest.raises(ValidationError) as error:
        services.contact_complete(actor=user, contact=draft)
    assert "categories" in error.value.message_dict
    services.contact_save(
        actor=user,
        contact=draft,
        data=services.ContactData(categories=[category("peer.friends")]),
    )
    done = services.contact_complete(actor=user, contact=draft)
    assert done.status == "completed" and done.primary_category.code == "peer.friends"
    assert done.outcome == "counselled"
    event = AuditEvent.objects.get(action="helpline.contact_completed", object_id=str(done.pk))
    assert event.changes["categories"] == ["peer.friends"]
    with pytest.raises(services.ContactLocked):
        services.contact_save(actor=user, contact=done, data=services.ContactData())


def test_a_callback_needs_time_number_and_consent(places):
    user = counsellor()
    draft = services.contact_start(actor=user, call_type="data")
    services.contact_save(
        actor=user,
        contact=draft,
        data=services.ContactData(
            fields={"callback_requested": True}, categories=[category("family.general")]
        ),
    )
    with pytest.raises(ValidationError) as error:
        services.contact_complete(actor=user, contact=draft)
    assert {"callback_at", "callback_number", "callback_consent"} <= set(error.value.message_dict)


def test_several_children_categories_actions_and_a_repeat_caller(places):
    user = counsellor()
    first = data_contact(user, caller_phone="+97699112233", children=[(9, "F", "110751")])
    second = services.contact_create(
        actor=user,
        data=services.ContactData(
            fields={"call_type": "data", "caller_phone": "+97699112233", "urgency": "high"},
            categories=[category("violence.physical"), category("family.general")],
            primary_category=category("family.general"),
            actions=["counselling", "referral_cp"],
            vulnerable_groups=["poverty"],
            children=[
                services.ChildInput(name="А", age_years=4, sex="M"),
                services.ChildInput(name="Б", age_years=12, sex="F"),
            ],
            perpetrators=[
                services.PerpetratorInput(
                    description="step-father", relationship="step_parent", lives_with_child=True
                )
            ],
        ),
    )
    assert not first.is_repeat and second.is_repeat
    assert second.primary_category.code == "family.general"
    assert set(second.categories.values_list("category__code", "is_primary")) == {
        ("family.general", True),
        ("violence.physical", False),
    }
    assert list(second.children.values_list("name", "age_years")) == [("А", 4), ("Б", 12)]
    assert second.perpetrators.get().lives_with_child is True
    assert set(second.actions.values_list("action", flat=True)) == {"counselling", "referral_cp"}


def test_a_draft_can_be_discarded_but_not_once_closed(places):
    user = counsellor()
    draft = services.contact_start(actor=user)
    services.contact_discard(actor=user, contact=draft, reason="duplicate")
    draft.refresh_from_db()
    assert draft.status == "discarded"
    with pytest.raises(services.ContactLocked):
        services.contact_discard(actor=user, contact=draft)

"""Smaller writes on a contact: child and perpetrator rows, registry links, callbacks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.helpline.models import Contact, ContactChild, ContactPerpetrator
from cpims.helpline.services import _audit, _person_or_none, _require_draft
from cpims.registry.models import Person


@transaction.atomic
def callback_done(*, actor, contact: Contact, note: str = "") -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.callback_requested or contact.callback_done_at:
        raise ValidationError(_("No callback is waiting on this contact."))
    contact.callback_done_at = timezone.now()
    contact.callback_done_by = _person_or_none(actor)
    contact.callback_note = note[:500]
    contact.save(update_fields=["callback_done_at", "callback_done_by", "callback_note"])
    _audit(contact, actor, "callback_done", note=note[:500])
    return contact


@transaction.atomic
def child_add(*, contact: Contact) -> ContactChild:
    _require_draft(contact)
    last = contact.children.order_by("-sort").first()
    return ContactChild.objects.create(contact=contact, sort=(last.sort + 1) if last else 0)


@transaction.atomic
def perpetrator_add(*, contact: Contact) -> ContactPerpetrator:
    _require_draft(contact)
    last = contact.perpetrators.order_by("-sort").first()
    return ContactPerpetrator.objects.create(contact=contact, sort=(last.sort + 1) if last else 0)


@transaction.atomic
def child_link_person(*, contact: Contact, child: ContactChild, person: Person | None):
    """Identify the child as a registry person (or unlink); empty details are filled in."""
    _require_draft(contact)
    child.person = person
    if person is not None:
        child.name = child.name or person.full_name[:100]
        if child.age_years is None and person.date_of_birth:
            child.age_years = age_on(person.date_of_birth, contact.started_at.date())
        if child.sex == "U" and person.sex in ("M", "F"):
            child.sex = person.sex
        child.location = child.location or person.location
    child.save()
    return child


def age_on(born, day) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

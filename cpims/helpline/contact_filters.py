"""Query-string filters of the contact list, shared with the dashboards so that a number and the
list behind it are the same query."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from cpims.helpline.choices import EscalationStatus
from cpims.helpline.models import Contact, Escalation

FILTERS = ("counsellor", "on", "started_from", "started_to", "escalation")
ESCALATION_FILTERS = ("open", "overdue", "acknowledged")


def _escalations(state: str) -> QuerySet[Escalation]:
    if state == "overdue":
        return Escalation.objects.filter(
            status=EscalationStatus.OPEN, deadline_at__lt=timezone.now()
        )
    return Escalation.objects.filter(status=state)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_contacts(
    contacts: QuerySet[Contact],
    *,
    user,
    counsellor: str = "",
    on: str = "",
    started_from: str = "",
    started_to: str = "",
    escalation: str = "",
) -> QuerySet[Contact]:
    """`counsellor=me`: the user's own contacts; `on=YYYY-MM-DD`: started that (local) day;
    `started_from`/`started_to`: from / until those days (inclusive); `escalation=open|overdue|
    acknowledged`: with an escalation in that state. An unreadable date matches nothing."""
    if counsellor == "me":
        contacts = contacts.filter(counsellor=user)
    for bound, text in (("on", on), ("from", started_from), ("to", started_to)):
        if not text:
            continue
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return contacts.none()
        if bound in ("on", "from"):
            contacts = contacts.filter(started_at__gte=_start_of(day))
        if bound in ("on", "to"):
            contacts = contacts.filter(started_at__lt=_start_of(day + timedelta(days=1)))
    if escalation in ESCALATION_FILTERS:
        contacts = contacts.filter(pk__in=_escalations(escalation).values("contact_id"))
    return contacts

"""Query-string filters of the contact list, shared with the dashboards so that a number and the
list behind it are the same query."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from cpims.helpline.choices import EscalationStatus
from cpims.helpline.models import Contact, Escalation

ESCALATION_FILTERS = ("open", "overdue", "acknowledged")


def _escalations(state: str) -> QuerySet[Escalation]:
    if state == "overdue":
        return Escalation.objects.filter(
            status=EscalationStatus.OPEN, deadline_at__lt=timezone.now()
        )
    return Escalation.objects.filter(status=state)


def day_range(day: date) -> Q:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return Q(started_at__gte=start, started_at__lt=start + timedelta(days=1))


def filter_contacts(
    contacts: QuerySet[Contact], *, user, counsellor: str = "", on: str = "", escalation: str = ""
) -> QuerySet[Contact]:
    """`counsellor=me`: the user's own contacts; `on=YYYY-MM-DD`: started that (local) day;
    `escalation=open|overdue|acknowledged`: with an escalation in that state."""
    if counsellor == "me":
        contacts = contacts.filter(counsellor=user)
    if on:
        try:
            contacts = contacts.filter(day_range(date.fromisoformat(on)))
        except ValueError:
            contacts = contacts.none()
    if escalation in ESCALATION_FILTERS:
        contacts = contacts.filter(pk__in=_escalations(escalation).values("contact_id"))
    return contacts

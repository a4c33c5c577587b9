"""Sensitive sections of a case — sexual-violence details, medical information, perpetrator
information — shown only to roles granted them; restricted cases only to named users."""

from django.db import transaction
from django.utils.translation import gettext as _

from cpims.cases.choices import Harm, PersonRole
from cpims.cases.models import AccessGrant, Case
from cpims.cases.services import case_event

SEXUAL = "sensitive.sexual_violence"
MEDICAL = "sensitive.medical"
PERPETRATOR = "sensitive.perpetrator"
SEXUAL_HARMS = {Harm.SEXUAL}


def visible_harms(user, case: Case) -> list[str]:
    harms = [h.harm for h in case.harms.all()]
    if user.has_capability(SEXUAL):
        return harms
    return [h for h in harms if h not in SEXUAL_HARMS]


def hidden_harm_count(user, case: Case) -> int:
    return len([h for h in case.harms.all()]) - len(visible_harms(user, case))


def visible_people(user, case: Case):
    people = case.people.select_related("person")
    if not user.has_capability(PERPETRATOR):
        people = people.exclude(role=PersonRole.PERPETRATOR)
    return people


def redact_event(user, changes: dict) -> dict:
    """Timeline details without what the user may not see."""
    if not user.has_capability(SEXUAL) and any(h in SEXUAL_HARMS for h in changes.get("harms", [])):
        changes = {**changes, "harms": [h for h in changes["harms"] if h not in SEXUAL_HARMS]}
    if not user.has_capability(MEDICAL):
        changes = {k: v for k, v in changes.items() if k != "health"}
    return changes


@transaction.atomic
def case_restrict(*, actor, case: Case, users: list, restricted: bool = True) -> Case:
    if not actor.has_capability("cases.approve"):
        raise PermissionError(_("Only a supervisor can restrict a case."))
    case.restricted = restricted
    case.version += 1
    case.save(update_fields=["restricted", "version"])
    for user in users:
        AccessGrant.objects.get_or_create(case=case, user=user, defaults={"granted_by": actor})
    if actor not in users:
        AccessGrant.objects.get_or_create(case=case, user=actor, defaults={"granted_by": actor})
    case_event(
        case,
        actor=actor,
        action="restricted" if restricted else "unrestricted",
        users=[u.pk for u in users],
    )
    return case

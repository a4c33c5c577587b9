"""Retention: closed cases are anonymised once both periods have passed — N years after closure
and M years after each child turned 18. What identifies people goes; what is counted stays
(place, sex, birth year, harm, risk, dates, stages), so aggregates do not change."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cpims.audit.services import audit_record
from cpims.cases.models import Case
from cpims.registry.keys import apply_keys
from cpims.registry.models import Person


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class RetentionPlan:
    cases: list[Case] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)


def _case_due(case: Case, today: date) -> bool:
    if case.is_open or case.closed_at is None or case.anonymised_at is not None:
        return False
    if _years_after(case.closed_at.date(), settings.CPIMS_RETENTION_YEARS_AFTER_CLOSURE) > today:
        return False
    for link in case.children.select_related("person"):
        born = link.person.date_of_birth
        if born is None:
            return False  # age unknown: keep until someone checks
        if _years_after(born, 18 + settings.CPIMS_RETENTION_YEARS_AFTER_ADULTHOOD) > today:
            return False
    return True


def retention_plan(*, today: date | None = None) -> RetentionPlan:
    today = today or timezone.localdate()
    plan = RetentionPlan()
    candidates = Case.objects.filter(is_open=False, anonymised_at__isnull=True).prefetch_related(
        "children"
    )
    plan.cases = [case for case in candidates.iterator(chunk_size=500) if _case_due(case, today)]
    due_ids = {c.pk for c in plan.cases}
    people = Person.objects.filter(case_links__case_id__in=due_ids).distinct()
    for person in people:
        other_cases = set(person.case_links.values_list("case_id", flat=True)) - due_ids
        still_kept = Case.objects.filter(pk__in=other_cases, anonymised_at__isnull=True).exists()
        if not still_kept:
            plan.persons.append(person)
    return plan


def _anonymise_person(person: Person) -> None:
    person.family_name = ""
    person.patronymic = ""
    person.given_name = f"ANON-{person.pk}"
    person.other_names = ""
    person.registration_number = None
    person.external_id = None
    person.address = ""
    person.languages = ""
    if person.date_of_birth:
        person.date_of_birth = date(person.date_of_birth.year, 1, 1)  # the year stays for age bands
        person.dob_estimated = True
    apply_keys(person)
    person.version += 1
    person.save()
    person.phones.all().delete()


def _anonymise_case(case: Case) -> None:
    case.summary = ""
    case.safety_notes = ""
    case.reporter_description = ""
    case.anonymised_at = timezone.now()
    case.version += 1
    case.save()
    case.people.update(description="", person=None)
    case.notes.update(text="[anonymised]")
    case.assessments.update(
        reasons="", safety="", health="", education="", family="", psychosocial="", legal=""
    )
    case.follow_ups.update(notes="")
    case.consents.update(given_by="", notes="")
    for attachment in case.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()


@transaction.atomic
def retention_apply(*, plan: RetentionPlan) -> dict[str, int]:
    for case in plan.cases:
        _anonymise_case(case)
    for person in plan.persons:
        _anonymise_person(person)
    audit_record(
        actor=None,
        action="privacy.retention_applied",
        object_type="cases.Case",
        changes={"cases": [c.pk for c in plan.cases], "persons": [p.pk for p in plan.persons]},
    )
    return {"cases": len(plan.cases), "persons": len(plan.persons)}

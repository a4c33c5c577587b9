"""Writes for child labour and child jockey inspections, and the one-step case for a child
found injured."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpims.accounts.models import Agency
from cpims.audit.services import audit_record
from cpims.cases.choices import Harm, Origin, Risk
from cpims.cases.models import Case
from cpims.cases.services import CaseRegistration, case_event, case_register
from cpims.core.numbers import is_number_text
from cpims.geo.models import Location
from cpims.justice.choices import InspectionKind
from cpims.justice.jockeys import evaluate, season_of
from cpims.justice.models import Inspection, InspectionChild, RestrictedPeriod
from cpims.registry.models import Person
from cpims.registry.services import PersonInput, person_create


@dataclass
class InspectionInput:
    kind: str
    held_on: date
    location: Location
    place: str
    organiser: str
    event: str = ""
    inspected_by: Agency | None = None
    inspectors: str = ""
    children: int = 0
    ages: list[int] = field(default_factory=list)
    rides: int | None = None
    with_gear: int = 0
    insured: int = 0
    injuries: int = 0
    deaths: int = 0
    violations: str = ""
    reported_to: str = ""


def parse_ages(text: str) -> list[int]:
    """ "7, 8, 8, 11" -> [7, 8, 8, 11]; the error names the bad entry."""
    ages = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part:
            continue
        if not is_number_text(part) or not 3 <= int(part) <= 17:
            raise ValidationError({"ages": _("“%(v)s” is not an age from 3 to 17.") % {"v": part}})
        ages.append(int(part))
    return ages


def _check(data: InspectionInput) -> int:
    if data.kind not in InspectionKind.values:
        raise ValidationError({"kind": _("Choose the kind of inspection.")})
    children = max(data.children or 0, len(data.ages))
    for name in ("with_gear", "insured", "injuries"):
        if (getattr(data, name) or 0) > children:
            raise ValidationError({name: _("More than the number of children.")})
    if (data.deaths or 0) > (data.injuries or 0) + children:
        raise ValidationError({"deaths": _("More than the number of children.")})
    return children


@transaction.atomic
def inspection_save(*, actor, data: InspectionInput, inspection: Inspection | None = None):
    """Record (or correct) an inspection; the compliance columns are computed from the rules
    in force: minimum age, restricted periods for under-12s in races."""
    children = _check(data)
    result = evaluate(kind=data.kind, held_on=data.held_on, ages=data.ages)
    creating = inspection is None
    inspection = inspection or Inspection(recorded_by=actor)
    for name, value in {
        "kind": data.kind,
        "held_on": data.held_on,
        "season": season_of(data.held_on),
        "location": data.location,
        "place": data.place[:200],
        "event": data.event[:200],
        "organiser": data.organiser[:200],
        "inspected_by": data.inspected_by,
        "inspectors": data.inspectors[:300],
        "children": children,
        "ages": sorted(data.ages),
        "rides": max(data.rides or 0, children),
        "min_age": result.min_age,
        "under_min_age": result.under_min_age,
        "restricted_period": result.restricted_period,
        "season_violations": result.season_violations,
        "with_gear": data.with_gear or 0,
        "insured": data.insured or 0,
        "injuries": data.injuries or 0,
        "deaths": data.deaths or 0,
        "violations": data.violations,
        "reported_to": data.reported_to[:200],
    }.items():
        setattr(inspection, name, value)
    inspection.save()
    audit_record(
        actor=actor,
        action="justice.inspection_recorded" if creating else "justice.inspection_corrected",
        object_type="justice.Inspection",
        object_id=inspection.pk,
        changes={
            "kind": inspection.kind,
            "held_on": str(inspection.held_on),
            "place": inspection.location.code,
            "children": children,
            "under_min_age": result.under_min_age,
            "season_violations": result.season_violations,
            "injuries": inspection.injuries,
            "deaths": inspection.deaths,
        },
    )
    return inspection


@transaction.atomic
def found_child_add(
    *,
    actor,
    inspection: Inspection,
    given_name: str,
    injury: str,
    sex: str = "U",
    age: int | None = None,
    patronymic: str = "",
    registration_number: str = "",
    home: Location | None = None,
    died: bool = False,
) -> InspectionChild:
    """A child found injured at the inspection (the inspection's injury count follows)."""
    if not given_name.strip() or not injury.strip():
        raise ValidationError(_("Give the child's name and the injury."))
    found = InspectionChild.objects.create(
        inspection=inspection,
        given_name=given_name.strip()[:100],
        patronymic=patronymic.strip()[:100],
        sex=sex if sex in ("M", "F") else "U",
        age=age,
        registration_number=registration_number.strip().upper()[:10],
        home=home,
        injury=injury,
        died=died,
        recorded_by=actor,
    )
    named = inspection.found.count()
    dead = inspection.found.filter(died=True).count()
    updates = {}
    if named > inspection.injuries:
        updates["injuries"] = named
    if dead > inspection.deaths:
        updates["deaths"] = dead
    if updates:
        Inspection.objects.filter(pk=inspection.pk).update(**updates)
    audit_record(
        actor=actor,
        action="justice.inspection_child_added",
        object_type="justice.Inspection",
        object_id=inspection.pk,
        changes={"found": found.pk, "died": died, **updates},
    )
    return found


def _person_for(actor, found: InspectionChild, confirmed_new: bool) -> Person:
    regno = found.registration_number
    if regno:
        match = Person.objects.filter(registration_number=regno, merged_into__isnull=True).first()
        if match is not None:
            return match
    birth = None
    if found.age is not None:
        birth = date(found.inspection.held_on.year - found.age, 1, 1)
    return person_create(
        actor=actor,
        confirmed_new=confirmed_new,
        data=PersonInput(
            given_name=found.given_name,
            patronymic=found.patronymic,
            sex=found.sex if found.sex in ("M", "F") else Person.Sex.UNKNOWN,
            date_of_birth=birth,
            dob_estimated=birth is not None,
            registration_number=regno,
            location=found.home or found.inspection.location,
        ),
    )


@transaction.atomic
def found_child_open_case(
    *,
    actor,
    found: InspectionChild,
    person: Person | None = None,
    confirmed_new: bool = False,
    location: Location | None = None,
) -> Case:
    """The injured child becomes a high-risk case in one step: the registry person (the one
    chosen, the holder of the registration number, or a new one — `PossibleDuplicate` when
    likely matches exist and the user has not confirmed), then the case with the injury."""
    found = InspectionChild.objects.select_for_update().get(pk=found.pk)
    if found.case_id:
        raise ValidationError(_("A case was already opened for this child."))
    inspection = found.inspection
    person = person or _person_for(actor, found, confirmed_new)
    harm = Harm.JOCKEY_INJURY if inspection.kind == InspectionKind.HORSE_RACE else Harm.CHILD_LABOUR
    summary = _(
        "Found at the %(kind)s inspection of %(day)s at %(place)s (%(event)s): %(injury)s"
    ) % {
        "kind": inspection.get_kind_display().lower(),
        "day": inspection.held_on.isoformat(),
        "place": inspection.place,
        "event": inspection.event or inspection.organiser,
        "injury": found.injury,
    }
    if found.died:
        summary += " " + _("The child died.")
    case = case_register(
        actor=actor,
        data=CaseRegistration(
            children=[person],
            location=location or person.location or found.home or inspection.location,
            origin=Origin.INSPECTION,
            risk=Risk.HIGH,
            harms=[harm] if harm == Harm.CHILD_LABOUR else [harm, Harm.CHILD_LABOUR],
            summary=summary,
            harm_location=inspection.location,
            reporter_description=inspection.inspectors or inspection.organiser,
        ),
    )
    found.person, found.case = person, case
    found.save(update_fields=["person", "case"])
    case_event(
        case,
        actor=actor,
        action="from_inspection",
        inspection=inspection.pk,
        injury=found.injury[:300],
    )
    audit_record(
        actor=actor,
        action="justice.inspection_case_opened",
        object_type="justice.Inspection",
        object_id=inspection.pk,
        changes={"found": found.pk, "case": case.pk, "person": person.pk},
    )
    return case


@transaction.atomic
def restricted_period_save(*, actor, period: RestrictedPeriod) -> RestrictedPeriod:
    """Change the season rule (months, age limit). Inspections saved later use it; recorded
    inspections keep the result computed when they were saved."""
    months = period.month_numbers()
    if not months or any(m < 1 or m > 12 for m in months):
        raise ValidationError({"months": _("Give month numbers from 1 to 12.")})
    period.months = ",".join(str(m) for m in sorted(months))
    creating = period.pk is None
    period.full_clean()
    period.save()
    audit_record(
        actor=actor,
        action="justice.restricted_period_saved",
        object_type="justice.RestrictedPeriod",
        object_id=period.pk,
        changes={
            "code": period.code,
            "months": period.months,
            "under_age": period.under_age,
            "active": period.is_active,
            "created": creating,
        },
    )
    return period

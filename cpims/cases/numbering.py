from django.db import transaction

from cpims.cases.models import CaseSequence
from cpims.geo.models import Location


def aimag_code_of(location: Location) -> str:
    parts = [p for p in location.path.split("/") if p]
    return parts[1] if len(parts) > 1 else parts[0]


@transaction.atomic
def case_number_next(*, location: Location, year: int) -> str:
    """`<aimag code>-<year>-<6 digits>`, e.g. 11-2026-000123. The sequence row is locked, so
    concurrent registrations never share a number, and a committed number is never reused."""
    code = aimag_code_of(location)
    CaseSequence.objects.get_or_create(aimag_code=code, year=year)
    sequence = CaseSequence.objects.select_for_update().get(aimag_code=code, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{code}-{year}-{sequence.last:06d}"

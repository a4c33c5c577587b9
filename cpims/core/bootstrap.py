"""What every installation needs before its first user signs in: the default roles and the
shipped location tree. Safe to run again: it only adds what is missing."""

from pathlib import Path

from django.db import transaction

from cpims.accounts.services import roles_ensure_defaults
from cpims.geo.models import Location
from cpims.geo.services import locations_import, read_location_csv

SHIPPED_LOCATIONS = Path(__file__).resolve().parent.parent / "geo" / "data" / "locations.csv"


@transaction.atomic
def bootstrap() -> dict[str, int]:
    roles = roles_ensure_defaults()
    rows, header_errors = read_location_csv(SHIPPED_LOCATIONS)
    if header_errors:
        raise RuntimeError("; ".join(header_errors))
    known = set(Location.objects.values_list("code", flat=True))
    missing = [(line, row) for line, row in rows if row["code"].strip() not in known]
    created = 0
    if missing:
        result = locations_import(rows=missing)
        if not result.ok:
            raise RuntimeError("shipped locations are invalid: " + "; ".join(result.errors))
        created = result.created
    from cpims.helpline.taxonomy import load_taxonomy

    load_taxonomy()  # the helpline's category tree (CHI framework + extensions)
    return {"roles": len(roles), "locations_created": created}

from cpims.accounts.models import Agency
from cpims.referrals.choices import TYPE_LEVEL, TYPE_UNIT
from cpims.referrals.models import Service
from cpims.referrals.services import service_save
from tests.factories import location


def provider(code: str = "ngo-shelter", place: str = "11") -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=code,
        defaults={"kind": "ngo", "name_mn": code, "name_en": code, "location": location(place)},
    )
    return agency


def make_service(
    *,
    agency: Agency,
    service_type: str = "shelter",
    covers: tuple[str, ...] = ("11",),
    name: str = "",
    capacity: int | None = 10,
) -> Service:
    service = Service(
        provider=agency,
        service_type=service_type,
        level=TYPE_LEVEL[service_type],
        unit=TYPE_UNIT[service_type],
        name_mn=name or f"{service_type} {covers}",
        name_en=name or f"{service_type} {covers}",
        capacity=capacity,
        available=capacity,
    )
    return service_save(actor=None, service=service, coverage=[location(c) for c in covers])

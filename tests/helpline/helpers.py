"""Building helpline data for tests: a helpline agency and counsellor, contacts by hand."""

from datetime import datetime

from django.utils import timezone

from cpims.accounts.models import Agency
from cpims.helpline import services
from cpims.helpline.models import Category, Contact, ContactCategory, ContactChild, current_version
from tests.factories import location, make_user


def helpline_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code="helpline-108",
        defaults={
            "kind": "helpline",
            "name_mn": "108",
            "name_en": "108",
            "location": location("MN"),
        },
    )
    return agency


def counsellor(role: str = "counsellor"):
    return make_user(role=role, scope="MN", agency=helpline_agency())


def category(code: str) -> Category:
    return Category.objects.get(version=current_version(), code=code)


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def data_contact(actor, *, primary="violence.physical", children=(), complete=True, **fields):
    """A data contact through the services; children as (age, sex, place[, name]) tuples."""
    data = services.ContactData(
        fields={"call_type": "data", **fields},
        categories=[category(primary)],
        primary_category=category(primary),
        children=[
            services.ChildInput(
                name=(rest[0] if rest else f"Хүүхэд {i}"),
                age_years=age,
                sex=sex,
                location=location(p),
            )
            for i, (age, sex, p, *rest) in enumerate(children)
        ],
    )
    return services.contact_create(actor=actor, data=data, complete=complete)


def raw_contact(
    *,
    started_at,
    call_type="data",
    channel="phone",
    primary=None,
    child=None,
    extra=(),
    status="completed",
):
    """A contact written straight to the tables (for counting tests)."""
    contact = Contact.objects.create(
        status=status,
        call_type=call_type,
        channel=channel,
        started_at=started_at,
        taxonomy_version=current_version(),
        primary_category=category(primary) if primary else None,
    )
    if primary:
        ContactCategory.objects.create(contact=contact, category=category(primary), is_primary=True)
    for code in extra:
        ContactCategory.objects.create(contact=contact, category=category(code))
    if child is not None:
        age, sex = child
        ContactChild.objects.create(contact=contact, age_years=age, sex=sex)
    return contact

from datetime import date

from cpims.registry.services import PersonInput, person_create
from tests.factories import location


def make_person(actor=None, *, place: str = "110751", phones=(), **fields):
    data = PersonInput(
        given_name=fields.pop("given_name", "Батбаяр"),
        location=location(place),
        phones=list(phones),
        **fields,
    )
    return person_create(actor=actor, data=data, confirmed_new=True)


def dob(text: str) -> date:
    return date.fromisoformat(text)

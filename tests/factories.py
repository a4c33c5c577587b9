"""Factories for tests. Users are made through the service, so they are audited like real ones."""

import itertools

import factory

from cpims.accounts.models import Agency, Role, User
from cpims.geo.models import Location

PASSWORD = "Test-Password-2026!"
_counter = itertools.count(1)


def location(code: str) -> Location:
    return Location.objects.get(code=code)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    kind = Agency.Kind.MDT
    name_mn = factory.Sequence(lambda n: f"Байгууллага {n}")
    name_en = factory.Sequence(lambda n: f"Agency {n}")
    location = factory.LazyFunction(lambda: location("MN"))


def make_user(
    *,
    role: str,
    scope: str = "MN",
    username: str | None = None,
    agency: Agency | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    from cpims.accounts.services import user_create

    return user_create(
        actor=None,
        password=password,
        username=username or f"{role}-{scope}-{next(_counter)}",
        role=Role.objects.get(code=role),
        scope=location(scope),
        agency=agency,
        **fields,
    )


def signed_in(client, user, *, recently: bool = True):
    """force_login plus the "password entered just now" mark that sensitive actions require."""
    import time

    client.force_login(user)
    if recently:
        session = client.session
        session["cpims_auth_at"] = int(time.time())
        session.save()
    return client

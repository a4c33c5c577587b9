from datetime import date

from cpims.accounts.models import Agency
from cpims.cases.services import CaseRegistration, case_register
from tests.factories import location, make_user
from tests.registry.helpers import make_person


def team(code: str = "mdt-bayangol-1", place: str = "110751") -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=code,
        defaults={"kind": "mdt", "name_mn": code, "name_en": code, "location": location(place)},
    )
    return agency


def worker_of(agency: Agency, *, role: str = "social_worker", scope: str | None = None):
    return make_user(role=role, scope=scope or agency.location.code, agency=agency)


def officer(scope: str = "11"):
    return make_user(role="cp_officer", scope=scope)


def register(actor=None, *, place: str = "110751", risk: str = "unassessed", **kw):
    child = kw.pop("child", None) or make_person(
        given_name="Тэмүүжин", place=place, date_of_birth=date(2015, 1, 1)
    )
    return case_register(
        actor=actor,
        data=CaseRegistration(children=[child], location=location(place), risk=risk, **kw),
    )

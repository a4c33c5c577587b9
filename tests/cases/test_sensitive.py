import pytest
from django.test import Client

from cpims.cases.selectors import cases_visible_to
from cpims.cases.sensitive import case_restrict
from cpims.cases.services import PersonOnCase, case_add_person
from tests.cases.helpers import officer, register, team, worker_of

pytestmark = pytest.mark.django_db


def test_sexual_violence_and_perpetrator_details_need_their_grants(places):
    mdt = team()
    worker = worker_of(mdt)
    member = worker_of(mdt, role="mdt_member")
    case = register(worker, harms=["icvac3", "icvac4"])
    case_add_person(
        actor=worker,
        case=case,
        data=PersonOnCase(role="perpetrator", description="Stepfather, drives a taxi"),
    )
    granted, limited = Client(), Client()
    granted.force_login(worker)
    limited.force_login(member)
    full = granted.get(f"/cases/{case.pk}/").content.decode()
    assert "Stepfather" in full and "icvac3" in str(granted.get(f"/api/v1/cases/{case.pk}/").json())
    page = limited.get(f"/cases/{case.pk}/").content.decode()
    assert "Stepfather" not in page and "1 restricted concern" in page
    assert "ICVAC 3" not in page and "icvac3" not in page
    assert limited.get(f"/api/v1/cases/{case.pk}/").json()["harms"] == ["icvac4"]


def test_a_restricted_case_is_seen_only_by_named_users(places):
    mdt = team()
    worker = worker_of(mdt)
    colleague = worker_of(mdt)
    boss = officer("11")
    case = register(worker)
    assert cases_visible_to(colleague).filter(pk=case.pk).exists()
    case_restrict(actor=boss, case=case, users=[worker])
    assert cases_visible_to(worker).filter(pk=case.pk).exists()
    assert cases_visible_to(boss).filter(pk=case.pk).exists()
    assert not cases_visible_to(colleague).filter(pk=case.pk).exists()
    assert not cases_visible_to(officer("11")).filter(pk=case.pk).exists()
    client = Client()
    client.force_login(colleague)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    with pytest.raises(PermissionError):
        case_restrict(actor=worker, case=case, users=[])

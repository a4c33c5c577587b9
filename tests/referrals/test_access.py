import pytest

from tests.access import assert_access, matrix

pytestmark = pytest.mark.django_db

ALL = [
    "sysadmin",
    "counsellor",
    "helpline_supervisor",
    "social_worker",
    "mdt_member",
    "cp_officer",
    "service_provider",
    "national_analyst",
    "finance_officer",
    "auditor",
]


def test_referral_pages_by_role(places):
    assert_access("/services/", matrix(ALL))
    assert_access("/services/activities/", matrix(ALL))
    assert_access("/services/inbox/", matrix(["service_provider"]))
    assert_access(
        "/services/report/", matrix(["cp_officer", "national_analyst", "finance_officer"])
    )
    assert_access("/api/v1/services/", matrix(ALL, anonymous=403))
    assert_access("/api/v1/referrals/", matrix(ALL, anonymous=403))

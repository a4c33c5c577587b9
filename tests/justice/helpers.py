from cpims.referrals.models import Service
from tests.cases.helpers import register, team, worker_of
from tests.referrals.helpers import make_service, provider


def dv_case(*, risk: str = "unassessed", place: str = "110751"):
    """A case with its team's social worker assigned; returns (case, worker)."""
    agency = team()
    worker = worker_of(agency)
    case = register(worker, place=place, risk=risk, harms=["icvac2"], assigned_worker=worker)
    return case, worker


def shelter(service_type: str = "shelter") -> Service:
    return make_service(agency=provider(), service_type=service_type, covers=("11",))

from datetime import date
from decimal import Decimal

from cpims.finance import services
from cpims.finance.models import AreaMultiplier, BudgetLine, ChildPopulation, UnitCost
from cpims.referrals.choices import TYPE_UNIT
from cpims.referrals.services import delivery_record
from tests.cases.helpers import register, team, worker_of
from tests.factories import location, make_user
from tests.referrals.helpers import make_service, provider


def finance_officer(scope: str = "MN", **kw):
    return make_user(role="finance_officer", scope=scope, **kw)


def norm(kind: str, amount, *, start="2020-01-01", end=None, actor=None, referral_units="1"):
    return services.unit_cost_save(
        actor=actor,
        norm=UnitCost(
            service_type=kind,
            unit=TYPE_UNIT[kind],
            amount=Decimal(amount),
            valid_from=date.fromisoformat(start),
            valid_to=date.fromisoformat(end) if end else None,
            referral_units=Decimal(referral_units),
        ),
    )


def multiplier(code: str, factor, *, kind: str = "", start="2020-01-01", end=None):
    return services.multiplier_save(
        actor=None,
        item=AreaMultiplier(
            location=location(code),
            service_type=kind,
            factor=Decimal(factor),
            valid_from=date.fromisoformat(start),
            valid_to=date.fromisoformat(end) if end else None,
        ),
    )


def line(code: str, programme: str, approved, *, year: int = 2026, source: str = "central", **kw):
    return services.budget_line_save(
        actor=None,
        line=BudgetLine(
            year=year,
            source=source,
            programme=programme,
            location=location(code),
            approved=Decimal(approved),
            **{k: Decimal(v) for k, v in kw.items()},
        ),
    )


def population(code: str, year: int, children: int):
    return services.population_save(
        actor=None,
        population=ChildPopulation(location=location(code), year=year, children=children),
    )


class World:
    """A team, a worker, a provider with services, and helpers to open cases and record
    deliveries on them."""

    def __init__(self):
        self.team = team()
        self.worker = worker_of(self.team)
        self.agency = provider()
        self.services = {}

    def service(self, kind: str, covers=("MN",)):
        if kind not in self.services:
            self.services[kind] = make_service(agency=self.agency, service_type=kind, covers=covers)
        return self.services[kind]

    def case(self, place: str = "110751", **kw):
        return register(self.worker, place=place, agency=self.team, **kw)

    def deliver(self, case, kind: str, units, on: str):
        return delivery_record(
            actor=self.worker,
            case=case,
            service=self.service(kind),
            delivered_on=date.fromisoformat(on),
            units=Decimal(units),
        )

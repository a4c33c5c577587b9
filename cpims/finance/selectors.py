"""Who sees which finance record: one selector per record type, used by pages, the API and the
reports. Finance users (`finance.view`) see the money and reference data of their location scope
(a national scope sees everything); the case data behind the costs is read only as counts and
sums (`deliveries_costable_by`, `cases_countable_by`), never row by row."""

from django.db.models import Q, QuerySet

from cpims.cases.models import Case
from cpims.finance.models import (
    AllocationProposal,
    AreaMultiplier,
    BudgetExecution,
    BudgetLine,
    BudgetTotal,
    ChildPopulation,
    Scenario,
    UnitCost,
)
from cpims.geo.models import Location
from cpims.referrals.choices import DeclineReason, Status
from cpims.referrals.models import Delivery, Referral


def _can(user, capability: str) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(capability))


def _scoped(user, field: str = "location") -> Q:
    """Records whose `field` lies inside the user's scope; nothing without a scope."""
    if not user.scope_id:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": user.scope.path})


def is_national(user) -> bool:
    return bool(user.is_authenticated and user.scope_id and user.scope.depth == 0)


def budget_lines_visible_to(user) -> QuerySet[BudgetLine]:
    if not _can(user, "finance.view"):
        return BudgetLine.objects.none()
    return BudgetLine.objects.filter(_scoped(user)).select_related("location")


def budget_lines_editable_by(user) -> QuerySet[BudgetLine]:
    if not _can(user, "finance.edit"):
        return BudgetLine.objects.none()
    return budget_lines_visible_to(user)


def executions_visible_to(user) -> QuerySet[BudgetExecution]:
    if not _can(user, "finance.view"):
        return BudgetExecution.objects.none()
    return BudgetExecution.objects.filter(_scoped(user, "line__location")).select_related("line")


def populations_visible_to(user) -> QuerySet[ChildPopulation]:
    if not _can(user, "finance.view"):
        return ChildPopulation.objects.none()
    return ChildPopulation.objects.filter(_scoped(user)).select_related("location")


def populations_editable_by(user) -> QuerySet[ChildPopulation]:
    if not _can(user, "finance.edit"):
        return ChildPopulation.objects.none()
    return populations_visible_to(user)


def budget_totals_visible_to(user) -> QuerySet[BudgetTotal]:
    """The stated state budget is a national figure: every finance user reads it."""
    if not _can(user, "finance.view"):
        return BudgetTotal.objects.none()
    return BudgetTotal.objects.all()


def budget_totals_editable_by(user) -> QuerySet[BudgetTotal]:
    if not (_can(user, "finance.edit") and is_national(user)):
        return BudgetTotal.objects.none()
    return BudgetTotal.objects.all()


def unit_costs_visible_to(user) -> QuerySet[UnitCost]:
    """Unit-cost norms are national: every finance user reads them, national ones set them."""
    if not _can(user, "finance.view"):
        return UnitCost.objects.none()
    return UnitCost.objects.all()


def unit_costs_editable_by(user) -> QuerySet[UnitCost]:
    if not (_can(user, "finance.edit") and is_national(user)):
        return UnitCost.objects.none()
    return UnitCost.objects.all()


def multipliers_visible_to(user) -> QuerySet[AreaMultiplier]:
    if not _can(user, "finance.view"):
        return AreaMultiplier.objects.none()
    return AreaMultiplier.objects.select_related("location")


def multipliers_editable_by(user) -> QuerySet[AreaMultiplier]:
    if not _can(user, "finance.edit"):
        return AreaMultiplier.objects.none()
    return AreaMultiplier.objects.filter(_scoped(user)).select_related("location")


def scenarios_visible_to(user) -> QuerySet[Scenario]:
    if not _can(user, "finance.view"):
        return Scenario.objects.none()
    return Scenario.objects.filter(_scoped(user, "parent")).select_related("parent")


def scenarios_editable_by(user) -> QuerySet[Scenario]:
    """A finance editor whose scope holds the scenario's area."""
    if not _can(user, "finance.edit"):
        return Scenario.objects.none()
    return scenarios_visible_to(user)


def allocations_visible_to(user) -> QuerySet[AllocationProposal]:
    if not _can(user, "finance.view"):
        return AllocationProposal.objects.none()
    return AllocationProposal.objects.filter(_scoped(user, "parent")).select_related("parent")


def allocations_editable_by(user) -> QuerySet[AllocationProposal]:
    if not _can(user, "finance.edit"):
        return AllocationProposal.objects.none()
    return allocations_visible_to(user)


def places_editable_by(user, *, levels=("country", "aimag", "soum")) -> QuerySet[Location]:
    """Places a finance editor may enter figures for: by default the administrative units a
    budget line belongs to (national, aimag, soum/district) inside their scope."""
    if not _can(user, "finance.edit"):
        return Location.objects.none()
    places = Location.objects.filter(_scoped_places(user), is_active=True)
    return places.filter(level__in=levels) if levels else places


def _scoped_places(user) -> Q:
    if not user.scope_id:
        return Q(pk__in=[])
    return Q(path__startswith=user.scope.path)


def deliveries_costable_by(user) -> QuerySet[Delivery]:
    """Deliveries in the user's scope, for sums only (the finance screens show no rows)."""
    if not _can(user, "finance.view"):
        return Delivery.objects.none()
    return Delivery.objects.filter(_scoped(user))


def unmet_referrals_costable_by(user) -> QuerySet[Referral]:
    """Referrals declined for lack of capacity, for the child's place in the user's scope."""
    if not _can(user, "finance.view"):
        return Referral.objects.none()
    return Referral.objects.filter(
        _scoped(user, "case__location"),
        status=Status.DECLINED,
        decline_reason=DeclineReason.NO_CAPACITY,
    )


def cases_countable_by(user) -> QuerySet[Case]:
    """Cases in the user's scope, for counts only."""
    if not _can(user, "finance.view"):
        return Case.objects.none()
    return Case.objects.filter(_scoped(user))

from cpims.finance.models.budget import (
    AreaMultiplier,
    BudgetExecution,
    BudgetLine,
    BudgetTotal,
    ChildPopulation,
    UnitCost,
)
from cpims.finance.models.planning import (
    AllocationProposal,
    AllocationShare,
    Scenario,
    ScenarioArea,
    ScenarioMix,
)

__all__ = [
    "AllocationProposal",
    "AllocationShare",
    "AreaMultiplier",
    "BudgetExecution",
    "BudgetLine",
    "BudgetTotal",
    "ChildPopulation",
    "Scenario",
    "ScenarioArea",
    "ScenarioMix",
    "UnitCost",
]

"""Every finance write: atomic, validated, audited in the same transaction."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from cpims.audit.models import AuditChainHead
from cpims.audit.services import audit_record, field_changes, snapshot
from cpims.finance.models import (
    AreaMultiplier,
    BudgetExecution,
    BudgetLine,
    BudgetTotal,
    ChildPopulation,
    UnitCost,
)
from cpims.finance.money import ZERO

LINE_FIELDS = [
    "year",
    "source",
    "programme",
    "location_id",
    "approved",
    "released",
    "spent",
    "notes",
]
UNIT_COST_FIELDS = [
    "service_type",
    "unit",
    "amount",
    "valid_from",
    "valid_to",
    "referral_units",
    "notes",
]
MULTIPLIER_FIELDS = ["location_id", "service_type", "factor", "valid_from", "valid_to", "notes"]
BUDGET_LEVELS = ("country", "aimag", "soum")


def serialise_writes() -> None:
    """Serialise checks that read before they write (overlapping validity periods): take the
    row lock every audited write takes anyway, so two editors cannot both pass the check."""
    AuditChainHead.objects.select_for_update().get_or_create(pk=1)


def _save(*, actor, instance, fields: list[str], action: str):
    creating = instance.pk is None
    before = {} if creating else snapshot(type(instance).objects.get(pk=instance.pk), fields)
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        object_type=f"finance.{type(instance).__name__}",
        object_id=instance.pk,
        changes={"created": creating, **field_changes(before, snapshot(instance, fields))},
    )
    return instance


def _delete(*, actor, instance, fields: list[str], action: str) -> None:
    before = snapshot(instance, fields)
    pk = instance.pk
    instance.delete()
    audit_record(
        actor=actor,
        action=action,
        object_type=f"finance.{type(instance).__name__}",
        object_id=pk,
        changes={"deleted": before},
    )


@transaction.atomic
def budget_line_save(*, actor, line: BudgetLine) -> BudgetLine:
    if line.location_id and line.location.level not in BUDGET_LEVELS:
        raise ValidationError(
            {"location": _("A budget line belongs to the country, an aimag or a soum/district.")}
        )
    if line.pk and line.executions.exists():
        # Quarterly entries are the source of truth for released and spent.
        sums = line.executions.aggregate(r=Sum("released"), s=Sum("spent"))
        line.released, line.spent = sums["r"] or ZERO, sums["s"] or ZERO
    return _save(actor=actor, instance=line, fields=LINE_FIELDS, action="finance.budget_saved")


@transaction.atomic
def budget_line_delete(*, actor, line: BudgetLine) -> None:
    _delete(actor=actor, instance=line, fields=LINE_FIELDS, action="finance.budget_deleted")


@transaction.atomic
def budget_quarters_set(
    *, actor, line: BudgetLine, quarters: dict[int, tuple[Decimal, Decimal] | None]
) -> BudgetLine:
    """Set the quarterly execution of a line: {quarter: (released, spent)}; None removes the
    quarter. The line's released and spent become the sums of its quarters."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    before = {
        e.quarter: [str(e.released), str(e.spent)] for e in line.executions.order_by("quarter")
    }
    for quarter, amounts in sorted(quarters.items()):
        if quarter not in (1, 2, 3, 4):
            raise ValidationError(_("A quarter is 1, 2, 3 or 4."))
        if amounts is None:
            BudgetExecution.objects.filter(line=line, quarter=quarter).delete()
            continue
        released, spent = amounts
        if released < 0 or spent < 0:
            raise ValidationError(_("Amounts cannot be negative."))
        BudgetExecution.objects.update_or_create(
            line=line, quarter=quarter, defaults={"released": released, "spent": spent}
        )
    executions = list(line.executions.order_by("quarter"))
    if executions:
        line.released = sum((e.released for e in executions), ZERO)
        line.spent = sum((e.spent for e in executions), ZERO)
        line.save(update_fields=["released", "spent", "updated_at"])
    after = {e.quarter: [str(e.released), str(e.spent)] for e in executions}
    if before != after:
        audit_record(
            actor=actor,
            action="finance.execution_set",
            object_type="finance.BudgetLine",
            object_id=line.pk,
            changes={"before": before, "after": after},
        )
    return line


@transaction.atomic
def population_save(*, actor, population: ChildPopulation) -> ChildPopulation:
    return _save(
        actor=actor,
        instance=population,
        fields=["location_id", "year", "children", "source"],
        action="finance.population_saved",
    )


@transaction.atomic
def population_delete(*, actor, population: ChildPopulation) -> None:
    _delete(
        actor=actor,
        instance=population,
        fields=["location_id", "year", "children"],
        action="finance.population_deleted",
    )


@transaction.atomic
def budget_total_save(*, actor, total: BudgetTotal) -> BudgetTotal:
    return _save(
        actor=actor,
        instance=total,
        fields=["year", "amount", "source"],
        action="finance.total_saved",
    )


def _overlap_q(valid_from: date, valid_to: date | None) -> Q:
    """Periods that share at least one day with [valid_from, valid_to] (None: open-ended)."""
    q = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    if valid_to is not None:
        q &= Q(valid_from__lte=valid_to)
    return q


def _check_period(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity is before its start.")})


def unit_cost_overlaps(norm: UnitCost) -> list[UnitCost]:
    return list(
        UnitCost.objects.filter(
            _overlap_q(norm.valid_from, norm.valid_to),
            service_type=norm.service_type,
            unit=norm.unit,
        ).exclude(pk=norm.pk)
    )


def overlap_message(others) -> str:
    periods = ", ".join(
        f"{o.valid_from:%Y-%m-%d} – {o.valid_to:%Y-%m-%d}"
        if o.valid_to
        else f"{o.valid_from:%Y-%m-%d} – …"
        for o in others
    )
    return _(
        "The validity overlaps another entry for the same service type and area (%(periods)s): "
        "end that one first or choose other dates."
    ) % {"periods": periods}


@transaction.atomic
def unit_cost_save(*, actor, norm: UnitCost) -> UnitCost:
    serialise_writes()
    _check_period(norm.valid_from, norm.valid_to)
    others = unit_cost_overlaps(norm)
    if others:
        raise ValidationError(overlap_message(others))
    return _save(
        actor=actor, instance=norm, fields=UNIT_COST_FIELDS, action="finance.unit_cost_saved"
    )


@transaction.atomic
def unit_cost_delete(*, actor, norm: UnitCost) -> None:
    _delete(actor=actor, instance=norm, fields=UNIT_COST_FIELDS, action="finance.unit_cost_deleted")


def multiplier_overlaps(item: AreaMultiplier) -> list[AreaMultiplier]:
    return list(
        AreaMultiplier.objects.filter(
            _overlap_q(item.valid_from, item.valid_to),
            location_id=item.location_id,
            service_type=item.service_type,
        ).exclude(pk=item.pk)
    )


@transaction.atomic
def multiplier_save(*, actor, item: AreaMultiplier) -> AreaMultiplier:
    serialise_writes()
    _check_period(item.valid_from, item.valid_to)
    others = multiplier_overlaps(item)
    if others:
        raise ValidationError(overlap_message(others))
    return _save(
        actor=actor, instance=item, fields=MULTIPLIER_FIELDS, action="finance.multiplier_saved"
    )


@transaction.atomic
def multiplier_delete(*, actor, item: AreaMultiplier) -> None:
    _delete(
        actor=actor, instance=item, fields=MULTIPLIER_FIELDS, action="finance.multiplier_deleted"
    )

"""Allocation proposals (ORM side): count cases per area, apply the weights, store the parts."""

from datetime import datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record
from cpims.finance.allocation_math import Part, allocate
from cpims.finance.costing import area_key
from cpims.finance.models import AllocationProposal, AllocationShare
from cpims.finance.scenarios import scenario_areas_of
from cpims.finance.selectors import cases_countable_by


def cases_per_area(*, user, proposal: AllocationProposal) -> dict[str, int]:
    """Cases registered (opened) in the period, per area directly inside the proposal's parent."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(proposal.cases_from, time.min, tzinfo=tz)
    end = datetime.combine(proposal.cases_to, time.max, tzinfo=tz)
    counts: dict[str, int] = {}
    cases = cases_countable_by(user).filter(
        opened_at__range=(start, end), location__path__startswith=proposal.parent.path
    )
    for path in cases.values_list("location__path", flat=True).iterator():
        key = area_key(path, proposal.parent.path)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _distribute(proposal: AllocationProposal) -> bool:
    """Recompute the amounts from the stored cases and weights; False if nothing to go by."""
    shares = list(proposal.shares.select_related("location"))
    parts = [Part(key=str(s.pk), cases=s.cases, weight=s.weight) for s in shares]
    try:
        result = {r.key: r.amount for r in allocate(proposal.envelope, parts)}
    except ValueError:
        result = {str(s.pk): Decimal(0) for s in shares}
        ok = False
    else:
        ok = True
    for share in shares:
        share.amount = result[str(share.pk)]
    AllocationShare.objects.bulk_update(shares, ["amount"])
    return ok


def _audit(actor, proposal: AllocationProposal, action: str, **changes) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="finance.AllocationProposal",
        object_id=proposal.pk,
        changes={
            "envelope": str(proposal.envelope),
            "parts": {
                s.location.code: [s.cases, str(s.weight), str(s.amount)]
                for s in proposal.shares.select_related("location")
            },
            **changes,
        },
    )


@transaction.atomic
def allocation_create(*, actor, proposal: AllocationProposal) -> AllocationProposal:
    if proposal.cases_to < proposal.cases_from:
        raise ValidationError({"cases_to": _("The end of the period is before its start.")})
    proposal.created_by = actor
    proposal.full_clean()
    proposal.save()
    counts = cases_per_area(user=actor, proposal=proposal)
    AllocationShare.objects.bulk_create(
        [
            AllocationShare(proposal=proposal, location=area, cases=counts.get(area.path, 0))
            for area in scenario_areas_of(proposal.parent)
        ]
    )
    _distribute(proposal)
    _audit(actor, proposal, "finance.allocation_created", name=proposal.name)
    return proposal


@transaction.atomic
def allocation_weights_set(
    *, actor, proposal: AllocationProposal, weights: dict[int, Decimal], recount: bool = False
) -> bool:
    """Set quality weights by share id (and optionally recount the cases); redistribute."""
    counts = cases_per_area(user=actor, proposal=proposal) if recount else None
    for share in proposal.shares.select_related("location"):
        if share.pk in weights:
            weight = weights[share.pk]
            if isinstance(weight, float) or weight < 0 or weight > 10:
                raise ValidationError(_("A quality weight is between 0 and 10."))
            share.weight = weight
        if counts is not None:
            share.cases = counts.get(share.location.path, 0)
        share.save(update_fields=["weight", "cases"])
    ok = _distribute(proposal)
    _audit(actor, proposal, "finance.allocation_weighted", recount=recount)
    return ok


@transaction.atomic
def allocation_delete(*, actor, proposal: AllocationProposal) -> None:
    _audit(actor, proposal, "finance.allocation_deleted", name=proposal.name)
    proposal.delete()

"""Writes for domestic violence on a case: assessments (a high level raises the case's risk),
protection orders with an expiry reminder, violations, and shelter or one-stop stays that are
costed as service deliveries."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.cases.models import Case
from cpims.cases.services import case_event, require_open
from cpims.cases.teams import supervisors_for
from cpims.justice.choices import AssessmentKind, DangerLevel, IssuingBody, OrderKind, StayReason
from cpims.justice.models import DangerAssessment, OrderViolation, ProtectionOrder, ShelterStay
from cpims.justice.risk import case_risk_raise_to_high
from cpims.notifications.services import notify
from cpims.referrals.choices import ServiceType, Unit
from cpims.referrals.models import Service
from cpims.referrals.services import delivery_record
from cpims.registry.models import Person

STAY_TYPES = (ServiceType.SHELTER, ServiceType.ONE_STOP)


def _choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the listed values.")})


@transaction.atomic
def dv_assessment_record(
    *,
    actor,
    case: Case,
    kind: str,
    level: str,
    assessed_on: date,
    assessed_by: str = "",
    notes: str = "",
) -> DangerAssessment:
    """The police danger assessment or the social worker's situation assessment. A high level
    makes the case high risk and moves its open deadlines to the high-risk rule."""
    require_open(case)
    _choice(kind, AssessmentKind, "kind")
    _choice(level, DangerLevel, "level")
    assessment = DangerAssessment.objects.create(
        case=case,
        kind=kind,
        level=level,
        assessed_on=assessed_on,
        assessed_by=assessed_by[:200],
        notes=notes,
        recorded_by=actor,
    )
    case_event(case, actor=actor, action="dv_assessment", kind=kind, level=level)
    if level == DangerLevel.HIGH:
        case_risk_raise_to_high(actor=actor, case=case, reason=f"dv_assessment:{kind}")
    return assessment


def _reminder_time(expires_on: date) -> datetime:
    day = expires_on - timedelta(days=settings.CPIMS_PROTECTION_ORDER_REMINDER_DAYS)
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _enqueue_expiry_reminder(order: ProtectionOrder) -> None:
    from cpims.justice.tasks import protection_order_remind

    if order.expires_on is None or order.revoked_on is not None:
        return
    if order.expires_on < timezone.localdate():
        return
    protection_order_remind.enqueue(
        run_after=max(_reminder_time(order.expires_on), timezone.now()),
        order_id=order.pk,
        expires_on=order.expires_on.isoformat(),
    )


@transaction.atomic
def protection_order_record(
    *,
    actor,
    case: Case,
    kind: str,
    issuing_body: str,
    issued_on: date,
    starts_on: date | None = None,
    expires_on: date | None = None,
    issuer_name: str = "",
    number: str = "",
    conditions: str = "",
) -> ProtectionOrder:
    _choice(kind, OrderKind, "kind")
    _choice(issuing_body, IssuingBody, "issuing_body")
    starts_on = starts_on or issued_on
    if expires_on and expires_on < starts_on:
        raise ValidationError({"expires_on": _("The order expires before it starts.")})
    order = ProtectionOrder.objects.create(
        case=case,
        kind=kind,
        issuing_body=issuing_body,
        issuer_name=issuer_name[:200],
        number=number[:60],
        issued_on=issued_on,
        starts_on=starts_on,
        expires_on=expires_on,
        conditions=conditions,
        recorded_by=actor,
    )
    _enqueue_expiry_reminder(order)
    case_event(
        case,
        actor=actor,
        action="protection_order",
        order=order.pk,
        kind=kind,
        expires_on=str(expires_on or ""),
    )
    return order


@transaction.atomic
def protection_order_change(
    *,
    actor,
    order: ProtectionOrder,
    expires_on: date | None = None,
    revoked_on: date | None = None,
    conditions: str | None = None,
) -> ProtectionOrder:
    """Extend (a new expiry gets a new reminder), revoke, or change the conditions."""
    order = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    changes = {}
    if expires_on and expires_on != order.expires_on:
        if expires_on < order.starts_on:
            raise ValidationError({"expires_on": _("The order expires before it starts.")})
        changes["expires_on"] = [str(order.expires_on or ""), str(expires_on)]
        order.expires_on, order.reminded_at = expires_on, None
    if revoked_on:
        changes["revoked_on"] = str(revoked_on)
        order.revoked_on = revoked_on
    if conditions is not None and conditions != order.conditions:
        changes["conditions"] = True
        order.conditions = conditions
    order.save()
    if "expires_on" in changes:
        _enqueue_expiry_reminder(order)
    case_event(
        order.case, actor=actor, action="protection_order_changed", order=order.pk, **changes
    )
    return order


@transaction.atomic
def order_violation_record(
    *,
    actor,
    order: ProtectionOrder,
    occurred_on: date,
    description: str,
    reported_to: str = "",
    action_taken: str = "",
) -> OrderViolation:
    """A breach of a protection order: recorded on the case and sent to the worker and the
    area's supervisors."""
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    violation = OrderViolation.objects.create(
        order=order,
        occurred_on=occurred_on,
        description=description,
        reported_to=reported_to[:200],
        action_taken=action_taken,
        recorded_by=actor,
    )
    case = order.case
    notify(
        users=[u for u in [case.assigned_worker, *supervisors_for(case.location)] if u != actor],
        kind="protection_order_violated",
        message=_("%(case)s: a protection order was violated on %(day)s")
        % {"case": case.number, "day": occurred_on.isoformat()},
        link=f"/cases/{case.pk}/#dv",
        obj=case,
    )
    case_event(
        case, actor=actor, action="protection_order_violated", order=order.pk, on=str(occurred_on)
    )
    return violation


@transaction.atomic
def stay_admit(
    *,
    actor,
    case: Case,
    child: Person,
    service: Service,
    admitted_on: date,
    reason: str,
    notes: str = "",
) -> ShelterStay:
    require_open(case)
    _choice(reason, StayReason, "reason")
    if service.service_type not in STAY_TYPES:
        raise ValidationError({"service": _("Choose a shelter or a one-stop service centre.")})
    if not case.children.filter(person=child).exists():
        raise ValidationError({"child": _("This child is not on the case.")})
    if ShelterStay.objects.filter(child=child, discharged_on__isnull=True).exists():
        raise ValidationError({"child": _("The child is already staying somewhere.")})
    stay = ShelterStay.objects.create(
        case=case,
        child=child,
        service=service,
        admitted_on=admitted_on,
        reason=reason,
        notes=notes,
        recorded_by=actor,
    )
    case_event(
        case,
        actor=actor,
        action="shelter_admitted",
        stay=stay.pk,
        service=service.pk,
        reason=reason,
    )
    return stay


def stay_units(*, unit: str, admitted_on: date, discharged_on: date) -> Decimal:
    """Nights for night-costed services (at least one), days (both ends counted) for
    day-costed ones, else one."""
    days = (discharged_on - admitted_on).days
    if unit == Unit.NIGHT:
        return Decimal(max(1, days))
    if unit == Unit.DAY:
        return Decimal(days + 1)
    return Decimal(1)


@transaction.atomic
def stay_discharge(
    *, actor, stay: ShelterStay, discharged_on: date, discharged_to: str = "", notes: str = ""
) -> ShelterStay:
    """End a stay and record it as a delivery of the service, so it is costed."""
    stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
    if stay.discharged_on is not None:
        raise ValidationError(_("The child was already discharged."))
    if discharged_on < stay.admitted_on:
        raise ValidationError({"discharged_on": _("The discharge is before the admission.")})
    units = stay_units(
        unit=stay.service.unit, admitted_on=stay.admitted_on, discharged_on=discharged_on
    )
    stay.delivery = delivery_record(
        actor=actor,
        case=stay.case,
        service=stay.service,
        delivered_on=stay.admitted_on,
        ended_on=discharged_on,
        units=units,
        notes=_("Stay %(id)s") % {"id": stay.pk},
    )
    stay.discharged_on, stay.discharged_to = discharged_on, discharged_to[:200]
    if notes:
        stay.notes = f"{stay.notes}\n{notes}".strip()
    stay.save()
    case_event(
        stay.case,
        actor=actor,
        action="shelter_discharged",
        stay=stay.pk,
        delivery=stay.delivery.pk,
        units=str(units),
    )
    return stay

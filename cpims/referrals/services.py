"""Writes for the service directory, referrals, deliveries and prevention activities."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.accounts.models import Agency, User
from cpims.audit.services import audit_record, field_changes, snapshot
from cpims.cases.choices import ConsentPurpose
from cpims.cases.errors import TransitionError
from cpims.cases.models import Case
from cpims.cases.services import case_allows, case_event
from cpims.geo.models import Location
from cpims.notifications.services import notify
from cpims.referrals.choices import DeclineReason, Status
from cpims.referrals.models import AUDIENCE_FIELDS, Activity, Coverage, Delivery, Referral, Service

SERVICE_FIELDS = [
    "provider_id",
    "service_type",
    "level",
    "name_mn",
    "name_en",
    "address",
    "hours",
    "phone",
    "email",
    "languages",
    "min_age",
    "max_age",
    "sex",
    "capacity",
    "available",
    "unit",
    "is_active",
]
# status -> steps allowed from it
TRANSITIONS: dict[str, set[str]] = {
    Status.SENT: {Status.RECEIVED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    Status.RECEIVED: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    Status.ACCEPTED: {Status.IN_PROGRESS, Status.COMPLETED, Status.NOT_COMPLETED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.COMPLETED, Status.NOT_COMPLETED},
}


@transaction.atomic
def service_save(*, actor, service: Service, coverage: list[Location]) -> Service:
    creating = service.pk is None
    before = {} if creating else snapshot(Service.objects.get(pk=service.pk), SERVICE_FIELDS)
    service.full_clean()
    service.save()
    Coverage.objects.filter(service=service).exclude(location__in=coverage).delete()
    for place in coverage:
        Coverage.objects.get_or_create(service=service, location=place)
    audit_record(
        actor=actor,
        action="referrals.service_saved",
        object_type="referrals.Service",
        object_id=service.pk,
        changes={
            **field_changes(before, snapshot(service, SERVICE_FIELDS)),
            "coverage": sorted(p.code for p in coverage),
        },
    )
    return service


@transaction.atomic
def service_availability_set(*, actor, service: Service, available: int) -> Service:
    service.available = max(0, available)
    service.save(update_fields=["available", "updated_at"])
    audit_record(
        actor=actor,
        action="referrals.availability_set",
        object_type="referrals.Service",
        object_id=service.pk,
        changes={"available": service.available},
    )
    return service


def response_hours(urgency: str) -> int:
    return settings.CPIMS_REFERRAL_RESPONSE_HOURS[urgency]


@transaction.atomic
def referral_create(
    *,
    actor,
    case: Case,
    service: Service,
    urgency: str,
    reason: str,
    share_contact: bool = False,
    share_harm: bool = False,
    share_assessment: bool = False,
    external: bool = False,
) -> Referral:
    """Refer a child to a service. Nothing is shared beyond what consent (or a recorded legal
    basis) covers: a referral needs it for referral, and details beyond identity need it for
    sharing."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise TransitionError(_("The case is closed."))
    if not case_allows(case, ConsentPurpose.REFERRAL):
        raise ValidationError(_("Record consent (or the legal basis) for referral first."))
    if (share_contact or share_harm or share_assessment) and not case_allows(
        case, ConsentPurpose.SHARING
    ):
        raise ValidationError(
            _(
                "Sharing details beyond identity needs consent (or the legal basis) for "
                "sharing with service providers."
            )
        )
    if not service.is_active:
        raise ValidationError(_("This service is not active."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the referral.")})
    referral = Referral.objects.create(
        reference=f"tmp-{uuid.uuid4().hex}",
        case=case,
        service=service,
        to_agency=service.provider,
        urgency=urgency,
        reason=reason,
        share_contact=share_contact,
        share_harm=share_harm,
        share_assessment=share_assessment,
        external=external,
        referred_by=actor,
        due_at=timezone.now() + timedelta(hours=response_hours(urgency)),
    )
    # The reference is shown to providers, so it carries no case number.
    referral.reference = f"R-{timezone.localdate().year}-{referral.pk:06d}"
    referral.save(update_fields=["reference"])
    case_event(
        case,
        actor=actor,
        action="referral_sent",
        referral=referral.pk,
        reference=referral.reference,
        service=service.pk,
        urgency=urgency,
    )
    if not external:
        staff = User.objects.filter(
            agency=service.provider, is_active=True, role__capabilities__code="referrals.receive"
        )
        notify(
            users=staff,
            kind="referral_received",
            message=_("New referral %(ref)s (%(urgency)s)")
            % {"ref": referral.reference, "urgency": referral.get_urgency_display()},
            link=f"/referrals/{referral.pk}/",
            obj=referral,
        )
    return referral


def _may_act_as_provider(actor, referral: Referral) -> bool:
    if referral.external:  # outcome of an external provider is entered by the referring team
        from cpims.cases.selectors import cases_editable_by

        return cases_editable_by(actor).filter(pk=referral.case_id).exists()
    return actor.agency_id == referral.to_agency_id and actor.has_capability("referrals.receive")


@transaction.atomic
def referral_step(
    *, actor, referral: Referral, to: str, reason: str = "", notes: str = "", feedback: str = ""
) -> Referral:
    """Move a referral along its lifecycle; every step is timestamped and audited."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if to not in TRANSITIONS.get(referral.status, set()):
        raise TransitionError(
            _("A referral that is %(status)s cannot become %(to)s.")
            % {"status": referral.get_status_display(), "to": Status(to).label}
        )
    if to == Status.WITHDRAWN:
        from cpims.cases.selectors import cases_editable_by

        if not cases_editable_by(actor).filter(pk=referral.case_id).exists():
            raise TransitionError(_("Only the referring team can withdraw a referral."))
    elif not _may_act_as_provider(actor, referral):
        raise TransitionError(_("Only the provider can answer this referral."))
    now = timezone.now()
    if to == Status.DECLINED:
        if reason not in DeclineReason.values:
            raise ValidationError({"reason": _("Say why the referral is declined.")})
        referral.decline_reason = reason
    if to == Status.NOT_COMPLETED and not notes.strip():
        raise ValidationError({"notes": _("Say why the service was not completed.")})
    stamps = {
        Status.RECEIVED: "received_at",
        Status.ACCEPTED: "responded_at",
        Status.DECLINED: "responded_at",
        Status.IN_PROGRESS: "started_at",
        Status.COMPLETED: "finished_at",
        Status.NOT_COMPLETED: "finished_at",
        Status.WITHDRAWN: "finished_at",
    }
    setattr(referral, stamps[to], now)
    if to == Status.ACCEPTED and referral.received_at is None:
        referral.received_at = now
    referral.status = to
    referral.outcome_notes = "\n".join(filter(None, [referral.outcome_notes, notes]))[:5000]
    if feedback:
        referral.feedback = feedback[:5000]
    referral.save()
    case_event(
        referral.case,
        actor=actor,
        action=f"referral_{to}",
        referral=referral.pk,
        reference=referral.reference,
        reason=reason,
        feedback=feedback[:500],
    )
    if to in (Status.DECLINED, Status.COMPLETED, Status.NOT_COMPLETED):
        notify(
            users=[referral.referred_by],
            kind=f"referral_{to}",
            message=_("Referral %(ref)s: %(status)s")
            % {"ref": referral.reference, "status": referral.get_status_display()},
            link=f"/cases/{referral.case_id}/",
            obj=referral.case,
        )
    return referral


@transaction.atomic
def delivery_record(
    *,
    actor,
    case: Case,
    service: Service,
    delivered_on: date,
    units: Decimal,
    ended_on: date | None = None,
    referral: Referral | None = None,
    notes: str = "",
) -> Delivery:
    if units is None or Decimal(units) <= 0:
        raise ValidationError({"units": _("Units must be more than zero.")})
    if ended_on and ended_on < delivered_on:
        raise ValidationError({"ended_on": _("The end is before the start.")})
    if referral is not None and (referral.case_id != case.pk or referral.service_id != service.pk):
        raise ValidationError(_("The referral is for another case or service."))
    delivery = Delivery.objects.create(
        case=case,
        referral=referral,
        service=service,
        provider=service.provider,
        service_type=service.service_type,
        level=service.level,
        location=case.location,
        delivered_on=delivered_on,
        ended_on=ended_on,
        units=Decimal(units),
        unit=service.unit,
        notes=notes,
        recorded_by=actor,
    )
    case_event(
        case,
        actor=actor,
        action="service_delivered",
        delivery=delivery.pk,
        service=service.pk,
        units=str(delivery.units),
        unit=delivery.unit,
    )
    return delivery


@transaction.atomic
def activity_record(
    *,
    actor,
    held_on: date,
    location: Location,
    organiser: Agency,
    topic: str,
    title: str,
    materials: str = "",
    **audience: int,
) -> Activity:
    unknown = set(audience) - set(AUDIENCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown audience fields: {unknown}")
    if any(v is not None and v < 0 for v in audience.values()):
        raise ValidationError(_("Audience counts cannot be negative."))
    activity = Activity.objects.create(
        held_on=held_on,
        location=location,
        organiser=organiser,
        topic=topic,
        title=title,
        materials=materials,
        recorded_by=actor,
        **{k: v or 0 for k, v in audience.items()},
    )
    audit_record(
        actor=actor,
        action="referrals.activity_recorded",
        object_type="referrals.Activity",
        object_id=activity.pk,
        changes={"topic": topic, "people": activity.people_reached},
    )
    return activity

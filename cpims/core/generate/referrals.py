"""Referrals from cases to the aimag's services, and the deliveries that followed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings

from cpims.core.generate.loader import insert
from cpims.referrals.choices import Status as ReferralStatus
from cpims.referrals.choices import Urgency as ReferralUrgency
from cpims.referrals.models import Delivery, Referral

FINAL_WITHOUT_SERVICE = (ReferralStatus.DECLINED, ReferralStatus.NOT_COMPLETED)


class ReferralsStep:
    def _referrals(self) -> None:
        rng = self.rng
        referrals: list[Referral] = []
        for case in self.cases:
            if rng.random() > 0.35:
                continue
            aimag = self.aimag_of_soum[self.soum_of_loc[case.location_id].pk]
            service = rng.choice(self.services_of[aimag.pk])
            sent = case.opened_at + timedelta(hours=rng.randint(4, 240))
            if sent > self.now:
                sent = self.now
            status = (
                rng.choices(
                    [
                        ReferralStatus.COMPLETED,
                        ReferralStatus.DECLINED,
                        ReferralStatus.NOT_COMPLETED,
                    ],
                    [8, 1, 1],
                )[0]
                if not case.is_open
                else rng.choice(
                    [
                        ReferralStatus.SENT,
                        ReferralStatus.ACCEPTED,
                        ReferralStatus.IN_PROGRESS,
                        ReferralStatus.COMPLETED,
                    ]
                )
            )
            urgency = rng.choices(list(ReferralUrgency), [1, 3, 6])[0]
            hours = settings.CPIMS_REFERRAL_RESPONSE_HOURS[urgency]
            answered = status != ReferralStatus.SENT
            referrals.append(
                Referral(
                    reference=f"R-{case.number}",
                    case=case,
                    service=service,
                    to_agency_id=service.provider_id,
                    urgency=urgency,
                    reason="generated",
                    status=status,
                    due_at=sent + timedelta(hours=hours),
                    referred_by_id=case.assigned_worker_id,
                    sent_at=sent,
                    received_at=sent + timedelta(hours=1) if answered else None,
                    responded_at=sent + timedelta(hours=hours // 2) if answered else None,
                    started_at=sent + timedelta(days=1)
                    if status in (ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)
                    else None,
                    finished_at=sent + timedelta(days=14)
                    if status == ReferralStatus.COMPLETED
                    else None,
                )
            )
        insert(Referral, referrals)
        deliveries = []
        for referral in referrals:
            if referral.started_at is None:
                continue
            service = referral.service
            deliveries.append(
                Delivery(
                    case=referral.case,
                    referral=referral,
                    service=service,
                    provider_id=service.provider_id,
                    service_type=service.service_type,
                    level=service.level,
                    location_id=referral.case.location_id,
                    delivered_on=referral.started_at.date(),
                    ended_on=referral.finished_at.date() if referral.finished_at else None,
                    units=Decimal(rng.randint(1, 12)),
                    unit=service.unit,
                    recorded_by_id=referral.referred_by_id,
                    recorded_at=referral.started_at,
                )
            )
        insert(Delivery, deliveries)
        self._audit_referrals(referrals, deliveries)
        self._count("referrals", len(referrals))
        self._count("deliveries", len(deliveries))

    def _audit_referrals(self, referrals: list[Referral], deliveries: list[Delivery]) -> None:
        log = self.audit
        for referral in referrals:
            case, actor = referral.case, referral.case.assigned_worker
            log.case(
                case,
                referral.sent_at,
                actor,
                "referral_sent",
                referral=referral.pk,
                reference=referral.reference,
                service=referral.service_id,
                urgency=referral.urgency,
            )
            ended = referral.finished_at or (
                referral.responded_at if referral.status in FINAL_WITHOUT_SERVICE else None
            )
            if ended:
                log.case(
                    case,
                    ended,
                    actor,
                    f"referral_{referral.status}",
                    referral=referral.pk,
                    reference=referral.reference,
                    reason="",
                    feedback="",
                )
        for delivery in deliveries:
            log.case(
                delivery.case,
                delivery.recorded_at,
                delivery.case.assigned_worker,
                "service_delivered",
                delivery=delivery.pk,
                service=delivery.service_id,
                units=str(delivery.units),
                unit=delivery.unit,
            )

"""Reading services and referrals: one selector per record type, plus the directory search."""

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from cpims.cases.selectors import cases_visible_to
from cpims.geo.models import Location
from cpims.referrals.models import Activity, Delivery, Referral, Service


def _prefixes(location: Location) -> list[str]:
    codes = [c for c in location.path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def services_visible_to(user) -> QuerySet[Service]:
    """The directory is for every signed-in user: it holds no personal data."""
    if not user.is_authenticated:
        return Service.objects.none()
    return Service.objects.select_related("provider")


def services_editable_by(user) -> QuerySet[Service]:
    if not user.is_authenticated:
        return Service.objects.none()
    if user.has_capability("admin.users"):
        return Service.objects.all()
    if user.has_capability("referrals.receive") and user.agency_id:
        return Service.objects.filter(provider_id=user.agency_id)
    return Service.objects.none()


def directory_search(
    *,
    user,
    place: Location | None = None,
    service_type: str = "",
    text: str = "",
    active_only: bool = True,
) -> QuerySet[Service]:
    """Services serving `place`, nearest first: the same soum, then the aimag, then national."""
    services = services_visible_to(user)
    if active_only:
        services = services.filter(is_active=True)
    if service_type:
        services = services.filter(service_type=service_type)
    if text:
        services = services.filter(
            Q(name_mn__icontains=text)
            | Q(name_en__icontains=text)
            | Q(provider__name_mn__icontains=text)
        )
    if place is not None:
        services = (
            services.filter(coverage__location__path__in=_prefixes(place))
            .annotate(nearest=Max("coverage__location__depth"))
            .order_by("-nearest", "name_mn")
        )
    else:
        services = services.order_by("service_type", "name_mn")
    return services.distinct()


def service_is_stale(service: Service) -> bool:
    return service.updated_at < timezone.now() - timezone.timedelta(
        days=settings.CPIMS_DIRECTORY_STALE_DAYS
    )


def referrals_visible_to(user, *, visible=None) -> QuerySet[Referral]:
    """Providers see referrals addressed to their agency (and only their shared fields);
    case workers see referrals on cases they can see (`visible`: the reader's own
    `cases_visible_to(user)` when the caller has it already)."""
    if not user.is_authenticated:
        return Referral.objects.none()
    mine = Q(pk__in=[])
    if user.has_capability("referrals.receive") and user.agency_id:
        mine |= Q(to_agency_id=user.agency_id, external=False)
    if user.has_capability("cases.view"):
        cases = cases_visible_to(user) if visible is None else visible
        mine |= Q(case__in=cases.values("pk"))
    return Referral.objects.filter(mine).select_related("service", "to_agency", "case")


def referral_shared_view(referral: Referral) -> dict:
    """Exactly what the provider may read: the child's identity and what the referral shares."""
    child_link = referral.case.children.select_related("person").filter(is_primary=True).first()
    child = child_link.person if child_link else None
    view = {
        "reference": referral.reference,
        "urgency": referral.get_urgency_display(),
        "reason": referral.reason,
        "due_at": referral.due_at,
        "status": referral.status,
    }
    if referral.share_identity and child:
        view["child"] = {
            "name": child.full_name,
            "sex": child.get_sex_display(),
            "birth_year": child.birth_year,
        }
    if referral.share_contact and child:
        view["contact"] = {
            "address": child.address,
            "place": str(child.location or ""),
            "phones": [p.number for p in child.phones.all()],
        }
    if referral.share_harm:
        view["harms"] = [h.get_harm_display() for h in referral.case.harms.all()]
    if referral.share_assessment:
        latest = referral.case.assessments.order_by("-completed_at").first()
        view["assessment"] = {
            "risk": referral.case.get_risk_display(),
            "reasons": latest.reasons if latest else "",
        }
    return view


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    if not user.is_authenticated:
        return Delivery.objects.none()
    mine = Q(pk__in=[])
    if user.has_capability("referrals.receive") and user.agency_id:
        mine |= Q(provider_id=user.agency_id)
    if user.has_capability("cases.view"):
        mine |= Q(case__in=cases_visible_to(user).values("pk"))
    return Delivery.objects.filter(mine)


def activities_visible_to(user) -> QuerySet[Activity]:
    """Prevention activities hold counts, not personal data."""
    if not user.is_authenticated:
        return Activity.objects.none()
    return Activity.objects.select_related("location", "organiser")

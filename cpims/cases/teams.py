"""Who is responsible for a place, and who supervises a case."""

from django.db.models import Count, Q

from cpims.accounts.models import Agency, User
from cpims.geo.models import Location


def _prefixes(location: Location) -> list[str]:
    codes = [c for c in location.path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]


def responsible_team_for(location: Location) -> Agency | None:
    """The MDT whose area is the deepest one containing `location` (khoroo before district)."""
    teams = Agency.objects.filter(
        kind=Agency.Kind.MDT, is_active=True, location__path__in=_prefixes(location)
    )
    return teams.select_related("location").order_by("-location__depth").first()


def default_worker_for(agency: Agency) -> User | None:
    """The team's case worker with the fewest open cases."""
    workers = User.objects.filter(
        agency=agency, is_active=True, role__capabilities__code="cases.edit"
    )
    return (
        workers.annotate(open_cases=Count("assigned_cases", filter=Q(assigned_cases__is_open=True)))
        .order_by("open_cases", "pk")
        .first()
    )


def supervisors_for(location: Location):
    """Users who approve cases (child protection officers) whose scope contains the place."""
    return User.objects.filter(
        is_active=True,
        role__capabilities__code="cases.approve",
        scope__path__in=_prefixes(location),
    ).distinct()


def area_officers_for(location: Location):
    return supervisors_for(location)

from django.db.models import Q, QuerySet

from cpims.geo.models import Location


def location_is_within(*, location_id: int, ancestor_id: int) -> bool:
    """Is `location_id` the same place as, or inside, `ancestor_id`? One indexed query."""
    ancestor_path = Location.objects.filter(pk=ancestor_id).values("path")[:1]
    return Location.objects.filter(pk=location_id, path__startswith=ancestor_path).exists()


def within_q(ancestor: Location, *, field: str = "location") -> Q:
    """A filter for records whose `field` (a Location FK) is inside `ancestor`."""
    return Q(**{f"{field}__path__startswith": ancestor.path})


def locations_within(ancestor: Location) -> QuerySet[Location]:
    return Location.objects.filter(path__startswith=ancestor.path)


def location_children(*, parent: Location | None) -> QuerySet[Location]:
    return Location.objects.filter(parent=parent, is_active=True).order_by("code")


def location_ancestors(location: Location) -> list[Location]:
    codes = [code for code in location.path.split("/") if code]
    by_code = {loc.code: loc for loc in Location.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from cpims.geo.models import Location
from cpims.geo.selectors import location_ancestors, location_children


@login_required
def location_list(request, code: str | None = None):
    """Browse the tree one level at a time; places are reference data every user may read."""
    current = get_object_or_404(Location, code=code) if code else None
    return render(
        request,
        "geo/location_list.html",
        {
            "current": current,
            "ancestors": location_ancestors(current) if current else [],
            "children": location_children(parent=current)
            if current
            else Location.objects.filter(parent=None),
        },
    )

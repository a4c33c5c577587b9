from cpims.core.navigation import navigation_for


def shell(request):
    user = getattr(request, "user", None)
    return {"nav_items": navigation_for(user, request.path) if user is not None else []}

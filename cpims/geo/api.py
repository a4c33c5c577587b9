from rest_framework import serializers, viewsets

from cpims.geo.models import Location


class LocationSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Location
        fields = ["id", "code", "parent", "parent_code", "level", "name_mn", "name_en", "path"]


class LocationViewSet(viewsets.ReadOnlyModelViewSet):
    """The location tree (reference data, readable by every signed-in user).

    Filters: `parent` (a code; omit for the top), `level`, `within` (a code: the whole subtree).
    """

    serializer_class = LocationSerializer

    def get_queryset(self):
        params = self.request.query_params
        locations = Location.objects.select_related("parent").filter(is_active=True)
        if "parent" in params:
            locations = locations.filter(parent__code=params["parent"])
        if params.get("level"):
            locations = locations.filter(level=params["level"])
        if params.get("within"):
            root = Location.objects.filter(code=params["within"]).first()
            locations = locations.filter(path__startswith=root.path) if root else locations.none()
        return locations.order_by("path")

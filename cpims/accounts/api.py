from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from cpims.accounts.models import Agency, Role, User
from cpims.accounts.selectors import agencies_visible_to, roles_visible_to, users_visible_to
from cpims.core.access import HasCapability


class RoleSerializer(serializers.ModelSerializer):
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ["id", "code", "name_mn", "name_en", "capabilities"]

    def get_capabilities(self, role: Role) -> list[str]:
        return sorted(c.code for c in role.capabilities.all())


class AgencySerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name_mn",
            "name_en",
            "kind",
            "location",
            "location_code",
            "parent",
            "phone",
            "email",
            "is_active",
        ]


class UserSerializer(serializers.ModelSerializer):
    role_code = serializers.CharField(source="role.code", read_only=True, default=None)
    scope_code = serializers.CharField(source="scope.code", read_only=True, default=None)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "role_code",
            "agency",
            "scope",
            "scope_code",
            "is_active",
        ]


class MeSerializer(UserSerializer):
    capabilities = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "capabilities"]

    def get_capabilities(self, user: User) -> list[str]:
        return sorted(user.capabilities)


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user, their role's permissions and their location scope."""
    return Response(MeSerializer(request.user).data)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    permission_classes = [HasCapability]
    required_capability = "admin.users"

    def get_queryset(self):
        return users_visible_to(self.request.user).order_by("username")


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    permission_classes = [HasCapability]

    def get_queryset(self):
        agencies = agencies_visible_to(self.request.user).order_by("code")
        kind = self.request.query_params.get("kind")
        return agencies.filter(kind=kind) if kind else agencies


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoleSerializer
    permission_classes = [HasCapability]
    required_capability = "admin.users"

    def get_queryset(self):
        return roles_visible_to(self.request.user).order_by("code")

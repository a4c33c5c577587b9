"""API shapes of the category taxonomy."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cpims.helpline.models import Category


class CategorySerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version.code", read_only=True)
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    main = serializers.CharField(source="main.code", read_only=True, allow_null=True)
    reports_under = serializers.CharField(
        source="reports_under.code", read_only=True, allow_null=True
    )

    class Meta:
        model = Category
        fields = [
            "id",
            "version",
            "code",
            "parent",
            "label_mn",
            "label_en",
            "description",
            "icvac_code",
            "icvac_rollup",
            "harm",
            "is_chi",
            "is_active",
            "sort",
            "depth",
            "main",
            "reports_under",
        ]
        read_only_fields = fields


class CategoryCreateSerializer(serializers.Serializer):
    parent = serializers.CharField(help_text=_("Code of the parent category (current version)."))
    slug = serializers.CharField(max_length=30)
    label_mn = serializers.CharField(max_length=200)
    label_en = serializers.CharField(max_length=200)
    icvac_code = serializers.ChoiceField(
        choices=[("", "-"), *Category._meta.get_field("icvac_code").choices],
        required=False,
        default="",
    )
    harm = serializers.ChoiceField(
        choices=[("", "-"), *Category._meta.get_field("harm").choices], required=False, default=""
    )
    reports_as = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class CategoryUpdateSerializer(serializers.Serializer):
    label_mn = serializers.CharField(max_length=200, required=False)
    label_en = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    icvac_code = serializers.ChoiceField(
        choices=[("", "-"), *Category._meta.get_field("icvac_code").choices], required=False
    )
    harm = serializers.ChoiceField(
        choices=[("", "-"), *Category._meta.get_field("harm").choices], required=False
    )
    is_active = serializers.BooleanField(required=False)
    sort = serializers.IntegerField(required=False, min_value=0)

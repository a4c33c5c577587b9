"""How the API appears in the OpenAPI schema where drf-spectacular cannot see it by itself: the
token authentication, and read-only choice fields that may be blank."""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from rest_framework import serializers


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "cpims.accounts.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <prefix>.<secret>`, created under API tokens",
        }


class BlankableReadOnlyChoice(OpenApiSerializerFieldExtension):
    """DRF drops `allow_blank` from read-only model fields, so a `choices=..., blank=True`
    column was documented as its enum alone although the API returns "" for it."""

    target_class = "rest_framework.fields.ChoiceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if field.read_only and not field.allow_blank and _model_field_is_blank(field):
            field = copy.copy(field)
            field.allow_blank = True
        return auto_schema._map_serializer_field(field, direction, bypass_extensions=True)


def _model_field_is_blank(field) -> bool:
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if not isinstance(parent, serializers.ModelSerializer) or model is None or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False

"""Serializer helpers shared by the domains' APIs."""

import copy

from rest_framework import serializers


class PrebuiltFieldsMixin:
    """Fields made once per serializer class, then copied cheaply for each instance.

    DRF deep-copies a serializer's declared fields for every instance and a ModelSerializer
    derives its fields from the model every time; on a contact POST that was a third of the
    server's CPU. The fields depend only on the class (and its Meta), so they are made once;
    each instance gets fresh fields made from the same constructor arguments, which is what
    DRF's deep copy does too after deep-copying every argument. Serializers whose fields depend
    on the request or the instance must not use this.
    """

    def get_fields(self):
        cls = type(self)
        prebuilt = cls.__dict__.get("_prebuilt_fields")
        if prebuilt is None:
            prebuilt = super().get_fields()
            cls._prebuilt_fields = prebuilt
        return {name: _fresh(field) for name, field in prebuilt.items()}


def _fresh(field: serializers.Field) -> serializers.Field:
    """An unbound copy of a prototype field, for one serializer instance.

    A plain field is copied shallowly: binding sets attributes on the copy only, and what the
    copies share (choices, validators, error messages) is never changed after construction.
    A field holding a `child` (ListField, a nested many=True serializer) has bound that child
    to itself, so it is rebuilt."""
    if "child" not in field._kwargs and not isinstance(field, serializers.BaseSerializer):
        return copy.copy(field)
    return _rebuilt(field)


def _rebuilt(field: serializers.Field) -> serializers.Field:
    """A new field from the prototype's constructor arguments (kept by Field.__new__), its
    child too; a nested serializer makes its own fields when first used."""
    kwargs = field._kwargs
    if "child" in kwargs:
        kwargs = {**kwargs, "child": _rebuilt(kwargs["child"])}
    return field.__class__(*field._args, **kwargs)


class PrebuiltSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    pass


class PrebuiltModelSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    pass

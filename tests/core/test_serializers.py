"""PrebuiltFieldsMixin: fields made once per class must behave as DRF's own per-instance
fields do — nothing bound to one instance leaks into another."""

import pytest
from rest_framework import serializers

from cpims.core.serializers import PrebuiltModelSerializer, PrebuiltSerializer
from cpims.geo.models import Location


class Row(PrebuiltSerializer):
    name = serializers.CharField(max_length=5)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=["a", "b"]))


class Form(PrebuiltSerializer):
    title = serializers.CharField(source="heading")
    rows = Row(many=True)


class Place(PrebuiltModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "code", "level"]


def test_each_instance_gets_its_own_bound_fields():
    first, second = Form(), Form(context={"who": "second"})
    for name in ("title", "rows"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    assert first.fields["rows"].child is not second.fields["rows"].child
    assert second.fields["rows"].child.context == {"who": "second"}
    assert Form._prebuilt_fields["title"].parent is None  # the prototype stays unbound


def test_validation_and_errors_are_per_instance():
    good = Form(data={"title": "t", "rows": [{"name": "ab", "tags": ["a"]}]})
    bad = Form(data={"title": "t", "rows": [{"name": "toolong", "tags": ["c"]}]})
    assert bad.is_valid() is False
    assert good.is_valid(), good.errors
    assert good.validated_data == {"heading": "t", "rows": [{"name": "ab", "tags": ["a"]}]}
    assert set(bad.errors["rows"][0]) == {"name", "tags"}


@pytest.mark.django_db
def test_model_fields_are_built_once_and_still_read_the_instance(places):
    place = Location.objects.get(code="110751")
    assert Place(place).data == {"id": place.pk, "code": "110751", "level": place.level}
    prototype = Place._prebuilt_fields
    other = Location.objects.exclude(pk=place.pk).first()
    assert Place(other).data["code"] == other.code
    assert Place._prebuilt_fields is prototype

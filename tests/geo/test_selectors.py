import pytest

from cpims.geo.models import Location
from cpims.geo.selectors import location_ancestors, location_is_within, locations_within, within_q
from tests.factories import location

pytestmark = pytest.mark.django_db


def test_shipped_tree_has_every_aimag_and_the_capital(places):
    aimags = Location.objects.filter(level="aimag")
    assert aimags.count() == 22
    assert set(aimags.values_list("code", flat=True)) >= {"11", "21", "67", "85"}
    assert location("1107").parent.code == "11"
    assert location("110751").path == "MN/11/1107/110751/"


def test_is_within_answers_in_one_query(places, django_assert_num_queries):
    khoroo, ub, dornod = location("110751"), location("11"), location("21")
    with django_assert_num_queries(1):
        assert location_is_within(location_id=khoroo.pk, ancestor_id=ub.pk) is True
    with django_assert_num_queries(1):
        assert location_is_within(location_id=khoroo.pk, ancestor_id=dornod.pk) is False


def test_a_place_is_within_itself_but_not_within_its_children(places):
    ub, district = location("11"), location("1107")
    assert location_is_within(location_id=ub.pk, ancestor_id=ub.pk)
    assert not location_is_within(location_id=ub.pk, ancestor_id=district.pk)


def test_prefix_codes_do_not_leak_between_siblings(places):
    # "21" (Dornod) is a string prefix of "2101" only through the path separator.
    assert not location("21").contains(location("22"))
    assert not location("2101").contains(location("2104"))


def test_user_scoped_to_one_aimag_is_inside_it_and_not_another(user_factory):
    officer = user_factory(role="cp_officer", scope="21")
    assert officer.in_scope(location("2101"))
    assert officer.in_scope(location("21"))
    assert not officer.in_scope(location("67"))
    assert not officer.in_scope(location("110751"))
    assert not officer.in_scope(location("MN"))


def test_within_filter_and_ancestors(places):
    inside_dornod = Location.objects.filter(within_q(location("21"), field="parent"))
    assert inside_dornod.filter(code="210151").exists()
    assert not inside_dornod.filter(code="6701").exists()
    assert set(locations_within(location("1107")).values_list("level", flat=True)) == {
        "soum",
        "bag",
    }
    assert [loc.code for loc in location_ancestors(location("110751"))] == [
        "MN",
        "11",
        "1107",
        "110751",
    ]

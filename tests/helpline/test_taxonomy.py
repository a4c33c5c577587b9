import pytest
from django.core.exceptions import ValidationError

from cpims.audit.models import AuditEvent
from cpims.helpline.models import Category, TaxonomyVersion, current_version
from cpims.helpline.taxonomy import (
    category_add,
    category_harms,
    category_update,
    load_taxonomy,
    taxonomy_version_activate,
    taxonomy_version_create,
)
from cpims.helpline.taxonomy_data import MAIN_CODES
from tests.helpline.helpers import category

pytestmark = pytest.mark.django_db

CHI_MAIN = [
    "missing",
    "violence",
    "mental_health",
    "physical_health",
    "services",
    "discrimination",
    "family",
    "peer",
    "education",
    "sexuality",
    "non_counselling",
]


def test_shipped_tree_has_the_eleven_chi_main_categories_with_labels_in_both_languages(places):
    version = current_version()
    mains = Category.objects.filter(version=version, parent=None).order_by("sort")
    assert [m.code for m in mains] == CHI_MAIN == MAIN_CODES
    assert all(m.is_chi and m.label_mn and m.label_en for m in mains)
    for main in mains:
        assert Category.objects.filter(version=version, code=f"{main.code}.other").exists()
    assert (
        Category.objects.filter(version=version, main__code="violence", is_chi=True).count() == 13
    )
    distress = category("mental_health.distress.fear")
    assert distress.depth == 2 and distress.main.code == "mental_health"


def test_violence_subcategories_map_to_the_icvac_top_level(places):
    expected = {
        "violence.physical": "2",
        "violence.sexual": "3",
        "violence.psychological": "4",
        "violence.neglect": "5",
        "violence.online_csea": "3",
        "violence.fgm": "2",
        "violence.bullying": "4",
        "violence.other": "9",
    }
    assert {code: category(code).icvac_rollup for code in expected} == expected
    subs = Category.objects.filter(version=current_version(), main__code="violence").exclude(
        parent=None
    )
    assert all(c.icvac_rollup in {"1", "2", "3", "4", "5", "9"} for c in subs)
    assert category("family.general").icvac_rollup == ""


def test_country_extensions_roll_up_to_chi_categories(places):
    sextortion = category("violence.online_harms.sextortion")
    assert not sextortion.is_chi
    assert sextortion.main.code == "violence"
    assert sextortion.reports_under.code == "violence.online_csea"
    assert sextortion.icvac_rollup == "3"
    jockey = category("violence.child_labour.jockey")
    assert jockey.reports_under.code == "violence.child_labour"
    assert jockey.icvac_rollup == "9"  # inherited from child labour
    assert category_harms(jockey) == ["icvac9", "jockey_injury"]
    assert category_harms(category("violence.child_labour.mining")) == ["icvac9", "child_labour"]


def test_an_administrators_extension_rolls_up_through_the_parent_chain(places, admin_user):
    parent = category("violence.online_harms")
    node = category_add(
        actor=admin_user,
        parent=parent,
        slug="deepfake",
        label_mn="Хуурамч зураг, бичлэг",
        label_en="Deepfake images",
    )
    assert node.code == "violence.online_harms.deepfake"
    assert node.main.code == "violence"
    assert node.reports_under.code == "violence.other"  # as its parent is reported
    assert node.icvac_rollup == "9"
    deeper = category_add(
        actor=admin_user, parent=node, slug="school", label_mn="Сургууль", label_en="At school"
    )
    assert (deeper.depth, deeper.main.code, deeper.reports_under.code) == (
        3,
        "violence",
        "violence.other",
    )
    node = category_update(
        actor=admin_user,
        category=node,
        icvac_code="3",
        reports_as=category("violence.online_csea"),
    )
    deeper.refresh_from_db()
    assert (deeper.icvac_rollup, deeper.reports_under.code) == ("3", "violence.online_csea")
    assert AuditEvent.objects.filter(action="helpline.category_added").count() == 2
    assert AuditEvent.objects.filter(action="helpline.category_updated").exists()


def test_extensions_are_validated(places, admin_user):
    parent = category("violence")
    with pytest.raises(ValidationError):
        category_add(actor=admin_user, parent=parent, slug="Bad Slug!", label_mn="a", label_en="b")
    with pytest.raises(ValidationError):
        category_add(actor=admin_user, parent=parent, slug="physical", label_mn="a", label_en="b")
    with pytest.raises(ValidationError):
        category_add(
            actor=admin_user,
            parent=parent,
            slug="x_y",
            label_mn="a",
            label_en="b",
            reports_as=category("violence.online_harms"),  # not a CHI category
        )


def test_loading_again_changes_nothing_and_keeps_edits(places, admin_user):
    node = category("peer.friends")
    category_update(actor=admin_user, category=node, label_en="Friends")
    count, events = Category.objects.count(), AuditEvent.objects.count()
    assert load_taxonomy() == {"categories_created": 0}
    assert (Category.objects.count(), AuditEvent.objects.count()) == (count, events)
    assert category("peer.friends").label_en == "Friends"


def test_a_new_version_is_a_copy_and_becomes_current_only_when_activated(places, admin_user):
    old = current_version()
    new = taxonomy_version_create(actor=admin_user, code="chi-2026", label="2026", clone_from=old)
    assert current_version() == old
    assert (
        Category.objects.filter(version=new).count() == Category.objects.filter(version=old).count()
    )
    copied = Category.objects.get(version=new, code="violence.online_harms.sextortion")
    assert copied.reports_under.code == "violence.online_csea"
    assert copied.reports_under.version == new
    taxonomy_version_activate(actor=admin_user, version=new)
    assert current_version() == new
    assert TaxonomyVersion.objects.filter(is_current=True).count() == 1

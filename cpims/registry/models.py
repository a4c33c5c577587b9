import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.geo.models import Location


class Person(models.Model):
    """One real person: a child, a caregiver, a reporter or an alleged perpetrator.

    What a person is to a case or a contact comes from the records that link to them. The
    `*_key` columns are derived search and blocking keys (script-folded names, birth year),
    kept in typed, indexed columns so search and duplicate detection never scan the table.
    """

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")
        UNKNOWN = "U", _("Unknown")

    class Disability(models.TextChoices):
        NONE = "none", _("None known")
        PHYSICAL = "physical", _("Physical")
        SENSORY = "sensory", _("Sensory (sight, hearing)")
        INTELLECTUAL = "intellectual", _("Intellectual")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
        MULTIPLE = "multiple", _("Multiple")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(
        _("external id"), max_length=64, null=True, blank=True, unique=True
    )
    family_name = models.CharField(_("family (clan) name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100)
    other_names = models.CharField(_("other names"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    dob_estimated = models.BooleanField(_("date of birth is estimated"), default=False)
    registration_number = models.CharField(
        _("registration number"), max_length=10, null=True, blank=True, db_index=True
    )
    nationality = models.CharField(_("nationality"), max_length=2, default="MN", blank=True)
    disability = models.CharField(
        _("disability"), max_length=16, choices=Disability.choices, default=Disability.NONE
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("current location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.TextField(_("address"), blank=True)

    given_key = models.CharField(max_length=100, blank=True)
    given_phonetic = models.CharField(max_length=16, blank=True)
    patronymic_key = models.CharField(max_length=100, blank=True)
    patronymic_initial = models.CharField(max_length=4, blank=True)
    family_key = models.CharField(max_length=100, blank=True)
    birth_year = models.SmallIntegerField(null=True, blank=True)

    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["given_key", "id"]
        indexes = [
            models.Index(fields=["given_key", "birth_year"], name="person_given_year_idx"),
            models.Index(fields=["given_phonetic", "birth_year"], name="person_phon_year_idx"),
            models.Index(
                fields=["patronymic_initial", "given_phonetic"], name="person_patr_phon_idx"
            ),
            # Exact name then id order: a search reads its 50 rows and stops.
            models.Index(fields=["given_key", "id"], name="person_given_id_idx"),
            models.Index(fields=["location", "given_key"], name="person_place_given_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        patronymic = self.patronymic
        if patronymic and len(patronymic.rstrip(".")) == 1:
            patronymic = patronymic.rstrip(".") + "."
        return " ".join(part for part in [patronymic, self.given_name] if part)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class PersonPhone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone (E.164)"), max_length=16, db_index=True)
    as_typed = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="person_phone_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Relationship(models.Model):
    """`from_person` is the `kind` of `to_person` (e.g. A is the mother of B)."""

    class Kind(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        SIBLING = "sibling", _("Sibling")
        GRANDPARENT = "grandparent", _("Grandparent")
        GUARDIAN = "guardian", _("Guardian")
        FOSTER_CARER = "foster_carer", _("Foster carer")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        PARTNER = "partner", _("Partner")
        OTHER = "other", _("Other")

    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships_from"
    )
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(_("relationship"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person_id} {self.kind} of {self.to_person_id}"


class PersonMerge(models.Model):
    """A merge of `merged` into `survivor`, with exactly which rows moved, so it can be undone."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_won")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_lost")
    moved = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    merged_by_id = models.BigIntegerField(null=True)
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"merge {self.merged_id} → {self.survivor_id}"

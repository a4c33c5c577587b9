from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cpims.geo.models import Location


class BilingualName(models.Model):
    name_mn = models.CharField(_("name (Mongolian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "mn").startswith("en") else self.name_mn


class Role(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    requires_2fa = models.BooleanField(_("two-factor authentication required"), default=False)

    class Meta:
        ordering = ["code"]

    @cached_property
    def capability_codes(self) -> frozenset[str]:
        return frozenset(self.capabilities.values_list("code", flat=True))


class RoleCapability(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="capabilities")
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "code"], name="role_capability_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role.code}:{self.code}"


class Agency(BilingualName):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("National agency")
        AIMAG_DEPT = "aimag_dept", _("Aimag/district department")
        MDT = "mdt", _("Soum/khoroo multidisciplinary team")
        HELPLINE = "helpline", _("Helpline")
        NGO = "ngo", _("Non-governmental organisation")
        POLICE = "police", _("Police")
        HEALTH = "health", _("Health")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    location = models.ForeignKey(
        Location, verbose_name=_("area served"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "agencies"


class User(AbstractUser):
    role = models.ForeignKey(
        Role,
        verbose_name=_("role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    scope = models.ForeignKey(
        Location,
        verbose_name=_("location scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The user sees records in this place and everything inside it."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active or self.role_id is None:
            return frozenset()
        return self.role.capability_codes

    def has_capability(self, code: str) -> bool:
        scopes = getattr(self, "token_scopes", None)  # set when the request used an API token
        if scopes is not None and code not in scopes:
            return False
        return code in self.capabilities

    def in_scope(self, location: Location | None) -> bool:
        return bool(location and self.scope and self.scope.contains(location))


class TOTPDevice(models.Model):
    """An authenticator app enrolled for a user (RFC 6238, 30-second codes)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret_encrypted = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)  # a code is accepted once

    def __str__(self) -> str:
        return f"totp:{self.user_id}"


class RecoveryCode(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery:{self.user_id}"


class ApiToken(models.Model):
    """A bearer token for a person or an integration: scoped, expiring, revocable; only a hash
    of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("permissions"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

"""The people who do the work, their training and their professional supervision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.cases.models import Case
from cpims.geo.models import Location
from cpims.workforce.choices import Qualification, StaffKind, SupervisionKind, Topic

USER = settings.AUTH_USER_MODEL


class StaffMember(models.Model):
    """A post and the person in it (or a vacant post)."""

    user = models.OneToOneField(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_record"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(_("role"), max_length=16, choices=StaffKind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="staff"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("where they work"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    qualification = models.CharField(
        _("highest qualification"),
        max_length=16,
        choices=Qualification.choices,
        default=Qualification.NONE,
    )
    qualifications = models.TextField(_("qualifications"), blank=True)
    is_vacant = models.BooleanField(_("vacant post"), default=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["location__path", "kind", "name"]
        indexes = [
            models.Index(fields=["kind", "is_vacant", "ended_on"], name="staff_kind_idx"),
            models.Index(fields=["location", "kind"], name="staff_place_idx"),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Vacant post"))


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_mn = models.CharField(_("title (Mongolian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    curriculum = models.TextField(_("curriculum"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title_mn


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    location = models.ForeignKey(
        Location, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200)
    organiser = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["starts_on"], name="training_date_idx")]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_on}"


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="attendance")
    completed = models.BooleanField(_("completed"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="attendance_unique")
        ]
        indexes = [models.Index(fields=["staff", "completed"], name="attendance_staff_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id}@{self.session_id}"


class SupervisionSession(models.Model):
    """Professional supervision (Law on Child Protection, 2024 revision)."""

    supervisor = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="supervising"
    )
    worker = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="supervised")
    held_on = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=SupervisionKind.choices,
        default=SupervisionKind.INDIVIDUAL,
    )
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    cases = models.ManyToManyField(Case, blank=True, related_name="supervision_sessions")
    follow_up = models.TextField(_("follow-up points"), blank=True)
    next_on = models.DateField(_("next session"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["worker", "held_on"], name="supervision_worker_idx")]

    def __str__(self) -> str:
        return f"supervision {self.held_on}"

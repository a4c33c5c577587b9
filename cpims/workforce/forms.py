from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency, User
from cpims.cases.selectors import cases_visible_to
from cpims.geo.models import Location
from cpims.workforce.choices import StaffKind, SupervisionKind
from cpims.workforce.models import Course, StaffMember, TrainingSession
from cpims.workforce.selectors import staff_editable_by

DATE = forms.DateInput(attrs={"type": "date"})


def place_field(label):
    return forms.ModelChoiceField(
        label=label,
        queryset=Location.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.TextInput,
        help_text=_("Place code, e.g. 2101 or 110751"),
    )


class StaffForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label=_("User account"),
        queryset=User.objects.filter(is_active=True),
        to_field_name="username",
        widget=forms.TextInput,
        required=False,
        help_text=_("Username, if the person signs in to CPIMS"),
    )
    location = place_field(_("Where they work"))

    class Meta:
        model = StaffMember
        fields = [
            "is_vacant",
            "name",
            "user",
            "kind",
            "agency",
            "location",
            "position",
            "started_on",
            "ended_on",
            "qualification",
            "qualifications",
            "phone",
        ]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "qualifications": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        if manager is not None and manager.scope_id:
            self.fields["location"].queryset = Location.objects.filter(
                is_active=True, path__startswith=manager.scope.path
            )


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["code", "title_mn", "title_en", "topic", "hours", "curriculum"]
        widgets = {"curriculum": forms.Textarea(attrs={"rows": 3})}


class SessionForm(forms.ModelForm):
    location = place_field(_("Place"))

    class Meta:
        model = TrainingSession
        fields = ["course", "starts_on", "ends_on", "location", "venue", "trainer", "organiser"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True)


class AttendanceForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(label=_("Participants"), queryset=StaffMember.objects)
    completed = forms.BooleanField(label=_("Completed the course"), required=False, initial=True)

    def __init__(self, *args, manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_editable_by(manager).filter(is_vacant=False)


class SupervisionForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=StaffMember.objects)
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=StaffMember.objects)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionKind.choices)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, initial=60)
    cases = forms.CharField(
        label=_("Cases discussed"),
        required=False,
        help_text=_("Case numbers separated by commas"),
    )
    follow_up = forms.CharField(
        label=_("Follow-up points"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_on = forms.DateField(label=_("Next session"), required=False, widget=DATE)

    def __init__(self, *args, manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        people = staff_editable_by(manager).filter(is_vacant=False)
        self.fields["supervisor"].queryset = people
        self.fields["worker"].queryset = people.filter(kind=StaffKind.SOCIAL_WORKER)

    def clean_cases(self):
        numbers = [
            n.strip() for n in (self.cleaned_data.get("cases") or "").split(",") if n.strip()
        ]
        found = list(cases_visible_to(self.manager).filter(number__in=numbers))
        missing = sorted(set(numbers) - {c.number for c in found})
        if missing:
            raise forms.ValidationError(
                _("No case you can see has the number %(n)s") % {"n": ", ".join(missing)}
            )
        return found

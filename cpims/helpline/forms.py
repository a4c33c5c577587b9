from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.cases.choices import Harm
from cpims.helpline.choices import Icvac
from cpims.helpline.models import Category


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{'— ' * obj.depth}{obj.label} ({obj.code})"


def _nodes(version, *, chi_only: bool = False):
    nodes = Category.objects.filter(version=version)
    if chi_only:
        nodes = nodes.filter(is_chi=True)
    return nodes.order_by("sort", "code")


class CategoryAddForm(forms.Form):
    parent = CategoryChoice(label=_("Under"), queryset=Category.objects.none())
    slug = forms.SlugField(
        label=_("Code"),
        max_length=30,
        help_text=_("Short, Latin letters: it is added to the parent's code."),
    )
    label_mn = forms.CharField(label=_("Label (Mongolian)"), max_length=200)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200)
    icvac_code = forms.ChoiceField(
        label=_("ICVAC category"),
        choices=[("", _("As the parent")), *Icvac.choices],
        required=False,
    )
    harm = forms.ChoiceField(
        label=_("Case harm"), choices=[("", _("As the parent")), *Harm.choices], required=False
    )
    reports_as = CategoryChoice(
        label=_("Reported in CHI as"),
        queryset=Category.objects.none(),
        required=False,
        help_text=_("Leave empty to report it as its parent is reported."),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _nodes(version)
        self.fields["reports_as"].queryset = _nodes(version, chi_only=True)


class CategoryEditForm(forms.Form):
    label_mn = forms.CharField(label=_("Label (Mongolian)"), max_length=200)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200)
    icvac_code = forms.ChoiceField(
        label=_("ICVAC category"),
        choices=[("", _("As the parent")), *Icvac.choices],
        required=False,
    )
    harm = forms.ChoiceField(
        label=_("Case harm"), choices=[("", _("As the parent")), *Harm.choices], required=False
    )
    reports_as = CategoryChoice(
        label=_("Reported in CHI as"), queryset=Category.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Offered on the contact form"), required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_as"].queryset = _nodes(version, chi_only=True)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def default(cls):
        today = timezone.localdate()
        return cls({"start": today - timedelta(days=27), "end": today})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start is after the end."))
        return data


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2014, max_value=2100)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])

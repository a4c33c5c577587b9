from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.finance.choices import FundingSource, Programme, Quarter
from cpims.finance.models import AreaMultiplier, BudgetLine, BudgetTotal, ChildPopulation, UnitCost
from cpims.finance.money import ZERO

DATE = forms.DateInput(attrs={"type": "date"})
MONEY_HELP = _("Tögrög; a point before möngö, e.g. 1250000 or 1250000.50")


def this_year() -> int:
    return timezone.localdate().year


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.name}"


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("Until"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class GapForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    q_from = forms.TypedChoiceField(
        label=_("From quarter"), choices=Quarter.choices, coerce=int, initial=1
    )
    q_to = forms.TypedChoiceField(
        label=_("To quarter"), choices=Quarter.choices, coerce=int, initial=4
    )

    def clean(self):
        data = super().clean()
        if data.get("q_from") and data.get("q_to") and data["q_to"] < data["q_from"]:
            raise forms.ValidationError(_("The last quarter is before the first."))
        return data


class BudgetFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    source = forms.ChoiceField(
        label=_("Funding source"), required=False, choices=[("", _("Any")), *FundingSource.choices]
    )
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", _("Any")), *Programme.choices]
    )
    place = forms.CharField(label=_("Place (code)"), required=False, max_length=16)


class BudgetLineForm(forms.ModelForm):
    location = PlaceChoiceField(label=_("Administrative unit"), queryset=None)

    class Meta:
        model = BudgetLine
        fields = ["year", "source", "programme", "location", "approved", "released", "spent"]
        fields += ["notes"]
        help_texts = {"approved": MONEY_HELP}

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places.order_by("path")
        for name in ("released", "spent"):
            self.fields[name].required = False
        if self.instance.pk and self.instance.executions.exists():
            for name in ("released", "spent"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("The sum of the quarterly entries below.")

    def clean_released(self):
        return self.cleaned_data.get("released") or ZERO

    def clean_spent(self):
        return self.cleaned_data.get("spent") or ZERO


class QuartersForm(forms.Form):
    """Released and spent for each quarter; a quarter left empty has no entry."""

    def __init__(self, *args, line: BudgetLine, **kwargs):
        super().__init__(*args, **kwargs)
        current = {e.quarter: e for e in line.executions.all()}
        for quarter, label in Quarter.choices:
            for kind, kind_label in (("released", _("released")), ("spent", _("spent"))):
                entry = current.get(quarter)
                self.fields[f"q{quarter}_{kind}"] = forms.DecimalField(
                    label=f"{label} {kind_label}",
                    required=False,
                    min_value=0,
                    max_digits=18,
                    decimal_places=2,
                    initial=getattr(entry, kind) if entry else None,
                )

    def quarters(self) -> dict:
        result = {}
        for quarter in Quarter.values:
            released = self.cleaned_data.get(f"q{quarter}_released")
            spent = self.cleaned_data.get(f"q{quarter}_spent")
            if released is None and spent is None:
                result[quarter] = None
            else:
                result[quarter] = (released or 0, spent or 0)
        return result


class UnitCostForm(forms.ModelForm):
    class Meta:
        model = UnitCost
        fields = ["service_type", "unit", "amount", "valid_from", "valid_to", "referral_units"]
        fields += ["notes"]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def validate_unique(self):
        """Overlaps are checked by the service, which names the clashing periods."""


class MultiplierForm(forms.ModelForm):
    location = PlaceChoiceField(label=_("Area"), queryset=None)

    class Meta:
        model = AreaMultiplier
        fields = ["location", "service_type", "factor", "valid_from", "valid_to", "notes"]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places.order_by("path")


class PopulationForm(forms.ModelForm):
    location = PlaceChoiceField(label=_("Area"), queryset=None)

    class Meta:
        model = ChildPopulation
        fields = ["location", "year", "children", "source"]

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places.order_by("path")


class BudgetTotalForm(forms.ModelForm):
    class Meta:
        model = BudgetTotal
        fields = ["year", "amount", "source"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV in UTF-8, or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

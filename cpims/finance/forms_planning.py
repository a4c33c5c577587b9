from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.finance.forms import DATE, PlaceChoiceField
from cpims.finance.models import AllocationProposal, Scenario, ScenarioArea, ScenarioMix

# Editable starting points, not norms: a social worker's and a supervisor's yearly cost.
DEFAULT_WORKER_COST = Decimal("24000000")
DEFAULT_SUPERVISOR_COST = Decimal("30000000")


class ScenarioForm(forms.ModelForm):
    parent = PlaceChoiceField(label=_("Costed area"), queryset=None)
    copy_from = forms.ModelChoiceField(
        label=_("Copy the assumptions of"),
        queryset=None,
        required=False,
        help_text=_("Empty: start from the case, delivery, population and unit-cost data."),
    )

    class Meta:
        model = Scenario
        fields = [
            "name",
            "description",
            "parent",
            "start_year",
            "horizon",
            "inflation",
            "cases_per_worker",
            "workers_per_supervisor",
            "worker_salary",
            "supervisor_salary",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, places, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = places.filter(level__in=["country", "aimag"])
        if self.instance.pk:
            del self.fields["copy_from"]
            self.fields["parent"].disabled = True
        else:
            self.fields["copy_from"].queryset = scenarios
            self.initial.setdefault("start_year", timezone.localdate().year + 1)
            self.initial.setdefault("worker_salary", DEFAULT_WORKER_COST)
            self.initial.setdefault("supervisor_salary", DEFAULT_SUPERVISOR_COST)
            self.initial.setdefault("inflation", Decimal("7"))


class _RowForm(forms.ModelForm):
    """A table row: each input is labelled by its row and column for screen readers."""

    def row_label(self) -> str:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{self.row_label()} · {field.label}"


class AreaRowForm(_RowForm):
    class Meta:
        model = ScenarioArea
        fields = ["children", "growth", "cases_per_1000", "multiplier"]

    def row_label(self) -> str:
        return str(self.instance.location) if self.instance.location_id else ""


class MixRowForm(_RowForm):
    class Meta:
        model = ScenarioMix
        fields = ["units_per_case", "unit_cost"]

    def row_label(self) -> str:
        return str(self.instance.get_service_type_display())


AreaFormSet = modelformset_factory(ScenarioArea, form=AreaRowForm, extra=0, can_delete=False)
MixFormSet = modelformset_factory(ScenarioMix, form=MixRowForm, extra=0, can_delete=False)


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Scenario A"), queryset=None)
    b = forms.ModelChoiceField(label=_("Scenario B"), queryset=None)

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = scenarios
        self.fields["b"].queryset = scenarios


class AllocationForm(forms.ModelForm):
    parent = PlaceChoiceField(label=_("Distribute across the areas inside"), queryset=None)

    class Meta:
        model = AllocationProposal
        fields = ["name", "parent", "year", "envelope", "cases_from", "cases_to"]
        widgets = {"cases_from": DATE, "cases_to": DATE}
        help_texts = {"envelope": _("Whole tögrög.")}

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = places.filter(level__in=["country", "aimag"])
        today = timezone.localdate()
        self.initial.setdefault("year", today.year + 1)
        self.initial.setdefault("cases_from", date(today.year - 1, 1, 1))
        self.initial.setdefault("cases_to", today - timedelta(days=1))

    def clean(self):
        data = super().clean()
        if (
            data.get("cases_from")
            and data.get("cases_to")
            and data["cases_to"] < data["cases_from"]
        ):
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class WeightsForm(forms.Form):
    recount = forms.BooleanField(label=_("Count the cases again"), required=False)

    def __init__(self, *args, shares, **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = list(shares)
        for share in self.shares:
            self.fields[f"w{share.pk}"] = forms.DecimalField(
                label=str(share.location),
                min_value=0,
                max_value=10,
                max_digits=5,
                decimal_places=2,
                initial=share.weight,
                widget=forms.NumberInput(
                    attrs={
                        "aria-label": f"{share.location} · {_('quality weight')}",
                        "step": "0.01",
                    }
                ),
            )

    def weights(self) -> dict[int, Decimal]:
        return {share.pk: self.cleaned_data[f"w{share.pk}"] for share in self.shares}

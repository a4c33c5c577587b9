"""Forms for the domestic-violence steps on a case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.justice.choices import AssessmentKind, DangerLevel, IssuingBody, OrderKind, StayReason
from cpims.justice.forms import DATE, TEXT, CaseForm
from cpims.justice.models import ProtectionOrder, ShelterStay
from cpims.referrals.choices import ServiceType
from cpims.referrals.models import Service
from cpims.registry.models import Person


class AssessmentForm(CaseForm):
    kind = forms.ChoiceField(label=_("Assessment"), choices=AssessmentKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=DangerLevel.choices)
    assessed_on = forms.DateField(label=_("Date"), widget=DATE)
    assessed_by = forms.CharField(label=_("Assessed by"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class OrderForm(CaseForm):
    kind = forms.ChoiceField(label=_("Type"), choices=OrderKind.choices)
    issuing_body = forms.ChoiceField(label=_("Issued by"), choices=IssuingBody.choices)
    issuer_name = forms.CharField(label=_("Issuing court or unit"), required=False)
    number = forms.CharField(label=_("Order number"), required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    starts_on = forms.DateField(label=_("In force from"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=TEXT)


class OrderChangeForm(CaseForm):
    order = forms.ModelChoiceField(label=_("Order"), queryset=ProtectionOrder.objects)
    expires_on = forms.DateField(label=_("New expiry"), required=False, widget=DATE)
    revoked_on = forms.DateField(label=_("Revoked on"), required=False, widget=DATE)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=TEXT)

    def clean_conditions(self):
        return self.cleaned_data.get("conditions") or None


class ViolationForm(CaseForm):
    order = forms.ModelChoiceField(label=_("Order"), queryset=ProtectionOrder.objects)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("What happened"), widget=TEXT)
    reported_to = forms.CharField(label=_("Reported to"), required=False)
    action_taken = forms.CharField(label=_("Action taken"), required=False, widget=TEXT)


class StayAdmitForm(CaseForm):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Person.objects)
    service = forms.ModelChoiceField(
        label=_("Shelter or one-stop centre"),
        queryset=Service.objects.filter(
            service_type__in=[ServiceType.SHELTER, ServiceType.ONE_STOP], is_active=True
        ),
    )
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=StayReason.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

    def limit(self, name, queryset):
        if queryset.model is Service:
            return queryset  # the directory is public
        return super().limit(name, queryset)


class StayDischargeForm(CaseForm):
    stay = forms.ModelChoiceField(
        label=_("Stay"), queryset=ShelterStay.objects.filter(discharged_on__isnull=True)
    )
    discharged_on = forms.DateField(label=_("Discharged on"), widget=DATE)
    discharged_to = forms.CharField(label=_("Discharged to"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

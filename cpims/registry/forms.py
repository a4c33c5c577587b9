from datetime import date

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.geo.models import Location
from cpims.registry.models import Person, Relationship
from cpims.registry.services import PersonInput


class PersonForm(forms.Form):
    family_name = forms.CharField(label=_("Family (clan) name"), max_length=100, required=False)
    patronymic = forms.CharField(
        label=_("Patronymic"),
        max_length=100,
        required=False,
        help_text=_("Father's or mother's name, or its initial (Б.)"),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    other_names = forms.CharField(label=_("Other names"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age_years = forms.IntegerField(
        label=_("Or age in years (estimated)"), required=False, min_value=0, max_value=120
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=20,
        required=False,
        help_text=_("Two letters and eight digits, e.g. УК03271614"),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        max_length=200,
        help_text=_("Separate several numbers with commas"),
    )
    location = forms.ModelChoiceField(label=_("Current location"), queryset=Location.objects.none())
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    nationality = forms.CharField(
        label=_("Nationality (country code)"), max_length=2, initial="MN", required=False
    )
    disability = forms.ChoiceField(
        label=_("Disability"), choices=Person.Disability.choices, initial=Person.Disability.NONE
    )
    languages = forms.CharField(label=_("Languages"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirmed_new = forms.BooleanField(
        label=_("I checked the possible matches: none of them is this person"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        inside = user.scope.path if user.scope_id else "-"
        self.fields["location"].queryset = Location.objects.filter(
            path__startswith=inside
        ).order_by("path")
        if user.scope_id:
            self.fields["location"].initial = user.scope_id
        self.fields["registration_number"].widget.attrs.update(
            {
                "hx-get": reverse("registry:regno_check"),
                "hx-trigger": "change",
                "hx-target": "#regno-info",
                "autocomplete": "off",
            }
        )

    def clean(self):
        data = super().clean()
        if data.get("date_of_birth") and data["date_of_birth"] > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth is in the future."))
        return data

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        dob, estimated = data.get("date_of_birth"), False
        if dob is None and data.get("age_years") is not None:
            today = timezone.localdate()
            dob, estimated = date(today.year - data["age_years"], 7, 1), True
        return PersonInput(
            given_name=data["given_name"],
            patronymic=data.get("patronymic", ""),
            family_name=data.get("family_name", ""),
            other_names=data.get("other_names", ""),
            sex=data["sex"],
            date_of_birth=dob,
            dob_estimated=estimated,
            registration_number=data.get("registration_number", ""),
            nationality=(data.get("nationality") or "MN").upper(),
            disability=data["disability"],
            languages=data.get("languages", ""),
            location=data["location"],
            address=data.get("address", ""),
            phones=[
                p for p in (data.get("phones") or "").replace(";", ",").split(",") if p.strip()
            ],
        )

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {
            "family_name": person.family_name,
            "patronymic": person.patronymic,
            "given_name": person.given_name,
            "other_names": person.other_names,
            "sex": person.sex,
            "date_of_birth": None if person.dob_estimated else person.date_of_birth,
            "age_years": (timezone.localdate().year - person.date_of_birth.year)
            if person.dob_estimated and person.date_of_birth
            else None,
            "registration_number": person.registration_number or "",
            "phones": ", ".join(p.as_typed or p.number for p in person.phones.all()),
            "location": person.location_id,
            "address": person.address,
            "nationality": person.nationality,
            "disability": person.disability,
            "languages": person.languages,
            "version": person.version,
        }


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, registration number or phone"), required=False, max_length=100
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    place = forms.CharField(label=_("Place code"), required=False, max_length=16)


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label=_("is the … of this person"), choices=Relationship.Kind.choices)
    other = forms.IntegerField(label=_("Person id"), min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

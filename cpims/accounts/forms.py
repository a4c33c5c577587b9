from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from cpims.accounts.capabilities import CAPABILITIES
from cpims.accounts.models import Agency, Role, User
from cpims.geo.models import Location


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def authenticate(self):
        data = self.cleaned_data
        self.user = authenticate(self.request, username=data["username"], password=data["password"])
        return self.user


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "agency",
            "scope",
            "is_active",
        ]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        inside = actor.scope.path if actor.scope_id else "-"
        self.fields["scope"].queryset = Location.objects.filter(path__startswith=inside)
        self.fields["agency"].queryset = Agency.objects.filter(location__path__startswith=inside)
        self.fields["scope"].required = True
        self.fields["role"].required = True


class NewUserForm(UserForm):
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    confirm = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("confirm"):
            self.add_error("confirm", _("The two passwords differ."))
        return data


class OwnPasswordForm(SetPasswordForm):
    current = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current", "password", "confirm"]

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current(self):
        if not self.user.check_password(self.cleaned_data["current"]):
            raise forms.ValidationError(_("The current password is wrong."))
        return self.cleaned_data["current"]


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name_mn",
            "name_en",
            "kind",
            "location",
            "parent",
            "phone",
            "email",
            "is_active",
        ]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        inside = actor.scope.path if actor.scope_id else "-"
        self.fields["location"].queryset = Location.objects.filter(path__startswith=inside)


class RoleForm(forms.ModelForm):
    capabilities = forms.MultipleChoiceField(
        label=_("Permissions"),
        choices=list(CAPABILITIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Role
        fields = ["code", "name_mn", "name_en", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["capabilities"].initial = sorted(self.instance.capability_codes)

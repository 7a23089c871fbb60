from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from virage.accounts.models import Role
from virage.core.forms import QuebecDecimalField, label_empty_choices
from virage.geography.models import Region
from virage.organizations.forms import OrganizationForm, OrganizationsField
from virage.organizations.models import Consent

from .models import Indicator, Program
from .services import PROGRAM_FIELDS


def _style(form):
    label_empty_choices(form)
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
        field.widget.attrs.setdefault("class", css)


class ProgramForm(forms.ModelForm):
    operator = OrganizationsField(label=_("Operator"), multiple=False)
    partners = OrganizationsField(label=_("Partners"), required=False)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions covered"),
        queryset=Region.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a province-wide program."),
    )

    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = organizations
        self.fields["partners"].queryset = organizations
        if self.instance.pk:
            self.fields["operator"].initial = self.instance.operator_id
            self.fields["partners"].initial = list(self.instance.partners.all())
            self.fields["regions"].initial = self.instance.regions.all()
        _style(self)

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROGRAM_FIELDS if name in self.cleaned_data}


class TargetsForm(forms.Form):
    """One optional value per indicator."""

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        current = {target.indicator: target for target in program.targets.all()}
        for code, label in Indicator.choices:
            self.fields[code] = QuebecDecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=current[code].value.normalize() if code in current else None,
            )
        _style(self)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions (regional coordinator)"), queryset=Region.objects.order_by("code"), required=False
    )
    organizations = OrganizationsField(label=_("Organizations (coach or organization contact)"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        _style(self)


class RegistrationOrganizationForm(OrganizationForm):
    class Meta(OrganizationForm.Meta):
        fields = [
            "kind",
            "legal_name",
            "usual_name",
            "neq",
            "charity_number",
            "address",
            "postal_code",
            "municipality",
            "sector",
            "employees_band",
            "website",
        ]


class RegistrationContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("You will receive a link to choose your password."))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    role_title = forms.CharField(label=_("Your role in the organization"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name == "preferred_language" else "form-control")
        for name in ("first_name", "last_name", "email", "phone", "role_title"):
            self.fields[name].widget.attrs["autocomplete"] = {
                "first_name": "given-name",
                "last_name": "family-name",
                "email": "email",
                "phone": "tel",
                "role_title": "organization-title",
            }[name]


class ConsentForm(forms.Form):
    """One unticked box per purpose (Law 25)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Consent.Purpose.choices:
            self.fields[code] = forms.BooleanField(label=label, required=False, initial=False)

    def answers(self) -> dict[str, bool]:
        return {code: bool(self.cleaned_data.get(code)) for code in Consent.Purpose.values}


class ProgramChoiceRegistrationForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].widget.attrs["class"] = "form-select"
        label_empty_choices(self)
        if len(programs) == 1:
            self.fields["program"].initial = programs[0]

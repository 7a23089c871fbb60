"""The public registration form: the person, and their organization found by NEQ or name, or declared new."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from virage.core.text import fold
from virage.organizations.forms import MunicipalityField
from virage.organizations.identifiers import normalize_neq
from virage.organizations.models import Organization

ORGANIZATION_REQUIRED = _("Give the name or the NEQ of your organization.")
MUNICIPALITY_REQUIRED = _("Give the municipality of your organization.")
KIND_REQUIRED = _("Choose the kind of your organization.")
NEQ_NOT_FOUND = _("No registered organization has this NEQ. Check it, or tick “My organization is not registered yet”.")
NAME_NOT_FOUND = _(
    "No registered organization has this exact name in this municipality. Check the spelling, give its NEQ, "
    "or tick “My organization is not registered yet”."
)
NEW_ORGANIZATION_NEEDS_NAME = _("Give the legal name of your organization, not its NEQ.")
FOUND_BY_NEQ = _("Found: %(name)s.")


def _looks_like_neq(text: str) -> bool:
    digits = text.replace(" ", "").replace("-", "")
    return len(digits) == 10 and digits.isdigit()


def find_by_neq(text: str) -> Organization | None:
    try:
        neq = normalize_neq(text)
    except ValidationError:
        return None
    return Organization.objects.exclude(status=Organization.Status.ARCHIVED).filter(neq=neq).first()


def find_by_exact_name(text: str, municipality) -> Organization | None:
    """The organization whose legal or usual name is exactly ``text`` (folded) in ``municipality``."""
    folded = fold(text)
    if not folded:
        return None
    # name_folded holds "usual legal" when both exist: the index narrows, Python decides exactly.
    candidates = (
        Organization.objects.exclude(status=Organization.Status.ARCHIVED)
        .filter(municipality=municipality, name_folded__contains=folded)
        .only("pk", "legal_name", "usual_name", "status")[:50]
    )
    for candidate in candidates:
        if folded in (fold(candidate.legal_name), fold(candidate.usual_name)):
            return candidate
    return None


class PublicRegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language of the e-mails you will receive"), choices=settings.LANGUAGES, initial="fr"
    )
    organization = forms.CharField(
        label=_("Your organization"),
        max_length=255,
        help_text=_("Its Quebec enterprise number (NEQ, 10 digits), or its exact name."),
    )
    organization_municipality = MunicipalityField(
        label=_("Municipality of your organization"),
        required=False,
        help_text=_("Needed unless you give the NEQ. Type the first letters, then choose it in the list."),
    )
    is_new_organization = forms.BooleanField(
        label=_("My organization is not registered yet"),
        required=False,
        help_text=_("Your organization will be registered for the program team to validate."),
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organization (if not registered yet)"),
        choices=[("", "—"), *Organization.Kind.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found_message = ""
        autocomplete = {"first_name": "given-name", "last_name": "family-name", "email": "email"}
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if name in autocomplete:
                field.widget.attrs["autocomplete"] = autocomplete[name]
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("organization") or "").strip()
        municipality = cleaned.get("organization_municipality")
        cleaned["existing_organization"] = None
        cleaned["new_organization"] = None
        if not text:
            return cleaned
        if cleaned.get("is_new_organization"):
            self._clean_new(text, municipality, cleaned)
        elif _looks_like_neq(text):
            organization = find_by_neq(text)
            if organization is None:
                self.add_error("organization", NEQ_NOT_FOUND)
            else:
                cleaned["existing_organization"] = organization
                # An exact NEQ is the only case where the public is told which organization it is.
                self.found_message = FOUND_BY_NEQ % {"name": organization.display_name}
        elif "organization_municipality" in self.errors:
            pass
        elif municipality is None:
            self.add_error("organization_municipality", MUNICIPALITY_REQUIRED)
        else:
            organization = find_by_exact_name(text, municipality)
            if organization is None:
                self.add_error("organization", NAME_NOT_FOUND)
            else:
                cleaned["existing_organization"] = organization
        return cleaned

    def _clean_new(self, text, municipality, cleaned) -> None:
        if _looks_like_neq(text):
            self.add_error("organization", NEW_ORGANIZATION_NEEDS_NAME)
        if municipality is None and "organization_municipality" not in self.errors:
            self.add_error("organization_municipality", MUNICIPALITY_REQUIRED)
        if not cleaned.get("organization_kind"):
            self.add_error("organization_kind", KIND_REQUIRED)
        if not self.errors:
            cleaned["new_organization"] = {
                "legal_name": text,
                "kind": cleaned["organization_kind"],
                "municipality": municipality,
            }

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from virage.core.forms import label_empty_choices
from virage.geography.models import Mrc, Municipality, Region
from virage.geography.selectors import find_municipalities

from .models import Organization, Person
from .services import ORGANIZATION_FIELDS, PERSON_FIELDS

MUNICIPALITY_UNKNOWN = _("No Quebec municipality has this name. Choose one from the suggestions.")
MUNICIPALITY_AMBIGUOUS = _(
    "Several municipalities have this name: choose the one with its code, for example %(example)s."
)


class MunicipalityField(forms.CharField):
    """A municipality typed by name (accents optional) or chosen in the list as "Name (code)"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 160)
        super().__init__(**kwargs)
        # virage.js turns this into an autocomplete (a <datalist> filled by the geography app).
        self.widget.attrs.update(
            {
                "list": "municipality-options",
                "autocomplete": "off",
                "data-municipality-search": reverse_lazy("geography:municipality_search"),
            }
        )

    def prepare_value(self, value):
        if isinstance(value, Municipality):
            return f"{value.name} ({value.code})"
        if isinstance(value, int):
            municipality = Municipality.objects.filter(pk=value).first()
            return f"{municipality.name} ({municipality.code})" if municipality else ""
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        code = ""
        if text.endswith(")") and "(" in text:
            text, _sep, code = text[:-1].rpartition("(")
            code = code.strip()
        candidates = list(find_municipalities(code or text))
        if not candidates:
            raise forms.ValidationError(MUNICIPALITY_UNKNOWN, code="municipality_unknown")
        if len(candidates) > 1:
            example = f"{candidates[0].name} ({candidates[0].code})"
            raise forms.ValidationError(MUNICIPALITY_AMBIGUOUS % {"example": example}, code="municipality_ambiguous")
        return candidates[0]


class OrganizationForm(forms.ModelForm):
    municipality = MunicipalityField(
        label=_("Municipality"), help_text=_("Type the first letters, then choose it in the list.")
    )
    # Identifiers are checked by the service, so their messages are the same in the UI, API and imports.
    neq = forms.CharField(
        label=_("Quebec enterprise number (NEQ)"), required=False, max_length=20, help_text=_("10 digits.")
    )
    charity_number = forms.CharField(
        label=_("Charity registration number"),
        required=False,
        max_length=25,
        help_text=_("For example 123456782 RR 0001."),
    )
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=10)

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        widgets = {"mission": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def _post_clean(self):
        # Validation of the whole instance happens in the service; only per-field parsing happens here.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ORGANIZATION_FIELDS if name in self.cleaned_data}


class ProgramChoiceForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)

    def __init__(self, *args, programs, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff only see the organizations of their programs and regions, so what they register
        # joins one of their programs; platform administrators may register outside any program.
        self.fields["program"].queryset = programs
        self.fields["program"].required = required
        self.fields["program"].widget.attrs["class"] = "form-select"
        label_empty_choices(self)
        if len(programs) == 1:
            self.fields["program"].initial = programs[0]


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)
        for name, field in self.fields.items():
            if name == "is_primary":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PERSON_FIELDS if name in self.cleaned_data}


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, NEQ or charity number"), required=False, max_length=100)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("code"), required=False)
    mrc = forms.ModelChoiceField(label=_("MRC"), queryset=Mrc.objects.order_by("name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All"))] + Organization.Kind.choices, required=False)
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Not archived"))] + Organization.Status.choices,
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("name", _("Name (A to Z)")),
            ("-name", _("Name (Z to A)")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("region", _("Region")),
            ("municipality", _("Municipality")),
        ],
        required=False,
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["region"].empty_label = _("All")
        self.fields["mrc"].empty_label = _("All")
        self.fields["program"].empty_label = _("All")
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "region_id": data["region"].pk if data.get("region") else None,
            "mrc_id": data["mrc"].pk if data.get("mrc") else None,
            "kind": data.get("kind") or "",
            "program_id": data["program"].pk if data.get("program") else None,
            "status": data.get("status") or "",
            "sort": data.get("sort") or "name",
        }


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Existing organization (number)"), min_value=1)


ORGANIZATION_NOT_FOUND = _("No organization you can see has the number or NEQ %(value)s.")


class OrganizationsField(forms.CharField):
    """Organizations given by their Virage number or NEQ, separated by commas.

    A text field rather than a list: a province-wide registry holds far too many organizations for
    a drop-down. The numbers are shown on each organization's page and in the exports.
    """

    def __init__(self, *, queryset=None, multiple: bool = True, **kwargs):
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault(
            "help_text",
            _("Organization numbers or NEQs, separated by commas.") if multiple else _("Organization number or NEQ."),
        )
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Organization.objects.none()
        self.multiple = multiple

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return str(value.pk)
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return ", ".join(str(item.pk if isinstance(item, Organization) else item) for item in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        tokens = [token.strip() for token in text.replace(";", ",").split(",") if token.strip()]
        if not self.multiple and len(tokens) > 1:
            raise forms.ValidationError(_("Give a single organization."), code="single")
        organizations = []
        for token in tokens:
            digits = "".join(char for char in token if char.isdigit())
            found = None
            if len(digits) == 10:
                found = self.queryset.filter(neq=digits).first()
            if found is None and digits and len(digits) <= 18:
                found = self.queryset.filter(pk=int(digits)).first()
            if found is None:
                raise forms.ValidationError(ORGANIZATION_NOT_FOUND % {"value": token[:20]}, code="not_found")
            organizations.append(found)
        if self.multiple:
            return organizations
        return organizations[0] if organizations else None

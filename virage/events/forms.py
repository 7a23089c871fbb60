"""Forms of the staff pages of events: they parse input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from virage.core.errors import parse_id
from virage.core.forms import label_empty_choices
from virage.geography.models import Region
from virage.organizations.forms import MunicipalityField
from virage.organizations.identifiers import normalize_neq
from virage.organizations.models import Organization

from .models import Event, EventSeries, Topic
from .permissions import can_place_event
from .selectors import WHEN_CHOICES
from .services import EVENT_FIELDS

# Browsers send "2026-11-23T13:30" from <input type="datetime-local">; the time is Montreal's.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
PLACE_REQUIRED = _("Give an online link, or a municipality where the event takes place.")
TOPIC_OF_OTHER_PROGRAM = _("Choose topics of the event's program.")
SERIES_OF_OTHER_PROGRAM = _("Choose a series of the event's program.")
REGION_CONFLICTS_WITH_MUNICIPALITY = _("The region must be the municipality's region, or stay empty.")
DEADLINE_AFTER_END = _("The registration deadline must come before the end of the event.")
ORGANIZATION_UNKNOWN = _("No organization you work with has this number or NEQ.")
ATTENDED_VALUES = {"1": True, "0": False}


class MontrealDateTimeField(forms.DateTimeField):
    """A date and time typed in a datetime-local input, read in the active time zone (Montreal)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)


class EventForm(forms.ModelForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)
    starts_at = MontrealDateTimeField(label=_("Start"), help_text=_("Montreal time."))
    ends_at = MontrealDateTimeField(label=_("End"), help_text=_("Montreal time."))
    registration_deadline = MontrealDateTimeField(
        label=_("Registration deadline"), required=False, help_text=_("Empty: until the event ends.")
    )
    municipality = MunicipalityField(
        label=_("Municipality"),
        required=False,
        help_text=_("Where the event takes place. Type the first letters, then choose it in the list."),
    )
    region = forms.ModelChoiceField(
        label=_("Region served"),
        queryset=Region.objects.order_by("code"),
        required=False,
        help_text=_("For an online event meant for one region. Empty with no municipality: province-wide."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    series = forms.ModelChoiceField(label=_("Series"), queryset=EventSeries.objects.none(), required=False)

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, "topics"]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            # An event stays in its program: its registrations and reach belong to it.
            del self.fields["program"]
            program_ids = [self.instance.program_id]
        else:
            self.fields["program"].queryset = programs
            program_ids = [program.pk for program in programs]
            if len(program_ids) == 1:
                self.fields["program"].initial = program_ids[0]
        self.fields["topics"].queryset = Topic.objects.filter(program_id__in=program_ids).select_related("program")
        self.fields["series"].queryset = EventSeries.objects.filter(program_id__in=program_ids)
        label_empty_choices(self)
        self.fields["region"].empty_label = _("Province-wide, or the municipality's region")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    @property
    def chosen_program(self):
        if self.instance.pk:
            return self.instance.program
        return self.cleaned_data.get("program")

    def clean(self):
        data = super().clean()
        program = self.chosen_program
        municipality = data.get("municipality")
        region = data.get("region")
        if not data.get("online_url") and not municipality and "municipality" not in self.errors:
            self.add_error("municipality", PLACE_REQUIRED)
        if municipality and region and municipality.region_id != region.pk:
            self.add_error("region", REGION_CONFLICTS_WITH_MUNICIPALITY)
        ends_at, deadline = data.get("ends_at"), data.get("registration_deadline")
        if ends_at and deadline and deadline > ends_at:
            self.add_error("registration_deadline", DEADLINE_AFTER_END)
        if program is None:
            return data
        if any(topic.program_id != program.pk for topic in data.get("topics") or ()):
            self.add_error("topics", TOPIC_OF_OTHER_PROGRAM)
        series = data.get("series")
        if series is not None and series.program_id != program.pk:
            self.add_error("series", SERIES_OF_OTHER_PROGRAM)
        region_id = municipality.region_id if municipality else (region.pk if region else None)
        allowed, reason = can_place_event(self.user, program, region_id)
        if not allowed and "municipality" not in self.errors:
            self.add_error("municipality" if municipality else "region", reason)
        return data

    def _post_clean(self):
        # The whole event is validated by the service, so the UI and the API give the same messages.
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in EVENT_FIELDS if name in self.cleaned_data}
        if not self.instance.pk:
            data["program"] = self.cleaned_data["program"]
        if data.get("municipality"):
            data["region"] = data["municipality"].region
        return data


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))],
        required=False,
        widget=forms.HiddenInput,
    )
    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All"))] + Event.Kind.choices, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("code"), required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].empty_label = _("All")
        self.fields["region"].empty_label = _("All")
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def filters(self) -> dict:
        """The selector's keyword arguments; an invalid filter is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        when = data.get("when") if data.get("when") in WHEN_CHOICES else "upcoming"
        program, region = data.get("program"), data.get("region")
        return {
            "when": when,
            "program_id": program.pk if program else None,
            "kind": data.get("kind") or "",
            "region_id": region.pk if region else None,
            "query": (data.get("q") or "").replace("\x00", "").strip(),
        }


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    organization = forms.CharField(
        label=_("Organization number or NEQ"),
        required=False,
        max_length=30,
        help_text=_("Optional. The number shown on the organization's page, or its 10-digit NEQ."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the organizations the user works with can be linked, so a number cannot reveal another.
        self.organizations = organizations
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_organization(self) -> Organization | None:
        text = self.cleaned_data.get("organization", "").strip()
        if not text:
            return None
        organization = None
        try:
            neq = normalize_neq(text)
        except ValidationError:
            neq = ""
        if neq:
            organization = self.organizations.filter(neq=neq).first()
        if organization is None:
            pk = parse_id(text)
            organization = self.organizations.filter(pk=pk).first() if pk is not None else None
        if organization is None:
            raise forms.ValidationError(ORGANIZATION_UNKNOWN, code="organization_unknown")
        return organization


def parse_attended(value) -> bool | None:
    """``True``/``False`` from the roll call's buttons, None for anything else."""
    return ATTENDED_VALUES.get(str(value))

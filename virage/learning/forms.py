"""Forms of learning: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from virage.accounts.models import Membership, Role, User
from virage.core.forms import StyledWidgetsMixin
from virage.events.forms import MontrealDateTimeField
from virage.geography.models import Region

from .models import Cohort, Competency, LearningPath, Module, ModuleProgress

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSON_NOT_FOUND = _(
    "No person with this e-mail address in the organizations you work with: add them to their organization first."
)
SESSION_PLACE_REQUIRED = _("Give an online link, or an address where the session takes place.")


class CompetencyForm(StyledWidgetsMixin, forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["name_fr", "name_en", "description_fr", "description_en"]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }


class PathForm(StyledWidgetsMixin, forms.ModelForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)

    class Meta:
        model = LearningPath
        fields = [
            "program",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "audience",
            "kind",
            "status",
            "prerequisite_event_kind",
            "prerequisite_paths",
        ]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "prerequisite_paths": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["program"]
            self.fields["prerequisite_paths"].queryset = LearningPath.objects.filter(
                program_id=self.instance.program_id
            ).exclude(pk=self.instance.pk)
        else:
            self.fields["program"].queryset = programs
            self.fields["prerequisite_paths"].queryset = LearningPath.objects.filter(program__in=programs)

    def service_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "prerequisite_paths"}
        return data


class ModuleForm(StyledWidgetsMixin, forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "position",
            "title_fr",
            "title_en",
            "objectives_fr",
            "objectives_en",
            "competencies",
            "expected_hours",
            "format",
            "is_required",
            "phase",
        ]
        widgets = {
            "objectives_fr": forms.Textarea(attrs={"rows": 2}),
            "objectives_en": forms.Textarea(attrs={"rows": 2}),
            "competencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, path, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = Competency.objects.filter(program_id=path.program_id)
        self.fields["expected_hours"].max_value = 999
        self.fields["expected_hours"].widget.attrs.update({"step": "0.25", "min": "0"})

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "competencies"}


class CohortForm(StyledWidgetsMixin, forms.ModelForm):
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the program (managers, coordinators, coaches) who lead the cohort."),
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "capacity",
            "language",
            "region",
            "client_organization",
            "status",
            "facilitators",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, program, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["client_organization"].queryset = organizations
        self.fields["facilitators"].queryset = User.objects.filter(
            memberships__program=program,
            memberships__is_active=True,
            memberships__role__in=[Role.PROGRAM_MANAGER, Role.REGIONAL_COORDINATOR, Role.COACH],
        ).distinct()

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "facilitators"}


class PhaseForm(StyledWidgetsMixin, forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=20)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("End date"), widget=DATE_WIDGET)


class SessionForm(StyledWidgetsMixin, forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    starts_at = MontrealDateTimeField(label=_("Start"), help_text=_("Montreal time."))
    ends_at = MontrealDateTimeField(label=_("End"), help_text=_("Montreal time."))
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=500, assume_scheme="https")
    address = forms.CharField(label=_("Address"), required=False, max_length=255)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = cohort.path.modules.filter(format__in=sorted(Module.LIVE_FORMATS))

    def clean(self):
        data = super().clean()
        if not data.get("online_url") and not data.get("address"):
            self.add_error("online_url", SESSION_PLACE_REQUIRED)
        return data


class EnrollForm(StyledWidgetsMixin, forms.Form):
    email = forms.EmailField(label=_("Learner's e-mail address"), max_length=254)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        person = self.people.filter(email__iexact=email, is_active=True).select_related("organization").first()
        if person is None:
            raise forms.ValidationError(PERSON_NOT_FOUND)
        self.person = person
        return email


class MentorForm(StyledWidgetsMixin, forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = User.objects.filter(
            pk__in=Membership.objects.filter(program=program, role=Role.COACH, is_active=True).values("user_id")
        ).order_by("last_name", "first_name")


class ProgressForm(StyledWidgetsMixin, forms.Form):
    status = forms.ChoiceField(choices=ModuleProgress.Status.choices)


class RevokeForm(StyledWidgetsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(StyledWidgetsMixin, forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40, help_text=_("For example ABCD-EFGH-JKMN-PQRS."))

"""Forms of diagnostics: answers (parsed from the questionnaire's own fields), needs, questions,
rules and the staff list's filters."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from virage.core.errors import parse_id
from virage.core.forms import StyledWidgetsMixin
from virage.geography.models import Region
from virage.organizations.models import Organization
from virage.programs.models import ExpertiseTheme, Program

from .models import Assessment, DimensionCode, FinancingNeed, Question
from .services import AnswerInput

NOT_APPLICABLE = "na"
BAD_ANSWER = _("This answer is not one of the question's options.")


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def parse_answers(data, questions) -> tuple[dict[int, AnswerInput], dict[int, str]]:
    """The answers a page (or an autosave) sent for ``questions``, and the questions with a bad value.

    Each question's field holds option ids, or "na" for "not applicable"; an absent field is left
    alone, an empty one clears the answer (a page sends ``question_<id>-present`` for each question
    it shows, so that a multiple choice left with nothing checked clears it).
    """
    answers: dict[int, AnswerInput] = {}
    errors: dict[int, str] = {}
    for question in questions:
        name = field_name(question)
        if name not in data and f"{name}-present" not in data:
            continue
        values = [str(value) for value in data.getlist(name)] if hasattr(data, "getlist") else data.get(name, [])
        values = [value for value in values if value != ""][:50]
        if NOT_APPLICABLE in values:
            answers[question.pk] = AnswerInput(is_not_applicable=True)
            continue
        ids = [parse_id(value) for value in values]
        if any(option_id is None for option_id in ids):
            errors[question.pk] = str(BAD_ANSWER)
            continue
        answers[question.pk] = AnswerInput(option_ids=ids)
    return answers, errors


class StartForm(StyledWidgetsMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(), empty_label=None)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class NeedsForm(StyledWidgetsMixin, forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Expertise you need"),
        queryset=ExpertiseTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The themes where coaching would help the organization most."),
    )
    priorities = forms.CharField(
        label=_("Priorities"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text=_("What the organization wants to tackle first, and why."),
    )
    constraints = forms.CharField(
        label=_("Constraints"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text=_("Time, budget, staff turnover, connectivity, anything that limits what is possible."),
    )


class FinancingNeedForm(StyledWidgetsMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Financing need"),
        choices=[("", _("—")), *FinancingNeed.Category.choices],
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    estimated_amount = forms.DecimalField(
        label=_("Estimated amount ($)"),
        max_digits=10,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal("0"))],
        localize=True,
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=6,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal("0"))],
        localize=True,
    )

    def clean(self):
        data = super().clean()
        if not data.get("category") and (data.get("description") or data.get("estimated_amount") or data.get("hours")):
            self.add_error("category", _("Choose what the financing is for."))
        return data


FinancingFormSet = formset_factory(FinancingNeedForm, extra=0, max_num=12, absolute_max=12, validate_max=True)


class QuestionForm(StyledWidgetsMixin, forms.Form):
    text_fr = forms.CharField(label=_("Question (French)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    help_fr = forms.CharField(
        label=_("Help (French)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    help_en = forms.CharField(
        label=_("Help (English)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Question.Kind.choices)
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        initial=Decimal("1"),
        localize=True,
    )
    allows_not_applicable = forms.BooleanField(label=_("“Not applicable” is an answer"), required=False)


class OptionForm(StyledWidgetsMixin, forms.Form):
    label_fr = forms.CharField(label=_("Answer (French)"), max_length=300, required=False)
    label_en = forms.CharField(label=_("Answer (English)"), max_length=300, required=False)
    score = forms.DecimalField(
        label=_("Score (0 to 100)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        localize=True,
    )
    code = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def clean(self):
        data = super().clean()
        if data.get("label_fr") and data.get("score") is None:
            self.add_error("score", _("Give this answer a score."))
        return data


OptionFormSet = formset_factory(OptionForm, extra=2, max_num=20, absolute_max=20, validate_max=True)


class RuleForm(StyledWidgetsMixin, forms.Form):
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    advice_fr = forms.CharField(
        label=_("Advice (French)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    advice_en = forms.CharField(
        label=_("Advice (English)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    dimension = forms.ChoiceField(label=_("Dimension"), choices=[("", _("—")), *DimensionCode.choices], required=False)
    below_score = forms.DecimalField(
        label=_("When its score is below"),
        max_digits=5,
        decimal_places=1,
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        localize=True,
    )
    needed_theme = forms.ModelChoiceField(
        label=_("Or when this expertise is needed"),
        queryset=ExpertiseTheme.objects.filter(is_active=True),
        required=False,
    )
    priority = forms.IntegerField(label=_("Priority"), min_value=0, max_value=999, initial=50)
    learning_paths = forms.ModelMultipleChoiceField(
        label=_("Learning paths"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    event_topics = forms.ModelMultipleChoiceField(
        label=_("Event topics"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    expertise_themes = forms.ModelMultipleChoiceField(
        label=_("Coaching themes"),
        queryset=ExpertiseTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, program, **kwargs):
        from virage.events.models import Topic
        from virage.learning.models import LearningPath

        super().__init__(*args, **kwargs)
        self.fields["learning_paths"].queryset = LearningPath.objects.filter(program=program).exclude(
            status=LearningPath.Status.ARCHIVED
        )
        self.fields["event_topics"].queryset = Topic.objects.filter(program=program)

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "title_fr",
                "title_en",
                "advice_fr",
                "advice_en",
                "dimension",
                "below_score",
                "needed_theme",
                "priority",
            )
        }


class AssessmentFilterForm(StyledWidgetsMixin, forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Assessment.Status.choices], required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *Organization.Kind.choices], required=False)
    score_min = forms.DecimalField(
        label=_("Score from"), min_value=0, max_value=100, max_digits=5, decimal_places=1, required=False, localize=True
    )
    score_max = forms.DecimalField(
        label=_("Score up to"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        required=False,
        localize=True,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("recent", _("Most recent")),
            ("score", _("Highest score")),
            ("-score", _("Lowest score")),
            ("name", _("Name")),
        ],
        required=False,
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "program_id": data["program"].pk if data.get("program") else None,
            "status": data.get("status") or "",
            "region_id": data["region"].pk if data.get("region") else None,
            "kind": data.get("kind") or "",
            "score_min": data.get("score_min"),
            "score_max": data.get("score_max"),
            "sort": data.get("sort") or "recent",
        }

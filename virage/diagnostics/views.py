"""Pages of diagnostics: answering an assessment (with autosave), results and action plan, the
organization's assessments, the staff list and export, questionnaires and recommendation rules.

Views parse input, check access through permissions.py, call one service and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage.accounts.scope import scope_for
from virage.core.activity import history_for
from virage.core.errors import parse_id
from virage.core.forms import add_service_errors
from virage.core.pagination import CappedPaginator
from virage.organizations.permissions import access_organization_by_id
from virage.programs.models import Program

from . import charts, selectors, services
from .exports import export_answers
from .forms import (
    AssessmentFilterForm,
    FinancingFormSet,
    NeedsForm,
    OptionFormSet,
    QuestionForm,
    RuleForm,
    StartForm,
    parse_answers,
)
from .models import Assessment, DimensionCode, MaturityLevel, Question, Questionnaire, RecommendationRule
from .pdf import plan_file_name, render_plan_pdf
from .permissions import (
    access_assessment_by_id,
    access_dimension_by_id,
    access_program_for_diagnostics,
    access_question_by_id,
    access_version_by_id,
    can_answer_assessment,
    can_list_assessments,
    can_manage_diagnostics,
    can_start_assessment,
    organizations_to_assess,
    require,
)

PER_PAGE = 50


def _programs_for_start(organization):
    """Programs the organization takes part in that have a published questionnaire for its kind."""
    programs = Program.objects.filter(participations__organization=organization, is_active=True).distinct()
    return [program for program in programs if services.published_version_for(program, organization.kind)]


# An organization's assessments


@login_required
def mine(request):
    """The organizations a contact or a coach answers for, with their assessments."""
    organizations = list(organizations_to_assess(request.user).order_by("name_folded")[:50])
    assessments = {}
    for assessment in (
        Assessment.objects.filter(organization__in=organizations)
        .filter(pk__in=selectors.assessments_for(request.user).values("pk"))
        .select_related("program")
        .order_by("-round")
    ):
        assessments.setdefault(assessment.organization_id, []).append(assessment)
    rows = [
        {"organization": organization, "assessments": assessments.get(organization.pk, [])}
        for organization in organizations
    ]
    return render(request, "diagnostics/mine.html", {"rows": rows})


@login_required
def organization(request, pk):
    """An organization's assessments, and starting a new one (POST)."""
    organization = access_organization_by_id(request.user, pk)
    programs = [
        program
        for program in _programs_for_start(organization)
        if can_start_assessment(request.user, organization, program)[0]
    ]
    form = StartForm(request.POST or None, programs=Program.objects.filter(pk__in=[program.pk for program in programs]))
    if request.method == "POST":
        if not programs:
            raise Http404
        if form.is_valid():
            try:
                assessment = services.assessment_start(
                    program=form.cleaned_data["program"], organization=organization, actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The assessment is started. Your answers are saved as you go."))
                return redirect(assessment)
    return render(
        request,
        "diagnostics/organization.html",
        {
            "organization": organization,
            "assessments": selectors.organization_assessments(request.user, organization.pk),
            "form": form if programs else None,
        },
    )


def _step(request, dimensions) -> int:
    """The dimension asked for; without one, the first with an unanswered question (resuming)."""
    asked = request.GET.get("dimension") or request.POST.get("dimension")
    if not asked:
        for number, dimension in enumerate(dimensions, start=1):
            if dimension.answered < dimension.question_total:
                return number
        return 1
    step = parse_id(asked) or 1
    return min(step, len(dimensions)) if dimensions else 1


@login_required
def take(request, pk):
    """One dimension of the questionnaire at a time; POST saves the page (without JavaScript) and moves on."""
    assessment = access_assessment_by_id(request.user, pk)
    if assessment.is_submitted:
        return redirect("diagnostics:results", pk=assessment.pk)
    require(can_answer_assessment(request.user, assessment))
    dimensions = selectors.questionnaire_of(assessment)
    step = _step(request, dimensions)
    current = dimensions[step - 1] if dimensions else None
    errors: dict[int, str] = {}
    if request.method == "POST" and current is not None:
        questions = list(current.questions.all())
        answers, errors = parse_answers(request.POST, questions)
        if not errors:
            try:
                services.answers_save(assessment=assessment, answers=answers, actor=request.user)
            except ValidationError as error:
                errors = {
                    parse_id(name.removeprefix("question_")) or 0: " ".join(messages_)
                    for name, messages_ in error.message_dict.items()
                }
            else:
                if "previous" in request.POST and step > 1:
                    return redirect(f"{request.path}?dimension={step - 1}")
                if step < len(dimensions):
                    return redirect(f"{request.path}?dimension={step + 1}")
                return redirect("diagnostics:needs", pk=assessment.pk)
        assessment.refresh_from_db()
        dimensions = selectors.questionnaire_of(assessment)
        current = dimensions[step - 1]
    if current is not None:
        for question in current.questions.all():
            question.error = errors.get(question.pk, "")
    return render(
        request,
        "diagnostics/take.html",
        {
            "assessment": assessment,
            "dimensions": dimensions,
            "dimension": current,
            "step": step,
            "steps": len(dimensions),
            "has_errors": bool(errors),
        },
    )


@login_required
@require_POST
def autosave(request, pk):
    """Save one question's answer (htmx): the status line and the progress bar come back."""
    assessment = access_assessment_by_id(request.user, pk)
    require(can_answer_assessment(request.user, assessment))
    question = Question.objects.filter(
        pk=parse_id(request.POST.get("question")) or 0, dimension__version_id=assessment.version_id
    ).first()
    if question is None:
        return HttpResponse(_("This question is not part of the questionnaire."), status=400)
    answers, errors = parse_answers(request.POST, [question])
    error = errors.get(question.pk, "")
    if not error and answers:
        try:
            assessment = services.answers_save(assessment=assessment, answers=answers, actor=request.user)
        except ValidationError as failure:
            error = " ".join(failure.messages)
    status = 400 if error else 200
    return render(
        request,
        "diagnostics/_autosave.html",
        {"assessment": assessment, "error": error, "saved_at": timezone.localtime(), "question": question},
        status=status,
    )


@login_required
def needs(request, pk):
    assessment = access_assessment_by_id(request.user, pk)
    if assessment.is_submitted:
        return redirect("diagnostics:results", pk=assessment.pk)
    require(can_answer_assessment(request.user, assessment))
    initial_financing = [
        {
            "category": need.category,
            "description": need.description,
            "estimated_amount": need.estimated_amount,
            "hours": need.hours,
        }
        for need in assessment.financing_needs.all()
    ]
    form = NeedsForm(
        request.POST or None,
        initial={
            "themes": list(assessment.expertise_themes.all()),
            "priorities": assessment.priorities,
            "constraints": assessment.constraints,
        },
    )
    financing = FinancingFormSet(request.POST or None, initial=initial_financing or None, prefix="financing")
    if not request.POST:
        financing.extra = 3 if not initial_financing else 1
    if request.method == "POST" and form.is_valid() and financing.is_valid():
        rows = [row for row in financing.cleaned_data if row and row.get("category")]
        try:
            services.needs_save(
                assessment=assessment,
                themes=form.cleaned_data["themes"],
                financing=rows,
                priorities=form.cleaned_data["priorities"],
                constraints=form.cleaned_data["constraints"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your needs are saved."))
            return redirect("diagnostics:review", pk=assessment.pk)
    return render(
        request,
        "diagnostics/needs.html",
        {"assessment": assessment, "form": form, "financing": financing, "steps": _step_count(assessment)},
    )


def _step_count(assessment: Assessment) -> int:
    return assessment.version.dimensions.count()


@login_required
def review(request, pk):
    """Before submitting: what is answered, what is missing, the scores so far."""
    assessment = access_assessment_by_id(request.user, pk)
    if assessment.is_submitted:
        return redirect("diagnostics:results", pk=assessment.pk)
    require(can_answer_assessment(request.user, assessment))
    return render(
        request,
        "diagnostics/review.html",
        {
            "assessment": assessment,
            "missing": services.missing_answers(assessment),
            "preview": selectors.preview_of(assessment),
            "themes": assessment.expertise_themes.all(),
            "financing": assessment.financing_needs.all(),
            "steps": _step_count(assessment),
        },
    )


@login_required
@require_POST
def submit(request, pk):
    assessment = access_assessment_by_id(request.user, pk)
    require(can_answer_assessment(request.user, assessment))
    try:
        services.assessment_submit(assessment=assessment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("diagnostics:review", pk=assessment.pk)
    messages.success(request, _("The assessment is submitted. Here are your results and your action plan."))
    return redirect("diagnostics:results", pk=assessment.pk)


def _results_context(assessment: Assessment) -> dict:
    results = selectors.results_of(assessment)
    labels = [row.label for row in results.rows]
    series = [charts.Series("current", _("This assessment"), [row.score for row in results.rows])]
    if results.baseline is not None:
        series.insert(0, charts.Series("baseline", _("First assessment"), [row.baseline for row in results.rows]))
    if results.peers_shown:
        series.append(charts.Series("peers", _("Peers (average)"), [row.peers for row in results.rows]))
    from .scoring import level_bounds

    return {
        "assessment": assessment,
        "results": results,
        "radar": charts.radar(labels, series),
        "levels": [(MaturityLevel(name).label, low, high) for name, low, high in level_bounds()],
        "peer_minimum": selectors.PEER_MINIMUM,
        "themes": assessment.expertise_themes.all(),
        "financing": assessment.financing_needs.all(),
    }


@login_required
def results(request, pk):
    assessment = access_assessment_by_id(request.user, pk)
    if not assessment.is_submitted:
        return redirect("diagnostics:take", pk=assessment.pk)
    context = _results_context(assessment)
    context["history"] = history_for(assessment)[:20]
    return render(request, "diagnostics/results.html", context)


@login_required
def plan_pdf(request, pk):
    assessment = access_assessment_by_id(request.user, pk)
    if not assessment.is_submitted:
        raise Http404
    response = HttpResponse(render_plan_pdf(_results_context(assessment)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan_file_name(assessment)}"'
    return response


# Staff


def _staff_programs(user):
    scope = scope_for(user)
    if scope.is_admin:
        return Program.objects.all()
    return Program.objects.filter(pk__in=sorted(scope.managed_program_ids | set(scope.coordinated_regions)))


@login_required
def assessment_list(request):
    require(can_list_assessments(request.user))
    programs = _staff_programs(request.user)
    form = AssessmentFilterForm(request.GET or None, programs=programs)
    queryset = selectors.assessment_list(request.user, **form.filters())
    paginator = CappedPaginator(queryset, PER_PAGE, cap=10_000)
    page = paginator.get_page(request.GET.get("page"))
    managed = [program for program in programs if can_manage_diagnostics(request.user, program)[0]]
    return render(
        request,
        "diagnostics/list.html",
        {"form": form, "page_obj": page, "paginator": paginator, "managed_programs": managed},
    )


@login_required
def export(request, slug):
    program = access_program_for_diagnostics(request.user, slug)
    anonymized = request.GET.get("anonymized") == "1"
    assessments = Assessment.objects.filter(program=program)
    return export_answers(assessments, program_slug=program.slug, anonymized=anonymized)


# Questionnaires


@login_required
def questionnaires(request, slug):
    """A program's questionnaires and their versions; POST makes a new draft of one of them."""
    program = access_program_for_diagnostics(request.user, slug)
    builtin = request.POST.get("builtin")
    if request.method == "POST" and builtin is not None:
        # One of the questionnaires shipped with Virage, given to this program (once).
        if builtin not in services.BUILTIN_QUESTIONNAIRES:
            messages.error(request, _("Choose a questionnaire."))
            return redirect("diagnostics:questionnaires", slug=program.slug)
        questionnaire = services.questionnaire_load_builtin(program=program, key=builtin, actor=request.user)
        messages.success(request, _("The questionnaire “%(title)s” is ready.") % {"title": questionnaire.title})
        return redirect("diagnostics:questionnaires", slug=program.slug)
    if request.method == "POST":
        questionnaire = Questionnaire.objects.filter(
            program=program, pk=parse_id(request.POST.get("questionnaire")) or 0
        ).first()
        if questionnaire is None:
            messages.error(request, _("Choose a questionnaire."))
        else:
            try:
                draft = services.version_create_draft(questionnaire=questionnaire, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("A new draft version was made: change it, then publish it."))
                return redirect(draft)
        return redirect("diagnostics:questionnaires", slug=program.slug)
    return render(
        request,
        "diagnostics/questionnaires.html",
        {
            "program": program,
            "questionnaires": program.questionnaires.prefetch_related("versions"),
            "builtins": [
                ("community", _("Community organizations (DATAide's questionnaire)")),
                ("sme", _("Small and medium-sized businesses (Plus numérique's questionnaire)")),
            ],
        },
    )


@login_required
def version_detail(request, pk):
    version = access_version_by_id(request.user, pk)
    dimensions = version.dimensions.prefetch_related("questions__options")
    return render(
        request,
        "diagnostics/version_detail.html",
        {
            "version": version,
            "program": version.questionnaire.program,
            "dimensions": dimensions,
            "history": history_for(version)[:20],
        },
    )


@login_required
@require_POST
def version_publish(request, pk):
    version = access_version_by_id(request.user, pk)
    try:
        services.version_publish(version=version, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Version %(number)s is published: new assessments use it.") % {"number": version.number}
        )
    return redirect(version)


def _options_initial(question: Question | None) -> list[dict]:
    if question is None:
        return []
    return [
        {"label_fr": option.label_fr, "label_en": option.label_en, "score": option.score, "code": option.code}
        for option in question.options.all()
    ]


@login_required
def question_create(request, pk, dimension_pk):
    version = access_version_by_id(request.user, pk)
    dimension = access_dimension_by_id(request.user, version, dimension_pk)
    form = QuestionForm(request.POST or None)
    options = OptionFormSet(request.POST or None, prefix="options")
    if version.is_frozen:
        messages.error(request, str(services.VERSION_FROZEN % {"number": version.number}))
        return redirect(version)
    if request.method == "POST" and form.is_valid() and options.is_valid():
        try:
            services.question_create(
                dimension=dimension,
                data=form.cleaned_data,
                options=[row for row in options.cleaned_data if row],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect(version)
    return render(
        request,
        "diagnostics/question_form.html",
        {"form": form, "options": options, "version": version, "dimension": dimension, "title": _("New question")},
    )


@login_required
def question_edit(request, pk):
    question = access_question_by_id(request.user, pk)
    version = question.dimension.version
    form = QuestionForm(
        request.POST or None,
        initial={
            name: getattr(question, name)
            for name in ("text_fr", "text_en", "help_fr", "help_en", "kind", "weight", "allows_not_applicable")
        },
    )
    options = OptionFormSet(request.POST or None, initial=_options_initial(question), prefix="options")
    refused = ""
    if request.method == "POST":
        if version.is_frozen:
            # Refused with the reason, whatever was sent: the answers given in this version depend on it.
            refused = services.VERSION_FROZEN % {"number": version.number}
        elif form.is_valid() and options.is_valid():
            try:
                services.question_update(
                    question=question,
                    data=form.cleaned_data,
                    options=[row for row in options.cleaned_data if row],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The question was saved."))
                return redirect(version)
    return render(
        request,
        "diagnostics/question_form.html",
        {
            "form": form,
            "options": options,
            "version": version,
            "dimension": question.dimension,
            "question": question,
            "title": _("Edit the question"),
            "frozen": version.is_frozen,
            "refused": refused,
            "history": history_for(question)[:20],
        },
    )


@login_required
@require_POST
def question_delete(request, pk):
    question = access_question_by_id(request.user, pk)
    version = question.dimension.version
    try:
        services.question_delete(question=question, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question was removed from the draft."))
    return redirect(version)


# Recommendation rules


@login_required
def rules(request, slug):
    program = access_program_for_diagnostics(request.user, slug)
    form = RuleForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(
                program=program,
                data=form.service_data(),
                learning_paths=form.cleaned_data["learning_paths"],
                event_topics=form.cleaned_data["event_topics"],
                expertise_themes=form.cleaned_data["expertise_themes"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rule was added. It applies to the assessments submitted from now on."))
            return redirect("diagnostics:rules", slug=program.slug)
    rule_list = (
        RecommendationRule.objects.filter(program=program)
        .select_related("needed_theme")
        .prefetch_related("learning_paths", "event_topics", "expertise_themes")
    )
    return render(
        request,
        "diagnostics/rules.html",
        {"program": program, "form": form, "rules": rule_list, "dimension_labels": dict(DimensionCode.choices)},
    )


@login_required
@require_POST
def rule_toggle(request, pk):
    rule = RecommendationRule.objects.select_related("program").filter(pk=parse_id(pk) or 0).first()
    if rule is None or not can_manage_diagnostics(request.user, rule.program)[0]:
        raise Http404
    services.rule_set_active(rule=rule, is_active=not rule.is_active, actor=request.user)
    messages.success(request, _("The rule is active.") if not rule.is_active else _("The rule is inactive."))
    return redirect("diagnostics:rules", slug=rule.program.slug)

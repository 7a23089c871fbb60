"""Every write to diagnostics: questionnaires and their versions, assessments, answers, needs,
submission with its scores and action plan, recommendation rules.

Each service is one transaction, validates with ``full_clean()`` and writes the activity log. A
published questionnaire version is frozen: its questions and options are refused any change (the
message says to make a new draft version), so answers given in it keep scoring the same way.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.core.activity import diff, log_activity, snapshot
from virage.core.models import ActivityLogEntry
from virage.organizations.models import Organization
from virage.programs.models import ExpertiseTheme, Program

from . import recommendations, scoring
from .models import (
    Answer,
    Assessment,
    Dimension,
    DimensionCode,
    DimensionScore,
    FinancingNeed,
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Recommendation,
    RecommendationRule,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN_QUESTIONNAIRES = {"community": "questionnaire_community.json", "sme": "questionnaire_sme.json"}

VERSION_FROZEN = _(
    "Version %(number)s of this questionnaire is published and frozen: answers were given in it. "
    "Make a new draft version to change it."
)
NOT_A_DRAFT = _("Only a draft version can be published.")
DRAFT_EXISTS = _("This questionnaire already has a draft version: edit it or publish it.")
NOTHING_TO_COPY = _("This questionnaire has no published version to start a draft from.")
EMPTY_QUESTION = _("The question “%(question)s” has no answer option.")
EMPTY_VERSION = _("A version needs at least one question.")
NO_QUESTIONNAIRE = _("The program has no published questionnaire for this kind of organization.")
NOT_PARTICIPATING = _("This organization does not take part in this program.")
IN_PROGRESS_EXISTS = _("This organization already has an assessment in progress in this program.")
LOCKED = _("This assessment was submitted: its answers can no longer change.")
UNKNOWN_QUESTION = _("This question is not part of the assessment's questionnaire.")
UNKNOWN_OPTION = _("Choose one of the question's answers.")
ONE_OPTION_ONLY = _("This question takes one answer.")
NOT_APPLICABLE_REFUSED = _("“Not applicable” is not an answer to this question.")
INCOMPLETE = _("Answer every question before submitting (or choose “not applicable” where it is offered): %(missing)s")
UNKNOWN_THEME = _("Choose expertise themes from the list.")
KIND_OPTION_COUNT = _("A question of this type has fixed options.")

# Fixed options of the 0–5 scale and of yes / partially / no: (code, score, French, English).
SCALE_OPTIONS = (
    ("0", "0", "0 — Pas du tout", "0 — Not at all"),
    ("1", "20", "1 — Très peu", "1 — Very little"),
    ("2", "40", "2 — Un peu", "2 — A little"),
    ("3", "60", "3 — Moyennement", "3 — Moderately"),
    ("4", "80", "4 — Beaucoup", "4 — Largely"),
    ("5", "100", "5 — Tout à fait", "5 — Fully"),
)
YES_PARTIAL_NO_OPTIONS = (
    ("oui", "100", "Oui", "Yes"),
    ("partiellement", "50", "Partiellement", "Partially"),
    ("non", "0", "Non", "No"),
)
FIXED_OPTIONS = {Question.Kind.SCALE: SCALE_OPTIONS, Question.Kind.YES_PARTIAL_NO: YES_PARTIAL_NO_OPTIONS}
QUESTION_FIELDS = ("text_fr", "text_en", "help_fr", "help_en", "kind", "weight", "allows_not_applicable")


def _created(actor, subject, fields) -> None:
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=subject,
        changes={name: [None, value] for name, value in snapshot(subject, fields).items() if value not in ("", None)},
    )


def _refuse_if_frozen(version: QuestionnaireVersion) -> None:
    if version.is_frozen:
        raise ValidationError(VERSION_FROZEN, code="frozen", params={"number": version.number})


# Questionnaires and versions


def _option_rows(kind: str, options: Iterable) -> list[tuple]:
    if kind in FIXED_OPTIONS:
        return list(FIXED_OPTIONS[kind])
    return [tuple(option) for option in options]


def _create_question(dimension: Dimension, position: int, data: dict, options: Iterable) -> Question:
    question = Question(
        dimension=dimension,
        code=data["code"],
        position=position,
        kind=data["kind"],
        text_fr=data["text_fr"],
        text_en=data.get("text_en", ""),
        help_fr=data.get("help_fr", ""),
        help_en=data.get("help_en", ""),
        weight=Decimal(str(data.get("weight", "1"))),
        allows_not_applicable=bool(data.get("not_applicable", data.get("allows_not_applicable", False))),
    )
    question.full_clean(exclude=["dimension"])
    question.save()
    rows = _option_rows(question.kind, options)
    if not rows:
        raise ValidationError(EMPTY_QUESTION, params={"question": question.text_fr})
    built = []
    for index, (code, score, label_fr, label_en) in enumerate(rows, start=1):
        option = Option(
            question=question,
            code=code,
            position=index,
            label_fr=label_fr,
            label_en=label_en,
            score=Decimal(str(score)),
        )
        option.full_clean(exclude=["question"])
        built.append(option)
    Option.objects.bulk_create(built)
    return question


@transaction.atomic
def questionnaire_load(*, program: Program, data: dict[str, Any], actor) -> Questionnaire:
    """Create a questionnaire and its first version, published, from ``data`` (the shape of data/*.json)."""
    questionnaire = Questionnaire(
        program=program,
        code=data["code"],
        title_fr=data["title_fr"],
        title_en=data.get("title_en", ""),
        organization_kinds=list(data.get("organization_kinds") or []),
    )
    questionnaire.full_clean()
    questionnaire.save()
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=QuestionnaireVersion.Status.DRAFT,
        introduction_fr=data.get("introduction_fr", ""),
        introduction_en=data.get("introduction_en", ""),
    )
    for dimension_position, dimension_data in enumerate(data["dimensions"], start=1):
        dimension = Dimension(
            version=version,
            code=dimension_data["code"],
            position=dimension_position,
            title_fr=dimension_data["title_fr"],
            title_en=dimension_data.get("title_en", ""),
            description_fr=dimension_data.get("description_fr", ""),
            description_en=dimension_data.get("description_en", ""),
        )
        dimension.full_clean()
        dimension.save()
        for position, question_data in enumerate(dimension_data["questions"], start=1):
            _create_question(dimension, position, question_data, question_data.get("options") or ())
    _created(actor, questionnaire, ("program", "code", "title_fr", "title_en"))
    version_publish(version=version, actor=actor)
    return questionnaire


def builtin_questionnaire_data(key: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / BUILTIN_QUESTIONNAIRES[key]).read_text(encoding="utf-8"))


def questionnaire_load_builtin(*, program: Program, key: str, actor) -> Questionnaire:
    """Give ``program`` one of the questionnaires shipped with Virage ("community" or "sme"), once."""
    data = builtin_questionnaire_data(key)
    existing = Questionnaire.objects.filter(program=program, code=data["code"]).first()
    if existing is not None:
        return existing
    return questionnaire_load(program=program, data=data, actor=actor)


@transaction.atomic
def version_create_draft(*, questionnaire: Questionnaire, actor) -> QuestionnaireVersion:
    """A new draft version, a copy of the published one; answers of the published one keep it."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).exists():
        raise ValidationError(DRAFT_EXISTS, code="draft_exists")
    source = questionnaire.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).first()
    if source is None:
        raise ValidationError(NOTHING_TO_COPY, code="nothing_to_copy")
    number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        introduction_fr=source.introduction_fr,
        introduction_en=source.introduction_en,
    )
    for dimension in source.dimensions.prefetch_related("questions__options"):
        copy = Dimension.objects.create(
            version=draft,
            code=dimension.code,
            position=dimension.position,
            title_fr=dimension.title_fr,
            title_en=dimension.title_en,
            description_fr=dimension.description_fr,
            description_en=dimension.description_en,
        )
        for question in dimension.questions.all():
            options = [
                (option.code, option.score, option.label_fr, option.label_en) for option in question.options.all()
            ]
            new = Question.objects.create(
                dimension=copy, code=question.code, position=question.position, kind=question.kind,
                text_fr=question.text_fr, text_en=question.text_en, help_fr=question.help_fr,
                help_en=question.help_en, weight=question.weight, allows_not_applicable=question.allows_not_applicable,
            )  # fmt: skip
            Option.objects.bulk_create(
                Option(question=new, code=code, position=index, label_fr=fr, label_en=en, score=score)
                for index, (code, score, fr, en) in enumerate(options, start=1)
            )
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=draft,
        note=f"v{source.number} → v{draft.number}",
    )
    return draft


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion, actor) -> QuestionnaireVersion:
    """Publish a draft: the version in use until now is retired (its answers keep scoring with it)."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise ValidationError(NOT_A_DRAFT, code="not_draft")
    questions = list(Question.objects.filter(dimension__version=version).prefetch_related("options"))
    if not questions:
        raise ValidationError(EMPTY_VERSION, code="empty")
    for question in questions:
        if not question.options.all():
            raise ValidationError(EMPTY_QUESTION, params={"question": question.text_fr})
    QuestionnaireVersion.objects.filter(
        questionnaire_id=version.questionnaire_id, status=QuestionnaireVersion.Status.PUBLISHED
    ).update(status=QuestionnaireVersion.Status.RETIRED)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=version,
        changes={"status": [QuestionnaireVersion.Status.DRAFT, QuestionnaireVersion.Status.PUBLISHED]},
    )
    return version


def _clean_options(kind: str, options: Iterable[dict]) -> list[tuple]:
    rows = []
    for option in options:
        label_fr = str(option.get("label_fr", "")).strip()
        if not label_fr:
            continue
        try:
            score = Decimal(str(option.get("score", "")))
        except InvalidOperation as error:
            raise ValidationError({"options": [_("Each option needs a score between 0 and 100.")]}) from error
        rows.append((option.get("code") or f"option-{len(rows) + 1}", score, label_fr, str(option.get("label_en", ""))))
    return rows


@transaction.atomic
def question_update(
    *, question: Question, data: dict[str, Any], options: Iterable[dict] | None = None, actor
) -> Question:
    """Change a question of a draft version (text, help, weight, options and their scores)."""
    question = Question.objects.select_for_update().select_related("dimension__version").get(pk=question.pk)
    _refuse_if_frozen(question.dimension.version)
    before = snapshot(question, QUESTION_FIELDS)
    for name in QUESTION_FIELDS:
        if name in data:
            setattr(question, name, data[name])
    question.full_clean()
    question.save()
    changes = diff(before, snapshot(question, QUESTION_FIELDS))
    if options is not None or before["kind"] != question.kind:
        rows = _option_rows(question.kind, _clean_options(question.kind, options or ()))
        if not rows:
            raise ValidationError({"options": [EMPTY_QUESTION % {"question": question.text_fr}]})
        old = [(option.code, str(option.score), option.label_fr, option.label_en) for option in question.options.all()]
        new = [(code, str(Decimal(str(score))), fr, en) for code, score, fr, en in rows]
        if old != new:
            question.options.all().delete()
            built = []
            for index, (code, score, fr, en) in enumerate(rows, start=1):
                option = Option(question=question, code=code, position=index, label_fr=fr, label_en=en, score=score)
                option.full_clean(exclude=["question"])
                built.append(option)
            Option.objects.bulk_create(built)
            changes["options"] = [[f"{row[2]} ({row[1]})" for row in old], [f"{row[2]} ({row[1]})" for row in new]]
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=question, changes=changes)
    return question


@transaction.atomic
def question_create(*, dimension: Dimension, data: dict[str, Any], options: Iterable[dict] = (), actor) -> Question:
    """Add a question at the end of a dimension of a draft version."""
    dimension = Dimension.objects.select_related("version").get(pk=dimension.pk)
    _refuse_if_frozen(dimension.version)
    position = (dimension.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    code = data.get("code") or f"question-{dimension.code}-{position}"
    try:
        with transaction.atomic():
            question = _create_question(
                dimension, position, {**data, "code": code}, _clean_options(data.get("kind", ""), options)
            )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"options": error.messages}) from error
    _created(actor, question, ("dimension", "kind", "text_fr", "text_en", "weight"))
    return question


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    question = Question.objects.select_for_update().select_related("dimension__version").get(pk=question.pk)
    _refuse_if_frozen(question.dimension.version)
    log_activity(actor=actor, verb=ActivityLogEntry.Verb.ARCHIVED, subject=question.dimension.version,
                 note=str(_("Question removed: %(question)s") % {"question": question.text_fr})[:500])  # fmt: skip
    question.delete()


# Assessments


def published_version_for(program: Program, organization_kind: str) -> QuestionnaireVersion | None:
    """The published version of the program's questionnaire for this kind of organization."""
    versions = QuestionnaireVersion.objects.filter(
        questionnaire__program=program, status=QuestionnaireVersion.Status.PUBLISHED
    ).select_related("questionnaire")
    for version in versions.order_by("questionnaire__code"):
        if organization_kind in (version.questionnaire.organization_kinds or []):
            return version
    return None


def _is_contact(actor, organization_id: int) -> bool:
    from virage.accounts.scope import scope_for

    return organization_id in scope_for(actor).contact_organization_ids


@transaction.atomic
def assessment_start(*, program: Program, organization: Organization, actor) -> Assessment:
    """Start an assessment in the program's current questionnaire; the first one is the baseline.

    Someone who is not one of the organization's contacts (a coach, an advisor, staff) starts it
    in assisted mode: the assessment records who filled it in with the organization.
    """
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not organization.participations.filter(program=program).exists():
        raise ValidationError(NOT_PARTICIPATING, code="not_participating")
    if Assessment.objects.filter(
        program=program, organization=organization, status=Assessment.Status.IN_PROGRESS
    ).exists():
        raise ValidationError(IN_PROGRESS_EXISTS, code="in_progress")
    version = published_version_for(program, organization.kind)
    if version is None:
        raise ValidationError(NO_QUESTIONNAIRE, code="no_questionnaire")
    submitted = Assessment.objects.filter(
        program=program, organization=organization, status=Assessment.Status.SUBMITTED
    ).order_by("round")
    baseline = submitted.first()
    assessment = Assessment(
        program=program,
        organization=organization,
        version=version,
        round=(submitted.aggregate(top=Max("round"))["top"] or 0) + 1,
        baseline=baseline,
        organization_kind=organization.kind,
        region_id=organization.region_id,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        assisted_by=None if _is_contact(actor, organization.pk) else actor,
        question_count=Question.objects.filter(dimension__version=version).count(),
    )
    assessment.full_clean()
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as error:  # Two starts at once: the constraint keeps one.
        raise ValidationError(IN_PROGRESS_EXISTS, code="in_progress") from error
    _created(actor, assessment, ("program", "organization", "version", "round", "assisted_by"))
    return assessment


@dataclass
class AnswerInput:
    """What a person chose for one question: option ids, or "not applicable", or nothing (clears it)."""

    option_ids: list[int] = field(default_factory=list)
    is_not_applicable: bool = False


def _label(answer_options: list[Option], not_applicable: bool) -> str:
    if not_applicable:
        return "N/A"
    return " + ".join(option.label_fr for option in answer_options)


@transaction.atomic
def answers_save(*, assessment: Assessment, answers: dict[int, AnswerInput], actor) -> Assessment:
    """Save answers of an assessment in progress (autosave sends one, a page a dimension's worth).

    Each answer is checked against its question (its options, whether "not applicable" is
    allowed); its score is computed now, with the question of the assessment's version. One
    activity-log entry lists what changed.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError(LOCKED, code="locked")
    questions = {
        question.pk: question
        for question in Question.objects.filter(dimension__version_id=assessment.version_id, pk__in=list(answers))
        .select_related("dimension")
        .prefetch_related("options")
    }
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(assessment=assessment, question_id__in=list(questions))
        .select_related("option")
        .prefetch_related("options")
    }
    errors: dict[str, list] = {}
    changes = {}
    for question_id, given in answers.items():
        question = questions.get(question_id)
        if question is None:
            errors.setdefault("question", []).append(UNKNOWN_QUESTION)
            continue
        available = {option.pk: option for option in question.options.all()}
        chosen = [available[option_id] for option_id in dict.fromkeys(given.option_ids) if option_id in available]
        key = f"question_{question.pk}"
        if len(chosen) != len(set(given.option_ids)):
            errors.setdefault(key, []).append(UNKNOWN_OPTION)
            continue
        if given.is_not_applicable and not question.allows_not_applicable:
            errors.setdefault(key, []).append(NOT_APPLICABLE_REFUSED)
            continue
        if not question.is_multiple and len(chosen) > 1:
            errors.setdefault(key, []).append(ONE_OPTION_ONLY)
            continue
        if given.is_not_applicable:
            chosen = []
        answer = existing.get(question_id)
        before = ""
        if answer is not None:
            previous = (
                list(answer.options.all()) if question.is_multiple else [answer.option] if answer.option_id else []
            )
            before = _label(previous, answer.is_not_applicable)
        if not chosen and not given.is_not_applicable:
            if answer is not None:
                answer.delete()
                changes[question.text_fr[:80]] = [before, ""]
            continue
        score = (
            None
            if given.is_not_applicable
            else scoring.question_score((option.score for option in chosen), multiple=question.is_multiple)
        )
        if answer is None:
            answer = Answer(assessment=assessment, question=question)
        answer.option = None if question.is_multiple or not chosen else chosen[0]
        answer.is_not_applicable = given.is_not_applicable
        answer.score = score
        answer.answered_by = actor if getattr(actor, "is_authenticated", False) else None
        answer.save()
        if question.is_multiple:
            answer.options.set(chosen)
        after = _label(chosen, given.is_not_applicable)
        if after != before:
            changes[question.text_fr[:80]] = [before, after]
    if errors:
        raise ValidationError(errors)
    assessment.answered_count = Answer.objects.filter(assessment=assessment).count()
    update = ["answered_count", "updated_at"]
    if (
        assessment.assisted_by_id is None
        and getattr(actor, "is_authenticated", False)
        and not _is_contact(actor, assessment.organization_id)
    ):
        assessment.assisted_by = actor
        update.append("assisted_by")
    assessment.save(update_fields=update)
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=assessment, changes=changes)
    return assessment


@transaction.atomic
def needs_save(
    *,
    assessment: Assessment,
    themes: Iterable[ExpertiseTheme],
    financing: Iterable[dict[str, Any]],
    priorities: str,
    constraints: str,
    actor,
) -> Assessment:
    """Record the organization's support needs: expertise themes, financing needs, priorities, constraints."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError(LOCKED, code="locked")
    themes = list(themes)
    if any(not theme.is_active for theme in themes):
        raise ValidationError({"themes": [UNKNOWN_THEME]})
    before = {
        "expertise_themes": sorted(str(theme) for theme in assessment.expertise_themes.all()),
        "priorities": assessment.priorities,
        "constraints": assessment.constraints,
        "financing_needs": [str(need) for need in assessment.financing_needs.all()],
    }
    assessment.priorities = priorities.strip()
    assessment.constraints = constraints.strip()
    assessment.needs_saved_at = timezone.now()
    assessment.full_clean(exclude=["expertise_themes"])
    needs = []
    for row in financing:
        need = FinancingNeed(
            assessment=assessment,
            category=row.get("category", ""),
            description=str(row.get("description", "")).strip(),
            estimated_amount=row.get("estimated_amount"),
            hours=row.get("hours"),
        )
        need.full_clean(exclude=["assessment"])
        needs.append(need)
    assessment.save(update_fields=["priorities", "constraints", "needs_saved_at", "updated_at"])
    assessment.expertise_themes.set(themes)
    assessment.financing_needs.all().delete()
    FinancingNeed.objects.bulk_create(needs)
    after = {
        "expertise_themes": sorted(str(theme) for theme in themes),
        "priorities": assessment.priorities,
        "constraints": assessment.constraints,
        "financing_needs": [str(need) for need in needs],
    }
    changes = diff(before, after)
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=assessment, changes=changes)
    return assessment


def compute_results(assessment: Assessment) -> dict[str, scoring.DimensionResult]:
    """The assessment's dimension results from its answers, with the questions of its own version."""
    questions = [
        scoring.QuestionFacts(id=pk, dimension=code, weight=weight)
        for pk, code, weight in Question.objects.filter(dimension__version_id=assessment.version_id)
        .order_by("dimension__position", "position", "pk")
        .values_list("pk", "dimension__code", "weight")
    ]
    answers = [
        scoring.AnswerFacts(question_id=question_id, score=score, is_not_applicable=not_applicable)
        for question_id, score, not_applicable in Answer.objects.filter(assessment=assessment).values_list(
            "question_id", "score", "is_not_applicable"
        )
    ]
    return scoring.dimension_results(questions, answers)


def missing_answers(assessment: Assessment) -> dict[str, int]:
    """Per dimension title, how many questions are still unanswered."""
    answered = set(Answer.objects.filter(assessment=assessment).values_list("question_id", flat=True))
    missing: dict[str, int] = {}
    for question in Question.objects.filter(dimension__version_id=assessment.version_id).select_related("dimension"):
        if question.pk not in answered:
            missing[question.dimension.title] = missing.get(question.dimension.title, 0) + 1
    return missing


def _services_received(assessment: Assessment, since: datetime.datetime) -> tuple[int, int]:
    """Events attended and learning paths completed by the organization in the program since ``since``."""
    from virage.events.models import Registration
    from virage.learning.models import Enrollment

    events = (
        Registration.objects.filter(
            event__program_id=assessment.program_id,
            organization_id=assessment.organization_id,
            attended=True,
            event__starts_at__gte=since,
        )
        .values("event_id")
        .distinct()
        .count()
    )
    paths = (
        Enrollment.objects.filter(
            program_id=assessment.program_id,
            organization_id=assessment.organization_id,
            completed_on__gte=timezone.localtime(since).date(),
        )
        .values("cohort__path_id")
        .distinct()
        .count()
    )
    return events, paths


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor) -> Assessment:
    """Lock the assessment, store its scores, its gain since the first assessment and its action plan."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError(LOCKED, code="locked")
    missing = missing_answers(assessment)
    if missing:
        described = ", ".join(f"{title} ({count})" for title, count in missing.items())
        raise ValidationError(INCOMPLETE, code="incomplete", params={"missing": described})
    results = compute_results(assessment)
    overall = scoring.overall_score(results.values())
    now = timezone.now()
    baseline = assessment.baseline
    baseline_scores = (
        dict(DimensionScore.objects.filter(assessment=baseline).values_list("code", "score")) if baseline else {}
    )
    # The organization's earlier assessments in the program are no longer its latest.
    Assessment.objects.filter(
        program_id=assessment.program_id, organization_id=assessment.organization_id, is_latest=True
    ).update(is_latest=False)
    DimensionScore.objects.filter(
        program_id=assessment.program_id, organization_id=assessment.organization_id, is_latest=True
    ).update(is_latest=False)
    DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=assessment,
            code=result.code,
            score=result.score,
            answered=result.answered,
            applicable=result.applicable,
            questions=result.questions,
            gain=(result.score - baseline_scores[result.code])
            if result.score is not None and baseline_scores.get(result.code) is not None
            else None,
            program_id=assessment.program_id,
            organization_id=assessment.organization_id,
            organization_kind=assessment.organization_kind,
            region_id=assessment.region_id,
            is_latest=True,
        )
        for result in results.values()
    )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = now
    assessment.submitted_on = timezone.localdate(now)
    assessment.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    assessment.overall_score = overall
    assessment.maturity_level = scoring.maturity_level(overall)
    assessment.is_latest = True
    if baseline is not None and baseline.overall_score is not None and overall is not None:
        assessment.gain = overall - baseline.overall_score
        assessment.events_attended, assessment.paths_completed = _services_received(assessment, baseline.submitted_at)
    assessment.save()
    plan_rebuild(assessment=assessment, results=results)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=assessment,
        changes={
            "status": [Assessment.Status.IN_PROGRESS, Assessment.Status.SUBMITTED],
            "overall_score": [None, overall],
            "maturity_level": [None, assessment.maturity_level],
        },
    )
    return assessment


def plan_rebuild(*, assessment: Assessment, results: dict[str, scoring.DimensionResult] | None = None) -> int:
    """(Re)build the assessment's action plan from the program's active rules; returns its length."""
    if results is None:
        scores = dict(DimensionScore.objects.filter(assessment=assessment).values_list("code", "score"))
    else:
        scores = {code: result.score for code, result in results.items()}
    rules = [
        recommendations.RuleFacts(
            id=rule.pk,
            priority=rule.priority,
            dimension=rule.dimension,
            below_score=rule.below_score,
            needed_theme_id=rule.needed_theme_id,
        )
        for rule in RecommendationRule.objects.filter(program_id=assessment.program_id, is_active=True)
    ]
    needed = assessment.expertise_themes.values_list("pk", flat=True)
    matches = recommendations.match_rules(rules, scores, needed)
    Recommendation.objects.filter(assessment=assessment).delete()
    Recommendation.objects.bulk_create(
        Recommendation(
            assessment=assessment,
            rule_id=match.rule_id,
            position=position,
            dimension=match.dimension,
            score=match.score,
            theme_id=match.theme_id,
        )
        for position, match in enumerate(matches, start=1)
    )
    return len(matches)


# Recommendation rules

RULE_FIELDS = ("title_fr", "title_en", "advice_fr", "advice_en", "dimension", "below_score", "needed_theme", "priority")


@transaction.atomic
def rule_create(
    *, program: Program, data: dict[str, Any], learning_paths=(), event_topics=(), expertise_themes=(), actor
) -> RecommendationRule:
    rule = RecommendationRule(program=program, **{name: data[name] for name in RULE_FIELDS if name in data})
    if rule.dimension is None:
        rule.dimension = ""
    rule.full_clean()
    rule.save()
    rule.learning_paths.set([path for path in learning_paths if path.program_id == program.pk])
    rule.event_topics.set([topic for topic in event_topics if topic.program_id == program.pk])
    rule.expertise_themes.set(list(expertise_themes))
    _created(actor, rule, RULE_FIELDS)
    return rule


@transaction.atomic
def rule_set_active(*, rule: RecommendationRule, is_active: bool, actor) -> RecommendationRule:
    rule = RecommendationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active != is_active:
        log_activity(
            actor=actor,
            verb=ActivityLogEntry.Verb.UPDATED,
            subject=rule,
            changes={"is_active": [rule.is_active, is_active]},
        )
        rule.is_active = is_active
        rule.save(update_fields=["is_active", "updated_at"])
    return rule


def rules_load_defaults(*, program: Program, actor) -> list[RecommendationRule]:
    """The default rules (``recommendations.DEFAULT_RULES``), once per program."""
    if RecommendationRule.objects.filter(program=program).exists():
        return []
    themes = {theme.code: theme for theme in ExpertiseTheme.objects.all()}
    created = []
    for rule in recommendations.DEFAULT_RULES:
        data = {name: rule[name] for name in ("title_fr", "title_en", "advice_fr", "advice_en", "priority")}
        if "dimension" in rule:
            data.update(dimension=rule["dimension"], below_score=Decimal(rule["below_score"]))
        else:
            data["needed_theme"] = themes[rule["needed_theme"]]
        created.append(
            rule_create(
                program=program,
                data=data,
                expertise_themes=[themes[code] for code in rule["themes"] if code in themes],
                actor=actor,
            )
        )
    return created


DIMENSION_CODES = tuple(DimensionCode.values)

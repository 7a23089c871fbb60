"""The answers of a program's assessments as CSV: named for the program's staff, or anonymized for research.

The anonymized file leaves out everything that points at an organization or a person (names,
identifiers, who answered, the exact day): each organization becomes a pseudonym, a keyed hash of
its id that only this installation can compute, so that the rows of one organization (its first
and second assessments) stay linked; its kind and region stay, and the month of submission.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from virage.core.spreadsheets import csv_response

from .models import Answer


def pseudonym(organization_id: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"diagnostics-organization-{organization_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:16]


def _header(anonymized: bool) -> list[str]:
    who = (
        [_("Organization (pseudonym)")]
        if anonymized
        else [_("Assessment"), _("Organization"), _("Quebec enterprise number")]
    )
    return [
        *who,
        _("Kind"),
        _("Region"),
        _("Round"),
        _("Status"),
        _("Submitted in") if anonymized else _("Submitted on"),
        _("Questionnaire"),
        _("Version"),
        _("Dimension"),
        _("Question"),
        _("Question text"),
        _("Answer codes"),
        _("Answer"),
        _("Not applicable"),
        _("Question score"),
        _("Overall score"),
    ]


def _rows(answers, anonymized: bool):
    for answer in answers.iterator(chunk_size=2000):
        assessment = answer.assessment
        organization = assessment.organization
        question = answer.question
        chosen = list(answer.options.all()) if question.is_multiple else ([answer.option] if answer.option_id else [])
        if anonymized:
            who = [pseudonym(organization.pk)]
            day = assessment.submitted_on.strftime("%Y-%m") if assessment.submitted_on else ""
        else:
            who = [assessment.pk, organization.display_name, organization.neq]
            day = assessment.submitted_on.isoformat() if assessment.submitted_on else ""
        yield [
            *who,
            assessment.organization_kind,
            assessment.region.code if assessment.region else "",
            assessment.round,
            assessment.status,
            day,
            assessment.version.questionnaire.code,
            assessment.version.number,
            question.dimension.code,
            question.code,
            question.text_fr,
            "|".join(option.code for option in chosen),
            " | ".join(option.label_fr for option in chosen),
            "1" if answer.is_not_applicable else "0",
            "" if answer.score is None else f"{answer.score:.2f}",
            "" if assessment.overall_score is None else f"{assessment.overall_score:.1f}",
        ]


def export_answers(assessments, *, program_slug: str, anonymized: bool):
    """A streamed CSV of the answers of ``assessments`` (already scoped to what the user may see)."""
    answers = (
        Answer.objects.filter(assessment__in=assessments.values("pk"))
        .select_related("assessment__organization", "assessment__region", "assessment__version__questionnaire")
        .select_related("question__dimension", "option")
        .prefetch_related("options")
        .order_by("assessment_id", "question__dimension__position", "question__position")
    )
    suffix = "anonymise" if anonymized else "reponses"
    return csv_response(
        filename=f"diagnostics-{program_slug}-{suffix}.csv", header=_header(anonymized), rows=_rows(answers, anonymized)
    )

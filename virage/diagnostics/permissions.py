"""Who may see and do what in diagnostics. Every view and API endpoint goes through here.

- Organization contacts answer their organization's assessments and see their results.
- Coaches (and advisors) assigned to an organization fill assessments in with it (assisted mode)
  and see its results.
- Regional coordinators see and assist the assessments of their regions in their programs.
- Program managers see every assessment of their programs, keep the questionnaires and the
  recommendation rules, and export the answers.
- Funder viewers and reviewers see no assessment (the program's aggregates only, in indicators).
Missing and forbidden look the same: 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.core.errors import parse_id
from virage.organizations.models import Organization
from virage.programs.models import Program

from .models import Assessment, Dimension, Question, QuestionnaireVersion

NOT_DIAGNOSTICS_MANAGER = _("Only the program's managers keep its questionnaires and recommendation rules.")
NOT_ASSESSMENT_STAFF = _("Only the program's managers and coordinators see the list of assessments.")
NOT_YOURS_TO_ANSWER = _(
    "Only the organization's contacts, its coaches and the program's staff can fill in this assessment."
)
ASSESSMENT_LOCKED = _("This assessment was submitted: its answers can no longer change.")


def require(allowed: tuple[bool, str]) -> None:
    if not allowed[0]:
        raise Http404(allowed[1])


def can_manage_diagnostics(user, program: Program | None = None) -> tuple[bool, str]:
    """Keep questionnaires and rules, export answers: administrators and the program's managers."""
    scope = scope_for(user)
    if scope.is_admin:
        return True, ""
    if program is None and scope.managed_program_ids:
        return True, ""
    if program is not None and program.pk in scope.managed_program_ids:
        return True, ""
    return False, str(NOT_DIAGNOSTICS_MANAGER)


def can_list_assessments(user) -> tuple[bool, str]:
    if scope_for(user).is_staff_of_some_program:
        return True, ""
    return False, str(NOT_ASSESSMENT_STAFF)


def assessments_filter(user) -> Q | None:
    """The condition on Assessment for what ``user`` may see; None means everything."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    condition = Q(pk__in=[])
    if scope.managed_program_ids:
        condition |= Q(program_id__in=sorted(scope.managed_program_ids))
    for program_id, region_ids in scope.coordinated_regions.items():
        condition |= Q(program_id=program_id, region_id__in=sorted(region_ids))
    if scope.coached_organization_ids and scope.coach_program_ids:
        condition |= Q(
            program_id__in=sorted(scope.coach_program_ids), organization_id__in=sorted(scope.coached_organization_ids)
        )
    if scope.contact_organization_ids:
        condition |= Q(organization_id__in=sorted(scope.contact_organization_ids))
    return condition


def assessments_for(user) -> QuerySet[Assessment]:
    if not user.is_authenticated:
        return Assessment.objects.none()
    condition = assessments_filter(user)
    return Assessment.objects.all() if condition is None else Assessment.objects.filter(condition)


def access_assessment_by_id(user, assessment_id) -> Assessment:
    pk = parse_id(assessment_id)
    if pk is None:
        raise Http404
    try:
        return (
            assessments_for(user)
            .select_related("program", "organization", "region", "version__questionnaire")
            .get(pk=pk)
        )
    except Assessment.DoesNotExist as error:
        raise Http404 from error


def is_contact_of(user, organization_id: int) -> bool:
    return organization_id in scope_for(user).contact_organization_ids


def _works_with(user, organization: Organization, program: Program) -> bool:
    """Contacts, coaches of the organization in the program, and the program's staff over it."""
    scope = scope_for(user)
    if scope.is_admin or program.pk in scope.managed_program_ids:
        return True
    if organization.region_id in scope.coordinated_regions.get(program.pk, ()):
        return True
    if organization.pk in scope.coached_organization_ids and program.pk in scope.coach_program_ids:
        return True
    return organization.pk in scope.contact_organization_ids


def can_start_assessment(user, organization: Organization, program: Program) -> tuple[bool, str]:
    if _works_with(user, organization, program):
        return True, ""
    return False, str(NOT_YOURS_TO_ANSWER)


def can_answer_assessment(user, assessment: Assessment) -> tuple[bool, str]:
    """Answer, save the needs and submit: the people who may start it, while it is in progress."""
    if not _works_with(user, assessment.organization, assessment.program):
        return False, str(NOT_YOURS_TO_ANSWER)
    if assessment.is_submitted:
        return False, str(ASSESSMENT_LOCKED)
    return True, ""


def access_program_for_diagnostics(user, slug) -> Program:
    """A program whose questionnaires and rules ``user`` keeps; 404 otherwise."""
    program = Program.objects.filter(slug=str(slug)[:60]).first()
    if program is None or not can_manage_diagnostics(user, program)[0]:
        raise Http404
    return program


def access_version_by_id(user, version_id) -> QuestionnaireVersion:
    pk = parse_id(version_id)
    if pk is None:
        raise Http404
    version = QuestionnaireVersion.objects.select_related("questionnaire__program").filter(pk=pk).first()
    if version is None or not can_manage_diagnostics(user, version.questionnaire.program)[0]:
        raise Http404
    return version


def access_dimension_by_id(user, version: QuestionnaireVersion, dimension_id) -> Dimension:
    pk = parse_id(dimension_id)
    dimension = version.dimensions.filter(pk=pk).first() if pk else None
    if dimension is None:
        raise Http404
    return dimension


def access_question_by_id(user, question_id) -> Question:
    pk = parse_id(question_id)
    if pk is None:
        raise Http404
    question = Question.objects.select_related("dimension__version__questionnaire__program").filter(pk=pk).first()
    if question is None or not can_manage_diagnostics(user, question.dimension.version.questionnaire.program)[0]:
        raise Http404
    return question


def organizations_to_assess(user) -> QuerySet[Organization]:
    """The organizations a contact or a coach answers for: their own, and those assigned to them."""
    scope = scope_for(user)
    own = scope.contact_organization_ids | scope.coached_organization_ids
    return Organization.objects.filter(pk__in=sorted(own)) if own else Organization.objects.none()

"""Who may see and do what in learning. Every view and API endpoint goes through here.

- Program managers (and administrators) keep the competencies and paths, and run every cohort.
- Regional coordinators run the cohorts of their regions, and see the online ones of their program.
- Facilitators (any account named on a cohort) see their cohorts and update the progress grid.
- Learners see their own enrollments and attestations (people linked to their account).
Missing and forbidden look the same: 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.core.errors import parse_id
from virage.programs.models import Program

from .models import Attestation, Cohort, Enrollment, LearningPath, Module, normalize_code

NOT_LEARNING_MANAGER = _("Only the program's managers keep its competencies and learning paths.")
NOT_COHORT_STAFF = _("Only the program's managers and the coordinators of the cohort's region can do this.")
NOT_FACILITATOR = _("Only the cohort's facilitators and staff can update progress.")


def require(allowed: tuple[bool, str]) -> None:
    if not allowed[0]:
        raise Http404(allowed[1])


def can_manage_learning(user, program: Program | None = None) -> tuple[bool, str]:
    """Keep competencies and paths: administrators, and managers of ``program`` (of some program if None)."""
    scope = scope_for(user)
    if scope.is_admin:
        return True, ""
    if program is None:
        if scope.managed_program_ids:
            return True, ""
    elif program.pk in scope.managed_program_ids:
        return True, ""
    return False, str(NOT_LEARNING_MANAGER)


def can_see_learning(user) -> tuple[bool, str]:
    """The staff pages of learning: program staff and facilitators of some cohort."""
    scope = scope_for(user)
    if scope.is_staff_of_some_program or _facilitates_some_cohort(user):
        return True, ""
    return False, str(NOT_COHORT_STAFF)


def _facilitates_some_cohort(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_virage_facilitates", None)
    if cached is None:
        cached = user.facilitated_cohorts.exists()
        user._virage_facilitates = cached
    return cached


def paths_for(user) -> QuerySet[LearningPath]:
    """Paths of the programs the user runs (managers and coordinators) or facilitates in."""
    scope = scope_for(user)
    if scope.is_admin:
        return LearningPath.objects.all()
    program_ids = set(scope.managed_program_ids) | set(scope.coordinated_regions)
    visible = Q(program_id__in=sorted(program_ids))
    if user.is_authenticated:
        visible |= Q(cohorts__facilitators=user)
    return LearningPath.objects.filter(visible).distinct() if user.is_authenticated else LearningPath.objects.none()


def cohorts_for(user) -> QuerySet[Cohort]:
    """Cohorts seen on staff pages: managers' programs, coordinators' regions and online cohorts, facilitated ones."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    scope = scope_for(user)
    if scope.is_admin:
        return Cohort.objects.all()
    visible = Q(program_id__in=sorted(scope.managed_program_ids)) | Q(facilitators=user)
    for program_id, region_ids in scope.coordinated_regions.items():
        visible |= Q(program_id=program_id) & (Q(region_id__in=sorted(region_ids)) | Q(region__isnull=True))
    return Cohort.objects.filter(pk__in=Cohort.objects.filter(visible).values("pk"))


def can_run_cohort(user, cohort: Cohort) -> tuple[bool, str]:
    """Edit the cohort, schedule sessions, enroll, cancel, pair mentors, issue and revoke attestations."""
    scope = scope_for(user)
    if scope.is_admin or cohort.program_id in scope.managed_program_ids:
        return True, ""
    if cohort.region_id is not None and cohort.region_id in scope.coordinated_regions.get(cohort.program_id, ()):
        return True, ""
    return False, str(NOT_COHORT_STAFF)


def can_facilitate_cohort(user, cohort: Cohort) -> tuple[bool, str]:
    """Update the progress grid: whoever runs the cohort, and its facilitators."""
    if can_run_cohort(user, cohort)[0]:
        return True, ""
    if user.is_authenticated and cohort.facilitators.filter(pk=user.pk).exists():
        return True, ""
    return False, str(NOT_FACILITATOR)


def access_program_for_learning(user, slug) -> Program:
    """A program whose learning catalogue ``user`` keeps; 404 otherwise."""
    slug = str(slug)
    program = Program.objects.filter(slug=slug[:60]).first()
    if program is None or not can_manage_learning(user, program)[0]:
        raise Http404
    return program


def access_path_by_id(user, path_id) -> LearningPath:
    pk = parse_id(path_id)
    if pk is None:
        raise Http404
    try:
        return paths_for(user).select_related("program").get(pk=pk)
    except LearningPath.DoesNotExist as error:
        raise Http404 from error


def access_module_by_id(user, path: LearningPath, module_id) -> Module:
    pk = parse_id(module_id)
    if pk is None or not can_manage_learning(user, path.program)[0]:
        raise Http404
    try:
        return path.modules.get(pk=pk)
    except Module.DoesNotExist as error:
        raise Http404 from error


def access_cohort_by_id(user, cohort_id) -> Cohort:
    pk = parse_id(cohort_id)
    if pk is None:
        raise Http404
    try:
        return cohorts_for(user).select_related("path", "program", "region", "client_organization").get(pk=pk)
    except Cohort.DoesNotExist as error:
        raise Http404 from error


def access_enrollment_by_id(user, cohort: Cohort, enrollment_id) -> Enrollment:
    """An enrollment of ``cohort``, which ``user`` must facilitate or run; 404 otherwise."""
    pk = parse_id(enrollment_id)
    if pk is None or not can_facilitate_cohort(user, cohort)[0]:
        raise Http404
    try:
        return Enrollment.objects.select_related("person", "organization", "cohort__path").get(cohort=cohort, pk=pk)
    except Enrollment.DoesNotExist as error:
        raise Http404 from error


def own_enrollments(user) -> QuerySet[Enrollment]:
    """The enrollments of the people linked to ``user``'s account (a learner's own)."""
    if not user.is_authenticated:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(person__user=user, person__is_active=True)


def access_own_enrollment_by_id(user, enrollment_id) -> Enrollment:
    pk = parse_id(enrollment_id)
    if pk is None:
        raise Http404
    try:
        return own_enrollments(user).select_related("person", "cohort__path").get(pk=pk)
    except Enrollment.DoesNotExist as error:
        raise Http404 from error


def cohorts_open_to(user) -> QuerySet[Cohort]:
    """Open cohorts of published paths a learner may join: public ones, and those private to their organization."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    organization_ids = list(user.contact_records.filter(is_active=True).values_list("organization_id", flat=True))
    if not organization_ids:
        return Cohort.objects.none()
    return Cohort.objects.filter(
        Q(client_organization__isnull=True) | Q(client_organization_id__in=organization_ids),
        status=Cohort.Status.OPEN,
        path__status=LearningPath.Status.PUBLISHED,
        program__is_active=True,
    )


def access_open_cohort_by_id(user, cohort_id) -> Cohort:
    pk = parse_id(cohort_id)
    if pk is None:
        raise Http404
    try:
        return cohorts_open_to(user).select_related("path").get(pk=pk)
    except Cohort.DoesNotExist as error:
        raise Http404 from error


def access_attestation_by_id(user, attestation_id) -> Attestation:
    """An attestation its learner may download, or that the staff of its cohort may manage; 404 otherwise."""
    pk = parse_id(attestation_id)
    if pk is None or not user.is_authenticated:
        raise Http404
    attestation = Attestation.objects.select_related("enrollment__person", "enrollment__cohort").filter(pk=pk).first()
    if attestation is None:
        raise Http404
    if attestation.enrollment.person.user_id == user.pk:
        return attestation
    cohort = attestation.enrollment.cohort
    if cohorts_for(user).filter(pk=cohort.pk).exists() and can_facilitate_cohort(user, cohort)[0]:
        return attestation
    raise Http404


def can_manage_attestation(user, attestation: Attestation) -> tuple[bool, str]:
    return can_run_cohort(user, attestation.enrollment.cohort)


def attestation_by_code(text) -> Attestation | None:
    """The attestation with this verification code (typed with or without dashes), or None."""
    code = normalize_code(text)
    if not code:
        return None
    return Attestation.objects.filter(code=code).first()

"""Permission-matrix rows of learning (see tests/test_permission_matrix.py).

The Montréal cohort is run by the program's managers only (the coordinator persona works in
Capitale-Nationale). The Québec cohort is also run by that coordinator, and facilitated by the
coach persona; its learner is the contact persona, who holds an attestation there. Learners reach
only their own pages; the verification page is public.
"""

from decimal import Decimal

from django.utils import timezone

from virage.learning.models import Attestation, Cohort, Module
from virage.learning.tests.factories import (
    CohortFactory,
    CompetencyFactory,
    EnrollmentFactory,
    ModuleFactory,
    PathFactory,
)

PROGRAM_STAFF = ("admin", "manager")
COHORT_STAFF = ("admin", "manager", "coordinator_other_region")
FACILITATORS = ("admin", "manager", "coordinator_other_region", "coach")


def rows(world, *, row, by) -> dict:
    competency = CompetencyFactory(program=world.program)
    path = PathFactory(program=world.program)
    module = ModuleFactory(path=path, format=Module.Format.SELF_PACED)
    ModuleFactory(path=path, format=Module.Format.LIVE_SESSION)
    montreal = CohortFactory(path=path, region=world.region_montreal)
    quebec = CohortFactory(path=path, region=world.region_quebec)
    quebec.facilitators.add(world.coach)
    open_online = CohortFactory(path=path, region=None, status=Cohort.Status.OPEN)
    enrollment_montreal = EnrollmentFactory(cohort=montreal, person=world.person_montreal)
    enrollment_quebec = EnrollmentFactory(cohort=quebec, person=world.person_quebec)
    attestation = Attestation.objects.create(
        enrollment=enrollment_quebec,
        learner_name="Jérôme Côté",
        path_title_fr=path.title_fr,
        path_title_en=path.title_en,
        hours=Decimal("2.50"),
        completed_on=timezone.localdate(),
        issuer=world.program.name_fr,
    )
    slug = {"slug": world.program.slug}
    cohort_mtl = {"pk": montreal.pk}
    cohort_qc = {"pk": quebec.pk}
    # What program staff may do; everyone else gets 404 (anonymous: sign-in).
    staff_only = by(PROGRAM_STAFF, 200, 404)
    run_quebec = by(COHORT_STAFF, 200, 404)
    everyone = row(200, anonymous=200)
    return {
        "learning:list": ({}, by(FACILITATORS, 200, 404), None),
        "learning:my_learning": ({}, row(200), None),
        # Only people linked to an organization's record can enroll themselves: the contact persona.
        "learning:self_enroll": (
            {"pk": open_online.pk},
            None,
            by(("contact_other_organization",), "redirect", 404),
        ),
        "learning:self_declare": (
            {"pk": enrollment_quebec.pk, "module_pk": module.pk},
            None,
            by(("contact_other_organization",), "redirect", 404),
        ),
        "learning:self_declare#not_own": (
            {"pk": enrollment_montreal.pk, "module_pk": module.pk},
            None,
            row(404),
        ),
        # Empty forms come back with their errors.
        "learning:competencies": (slug, staff_only, staff_only),
        "learning:competencies#unknown": ({"slug": "inconnu"}, row(404), row(404)),
        "learning:competency_edit": ({**slug, "pk": competency.pk}, staff_only, staff_only),
        "learning:path_create": ({}, staff_only, staff_only),
        "learning:path_detail": ({"pk": path.pk}, by(FACILITATORS, 200, 404), None),
        "learning:path_detail#missing": ({"pk": 999999999}, row(404), None),
        "learning:path_edit": ({"pk": path.pk}, staff_only, staff_only),
        "learning:module_create": ({"pk": path.pk}, staff_only, staff_only),
        "learning:module_edit": ({"pk": path.pk, "module_pk": module.pk}, staff_only, staff_only),
        "learning:cohort_create": ({"pk": path.pk}, staff_only, staff_only),
        "learning:cohort_detail": (cohort_mtl, staff_only, None),
        "learning:cohort_detail#quebec": (cohort_qc, by(FACILITATORS, 200, 404), None),
        "learning:cohort_edit": (cohort_mtl, staff_only, staff_only),
        "learning:cohort_edit#quebec": (cohort_qc, run_quebec, run_quebec),
        "learning:phase_create": (cohort_qc, run_quebec, run_quebec),
        "learning:session_create": (cohort_qc, run_quebec, run_quebec),
        "learning:enroll": (cohort_mtl, staff_only, staff_only),
        "learning:enroll#quebec": (cohort_qc, run_quebec, run_quebec),
        "learning:enrollment_cancel": (
            {"pk": montreal.pk, "enrollment_pk": enrollment_montreal.pk},
            None,
            by(PROGRAM_STAFF, "redirect", 404),
        ),
        # An enrollment of another cohort is not found through this one.
        "learning:enrollment_cancel#other_cohort": (
            {"pk": quebec.pk, "enrollment_pk": enrollment_montreal.pk},
            None,
            row(404),
        ),
        "learning:enrollment_mentor": (
            {"pk": quebec.pk, "enrollment_pk": enrollment_quebec.pk},
            None,
            by(COHORT_STAFF, "redirect", 404),
        ),
        "learning:cohort_grid": (cohort_mtl, staff_only, None),
        "learning:cohort_grid#quebec": (cohort_qc, by(FACILITATORS, 200, 404), None),
        # Without a status the cell is a bad request; after the access check only.
        "learning:progress_cell": (
            {"pk": quebec.pk, "enrollment_pk": enrollment_quebec.pk, "module_pk": module.pk},
            None,
            by(FACILITATORS, 400, 404),
        ),
        "learning:progress_cell#montreal": (
            {"pk": montreal.pk, "enrollment_pk": enrollment_montreal.pk, "module_pk": module.pk},
            None,
            by(PROGRAM_STAFF, 400, 404),
        ),
        "learning:attendance_sync": (cohort_qc, None, by(FACILITATORS, "redirect", 404)),
        "learning:attestations_issue": (cohort_qc, None, by(COHORT_STAFF, "redirect", 404)),
        "learning:attestations_issue#montreal": (cohort_mtl, None, by(PROGRAM_STAFF, "redirect", 404)),
        # The learner downloads their own; the staff and facilitators of the cohort too.
        "learning:attestation_pdf": (
            {"pk": attestation.pk},
            by((*FACILITATORS, "contact_other_organization"), 200, 404),
            None,
        ),
        "learning:attestation_revoke": ({"pk": attestation.pk}, run_quebec, run_quebec),
        "learning:attestation_resend": ({"pk": attestation.pk}, None, by(COHORT_STAFF, "redirect", 404)),
        "attestations:verify_form": ({}, everyone, None),
        "attestations:verify": ({"code": attestation.code}, everyone, None),
        "attestations:verify#unknown": ({"code": "AAAABBBBCCCCDDDD"}, row(404, anonymous=404), None),
        "attestations:verify#garbage": ({"code": "x" * 300}, row(404, anonymous=404), None),
    }

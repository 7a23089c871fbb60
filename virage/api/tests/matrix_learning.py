"""Permission-matrix rows of the learning API (see tests/test_permission_matrix.py).

The same data and the same people as the learning pages (virage/learning/tests/matrix.py): the
Montréal cohort is the managers', the Québec cohort is also its coordinator's and facilitated by
the coach; the contact persona is its learner and holds an attestation. Roles without learning get
403 on lists and 404 on objects; anonymous clients 401, except on the public verification.
"""

from decimal import Decimal

from django.utils import timezone

from virage.learning.models import Attestation, Module
from virage.learning.tests.factories import CohortFactory, EnrollmentFactory, ModuleFactory, PathFactory

PROGRAM_STAFF = ("admin", "manager")
COHORT_STAFF = ("admin", "manager", "coordinator_other_region")
FACILITATORS = ("admin", "manager", "coordinator_other_region", "coach")


def rows(world, *, row, by) -> dict:
    path = PathFactory(program=world.program)
    ModuleFactory(path=path, format=Module.Format.SELF_PACED)
    montreal = CohortFactory(path=path, region=world.region_montreal)
    quebec = CohortFactory(path=path, region=world.region_quebec)
    quebec.facilitators.add(world.coach)
    EnrollmentFactory(cohort=montreal, person=world.person_montreal)
    enrollment = EnrollmentFactory(cohort=quebec, person=world.person_quebec)
    attestation = Attestation.objects.create(
        enrollment=enrollment,
        learner_name="Jérôme Côté",
        path_title_fr=path.title_fr,
        hours=Decimal("2"),
        completed_on=timezone.localdate(),
        issuer=world.program.name_fr,
    )

    def api(expected: dict) -> dict:
        return {**expected, "anonymous": 401}

    in_quebec = {"cohort_pk": quebec.pk}
    in_montreal = {"cohort_pk": montreal.pk}
    return {
        # Read-only lists: POST is not a method of theirs, whoever asks.
        "api:learningpath-list": ({}, api(by(FACILITATORS, 200, 403)), api(row(405))),
        "api:learningpath-detail": ({"pk": path.pk}, api(by(FACILITATORS, 200, 404)), None),
        "api:cohort-list": ({}, api(by(FACILITATORS, 200, 403)), api(row(405))),
        "api:cohort-detail": ({"pk": montreal.pk}, api(by(PROGRAM_STAFF, 200, 404)), None),
        "api:cohort-detail#quebec": ({"pk": quebec.pk}, api(by(FACILITATORS, 200, 404)), None),
        "api:enrollment-list": (
            in_quebec,
            api(by(FACILITATORS, 200, 403)),
            # An empty body is refused once the role may enroll; facilitators do not enroll.
            api(by(COHORT_STAFF, 400, 403)),
        ),
        "api:enrollment-list#montreal": (
            in_montreal,
            api({**by(PROGRAM_STAFF, 200, 403), "coordinator_other_region": 404, "coach": 404}),
            api({**by(PROGRAM_STAFF, 400, 403), "coordinator_other_region": 404, "coach": 404}),
        ),
        "api:enrollment-detail": ({**in_quebec, "pk": enrollment.pk}, api(by(FACILITATORS, 200, 404)), None),
        "api:enrollment-cancel": (
            {**in_quebec, "pk": enrollment.pk},
            None,
            api({**by(COHORT_STAFF, 200, 404), "coach": 403}),
        ),
        # Without a body the update is refused; after the access check only.
        "api:cohort-progress": (in_quebec, api(by(FACILITATORS, 200, 403)), api(by(FACILITATORS, 400, 403))),
        "api:cohort-progress#montreal": (
            in_montreal,
            api({**by(PROGRAM_STAFF, 200, 403), "coordinator_other_region": 404, "coach": 404}),
            api({**by(PROGRAM_STAFF, 400, 403), "coordinator_other_region": 404, "coach": 404}),
        ),
        "api:attestation-list": ({}, api(row(200)), None),
        "api:attestation-detail": (
            {"pk": attestation.pk},
            api(by((*FACILITATORS, "contact_other_organization"), 200, 404)),
            None,
        ),
        "api:attestation-revoke": ({"pk": attestation.pk}, None, api(by(COHORT_STAFF, 400, 404))),
        "api:attestation-resend": ({"pk": attestation.pk}, None, api(by(COHORT_STAFF, 200, 404))),
        "api:attestation-verify": ({"code": attestation.code}, row(200, anonymous=200), None),
        "api:attestation-verify#unknown": ({"code": "AAAABBBBCCCCDDDD"}, row(404, anonymous=404), None),
    }

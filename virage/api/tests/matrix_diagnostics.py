"""Permission-matrix rows of the diagnostics API (see tests/test_permission_matrix.py).

The same data and people as the diagnostics pages (virage/diagnostics/tests/matrix.py): the Québec
organization's assessment in progress is answered by its contact, its coach and the staff who work
with it; the Montréal organization's submitted one is seen by the program's managers only.
Anonymous clients get 401.
"""

from virage.diagnostics import services
from virage.diagnostics.tests.factories import FULL_ANSWERS, answer_all, load_small_questionnaire

STAFF = ("admin", "manager")
WITH_QUEBEC = ("admin", "manager", "coordinator_other_region", "coach", "contact_other_organization")


def rows(world, *, row, by) -> dict:
    from virage.diagnostics.models import Assessment, QuestionnaireVersion

    # The pages' rows (virage/diagnostics/tests/matrix.py) may have made the same data already.
    version = QuestionnaireVersion.objects.filter(questionnaire__program=world.program).first()
    if version is None:
        version = load_small_questionnaire(world.program, world.manager).versions.get()
    in_progress = Assessment.objects.filter(organization=world.org_quebec, status="in_progress").first()
    if in_progress is None:
        in_progress = services.assessment_start(
            program=world.program, organization=world.org_quebec, actor=world.contact_quebec
        )
    submitted = Assessment.objects.filter(organization=world.org_montreal, status="submitted").first()
    if submitted is None:
        submitted = services.assessment_start(
            program=world.program, organization=world.org_montreal, actor=world.manager
        )
        answer_all(submitted, world.manager, FULL_ANSWERS)
        services.assessment_submit(assessment=submitted, actor=world.manager)

    def api(expected: dict) -> dict:
        return {**expected, "anonymous": 401}

    quebec = {"pk": in_progress.pk}
    montreal = {"pk": submitted.pk}
    return {
        "api:questionnaireversion-list": ({}, api(row(200)), api(row(405))),
        "api:questionnaireversion-detail": ({"pk": version.pk}, api(row(200, outsider=404)), None),
        # An empty body is refused with the fields' messages.
        "api:assessment-list": ({}, api(row(200)), api(row(400))),
        "api:assessment-detail": (quebec, api(by(WITH_QUEBEC, 200, 404)), None),
        "api:assessment-detail#submitted": (montreal, api(by(STAFF, 200, 404)), None),
        "api:assessment-answers": (quebec, api(by(WITH_QUEBEC, 200, 404)), api(by(WITH_QUEBEC, 400, 404))),
        # Submitted: the answers are locked (403 with the reason); others do not see it.
        "api:assessment-answers#submitted": (montreal, api(by(STAFF, 200, 404)), api(by(STAFF, 403, 404))),
        # Incomplete: refused with the unanswered questions.
        "api:assessment-submit": (quebec, None, api(by(WITH_QUEBEC, 400, 404))),
        "api:assessment-scores": (montreal, api(by(STAFF, 200, 404)), None),
        "api:assessment-recommendations": (montreal, api(by(STAFF, 200, 404)), None),
    }

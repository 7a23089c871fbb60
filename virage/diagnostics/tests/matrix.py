"""Permission-matrix rows of diagnostics (see tests/test_permission_matrix.py).

The Québec organization (its contact, its coach and the Capitale-Nationale coordinator work with
it) has an assessment in progress; the Montréal organization a submitted one, seen by the
program's managers only. Questionnaires, rules and exports are the managers'.
"""

from virage.diagnostics import services
from virage.diagnostics.models import Dimension, Question
from virage.diagnostics.tests.factories import FULL_ANSWERS, answer_all, load_small_questionnaire

STAFF = ("admin", "manager")
PROGRAM_STAFF = ("admin", "manager", "coordinator_other_region")
WITH_QUEBEC = ("admin", "manager", "coordinator_other_region", "coach", "contact_other_organization")
INDICATOR_READERS = ("admin", "manager", "coordinator_other_region", "funder")


def rows(world, *, row, by) -> dict:
    questionnaire = load_small_questionnaire(world.program, world.manager)
    version = questionnaire.versions.get()
    dimension = Dimension.objects.filter(version=version).first()
    question = Question.objects.filter(dimension=dimension).first()
    rule = services.rules_load_defaults(program=world.program, actor=world.manager)[0]
    in_progress = services.assessment_start(
        program=world.program, organization=world.org_quebec, actor=world.contact_quebec
    )
    submitted = services.assessment_start(program=world.program, organization=world.org_montreal, actor=world.manager)
    answer_all(submitted, world.manager, FULL_ANSWERS)
    services.assessment_submit(assessment=submitted, actor=world.manager)
    slug = {"slug": world.program.slug}
    quebec = {"pk": in_progress.pk}
    montreal = {"pk": submitted.pk}
    staff_only = by(STAFF, 200, 404)
    return {
        "diagnostics:list": ({}, by(PROGRAM_STAFF, 200, 404), None),
        "diagnostics:mine": ({}, row(200), None),
        # An empty start form comes back with its error.
        "diagnostics:organization": ({"pk": world.org_quebec.pk}, by(WITH_QUEBEC, 200, 404), by(WITH_QUEBEC, 200, 404)),
        "diagnostics:organization#montreal": ({"pk": world.org_montreal.pk}, staff_only, staff_only),
        "diagnostics:take": (quebec, by(WITH_QUEBEC, 200, 404), by(WITH_QUEBEC, "redirect", 404)),
        # A submitted assessment's questionnaire sends to its results.
        "diagnostics:take#submitted": (montreal, by(STAFF, "redirect", 404), by(STAFF, "redirect", 404)),
        "diagnostics:autosave": (quebec, None, by(WITH_QUEBEC, 400, 404)),
        "diagnostics:needs": (quebec, by(WITH_QUEBEC, 200, 404), by(WITH_QUEBEC, 200, 404)),
        "diagnostics:review": (quebec, by(WITH_QUEBEC, 200, 404), None),
        # Incomplete: back to the review with the reason.
        "diagnostics:submit": (quebec, None, by(WITH_QUEBEC, "redirect", 404)),
        "diagnostics:submit#submitted": (montreal, None, row(404)),
        "diagnostics:results": (montreal, staff_only, None),
        "diagnostics:results#in_progress": (quebec, by(WITH_QUEBEC, "redirect", 404), None),
        "diagnostics:plan_pdf": (montreal, staff_only, None),
        "diagnostics:plan_pdf#in_progress": (quebec, row(404), None),
        "diagnostics:export": (slug, staff_only, None),
        "diagnostics:export#unknown": ({"slug": "inconnu"}, row(404), None),
        "diagnostics:questionnaires": (slug, staff_only, by(STAFF, "redirect", 404)),
        "diagnostics:rules": (slug, staff_only, staff_only),
        "diagnostics:rule_toggle": ({"pk": rule.pk}, None, by(STAFF, "redirect", 404)),
        "diagnostics:version_detail": ({"pk": version.pk}, staff_only, None),
        # The version is published: publishing again and adding a question are refused, with the reason.
        "diagnostics:version_publish": ({"pk": version.pk}, None, by(STAFF, "redirect", 404)),
        "diagnostics:question_create": (
            {"pk": version.pk, "dimension_pk": dimension.pk},
            by(STAFF, "redirect", 404),
            by(STAFF, "redirect", 404),
        ),
        "diagnostics:question_edit": ({"pk": question.pk}, staff_only, staff_only),
        "diagnostics:question_delete": ({"pk": question.pk}, None, by(STAFF, "redirect", 404)),
        "indicators:maturity": (slug, by(INDICATOR_READERS, 200, 404), None),
    }

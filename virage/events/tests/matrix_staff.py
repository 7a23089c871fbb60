"""Permission-matrix rows of the staff pages of events (see tests/test_permission_matrix.py).

The Montréal event is run by the program's managers only: the coordinator persona works in
Capitale-Nationale. The Québec event is also theirs; the province-wide online event they see but
do not run.
"""

from virage.events.models import Registration
from virage.events.tests.factories import EventFactory, RegistrationFactory

EVENT_STAFF = ("admin", "manager", "coordinator_other_region")
PROGRAM_STAFF = ("admin", "manager")


def rows(world, *, row, by) -> dict:
    montreal = EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal)
    quebec = EventFactory(program=world.program, municipality=world.quebec, region=world.region_quebec)
    province = EventFactory(program=world.program, online_url="https://zoom.example/j/9", region=None)
    registration = RegistrationFactory(event=montreal, status=Registration.Status.CONFIRMED)
    registration_quebec = RegistrationFactory(event=quebec, status=Registration.Status.CONFIRMED)
    return {
        "events:list": ({}, by(EVENT_STAFF, 200, 404), None),
        # The program's managers keep its topics and series; an empty form comes back with errors.
        "events:program_catalogue": (
            {"slug": world.program.slug},
            {**by(PROGRAM_STAFF, 200, 404), "outsider": 404},
            {**by(PROGRAM_STAFF, 200, 404), "outsider": 404},
        ),
        # An empty form comes back with its errors.
        "events:create": ({}, by(EVENT_STAFF, 200, 404), by(EVENT_STAFF, 200, 404)),
        "events:detail": ({"pk": montreal.pk}, by(PROGRAM_STAFF, 200, 404), None),
        "events:detail#quebec": ({"pk": quebec.pk}, by(EVENT_STAFF, 200, 404), None),
        "events:detail#province": ({"pk": province.pk}, by(EVENT_STAFF, 200, 404), None),
        "events:detail#missing": ({"pk": 999999999}, row(404), None),
        "events:edit": ({"pk": montreal.pk}, by(PROGRAM_STAFF, 200, 404), by(PROGRAM_STAFF, 200, 404)),
        "events:edit#quebec": ({"pk": quebec.pk}, by(EVENT_STAFF, 200, 404), by(EVENT_STAFF, 200, 404)),
        # Seen by the coordinator, but run by the program's managers.
        "events:edit#province": ({"pk": province.pk}, by(PROGRAM_STAFF, 200, 404), by(PROGRAM_STAFF, 200, 404)),
        "events:roll_call": ({"pk": montreal.pk}, by(PROGRAM_STAFF, 200, 404), by(PROGRAM_STAFF, 200, 404)),
        "events:roll_call#quebec": ({"pk": quebec.pk}, by(EVENT_STAFF, 200, 404), by(EVENT_STAFF, 200, 404)),
        "events:roll_call#province": ({"pk": province.pk}, by(PROGRAM_STAFF, 200, 404), by(PROGRAM_STAFF, 200, 404)),
        # Without "attended" the toggle is a bad request; after the access check only.
        "events:attendance_toggle": (
            {"pk": montreal.pk, "registration_pk": registration.pk},
            None,
            by(PROGRAM_STAFF, 400, 404),
        ),
        "events:attendance_toggle#quebec": (
            {"pk": quebec.pk, "registration_pk": registration_quebec.pk},
            None,
            by(EVENT_STAFF, 400, 404),
        ),
        # A registration of another event is not found through this one.
        "events:attendance_toggle#other_event": (
            {"pk": quebec.pk, "registration_pk": registration.pk},
            None,
            row(404),
        ),
        "events:registrants_export": ({"pk": montreal.pk, "file_format": "csv"}, by(PROGRAM_STAFF, 200, 404), None),
        "events:registrants_export#xlsx": (
            {"pk": quebec.pk, "file_format": "xlsx"},
            by(EVENT_STAFF, 200, 404),
            None,
        ),
        "events:registrants_export#pdf": ({"pk": montreal.pk, "file_format": "pdf"}, row(404), None),
        # An empty upload form comes back with its error.
        "events:attendance_import": ({"pk": montreal.pk}, by(PROGRAM_STAFF, 200, 404), by(PROGRAM_STAFF, 200, 404)),
        "events:attendance_import#quebec": ({"pk": quebec.pk}, by(EVENT_STAFF, 200, 404), by(EVENT_STAFF, 200, 404)),
        # Imports are reached only by their uploader: an unknown key is missing for everyone.
        "events:attendance_import_preview": ({"pk": montreal.pk, "token": "unknown"}, row(404), row(404)),
    }

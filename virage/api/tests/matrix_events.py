"""Permission-matrix rows of the events API (see tests/test_permission_matrix.py).

As on the staff pages, the Montréal event is run by the program's managers only (the coordinator
persona works in Capitale-Nationale), the Québec event by the coordinator too, and the
province-wide online event is seen by the coordinator but run by the managers. Roles without
events get 403 on lists and 404 on objects; anonymous clients 401.
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

    def api(expected: dict) -> dict:
        return {**expected, "anonymous": 401}

    def nested(event, registration_row=None) -> dict:
        kwargs = {"event_pk": event.pk}
        if registration_row is not None:
            kwargs["pk"] = registration_row.pk
        return kwargs

    return {
        # An empty body is refused field by field, once the role may create events.
        "api:event-list": ({}, api(by(EVENT_STAFF, 200, 403)), api(by(EVENT_STAFF, 400, 403))),
        "api:event-detail": ({"pk": montreal.pk}, api(by(PROGRAM_STAFF, 200, 404)), None),
        "api:event-detail#quebec": ({"pk": quebec.pk}, api(by(EVENT_STAFF, 200, 404)), None),
        "api:event-detail#province": ({"pk": province.pk}, api(by(EVENT_STAFF, 200, 404)), None),
        "api:event-detail#missing": ({"pk": 999999999}, api(row(404)), None),
        "api:registration-list": (
            nested(montreal),
            api({**by(PROGRAM_STAFF, 200, 403), "coordinator_other_region": 404}),
            api({**by(PROGRAM_STAFF, 400, 403), "coordinator_other_region": 404}),
        ),
        "api:registration-list#quebec": (
            nested(quebec),
            api(by(EVENT_STAFF, 200, 403)),
            api(by(EVENT_STAFF, 400, 403)),
        ),
        # Seen by the coordinator, but run by the program's managers.
        "api:registration-list#province": (
            nested(province),
            api(by(PROGRAM_STAFF, 200, 403)),
            api(by(PROGRAM_STAFF, 400, 403)),
        ),
        "api:registration-list#missing": (
            {"event_pk": 999999999},
            api(by(EVENT_STAFF, 404, 403)),
            api(by(EVENT_STAFF, 404, 403)),
        ),
        "api:registration-detail": (nested(montreal, registration), api(by(PROGRAM_STAFF, 200, 404)), None),
        "api:registration-detail#quebec": (
            nested(quebec, registration_quebec),
            api(by(EVENT_STAFF, 200, 404)),
            None,
        ),
        # A registration of another event is not found through this one.
        "api:registration-detail#other_event": (nested(quebec, registration), api(row(404)), None),
        "api:registration-cancel": (nested(montreal, registration), None, api(by(PROGRAM_STAFF, 200, 404))),
        "api:registration-cancel#quebec": (
            nested(quebec, registration_quebec),
            None,
            api(by(EVENT_STAFF, 200, 404)),
        ),
        "api:registration-cancel#other_event": (nested(quebec, registration), None, api(row(404))),
        # Without "attended" the body is refused; after the access check only.
        "api:registration-attendance": (nested(montreal, registration), None, api(by(PROGRAM_STAFF, 400, 404))),
        "api:registration-attendance#quebec": (
            nested(quebec, registration_quebec),
            None,
            api(by(EVENT_STAFF, 400, 404)),
        ),
    }

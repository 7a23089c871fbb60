"""Permission-matrix rows of the public calendar: open to everyone, signed in or not."""

from virage.events.models import Event
from virage.events.tests.factories import EventFactory, RegistrationFactory


def rows(world, *, row, by) -> dict:
    event = EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal, capacity=20)
    draft = EventFactory(program=world.program, status=Event.Status.DRAFT)
    registration = RegistrationFactory(event=event)
    everyone = row(200, anonymous=200)
    nobody = row(404, anonymous=404)
    return {
        "calendar:program": ({"slug": world.program.slug}, everyone, None),
        "calendar:program#unknown": ({"slug": "programme-inconnu"}, nobody, None),
        # POST with an empty body re-displays the form with its errors.
        "calendar:event": ({"pk": event.pk}, everyone, everyone),
        "calendar:event#draft": ({"pk": draft.pk}, nobody, nobody),
        "calendar:event#garbage": ({"pk": "abc"}, nobody, nobody),
        "calendar:event_ics": ({"pk": event.pk}, everyone, None),
        "calendar:event_ics#draft": ({"pk": draft.pk}, nobody, None),
        "calendar:cancel": ({"token": registration.cancel_token}, everyone, row("redirect", anonymous="redirect")),
        "calendar:cancel#unknown": ({"token": "unknown-token"}, nobody, nobody),
    }

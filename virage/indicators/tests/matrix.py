"""Permission-matrix rows of the indicators pages (imported by tests/test_permission_matrix.py)."""

import datetime

from django.utils import timezone

from virage.events.tests.factories import EventFactory, RegistrationFactory

# Program staff and funders read a program's indicators; no one else learns the program has any.
READERS_ONLY = {"coach": 404, "reviewer": 404, "contact_other_organization": 404, "outsider": 404}


def rows(world, *, row, by):
    # A past event with one attendee, so the pages have figures (and a small count) to show.
    event = EventFactory(
        program=world.program,
        municipality=world.montreal,
        region=world.region_montreal,
        starts_at=timezone.now() - datetime.timedelta(days=30),
    )
    RegistrationFactory(event=event, organization=world.org_montreal, attended=True)
    kwargs = {"slug": world.program.slug}
    return {
        "indicators:reach": (kwargs, row(200, **READERS_ONLY), None),
        "indicators:reach_csv": (kwargs, row(200, **READERS_ONLY), None),
        "indicators:reach_card": (kwargs, row(200, **READERS_ONLY), None),
        "indicators:learning": (kwargs, row(200, **READERS_ONLY), None),
        "indicators:learning_csv": (kwargs, row(200, **READERS_ONLY), None),
    }

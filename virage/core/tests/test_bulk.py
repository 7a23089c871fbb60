"""``update_rows`` writes each object's own values, of every type, in one statement per batch."""

import datetime

import pytest

from virage.core.bulk import update_rows
from virage.events.models import ReachPerson, Registration
from virage.events.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_of_every_type_including_none(world):
    registrations = [RegistrationFactory(attended=None) for _ in range(5)]
    for index, registration in enumerate(registrations):
        registration.attended = index % 2 == 0
        registration.minutes_present = None if index == 3 else index * 10
        registration.tally_month = datetime.date(2025, index + 1, 1)
        registration.tally_region = "" if index == 4 else f"{index:02d}"

    assert (
        update_rows(
            Registration, registrations, ["attended", "minutes_present", "tally_month", "tally_region"], batch_size=2
        )
        == 5
    )

    rows = Registration.objects.order_by("pk").values_list("attended", "minutes_present", "tally_month", "tally_region")
    assert list(rows) == [
        (True, 0, datetime.date(2025, 1, 1), "00"),
        (False, 10, datetime.date(2025, 2, 1), "01"),
        (True, 20, datetime.date(2025, 3, 1), "02"),
        (False, None, datetime.date(2025, 4, 1), "03"),
        (True, 40, datetime.date(2025, 5, 1), ""),
    ]


def test_json_values_and_quotes_survive(world):
    people = [ReachPerson.objects.create(program=world.program, person=f"p{n}@exemple.qc.ca") for n in range(3)]
    people[0].months = {"06|2025-03": 2}
    people[1].months = {"none|2025-04": 1, "l'apostrophe": 3}
    people[2].months = {}

    update_rows(ReachPerson, people, ["months"])

    assert [person.months for person in ReachPerson.objects.order_by("pk")] == [
        {"06|2025-03": 2},
        {"none|2025-04": 1, "l'apostrophe": 3},
        {},
    ]


def test_nothing_to_write_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert update_rows(Registration, [], ["attended"]) == 0

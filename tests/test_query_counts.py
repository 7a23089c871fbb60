"""List pages run the same number of queries whatever the number of rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from virage.accounts.models import Role
from virage.core.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProgramFactory,
    UserFactory,
)
from virage.organizations.models import Organization


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_registrations_page(client, world):
    client.force_login(world.manager)
    url = reverse("organizations:registrations")
    ParticipationFactory(program=world.program, organization=OrganizationFactory(status=Organization.Status.PENDING))
    one = count_queries(client, url)
    for _number in range(49):
        ParticipationFactory(
            program=world.program, organization=OrganizationFactory(status=Organization.Status.PENDING)
        )
    assert count_queries(client, url) == one


def test_program_list_and_home(client, world):
    client.force_login(world.admin)
    one = {name: count_queries(client, reverse(name)) for name in ("programs:list", "home")}
    for _number in range(20):
        ParticipationFactory(program=ProgramFactory())
    assert {name: count_queries(client, reverse(name)) for name in ("programs:list", "home")} == one


def test_members_page(client, world):
    client.force_login(world.manager)
    url = reverse("programs:members", args=[world.program.slug])
    one = count_queries(client, url)
    for number in range(30):
        MembershipFactory(
            user=UserFactory(email=f"coordo{number}@virage.test"),
            program=world.program,
            role=Role.REGIONAL_COORDINATOR,
            regions=[world.region_quebec],
        )
    assert count_queries(client, url) == one


def test_program_page(client, world):
    client.force_login(world.manager)
    url = world.program.get_absolute_url()
    one = count_queries(client, url)
    for _number in range(30):
        ParticipationFactory(program=world.program, organization=OrganizationFactory(municipality=world.quebec))
    assert count_queries(client, url) == one

"""Lists run the same number of queries for 1 row as for 50: they scale to the province."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from virage.core.tests.factories import OrganizationFactory, ParticipationFactory, PersonFactory
from virage.organizations.models import Organization

# Token and user (1), the user's scope (4: memberships, their regions, their organizations and
# the user's contact records), the count for the pagination (1), the page itself (1).
ORGANIZATION_LIST_QUERIES = 7
PERSON_LIST_QUERIES = 7


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def _add_organizations(world, count: int) -> None:
    for _index in range(count):
        organization = OrganizationFactory(municipality=world.quebec)
        ParticipationFactory(program=world.program, organization=organization)
        PersonFactory(organization=organization)


def test_the_organization_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries):
    client = client_for(world.manager)
    url = reverse("api:organization-list") + "?region=03&program=dataide&q=a"
    Organization.objects.exclude(pk=world.org_quebec.pk).update(region=world.region_montreal)
    # region and program filters each add one look-up.
    expected = ORGANIZATION_LIST_QUERIES + 2

    with django_assert_num_queries(expected):
        one = client.get(url)
    assert one.json()["count"] == 1

    _add_organizations(world, 49)
    with django_assert_num_queries(expected):
        fifty = client.get(url)
    assert fifty.json()["count"] == 50
    assert len(fifty.json()["results"]) == 50


def test_the_unfiltered_organization_list_is_as_cheap_for_50_rows_as_for_1(world, client_for):
    client = client_for(world.coordinator_quebec)
    url = reverse("api:organization-list")
    one = _count(client, url)

    _add_organizations(world, 49)

    assert _count(client, url) == one == ORGANIZATION_LIST_QUERIES


def test_the_person_list_is_as_cheap_for_50_rows_as_for_1(world, client_for):
    client = client_for(world.coordinator_quebec)
    url = reverse("api:person-list")
    one = _count(client, url)

    _add_organizations(world, 49)

    assert _count(client, url) == one == PERSON_LIST_QUERIES
    assert client.get(url).json()["count"] == 50

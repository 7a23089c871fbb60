"""Learning indicators: organizations trained, leaders supported, people certified, training hours."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from virage.accounts.models import Role
from virage.core.tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory
from virage.indicators import learning
from virage.learning.models import Enrollment, LearningPath
from virage.learning.tallies import tallies_rebuild
from virage.learning.tests.factories import CohortFactory, EnrollmentFactory, PathFactory
from virage.programs.models import Indicator, Target

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def data(world):
    training = CohortFactory(path=PathFactory(program=world.program, kind=LearningPath.Kind.TRAINING))
    leadership = CohortFactory(path=PathFactory(program=world.program, kind=LearningPath.Kind.LEADERSHIP))
    awareness = CohortFactory(path=PathFactory(program=world.program, kind=LearningPath.Kind.AWARENESS))
    mtl = world.org_montreal
    qc = world.org_quebec

    def enrollment(cohort, organization, **fields):
        return EnrollmentFactory(cohort=cohort, person=PersonFactory(organization=organization), **fields)

    # Two people of the Montréal organization trained: one organization. One in Québec, in April.
    enrollment(training, mtl, completed_on=DAY, last_progress_on=DAY, hours_completed=Decimal("7.5"))
    enrollment(training, mtl, completed_on=DAY, last_progress_on=DAY, hours_completed=Decimal("7.5"))
    enrollment(
        training,
        qc,
        completed_on=DAY + datetime.timedelta(days=30),
        last_progress_on=DAY + datetime.timedelta(days=30),
        hours_completed=Decimal("7.5"),
    )
    # In progress: hours, not trained. Cancelled: nothing.
    enrollment(training, qc, last_progress_on=DAY, hours_completed=Decimal("2.25"))
    enrollment(training, qc, status=Enrollment.Status.CANCELLED, last_progress_on=DAY, hours_completed=Decimal("9"))
    # Leaders: active or completed; waitlisted and cancelled do not count.
    enrollment(leadership, mtl, enrolled_on=DAY)
    enrollment(leadership, qc, enrolled_on=DAY, completed_on=DAY)
    enrollment(leadership, qc, enrolled_on=DAY, status=Enrollment.Status.WAITLISTED)
    enrollment(leadership, qc, enrolled_on=DAY, status=Enrollment.Status.CANCELLED)
    # Awareness: certified, not trained.
    enrollment(awareness, OrganizationFactory(municipality=world.montreal), completed_on=DAY)
    # Written directly, so the tallies the services keep are rebuilt from the enrollments.
    tallies_rebuild(world.program.pk)
    Target.objects.create(program=world.program, indicator=Indicator.ORGANIZATIONS_TRAINED, value=180)
    Target.objects.create(program=world.program, indicator=Indicator.LEADERS_SUPPORTED, value=60)
    return world


def test_the_summary_counts_each_indicator_by_its_definition(data):
    summary = learning.learning_summary(data.program)
    assert summary["organizations_trained"] == 2
    assert summary["leaders_supported"] == 2
    assert summary["people_certified"] == 5
    assert summary["training_hours"] == Decimal("24.75")
    assert summary["progress"]["organizations_trained"]["percent"] == 1  # 2 of 180
    assert summary["progress"]["leaders_supported"]["percent"] == 3  # 2 of 60
    assert summary["progress"]["people_certified"] is None


def test_a_period_keeps_what_happened_in_it(data):
    summary = learning.learning_summary(data.program, start=DAY, end=DAY + datetime.timedelta(days=1))
    assert summary["organizations_trained"] == 1
    assert summary["people_certified"] == 4
    assert summary["training_hours"] == Decimal("17.25")


def test_per_region_and_per_period(data):
    regions = {row["region_code"]: row for row in learning.learning_by_region(data.program)}
    assert regions["06"]["organizations_trained"] == 1 and regions["03"]["organizations_trained"] == 1
    assert regions["06"]["people_certified"] == 3 and regions["03"]["people_certified"] == 2
    months = {row["period"]: row for row in learning.learning_by_period(data.program)}
    assert months[datetime.date(2026, 3, 1)]["organizations_trained"] == 1
    assert months[datetime.date(2026, 4, 1)]["organizations_trained"] == 1
    assert months[datetime.date(2026, 3, 1)]["leaders_supported"] == 2
    assert months[datetime.date(2026, 3, 1)]["training_hours"] == Decimal("17.25")


def test_a_coordinator_sees_only_their_regions(data):
    rows = learning.learning_by_region(data.program, region_ids={data.region_quebec.pk})
    assert [row["region_code"] for row in rows] == ["03"]


def test_the_page_shows_progress_toward_the_targets(client, data):
    client.force_login(data.manager)
    response = client.get(reverse("indicators:learning", args=[data.program.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="value-organizations_trained">2<' in page
    assert "180" in page


def test_funders_do_not_see_small_counts(client, data):
    client.force_login(data.funder)
    page = client.get(reverse("indicators:learning", args=[data.program.slug])).content.decode()
    assert "&lt; 5" in page


def test_the_page_runs_the_same_queries_whatever_the_volume(client, data, django_assert_num_queries):
    client.force_login(data.manager)
    url = reverse("indicators:learning", args=[data.program.slug])
    client.get(url)
    # session, user, scope (4), program, per region, per period, summary, targets
    with django_assert_num_queries(11):
        client.get(url, {"granularity": "year"})
    cohort = CohortFactory(path=PathFactory(program=data.program))
    for _number in range(30):
        EnrollmentFactory(cohort=cohort, completed_on=DAY, last_progress_on=DAY, hours_completed=Decimal("1"))
    tallies_rebuild(data.program.pk)
    with django_assert_num_queries(11):
        client.get(url, {"granularity": "year"})


def test_readers_only(client, data):
    outsider = UserFactory(email="coach2@virage.test")
    MembershipFactory(user=outsider, program=data.program, role=Role.COACH)
    client.force_login(outsider)
    assert client.get(reverse("indicators:learning", args=[data.program.slug])).status_code == 404


def test_the_csv_has_the_page_tables_and_hides_small_counts_for_funders(client, data):
    url = reverse("indicators:learning_csv", args=[data.program.slug])
    client.force_login(data.manager)
    response = client.get(url, {"granularity": "year"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    summary = learning.learning_summary(data.program)
    assert lines[1].split(",")[2] == str(summary["organizations_trained"])
    regions = learning.learning_by_region(data.program)
    assert len(lines) == 1 + 1 + len(regions) + len(learning.learning_by_period(data.program, granularity="year"))
    assert "< 5" not in "\n".join(lines)

    client.force_login(data.funder)
    funder_csv = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert "< 5" in funder_csv

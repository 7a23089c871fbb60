"""``manage.py seed_demo``: the demo through the services, and province-scale data in bulk."""

import re
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Sum
from django.test import TestCase
from django.utils import timezone

from virage.accounts.models import Membership, Role, User
from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import MrcFactory, MunicipalityFactory, ProgramFactory, RegionFactory
from virage.core.text import fold
from virage.demo.data import NameMaker, charity_number_for, municipality_weight, neq_for, of_place
from virage.demo.geography import NO_MUNICIPALITIES
from virage.demo.seed import (
    ADMIN_EMAIL,
    COACH_EMAIL,
    CONTACT_EMAIL,
    COORDINATOR_EMAIL,
    DEMO_EMAILS,
    DEMO_PASSWORD,
    FUNDER_EMAIL,
    MANAGER_EMAIL,
    REVIEWER_EMAIL,
)
from virage.events.models import Event, Registration
from virage.geography.models import Municipality
from virage.learning.models import Attestation, Cohort, Enrollment, LearningPath, LearningTally, normalize_code
from virage.learning.tests.factories import ModuleFactory, PathFactory
from virage.organizations.identifiers import normalize_charity_number, normalize_neq, normalize_postal_code
from virage.organizations.models import Organization, Person
from virage.programs.models import FundingAgreement, Indicator, Participation, Program, Target


def ensure_geography() -> None:
    """The real reference data when its migration has run; otherwise a few places from the factories."""
    if Municipality.objects.exists():
        return
    capitale = RegionFactory(code="03", name="Capitale-Nationale")
    montreal_region = RegionFactory(code="06", name="Montréal")
    estrie = RegionFactory(code="05", name="Estrie")
    for name, code, region in (
        ("Québec", "23027", capitale),
        ("Montréal", "66023", montreal_region),
        ("Sherbrooke", "43027", estrie),
        ("Saint-Tite-des-Caps", "21010", capitale),
    ):
        mrc = MrcFactory(code=code[:3], name=f"MRC {name}", region=region)
        MunicipalityFactory(code=code, name=name, name_folded=fold(name), mrc=mrc)


def run(*args, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Program,
            Organization,
            Person,
            Participation,
            Target,
            FundingAgreement,
            Membership,
            User,
            Enrollment,
            Attestation,
        )
    } | {"ActivityLogEntry": ActivityLogEntry.objects.count()}


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_geography()
        cls.output = run()
        cls.dataide = Program.objects.get(slug="dataide")
        cls.plus_numerique = Program.objects.get(slug="plus-numerique")

    def test_demo_creates_the_two_programs_of_the_press_releases_with_their_operators_and_partners(self):
        self.assertEqual(self.dataide.operator.legal_name, "Centraide du Grand Montréal")
        dataide_partners = {partner.legal_name for partner in self.dataide.partners.all()}
        self.assertIn("Nord Ouvert", dataide_partners)
        self.assertGreaterEqual(len({name for name in dataide_partners if name.startswith("Centraide")}), 2)
        self.assertEqual(self.plus_numerique.operator.legal_name, "COlab")
        self.assertEqual(
            {partner.display_name for partner in self.plus_numerique.partners.all()}, {"Desjardins", "Rio Tinto"}
        )

    def test_demo_sets_the_targets_announced_for_each_program(self):
        self.assertEqual(
            dict(self.dataide.targets.values_list("indicator", "value")),
            {
                Indicator.ORGANIZATIONS_SENSITIZED: Decimal(3000),
                Indicator.ORGANIZATIONS_TRAINED: Decimal(180),
                Indicator.LEADERS_SUPPORTED: Decimal(60),
                Indicator.ORGANIZATIONS_GRANTED: Decimal(500),
                Indicator.COACHING_HOURS: Decimal(3000),
            },
        )
        plus_numerique_targets = dict(self.plus_numerique.targets.values_list("indicator", "value"))
        self.assertEqual(plus_numerique_targets[Indicator.PEOPLE_TRAINED], Decimal(100))
        self.assertIn(Indicator.SUPPORT_NEEDS_IDENTIFIED, plus_numerique_targets)

    def test_demo_records_the_funding_agreements_as_exact_decimal_amounts(self):
        dataide_amounts = sorted(self.dataide.funding_agreements.values_list("amount", flat=True))
        self.assertEqual(dataide_amounts, [Decimal("1450000.00"), Decimal("4000000.00")])
        self.assertTrue(all(isinstance(amount, Decimal) for amount in dataide_amounts))
        partners = self.plus_numerique.funding_agreements.values_list(
            "funder__usual_name", "funder__legal_name", "amount"
        )
        self.assertEqual(
            sorted((usual or legal, amount) for usual, legal, amount in partners),
            [("Desjardins", Decimal("250000.00")), ("Rio Tinto", Decimal("250000.00"))],
        )

    def test_demo_has_about_300_organizations_and_700_people_in_both_programs(self):
        self.assertTrue(250 <= Organization.objects.count() <= 350, Organization.objects.count())
        # About 700 contacts, plus the 100 employees of the AI-awareness cohort and a few bank advisors.
        self.assertTrue(700 <= Person.objects.count() <= 950, Person.objects.count())
        self.assertGreater(self.dataide.participations.count(), 150)
        self.assertGreater(self.plus_numerique.participations.count(), 100)

    def test_demo_learning_follows_the_two_programs(self):
        paths = {path.title_fr: path for path in LearningPath.objects.select_related("program")}
        self.assertEqual(len(paths), 4)
        advisors = paths["Économie et culture numériques pour conseillers aux PME"]
        self.assertEqual(advisors.audience, LearningPath.Audience.ADVISORS)
        # The AI-awareness activity: a cohort private to the partner's research centre, 100 employees.
        private = Cohort.objects.get(client_organization__isnull=False)
        self.assertEqual(private.enrollments.count(), 100)
        self.assertGreater(Attestation.objects.filter(enrollment__cohort=private).count(), 50)
        # DATAide's leadership track: three phases, an information session first, mentors from the coaches.
        leadership = Cohort.objects.get(path__kind=LearningPath.Kind.LEADERSHIP)
        self.assertEqual(leadership.phases.count(), 3)
        self.assertEqual(leadership.path.prerequisite_event_kind, Event.Kind.INFORMATION_SESSION)
        self.assertTrue(leadership.enrollments.filter(mentor__email=COACH_EMAIL).exists())
        # Live modules have their sessions (events), and the demo contact has an attestation to show.
        self.assertTrue(Event.objects.filter(cohort_session__isnull=False).exists())
        self.assertTrue(Attestation.objects.filter(enrollment__person__user__email=CONTACT_EMAIL).exists())

    def test_demo_organizations_are_in_municipalities_of_the_database_with_their_region_and_mrc(self):
        self.assertFalse(Organization.objects.exclude(region_id=F("municipality__region_id")).exists())
        self.assertFalse(Organization.objects.exclude(mrc_id=F("municipality__mrc_id")).exclude(mrc=None).exists())
        for organization in Organization.objects.exclude(postal_code=""):
            self.assertEqual(normalize_postal_code(organization.postal_code), organization.postal_code)

    def test_every_demo_account_signs_in_with_the_documented_password(self):
        for email in DEMO_EMAILS:
            with self.subTest(email=email):
                self.assertIsNotNone(authenticate(username=email, password=DEMO_PASSWORD))
        self.assertIsNone(authenticate(username=MANAGER_EMAIL, password="not-the-password"))

    def test_each_demo_account_holds_its_role(self):
        def roles(email):
            return set(
                Membership.objects.filter(user__email=email, is_active=True).values_list("program__slug", "role")
            )

        self.assertTrue(User.objects.get(email=ADMIN_EMAIL).is_superuser)
        self.assertEqual(
            roles(MANAGER_EMAIL), {("dataide", Role.PROGRAM_MANAGER), ("plus-numerique", Role.PROGRAM_MANAGER)}
        )
        self.assertEqual(roles(COORDINATOR_EMAIL), {("dataide", Role.REGIONAL_COORDINATOR)})
        coordinator = Membership.objects.get(user__email=COORDINATOR_EMAIL)
        self.assertEqual([region.code for region in coordinator.regions.all()], ["03"])
        self.assertEqual(roles(COACH_EMAIL), {("dataide", Role.COACH)})
        self.assertTrue(3 <= Membership.objects.get(user__email=COACH_EMAIL).organizations.count() <= 5)
        self.assertEqual(roles(REVIEWER_EMAIL), {("dataide", Role.REVIEWER)})
        self.assertEqual(roles(FUNDER_EMAIL), {("dataide", Role.FUNDER_VIEWER)})
        self.assertEqual(roles(CONTACT_EMAIL), {("dataide", Role.ORGANIZATION_CONTACT)})

    def test_the_demo_contact_is_a_person_of_their_validated_organization(self):
        person = Person.objects.get(user__email=CONTACT_EMAIL)
        self.assertEqual(person.organization.status, Organization.Status.ACTIVE)
        membership = Membership.objects.get(user__email=CONTACT_EMAIL)
        self.assertEqual(list(membership.organizations.all()), [person.organization])

    def test_demo_calendar_has_coming_events_one_of_them_full(self):
        coming = Event.objects.filter(program__slug="dataide", starts_at__gt=timezone.now())
        self.assertEqual(coming.count(), 4)
        full = [event for event in coming if event.capacity and event.registrations.count() >= event.capacity]
        self.assertEqual(len(full), 1)

    def test_demo_leaves_self_registrations_waiting_for_staff(self):
        pending = Organization.objects.filter(status=Organization.Status.PENDING)
        self.assertTrue(3 <= pending.count() <= 5)
        self.assertFalse(
            pending.exclude(participations__source=Participation.Source.SELF_REGISTRATION).exists(),
        )

    def test_demo_is_written_through_the_services_so_every_organization_has_a_history(self):
        logged = set(
            ActivityLogEntry.objects.filter(
                content_type__model="organization",
                verb__in=[ActivityLogEntry.Verb.CREATED, ActivityLogEntry.Verb.REGISTERED],
            ).values_list("object_id", flat=True)
        )
        self.assertEqual(logged, {str(pk) for pk in Organization.objects.values_list("pk", flat=True)})
        self.assertEqual(
            ActivityLogEntry.objects.filter(content_type__model="person", verb=ActivityLogEntry.Verb.CREATED).count(),
            Person.objects.count(),
        )
        actors = set(
            ActivityLogEntry.objects.filter(content_type__model="organization", verb=ActivityLogEntry.Verb.JOINED)
            .exclude(actor=None)
            .values_list("actor__email", flat=True)
        )
        self.assertEqual(actors, {MANAGER_EMAIL, COORDINATOR_EMAIL})

    def test_demo_prints_one_account_per_role_with_its_password(self):
        for email in DEMO_EMAILS:
            self.assertIn(email, self.output)
        self.assertIn(DEMO_PASSWORD, self.output)

    def test_running_the_demo_again_creates_nothing_and_prints_the_accounts_again(self):
        before = table_counts()
        output = run()
        self.assertEqual(table_counts(), before)
        self.assertIn(MANAGER_EMAIL, output)


class ProvinceScaleTests(TestCase):
    ORGANIZATIONS = 2000
    PEOPLE = 5000
    EVENTS = 60
    REGISTRATIONS = 6000
    ENROLLMENTS = 3000
    ASSESSMENTS = 300

    @classmethod
    def setUpTestData(cls):
        ensure_geography()
        # Two programs with the demo's addresses stand for the demo, which is then left alone:
        # these tests are about the bulk data, and building the whole demo again would only cost time.
        dataide = ProgramFactory(slug="dataide")
        ProgramFactory(slug="plus-numerique")
        # The paths the cohorts offer: a training path of three modules and a leadership track.
        training = PathFactory(program=dataide, kind=LearningPath.Kind.TRAINING)
        for _number in range(3):
            ModuleFactory(path=training, expected_hours=Decimal("2.5"))
        ModuleFactory(path=PathFactory(program=dataide, kind=LearningPath.Kind.LEADERSHIP))
        # The questionnaires and rules the assessments answer (DATAide's community questionnaire).
        from virage.diagnostics import services as diagnostics

        diagnostics.questionnaire_load_builtin(program=dataide, key="community", actor=None)
        diagnostics.rules_load_defaults(program=dataide, actor=None)
        cls.before = table_counts()
        cls.output = run(
            scale="province",
            seed=1,
            organizations=cls.ORGANIZATIONS,
            people=cls.PEOPLE,
            batch_size=700,
            events=cls.EVENTS,
            registrations=cls.REGISTRATIONS,
            enrollments=cls.ENROLLMENTS,
            assessments=cls.ASSESSMENTS,
        )
        cls.after = table_counts()

    def test_province_scale_assessments_have_consistent_scores_gains_and_latest_flags(self):
        from django.db.models import Count

        from virage.diagnostics.models import Assessment, DimensionScore

        assessments = Assessment.objects.all()
        self.assertGreater(assessments.count(), self.ASSESSMENTS * 0.6)
        self.assertLessEqual(assessments.count(), self.ASSESSMENTS)
        self.assertTrue(assessments.filter(round=2).exists())
        for second in assessments.filter(round=2).select_related("baseline")[:50]:
            self.assertEqual(second.baseline.round, 1)
            self.assertEqual(second.gain, second.overall_score - second.baseline.overall_score)
            scores = dict(DimensionScore.objects.filter(assessment=second).values_list("code", "score"))
            self.assertEqual(len(scores), 6)
            self.assertEqual(
                second.overall_score, (sum(scores.values()) / 6).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            )
        # One latest assessment per organization, and its six scores flagged the same way.
        latest = assessments.filter(is_latest=True).values("organization_id").annotate(count=Count("id"))
        self.assertEqual({row["count"] for row in latest}, {1})
        self.assertEqual(latest.count(), assessments.values("organization_id").distinct().count())
        self.assertEqual(DimensionScore.objects.filter(is_latest=True).count(), latest.count() * 6)

    def test_province_scale_creates_exactly_the_requested_numbers_of_organizations_and_people(self):
        self.assertEqual(self.after["Organization"] - self.before["Organization"], self.ORGANIZATIONS)
        self.assertEqual(self.after["Person"] - self.before["Person"], self.PEOPLE)

    def test_province_scale_is_synthetic_load_and_writes_no_activity_log(self):
        self.assertEqual(self.after["ActivityLogEntry"], self.before["ActivityLogEntry"])

    def test_province_scale_enrolls_a_large_share_of_organizations_in_the_two_programs(self):
        added = self.after["Participation"] - self.before["Participation"]
        self.assertGreater(added, self.ORGANIZATIONS * 0.3)

    def test_province_scale_organizations_have_consistent_derived_fields(self):
        self.assertFalse(Organization.objects.exclude(region_id=F("municipality__region_id")).exists())
        self.assertFalse(Organization.objects.exclude(mrc_id=F("municipality__mrc_id")).exclude(mrc=None).exists())
        for organization in Organization.objects.order_by("-pk")[:300]:
            expected = organization.usual_name + " " + organization.legal_name if organization.usual_name else None
            self.assertEqual(organization.name_folded, fold(expected or organization.legal_name))

    def test_province_scale_identifiers_are_valid_and_unique(self):
        neqs = list(Organization.objects.exclude(neq="").values_list("neq", flat=True))
        self.assertGreater(len(neqs), self.ORGANIZATIONS // 2)
        self.assertEqual(len(neqs), len(set(neqs)))
        for neq in neqs:
            self.assertEqual(normalize_neq(neq), neq)
        charity_numbers = list(Organization.objects.exclude(charity_number="").values_list("charity_number", flat=True))
        self.assertEqual(len(charity_numbers), len(set(charity_numbers)))
        for number in charity_numbers:
            self.assertEqual(normalize_charity_number(number), number)

    def test_province_scale_adds_nothing_when_the_data_is_already_there(self):
        output = run(
            scale="province",
            seed=1,
            organizations=self.ORGANIZATIONS,
            people=self.PEOPLE,
            events=self.EVENTS,
            registrations=self.REGISTRATIONS,
            enrollments=self.ENROLLMENTS,
            assessments=self.ASSESSMENTS,
        )
        self.assertEqual(table_counts(), self.after)
        self.assertIn(f"{self.ORGANIZATIONS:,}", output)

    def test_province_scale_adds_exactly_the_requested_numbers_of_events_and_registrations(self):
        self.assertEqual(Event.objects.count(), self.EVENTS)
        self.assertEqual(Registration.objects.count(), self.REGISTRATIONS)
        self.assertEqual(set(Event.objects.values_list("program__slug", flat=True)), {"dataide", "plus-numerique"})
        self.assertTrue(Event.objects.filter(kind=Event.Kind.WEBINAR, counts_toward_sensitization=True).exists())

    def test_province_scale_reach_figures_equal_a_count_from_scratch(self):
        from virage.events import reach
        from virage.events.tests.test_reach_ledger import expected_figures, stored_figures

        self.assertEqual(reach.reconcile(), 0)  # the records written with the rows are right
        for program in Program.objects.filter(slug__in=["dataide", "plus-numerique"]):
            self.assertEqual(stored_figures(program), expected_figures(program))

    def test_province_scale_registers_only_people_and_organizations_that_exist_with_their_own_details(self):
        self.assertFalse(Registration.objects.filter(person=None).exists())
        self.assertFalse(Registration.objects.exclude(organization_id=F("person__organization_id")).exists())
        self.assertFalse(Registration.objects.exclude(email=F("person__email")).exists())
        self.assertFalse(Registration.objects.exclude(last_name=F("person__last_name")).exists())

    def test_province_scale_never_registers_an_address_twice_in_one_event(self):
        pairs = list(Registration.objects.values_list("event_id", "email"))
        self.assertEqual(len(pairs), len({(event, email.lower()) for event, email in pairs}))

    def test_province_scale_attendees_have_minutes_at_least_the_threshold_of_their_event(self):
        attended = list(Registration.objects.filter(attended=True).select_related("event"))
        self.assertGreater(len(attended), self.REGISTRATIONS * 0.5)
        for registration in attended:
            self.assertEqual(registration.status, Registration.Status.CONFIRMED)
            self.assertGreaterEqual(registration.minutes_present, registration.event.attendance_threshold)
            self.assertLessEqual(registration.minutes_present, registration.event.duration_minutes)

    def test_province_scale_keeps_confirmed_registrations_within_capacity_and_the_rest_on_the_waiting_list(self):
        statuses = set(Registration.objects.values_list("status", flat=True))
        self.assertIn(Registration.Status.CANCELLED, statuses)
        for event in Event.objects.all():
            confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
            self.assertLessEqual(confirmed, event.capacity)
            if event.registrations.filter(status=Registration.Status.WAITLISTED).exists():
                self.assertEqual(confirmed, event.capacity)

    def test_province_scale_adds_exactly_the_requested_number_of_enrollments(self):
        self.assertEqual(Enrollment.objects.count(), self.ENROLLMENTS)
        self.assertFalse(Enrollment.objects.exclude(organization_id=F("person__organization_id")).exists())
        self.assertFalse(Enrollment.objects.exclude(program_id=F("cohort__program_id")).exists())
        self.assertFalse(Enrollment.objects.exclude(path_kind=F("cohort__path__kind")).exists())
        pairs = list(Enrollment.objects.values_list("cohort_id", "person_id"))
        self.assertEqual(len(pairs), len(set(pairs)))

    def test_province_scale_completions_have_their_attestation_and_only_they(self):
        completed = Enrollment.objects.filter(completed_on__isnull=False)
        self.assertGreater(completed.count(), self.ENROLLMENTS * 0.2)
        self.assertEqual(Attestation.objects.count(), completed.count())
        self.assertFalse(completed.filter(attestation__isnull=True).exists())
        self.assertFalse(completed.exclude(status=Enrollment.Status.ENROLLED).exists())
        for attestation in Attestation.objects.select_related("enrollment")[:200]:
            self.assertEqual(normalize_code(attestation.code), attestation.code)
            self.assertEqual(attestation.hours, attestation.enrollment.hours_completed)
        # The indicator tallies were rebuilt from the enrollments: one certification per person who completed.
        certified = LearningTally.objects.filter(indicator="people_certified").aggregate(total=Sum("value"))["total"]
        self.assertEqual(certified, completed.values("program_id", "person_id").distinct().count())
        kinds = set(Enrollment.objects.values_list("path_kind", flat=True))
        self.assertIn(LearningPath.Kind.TRAINING, kinds)
        self.assertLessEqual(kinds, {LearningPath.Kind.TRAINING, LearningPath.Kind.LEADERSHIP})


def generated_rows(*, seed: int) -> list[tuple]:
    """What a province-scale run of 300 organizations writes with ``seed``; it is rolled back afterwards."""

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            run(scale="province", seed=seed, organizations=300, people=600, events=20, registrations=400)
            rows = list(
                Organization.objects.order_by("pk").values_list(
                    "legal_name", "municipality_id", "neq", "kind", "status"
                )
            )
            rows += list(Person.objects.order_by("pk").values_list("first_name", "last_name", "email", "phone"))
            rows += list(Event.objects.order_by("pk").values_list("title_fr", "kind", "starts_at", "capacity"))
            # Everything but the cancellation keys, which are secrets and drawn as such.
            rows += list(
                Registration.objects.order_by("pk").values_list(
                    "event__title_fr", "email", "status", "attended", "minutes_present", "created_at"
                )
            )
            raise Rollback
    except Rollback:
        return rows


@pytest.mark.django_db
def test_province_scale_is_deterministic_for_a_given_seed():
    ensure_geography()
    ProgramFactory(slug="dataide", operator__legal_name="Centraide du Grand Montréal")
    ProgramFactory(slug="plus-numerique", operator__legal_name="COlab")
    first = generated_rows(seed=7)
    assert len(first) == 2 + 300 + 600 + 20 + 400
    assert first == generated_rows(seed=7)
    assert first != generated_rows(seed=8)


@pytest.mark.django_db
def test_seed_demo_refuses_to_invent_municipalities_when_the_table_is_empty():
    Municipality.objects.all().delete()
    with pytest.raises(CommandError, match=re.escape(str(NO_MUNICIPALITIES))):
        run()
    assert not Program.objects.exists()


def test_place_names_take_french_elision_and_contraction():
    assert of_place("Rimouski") == "de Rimouski"
    assert of_place("Alma") == "d'Alma"
    assert of_place("Île-d'Orléans") == "d'Île-d'Orléans"
    assert of_place("Les Escoumins") == "des Escoumins"
    assert of_place("Le Bic") == "du Bic"
    assert of_place("La Tuque") == "de La Tuque"


def test_big_cities_weigh_more_than_villages_and_unorganized_territories_nothing():
    assert municipality_weight("Montréal", "Ville") > municipality_weight("Québec", "Ville")
    assert municipality_weight("Québec", "Ville") > municipality_weight("Saint-Tite-des-Caps", "Municipalité")
    assert municipality_weight("Lac-Jérôme", "Territoire non organisé") == 0


def test_generated_identifiers_are_unique_and_well_formed():
    neqs = {neq_for(index, "22") for index in range(50_000)}
    assert len(neqs) == 50_000
    assert all(normalize_neq(neq) == neq for neq in list(neqs)[:1000])
    numbers = {charity_number_for(index) for index in range(50_000)}
    assert len(numbers) == 50_000
    assert all(normalize_charity_number(number) == number for number in list(numbers)[:1000])


def test_the_name_maker_gives_the_same_names_for_the_same_seed():
    import random

    def names(seed):
        maker = NameMaker(random.Random(seed))
        return [maker.organization("community", "Gaspé").legal_name for _ in range(20)] + [
            maker.person_name() for _ in range(20)
        ]

    assert names(3) == names(3)
    assert names(3) != names(4)

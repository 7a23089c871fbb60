"""Demo learning: competencies, paths, cohorts, enrollments, progress and attestations of both programs.

Modelled on the press releases: Plus numérique's learning paths in digital economy and culture for
the people who advise SMEs (Desjardins account managers, economic-development agents) and its
AI-awareness activity for 100 employees of Rio Tinto's research centre (a private cohort); DATAide's
training of community organizations and its three-phase leadership track, where an information
session comes first and each leader is paired with a coach as mentor.

Written through the learning and event services, as staff would enter it, so that every cohort,
enrollment and attestation has its history. Run once: a second run changes nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from virage.accounts.models import Membership, Role, User
from virage.events.models import Event, Registration
from virage.events.services import attendance_mark
from virage.learning import services
from virage.learning.models import Attestation, Cohort, Enrollment, LearningPath, Module, ModuleProgress
from virage.learning.tallies import tallies_rebuild
from virage.organizations.models import Organization, Person
from virage.organizations.services import person_create
from virage.programs.models import Indicator, Program
from virage.programs.services import target_set

from .data import NameMaker
from .seed import CONTACT_EMAIL, DATAIDE_SLUG, MANAGER_EMAIL, PLUS_NUMERIQUE_SLUG, QUEBEC

RESEARCH_CENTRE = "Centre de recherche et de développement Arvida"
DESJARDINS = "Fédération des caisses Desjardins du Québec"
AI_AWARENESS_EMPLOYEES = 100
ADVISORS = 24

COMPETENCIES = {
    DATAIDE_SLUG: (
        ("Culture numérique", "Digital culture"),
        ("Données et mesure d’impact", "Data and impact measurement"),
        ("Cybersécurité", "Cybersecurity"),
        ("Outils collaboratifs", "Collaboration tools"),
        ("Intelligence artificielle", "Artificial intelligence"),
        ("Leadership du changement", "Leading change"),
    ),
    PLUS_NUMERIQUE_SLUG: (
        ("Culture numérique", "Digital culture"),
        ("Économie numérique", "Digital economy"),
        ("Financement du virage numérique", "Financing digital transformation"),
        ("Cybersécurité", "Cybersecurity"),
        ("Intelligence artificielle", "Artificial intelligence"),
    ),
}

# (title fr, title en, format, hours, required, phase, competency indexes)
ADVISOR_MODULES = (
    ("Comprendre l’économie numérique", "Understanding the digital economy", "self_paced", "3", True, None, (0, 1)),
    (
        "Diagnostiquer la maturité numérique d’une PME",
        "Assessing an SME's digital maturity",
        "live_session",
        "3",
        True,
        None,
        (1,),
    ),
    ("Commerce en ligne et plateformes", "E-commerce and platforms", "self_paced", "2", True, None, (1,)),
    ("Financer le virage numérique", "Financing digital transformation", "live_session", "3", True, None, (2,)),
    ("Cybersécurité pour les PME", "Cybersecurity for SMEs", "self_paced", "2", True, None, (3,)),
    ("Étude de cas accompagnée", "Coached case study", "coaching", "2", False, None, (1, 2)),
)
AI_MODULES = (
    ("L’IA, qu’est-ce que c’est?", "What is AI?", "self_paced", "1", True, None, (4,)),
    ("L’IA au travail : atelier", "AI at work: workshop", "workshop", "2", True, None, (4, 3)),
)
DATAIDE_TRAINING_MODULES = (
    (
        "Le numérique au service de la mission",
        "Digital technology for the mission",
        "self_paced",
        "2",
        True,
        None,
        (0,),
    ),
    ("Mesurer son impact avec ses données", "Measuring impact with data", "live_session", "3", True, None, (1,)),
    ("Protéger les données des membres", "Protecting members' data", "self_paced", "2", True, None, (2,)),
    ("Choisir ses outils collaboratifs", "Choosing collaboration tools", "workshop", "3", True, None, (3,)),
)
LEADERSHIP_MODULES = (
    ("Phase 1 — Diagnostic et vision", "Phase 1 — Assessment and vision", "live_session", "3", True, 1, (5, 0)),
    ("Phase 1 — Rencontre de mentorat", "Phase 1 — Mentoring meeting", "coaching", "1.5", True, 1, (5,)),
    ("Phase 2 — Plan de transformation", "Phase 2 — Transformation plan", "live_session", "3", True, 2, (5, 1)),
    ("Phase 2 — Rencontre de mentorat", "Phase 2 — Mentoring meeting", "coaching", "1.5", True, 2, (5,)),
    ("Phase 3 — Mobiliser son équipe", "Phase 3 — Engaging the team", "live_session", "3", True, 3, (5, 3)),
    ("Phase 3 — Bilan et suite", "Phase 3 — Review and next steps", "coaching", "1.5", True, 3, (5,)),
)


@dataclass
class LearningResult:
    paths: int = 0
    cohorts: int = 0
    enrollments: int = 0
    attestations: int = 0


def learning_exists() -> bool:
    return LearningPath.objects.filter(program__slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG]).exists()


@transaction.atomic
def load_demo_learning(*, seed: int) -> LearningResult:
    """The demo's learning, once (nothing when the programs are missing or learning is already there)."""
    programs = {
        program.slug: program for program in Program.objects.filter(slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG])
    }
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    if len(programs) < 2 or manager is None or learning_exists():
        return LearningResult()
    return _Builder(seed=seed, manager=manager, programs=programs).build()


class _Builder:
    def __init__(self, *, seed: int, manager: User, programs: dict[str, Program]):
        self.rng = random.Random(seed + 4)
        self.names = NameMaker(self.rng)
        self.manager = manager
        self.programs = programs
        self.result = LearningResult()
        self.today = timezone.localdate()

    def build(self) -> LearningResult:
        competencies = {slug: self.competencies(program) for slug, program in self.programs.items()}
        self.plus_numerique(self.programs[PLUS_NUMERIQUE_SLUG], competencies[PLUS_NUMERIQUE_SLUG])
        self.dataide(self.programs[DATAIDE_SLUG], competencies[DATAIDE_SLUG])
        # The back-dating above moved days behind the services' back: the tallies are rebuilt.
        for program in self.programs.values():
            tallies_rebuild(program.pk)
        return self.result

    def competencies(self, program: Program) -> list:
        return [
            services.competency_create(program=program, name_fr=name_fr, name_en=name_en, actor=self.manager)
            for name_fr, name_en in COMPETENCIES[program.slug]
        ]

    def path(self, program, competencies, modules, **data) -> LearningPath:
        path = services.path_create(
            data={"program": program, "status": LearningPath.Status.PUBLISHED, **data}, actor=self.manager
        )
        for position, (title_fr, title_en, format_, hours, required, phase, indexes) in enumerate(modules, start=1):
            services.module_create(
                path=path,
                data={
                    "position": position,
                    "title_fr": title_fr,
                    "title_en": title_en,
                    "format": format_,
                    "expected_hours": Decimal(hours),
                    "is_required": required,
                    "phase": phase,
                },
                competencies=[competencies[index] for index in indexes],
                actor=self.manager,
            )
        self.result.paths += 1
        return path

    def cohort(self, path, *, name, starts_on, weeks, capacity=None, region=None, client=None, facilitators=()):
        ends_on = starts_on + datetime.timedelta(weeks=weeks)
        cohort = services.cohort_create(
            path=path,
            data={
                "name": name,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "capacity": capacity,
                "region": region,
                "client_organization": client,
                # Cohorts that are over no longer take enrollments; staff can still add someone.
                "status": Cohort.Status.CLOSED if ends_on < self.today else Cohort.Status.OPEN,
            },
            facilitators=facilitators,
            actor=self.manager,
        )
        self.result.cohorts += 1
        return cohort

    def sessions(self, cohort) -> None:
        """One session per live module, spread over the cohort's weeks, in the afternoon (Quebec time)."""
        live = [module for module in cohort.path.modules.order_by("position") if module.is_live]
        span = (cohort.ends_on - cohort.starts_on).days
        for index, module in enumerate(live):
            day = cohort.starts_on + datetime.timedelta(days=span * (index + 1) // (len(live) + 1))
            starts_at = datetime.datetime.combine(day, datetime.time(13, 30), tzinfo=QUEBEC)
            services.cohort_session_create(
                cohort=cohort,
                module=module,
                event_data={
                    "starts_at": starts_at,
                    "ends_at": starts_at + datetime.timedelta(hours=2),
                    "online_url": "" if module.format == Module.Format.WORKSHOP else "https://formation.example/virage",
                    "address": "Salle de formation" if module.format == Module.Format.WORKSHOP else "",
                },
                actor=self.manager,
            )

    def enroll(self, cohort, people, *, mentor=None) -> list[Enrollment]:
        enrollments = []
        for person in people:
            enrollments.append(
                services.enrollment_create(cohort=cohort, person=person, mentor=mentor, actor=self.manager)
            )
        self.result.enrollments += len(enrollments)
        return enrollments

    def progress(self, cohort, enrollments, *, completion_rate: float) -> None:
        """Past sessions get their roll call; learners progress, most of them to the end."""
        now = timezone.now()
        for session in cohort.sessions.select_related("event"):
            if session.event.ends_at > now:
                continue
            for registration in Registration.objects.filter(event=session.event).exclude(
                status=Registration.Status.CANCELLED
            ):
                attendance_mark(
                    registration=registration, attended=self.rng.random() < 0.9, minutes=None, actor=self.manager
                )
        modules = [module for module in cohort.path.modules.order_by("phase", "position") if not module.is_live]
        for enrollment in enrollments:
            if enrollment.status != Enrollment.Status.ENROLLED:
                continue
            finishes = self.rng.random() < completion_rate
            done = len(modules) if finishes else self.rng.randint(0, max(0, len(modules) - 1))
            for module in modules[:done]:
                try:
                    services.progress_update(
                        enrollment=enrollment, module=module, status="completed", actor=self.manager
                    )
                except ValidationError:
                    # A later phase waits for the attendance of an earlier one: it stays in progress.
                    services.progress_update(
                        enrollment=enrollment, module=module, status="in_progress", actor=self.manager
                    )
        services.attestations_issue_for_cohort(cohort=cohort, actor=self.manager)
        self.backdate(cohort)

    def backdate(self, cohort) -> None:
        """A past cohort's progress happened while it ran, not today: the days are moved to its dates.

        The services date progress on the day it is entered; the demo enters years of history at
        once, so without this every completion would fall in the current month of the indicators.
        """
        if cohort.ends_on >= self.today:
            return
        ModuleProgress.objects.filter(enrollment__cohort=cohort, completed_on__isnull=False).update(
            completed_on=cohort.ends_on
        )
        Enrollment.objects.filter(cohort=cohort, last_progress_on__isnull=False).update(last_progress_on=cohort.ends_on)
        Enrollment.objects.filter(cohort=cohort, completed_on__isnull=False).update(completed_on=cohort.ends_on)
        Enrollment.objects.filter(cohort=cohort).update(enrolled_on=cohort.starts_on - datetime.timedelta(days=14))
        Attestation.objects.filter(enrollment__cohort=cohort).update(completed_on=cohort.ends_on)

    def finish(self, enrollment: Enrollment) -> None:
        """Bring one learner to the end of the path (the demo contact gets an attestation to show)."""
        for registration in Registration.objects.filter(
            event__cohort_session__cohort=enrollment.cohort, person=enrollment.person
        ):
            attendance_mark(registration=registration, attended=True, actor=self.manager)
        for module in enrollment.cohort.path.modules.order_by("phase", "position"):
            if not module.is_live:
                services.progress_update(enrollment=enrollment, module=module, status="completed", actor=self.manager)
        services.attestations_issue_for_cohort(cohort=enrollment.cohort, actor=self.manager)
        self.backdate(enrollment.cohort)

    def people_of(self, program, count, *, exclude=()) -> list[Person]:
        people = list(
            Person.objects.filter(organization__participations__program=program, is_active=True)
            .exclude(email="")
            .exclude(pk__in=[person.pk for person in exclude])
            .select_related("organization")
            .order_by("pk")
        )
        return self.rng.sample(people, min(count, len(people)))

    def employees(self, organization: Organization, count: int, *, email: str, role_title: str) -> list[Person]:
        """``count`` people of the organization: those it has, then new ones added to its record.

        ``email`` makes the new people's addresses from their number (``"employe{:03d}@…"``).
        """
        people = list(organization.people.filter(is_active=True).exclude(email="")[:count])
        for number in range(count - len(people)):
            first_name, last_name = self.names.person_name()
            people.append(
                person_create(
                    actor=self.manager,
                    organization=organization,
                    data={
                        "first_name": first_name,
                        "last_name": last_name,
                        "email": email.format(number + 1),
                        "role_title": role_title,
                    },
                )
            )
        return people

    def plus_numerique(self, program: Program, competencies) -> None:
        advisors_path = self.path(
            program,
            competencies,
            ADVISOR_MODULES,
            title_fr="Économie et culture numériques pour conseillers aux PME",
            title_en="Digital economy and culture for SME advisors",
            description_fr="Pour les agents de développement économique et les directeurs de comptes qui "
            "accompagnent les PME dans leur virage numérique.",
            description_en="For economic-development agents and account managers who help SMEs go digital.",
            audience=LearningPath.Audience.ADVISORS,
            kind=LearningPath.Kind.TRAINING,
        )
        ai_path = self.path(
            program,
            competencies,
            AI_MODULES,
            title_fr="Sensibilisation à l’intelligence artificielle",
            title_en="Artificial-intelligence awareness",
            audience=LearningPath.Audience.PARTNER_EMPLOYEES,
            kind=LearningPath.Kind.AWARENESS,
        )
        desjardins = Organization.objects.filter(legal_name=DESJARDINS).first()
        research_centre = Organization.objects.filter(legal_name=RESEARCH_CENTRE).first()
        past = self.cohort(
            advisors_path,
            name="Conseillers PME — automne 2025",
            starts_on=datetime.date(2025, 9, 15),
            weeks=10,
            capacity=30,
        )
        self.sessions(past)
        advisors = self.people_of(program, ADVISORS)
        if desjardins is not None:
            advisors = (
                self.employees(
                    desjardins,
                    6,
                    email="conseiller{:02d}@desjardins.demo.virage.quebec",
                    role_title="Directeur ou directrice de comptes",
                )
                + advisors[:-6]
            )
        self.progress(past, self.enroll(past, advisors), completion_rate=0.8)
        upcoming = self.cohort(
            advisors_path,
            name="Conseillers PME — hiver 2027",
            starts_on=self.today + datetime.timedelta(days=45),
            weeks=10,
            capacity=30,
        )
        self.sessions(upcoming)
        self.enroll(upcoming, self.people_of(program, 8, exclude=advisors))
        if research_centre is not None:
            private = self.cohort(
                ai_path,
                name="Sensibilisation à l’IA — CRDA",
                starts_on=datetime.date(2025, 11, 3),
                weeks=4,
                client=research_centre,
            )
            self.sessions(private)
            employees = self.employees(
                research_centre,
                AI_AWARENESS_EMPLOYEES,
                email="employe{:03d}@crda.demo.virage.quebec",
                role_title="Employé ou employée",
            )
            self.progress(private, self.enroll(private, employees), completion_rate=0.85)
        target_set(
            actor=self.manager,
            program=program,
            indicator=Indicator.PEOPLE_CERTIFIED,
            value=Decimal(AI_AWARENESS_EMPLOYEES),
            due_on=program.ends_on,
        )

    def dataide(self, program: Program, competencies) -> None:
        training = self.path(
            program,
            competencies,
            DATAIDE_TRAINING_MODULES,
            title_fr="Données et outils numériques pour organismes communautaires",
            title_en="Data and digital tools for community organizations",
            audience=LearningPath.Audience.ORGANIZATION_STAFF,
            kind=LearningPath.Kind.TRAINING,
        )
        leadership = self.path(
            program,
            competencies,
            LEADERSHIP_MODULES,
            title_fr="Leadership numérique en trois phases",
            title_en="Digital leadership in three phases",
            description_fr="Huit semaines en trois phases, avec un mentor ou une mentore. Avoir assisté à une "
            "séance d’information DATAide est un préalable.",
            description_en="Eight weeks in three phases, with a mentor. Attending a DATAide information session "
            "comes first.",
            audience=LearningPath.Audience.ORGANIZATION_LEADERS,
            kind=LearningPath.Kind.LEADERSHIP,
            prerequisite_event_kind=Event.Kind.INFORMATION_SESSION,
        )
        trained_people = []
        contact = Person.objects.filter(email__iexact=CONTACT_EMAIL).select_related("organization").first()
        for number, starts_on in enumerate(
            (datetime.date(2024, 2, 5), datetime.date(2024, 9, 9), datetime.date(2025, 2, 3))
        ):
            cohort = self.cohort(
                training, name=f"Formation DATAide — cohorte {number + 1}", starts_on=starts_on, weeks=8, capacity=25
            )
            self.sessions(cohort)
            people = self.people_of(program, 22, exclude=trained_people)
            if number == 2 and contact is not None and contact not in people:
                people = [contact, *people[:-1]]
            trained_people += people
            enrollments = self.enroll(cohort, people)
            self.progress(cohort, enrollments, completion_rate=0.75)
            if number == 2 and contact is not None:
                own = next(enrollment for enrollment in enrollments if enrollment.person_id == contact.pk)
                own.refresh_from_db()
                if own.completed_on is None:
                    self.finish(own)
        mentors = list(
            User.objects.filter(memberships__program=program, memberships__role=Role.COACH, memberships__is_active=True)
        )
        # Leaders who attended an information session are the ones who can complete the track.
        informed = list(
            Person.objects.filter(
                registrations__event__program=program,
                registrations__event__kind=Event.Kind.INFORMATION_SESSION,
                registrations__attended=True,
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")[:12]
        )
        cohort = self.cohort(
            leadership,
            name="Leadership numérique — cohorte 2025",
            starts_on=datetime.date(2025, 4, 7),
            weeks=8,
            capacity=15,
            facilitators=mentors,
        )
        for number, (title_fr, title_en) in enumerate(
            (
                ("Diagnostic et vision", "Assessment and vision"),
                ("Plan de transformation", "Transformation plan"),
                ("Mobiliser son équipe", "Engaging the team"),
            ),
            start=1,
        ):
            first_day = cohort.starts_on + datetime.timedelta(weeks=(number - 1) * 8 // 3)
            last_day = min(
                cohort.ends_on,
                cohort.starts_on + datetime.timedelta(weeks=number * 8 // 3) - datetime.timedelta(days=1),
            )
            if number == 3:
                last_day = cohort.ends_on
            services.cohort_phase_create(
                cohort=cohort,
                number=number,
                title_fr=title_fr,
                title_en=title_en,
                starts_on=first_day,
                ends_on=last_day,
                actor=self.manager,
            )
        self.sessions(cohort)
        leaders = informed + self.people_of(program, 12 - len(informed), exclude=informed)
        self.enroll(cohort, leaders, mentor=mentors[0] if mentors else None)
        self.progress(cohort, list(cohort.enrollments.select_related("person")), completion_rate=0.7)
        membership = Membership.objects.filter(program=program, role=Role.COACH).first()
        if membership is not None:
            cohort.facilitators.add(membership.user)

"""The demo: two programs modelled on real ones, their organizations and people, one account per role.

DATAide (community sector) and Plus numérique (SMEs) follow the two press releases in the design
notes. Everything is written through the services, the way staff would enter it in the interface,
so that each organization and program shows a realistic history in its activity log. Only the
demo passwords are set directly: choosing a password is the account owner's act, not staff's, and
a demo needs known ones.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from virage.accounts.models import Membership, Role, User
from virage.accounts.services import user_get_or_create
from virage.events.models import Event, Registration
from virage.events.services import attendance_mark, event_create, registration_cancel, registration_create
from virage.geography.models import Municipality, Region
from virage.organizations.models import Consent, Organization, Person
from virage.organizations.services import organization_create, person_create, registration_validate
from virage.programs.models import Indicator, Participation, Program
from virage.programs.services import (
    funding_agreement_create,
    membership_invite,
    organization_create_in_program,
    organization_self_register,
    participation_add,
    program_create,
    target_set,
)

from .data import NameMaker, charity_number_for, neq_for
from .geography import MunicipalityPicker, Place

DEMO_PASSWORD = "virage-demo-2026"
QUEBEC = ZoneInfo("America/Montreal")
DEMO_DOMAIN = "demo.virage.quebec"
DATAIDE_SLUG = "dataide"
PLUS_NUMERIQUE_SLUG = "plus-numerique"
CAPITALE_NATIONALE_CODE = "03"

DATAIDE_ORGANIZATIONS = 175
PLUS_NUMERIQUE_ORGANIZATIONS = 110
# Social-economy enterprises and cooperatives of DATAide that also join Plus numérique.
SHARED_ORGANIZATIONS = 8
PENDING_REGISTRATIONS = 4
COACHED_ORGANIZATIONS = 5
PEOPLE_PER_ORGANIZATION = (1, 2, 2, 2, 3, 3, 4)

ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
MANAGER_EMAIL = f"gestion@{DEMO_DOMAIN}"
COORDINATOR_EMAIL = f"coordination.capitale@{DEMO_DOMAIN}"
COACH_EMAIL = f"accompagnement@{DEMO_DOMAIN}"
REVIEWER_EMAIL = f"comite@{DEMO_DOMAIN}"
FUNDER_EMAIL = f"bailleur@{DEMO_DOMAIN}"
CONTACT_EMAIL = f"contact@{DEMO_DOMAIN}"
DEMO_EMAILS = (
    ADMIN_EMAIL,
    MANAGER_EMAIL,
    COORDINATOR_EMAIL,
    COACH_EMAIL,
    REVIEWER_EMAIL,
    FUNDER_EMAIL,
    CONTACT_EMAIL,
)

# Index ranges for generated identifiers: the demo uses the first 10,000, province-scale data the
# rest, so the two never produce the same NEQ or charity number.
DEMO_IDENTIFIER_START = 0
SCALE_IDENTIFIER_START = 10_000

SEES_EVERYTHING = _("everything, in every program, and the administration site")
SEES_PROGRAM = _("everything in %(program)s")
SEES_REGIONS = _("the organizations of %(regions)s in %(program)s")
SEES_COACHED = ngettext_lazy(
    "the %(count)d organization assigned to them in %(program)s",
    "the %(count)d organizations assigned to them in %(program)s",
    "count",
)
SEES_REVIEWS = _("the applications assigned to them in %(program)s")
SEES_AGGREGATES = _("the figures and reports of %(program)s, without personal information")
SEES_OWN_ORGANIZATION = _("everything Virage holds about %(organizations)s")
ADMINISTRATOR = _("Platform administrator")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    sees: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    accounts: list[DemoAccount]


def demo_exists() -> bool:
    return Program.objects.filter(slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG]).exists()


def load_demo(*, seed: int) -> DemoResult:
    """Create the demo once; when it is already there, change nothing and describe its accounts."""
    from .diagnostics import load_demo_diagnostics
    from .learning import load_demo_learning

    if demo_exists():
        # A demo loaded before events (or learning) existed gets them now.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            load_demo_events(seed=seed)
            load_upcoming_demo_events(seed=seed)
            load_demo_learning(seed=seed)
            load_demo_diagnostics(seed=seed)
        return DemoResult(created=False, accounts=demo_accounts())
    # The demo addresses are fictitious: the invitation and registration e-mails that the services
    # send are kept in memory instead of going to the console or an SMTP server.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        _DemoBuilder(seed).build()
        load_demo_events(seed=seed)
        load_upcoming_demo_events(seed=seed)
        load_demo_learning(seed=seed)
        load_demo_diagnostics(seed=seed)
    return DemoResult(created=True, accounts=demo_accounts())


# DATAide's past webinars and sessions: (start in Quebec time, title, counts toward sensitization).
DEMO_EVENTS = (
    (datetime.datetime(2022, 9, 14, 13, 30, tzinfo=QUEBEC), "Le numérique au service de votre mission", True),
    (datetime.datetime(2022, 11, 9, 10, 0, tzinfo=QUEBEC), "Protéger les données de vos membres", True),
    (datetime.datetime(2023, 2, 22, 13, 30, tzinfo=QUEBEC), "Choisir ses outils collaboratifs", True),
    (datetime.datetime(2023, 5, 17, 10, 0, tzinfo=QUEBEC), "Séance d’information : les bourses DATAide", False),
    (datetime.datetime(2023, 10, 4, 13, 30, tzinfo=QUEBEC), "Mesurer l’impact de vos activités avec vos données", True),
    (datetime.datetime(2024, 3, 13, 10, 0, tzinfo=QUEBEC), "L’IA dans les organismes communautaires", True),
)
DEMO_REGISTRANTS_PER_EVENT = (14, 26)
DEMO_ATTENDANCE_RATE = 0.75
DEMO_CANCELLATIONS_PER_EVENT = 2


def _program_people(program: Program) -> list[Person]:
    """The people of the program's organizations who have an e-mail address, in a stable order."""
    return list(
        Person.objects.filter(organization__participations__program=program, is_active=True)
        .exclude(email="")
        .select_related("organization")
        .order_by("pk")
    )


@transaction.atomic
def load_demo_events(*, seed: int) -> int:
    """DATAide's past events with registrations and attendance, once; returns how many events it created.

    Written through the event services, as staff would enter them: the registrants are people of the
    program's organizations, about three in four attended, and a couple per event cancelled.
    """
    program = Program.objects.filter(slug=DATAIDE_SLUG).first()
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    if program is None or manager is None or Event.objects.filter(program=program).exists():
        return 0
    rng = random.Random(seed)
    people = _program_people(program)
    for starts_at, title, counts in DEMO_EVENTS:
        event = event_create(
            actor=manager,
            data={
                "program": program,
                "kind": Event.Kind.WEBINAR if counts else Event.Kind.INFORMATION_SESSION,
                "title_fr": title,
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(minutes=90),
                "online_url": "https://webinaires.example/dataide",
                "counts_toward_sensitization": counts,
                "status": Event.Status.PUBLISHED,
            },
        )
        registrants = rng.sample(people, min(len(people), rng.randint(*DEMO_REGISTRANTS_PER_EVENT)))
        registrations = [
            registration_create(
                event=event,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                language=person.preferred_language,
                organization=person.organization,
                person=person,
                source=Registration.Source.STAFF,
                actor=manager,
            )
            for person in registrants
        ]
        for registration in registrations[:DEMO_CANCELLATIONS_PER_EVENT]:
            registration_cancel(registration=registration, actor=manager)
        for registration in registrations[DEMO_CANCELLATIONS_PER_EVENT:]:
            attended = rng.random() < DEMO_ATTENDANCE_RATE
            attendance_mark(registration=registration, attended=attended, actor=manager)
    return len(DEMO_EVENTS)


# DATAide's coming events, counted from the day the demo is loaded: (days from today, hour, minute,
# title, kind, capacity, registrants, in person in this municipality or online).
UPCOMING_DEMO_EVENTS = (
    (9, 13, 30, "Cybersécurité : les bons réflexes pour votre équipe", Event.Kind.WEBINAR, 100, 23, ""),
    (16, 9, 30, "Atelier pratique : vos données dans un tableur partagé", Event.Kind.WORKSHOP, 12, 12, "Québec"),
    (30, 10, 0, "Séance d’information : les bourses DATAide", Event.Kind.INFORMATION_SESSION, None, 8, ""),
    (44, 13, 30, "Automatiser les tâches répétitives sans coder", Event.Kind.WEBINAR, 150, 5, ""),
)


@transaction.atomic
def load_upcoming_demo_events(*, seed: int) -> int:
    """DATAide's coming events, when it has none: the public calendar of the demo is never empty.

    One workshop is full, so that the next person to register goes on the waiting list.
    """
    program = Program.objects.filter(slug=DATAIDE_SLUG).first()
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    now = timezone.now()
    if program is None or manager is None or Event.objects.filter(program=program, starts_at__gt=now).exists():
        return 0
    rng = random.Random(f"upcoming-{seed}")
    people = _program_people(program)
    today = timezone.localdate()
    for days, hour, minute, title, kind, capacity, registrants, place in UPCOMING_DEMO_EVENTS:
        starts_at = datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour, minute), tzinfo=QUEBEC
        )
        data = {
            "program": program,
            "kind": kind,
            "title_fr": title,
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(minutes=180 if kind == Event.Kind.WORKSHOP else 75),
            "capacity": capacity,
            "registration_deadline": starts_at - datetime.timedelta(hours=2),
            "counts_toward_sensitization": kind != Event.Kind.INFORMATION_SESSION,
            "status": Event.Status.PUBLISHED,
        }
        if place:
            data["municipality"] = Municipality.objects.filter(name=place).order_by("code").first()
            data["address"] = "155, boulevard Charest Est, salle 2"
        else:
            data["online_url"] = "https://webinaires.example/dataide"
        event = event_create(actor=manager, data=data)
        for person in rng.sample(people, min(len(people), registrants)):
            registration_create(
                event=event,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                language=person.preferred_language,
                organization=person.organization,
                person=person,
                source=Registration.Source.PUBLIC_FORM,
                actor=None,
            )
    return len(UPCOMING_DEMO_EVENTS)


def demo_accounts() -> list[DemoAccount]:
    """One row per demo account that exists, with what its memberships let it see."""
    users = {user.email: user for user in User.objects.filter(email__in=DEMO_EMAILS)}
    memberships = (
        Membership.objects.filter(user__in=users.values(), is_active=True)
        .select_related("program")
        .prefetch_related("regions", "organizations")
        .order_by("program__name_fr", "role")
    )
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    accounts = []
    for email in DEMO_EMAILS:
        user = users.get(email)
        if user is None:
            continue
        if user.is_superuser:
            accounts.append(DemoAccount(email, DEMO_PASSWORD, str(ADMINISTRATOR), str(SEES_EVERYTHING)))
            continue
        roles, sees = [], []
        for membership in by_user.get(user.pk, []):
            label = str(membership.get_role_display())
            if label not in roles:
                roles.append(label)
            sees.append(_describe(membership))
        accounts.append(DemoAccount(email, DEMO_PASSWORD, ", ".join(roles), "; ".join(sees)))
    return accounts


def _describe(membership: Membership) -> str:
    program = membership.program.name
    if membership.role == Role.PROGRAM_MANAGER:
        return str(SEES_PROGRAM % {"program": program})
    if membership.role == Role.REGIONAL_COORDINATOR:
        regions = ", ".join(region.name for region in membership.regions.all())
        return str(SEES_REGIONS % {"regions": regions, "program": program})
    if membership.role == Role.COACH:
        return str(SEES_COACHED % {"count": len(membership.organizations.all()), "program": program})
    if membership.role == Role.REVIEWER:
        return str(SEES_REVIEWS % {"program": program})
    if membership.role == Role.FUNDER_VIEWER:
        return str(SEES_AGGREGATES % {"program": program})
    organizations = ", ".join(str(organization) for organization in membership.organizations.all())
    return str(SEES_OWN_ORGANIZATION % {"organizations": organizations})


class _DemoBuilder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.places = MunicipalityPicker(self.rng)
        self.municipalities: dict[int, Municipality] = {}
        self.used_names: set[tuple[str, int]] = set()
        self.identifier_index = DEMO_IDENTIFIER_START

    # Building blocks -------------------------------------------------------------------------

    def municipality(self, place: Place) -> Municipality:
        if place.id not in self.municipalities:
            self.municipalities[place.id] = Municipality.objects.get(pk=place.id)
        return self.municipalities[place.id]

    def account(self, *, actor, email: str, first_name: str, last_name: str) -> User:
        user, _created = user_get_or_create(actor=actor, email=email, first_name=first_name, last_name=last_name)
        return user

    def next_index(self) -> int:
        self.identifier_index += 1
        return self.identifier_index

    def organization_data(self, kind: str, place: Place) -> dict:
        """A new organization's form data, with a name not yet used in that municipality."""
        for _attempt in range(20):
            profile = self.names.organization(kind, place.name)
            key = (profile.legal_name, place.id)
            if key not in self.used_names:
                break
        self.used_names.add(key)
        data = {
            "kind": profile.kind,
            "legal_name": profile.legal_name,
            "usual_name": profile.usual_name,
            "sector": profile.sector,
            "mission": profile.mission,
            "address": self.names.address(),
            "postal_code": self.names.postal_code(place.region_code),
            "municipality": self.municipality(place),
            **self.names.bands(kind),
        }
        if kind == Organization.Kind.SME and self.rng.random() < 0.8:
            data["neq"] = neq_for(self.next_index(), self.rng.choice(("11", "11", "22", "33")))
        elif kind in (Organization.Kind.COOPERATIVE, Organization.Kind.SOCIAL_ECONOMY):
            data["neq"] = neq_for(self.next_index(), "11")
        elif kind == Organization.Kind.COMMUNITY and self.rng.random() < 0.6:
            data["neq"] = neq_for(self.next_index(), "11")
            if self.rng.random() < 0.5:
                data["charity_number"] = charity_number_for(self.next_index())
        return data

    def contact_data(self, organization_name: str, kind: str, region_code: str) -> dict:
        first_name, last_name = self.names.person_name()
        return {
            "first_name": first_name,
            "last_name": last_name,
            "email": self.names.email(first_name, last_name, organization_name),
            "phone": self.names.phone(region_code),
            "role_title": self.names.role_title(kind),
            "preferred_language": "en" if self.rng.random() < 0.08 else "fr",
        }

    def add_people(self, *, actor, organization: Organization, place: Place, count: int) -> None:
        emails = set()
        for position in range(count):
            data = self.contact_data(organization.display_name, organization.kind, place.region_code)
            if data["email"] in emails or self.rng.random() < 0.15:
                data["email"] = ""
            if self.rng.random() < 0.4:
                data["phone"] = ""
            emails.add(data["email"])
            person_create(actor=actor, organization=organization, data={**data, "is_primary": position == 0})

    def known_organization(self, *, actor, legal_name: str, town: str, kind: str, sector: str, **extra):
        """One of the real organizations named in the press releases (no invented identifiers)."""
        place = self.places.named(town)
        data = {"kind": kind, "legal_name": legal_name, "sector": sector, "municipality": self.municipality(place)}
        data.update(extra)
        return organization_create(actor=actor, data=data, confirm_similar=True)

    # The demo --------------------------------------------------------------------------------

    def build(self) -> None:
        admin = User.objects.create_superuser(ADMIN_EMAIL, DEMO_PASSWORD, first_name="Alex", last_name="Administrateur")
        manager = self.account(actor=admin, email=MANAGER_EMAIL, first_name="Geneviève", last_name="Lapointe")
        coordinator = self.account(actor=admin, email=COORDINATOR_EMAIL, first_name="Mathieu", last_name="Bouchard")
        coach = self.account(actor=admin, email=COACH_EMAIL, first_name="Sophie", last_name="Nguyen")
        reviewer = self.account(actor=admin, email=REVIEWER_EMAIL, first_name="François", last_name="Gagnon")
        funder = self.account(actor=admin, email=FUNDER_EMAIL, first_name="Isabelle", last_name="Roy")

        dataide, plus_numerique = self.programs(admin, manager)
        capitale = (
            Region.objects.filter(code=CAPITALE_NATIONALE_CODE).first() or Region.objects.order_by("code").first()
        )
        membership_invite(
            actor=manager,
            program=dataide,
            email=COORDINATOR_EMAIL,
            role=Role.REGIONAL_COORDINATOR,
            regions=[capitale],
        )
        membership_invite(actor=manager, program=dataide, email=REVIEWER_EMAIL, role=Role.REVIEWER)
        membership_invite(actor=manager, program=dataide, email=FUNDER_EMAIL, role=Role.FUNDER_VIEWER)

        dataide_organizations = self.program_organizations(
            program=dataide,
            count=DATAIDE_ORGANIZATIONS,
            kinds=(Organization.Kind.COMMUNITY,) * 17 + (Organization.Kind.SOCIAL_ECONOMY,) * 2,
            actor_for=lambda place: coordinator if place.region_id == capitale.pk else manager,
        )
        self.program_organizations(
            program=plus_numerique,
            count=PLUS_NUMERIQUE_ORGANIZATIONS,
            kinds=(Organization.Kind.SME,) * 9 + (Organization.Kind.COOPERATIVE,),
            actor_for=lambda place: manager,
        )
        shared = [o for o in dataide_organizations if o.kind != Organization.Kind.COMMUNITY][:SHARED_ORGANIZATIONS]
        for organization in shared:
            participation_add(
                actor=manager, program=plus_numerique, organization=organization, source=Participation.Source.STAFF
            )
        coached = self.rng.sample(dataide_organizations, COACHED_ORGANIZATIONS)
        membership_invite(actor=manager, program=dataide, email=COACH_EMAIL, role=Role.COACH, organizations=coached)

        self.contact_organization(dataide, validator=manager)
        for position in range(PENDING_REGISTRATIONS):
            program = plus_numerique if position == PENDING_REGISTRATIONS - 1 else dataide
            kind = Organization.Kind.SME if program == plus_numerique else Organization.Kind.COMMUNITY
            self.self_registration(program, kind)

        for user in (admin, manager, coordinator, coach, reviewer, funder):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])

    def programs(self, admin: User, manager: User) -> tuple[Program, Program]:
        centraide = self.known_organization(
            actor=admin,
            legal_name="Centraide du Grand Montréal",
            town="Montréal",
            kind=Organization.Kind.COMMUNITY,
            sector=Organization.Sector.SOCIAL_SERVICES,
            mission="Rassembler les ressources du milieu pour améliorer la qualité de vie des personnes vulnérables.",
        )
        regional_centraides = [
            self.known_organization(
                actor=admin, legal_name=name, town=town, kind=Organization.Kind.COMMUNITY, sector="social_services"
            )
            for name, town in (
                ("Centraide Québec, Chaudière-Appalaches et Bas-Saint-Laurent", "Québec"),
                ("Centraide Estrie", "Sherbrooke"),
                ("Centraide Mauricie", "Trois-Rivières"),
                ("Centraide Outaouais", "Gatineau"),
                ("Centraide Saguenay–Lac-Saint-Jean", "Saguenay"),
                ("Centraide Abitibi-Témiscamingue et Nord-du-Québec", "Rouyn-Noranda"),
            )
        ]
        nord_ouvert = self.known_organization(
            actor=admin,
            legal_name="Nord Ouvert",
            town="Montréal",
            kind=Organization.Kind.COMMUNITY,
            sector=Organization.Sector.TECHNOLOGY,
            mission="Organisme sans but lucratif spécialisé en données et en technologie.",
        )
        ministry = self.known_organization(
            actor=admin,
            legal_name="Ministère du Travail, de l'Emploi et de la Solidarité sociale",
            town="Québec",
            kind=Organization.Kind.OTHER,
            sector=Organization.Sector.PUBLIC,
        )
        colab = self.known_organization(
            actor=admin,
            legal_name="COlab",
            town="Alma",
            kind=Organization.Kind.COMMUNITY,
            sector=Organization.Sector.TECHNOLOGY,
            mission="Laboratoire d'innovation ouverte en économie et en culture numériques.",
        )
        desjardins = self.known_organization(
            actor=admin,
            legal_name="Fédération des caisses Desjardins du Québec",
            usual_name="Desjardins",
            town="Lévis",
            kind=Organization.Kind.COOPERATIVE,
            sector=Organization.Sector.FINANCE,
        )
        rio_tinto = self.known_organization(
            actor=admin,
            legal_name="Rio Tinto",
            town="Saguenay",
            kind=Organization.Kind.OTHER,
            sector=Organization.Sector.MANUFACTURING,
        )
        research_centre = self.known_organization(
            actor=admin,
            legal_name="Centre de recherche et de développement Arvida",
            usual_name="CRDA",
            town="Saguenay",
            kind=Organization.Kind.OTHER,
            sector=Organization.Sector.MANUFACTURING,
        )

        dataide = program_create(
            actor=admin,
            data={
                "slug": DATAIDE_SLUG,
                "name_fr": "DATAide",
                "name_en": "DATAide",
                "description_fr": (
                    "Formation en intelligence numérique et soutien au leadership pour les organismes "
                    "communautaires actifs dans la lutte contre la pauvreté et l'exclusion sociale, partout "
                    "au Québec : webinaires de sensibilisation, formation, soutien aux leaders et bourses donnant "
                    "accès à de l'accompagnement et à l'achat de matériel et de logiciels."
                ),
                "description_en": (
                    "Digital intelligence training and leadership support for community organizations fighting "
                    "poverty and social exclusion across Quebec: awareness webinars, training, support for "
                    "leaders, and grants giving access to coaching and to hardware and software."
                ),
                "operator": centraide,
                "starts_on": datetime.date(2022, 4, 1),
                "ends_on": datetime.date(2025, 3, 31),
            },
            partners=[*regional_centraides, nord_ouvert],
        )
        plus_numerique = program_create(
            actor=admin,
            data={
                "slug": PLUS_NUMERIQUE_SLUG,
                "name_fr": "Plus numérique",
                "name_en": "Plus numérique",
                "description_fr": (
                    "Parcours d'apprentissage en économie et en culture numériques pour les personnes qui "
                    "accompagnent les PME (agents de développement économique, directeurs de compte), "
                    "repérage des besoins d'accompagnement des entreprises en expertise et en financement, "
                    "et activité d'éveil à l'intelligence artificielle."
                ),
                "description_en": (
                    "Learning paths in digital economy and culture for the people who advise SMEs "
                    "(economic-development agents, account managers), identification of businesses' support "
                    "needs in expertise and financing, and an artificial-intelligence awareness activity."
                ),
                "operator": colab,
                "starts_on": datetime.date(2024, 9, 1),
                "ends_on": datetime.date(2027, 8, 31),
            },
            partners=[desjardins, rio_tinto],
        )
        for program in (dataide, plus_numerique):
            membership_invite(actor=admin, program=program, email=MANAGER_EMAIL, role=Role.PROGRAM_MANAGER)

        for indicator, value in (
            (Indicator.ORGANIZATIONS_SENSITIZED, 3000),
            (Indicator.ORGANIZATIONS_TRAINED, 180),
            (Indicator.LEADERS_SUPPORTED, 60),
            (Indicator.ORGANIZATIONS_GRANTED, 500),
            (Indicator.COACHING_HOURS, 3000),
        ):
            target_set(
                actor=manager, program=dataide, indicator=indicator, value=Decimal(value), due_on=dataide.ends_on
            )
        # The press release gives no figure for needs identified; 250 SMEs is the demo's assumption.
        for indicator, value in ((Indicator.SUPPORT_NEEDS_IDENTIFIED, 250), (Indicator.PEOPLE_TRAINED, 100)):
            target_set(
                actor=manager,
                program=plus_numerique,
                indicator=indicator,
                value=Decimal(value),
                due_on=plus_numerique.ends_on,
            )

        for title, amount in (
            ("Fonds québécois d'initiatives sociales (FQIS)", Decimal("4000000.00")),
            ("Fonds de développement du marché du travail (FDMT)", Decimal("1450000.00")),
        ):
            funding_agreement_create(
                actor=manager,
                program=dataide,
                funder=ministry,
                title=title,
                amount=amount,
                starts_on=dataide.starts_on,
                ends_on=dataide.ends_on,
            )
        for partner in (desjardins, rio_tinto):
            funding_agreement_create(
                actor=manager,
                program=plus_numerique,
                funder=partner,
                title="Contribution à Plus numérique",
                amount=Decimal("250000.00"),
                starts_on=plus_numerique.starts_on,
                ends_on=plus_numerique.ends_on,
            )
        # The AI-awareness activity trains 100 employees of Rio Tinto's research centre.
        participation_add(
            actor=manager, program=plus_numerique, organization=research_centre, source=Participation.Source.STAFF
        )
        return dataide, plus_numerique

    def program_organizations(self, *, program: Program, count: int, kinds, actor_for) -> list[Organization]:
        organizations = []
        for place in self.places.pick_many(count):
            actor = actor_for(place)
            organization = organization_create_in_program(
                actor=actor,
                program=program,
                data=self.organization_data(self.rng.choice(kinds), place),
                confirm_similar=True,
            )
            self.add_people(
                actor=actor, organization=organization, place=place, count=self.rng.choice(PEOPLE_PER_ORGANIZATION)
            )
            organizations.append(organization)
        return organizations

    def self_registration(self, program: Program, kind: str, *, contact_email: str = "") -> Organization:
        place = self.places.pick()
        data = self.organization_data(kind, place)
        contact = self.contact_data(data["usual_name"] or data["legal_name"], kind, place.region_code)
        if contact_email:
            contact["email"] = contact_email
        return organization_self_register(
            program=program,
            organization_data=data,
            contact_data=contact,
            consents={
                Consent.Purpose.PROGRAM_COMMUNICATIONS: True,
                Consent.Purpose.PARTNER_SHARING: self.rng.random() < 0.5,
                Consent.Purpose.RESEARCH: self.rng.random() < 0.3,
            },
        )

    def contact_organization(self, program: Program, *, validator: User) -> Organization:
        """The organization of the demo contact: it registered itself, then staff validated it."""
        organization = self.self_registration(program, Organization.Kind.COMMUNITY, contact_email=CONTACT_EMAIL)
        registration_validate(actor=validator, organization=organization)
        contact = User.objects.get(email=CONTACT_EMAIL)
        contact.set_password(DEMO_PASSWORD)
        contact.save(update_fields=["password"])
        return organization

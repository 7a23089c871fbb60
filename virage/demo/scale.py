"""Province-scale data: 250,000 organizations and 600,000 people, for load tests and benchmarks.

These rows are synthetic load, not things people did, so they are written with ``bulk_create``
straight into the tables and leave no entry in the activity log: 850,000 log entries would only
measure the log, and would claim actions nobody took. The demo (see ``seed.py``) is the part that
goes through the services.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from virage.core.text import fold
from virage.organizations.models import Organization, Person
from virage.programs.models import Participation, Program

from .data import NEQ_PREFIXES_BY_KIND, NameMaker, charity_number_for, neq_for
from .geography import MunicipalityPicker
from .seed import DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG, SCALE_IDENTIFIER_START

PROVINCE_ORGANIZATIONS = 250_000
PROVINCE_PEOPLE = 600_000
BATCH_SIZE = 5_000

# Quebec has about 8,000 community organizations for 250,000 SMEs; a province-wide program's
# registry also holds cooperatives, social-economy enterprises and a few public bodies.
KINDS = ("sme", "community", "cooperative", "social_economy", "other")
KIND_WEIGHTS = (84, 9, 3, 3, 1)
NEQ_SHARE = {"sme": 0.75, "community": 0.6, "cooperative": 0.9, "social_economy": 0.8, "other": 0.5}
CHARITY_SHARE = 0.4
# Share of each kind enrolled in DATAide (community sector) and in Plus numérique (businesses).
DATAIDE_SHARE = {"community": 0.55, "social_economy": 0.4}
PLUS_NUMERIQUE_SHARE = {"sme": 0.4, "cooperative": 0.4, "social_economy": 0.1}
SOURCES = (
    (Participation.Source.IMPORT,) * 14 + (Participation.Source.STAFF,) * 5 + (Participation.Source.SELF_REGISTRATION,)
)


@dataclass
class ScaleReport:
    organizations: int = 0
    people: int = 0
    participations: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: bool = False


class _Stopwatch:
    def __init__(self, report: ScaleReport):
        self.report = report

    def timed(self, name: str, action: Callable):
        started = time.perf_counter()
        result = action()
        self.report.seconds[name] = self.report.seconds.get(name, 0.0) + time.perf_counter() - started
        return result


def load_province(
    *,
    seed: int,
    organizations: int = PROVINCE_ORGANIZATIONS,
    people: int = PROVINCE_PEOPLE,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] = lambda message: None,
) -> ScaleReport:
    """Add ``organizations`` organizations and ``people`` people, the same ones for the same seed.

    Does nothing when the database already holds that many organizations, so running the
    command twice does not double the data.
    """
    report = ScaleReport()
    if Organization.objects.count() >= organizations:
        report.skipped = True
        return report
    rng = random.Random(seed)
    names = NameMaker(rng)
    places = MunicipalityPicker(rng)
    programs = dict(Program.objects.filter(slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG]).values_list("slug", "pk"))
    taken_neqs = set(Organization.objects.exclude(neq="").values_list("neq", flat=True))
    taken_charity_numbers = set(
        Organization.objects.exclude(charity_number="").values_list("charity_number", flat=True)
    )
    identifier_index = SCALE_IDENTIFIER_START
    # Every person belongs to an organization drawn at random: most have one to four contacts,
    # a few have none, as in a real registry.
    people_counts = [0] * organizations
    for _person in range(people):
        people_counts[rng.randrange(organizations)] += 1
    stopwatch = _Stopwatch(report)
    total_started = time.perf_counter()

    with transaction.atomic():
        for start in range(0, organizations, batch_size):
            size = min(batch_size, organizations - start)
            picked = list(zip(places.pick_many(size), rng.choices(KINDS, weights=KIND_WEIGHTS, k=size), strict=True))
            batch = []
            for place, kind in picked:
                profile = names.organization(kind, place.name)
                neq = charity_number = ""
                if rng.random() < NEQ_SHARE[kind]:
                    while not neq or neq in taken_neqs:
                        identifier_index += 1
                        neq = neq_for(identifier_index, rng.choice(NEQ_PREFIXES_BY_KIND[kind]))
                    taken_neqs.add(neq)
                if kind == "community" and rng.random() < CHARITY_SHARE:
                    while not charity_number or charity_number in taken_charity_numbers:
                        identifier_index += 1
                        charity_number = charity_number_for(identifier_index)
                    taken_charity_numbers.add(charity_number)
                batch.append(
                    Organization(
                        kind=kind,
                        legal_name=profile.legal_name,
                        usual_name=profile.usual_name,
                        name_folded=fold(
                            f"{profile.usual_name} {profile.legal_name}" if profile.usual_name else profile.legal_name
                        ),
                        neq=neq,
                        charity_number=charity_number,
                        address=names.address(),
                        postal_code=names.postal_code(place.region_code),
                        municipality_id=place.id,
                        mrc_id=place.mrc_id,
                        region_id=place.region_id,
                        sector=profile.sector,
                        mission=profile.mission,
                        status=_status(rng.random()),
                        **names.bands(kind),
                    )
                )
            stopwatch.timed("organizations", lambda batch=batch: Organization.objects.bulk_create(batch))
            report.organizations += len(batch)

            participations, contacts = [], []
            for position, (organization, (place, _kind)) in enumerate(zip(batch, picked, strict=True), start=start):
                for slug, shares in ((DATAIDE_SLUG, DATAIDE_SHARE), (PLUS_NUMERIQUE_SLUG, PLUS_NUMERIQUE_SHARE)):
                    if slug in programs and rng.random() < shares.get(organization.kind, 0):
                        participations.append(
                            Participation(
                                program_id=programs[slug], organization_id=organization.pk, source=rng.choice(SOURCES)
                            )
                        )
                contacts.extend(_people(names, rng, organization, place.region_code, people_counts[position]))
            stopwatch.timed("participations", lambda rows=participations: Participation.objects.bulk_create(rows))
            stopwatch.timed("people", lambda rows=contacts: Person.objects.bulk_create(rows))
            report.participations += len(participations)
            report.people += len(contacts)
            progress(f"{report.organizations:,} / {organizations:,}")

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Do now what autovacuum would do some minutes later: statistics, so the planner knows the
        # tables are large, and the visibility map, so counts can read indexes without the table.
        # VACUUM cannot run inside a transaction (in the test suite, for one): it is skipped there.
        def vacuum_analyze():
            with connection.cursor() as cursor:
                for model in (Organization, Person, Participation):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

        stopwatch.timed("analyze", vacuum_analyze)
    report.seconds["total"] = time.perf_counter() - total_started
    return report


def _status(draw: float) -> str:
    """About 1% of registrations wait for validation and 3% of organizations are archived."""
    if draw < 0.01:
        return Organization.Status.PENDING
    if draw > 0.97:
        return Organization.Status.ARCHIVED
    return Organization.Status.ACTIVE


def _people(names: NameMaker, rng: random.Random, organization: Organization, region_code: str, count: int):
    rows, emails = [], set()
    for position in range(count):
        first_name, last_name = names.person_name()
        email = ""
        if rng.random() < 0.85:
            email = names.email(first_name, last_name, organization.display_name)
            if email in emails:
                # Two namesakes in one organization: an address is unique within an organization.
                email = email.replace("@", f"{position + 1}@", 1)
            emails.add(email)
        rows.append(
            Person(
                organization_id=organization.pk,
                first_name=first_name,
                last_name=last_name,
                email=email,
                phone=names.phone(region_code) if rng.random() < 0.5 else "",
                role_title=names.role_title(organization.kind),
                preferred_language="en" if rng.random() < 0.08 else "fr",
                is_primary=position == 0,
            )
        )
    return rows

#!/usr/bin/env python
"""Benchmark of learning at province scale, on PostgreSQL.

It needs a benchmark database with the province-scale data, learning included (500,000 enrollments
in 5,000 cohorts, with their attestations): ``--load`` drops and re-creates the database named in
``--database-url`` (its name must contain ``bench``), applies the migrations and runs
``seed_demo --scale province`` (timed). Then, as the demo program manager, through Django's test
client, it requests each page ``--requests`` times after ``--warmup`` requests and reports p50, p95,
maximum and SQL queries:

- the progress grid of a cohort of **100 learners × 12 modules** (8 self-paced, 4 live with their
  sessions), created once through the services in the database (``Banc d'essai — grille 100 × 12``);
- one cell of that grid saved with htmx (a POST, alternating two statuses);
- the learning indicators of DATAide and of Plus numérique (whole program), and of DATAide for 2025.

Then it times the attestation PDF (WeasyPrint, both languages, QR code) for ``--pdfs`` attestations.

Usage (from the repository root)::

    .venv/bin/python bench/learning_bench.py --database-url \\
        postgres://postgres@127.0.0.1:5432/virage_bench_learning --load
"""

import argparse
import datetime
import itertools
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import (  # noqa: E402
    duration_figures,
    page_bench_parser,
    page_figures,
    parse_page_arguments,
    print_pages_table,
    profile_queries,
    reset_postgresql,
    results_header,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/virage_bench_learning"
GOAL_P95_MS = 150
GRID_COHORT = "Banc d'essai — grille 100 × 12"
GRID_LEARNERS = 100
GRID_MODULES = 12
LIVE_MODULES = 4


def parse_arguments() -> argparse.Namespace:
    parser = page_bench_parser(__doc__, DEFAULT_DATABASE_URL)
    parser.add_argument("--pdfs", type=int, default=20, help="attestation PDFs rendered")
    parser.add_argument("--load", action="store_true", help="re-create the database and seed it (timed)")
    return parse_page_arguments(parser)


def main() -> None:
    arguments = parse_arguments()
    results: dict = results_header("learning_bench.py", arguments.database_url)
    if arguments.load:
        reset_postgresql(arguments.database_url)
    setup_django(arguments.database_url)

    from django.core.management import call_command
    from django.db import connection

    from virage.learning.models import Attestation, Cohort, Enrollment

    if arguments.load:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale="province", seed=arguments.seed, verbosity=2)
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        results["postgresql"] = cursor.fetchone()[0].split(" on ")[0]
    results["counts"] = {
        "cohorts": Cohort.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "attestations": Attestation.objects.count(),
    }
    if results["counts"]["enrollments"] < 500_000:
        sys.exit("The database holds fewer than 500,000 enrollments: add --load, or run seed_demo --scale province.")
    print(f"Counts: {results['counts']}", flush=True)
    cohort = grid_cohort(arguments.seed)
    results["pages"] = measure_pages(arguments, cohort)
    results["pdf"] = measure_pdf(arguments)
    print_table(results)
    arguments.output.mkdir(parents=True, exist_ok=True)
    path = arguments.output / f"learning-{datetime.datetime.now().astimezone().date().isoformat()}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\nResults written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def grid_cohort(seed: int):
    """The cohort of 100 learners × 12 modules, created once through the services, with progress."""
    from django.db import transaction
    from django.utils import timezone

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL
    from virage.events.models import Registration
    from virage.events.services import attendance_mark
    from virage.learning import services
    from virage.learning.models import Cohort, LearningPath, Module
    from virage.organizations.models import Person
    from virage.programs.models import Program

    existing = Cohort.objects.filter(name=GRID_COHORT).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    rng = random.Random(seed)
    manager = User.objects.get(email=MANAGER_EMAIL)
    program = Program.objects.get(slug=DATAIDE_SLUG)
    with transaction.atomic():
        path = services.path_create(
            data={
                "program": program,
                "title_fr": "Parcours de banc d'essai (12 modules)",
                "audience": LearningPath.Audience.ORGANIZATION_STAFF,
                "kind": LearningPath.Kind.TRAINING,
                "status": LearningPath.Status.PUBLISHED,
            },
            actor=manager,
        )
        modules = []
        for position in range(1, GRID_MODULES + 1):
            live = position % (GRID_MODULES // LIVE_MODULES) == 0
            modules.append(
                services.module_create(
                    path=path,
                    data={
                        "position": position,
                        "title_fr": f"Module {position}",
                        "format": Module.Format.LIVE_SESSION if live else Module.Format.SELF_PACED,
                        "expected_hours": Decimal("2.5"),
                    },
                    actor=manager,
                )
            )
        today = timezone.localdate()
        cohort = services.cohort_create(
            path=path,
            data={"name": GRID_COHORT, "starts_on": today - datetime.timedelta(days=60), "ends_on": today},
            actor=manager,
        )
        for number, module in enumerate(module for module in modules if module.is_live):
            starts_at = timezone.now() - datetime.timedelta(days=50 - 10 * number)
            services.cohort_session_create(
                cohort=cohort,
                module=module,
                event_data={
                    "starts_at": starts_at,
                    "ends_at": starts_at + datetime.timedelta(hours=2),
                    "online_url": "https://formation.example/banc",
                },
                actor=manager,
            )
        people = list(Person.objects.filter(is_active=True).exclude(email="").order_by("pk")[:5000])
        enrollments = [
            services.enrollment_create(cohort=cohort, person=person, actor=manager)
            for person in rng.sample(people, GRID_LEARNERS)
        ]
        for registration in Registration.objects.filter(event__cohort_session__cohort=cohort):
            attendance_mark(registration=registration, attended=rng.random() < 0.8, actor=manager)
        self_paced = [module for module in modules if not module.is_live]
        for enrollment in enrollments:
            for module in self_paced[: rng.randint(0, len(self_paced))]:
                services.progress_update(enrollment=enrollment, module=module, status="completed", actor=manager)
        services.progress_sync_attendance(cohort=cohort, actor=manager)
    print(f"Grid cohort created in {time.perf_counter() - started:.1f} s", flush=True)
    return cohort


def measure_pages(arguments: argparse.Namespace, cohort) -> dict:
    from django.test import Client

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL, PLUS_NUMERIQUE_SLUG
    from virage.learning.models import Enrollment, Module

    total = arguments.warmup + arguments.requests
    client = Client()
    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    pages = {
        "cohort_grid_100x12": [f"/apprentissage/cohortes/{cohort.pk}/grille/"] * total,
        "learning_indicators_dataide": [f"/indicateurs/{DATAIDE_SLUG}/apprentissage/"] * total,
        "learning_indicators_plus_numerique": [f"/indicateurs/{PLUS_NUMERIQUE_SLUG}/apprentissage/"] * total,
        "learning_indicators_dataide_2025": [
            f"/indicateurs/{DATAIDE_SLUG}/apprentissage/?start=2025-01-01&end=2025-12-31&granularity=quarter"
        ]
        * total,
    }
    measured = {}
    for name, urls in pages.items():
        durations, failures = [], []
        for position, url in enumerate(urls):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                failures.append(f"{url} → {response.status_code}")
            if position >= arguments.warmup:
                durations.append(elapsed)
        query_counts, slowest = profile_queries(client, urls[:5])
        measured[name] = page_figures(
            name,
            durations=durations,
            query_counts=query_counts,
            slowest=slowest,
            failures=failures,
            explain=arguments.explain,
        )
    # One cell of the grid saved with htmx, as a facilitator does it, alternating two statuses.
    enrollment = Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ENROLLED).order_by("pk").first()
    module = cohort.path.modules.filter(format=Module.Format.SELF_PACED).order_by("-position").first()
    url = f"/apprentissage/cohortes/{cohort.pk}/grille/{enrollment.pk}/{module.pk}/"
    durations, failures = [], []
    for position, status in enumerate(itertools.islice(itertools.cycle(("in_progress", "not_started")), total)):
        started = time.perf_counter()
        response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            failures.append(f"{url} → {response.status_code}")
        if position >= arguments.warmup:
            durations.append(elapsed)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    measured["grid_cell_update"] = page_figures(
        "grid_cell_update",
        durations=durations,
        query_counts=[len(captured.captured_queries)],
        slowest=None,
        failures=failures,
        explain=False,
    )
    return measured


def measure_pdf(arguments: argparse.Namespace) -> dict:
    from virage.learning.models import Attestation
    from virage.learning.pdf import render_attestation_pdf

    attestations = list(Attestation.objects.order_by("?")[: arguments.pdfs + 2])
    render_attestation_pdf(attestations[0])  # fonts and templates loaded once per process
    durations, sizes = [], []
    for attestation in attestations[2:]:
        started = time.perf_counter()
        content = render_attestation_pdf(attestation)
        durations.append((time.perf_counter() - started) * 1000)
        sizes.append(len(content))
    figures = duration_figures(durations, sizes)
    print(f"attestation PDF: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms", flush=True)
    return figures


def print_table(results: dict) -> None:
    print_pages_table(results["pages"], GOAL_P95_MS)
    pdf = results["pdf"]
    print(
        f"\nAttestation PDF ({pdf['pdfs']} renders, two pages with QR code, {pdf['mean_kb']} KB): "
        f"p50 {pdf['p50_ms']} ms, p95 {pdf['p95_ms']} ms, max {pdf['max_ms']} ms"
    )
    if "seed_seconds" in results:
        print(f"\nseed_demo --scale province: {results['seed_seconds']} s")


if __name__ == "__main__":
    main()

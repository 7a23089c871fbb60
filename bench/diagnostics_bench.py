#!/usr/bin/env python
"""Benchmark of diagnostics at province scale, on PostgreSQL.

It needs a benchmark database with the province-scale data, diagnostics included (100,000
assessments with their dimension scores and action plans): ``--load`` drops and re-creates the
database named in ``--database-url`` (its name must contain ``bench``), applies the migrations and
runs ``seed_demo --scale province`` (timed). Then, as the demo program manager, through Django's
test client, it requests each page ``--requests`` times after ``--warmup`` requests and reports p50,
p95, maximum and SQL queries:

- the results page of a second assessment (scores beside the first, peers, radar, action plan),
  for ``--assessments`` assessments drawn at random among those with the largest peer groups;
- the peer comparison alone (``diagnostics.selectors.peer_averages``: two aggregate queries), timed
  as a function call, on the same assessments;
- the maturity page of DATAide and of Plus numérique (support needs identified per region against
  the target, the maturity gain: average, distribution, by services received, per dimension).

Then it times the action-plan PDF (WeasyPrint, the results page's content) for ``--pdfs`` assessments.

Usage (from the repository root)::

    .venv/bin/python bench/diagnostics_bench.py --database-url \\
        postgres://postgres@127.0.0.1:5432/virage_bench_diagnostics --load
"""

import argparse
import datetime
import json
import random
import sys
import time
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

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/virage_bench_diagnostics"
GOAL_P95_MS = 150


def parse_arguments() -> argparse.Namespace:
    parser = page_bench_parser(__doc__, DEFAULT_DATABASE_URL)
    parser.add_argument("--assessments", type=int, default=20, help="assessments whose results are requested in turn")
    parser.add_argument("--pdfs", type=int, default=20, help="action-plan PDFs rendered")
    parser.add_argument("--load", action="store_true", help="re-create the database and seed it (timed)")
    return parse_page_arguments(parser)


def main() -> None:
    arguments = parse_arguments()
    results: dict = results_header("diagnostics_bench.py", arguments.database_url)
    if arguments.load:
        reset_postgresql(arguments.database_url)
    setup_django(arguments.database_url)

    from django.core.management import call_command
    from django.db import connection

    from virage.diagnostics.models import Assessment, DimensionScore, Recommendation

    if arguments.load:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale="province", seed=arguments.seed, verbosity=2)
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        results["postgresql"] = cursor.fetchone()[0].split(" on ")[0]
    results["counts"] = {
        "assessments": Assessment.objects.count(),
        "second_assessments": Assessment.objects.filter(round__gte=2).count(),
        "dimension_scores": DimensionScore.objects.count(),
        "recommendations": Recommendation.objects.count(),
    }
    if results["counts"]["assessments"] < 100_000:
        sys.exit("The database holds fewer than 100,000 assessments: add --load, or run seed_demo --scale province.")
    print(f"Counts: {results['counts']}", flush=True)
    sample = sample_assessments(arguments)
    results["peer_groups"] = sample["groups"]
    results["pages"] = measure_pages(arguments, sample["ids"])
    results["pdf"] = measure_pdf(arguments, sample["ids"])
    print_table(results)
    arguments.output.mkdir(parents=True, exist_ok=True)
    path = arguments.output / f"diagnostics-{datetime.datetime.now().astimezone().date().isoformat()}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\nResults written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def sample_assessments(arguments) -> dict:
    """Second assessments in the five largest peer groups (program, kind, region): the most rows to average."""
    from django.db.models import Count

    from virage.diagnostics.models import Assessment

    groups = list(
        Assessment.objects.filter(is_latest=True)
        .values("program_id", "organization_kind", "region_id")
        .annotate(count=Count("id"))
        .order_by("-count")[:5]
    )
    rng = random.Random(arguments.seed)
    candidates = []
    for group in groups:
        candidates += list(
            Assessment.objects.filter(
                program_id=group["program_id"],
                organization_kind=group["organization_kind"],
                region_id=group["region_id"],
                is_latest=True,
                round__gte=2,
            ).values_list("pk", flat=True)[:200]
        )
    ids = rng.sample(candidates, min(arguments.assessments, len(candidates)))
    print(f"Largest peer groups: {[group['count'] for group in groups]}", flush=True)
    return {"ids": ids, "groups": groups}


def measure_pages(arguments: argparse.Namespace, ids: list[int]) -> dict:
    from django.test import Client

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL, PLUS_NUMERIQUE_SLUG
    from virage.diagnostics.models import Assessment
    from virage.diagnostics.selectors import peer_averages

    total = arguments.warmup + arguments.requests
    client = Client()
    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    pages = {
        "results_page": [f"/diagnostics/{ids[index % len(ids)]}/resultats/" for index in range(total)],
        "maturity_dataide": [f"/indicateurs/{DATAIDE_SLUG}/maturite/"] * total,
        "maturity_plus_numerique": [f"/indicateurs/{PLUS_NUMERIQUE_SLUG}/maturite/"] * total,
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
    # The peer comparison on its own, as the results page and the API call it.
    assessments = list(Assessment.objects.filter(pk__in=ids))
    durations = []
    for position in range(total):
        assessment = assessments[position % len(assessments)]
        started = time.perf_counter()
        _scores, overall, count = peer_averages(assessment)
        elapsed = (time.perf_counter() - started) * 1000
        if position >= arguments.warmup:
            durations.append(elapsed)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        peer_averages(assessments[0])
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    measured["peer_comparison"] = page_figures(
        "peer_comparison",
        durations=durations,
        query_counts=[len(captured.captured_queries)],
        slowest={"url": "peer_averages", **slowest},
        failures=[],
        explain=arguments.explain,
    )
    return measured


def measure_pdf(arguments: argparse.Namespace, ids: list[int]) -> dict:
    from django.utils import translation

    from virage.diagnostics.models import Assessment
    from virage.diagnostics.pdf import render_plan_pdf
    from virage.diagnostics.views import _results_context

    assessments = list(Assessment.objects.filter(pk__in=ids).select_related("organization", "program", "region"))
    durations, sizes = [], []
    with translation.override("fr"):
        render_plan_pdf(_results_context(assessments[0]))  # fonts and templates loaded once per process
        for position in range(arguments.pdfs):
            assessment = assessments[position % len(assessments)]
            started = time.perf_counter()
            content = render_plan_pdf(_results_context(assessment))
            durations.append((time.perf_counter() - started) * 1000)
            sizes.append(len(content))
    figures = duration_figures(durations, sizes)
    print(f"action-plan PDF: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms", flush=True)
    return figures


def print_table(results: dict) -> None:
    print_pages_table(results["pages"], GOAL_P95_MS)
    pdf = results["pdf"]
    print(
        f"\nAction-plan PDF ({pdf['pdfs']} renders, {pdf['mean_kb']} KB): "
        f"p50 {pdf['p50_ms']} ms, p95 {pdf['p95_ms']} ms, max {pdf['max_ms']} ms"
    )
    if "seed_seconds" in results:
        print(f"\nseed_demo --scale province: {results['seed_seconds']} s")


if __name__ == "__main__":
    main()

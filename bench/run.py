#!/usr/bin/env python
"""Benchmark of Virage at province scale, on PostgreSQL.

Steps: drop and re-create the benchmark database, apply the migrations, time
``seed_demo --scale province`` (250,000 organizations, 600,000 people), then request three pages
as the demo program manager through Django's test client, and report the median (p50), the 95th
percentile (p95) and the maximum response time of each, with the number of SQL queries per page:

- the organization list filtered by region (``/organismes/?region=<id>``), cycling over every region;
- a name search with an accented prefix (``/organismes/?q=Érablière``), cycling over several words;
- an organization page (``/organismes/<id>/``), for organizations drawn at random.

The times are measured inside the Python process (URL routing, middleware, views, queries and
templates); they leave out the network and the web server, which add the same small cost to every
page. Results go to ``bench/results/<date>.json`` (not versioned) and a Markdown table is printed
for docs/performance.md.

Usage (from the repository root)::

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/virage_bench --requests 200

``--reuse`` skips the reset, the migrations and the seed, to measure again after changing a view.
``--explain`` prints the plan (EXPLAIN ANALYZE) of the slowest query of each page.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import (  # noqa: E402
    database_name,
    page_bench_parser,
    page_figures,
    parse_page_arguments,
    profile_queries,
    reset_postgresql,
    results_header,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/virage_bench"
SEARCH_TERMS = (
    "Érablière",
    "Café",
    "Épicerie",
    "Théâtre",
    "Coopérative de solidarité",
    "Maison des jeunes",
    "Électricité",
    "Fromagerie",
    "Société d'histoire",
    "Clinique de physiothérapie",
    "Centre d'action bénévole",
    "Québec",
)
GOAL_P95_MS = 100
GOAL_SEED_SECONDS = 600


def parse_arguments() -> argparse.Namespace:
    parser = page_bench_parser(__doc__, DEFAULT_DATABASE_URL)
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is (no reset, no seed)")
    return parse_page_arguments(parser)


def main() -> None:
    arguments = parse_arguments()
    results: dict = results_header("run.py", arguments.database_url)
    if not arguments.reuse:
        print(f"Re-creating the database {database_name(arguments.database_url)}…", flush=True)
        reset_postgresql(arguments.database_url)
    setup_django(arguments.database_url)

    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        results["postgresql"] = cursor.fetchone()[0].split(" on ")[0]

    if not arguments.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        results["migrate_seconds"] = round(time.perf_counter() - started, 1)
        print(f"Migrations: {results['migrate_seconds']} s", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", scale="province", seed=arguments.seed)
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
        print(f"Seed (--scale province --seed {arguments.seed}): {results['seed_seconds']} s", flush=True)

    results.update(measure_pages(arguments))
    print_table(results)
    arguments.output.mkdir(parents=True, exist_ok=True)
    path = arguments.output / f"{datetime.datetime.now().astimezone().date().isoformat()}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def measure_pages(arguments: argparse.Namespace) -> dict:
    from django.test import Client

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL, PLUS_NUMERIQUE_SLUG
    from virage.geography.models import Region
    from virage.organizations.models import Organization, Person
    from virage.programs.models import Participation

    rng = random.Random(arguments.seed)
    counts = {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "participations": Participation.objects.count(),
    }
    region_ids = list(Region.objects.order_by("code").values_list("id", flat=True))
    # Organizations the program manager may open: those taking part in one of the two programs.
    visible_ids = list(
        Participation.objects.filter(program__slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG])
        .order_by("organization_id")
        .values_list("organization_id", flat=True)
        .distinct()
    )
    total = arguments.warmup + arguments.requests
    region_codes = dict(Region.objects.values_list("id", "code"))
    # (URL, variant): each variant (a region, a search term) gets its own figures, to find the slow ones.
    pages = {
        "list_by_region": [
            (f"/organismes/?region={region_id}", f"region {region_codes[region_id]}")
            for region_id in (region_ids[index % len(region_ids)] for index in range(total))
        ],
        "name_search": [
            ("/organismes/?" + urllib.parse.urlencode({"q": term}), term)
            for term in (SEARCH_TERMS[index % len(SEARCH_TERMS)] for index in range(total))
        ],
        "organization_page": [
            (f"/organismes/{organization_id}/", "") for organization_id in rng.choices(visible_ids, k=total)
        ],
    }
    client = Client()
    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    measured = {}
    for name, urls in pages.items():
        durations, failures, by_variant = [], [], {}
        for position, (url, variant) in enumerate(urls):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                failures.append(f"{url} → {response.status_code}")
            if position >= arguments.warmup:
                durations.append(elapsed)
                if variant:
                    by_variant.setdefault(variant, []).append(elapsed)
        query_counts, slowest = profile_queries(client, [url for url, _variant in urls[:30]])
        measured[name] = page_figures(
            name,
            durations=durations,
            query_counts=query_counts,
            slowest=slowest,
            failures=failures,
            explain=arguments.explain,
        )
        measured[name]["variants"] = {
            variant: {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
            for variant, times in sorted(by_variant.items(), key=lambda item: -statistics.median(item[1]))
        }
    return {"counts": counts, "pages": measured}


def print_table(results: dict) -> None:
    print()
    print("| Page | Requests | p50 (ms) | p95 (ms) | max (ms) | SQL queries | p95 ≤ 100 ms |")
    print("|---|---:|---:|---:|---:|---:|:-:|")
    for name, figures in results["pages"].items():
        queries = (
            str(figures["queries_max"])
            if figures["queries_min"] == figures["queries_max"]
            else f"{figures['queries_min']}–{figures['queries_max']}"
        )
        verdict = "yes" if figures["p95_ms"] <= GOAL_P95_MS and not figures["failures"] else "**no**"
        print(
            f"| {name} | {figures['requests']} | {figures['p50_ms']} | {figures['p95_ms']} | {figures['max_ms']} "
            f"| {queries} | {verdict} |"
        )
    for name, figures in results["pages"].items():
        if figures["variants"]:
            slowest = list(figures["variants"].items())[:3]
            described = ", ".join(f"{variant} (p50 {times['p50_ms']} ms)" for variant, times in slowest)
            print(f"\nSlowest variants of {name}: {described}")
        if figures["failures"]:
            print(f"\nFailed requests on {name}: {', '.join(figures['failures'])}")
    if "seed_seconds" in results:
        verdict = "yes" if results["seed_seconds"] <= GOAL_SEED_SECONDS else "**no**"
        print(
            f"\nSeed: {results['seed_seconds']} s (goal < {GOAL_SEED_SECONDS} s: {verdict}); "
            f"counts: {results['counts']}"
        )


if __name__ == "__main__":
    main()

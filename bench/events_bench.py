#!/usr/bin/env python
"""Benchmark of events and reach at province scale, on PostgreSQL.

It needs the benchmark database of ``bench/run.py`` with the province-scale events: 20,000 events and
3,000,000 registrations, added by ``seed_demo --scale province`` (run it once more on a database
seeded before events existed: the organizations are kept, the events are added), or by ``--load``
here. Then, as the demo program manager, through Django's test client, it requests each page
``--requests`` times after ``--warmup`` requests, and reports p50, p95, maximum and SQL queries:

- the reach view of DATAide (``/indicateurs/dataide/portee/``), the whole program and one year;
- the event list (``/evenements/``), upcoming and past tabs;
- the roll call (``/evenements/<id>/presences/``) of DATAide events of about 300 registrants.

Then it times the import of a 5,000-participant Zoom report (upload, preview, apply, through
``virage.events.attendance_import``) into an event of 5,000 registrations: 4,500 registered with the
address the report has, 500 with another one (the import matches those by name). Each import runs
in a transaction rolled back afterwards, so the database is left as it was.

Usage (from the repository root)::

    .venv/bin/python bench/events_bench.py --database-url postgres://postgres@127.0.0.1:5432/virage_bench
"""

import argparse
import datetime
import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import page_bench_parser, page_figures, parse_page_arguments, profile_queries, results_header, setup_django  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/virage_bench"
GOALS_P95_MS = {"reach": 150, "event_list": 100, "roll_call": 100}
GOAL_IMPORT_SECONDS = 3.0
IMPORT_ROWS = 5_000
ABSENT_REGISTRANTS = 500


def parse_arguments() -> argparse.Namespace:
    parser = page_bench_parser(__doc__, DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--reach-requests",
        type=int,
        help="measured requests of each reach page (default: --requests); fewer when a request takes seconds",
    )
    parser.add_argument("--imports", type=int, default=3, help="times the Zoom import is run")
    parser.add_argument("--load", action="store_true", help="run seed_demo --scale province first (timed)")
    return parse_page_arguments(parser)


def main() -> None:
    arguments = parse_arguments()
    results: dict = results_header("events_bench.py", arguments.database_url)
    setup_django(arguments.database_url)

    from django.core.management import call_command
    from django.db import connection

    from virage.events.models import Event, Registration

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        results["postgresql"] = cursor.fetchone()[0].split(" on ")[0]
    if arguments.load:
        started = time.perf_counter()
        call_command("seed_demo", scale="province", seed=arguments.seed)
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
    results["counts"] = {"events": Event.objects.count(), "registrations": Registration.objects.count()}
    if results["counts"]["events"] < 20_000:
        sys.exit("The database holds fewer than 20,000 events: run seed_demo --scale province on it, or add --load.")
    print(f"Counts: {results['counts']}", flush=True)
    results["zoom_import"] = measure_import(arguments)
    results["pages"] = measure_pages(arguments)
    print_table(results)
    arguments.output.mkdir(parents=True, exist_ok=True)
    path = arguments.output / f"events-{datetime.datetime.now().astimezone().date().isoformat()}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def measure_pages(arguments: argparse.Namespace) -> dict:
    from django.db.models import Count, Q
    from django.test import Client

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL
    from virage.events.models import Event, Registration

    total = arguments.warmup + arguments.requests
    reach_requests = arguments.reach_requests or arguments.requests
    reach_warmup = min(arguments.warmup, reach_requests)
    # DATAide events with about 300 registrants still counted (not cancelled), for the roll call.
    large_events = list(
        Event.objects.filter(program__slug=DATAIDE_SLUG)
        .annotate(active=Count("registrations", filter=~Q(registrations__status=Registration.Status.CANCELLED)))
        .filter(active__gte=280, active__lte=320)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    if not large_events:
        sys.exit("No DATAide event has about 300 registrants: is the province-scale event data loaded?")
    reach = f"/indicateurs/{DATAIDE_SLUG}/portee/"
    # The reach pages come last: at province scale each takes seconds, the other figures come first.
    pages = {
        "event_list_upcoming": ["/evenements/"] * total,
        "event_list_past": ["/evenements/?when=past"] * total,
        "roll_call_300": [
            f"/evenements/{pk}/presences/" for pk in itertools.islice(itertools.cycle(large_events), total)
        ],
        "reach_whole_program": [reach] * (reach_warmup + reach_requests),
        "reach_one_year": [f"{reach}?period=year-2025-01-01&granularity=month"] * (reach_warmup + reach_requests),
    }
    warmups = {"reach_whole_program": reach_warmup, "reach_one_year": reach_warmup}
    client = Client()
    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    measured = {}
    for name, urls in pages.items():
        durations, failures = [], []
        for position, url in enumerate(urls):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                failures.append(f"{url} → {response.status_code}")
            if position >= warmups.get(name, arguments.warmup):
                durations.append(elapsed)
        query_counts, slowest = profile_queries(client, urls[: 1 if name in warmups else 10])
        measured[name] = page_figures(
            name,
            durations=durations,
            query_counts=query_counts,
            slowest=slowest,
            failures=failures,
            explain=arguments.explain,
        )
    return measured


def zoom_report(attendees: int) -> bytes:
    """A Zoom attendee report of ``attendees`` people, each joining twice (as in the parser's tests)."""
    lines = [
        "Attendee Report,",
        'Report Generated:,"11/20/2026 12:05:31 PM",',
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers,",
        f'"Grand webinaire","812 3456 7890","11/20/2026 09:00:00 AM",120,{attendees},{attendees},',
        "Attendee Details,",
        "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,"
        "Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,Organisation,",
    ]
    for number in range(attendees):
        person = f"Personne{number},Fictive,personne{number}@exemple.qc.ca,11/01/2026 09:00:00 AM,approved"
        lines.append(
            f"Yes,Personne{number} Fictive,{person},11/20/2026 09:01:00 AM,11/20/2026 09:41:00 AM,40,Yes,Canada,OBNL,"
        )
        lines.append(
            f"Yes,Personne{number} Fictive,{person},11/20/2026 10:00:00 AM,11/20/2026 10:20:00 AM,20,Yes,Canada,OBNL,"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


class _RollBack(Exception):
    pass


def measure_import(arguments: argparse.Namespace) -> dict:
    from django.db import transaction

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL, QUEBEC
    from virage.events import reach
    from virage.events.attendance_import import attendance_import_apply, attendance_import_upload, attendance_preview
    from virage.events.models import Event, Registration
    from virage.programs.models import Program

    manager = User.objects.get(email=MANAGER_EMAIL)
    program = Program.objects.get(slug=DATAIDE_SLUG)
    data = zoom_report(IMPORT_ROWS)
    rng = random.Random(arguments.seed)
    runs = []
    for _run in range(arguments.imports):
        try:
            with transaction.atomic():
                starts_at = datetime.datetime(2026, 11, 20, 9, tzinfo=QUEBEC)
                event = Event.objects.create(
                    program=program,
                    kind=Event.Kind.WEBINAR,
                    title_fr="Grand webinaire (banc d’essai)",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(minutes=120),
                    counts_toward_sensitization=True,
                )
                # 4,500 people registered with the address they used in Zoom; 500 with another
                # address, which the import matches by name.
                absent = set(rng.sample(range(IMPORT_ROWS), ABSENT_REGISTRANTS))
                Registration.objects.bulk_create(
                    [
                        Registration(
                            event=event,
                            first_name=f"Personne{number}",
                            last_name="Fictive",
                            email=f"{'autre' if number in absent else 'personne'}{number}@exemple.qc.ca",
                        )
                        for number in range(IMPORT_ROWS)
                    ],
                    batch_size=1000,
                )
                # As the registration services would have: each registration counted in the reach.
                reach.tally_registrations(event.registrations.values_list("pk", flat=True))
                timings = {}
                started = time.perf_counter()
                attendance_import = attendance_import_upload(
                    event=event, data=data, filename="zoom_attendee_report.csv", actor=manager
                )
                timings["upload_s"] = time.perf_counter() - started
                step = time.perf_counter()
                preview = attendance_preview(attendance_import)
                timings["preview_s"] = time.perf_counter() - step
                step = time.perf_counter()
                summary = attendance_import_apply(attendance_import=attendance_import, actor=manager)
                timings["apply_s"] = time.perf_counter() - step
                timings["total_s"] = time.perf_counter() - started
                timings["summary"] = summary
                timings["preview"] = {"matched": len(preview.matched), "new": len(preview.new)}
                runs.append(timings)
                raise _RollBack
        except _RollBack:
            pass
        print(f"Zoom import of {IMPORT_ROWS:,} participants: {runs[-1]['total_s']:.2f} s", flush=True)
    totals = [run["total_s"] for run in runs]
    return {
        "participants": IMPORT_ROWS,
        "registrations": IMPORT_ROWS,
        "runs": len(runs),
        "median_s": round(statistics.median(totals), 2),
        "max_s": round(max(totals), 2),
        "upload_s": round(statistics.median(run["upload_s"] for run in runs), 2),
        "preview_s": round(statistics.median(run["preview_s"] for run in runs), 2),
        "apply_s": round(statistics.median(run["apply_s"] for run in runs), 2),
        "summary": runs[-1]["summary"],
    }


def print_table(results: dict) -> None:
    print()
    print("| Page | Requests | p50 (ms) | p95 (ms) | max (ms) | SQL queries | Goal (p95) | Met |")
    print("|---|---:|---:|---:|---:|---:|---:|:-:|")
    for name, figures in results["pages"].items():
        goal = next(value for prefix, value in GOALS_P95_MS.items() if name.startswith(prefix))
        queries = (
            str(figures["queries_max"])
            if figures["queries_min"] == figures["queries_max"]
            else f"{figures['queries_min']}–{figures['queries_max']}"
        )
        verdict = "yes" if figures["p95_ms"] <= goal and not figures["failures"] else "**no**"
        print(
            f"| {name} | {figures['requests']} | {figures['p50_ms']} | {figures['p95_ms']} | {figures['max_ms']} "
            f"| {queries} | ≤ {goal} ms | {verdict} |"
        )
    for name, figures in results["pages"].items():
        if figures["failures"]:
            print(f"\nFailed requests on {name}: {', '.join(figures['failures'])}")
    figures = results["zoom_import"]
    verdict = "yes" if figures["max_s"] < GOAL_IMPORT_SECONDS else "**no**"
    print(
        f"\nZoom import, {figures['participants']:,} participants into {figures['registrations']:,} registrations "
        f"({figures['runs']} runs): median {figures['median_s']} s, max {figures['max_s']} s "
        f"(upload {figures['upload_s']} s, preview {figures['preview_s']} s, apply {figures['apply_s']} s); "
        f"goal < {GOAL_IMPORT_SECONDS:.0f} s: {verdict}. Summary: {figures['summary']}"
    )
    if "seed_seconds" in results:
        print(f"\nseed_demo --scale province: {results['seed_seconds']} s")


if __name__ == "__main__":
    main()

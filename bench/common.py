"""What the benchmark scripts share: the throw-away database, Django's set-up, the machine."""

import argparse
import datetime
import os
import platform
import statistics
import sys
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def reset_postgresql(url: str, *, allowed_words: tuple[str, ...] = ("bench",)) -> None:
    """Drop and create the benchmark database, connected to the server's ``postgres`` database."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if not any(word in name for word in allowed_words) or name.startswith("test_"):
        # The database is dropped: refuse any name that could be a real or a test database.
        sys.exit(f"Refusing to drop {name!r}: a benchmark database's name contains {' or '.join(allowed_words)}.")
    maintenance_url = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["VIRAGE_ENV"] = "development"
    # Without DEBUG, as in production: Django keeps no list of queries and templates are cached.
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # The static files are not collected for a benchmark; whitenoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _read_first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine_description() -> dict:
    memory_kb = _read_first("/proc/meminfo", "MemTotal").split(" ")[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _read_first("/proc/cpuinfo", "model name"),
        "memory_gb": round(int(memory_kb) / 1024 / 1024, 1) if memory_kb.isdigit() else 0.0,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with ``fraction`` of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def profile_queries(client, urls) -> tuple[list[int], dict | None]:
    """Queries per request of ``urls`` and the slowest query seen, on requests of their own
    (recording queries costs time, so the timed requests do not record them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, slowest = [], None
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
        for query in captured.captured_queries:
            if slowest is None or float(query["time"]) > float(slowest["time"]):
                slowest = {"url": url, **query}
    return counts, slowest


def page_figures(name, *, durations, query_counts, slowest, failures, explain: bool) -> dict:
    """p50, p95, maximum and queries of one page, printed as a line; with ``explain``, the plan of
    its slowest query too."""
    import statistics

    from django.db import connection

    figures = {
        "requests": len(durations),
        "p50_ms": round(percentile(durations, 0.50), 1),
        "p95_ms": round(percentile(durations, 0.95), 1),
        "max_ms": round(max(durations), 1),
        "mean_ms": round(statistics.fmean(durations), 1),
        "queries_min": min(query_counts),
        "queries_max": max(query_counts),
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 1) if slowest else None,
        "slowest_query": slowest["sql"] if slowest else None,
        "failures": failures[:10],
    }
    print(
        f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, {figures['queries_max']} queries", flush=True
    )
    if explain and slowest:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        figures["slowest_query_plan"] = plan
        print(f"\nSlowest query of {name} ({slowest['url']}):\n{slowest['sql']}\n{plan}\n", flush=True)
    return figures


def page_bench_parser(doc: str, default_database_url: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes; a script adds its own, then calls ``parse_page_arguments``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", default_database_url))
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (at least 100)")
    parser.add_argument("--warmup", type=int, default=20, help="requests per page before measuring")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each page's slowest query")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    return parser


def parse_page_arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    arguments = parser.parse_args()
    if arguments.requests < 100:
        parser.error("--requests must be at least 100, so that the 95th percentile means something.")
    return arguments


def results_header(script: str, database_url: str) -> dict:
    """What every results file starts with: when, the command, the machine and the database."""
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", f"bench/{script}", *sys.argv[1:]]),
        "machine": machine_description(),
        "database": database_name(database_url),
    }


def duration_figures(durations: list[float], sizes: list[int]) -> dict:
    """Percentiles of rendering times in milliseconds, with the mean size of what was rendered."""
    return {
        "pdfs": len(durations),
        "p50_ms": round(percentile(durations, 0.5), 1),
        "p95_ms": round(percentile(durations, 0.95), 1),
        "max_ms": round(max(durations), 1),
        "mean_ms": round(statistics.fmean(durations), 1),
        "mean_kb": round(statistics.fmean(sizes) / 1024, 1),
    }


def print_pages_table(pages: dict, goal_ms: int) -> None:
    """The Markdown table of the pages' figures, as docs/performance.md shows them."""
    print()
    print("| Page | Requests | p50 (ms) | p95 (ms) | max (ms) | SQL queries | Goal (p95) | Met |")
    print("|---|---:|---:|---:|---:|---:|---:|:-:|")
    for name, figures in pages.items():
        queries = (
            str(figures["queries_max"])
            if figures["queries_min"] == figures["queries_max"]
            else f"{figures['queries_min']}–{figures['queries_max']}"
        )
        verdict = "yes" if figures["p95_ms"] <= goal_ms and not figures["failures"] else "**no**"
        print(
            f"| {name} | {figures['requests']} | {figures['p50_ms']} | {figures['p95_ms']} | {figures['max_ms']} "
            f"| {queries} | ≤ {goal_ms} ms | {verdict} |"
        )
        if figures["failures"]:
            print(f"\nFailed requests on {name}: {', '.join(figures['failures'])}")

#!/usr/bin/env python
"""Benchmark of the organization import: upload and preview, then confirmation, of a large file.

Steps: create a fresh database (a SQLite file in a temporary folder by default, or the PostgreSQL
database given by ``--database-url``, dropped and re-created), apply the migrations (which load
the real Quebec regions and municipalities) and ``seed_demo`` (the two demo programs and their
people), write a CSV of ``--rows`` organizations in a temporary folder, then, logged in as the
demo program manager through Django's test client and the real pages:

1. post the file to the upload page and open its preview (the whole file is checked);
2. confirm it ``all or nothing`` (every row valid);
3. do the same with a second file holding a few rows with problems, confirmed ``only the valid
   rows``, so both modes are measured.

Each row has real municipality names (taken from the database, among the names no other
municipality shares), most rows a NEQ, some a charity number, most a contact with an e-mail.
Times are measured inside the Python process; the number of SQL queries of each step is counted
too. Results go to ``bench/results/import-<date>.json`` (not versioned) and a Markdown table is
printed for docs/performance.md.

Usage (from the repository root)::

    .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --database-url postgres://postgres@127.0.0.1:5432/virage_import_bench
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import database_name, machine_description, reset_postgresql, setup_django  # noqa: E402

GOAL_CONFIRM_SECONDS = 10
HEADER = [
    "type",
    "nom légal",
    "nom usuel",
    "NEQ",
    "numéro d'organisme de bienfaisance",
    "adresse",
    "code postal",
    "municipalité",
    "région",
    "secteur",
    "site web",
    "prénom du contact",
    "nom du contact",
    "courriel du contact",
    "téléphone du contact",
    "fonction du contact",
    "langue du contact",
]
KINDS = ("organisme communautaire", "PME", "coopérative", "économie sociale")
SECTORS = ("sécurité alimentaire", "logement", "éducation", "emploi", "santé", "culture", "commerce", "")
WORDS = ("Centre", "Maison", "Carrefour", "Atelier", "Cuisine", "Coopérative", "Boutique", "Réseau", "Fonds")
FIRST_NAMES = ("Zoé", "Émile", "Chloé", "Jérémie", "Anaïs", "Félix", "Léa", "Noël", "Hélène", "Benoît")
LAST_NAMES = ("Bélanger", "Côté", "Gagnon", "Lévesque", "Pelletier", "Thériault", "Bouchard", "Ouellet")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="PostgreSQL database to drop and re-create (default: a SQLite file in a temporary folder)",
    )
    parser.add_argument("--rows", type=int, default=5000, help="rows per file")
    parser.add_argument("--bad-rows", type=int, default=50, help="rows with problems in the second file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    arguments = parser.parse_args()
    if arguments.rows < 1 or not 0 <= arguments.bad_rows < arguments.rows:
        parser.error("--rows must be positive and --bad-rows smaller than --rows.")
    return arguments


def luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits`` + it pass the Luhn check (charity business numbers)."""
    total = 0
    for position, char in enumerate(reversed(digits + "0")):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def ascii_only(text: str) -> str:
    """Émile → Emile, for e-mail addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def municipality_choices() -> list[tuple[str, str]]:
    """(municipality, region) names of the municipalities whose name no other one shares."""
    from django.db.models import Count

    from virage.geography.models import Municipality

    unique_names = (
        Municipality.objects.values("name_folded").annotate(count=Count("id")).filter(count=1).values("name_folded")
    )
    return list(
        Municipality.objects.filter(name_folded__in=unique_names).order_by("code").values_list("name", "region__name")
    )


def write_file(path: Path, *, rows: int, bad_rows: int, rng: random.Random, label: str, taken: set) -> None:
    """A CSV as a program manager would upload it: French column names, semicolons, UTF-8."""
    municipalities = municipality_choices()
    bad_lines = set(rng.sample(range(rows), bad_rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for number in range(rows):
        municipality, region = rng.choice(municipalities)
        neq = ""
        if rng.random() < 0.7:
            while not neq or neq in taken:
                neq = "11" + f"{rng.randrange(10**8):08d}"
            taken.add(neq)
        charity = ""
        if not neq and rng.random() < 0.5:
            while not charity or charity.replace(" ", "") in taken:
                business = f"{rng.randrange(10**8):08d}"
                charity = f"{business}{luhn_check_digit(business)} RR 0001"
            taken.add(charity.replace(" ", ""))
        has_contact = rng.random() < 0.9
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        cells = [
            rng.choice(KINDS),
            f"{rng.choice(WORDS)} d'essai {label} {number:05d}",
            "",
            neq,
            charity,
            f"{rng.randrange(1, 9999)}, rue Principale",
            f"H{rng.randrange(10)}X {rng.randrange(10)}Y{rng.randrange(10)}",
            municipality,
            region,
            rng.choice(SECTORS),
            f"www.essai-{label}-{number}.example" if rng.random() < 0.5 else "",
            first if has_contact else "",
            last if has_contact else "",
            ascii_only(f"{first[0]}.{last}.{number}@essai-{label}.example").lower() if has_contact else "",
            f"418 555-{rng.randrange(10000):04d}" if has_contact else "",
            "direction générale" if has_contact else "",
            rng.choice(("fr", "en", "")) if has_contact else "",
        ]
        if number in bad_lines:
            cells[3] = "12345"  # not a NEQ: the row is reported, not imported
        writer.writerow(cells)
    path.write_text(buffer.getvalue(), encoding="utf-8")


class QueryCounter:
    """Counts SQL statements with a database execute wrapper, cheap enough to leave on while timing."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(counter: QueryCounter, action):
    counter.count = 0
    started = time.perf_counter()
    response = action()
    return response, round(time.perf_counter() - started, 2), counter.count


def import_file(client, counter: QueryCounter, path: Path, program, mode: str) -> dict:
    from django.urls import reverse

    from virage.organizations.models import ImportBatch

    with path.open("rb") as upload:
        response, upload_seconds, upload_queries = timed(
            counter, lambda: client.post(reverse("organizations:import"), {"program": program.pk, "file": upload})
        )
    if response.status_code != 302:
        sys.exit(f"The upload of {path.name} failed ({response.status_code}).")
    batch = ImportBatch.objects.latest("created_at", "id")
    preview_url = batch.get_absolute_url()
    response, preview_seconds, preview_queries = timed(counter, lambda: client.get(preview_url))
    response, confirm_seconds, confirm_queries = timed(counter, lambda: client.post(preview_url, {"mode": mode}))
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.IMPORTED:
        sys.exit(f"The confirmation of {path.name} imported nothing: {batch.problems[:3]}")
    return {
        "file": path.name,
        "mode": mode,
        "rows": batch.row_count,
        "created": batch.created_count,
        "rejected": batch.rejected_count,
        "upload_seconds": upload_seconds,
        "upload_queries": upload_queries,
        "preview_seconds": preview_seconds,
        "preview_queries": preview_queries,
        "confirm_seconds": confirm_seconds,
        "confirm_queries": confirm_queries,
    }


def main() -> None:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="virage-import-bench-") as folder:
        folder = Path(folder)
        url = arguments.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        results: dict = {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": " ".join([".venv/bin/python", "bench/import_bench.py", *sys.argv[1:]]),
            "machine": machine_description(),
        }
        if arguments.database_url:
            print(f"Re-creating the database {database_name(url)}…", flush=True)
            reset_postgresql(url, allowed_words=("bench", "import"))
        setup_django(url)

        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from virage.accounts.models import User
        from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL
        from virage.organizations.models import Organization
        from virage.programs.models import Program

        if connection.vendor == "sqlite":
            results["database"] = f"SQLite {connection.Database.sqlite_version}"
        else:
            results["database"] = f"PostgreSQL {connection.pg_version // 10000}"
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", seed=arguments.seed, verbosity=0, stdout=io.StringIO())
        print(f"Migrations and demo data: {time.perf_counter() - started:.1f} s", flush=True)

        rng = random.Random(arguments.seed)
        # Identifiers of the demo organizations, so no row of the files is a duplicate.
        taken = set(Organization.objects.exclude(neq="").values_list("neq", flat=True))
        taken |= set(Organization.objects.exclude(charity_number="").values_list("charity_number", flat=True))
        files = [
            (folder / "organismes-a.csv", 0, "all_or_nothing"),
            (folder / "organismes-b.csv", arguments.bad_rows, "valid_only"),
        ]
        for path, bad_rows, _mode in files:
            write_file(path, rows=arguments.rows, bad_rows=bad_rows, rng=rng, label=path.stem[-1], taken=taken)

        program = Program.objects.get(slug=DATAIDE_SLUG)
        client = Client()
        client.force_login(User.objects.get(email=MANAGER_EMAIL))
        counter = QueryCounter()
        results["imports"] = []
        with connection.execute_wrapper(counter):
            for path, _bad_rows, mode in files:
                figures = import_file(client, counter, path, program, mode)
                results["imports"].append(figures)
                print(
                    f"{path.name} ({mode}): upload {figures['upload_seconds']} s, "
                    f"preview {figures['preview_seconds']} s, confirm {figures['confirm_seconds']} s "
                    f"({figures['confirm_queries']} queries)",
                    flush=True,
                )
        results["organizations_after"] = Organization.objects.count()

    print_table(results)
    arguments.output.mkdir(parents=True, exist_ok=True)
    path = arguments.output / f"import-{datetime.datetime.now().astimezone().date().isoformat()}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def print_table(results: dict) -> None:
    print()
    print(f"Database: {results['database']}")
    print()
    print("| File | Mode | Rows | Created | Rejected | Upload + preview (s) | Confirm (s) | Confirm queries | < 10 s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|:-:|")
    for figures in results["imports"]:
        verdict = "yes" if figures["confirm_seconds"] < GOAL_CONFIRM_SECONDS else "**no**"
        print(
            f"| {figures['file']} | {figures['mode']} | {figures['rows']} | {figures['created']} "
            f"| {figures['rejected']} | {figures['upload_seconds'] + figures['preview_seconds']:.2f} "
            f"| {figures['confirm_seconds']} | {figures['confirm_queries']} | {verdict} |"
        )


if __name__ == "__main__":
    main()

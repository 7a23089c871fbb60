"""``manage.py seed_demo``: the demo programs, organizations and accounts; ``--scale province`` adds load data.

Run it as often as you like: the demo is created once, later runs only print its accounts, and
province-scale data is only added while the database holds fewer organizations than asked for.
"""

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from virage.demo.scale import BATCH_SIZE, PROVINCE_ORGANIZATIONS, PROVINCE_PEOPLE, load_province
from virage.demo.scale_diagnostics import NO_QUESTIONNAIRES, PROVINCE_ASSESSMENTS, load_diagnostics
from virage.demo.scale_events import PROVINCE_EVENTS, PROVINCE_REGISTRATIONS, load_events
from virage.demo.scale_learning import NO_PATHS, PROVINCE_ENROLLMENTS, load_learning
from virage.demo.seed import load_demo

DEFAULT_SEED = 2026

INVALID_COUNTS = _(
    "--organizations, --events, --enrollments, --assessments and --batch-size must be positive, and --people and "
    "--registrations zero or more."
)
DEMO_CREATED = _("Demo programs, organizations and accounts created.")
DEMO_ALREADY_LOADED = _("The demo is already loaded: nothing was changed.")
GENERATING = _("Generating %(organizations)s organizations and %(people)s people (seed %(seed)s)…")
SCALE_ALREADY_LOADED = _(
    "The database already holds %(count)s organizations or more: no province-scale data was added."
)
SCALE_LOADED = _("Province-scale data loaded in %(seconds).1f s.")
GENERATING_EVENTS = _("Generating %(events)s events and %(registrations)s registrations (seed %(seed)s)…")
EVENTS_ALREADY_LOADED = _("The database already holds %(count)s events or more: no province-scale event was added.")
EVENTS_LOADED = _("Province-scale events loaded in %(seconds).1f s.")
GENERATING_LEARNING = _("Generating %(enrollments)s enrollments in new cohorts (seed %(seed)s)…")
LEARNING_ALREADY_LOADED = _(
    "The database already holds %(count)s enrollments or more: no province-scale learning was added."
)
LEARNING_LOADED = _("Province-scale learning loaded in %(seconds).1f s.")
GENERATING_DIAGNOSTICS = _("Generating %(assessments)s assessments with their scores (seed %(seed)s)…")
DIAGNOSTICS_ALREADY_LOADED = _(
    "The database already holds %(count)s assessments or more: no province-scale diagnostic was added."
)
DIAGNOSTICS_LOADED = _("Province-scale diagnostics loaded in %(seconds).1f s.")
ACCOUNTS_HEADING = _("Demo accounts (one per role):")
GENERATION = _("generation")


class Command(BaseCommand):
    help = "Load the demo programs, organizations and accounts; with --scale province, province-scale data too."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "province"],
            default="demo",
            help="demo: two programs, about 300 organizations and 700 people (the default). "
            "province: the demo plus 250,000 organizations and 600,000 people, for load tests.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed: the same seed gives the same data."
        )
        # Smaller province-scale runs, for the test suite; not part of the documented interface.
        parser.add_argument("--organizations", type=int, default=PROVINCE_ORGANIZATIONS, help=argparse.SUPPRESS)
        parser.add_argument("--people", type=int, default=PROVINCE_PEOPLE, help=argparse.SUPPRESS)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=argparse.SUPPRESS)
        parser.add_argument("--events", type=int, default=PROVINCE_EVENTS, help=argparse.SUPPRESS)
        parser.add_argument("--registrations", type=int, default=PROVINCE_REGISTRATIONS, help=argparse.SUPPRESS)
        parser.add_argument("--enrollments", type=int, default=PROVINCE_ENROLLMENTS, help=argparse.SUPPRESS)
        parser.add_argument("--assessments", type=int, default=PROVINCE_ASSESSMENTS, help=argparse.SUPPRESS)

    def handle(
        self,
        *args,
        scale,
        seed,
        organizations,
        people,
        batch_size,
        events,
        registrations,
        enrollments,
        assessments=PROVINCE_ASSESSMENTS,
        verbosity=1,
        **options,
    ):
        self.verbosity = verbosity
        if (
            organizations < 1
            or people < 0
            or batch_size < 1
            or events < 1
            or registrations < 0
            or enrollments < 1
            or assessments < 1
        ):
            raise CommandError(str(INVALID_COUNTS))
        result = load_demo(seed=seed)
        if result.created:
            self.stdout.write(self.style.SUCCESS(str(DEMO_CREATED)))
        else:
            self.stdout.write(str(DEMO_ALREADY_LOADED))
        if scale == "province":
            self.load_province(seed=seed, organizations=organizations, people=people, batch_size=batch_size)
            # Separately from the organizations: a database loaded before events existed gets them now.
            self.load_events(seed=seed, events=events, registrations=registrations)
            self.load_learning(seed=seed, enrollments=enrollments)
            self.load_diagnostics(seed=seed, assessments=assessments)
        self.print_accounts(result.accounts)

    def load_province(self, *, seed: int, organizations: int, people: int, batch_size: int) -> None:
        self.stdout.write(GENERATING % {"organizations": f"{organizations:,}", "people": f"{people:,}", "seed": seed})
        verbose = self.verbosity > 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write("  " + message)

        report = load_province(
            seed=seed, organizations=organizations, people=people, batch_size=batch_size, progress=progress
        )
        if report.skipped:
            self.stdout.write(SCALE_ALREADY_LOADED % {"count": f"{organizations:,}"})
            return
        inserts = sum(seconds for name, seconds in report.seconds.items() if name != "total")
        for label, count, seconds in (
            (_("organizations"), report.organizations, report.seconds.get("organizations", 0)),
            (_("people"), report.people, report.seconds.get("people", 0)),
            (_("participations"), report.participations, report.seconds.get("participations", 0)),
        ):
            self.stdout.write(f"  {label!s:<16} {count:>9,}  {seconds:7.1f} s")
        if "analyze" in report.seconds:
            self.stdout.write(f"  {'VACUUM ANALYZE':<16} {'':>9}  {report.seconds['analyze']:7.1f} s")
        self.stdout.write(f"  {GENERATION!s:<16} {'':>9}  {report.seconds['total'] - inserts:7.1f} s")
        self.stdout.write(self.style.SUCCESS(SCALE_LOADED % {"seconds": report.seconds["total"]}))

    def load_events(self, *, seed: int, events: int, registrations: int) -> None:
        self.stdout.write(
            GENERATING_EVENTS % {"events": f"{events:,}", "registrations": f"{registrations:,}", "seed": seed}
        )
        verbose = self.verbosity > 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write("  " + message)

        report = load_events(seed=seed, events=events, registrations=registrations, progress=progress)
        if report.skipped:
            self.stdout.write(EVENTS_ALREADY_LOADED % {"count": f"{events:,}"})
            return
        seconds = report.seconds
        for label, count, name in (
            (_("people read"), None, "people"),
            (_("events"), report.events, "events"),
            (_("registrations"), report.registrations, "registrations"),
            (_("reach figures"), None, "reach figures"),
            ("COMMIT", None, "commit"),
            ("VACUUM ANALYZE", None, "analyze"),
        ):
            if name in seconds:
                shown = f"{count:>9,}" if count is not None else " " * 9
                self.stdout.write(f"  {label!s:<16} {shown}  {seconds[name]:7.1f} s")
        self.stdout.write(self.style.SUCCESS(EVENTS_LOADED % {"seconds": seconds["total"]}))

    def load_learning(self, *, seed: int, enrollments: int) -> None:
        self.stdout.write(GENERATING_LEARNING % {"enrollments": f"{enrollments:,}", "seed": seed})
        verbose = self.verbosity > 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write("  " + message)

        report = load_learning(seed=seed, enrollments=enrollments, progress=progress)
        if report.missing_paths:
            self.stdout.write(str(NO_PATHS))
            return
        if report.skipped:
            self.stdout.write(LEARNING_ALREADY_LOADED % {"count": f"{enrollments:,}"})
            return
        seconds = report.seconds
        for label, count, name in (
            (_("people read"), None, "people"),
            (_("cohorts"), report.cohorts, "cohorts"),
            (_("enrollments"), report.enrollments, "enrollments"),
            (_("attestations"), report.attestations, "attestations"),
            (_("indicator tallies"), None, "tallies"),
            ("COMMIT", None, "commit"),
            ("VACUUM ANALYZE", None, "analyze"),
        ):
            if name in seconds:
                shown = f"{count:>9,}" if count is not None else " " * 9
                self.stdout.write(f"  {label!s:<16} {shown}  {seconds[name]:7.1f} s")
        self.stdout.write(self.style.SUCCESS(LEARNING_LOADED % {"seconds": seconds["total"]}))

    def load_diagnostics(self, *, seed: int, assessments: int) -> None:
        self.stdout.write(GENERATING_DIAGNOSTICS % {"assessments": f"{assessments:,}", "seed": seed})
        verbose = self.verbosity > 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write("  " + message)

        report = load_diagnostics(seed=seed, assessments=assessments, progress=progress)
        if report.missing_questionnaires:
            self.stdout.write(str(NO_QUESTIONNAIRES))
            return
        if report.skipped:
            self.stdout.write(DIAGNOSTICS_ALREADY_LOADED % {"count": f"{assessments:,}"})
            return
        seconds = report.seconds
        for label, count, name in (
            (_("participations read"), None, "participations"),
            (_("assessments"), report.assessments, "assessments"),
            (_("dimension scores"), report.scores, "scores"),
            (_("recommendations"), report.recommendations, "recommendations"),
            ("COMMIT", None, "commit"),
            ("VACUUM ANALYZE", None, "analyze"),
        ):
            if name in seconds:
                shown = f"{count:>9,}" if count is not None else " " * 9
                self.stdout.write(f"  {label!s:<16} {shown}  {seconds[name]:7.1f} s")
        self.stdout.write(self.style.SUCCESS(DIAGNOSTICS_LOADED % {"seconds": seconds["total"]}))

    def print_accounts(self, accounts) -> None:
        if not accounts:
            return
        headers = tuple(str(header) for header in (_("E-mail"), _("Password"), _("Role"), _("Sees")))
        rows = [(account.email, account.password, account.role, account.sees) for account in accounts]
        widths = [max(len(str(row[column])) for row in [headers, *rows]) for column in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(str(ACCOUNTS_HEADING)))
        line = "  ".join(f"{{:<{width}}}" for width in widths) + "  {}"
        self.stdout.write(line.format(*headers))
        self.stdout.write("  ".join("-" * width for width in widths) + "  " + "-" * len(headers[3]))
        for row in rows:
            self.stdout.write(line.format(*row))

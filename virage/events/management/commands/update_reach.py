"""Bring the reach figures up to date with the registrations (run after `migrate`; Celery beat runs it too)."""

from django.core.management.base import BaseCommand

from virage.events import reach


class Command(BaseCommand):
    help = (
        "Update the reach figures of every program from the registrations that changed outside the event "
        "services; with --rebuild, recompute all the figures from scratch (a repair)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recompute every figure from scratch")

    def handle(self, *args, rebuild=False, **options):
        changed = reach.reconcile()
        if rebuild:
            reach.rebuild()
        self.stdout.write(f"{changed} registration(s) updated in the reach figures.")

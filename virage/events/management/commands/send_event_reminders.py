"""Send the 24-hour reminders without a Celery broker: run it from cron every 15 minutes."""

from django.core.management.base import BaseCommand

from virage.events.services import send_due_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to the confirmed registrants of events starting within 24 hours (once each)."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")

"""Celery tasks of events: thin, idempotent wrappers around the services."""

from celery import shared_task

from . import services


@shared_task(name="virage.events.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    """Run every 15 minutes by Celery beat (CELERY_BEAT_SCHEDULE); safe to run twice."""
    return services.send_due_reminders()

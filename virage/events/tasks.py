"""Celery tasks of events: thin, idempotent wrappers around the services."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import reach, services


@shared_task(name="virage.events.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    """Run every 15 minutes by Celery beat (CELERY_BEAT_SCHEDULE); safe to run twice."""
    return services.send_due_reminders()


@shared_task(name="virage.events.reconcile_reach", ignore_result=True)
def reconcile_reach(minutes: int | None = 30) -> int:
    """Every 10 minutes, the registrations changed in the last ``minutes`` (overlapping runs are harmless);
    every night, all of them (``minutes=None``). Catches changes made outside the event services."""
    since = None if minutes is None else timezone.now() - datetime.timedelta(minutes=minutes)
    return reach.reconcile(since=since)

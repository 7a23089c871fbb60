"""The activity log: every service records who did what, to which object, with which changes."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ActivityLogEntry


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, for a later :func:`diff`."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def log_activity(
    *,
    actor,
    verb: str,
    subject: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> ActivityLogEntry:
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = actor.get_full_name() or actor.email
        actor_user = actor
    else:
        actor_label = "système" if actor is None else "anonyme"
        actor_user = None
    return ActivityLogEntry.objects.create(
        actor=actor_user,
        actor_label=actor_label[:255],
        verb=verb,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
        object_label=str(subject)[:255],
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in (changes or {}).items()},
        note=note[:500],
    )


def history_for(subject: models.Model):
    """Entries about ``subject``, newest first, with their actors in the same query."""
    return ActivityLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
    ).select_related("actor")

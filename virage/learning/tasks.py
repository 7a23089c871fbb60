"""Celery tasks of learning: thin, idempotent wrappers (inline when no broker is configured)."""

from celery import shared_task

from .models import Attestation
from .notifications import build_attestation_message


@shared_task(name="virage.learning.send_attestation", ignore_result=True)
def send_attestation(attestation_id: int) -> bool:
    """E-mail the attestation to its learner; a revoked or deleted one is not sent."""
    attestation = (
        Attestation.objects.select_related("enrollment__person")
        .filter(pk=attestation_id, revoked_at__isnull=True)
        .first()
    )
    if attestation is None:
        return False
    message = build_attestation_message(attestation)
    if message is None:
        return False
    message.send()
    return True

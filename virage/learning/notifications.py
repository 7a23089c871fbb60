"""E-mails to learners, each in the learner's language, sent once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Attestation, Enrollment


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def my_learning_url() -> str:
    return settings.SITE_URL + reverse("learning:my_learning")


def build_enrollment_message(enrollment: Enrollment) -> EmailMultiAlternatives | None:
    person = enrollment.person
    if not person.email:
        return None
    with translation.override(_language(person.preferred_language)):
        context = {
            "enrollment": enrollment,
            "first_name": person.first_name,
            "cohort": enrollment.cohort,
            "path_title": enrollment.cohort.path.title,
            "waitlisted": enrollment.status == Enrollment.Status.WAITLISTED,
            "my_learning_url": my_learning_url(),
        }
        subject = render_to_string("learning/email/enrolled_subject.txt", context).strip()
        body = render_to_string("learning/email/enrolled.txt", context)
    return EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


def notify_enrolled(enrollment: Enrollment) -> None:
    """A seat or a place on the waiting list; each is told which, after the transaction commits."""

    def send():
        message = build_enrollment_message(enrollment)
        if message is not None:
            message.send()

    transaction.on_commit(send)


def build_attestation_message(attestation: Attestation) -> EmailMultiAlternatives | None:
    """The attestation e-mail, in the learner's language, with the bilingual PDF attached."""
    from .pdf import attestation_file_name, render_attestation_pdf

    person = attestation.enrollment.person
    if not person.email:
        return None
    with translation.override(_language(attestation.language)):
        context = {
            "attestation": attestation,
            "first_name": person.first_name,
            "path_title": attestation.path_title,
            "verification_url": settings.SITE_URL + attestation.get_verification_url(),
            "my_learning_url": my_learning_url(),
        }
        subject = render_to_string("learning/email/attestation_subject.txt", context).strip()
        body = render_to_string("learning/email/attestation.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    message.attach(attestation_file_name(attestation), render_attestation_pdf(attestation), "application/pdf")
    return message

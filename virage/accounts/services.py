"""Writes to accounts: creating people's accounts, their language, their API token."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from virage.core.activity import log_activity
from virage.core.models import ActivityLogEntry

from .models import Language, User


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


def send_set_password_email(user: User, *, reason: str) -> None:
    """Send, once the transaction commits, an e-mail in the person's language to choose a password."""

    def send():
        with translation.override(user.preferred_language or "fr"):
            context = {"user": user, "url": set_password_url(user), "reason": reason, "site_url": settings.SITE_URL}
            subject = render_to_string("accounts/email/set_password_subject.txt", context).strip()
            body = render_to_string("accounts/email/set_password.txt", context)
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.send()

    transaction.on_commit(send)


@transaction.atomic
def user_get_or_create(
    *, actor, email: str, first_name: str = "", last_name: str = "", language: str = Language.FRENCH
) -> tuple[User, bool]:
    """The account for ``email``, created without a password (its owner chooses one by e-mail)."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), preferred_language=language)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    log_activity(actor=actor, verb=ActivityLogEntry.Verb.CREATED, subject=user, changes={"email": [None, email]})
    return user, True


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES) or user.preferred_language == language:
        return user
    previous = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language", "updated_at"])
    log_activity(
        actor=user,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=user,
        changes={"preferred_language": [previous, language]},
    )
    return user


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    changes = {}
    for field, value in (
        ("first_name", first_name.strip()),
        ("last_name", last_name.strip()),
        ("preferred_language", language),
    ):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save()
    if changes:
        log_activity(actor=user, verb=ActivityLogEntry.Verb.UPDATED, subject=user, changes=changes)
    return user


@transaction.atomic
def api_token_regenerate(*, user: User):
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    log_activity(actor=user, verb=ActivityLogEntry.Verb.UPDATED, subject=user, changes={"api_token": [None, "***"]})
    return token

"""API errors: the same messages as the UI, and never a 500 for bad input.

Services raise Django's ``ValidationError`` (and its ``DuplicateError`` subclass) and
``ConfirmationRequired``; this handler turns them into 400 and 409 answers, so every endpoint
reports them the same way without catching them itself.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from virage.core.errors import ConfirmationRequired, DuplicateError

BAD_INPUT = _("The request contains a value that cannot be used.")


def _field_messages(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in error.messages]}


def object_link(instance, request=None) -> dict:
    """``{id, name, url, web_url}`` for an object an error points to.

    ``url`` is the API address when a viewset is registered for the model under the basename of
    its model name (``api:organization-detail``); ``web_url`` is the page in the UI.
    """
    try:
        url = reverse(f"api:{instance._meta.model_name}-detail", args=[instance.pk])
        url = request.build_absolute_uri(url) if request is not None else url
    except NoReverseMatch:
        url = None
    try:
        web_url = instance.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        web_url = None
    return {"id": instance.pk, "name": str(instance), "url": url, "web_url": web_url}


def duplicate_data(error: DuplicateError, request=None) -> dict:
    return {**_field_messages(error), "code": "duplicate", "existing": object_link(error.existing, request)}


def confirmation_data(error: ConfirmationRequired, request=None, *, hint: str = "") -> dict:
    data = {
        "detail": str(error.message),
        "code": "confirmation_required",
        "candidates": [object_link(candidate, request) for candidate in error.candidates],
    }
    if hint:
        data["hint"] = hint
    return data


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DuplicateError):
        # Already registered: 409 with a link to the existing object, so the client can use it.
        set_rollback()
        return Response(duplicate_data(exc, request), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ConfirmationRequired):
        set_rollback()
        return Response(confirmation_data(exc, request), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; the API answers 400 with the same messages.
        exc = ValidationError(_field_messages(exc))
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, ValueError | OverflowError):
        # A value no validator anticipated (a number too large for the database, say) is the
        # client's mistake, not a crash; its text is not shown because it may describe internals.
        set_rollback()
        return Response({"detail": str(BAD_INPUT)}, status=status.HTTP_400_BAD_REQUEST)
    return response


# Shapes of the error bodies, for the OpenAPI schema.


class ObjectLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text=_("The object in the API."))
    web_url = serializers.CharField(allow_null=True, help_text=_("The object's page in the web interface."))


class ValidationErrorSerializer(serializers.Serializer):
    """``{field: [message, ...]}``; messages not tied to a field are under ``non_field_errors``."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class DuplicateErrorSerializer(serializers.Serializer):
    """``{field: [message], code: "duplicate", existing: {...}}``."""

    code = serializers.CharField()
    existing = ObjectLinkSerializer()


class ConfirmationRequiredSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    candidates = ObjectLinkSerializer(many=True)
    hint = serializers.CharField(required=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

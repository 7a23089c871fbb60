"""API errors: the same messages as the UI, and never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; the API answers 400 with the same messages.
        if hasattr(exc, "error_dict"):
            detail = {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": [str(message) for message in exc.messages]}
        exc = ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, ValueError | OverflowError):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return response

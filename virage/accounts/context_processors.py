from django.conf import settings

from virage.accounts.scope import scope_for


def virage(request):
    return {
        "scope": scope_for(getattr(request, "user", None)),
        "OPERATOR_NAME": settings.OPERATOR_NAME,
        "PRIVACY_OFFICER_NAME": settings.PRIVACY_OFFICER_NAME,
        "PRIVACY_OFFICER_EMAIL": settings.PRIVACY_OFFICER_EMAIL,
        "RETENTION_YEARS": settings.RETENTION_YEARS,
    }

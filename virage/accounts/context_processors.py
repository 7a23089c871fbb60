from django.conf import settings

from virage.accounts.scope import scope_for


def virage(request):
    return {
        "scope": scope_for(getattr(request, "user", None)),
        "OPERATOR_NAME": settings.OPERATOR_NAME,
    }

from django.conf import settings
from django.shortcuts import render


def privacy_notice(request):
    """The privacy notice required by Law 25: who collects, why, for how long, and the rights."""
    return render(
        request,
        "core/privacy.html",
        {
            "officer_name": settings.PRIVACY_OFFICER_NAME,
            "officer_email": settings.PRIVACY_OFFICER_EMAIL,
            "operator": settings.OPERATOR_NAME,
            "retention_years": settings.RETENTION_YEARS,
        },
    )

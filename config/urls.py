from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from virage.programs.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("virage.core.urls")),
    path("compte/", include("virage.accounts.urls")),
    path("organismes/", include("virage.organizations.urls")),
    path("programmes/", include("virage.programs.urls")),
    path("indicateurs/", include("virage.indicators.urls")),
    path("evenements/", include("virage.events.urls")),
    path("geographie/", include("virage.geography.urls")),
    path("calendrier/", include("virage.events.public_urls")),
    path("apprentissage/", include("virage.learning.urls")),
    path("attestations/", include("virage.learning.public_urls")),
    path("diagnostics/", include("virage.diagnostics.urls")),
    path("api/", include("virage.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

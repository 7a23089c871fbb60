"""The interactive API documentation, served entirely from this server.

Both pages load their scripts from drf-spectacular-sidecar's static files: a CDN would tell a
third party who reads the documentation (Law 25) and fail on an installation without Internet.
"""

import json

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView


class SwaggerView(SpectacularSwaggerView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(configured, dict):
            # Swagger UI otherwise sends the schema's address to validator.swagger.io and shows
            # its badge image, from that server, on every page.
            response.data["settings"] = json.dumps({**configured, "validatorUrl": None}, indent=2)
        return response


class RedocView(SpectacularRedocView):
    # drf-spectacular's own template loads Google Fonts; this one uses the system fonts.
    template_name = "api/redoc.html"

"""The interactive API documentation, served entirely from this server.

Both pages load their scripts from drf-spectacular-sidecar's static files: a CDN would tell a
third party who reads the documentation (Law 25) and fail on an installation without Internet.
"""

import json

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated


class SchemaView(SpectacularAPIView):
    # The pages are public (they are only a viewer), the description of the API is for members:
    # a signed-in browser gets it through its session, a script through its token.
    permission_classes = [IsAuthenticated]


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

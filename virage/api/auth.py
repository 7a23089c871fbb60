"""API tokens: a client exchanges an e-mail address and a password for a token.

The token then goes in each request's header: ``Authorization: Token <key>``.
"""

import hashlib

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from virage.accounts.forms import EmailAuthenticationForm

from .errors import ValidationErrorSerializer

# The sign-in page's message, so a wrong password reads the same in the API and in the UI.
INVALID_CREDENTIALS = EmailAuthenticationForm.error_messages["invalid_login"]


class TokenCredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        user = authenticate(self.context.get("request"), email=attrs["email"], password=attrs["password"])
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [INVALID_CREDENTIALS]}, code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_('Send it as the header "Authorization: Token <token>".'))


class TokenAddressThrottle(SimpleRateThrottle):
    """Password guesses from one address: a few a minute, whoever is signed in."""

    scope = "api_token_address"
    rate = "10/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenAccountThrottle(SimpleRateThrottle):
    """Password guesses against one account, from however many addresses."""

    scope = "api_token_account"
    rate = "10/hour"

    def get_cache_key(self, request, view):
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None
        # Hashed: an address may hold characters a cache key cannot, and any length.
        ident = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ObtainTokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenAddressThrottle, TokenAccountThrottle]

    @extend_schema(
        summary=_("Get an API token"),
        request=TokenCredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description=_("Wrong e-mail address or password.")),
            429: OpenApiResponse(description=_("Too many attempts; wait before trying again.")),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenCredentialsSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

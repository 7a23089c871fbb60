from django.conf import settings
from django.utils import translation


class FrenchByDefaultMiddleware:
    """Ignore the browser's Accept-Language: French unless the person chose English.

    Placed before LocaleMiddleware, which then looks only at the language cookie (set by the
    language switch and at sign-in) and falls back to LANGUAGE_CODE, French.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class UserLanguageMiddleware:
    """Use the language a signed-in person chose, wherever they sign in from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            language = user.preferred_language
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)

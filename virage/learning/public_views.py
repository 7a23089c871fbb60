"""The public verification of attestations: no sign-in, the minimum of personal information.

The page says whether the code belongs to a valid or a revoked attestation and, for a real code,
shows the learner's name, the path and the date — never an e-mail address, organization or hours.
Codes carry 80 random bits, and lookups are limited per address so that nobody can try codes in bulk.
"""

from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .forms import VerifyForm
from .models import normalize_code
from .permissions import attestation_by_code

# Lookups allowed per client address and window: generous for people, useless for enumeration.
LOOKUPS_PER_WINDOW = 30
WINDOW_SECONDS = 600


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def lookup_allowed(request) -> bool:
    """Count this lookup against the client's address; False once the window's allowance is spent."""
    key = f"learning:verify:{client_address(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= LOOKUPS_PER_WINDOW


@never_cache
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        if code:
            return redirect("attestations:verify", code=code)
        form.add_error("code", _("This is not a verification code: it has 16 letters and digits."))
    return render(request, "learning/public/verify_form.html", {"form": form})


@never_cache
def verify(request, code):
    if not lookup_allowed(request):
        return render(request, "learning/public/verify_limited.html", status=429)
    attestation = attestation_by_code(code)
    status = 200 if attestation is not None else 404
    return render(
        request,
        "learning/public/verify.html",
        {"attestation": attestation, "form": VerifyForm(initial={"code": code[:40]})},
        status=status,
    )

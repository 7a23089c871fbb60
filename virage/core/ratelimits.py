"""Limits on the forms anyone may post (public event registration, organization self-registration).

Counted per client address in the cache (Redis in production, so every process shares the counts),
with django-ratelimit. Behind a reverse proxy, set ``RATELIMIT_IP_META_KEY`` so that the address is
the client's, not the proxy's (see docs/deployment.md).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

TOO_MANY_SUBMISSIONS = _(
    "Too many forms were sent from your connection in a short time. Wait a few minutes, then send it "
    "again: what you typed is still here."
)
# The status of a page refused for this reason: the form comes back, with the message above.
TOO_MANY_REQUESTS = 429


def public_form_limited(request, group: str) -> bool:
    """Whether this POST goes over the limit of public form submissions (it is counted either way)."""
    if request.method != "POST":
        return False
    return is_ratelimited(
        request, group=f"public-form:{group}", key="ip", rate=settings.PUBLIC_FORM_RATE, method="POST", increment=True
    )

"""Settings for the test suite: the test profile, whatever the shell had."""

import os

os.environ["VIRAGE_ENV"] = "test"
os.environ.pop("DEBUG", None)

from .settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True

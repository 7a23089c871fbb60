"""What the benchmark scripts share: the throw-away database, Django's set-up, the machine."""

import os
import platform
import sys
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def reset_postgresql(url: str, *, allowed_words: tuple[str, ...] = ("bench",)) -> None:
    """Drop and create the benchmark database, connected to the server's ``postgres`` database."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if not any(word in name for word in allowed_words) or name.startswith("test_"):
        # The database is dropped: refuse any name that could be a real or a test database.
        sys.exit(f"Refusing to drop {name!r}: a benchmark database's name contains {' or '.join(allowed_words)}.")
    maintenance_url = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["VIRAGE_ENV"] = "development"
    # Without DEBUG, as in production: Django keeps no list of queries and templates are cached.
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # The static files are not collected for a benchmark; whitenoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _read_first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine_description() -> dict:
    memory_kb = _read_first("/proc/meminfo", "MemTotal").split(" ")[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _read_first("/proc/cpuinfo", "model name"),
        "memory_gb": round(int(memory_kb) / 1024 / 1024, 1) if memory_kb.isdigit() else 0.0,
        "system": platform.platform(),
        "python": platform.python_version(),
    }

"""A trigram index on the folded organization name, for searches anywhere in the name (PostgreSQL only).

The organization list searches ``name_folded LIKE '%words%'``. A B-tree index only helps a search
that starts at the beginning of the name; a GIN trigram index (pg_trgm) serves both, so a search
among 250,000 organizations reads a few hundred index entries instead of the whole table.
SQLite has no such index: there the migration does nothing, and the search scans the table,
which is fine for the embedded, single-machine installations SQLite is meant for.
"""

from django.db import migrations

INDEX_NAME = "organization_name_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a "trusted" extension since PostgreSQL 13, so the owner of the database may
    # create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON organizations_organization USING gin (name_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables or other applications in the database may rely on it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_importbatch"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]

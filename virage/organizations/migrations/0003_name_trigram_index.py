"""Two PostgreSQL indexes for the organization list at province scale (250,000 organizations).

- A GIN trigram index (pg_trgm) on the folded name. The list searches ``name_folded LIKE
  '%words%'``; a B-tree only helps a search that starts at the beginning of the name, while the
  trigram index serves any part of it, so a search reads a few thousand index entries instead of
  the whole table.
- A partial index on (region, id) of the organizations that are not archived: the list filtered by
  region counts its rows for the paginator, and this index lets PostgreSQL count them without
  reading the table (40 ms instead of 60 ms for the 61,000 organizations of Montréal).

See docs/performance.md for the measurements. SQLite has neither kind of index use here: there
the migration does nothing, which suits the embedded, single-machine installations SQLite is for.
"""

from django.db import migrations

TRIGRAM_INDEX = "organization_name_trgm_idx"
REGION_INDEX = "organization_live_region_idx"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a "trusted" extension since PostgreSQL 13, so the owner of the database may
    # create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON organizations_organization USING gin (name_folded gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {REGION_INDEX} ON organizations_organization (region_id, id) "
        "WHERE status <> 'archived'"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables or other applications in the database may rely on it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {REGION_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_importbatch"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]

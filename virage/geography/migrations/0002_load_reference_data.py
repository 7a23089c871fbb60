"""Load Quebec's regions, MRCs and municipalities from the files in virage/geography/data/.

See virage/geography/data/SOURCE.md for where the files come from and their licence.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(apps, schema_editor):
    from virage.core.text import fold

    Region = apps.get_model("geography", "Region")
    Mrc = apps.get_model("geography", "Mrc")
    Municipality = apps.get_model("geography", "Municipality")
    regions = {
        row["code"]: Region.objects.create(code=row["code"], name=row["name"], name_folded=fold(row["name"]))
        for row in _rows("regions.csv")
    }
    mrcs = {}
    for row in _rows("mrcs.csv"):
        mrcs[row["code"]] = Mrc(
            code=row["code"], name=row["name"], name_folded=fold(row["name"]), region=regions[row["region_code"]]
        )
    Mrc.objects.bulk_create(mrcs.values())
    mrcs = {mrc.code: mrc for mrc in Mrc.objects.all()}
    Municipality.objects.bulk_create(
        [
            Municipality(
                code=row["code"],
                name=row["name"],
                name_folded=fold(row["name"]),
                designation=row.get("designation", ""),
                mrc=mrcs.get(row["mrc_code"]),
                region=regions[row["region_code"]],
            )
            for row in _rows("municipalities.csv")
        ],
        batch_size=500,
    )


def unload(apps, schema_editor):
    apps.get_model("geography", "Municipality").objects.all().delete()
    apps.get_model("geography", "Mrc").objects.all().delete()
    apps.get_model("geography", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

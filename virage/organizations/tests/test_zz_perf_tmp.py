import time
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from virage.organizations.models import ImportBatch, Organization
from virage.organizations.tests.test_import_reading import csv_bytes
from virage.organizations.tests.test_import_validation import FULL_HEADER, row

pytestmark = pytest.mark.django_db

def test_perf(client, world):
    rows = [row(**{"nom légal": f"Organisme {n}", "NEQ": f"11{n:08d}", "municipalité": ("Montréal","Québec","Rimouski","43027")[n%4],
                   "prénom du contact": "Zoé", "nom du contact": "Roy", "courriel du contact": f"z{n}@x.example", "téléphone du contact": "514 555-0123"}) for n in range(5000)]
    client.force_login(world.manager)
    t=time.monotonic()
    r = client.post(reverse("organizations:import"), {"program": world.program.pk, "file": SimpleUploadedFile("a.csv", csv_bytes(rows, header=FULL_HEADER))})
    print("upload", time.monotonic()-t, r.status_code)
    b = ImportBatch.objects.get()
    t=time.monotonic(); r = client.get(b.get_absolute_url()); print("preview", time.monotonic()-t, r.status_code)
    open("/tmp/imp/preview.html","w").write(r.content.decode())
    t=time.monotonic(); r = client.post(b.get_absolute_url(), {"mode": "valid_only"}); print("confirm", time.monotonic()-t, Organization.objects.count())

from django.urls import path

from . import public_views

app_name = "attestations"

urlpatterns = [
    path("verifier/", public_views.verify_form, name="verify_form"),
    path("verifier/<str:code>/", public_views.verify, name="verify"),
]

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("confidentialite/", views.privacy_notice, name="privacy"),
]

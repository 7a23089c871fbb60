from django.urls import path

from . import views

app_name = "geography"
urlpatterns = [
    path("municipalites/", views.municipality_search, name="municipality_search"),
]

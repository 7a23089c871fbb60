from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("<slug:slug>/portee/", views.reach, name="reach"),
    path("<slug:slug>/portee.csv", views.reach_csv, name="reach_csv"),
    path("<slug:slug>/portee/resume/", views.reach_card, name="reach_card"),
]

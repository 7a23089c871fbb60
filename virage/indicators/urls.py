from django.urls import path

from . import diagnostics_views, learning_views, views

app_name = "indicators"
urlpatterns = [
    path("<slug:slug>/portee/", views.reach, name="reach"),
    path("<slug:slug>/portee.csv", views.reach_csv, name="reach_csv"),
    path("<slug:slug>/portee/resume/", views.reach_card, name="reach_card"),
    path("<slug:slug>/apprentissage/", learning_views.learning_indicators, name="learning"),
    path("<slug:slug>/apprentissage.csv", learning_views.learning_csv, name="learning_csv"),
    path("<slug:slug>/maturite/", diagnostics_views.maturity, name="maturity"),
]

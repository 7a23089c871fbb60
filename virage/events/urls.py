from django.urls import path

from . import catalogue_views, import_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("nouveau/", views.event_create, name="create"),
    path("programmes/<slug:slug>/themes-et-series/", catalogue_views.program_catalogue, name="program_catalogue"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/modifier/", views.event_edit, name="edit"),
    path("<int:pk>/presences/", views.roll_call, name="roll_call"),
    path("<int:pk>/presences/<int:registration_pk>/", views.attendance_toggle, name="attendance_toggle"),
    path("<int:pk>/presences/importer/", import_views.attendance_import_start, name="attendance_import"),
    path(
        "<int:pk>/presences/importer/<str:token>/",
        import_views.attendance_import_preview,
        name="attendance_import_preview",
    ),
    path("<int:pk>/inscrits.<str:file_format>", views.registrants_export, name="registrants_export"),
]

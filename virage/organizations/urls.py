from django.urls import path

from . import import_views, views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export.<str:file_format>", views.organization_export, name="export"),
    path("nouveau/", views.organization_create, name="create"),
    path("inscriptions/", views.registration_list, name="registrations"),
    path("importer/", import_views.import_upload, name="import"),
    path("importer/<str:token>/", import_views.import_preview, name="import_preview"),
    path("importer/<str:token>/rejets.csv", import_views.import_rejects, name="import_rejects"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/modifier/", views.organization_edit, name="edit"),
    path("<int:pk>/archiver/", views.organization_archive, name="archive"),
    path("<int:pk>/restaurer/", views.organization_restore, name="restore"),
    path("<int:pk>/valider/", views.registration_validate, name="validate"),
    path("<int:pk>/fusionner/", views.registration_merge, name="merge"),
    path("<int:pk>/personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", views.person_edit, name="person_edit"),
]

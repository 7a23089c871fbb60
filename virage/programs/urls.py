from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("nouveau/", views.program_create, name="create"),
    path("inscription/", views.register, name="register"),
    path("inscription/merci/", views.register_done, name="register_done"),
    path("<slug:slug>/", views.program_detail, name="detail"),
    path("<slug:slug>/modifier/", views.program_edit, name="edit"),
    path("<slug:slug>/cibles/", views.program_targets, name="targets"),
    path("<slug:slug>/membres/", views.program_members, name="members"),
    path("<slug:slug>/membres/<int:membership_id>/retirer/", views.membership_revoke, name="membership_revoke"),
]

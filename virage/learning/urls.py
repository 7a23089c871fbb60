from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.path_list, name="list"),
    path("mon-apprentissage/", views.my_learning, name="my_learning"),
    path("mon-apprentissage/cohortes/<int:pk>/inscription/", views.self_enroll, name="self_enroll"),
    path(
        "mon-apprentissage/inscriptions/<int:pk>/modules/<int:module_pk>/declarer/",
        views.self_declare,
        name="self_declare",
    ),
    path("programmes/<slug:slug>/competences/", views.competencies, name="competencies"),
    path("programmes/<slug:slug>/competences/<int:pk>/", views.competency_edit, name="competency_edit"),
    path("parcours/nouveau/", views.path_create, name="path_create"),
    path("parcours/<int:pk>/", views.path_detail, name="path_detail"),
    path("parcours/<int:pk>/modifier/", views.path_edit, name="path_edit"),
    path("parcours/<int:pk>/modules/nouveau/", views.module_create, name="module_create"),
    path("parcours/<int:pk>/modules/<int:module_pk>/", views.module_edit, name="module_edit"),
    path("parcours/<int:pk>/cohortes/nouvelle/", views.cohort_create, name="cohort_create"),
    path("cohortes/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohortes/<int:pk>/modifier/", views.cohort_edit, name="cohort_edit"),
    path("cohortes/<int:pk>/phases/nouvelle/", views.phase_create, name="phase_create"),
    path("cohortes/<int:pk>/seances/nouvelle/", views.session_create, name="session_create"),
    path("cohortes/<int:pk>/inscrire/", views.enroll, name="enroll"),
    path(
        "cohortes/<int:pk>/inscriptions/<int:enrollment_pk>/annuler/", views.enrollment_cancel, name="enrollment_cancel"
    ),
    path(
        "cohortes/<int:pk>/inscriptions/<int:enrollment_pk>/mentor/", views.enrollment_mentor, name="enrollment_mentor"
    ),
    path("cohortes/<int:pk>/grille/", views.cohort_grid, name="cohort_grid"),
    path(
        "cohortes/<int:pk>/grille/<int:enrollment_pk>/<int:module_pk>/",
        views.progress_cell,
        name="progress_cell",
    ),
    path("cohortes/<int:pk>/grille/presences/", views.attendance_sync, name="attendance_sync"),
    path("cohortes/<int:pk>/attestations/", views.attestations_issue, name="attestations_issue"),
    path("attestations/<int:pk>/pdf/", views.attestation_pdf, name="attestation_pdf"),
    path("attestations/<int:pk>/revoquer/", views.attestation_revoke, name="attestation_revoke"),
    path("attestations/<int:pk>/renvoyer/", views.attestation_resend, name="attestation_resend"),
]

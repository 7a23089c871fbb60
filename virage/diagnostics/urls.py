from django.urls import path

from . import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("mes-diagnostics/", views.mine, name="mine"),
    path("organismes/<int:pk>/", views.organization, name="organization"),
    path("<int:pk>/", views.take, name="take"),
    path("<int:pk>/reponse/", views.autosave, name="autosave"),
    path("<int:pk>/besoins/", views.needs, name="needs"),
    path("<int:pk>/verification/", views.review, name="review"),
    path("<int:pk>/soumettre/", views.submit, name="submit"),
    path("<int:pk>/resultats/", views.results, name="results"),
    path("<int:pk>/plan-action.pdf", views.plan_pdf, name="plan_pdf"),
    path("programmes/<slug:slug>/export.csv", views.export, name="export"),
    path("programmes/<slug:slug>/questionnaires/", views.questionnaires, name="questionnaires"),
    path("programmes/<slug:slug>/regles/", views.rules, name="rules"),
    path("regles/<int:pk>/activer/", views.rule_toggle, name="rule_toggle"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/publier/", views.version_publish, name="version_publish"),
    path(
        "versions/<int:pk>/dimensions/<int:dimension_pk>/questions/nouvelle/",
        views.question_create,
        name="question_create",
    ),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/retirer/", views.question_delete, name="question_delete"),
]

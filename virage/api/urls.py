"""The REST API: its schema and documentation, tokens, and version 1 of the resources."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .auth import ObtainTokenView
from .diagnostics import AssessmentViewSet, QuestionnaireViewSet
from .docs import RedocView, SchemaView, SwaggerView
from .events import EventViewSet, RegistrationViewSet
from .geography import MrcViewSet, MunicipalityViewSet, RegionViewSet
from .learning import (
    AttestationViewSet,
    CohortViewSet,
    EnrollmentViewSet,
    PathViewSet,
    ProgressView,
    VerificationView,
)
from .organizations import OrganizationViewSet, PersonViewSet
from .programs import ProgramViewSet

app_name = "api"

# Basenames are the model names: errors link to ``api:<model name>-detail`` (see errors.object_link).
router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("programs", ProgramViewSet, basename="program")
router.register("events", EventViewSet, basename="event")
router.register(r"events/(?P<event_pk>[^/.]+)/registrations", RegistrationViewSet, basename="registration")
router.register("learning-paths", PathViewSet, basename="learningpath")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register(r"cohorts/(?P<cohort_pk>[^/.]+)/enrollments", EnrollmentViewSet, basename="enrollment")
router.register("attestations", AttestationViewSet, basename="attestation")
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaireversion")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("regions", RegionViewSet, basename="region")
router.register("mrcs", MrcViewSet, basename="mrc")
router.register("municipalities", MunicipalityViewSet, basename="municipality")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("v1/cohorts/<str:cohort_pk>/progress/", ProgressView.as_view(), name="cohort-progress"),
    path("v1/attestations/verify/<str:code>/", VerificationView.as_view(), name="attestation-verify"),
    path("v1/", include(router.urls)),
]

from django.urls import path

from . import public_views

app_name = "calendar"

urlpatterns = [
    path("evenement/<str:pk>.ics", public_views.event_ics, name="event_ics"),
    path("evenement/<str:pk>/", public_views.event_page, name="event"),
    path("annulation/<str:token>/", public_views.cancel, name="cancel"),
    path("<slug:slug>/", public_views.program_calendar, name="program"),
]

"""URL routes of the reports app."""

from django.urls import path

from tracelot.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
]

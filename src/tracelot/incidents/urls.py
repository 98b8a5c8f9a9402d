"""URL routes of incidents: the list, opening one from a lot, its page, containing it."""

from django.urls import path

from tracelot.incidents.views import pages

app_name = "incidents"

urlpatterns = [
    path("", pages.incident_list, name="incident-list"),
    path("new/<str:code>/", pages.incident_new, name="incident-new"),
    path("<str:number>/", pages.incident_detail, name="incident-detail"),
    path("<str:number>/contain/", pages.incident_contain_view, name="incident-contain"),
    path("<str:number>/scope/", pages.incident_scope_view, name="incident-scope"),
]

"""URL routes of incidents: the list, opening one from a lot, its page, containing it."""

from django.urls import path

from tracelot.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="incident-list"),
    path("new/<str:code>/", views.incident_new, name="incident-new"),
    path("<str:number>/", views.incident_detail, name="incident-detail"),
    path("<str:number>/contain/", views.incident_contain_view, name="incident-contain"),
    path("<str:number>/scope/", views.incident_scope_view, name="incident-scope"),
]

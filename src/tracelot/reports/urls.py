"""URL routes of the reports app."""

from django.urls import path

from tracelot.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("lots/<str:code>/trace.pdf", views.lot_trace_report, name="lot-trace-pdf"),
    path("shipments/<str:number>/packing-list.pdf", views.packing_list, name="packing-list"),
]

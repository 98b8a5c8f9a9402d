"""URL routes of the reports app."""

from django.urls import path

from tracelot.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("lots/<str:code>/trace.pdf", views.lot_trace_report, name="lot-trace-pdf"),
    path("shipments/<str:number>/packing-list.pdf", views.packing_list, name="packing-list"),
    path(
        "incidents/<str:number>/report.pdf",
        views.incident_report_pdf_view,
        name="incident-report-pdf",
    ),
    path(
        "incidents/<str:number>/report.xlsx",
        views.incident_report_xlsx_view,
        name="incident-report-xlsx",
    ),
]

"""URL routes of lot search and the lot page."""

from django.urls import path

from tracelot.lotpages import views

app_name = "lotpages"

urlpatterns = [
    path("", views.lot_search_page, name="lot-search"),
    path("<str:code>/", views.lot_detail, name="lot-detail"),
    path("<str:code>/trace/", views.lot_trace_partial, name="lot-trace"),
    path("<str:code>/trace.json", views.lot_trace_json, name="lot-trace-json"),
    path("<str:code>/trace.xlsx", views.lot_trace_xlsx, name="lot-trace-xlsx"),
]

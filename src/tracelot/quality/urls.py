"""URL routes of the quality app: inspect, hold and release a lot; control charts."""

from django.urls import path

from tracelot.quality import views

app_name = "quality"

urlpatterns = [
    path("lots/<str:code>/inspect/", views.inspection_new, name="inspection-new"),
    path("lots/<str:code>/hold/", views.lot_hold, name="lot-hold"),
    path("lots/<str:code>/release/", views.lot_release, name="lot-release"),
    path("lots/<str:code>/charts/", views.lot_charts, name="lot-charts"),
    path("charts/", views.chart_list, name="chart-list"),
    path("items/<str:code>/charts/", views.item_charts, name="item-charts"),
]

"""URL routes of the scan station."""

from django.urls import path

from tracelot.capture import views

app_name = "capture"

urlpatterns = [
    path("station/", views.station_pick, name="station"),
    path("station/<str:number>/<int:sequence>/", views.station_step, name="station-step"),
    path("station/<str:number>/<int:sequence>/scan", views.station_scan, name="station-scan"),
    path("station/<str:number>/<int:sequence>/output", views.station_output, name="station-output"),
    path("station/<str:number>/<int:sequence>/scrap", views.station_scrap, name="station-scrap"),
    path(
        "station/<str:number>/<int:sequence>/settings",
        views.station_settings,
        name="station-settings",
    ),
]

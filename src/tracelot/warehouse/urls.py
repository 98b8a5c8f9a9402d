"""URL routes of receiving and shipping."""

from django.urls import path

from tracelot.warehouse import views

app_name = "warehouse"

urlpatterns = [
    path("receiving/", views.receiving, name="receiving"),
    path("shipping/", views.shipping, name="shipping"),
    path("shipping/<str:number>/", views.shipment, name="shipment"),
]

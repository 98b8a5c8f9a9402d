"""URL routes of the labels app."""

from django.urls import URLPattern, path

from tracelot.labels import views

app_name = "labels"

urlpatterns: list[URLPattern] = [
    path("lot/<str:code>.pdf", views.lot_label_pdf, name="lot-label-pdf"),
    path("lot/<str:code>.zpl", views.lot_label_zpl, name="lot-label-zpl"),
]

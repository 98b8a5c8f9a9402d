"""URL routes of the quality app."""

from django.urls import URLPattern

app_name = "quality"

urlpatterns: list[URLPattern] = []

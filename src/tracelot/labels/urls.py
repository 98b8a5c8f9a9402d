"""URL routes of the labels app."""

from django.urls import URLPattern

app_name = "labels"

urlpatterns: list[URLPattern] = []

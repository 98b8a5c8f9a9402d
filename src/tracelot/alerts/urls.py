from django.urls import path

from tracelot.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="alert-list"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge_view, name="alert-acknowledge"),
]

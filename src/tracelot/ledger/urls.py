"""URL routes of the audit trail."""

from django.urls import path

from tracelot.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.audit_trail, name="audit-trail"),
    path("verify/", views.chain_verify, name="chain-verify"),
]

"""Admin for partners: the suppliers the plant buys from and the customers it sells to."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tracelot.audit.admin import ReasonedAdmin, changed_by, form_fields, form_reason
from tracelot.partners.models import Customer, Supplier
from tracelot.partners.services import customer_save, supplier_save


@admin.register(Supplier)
class SupplierAdmin(ReasonedAdmin):
    list_display = ("code", "name", "name_zh", "gln")
    search_fields = ("code", "name", "name_zh", "gln")
    ordering = ("code",)

    def save_model(self, request: HttpRequest, obj: Supplier, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        supplier_save(supplier=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


@admin.register(Customer)
class CustomerAdmin(ReasonedAdmin):
    list_display = ("code", "name", "name_zh", "gln", "contact_name", "email", "language")
    search_fields = ("code", "name", "name_zh", "gln")
    ordering = ("code",)

    def save_model(self, request: HttpRequest, obj: Customer, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        customer_save(customer=obj, reason=form_reason(form), by=changed_by(request), fields=fields)

"""Admin for partners: the suppliers the plant buys from and the customers it sells to."""

from django.contrib import admin

from tracelot.audit.admin import ReasonedAdmin
from tracelot.partners.models import Customer, Supplier


@admin.register(Supplier)
class SupplierAdmin(ReasonedAdmin):
    list_display = ("code", "name", "name_zh", "gln")
    search_fields = ("code", "name", "name_zh", "gln")
    ordering = ("code",)


@admin.register(Customer)
class CustomerAdmin(ReasonedAdmin):
    list_display = ("code", "name", "name_zh", "gln")
    search_fields = ("code", "name", "name_zh", "gln")
    ordering = ("code",)

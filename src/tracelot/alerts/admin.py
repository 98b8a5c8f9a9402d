"""Admin for alerts: the rules and webhooks a quality manager sets (master data: each change
with its reason in the trail, a secret never written there), and every alert with each
delivery and every attempt of it, as the receiver answered."""

from django.contrib import admin
from django.db import models

from tracelot.alerts.models import Alert, AlertRule, Delivery, DeliveryAttempt, Webhook
from tracelot.audit.admin import ReasonedAdmin


@admin.register(Webhook)
class WebhookAdmin(ReasonedAdmin):
    # An address typed without a scheme is https (Django 6's default, taken now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "url", "language", "active")
    list_filter = ("kind", "active")


@admin.register(AlertRule)
class AlertRuleAdmin(ReasonedAdmin):
    list_display = ("code", "name", "name_zh", "condition", "site", "active")
    list_filter = ("condition", "active", "site")
    filter_horizontal = ("users", "roles", "webhooks")


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = (
        "delivery_id",
        "webhook",
        "email",
        "language",
        "status",
        "attempts",
        "next_at",
        "delivered_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("raised_at", "condition", "site", "acknowledged_at", "acknowledged_by")
    list_filter = ("condition", "site")
    date_hierarchy = "raised_at"
    readonly_fields = [field.name for field in Alert._meta.fields] + ["lots"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request: object) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "ok", "status_code", "answer", "seconds")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("delivery_id", "alert", "webhook", "email", "status", "attempts", "next_at")
    list_filter = ("status",)
    readonly_fields = [field.name for field in Delivery._meta.fields]
    inlines = [AttemptInline]

    def has_add_permission(self, request: object) -> bool:
        return False

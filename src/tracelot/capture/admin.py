from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tracelot.capture.models import ScanLog


@admin.register(ScanLog)
class ScanLogAdmin(admin.ModelAdmin):
    list_display = (
        "scanned_at",
        "result",
        "text",
        "lot",
        "message",
        "station",
        "operator",
        "duration_ms",
    )
    list_filter = ("result", "site", "station")
    search_fields = ("text", "lot__code")
    list_select_related = ("lot", "operator", "station")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

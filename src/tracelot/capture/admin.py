from django.contrib import admin

from tracelot.capture.models import ScanLog
from tracelot.core.admin import LargeTableAdmin


@admin.register(ScanLog)
class ScanLogAdmin(LargeTableAdmin):
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

"""English dates a plant cannot misread: 2026-12-05 14:05, never 12/05/2026 or midnight."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation


def test_english_dates_and_times_are_iso_like():
    moment = datetime(2026, 12, 5, 0, 0, tzinfo=ZoneInfo(timezone.get_default_timezone_name()))
    template = Template('{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("en"):
        assert template.render(Context({"t": moment})) == "2026-12-05 00:00|2026-12-05"

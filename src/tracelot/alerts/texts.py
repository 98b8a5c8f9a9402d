"""An alert in words, in the language of whoever reads it: the title, the lines naming the
lots, step, line, shift and responsible person, and the link to act on."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tracelot.alerts.models import Alert, Condition
from tracelot.alerts.payloads import Message
from tracelot.items.models import Item
from tracelot.ledger.integrity import TITLES
from tracelot.quality.models import Characteristic
from tracelot.quality.spc import Rule


def alert_title(alert: Alert) -> str:
    detail = alert.detail
    if alert.condition == Condition.INSPECTION_FAILED:
        return gettext("Inspection failed: %(lot)s") % {"lot": detail.get("lot", "")}
    if alert.condition == Condition.INCIDENT_CONTAINED:
        return gettext("Incident contained: %(number)s %(title)s") % {
            "number": detail.get("incident", ""),
            "title": detail.get("title", ""),
        }
    if alert.condition == Condition.INCIDENT_OPENED:
        return gettext("Incident opened: %(number)s %(title)s") % {
            "number": detail.get("incident", ""),
            "title": detail.get("title", ""),
        }
    if alert.condition == Condition.SCAN_REFUSED:
        return gettext("%(count)s scans refused at %(station)s within %(minutes)s minutes") % {
            "count": detail.get("refused", 0),
            "station": detail.get("station_name", ""),
            "minutes": detail.get("minutes", 0),
        }
    if alert.condition == Condition.EXPIRING:
        return gettext("%(count)s lots expire within %(days)s days") % detail
    if alert.condition == Condition.EXPIRED_ON_HAND:
        return gettext("%(count)s expired lots are still on hand") % detail
    if alert.condition == Condition.HOLD_AGE:
        return gettext("%(count)s lots have been on hold for %(days)s days or more") % detail
    if alert.condition == Condition.MASS_BALANCE:
        return gettext("Mass balance: step %(step)s is %(percent)s%% off its bill of materials") % {
            "step": detail.get("step", ""),
            "percent": detail.get("percent", ""),
        }
    if alert.condition == Condition.INTEGRITY:
        return gettext("Integrity check: %(count)s new findings") % {"count": detail.get("new", 0)}
    characteristic = (
        Characteristic.objects.select_related("plan__item")
        .filter(pk=detail.get("characteristic_id"))
        .first()
    )
    return gettext("Control chart: %(characteristic)s of %(item)s broke a rule") % {
        "characteristic": characteristic.display_name
        if characteristic
        else detail.get("characteristic", ""),
        "item": characteristic.plan.item.display_name if characteristic else detail.get("item"),
    }


def alert_lines(alert: Alert) -> list[str]:
    lines = []
    codes = [lot.code for lot in alert.lots.all()]
    if codes:
        lines.append(gettext("Lots: %(codes)s") % {"codes": ", ".join(codes)})
    where = [
        str(getattr(part, "display_name", part))
        for part in (alert.step, alert.line, alert.shift)
        if part is not None
    ]
    if where:
        lines.append(gettext("Where: %(where)s") % {"where": " · ".join(where)})
    if alert.responsible is not None:
        lines.append(
            gettext("Responsible: %(person)s") % {"person": alert.responsible.display_name}
        )
    return lines + _why(alert)


def _why(alert: Alert) -> list[str]:
    """What exactly happened, in the reader's language (the alert keeps codes, not words)."""
    detail = alert.detail
    if alert.condition == Condition.INSPECTION_FAILED and detail.get("failed"):
        names = {
            c.code: c.display_name
            for c in Characteristic.objects.filter(plan_id=detail.get("plan"))
        }
        failed = ", ".join(names.get(code, code) for code in detail["failed"])
        return [gettext("Failed: %(codes)s") % {"codes": failed}]
    if alert.condition == Condition.MASS_BALANCE:
        item = Item.objects.filter(pk=detail.get("component_id")).first()
        return [
            gettext("%(component)s: %(actual)s used, %(expected)s by the bill of materials")
            % {
                "component": item.display_name if item else detail.get("component", ""),
                "actual": detail.get("actual", ""),
                "expected": detail.get("expected", ""),
            }
        ]
    if alert.condition == Condition.CONTROL_CHART:
        return [Rule(number).label for number in detail.get("rules", [])]
    if alert.condition == Condition.INTEGRITY:
        return [
            f"{TITLES[check]}: {found['count']} ({', '.join(found['examples'])})"
            for check, found in detail.get("found", {}).items()
            if check in TITLES
        ]
    if alert.condition == Condition.SCAN_REFUSED:
        language = translation.get_language() or "en"
        return [
            messages.get(language) or messages.get("en") or next(iter(messages.values()), "")
            for messages in detail.get("messages", [])
        ]
    return []


def alert_path(alert: Alert) -> str:
    """The page to act on: the incident, the dashboard's integrity trend, or the first lot."""
    if alert.condition == Condition.INTEGRITY:
        return reverse("reports:dashboard") + "#integrity"
    if alert.incident is not None:
        return reverse("incidents:incident-detail", args=[alert.incident.number])
    # .all(): the lots a batch of deliveries prefetched, not a query per alert
    lot = min(alert.lots.all(), key=lambda lot: lot.pk, default=None)
    return reverse("lotpages:lot-detail", args=[lot.code]) if lot else reverse("alerts:alert-list")


def alert_message(alert: Alert, language: str) -> Message:
    """The alert for one reader, in `language`, with an absolute link."""
    with translation.override(language):
        link_text = (
            gettext("View the incident") if alert.incident is not None else gettext("View the lot")
        )
        return Message(
            title=alert_title(alert),
            lines=alert_lines(alert),
            link=settings.TRACELOT_BASE_URL.rstrip("/") + alert_path(alert),
            link_text=link_text,
        )

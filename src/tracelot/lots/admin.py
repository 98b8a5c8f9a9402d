"""Admin for lots (read-only: the ledger changes them), lot-number rules and their sequences."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracelot.audit.admin import ReasonedAdmin, changed_by, form_reason
from tracelot.core import clock
from tracelot.core.admin import LargeTableAdmin, ReadOnlyAdmin
from tracelot.core.errors import Refused
from tracelot.items.models import Item
from tracelot.lots.models import Lot, LotRule, LotSequence
from tracelot.lots.rules import lot_rule_target_check, lot_template_check
from tracelot.lots.selectors import lots_starting_with
from tracelot.lots.services import lot_code_preview, lot_rule_for_item, lot_rule_save
from tracelot.orders.models import WorkOrder
from tracelot.plants.models import Line, Shift, Site


class LotRuleForm(forms.ModelForm):
    class Meta:
        model = LotRule
        fields = ("name", "template", "reset", "item", "item_kind", "is_default")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "template" in cleaned and "reset" in cleaned:
            try:
                lot_template_check(template=cleaned["template"], reset=cleaned["reset"])
            except Refused as refusal:
                self.add_error("template", ValidationError(refusal.message, code=refusal.code))
        try:
            lot_rule_target_check(
                has_item=cleaned.get("item") is not None,
                item_kind=cleaned.get("item_kind", ""),
                is_default=cleaned.get("is_default", False),
            )
        except Refused as refusal:
            self.add_error(None, ValidationError(refusal.message, code=refusal.code))
        return cleaned


def _preview_item(rule: LotRule) -> Item | None:
    """The first item this rule actually numbers (a more specific rule may win for others)."""
    if rule.item_id is not None:
        return rule.item
    items = Item.objects.order_by("code")
    if rule.item_kind:
        items = items.filter(kind=rule.item_kind)
    return next((item for item in items[:50] if lot_rule_for_item(item=item) == rule), None)


@admin.register(LotRule)
class LotRuleAdmin(ReasonedAdmin):
    form = LotRuleForm
    list_display = ("name", "template", "reset", "item", "item_kind", "is_default")
    list_filter = ("reset", "item_kind", "is_default")
    list_select_related = ("item",)
    search_fields = ("name", "template", "item__code", "item__name")
    raw_id_fields = ("item",)
    readonly_fields = ("next_codes",)
    fields = ("name", "template", "reset", "item", "item_kind", "is_default", "next_codes")

    @admin.display(description=_("next codes"))
    def next_codes(self, rule: LotRule) -> str | SafeString:
        if rule.pk is None:
            return gettext("Save the rule to see the next codes.")
        item = _preview_item(rule)
        site = Site.objects.order_by("code").first()
        if item is None or site is None:
            return gettext("No item and site to preview this rule with yet.")
        work_order = WorkOrder.objects.filter(item=item, site=site).order_by("-id").first()
        try:
            codes = lot_code_preview(
                rule=rule,
                item=item,
                site=site,
                occurred_on=clock.today(),
                line=Line.objects.filter(site=site).order_by("code").first(),
                shift=Shift.objects.filter(site=site).order_by("code").first(),
                work_order=work_order,
            )
        except Refused as refusal:
            return refusal.message
        heading = gettext("For item %(item)s at site %(site)s today:") % {
            "item": item.code,
            "site": site.code,
        }
        return format_html(
            "{}<ul>{}</ul>", heading, format_html_join("", "<li>{}</li>", ((c,) for c in codes))
        )

    def save_model(self, request: HttpRequest, obj: LotRule, form: Any, change: bool) -> None:
        # The same service as every other caller, so its checks run here too.
        lot_rule_save(
            rule=obj,
            name=obj.name,
            template=obj.template,
            reset=obj.reset,
            item=obj.item,
            item_kind=obj.item_kind,
            is_default=obj.is_default,
            reason=form_reason(form),
            by=changed_by(request),
        )


@admin.register(Lot)
class LotAdmin(LargeTableAdmin):
    list_display = (
        "code",
        "item",
        "status",
        "quantity_on_hand",
        "unit",
        "supplier_lot",
        "expires_on",
    )
    list_filter = ("status", "item__kind", "site")
    list_select_related = ("item",)
    search_fields = ("code",)
    search_help_text = _("The start of a lot code or supplier lot, in any case.")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Lot], search_term: str
    ) -> tuple[QuerySet[Lot], bool]:
        # The prefix the search indexes serve (lots migration 0005), not LIKE over every lot.
        term = search_term.strip()
        return (lots_starting_with(queryset, text=term) if term else queryset), False


@admin.register(LotSequence)
class LotSequenceAdmin(ReadOnlyAdmin):
    list_display = ("rule_label", "period", "scope", "last_value")
    list_filter = ("rule",)
    list_select_related = ("rule",)
    search_fields = ("scope", "period")

    @admin.display(description=_("rule"), ordering="rule__name")
    def rule_label(self, sequence: LotSequence) -> str:
        return sequence.rule.name if sequence.rule else gettext("built-in fallback rule")

    def get_queryset(self, request: HttpRequest) -> QuerySet[LotSequence]:
        return super().get_queryset(request).order_by("rule_id", "-period", "scope")

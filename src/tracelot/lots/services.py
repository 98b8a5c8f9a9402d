"""Lot-number rules: choosing the rule for an item, allocating and previewing lot codes."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext

from tracelot.audit.services import ChangedBy, master_data_reason_check, master_data_save
from tracelot.core.errors import Refused
from tracelot.items.models import Item
from tracelot.lots.models import Lot, LotRule, LotSequence, SequenceReset
from tracelot.lots.rules import (
    LOT_CODE_MAX_LENGTH,
    Part,
    lot_rule_target_check,
    lot_template_check,
    period_key,
    template_parse,
    template_render,
    template_scope,
)
from tracelot.orders.models import WorkOrder
from tracelot.plants.models import Line, Shift, Site

# Used when no rule applies to an item (no item rule, no kind rule, no default rule):
# item code, the day as yymmdd and a four-digit count per item that starts again each day,
# e.g. "FLOUR-250314-0001". Its sequences are stored with an empty LotSequence.rule.
FALLBACK_TEMPLATE = "{item}-{yy}{mm}{dd}-{seq:4}"
FALLBACK_RESET = SequenceReset.DAILY


def lot_rule_fallback() -> LotRule:
    """The built-in rule (never saved) for items that no stored rule covers."""
    return LotRule(name="fallback", template=FALLBACK_TEMPLATE, reset=FALLBACK_RESET)


@transaction.atomic
def lot_rule_save(
    *,
    name: str,
    template: str,
    reset: str = SequenceReset.DAILY,
    item: Item | None = None,
    item_kind: str = "",
    is_default: bool = False,
    rule: LotRule | None = None,
    reason: str,
    by: ChangedBy,
) -> LotRule:
    """Create a rule, or update `rule`, after checking its template and what it applies to."""
    master_data_reason_check(reason=reason)
    lot_template_check(template=template, reset=reset)
    lot_rule_target_check(has_item=item is not None, item_kind=item_kind, is_default=is_default)
    rule = rule or LotRule()
    rule.name = name
    rule.template = template
    rule.reset = reset
    rule.item = item
    rule.item_kind = item_kind
    rule.is_default = is_default
    return master_data_save(record=rule, reason=reason, by=by)


def lot_rule_for_item(*, item: Item) -> LotRule | None:
    """The rule that numbers `item`'s lots: its own rule, else its kind's, else the default."""
    candidates = LotRule.objects.filter(
        Q(item=item)
        | Q(item__isnull=True, item_kind=item.kind)
        | Q(item__isnull=True, item_kind="", is_default=True)
    ).order_by("id")

    def rank(rule: LotRule) -> int:
        if rule.item_id is not None:
            return 0
        return 1 if rule.item_kind else 2

    return min(candidates, key=rank, default=None)


def _values(
    *,
    item: Item,
    site: Site,
    line: Line | None,
    shift: Shift | None,
    work_order: WorkOrder | None,
) -> dict[str, str]:
    # A work order knows where and when it runs, so its line and shift fill in for the caller.
    if work_order is not None:
        line = line or work_order.line
        shift = shift or work_order.shift
    return {
        "item": item.code,
        "kind": item.kind,
        "site": site.code,
        "line": line.code if line else "",
        "shift": shift.code if shift else "",
        "order": work_order.number if work_order else "",
    }


class _Numbering:
    """One rule applied to one item, site and day: renders the code for a sequence value."""

    def __init__(self, *, rule: LotRule, values: dict[str, str], on: date) -> None:
        self.rule_id = rule.pk
        self.parts: list[Part] = template_parse(template=rule.template)
        self.values = values
        self.on = on
        self.period = period_key(reset=rule.reset, on=on)
        self.scope = template_scope(parts=self.parts, values=values)

    def code(self, sequence: int) -> str:
        code = template_render(parts=self.parts, values=self.values, on=self.on, sequence=sequence)
        if len(code) > LOT_CODE_MAX_LENGTH:
            message = gettext(
                "Lot code %(code)s has %(length)s characters; at most %(maximum)s are allowed"
            )
            raise Refused(
                "lot_code_too_long",
                message % {"code": code, "length": len(code), "maximum": LOT_CODE_MAX_LENGTH},
                lot_code=code,
            )
        return code

    def sequences(self) -> QuerySet[LotSequence]:
        return LotSequence.objects.filter(
            rule_id=self.rule_id, period=self.period, scope=self.scope
        )


def _numbering(
    *,
    rule: LotRule | None,
    item: Item,
    site: Site,
    on: date,
    line: Line | None,
    shift: Shift | None,
    work_order: WorkOrder | None,
) -> _Numbering:
    values = _values(item=item, site=site, line=line, shift=shift, work_order=work_order)
    return _Numbering(rule=rule or lot_rule_fallback(), values=values, on=on)


def _sequence_next(numbering: _Numbering) -> int:
    """Count the sequence up by one and return the new value, creating its row on first use.

    The UPDATE takes the row lock (PostgreSQL) or runs under the write lock that an
    IMMEDIATE transaction holds (SQLite), so two allocations never read the same value.
    """
    rows = numbering.sequences()
    if not rows.update(last_value=F("last_value") + 1):
        try:
            with transaction.atomic():  # a savepoint: a lost race must not spoil the caller
                LotSequence.objects.create(
                    rule_id=numbering.rule_id,
                    period=numbering.period,
                    scope=numbering.scope,
                    last_value=1,
                )
            return 1
        except IntegrityError:
            # Another transaction created the row first and has committed; count on it.
            rows.update(last_value=F("last_value") + 1)
    return rows.values_list("last_value", flat=True).get()


@transaction.atomic
def lot_code_allocate(
    *,
    item: Item,
    site: Site,
    occurred_on: date,
    line: Line | None = None,
    shift: Shift | None = None,
    work_order: WorkOrder | None = None,
) -> str:
    """Give out the next lot code for `item`; every call returns a code never given before.

    A number is consumed even when its code is skipped because a lot already carries it
    (e.g. a supplier's code or a code typed in by hand).
    """
    rule = lot_rule_for_item(item=item)
    numbering = _numbering(
        rule=rule,
        item=item,
        site=site,
        on=occurred_on,
        line=line,
        shift=shift,
        work_order=work_order,
    )
    while True:
        code = numbering.code(_sequence_next(numbering))
        if not Lot.objects.filter(code=code, site=site).exists():
            return code


def lot_code_preview(
    *,
    rule: LotRule | None,
    item: Item,
    site: Site,
    occurred_on: date,
    line: Line | None = None,
    shift: Shift | None = None,
    work_order: WorkOrder | None = None,
    count: int = 5,
) -> list[str]:
    """The next `count` codes `rule` (None: the fallback) would give; reads, writes nothing."""
    numbering = _numbering(
        rule=rule,
        item=item,
        site=site,
        on=occurred_on,
        line=line,
        shift=shift,
        work_order=work_order,
    )
    last = numbering.sequences().values_list("last_value", flat=True).first() or 0
    codes: list[str] = []
    while len(codes) < count:
        batch = [numbering.code(value) for value in range(last + 1, last + 1 + count)]
        taken = set(Lot.objects.filter(code__in=batch, site=site).values_list("code", flat=True))
        codes.extend(code for code in batch if code not in taken)
        last += count
    return codes[:count]

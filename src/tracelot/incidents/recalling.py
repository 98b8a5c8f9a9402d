"""The recall of an incident: started under a signature, every shipped lot of the scope
marked recalled in the ledger, each customer told (an e-mail with a PDF letter in their
language), their acknowledgement recorded, what they send back received into quarantine as
`return` events, and the progress followed until the recall closes.

Closing needs every customer's acknowledgement, or a signed reason why not.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from tracelot.accounts.signatures import Signer, signature_record
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.incidents.models import (
    EntryKind,
    Incident,
    IncidentStatus,
    Recall,
    RecallCustomer,
)
from tracelot.incidents.services import entry_add, incident_scope
from tracelot.ledger import guards
from tracelot.ledger.keys import key_for
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.recording import record
from tracelot.ledger.selectors import returnable_quantity
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import SalesOrder
from tracelot.partners.models import Customer
from tracelot.plants.models import Location, Operator


def _entry(incident: Incident, by: Operator, text: str, data: dict[str, Any]) -> None:
    entry_add(incident, EntryKind.RECALL, by, text, data)


@transaction.atomic
def recall_start(*, incident: Incident, signer: Signer, actor: Operator, key: str) -> Recall:
    """Start the recall of everything of the incident's scope that reached customers."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    existing = Recall.objects.filter(incident=incident).first()
    if existing is not None:
        return existing
    if incident.status == IncidentStatus.CLOSED:
        raise Refused("incident_closed", gettext("The incident is closed."))
    scope = incident_scope(incident=incident)
    if not scope.customers:
        raise Refused(
            "recall_nothing_shipped",
            gettext(
                "Nothing of the incident's scope reached a customer: there is nothing to recall."
            ),
        )
    shipped = _shipped_by_customer(incident, scope.customers)
    signed = {"incident": incident.number, "customers": dict(sorted(shipped.items()))}
    signature = signature_record(
        signer=signer,
        subject=gettext("Start of the recall of %(number)s") % {"number": incident.number},
        record=signed,
    )
    recall = Recall.objects.create(
        incident=incident, started_at=clock.now(), started_by=actor, start_signature=signature
    )
    customers = Customer.objects.in_bulk(list(shipped), field_name="code")
    RecallCustomer.objects.bulk_create(
        RecallCustomer(recall=recall, customer=customers[code], shipped=rows)
        for code, rows in sorted(shipped.items())
    )
    recalled = _recall_lots(recall, shipped, actor, key)
    incident.status = IncidentStatus.RECALL
    incident.save(update_fields=["status"])
    _entry(
        incident,
        actor,
        gettext("Recall started"),
        {"customers": sorted(shipped), "lots": recalled, "signature": signature.pk},
    )
    return recall


def _shipped_by_customer(
    incident: Incident, customers: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Per customer, one row per lot shipped to them from the scope: quantity, unit, the
    sales orders and the first and last shipment (shipments reversed since left out)."""
    codes = sorted({code for entry in customers for code in entry["lots"]})
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    shipments = Event.objects.filter(
        site=incident.site,
        kind=EventKind.SHIP,
        lot__code__in=codes,
        reversed_by__isnull=True,
        sales_order__customer__code__in=[entry["code"] for entry in customers],
    ).values_list("sales_order__customer__code", "lot__code", "unit", "quantity",
                  "sales_order__number", "occurred_at")  # fmt: skip
    for customer, lot, unit, quantity, order, at in shipments.order_by("occurred_at"):
        row = rows.setdefault(
            (customer, lot, unit),
            {"lot": lot, "unit": unit, "quantity": Decimal(0), "sales_orders": [],
             "first_shipped_at": _iso(at)},
        )  # fmt: skip
        row["quantity"] += quantity
        row["last_shipped_at"] = _iso(at)
        if order not in row["sales_orders"]:
            row["sales_orders"].append(order)
    shipped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (customer, _lot, _unit), row in sorted(rows.items()):
        shipped[customer].append({**row, "quantity": plain(row["quantity"])})
    return shipped


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _recall_lots(
    recall: Recall, shipped: dict[str, list[dict[str, Any]]], actor: Operator, key: str
) -> list[str]:
    incident = recall.incident
    # Each lot's recall event names the signed start, so the lot's own page shows it.
    data = {"recall": recall.pk, "signatures": [recall.start_signature_id]}
    codes = sorted({row["lot"] for rows in shipped.values() for row in rows})
    lots = Lot.objects.select_for_update().filter(site=incident.site, code__in=codes)
    drafts = [
        Draft(
            kind=EventKind.RECALL,
            lot=lot,
            quantity=lot.quantity_on_hand,
            key=key_for(f"recall-{lot.pk}", key),
            via=Via.MANUAL,
            actor=actor,
            reason=f"{incident.number}: {incident.title}"[:500],
            data=data,
        )
        for lot in lots.order_by("pk")
        if lot.status != LotStatus.RECALLED
    ]
    record(drafts)
    return [draft.lot.code for draft in drafts]


def recall_customer_notified(
    *, recall_customer: RecallCustomer, to: str, language: str, actor: Operator
) -> None:
    """Record that the notice went out (the sending itself is incidents.notices)."""
    recall_customer.notice_to = to
    recall_customer.notice_language = language
    recall_customer.notified_at = clock.now()
    recall_customer.save(update_fields=["notice_to", "notice_language", "notified_at"])
    _entry(
        recall_customer.recall.incident,
        actor,
        gettext("Notice sent to %(customer)s") % {"customer": recall_customer.customer.code},
        {"customer": recall_customer.customer.code, "to": to, "language": language},
    )


@transaction.atomic
def recall_acknowledge(
    *, recall_customer: RecallCustomer, note: str, actor: Operator
) -> RecallCustomer:
    """Record the customer's acknowledgement of the notice (taken by phone, e-mail, letter)."""
    note = note.strip()
    guards.text_storable(note, what=gettext("The note"), limit=500)
    _open_check(recall_customer.recall)
    if recall_customer.acknowledged_at is not None:
        return recall_customer
    recall_customer.acknowledged_at = clock.now()
    recall_customer.acknowledged_by = actor
    recall_customer.acknowledgement = note
    recall_customer.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    _entry(
        recall_customer.recall.incident,
        actor,
        gettext("%(customer)s acknowledged the recall")
        % {"customer": recall_customer.customer.code},
        {"customer": recall_customer.customer.code, "note": note},
    )
    return recall_customer


def _open_check(recall: Recall) -> None:
    if recall.closed_at is not None:
        raise Refused("recall_closed", gettext("The recall is closed."))


def _sales_order_of(lot: Lot, customer: Customer, quantity: Decimal) -> SalesOrder:
    """The sales order the returned quantity comes back on: the latest that shipped the lot
    to the customer with that much still out (else the latest, which the guard refuses)."""
    orders = list(
        SalesOrder.objects.filter(
            customer=customer,
            event__lot=lot,
            event__kind=EventKind.SHIP,
            event__reversed_by__isnull=True,
        )
        .distinct()
        .order_by("-pk")
    )
    if not orders:
        raise Refused(
            "recall_lot_not_shipped_to",
            gettext("Lot %(code)s was not shipped to %(customer)s.")
            % {"code": lot.code, "customer": customer.display_name},
        )
    for order in orders:
        if returnable_quantity(lot_id=lot.pk, sales_order_id=order.pk) >= quantity:
            return order
    return orders[0]


@transaction.atomic
def recall_return(
    *,
    recall: Recall,
    customer: Customer,
    lot: Lot,
    quantity: Decimal,
    location: Location,
    actor: Operator,
    key: str,
) -> Event:
    """Receive back `quantity` of `lot` from `customer` into a quarantine location."""
    _open_check(recall)
    if not recall.customers.filter(customer=customer).exists():
        raise Refused(
            "recall_customer_unknown",
            gettext("%(customer)s is not a customer of this recall.")
            % {"customer": customer.display_name},
        )
    if lot.site_id != recall.incident.site_id:
        raise Refused(
            "lot_of_other_site",
            gettext("Lot %(code)s belongs to another site.") % {"code": lot.code},
        )
    if not location.quarantine or location.site_id != lot.site_id:
        raise Refused(
            "return_not_to_quarantine",
            gettext("Recalled goods come back into a quarantine location of this site."),
        )
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    order = _sales_order_of(lot, customer, quantity)
    (event,) = record(
        [
            Draft(
                kind=EventKind.RETURN,
                lot=lot,
                quantity=quantity,
                key=key,
                via=Via.MANUAL,
                actor=actor,
                sales_order=order,
                location=location,
                reason=gettext("Recall %(number)s") % {"number": recall.incident.number},
                data={"recall": recall.pk},
            )
        ]
    )
    _entry(
        recall.incident,
        actor,
        gettext("%(quantity)s %(unit)s of %(lot)s back from %(customer)s")
        % {
            "quantity": plain(quantity),
            "unit": lot.unit,
            "lot": lot.code,
            "customer": customer.code,
        },
        {
            "customer": customer.code,
            "lot": lot.code,
            "quantity": plain(quantity),
            "event": event.pk,
        },
    )
    return event


@dataclass
class CustomerProgress:
    row: RecallCustomer
    shipped: dict[str, Decimal]  # unit → quantity
    recovered: dict[str, Decimal] = field(default_factory=dict)

    @property
    def outstanding(self) -> dict[str, Decimal]:
        return {
            unit: max(quantity - self.recovered.get(unit, Decimal(0)), Decimal(0))
            for unit, quantity in self.shipped.items()
        }

    @property
    def lots(self) -> list[str]:
        return sorted({row["lot"] for row in self.row.shipped})


@dataclass
class Progress:
    customers: list[CustomerProgress]

    def total(self, what: str) -> dict[str, str]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for customer in self.customers:
            for unit, quantity in getattr(customer, what).items():
                sums[unit] += quantity
        return {unit: plain(quantity) for unit, quantity in sorted(sums.items())}

    @property
    def totals(self) -> dict[str, dict[str, str]]:
        """Shipped, recovered and outstanding in all, per unit."""
        return {what: self.total(what) for what in ("shipped", "recovered", "outstanding")}

    @property
    def counts(self) -> dict[str, int]:
        rows = [c.row for c in self.customers]
        return {
            "customers": len(rows),
            "notified": sum(r.notified_at is not None for r in rows),
            "acknowledged": sum(r.acknowledged_at is not None for r in rows),
            "recovered": sum(any(c.recovered.values()) for c in self.customers),
        }


def recall_progress(*, recall: Recall) -> Progress:
    """Per customer and in all: shipped, notified, acknowledged, recovered, outstanding."""
    recovered: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    returns = Event.objects.filter(kind=EventKind.RETURN, data__recall=recall.pk).filter(
        reversed_by__isnull=True
    )
    for customer_id, unit, quantity in returns.values_list(
        "sales_order__customer_id", "unit", "quantity"
    ):
        recovered[(customer_id, unit)] += quantity
    customers = []
    for row in recall.customers.select_related("customer", "acknowledged_by").order_by(
        "customer__code"
    ):
        shipped: dict[str, Decimal] = defaultdict(Decimal)
        for r in row.shipped:
            shipped[r["unit"]] += Decimal(r["quantity"])
        customers.append(
            CustomerProgress(
                row=row,
                shipped=dict(shipped),
                recovered={
                    unit: recovered[(row.customer_id, unit)]
                    for unit in shipped
                    if recovered[(row.customer_id, unit)]
                },
            )
        )
    return Progress(customers=customers)


@transaction.atomic
def recall_close(*, recall: Recall, signer: Signer, reason: str, actor: Operator) -> Recall:
    """Close the recall: every customer acknowledged, or a signed reason why not."""
    recall = Recall.objects.select_for_update().select_related("incident").get(pk=recall.pk)
    _open_check(recall)
    reason = reason.strip()
    guards.text_storable(reason, what=gettext("The reason"), limit=500)
    silent = list(
        recall.customers.filter(acknowledged_at__isnull=True).values_list(
            "customer__code", flat=True
        )
    )
    if silent and not reason:
        raise Refused(
            "recall_unacknowledged",
            gettext(
                "%(customers)s have not acknowledged the recall: give the reason to close it "
                "without them."
            )
            % {"customers": ", ".join(silent)},
        )
    progress = recall_progress(recall=recall)
    signature = signature_record(
        signer=signer,
        subject=gettext("Close of the recall of %(number)s") % {"number": recall.incident.number},
        record={
            "incident": recall.incident.number,
            "reason": reason,
            "unacknowledged": silent,
            "recovered": progress.total("recovered"),
            "outstanding": progress.total("outstanding"),
        },
    )
    recall.closed_at = clock.now()
    recall.close_reason = reason
    recall.close_signature = signature
    recall.save(update_fields=["closed_at", "close_reason", "close_signature"])
    incident = recall.incident
    incident.status = IncidentStatus.INVESTIGATING
    incident.save(update_fields=["status"])
    _entry(incident, actor, gettext("Recall closed"), {"reason": reason, "signature": signature.pk})
    return recall

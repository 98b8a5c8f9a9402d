"""Suppliers and customers saved with their reason, after checking their GLN."""

from collections.abc import Collection

from django.db import transaction

from tracelot.audit.services import ChangedBy, master_data_reason_check, master_data_save
from tracelot.core.gs1 import gln_check
from tracelot.partners.models import Customer, Supplier


@transaction.atomic
def supplier_save(
    *, supplier: Supplier, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Supplier:
    """Save a supplier; its GLN, if it has one, must carry the right check digit."""
    master_data_reason_check(reason=reason)
    gln_check(gln=supplier.gln)
    return master_data_save(record=supplier, reason=reason, by=by, fields=fields)


@transaction.atomic
def customer_save(
    *, customer: Customer, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Customer:
    """Save a customer; its GLN, if it has one, must carry the right check digit."""
    master_data_reason_check(reason=reason)
    gln_check(gln=customer.gln)
    return master_data_save(record=customer, reason=reason, by=by, fields=fields)

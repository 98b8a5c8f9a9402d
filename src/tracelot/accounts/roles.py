"""The roles of PRODUCT.md as Django groups, and the permissions each one holds.

One table, applied after every migrate (and by the demo), so a role means the same thing on
every installation. An auditor holds only view permissions: it can change nothing.

What each role sees, decided once (tests/test_doors.py tests every URL against it):

| role      | sees                                                        | does not see               |
| --------- | ----------------------------------------------------------- | -------------------------- |
| operator  | the station, work orders, items, lots of its sites          | customers (names, orders,  |
|           |                                                             | shipments, packing lists), |
|           |                                                             | incidents, the audit trail |
| warehouse | lots, purchase and sales orders, suppliers, customers,      | incidents, the audit trail |
|           | receiving, shipping, packing lists                          |                            |
| quality   | everything, and acts on lots, inspections and incidents     |                            |
| planner   | everything it keeps (master data) and reads around it        | the audit trail            |
| auditor   | everything, changing nothing                                |                            |

A customer's name is shown only to a role with `partners.view_customer`; elsewhere a trace
says that a lot was shipped, not to whom (trace.selectors.trace_for_user).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

VIEW_ALL = "view_*"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "operator": [
        "lots.view_lot",
        "orders.view_workorder",
        "orders.view_workorderstep",
        "items.view_item",
        "capture.use_station",
    ],
    "warehouse": [
        "lots.view_lot",
        "lots.receive_lot",
        "lots.ship_lot",
        "orders.view_purchaseorder",
        "orders.view_salesorder",
        "items.view_item",
        "partners.view_supplier",
        "partners.view_customer",
    ],
    "quality": [
        VIEW_ALL,
        "lots.hold_lot",
        "lots.release_lot",
        # A receipt from a supplier not approved for the item needs quality's reason.
        "lots.receive_lot",
        "orders.receive_unapproved",
        # More output than the inputs make needs quality's reason, at the station.
        "capture.use_station",
        "capture.record_over_bom",
        "orders.add_approvedsupplier",
        "orders.change_approvedsupplier",
        "orders.delete_approvedsupplier",
        "quality.add_inspection",
        "quality.add_inspectionplan",
        "quality.change_inspectionplan",
        "quality.add_characteristic",
        "quality.change_characteristic",
        "quality.delete_characteristic",
        "incidents.add_incident",
        "incidents.change_incident",
        "incidents.contain_incident",
        "incidents.add_action",
        "incidents.change_action",
        "incidents.add_recall",
        "incidents.change_recall",
        # Mock recall drills: run one now, and set how often each site rehearses.
        "incidents.add_drill",
        "incidents.add_drillschedule",
        "incidents.change_drillschedule",
        "quality.add_decision",
        # Who hears of what: the alert rules and the webhooks they post to.
        *[
            f"alerts.{action}_{model}"
            for model in ("alertrule", "webhook")
            for action in ("add", "change", "delete")
        ],
    ],
    "planner": [
        VIEW_ALL,
        *[
            f"{app}.{action}_{model}"
            for app, model in [
                ("plants", "site"),
                ("plants", "line"),
                ("plants", "station"),
                ("plants", "location"),
                ("plants", "shift"),
                ("plants", "team"),
                ("plants", "operator"),
                ("plants", "sitemembership"),
                ("items", "item"),
                ("items", "bomline"),
                ("partners", "supplier"),
                ("partners", "customer"),
                ("orders", "purchaseorder"),
                ("orders", "purchaseorderline"),
                ("orders", "routingstep"),
                ("orders", "workorder"),
                ("orders", "workorderstep"),
                ("orders", "salesorder"),
                ("orders", "salesorderline"),
                ("lots", "lotrule"),
            ]
            for action in ("add", "change")
        ],
        # Who works where is taken away as well as given.
        "plants.delete_sitemembership",
    ],
    "auditor": [VIEW_ALL],
}

# Taken back from a role's "view_*": the audit trail is for quality and the auditor.
# A webhook's secret signs what Tracelot sends: only quality, who sets it, reads it.
ROLE_WITHOUT: dict[str, list[str]] = {
    "planner": ["ledger.view_event", "alerts.view_webhook"],
    "auditor": ["alerts.view_webhook"],
}

ROLES = tuple(ROLE_PERMISSIONS)


def _permissions(names: list[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for name in names:
        if name == VIEW_ALL:
            query |= Q(codename__startswith="view_", content_type__app_label__in=_OUR_APPS)
        else:
            app, codename = name.split(".")
            query |= Q(content_type__app_label=app, codename=codename)
    return list(Permission.objects.filter(query))


_OUR_APPS = (
    "plants",
    "items",
    "partners",
    "orders",
    "lots",
    "ledger",
    "genealogy",
    "quality",
    "capture",
    "incidents",
    "alerts",
    "auth",
    "admin",
)


def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions of its row above."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        without = {p.pk for p in _permissions(ROLE_WITHOUT.get(role, []))}
        group.permissions.set([p for p in _permissions(names) if p.pk not in without])

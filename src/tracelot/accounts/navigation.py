"""The navigation each role sees: links only to pages the user may open."""

from functools import partial
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tracelot.accounts.selectors import person_name

# (label, URL name, permission needed)
LINKS = [
    (_("Start"), "start", None),
    (_("Dashboard"), "reports:dashboard", "lots.view_lot"),
    (_("Lots"), "lotpages:lot-search", "lots.view_lot"),
    (_("Scan station"), "capture:station", "capture.use_station"),
    (_("Receiving"), "warehouse:receiving", "lots.receive_lot"),
    (_("Shipping"), "warehouse:shipping", "lots.ship_lot"),
    (_("Incidents"), "incidents:incident-list", "incidents.view_incident"),
    (_("Control charts"), "quality:chart-list", "quality.view_inspection"),
    (_("Audit trail"), "ledger:audit-trail", "ledger.view_event"),
    (_("Master data"), "admin:index", "items.view_item"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the links of the signed-in user's navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name, permission in LINKS:
        if permission is not None and not user.has_perm(permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # a page not built yet
        items.append({"label": label, "url": url, "active": request.path == url})
    # A callable: the template calls it when it shows the name (pages that do not, such as
    # the admin's, pay no query for it).
    return {"navigation": items, "person": partial(person_name, user=user)}

"""The start page: what this instance holds and where to go next."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from tracelot.accounts.roles import ROLES
from tracelot.plants.selectors import user_site_ids
from tracelot.reports.counts import lot_counts


@dataclass(frozen=True)
class FirstStep:
    text: str
    link: str
    url: str


# role → (what to try first, the link's words, where it goes)
FIRST_STEPS = {
    "operator": (
        gettext_lazy("Open the station, pick today's work order and a step, scan its input lots "
                     "and record the output lot."),
        gettext_lazy("Scan station"), "capture:station", ""),
    "warehouse": (
        gettext_lazy("Receive a supplier's lot by scanning its label, or ship released lots "
                     "against an open sales order."),
        gettext_lazy("Receiving"), "warehouse:receiving", ""),
    "quality": (
        gettext_lazy("Inspect a lot in quarantine against its plan, then release it or put "
                     "it on hold."),
        gettext_lazy("Lots in quarantine"), "lotpages:lot-search", "?status=quarantine"),
    "planner": (
        gettext_lazy("Plan work orders and keep items, routings, suppliers and customers up "
                     "to date."),
        gettext_lazy("Master data"), "admin:index", ""),
    "auditor": (
        gettext_lazy("Read who did what and why in the audit trail, and verify the hash chain."),
        gettext_lazy("Audit trail"), "ledger:audit-trail", ""),
}  # fmt: skip


def first_steps(user: User | AnonymousUser) -> list[FirstStep]:
    """What each of the user's roles can try first, in one line each, with its link."""
    if not isinstance(user, User):
        return []
    roles = set(ROLES) if user.is_superuser else set(user.groups.values_list("name", flat=True))
    steps = []
    for role, (text, link, name, query) in FIRST_STEPS.items():
        if role in roles:
            steps.append(FirstStep(str(text), str(link), reverse(name) + query))
    return steps


def start_page(request: HttpRequest) -> HttpResponse:
    # An anonymous visitor sees no plant data: only signed-in users get the counts.
    context: dict[str, object] = {}
    if request.user.is_authenticated:
        counts, counted_at = lot_counts(site_ids=user_site_ids(user=request.user))
        context = {
            "counts": counts,
            "counted_at": counted_at,
            "first_steps": first_steps(request.user),  # type: ignore[arg-type]
            "greeting": gettext("What to try first"),
        }
    return render(request, "reports/start.html", context)

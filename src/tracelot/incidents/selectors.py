"""Incident reads: which incidents a user may see (those of the user's sites)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tracelot.incidents.models import Incident
from tracelot.plants.selectors import user_site_ids


def incidents_for_user(*, user: Any) -> QuerySet[Incident]:
    sites = user_site_ids(user=user)
    incidents = Incident.objects.all()
    return incidents if sites is None else incidents.filter(site_id__in=sites)


def incident_get_for_user(*, user: Any, number: str) -> Incident:
    """The incident of that number at one of the user's sites; another site's is not found."""
    incident = (
        incidents_for_user(user=user)
        .filter(number=number)
        .select_related("owner", "opened_by", "site")
        .first()
    )
    if incident is None:
        raise Http404
    return incident

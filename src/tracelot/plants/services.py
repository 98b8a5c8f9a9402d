"""Plant master data saved with its reason: sites, stations, shifts, teams and operators.

Lines and locations have no rule beyond their model's and are saved by
`audit.services.master_data_save` directly.
"""

from collections.abc import Collection

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext

from tracelot.audit.services import ChangedBy, master_data_reason_check, master_data_save
from tracelot.core.errors import Refused
from tracelot.core.gs1 import gln_check
from tracelot.plants.models import Operator, Shift, Site, SiteMembership, Station, Team


def site_scope_check(*, record: Model, field: str, site_id: int | None) -> None:
    """Refuse `record` when the record its `field` names belongs to another site than
    `site_id`: a station on another plant's line would put its scans on the wrong site."""
    other = getattr(record, field)
    if other is None or site_id is None or other.site_id == site_id:
        return
    raise Refused(
        "site_mismatch",
        gettext("%(field)s %(other)s belongs to site %(other_site)s, not to site %(site)s.")
        % {
            "field": capfirst(str(record._meta.get_field(field).verbose_name)),  # type: ignore[union-attr]
            "other": other,
            "other_site": other.site.code,
            "site": Site.objects.get(pk=site_id).code,
        },
        field=field,
    )


@transaction.atomic
def site_save(
    *, site: Site, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Site:
    """Save a site after checking its GLN.

    The second site of an installation makes everyone who worked at the first one without a
    membership (plants.selectors.user_site_ids) a member of it, so adding a plant locks no
    one out of the one they worked at.
    """
    master_data_reason_check(reason=reason)
    gln_check(gln=site.gln)
    first = Site.objects.order_by("pk").first() if site.pk is None else None
    if first is not None and Site.objects.count() == 1:
        _memberships_of_the_one_site(site=first, reason=reason, by=by)
    return master_data_save(record=site, reason=reason, by=by, fields=fields)


def _memberships_of_the_one_site(*, site: Site, reason: str, by: ChangedBy) -> None:
    users = get_user_model().objects.filter(is_superuser=False, site_memberships__isnull=True)
    for user in users:
        membership = SiteMembership(user=user, site=site)
        master_data_save(record=membership, reason=reason, by=by)


@transaction.atomic
def station_save(
    *, station: Station, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Station:
    """Save a station; its line must be on the station's site."""
    master_data_reason_check(reason=reason)
    site_scope_check(record=station, field="line", site_id=station.site_id)
    return master_data_save(record=station, reason=reason, by=by, fields=fields)


@transaction.atomic
def shift_save(
    *, shift: Shift, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Shift:
    """Save a shift; it may run past midnight (22:00-06:00) but cannot start as it ends."""
    master_data_reason_check(reason=reason)
    if shift.starts_at is not None and shift.starts_at == shift.ends_at:
        raise Refused(
            "shift_empty",
            gettext("Shift %(shift)s starts when it ends; give it a start and an end time.")
            % {"shift": shift.code},
            field="ends_at",
        )
    return master_data_save(record=shift, reason=reason, by=by, fields=fields)


@transaction.atomic
def team_save(
    *, team: Team, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Team:
    """Save a team; its shift must be on the team's site."""
    master_data_reason_check(reason=reason)
    site_scope_check(record=team, field="shift", site_id=team.site_id)
    return master_data_save(record=team, reason=reason, by=by, fields=fields)


@transaction.atomic
def operator_save(
    *, operator: Operator, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Operator:
    """Save an operator; their team must be on the operator's site."""
    master_data_reason_check(reason=reason)
    site_scope_check(record=operator, field="team", site_id=operator.site_id)
    return master_data_save(record=operator, reason=reason, by=by, fields=fields)

"""Reads of plant master data, and the sites whose data a user may see."""

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.plants.models import Operator, Site, SiteMembership


def operator_for_user(*, user: Any) -> Operator:
    """The operator a signed-in user acts as; refuse a user linked to none."""
    operator = Operator.objects.filter(user_id=user.pk).select_related("team").first()
    if operator is None:
        raise Refused(
            "no_operator",
            gettext("Your user is not linked to an operator; ask an administrator."),
        )
    return operator


def user_site_ids(*, user: Any) -> frozenset[int] | None:
    """The sites whose lots, orders and records `user` may see; None: every site.

    A superuser sees every site; anyone else the sites they are members of. Where there is
    exactly one site and the user is a member of none, the user works there: a single-site
    plant never has to manage memberships. An anonymous user sees no site. One query, kept
    on the user object for the rest of the request.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return None
    known: frozenset[int] | None = getattr(user, _MEMO, None)
    if known is None:
        member = SiteMembership.objects.filter(user_id=user.pk, site_id=OuterRef("pk"))
        sites = list(Site.objects.annotate(member=Exists(member)).values_list("pk", "member"))
        known = frozenset(pk for pk, is_member in sites if is_member)
        if not known and len(sites) == 1:
            known = frozenset([sites[0][0]])
        setattr(user, _MEMO, known)
    return known


_MEMO = "_tracelot_site_ids"

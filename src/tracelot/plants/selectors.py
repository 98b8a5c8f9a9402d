"""Reads of plant master data."""

from typing import Any

from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.plants.models import Operator


def operator_for_user(*, user: Any) -> Operator:
    """The operator a signed-in user acts as; refuse a user linked to none."""
    operator = Operator.objects.filter(user_id=user.pk).select_related("team").first()
    if operator is None:
        raise Refused(
            "no_operator",
            gettext("Your user is not linked to an operator; ask an administrator."),
        )
    return operator

"""Recording master-data changes (written by the admin in the transaction of the change)."""

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import gettext

from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core import clock
from tracelot.core.errors import Refused


def master_data_change_record(
    *,
    record: Model,
    record_id: object,
    record_text: str | None = None,
    action: ChangeAction,
    changes: dict[str, list[str]],
    reason: str,
    user: User,
    address: str | None,
) -> MasterDataChange:
    """Record who changed `record`, when, from where, what and why."""
    reason = reason.strip()
    if not reason:
        raise Refused(
            "reason_missing", gettext("Say why: every master-data change records its reason.")
        )
    return MasterDataChange.objects.create(
        changed_at=clock.now(),
        user=user,
        address=address or None,
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=False),
        object_id=str(record_id),
        object_repr=(record_text or str(record))[:200],
        action=action,
        changes=changes,
        reason=reason[:500],
    )

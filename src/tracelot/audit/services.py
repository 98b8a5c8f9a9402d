"""Saving and deleting master data: validate, write, and record who, when, from where, what
and why, in one transaction.

Every master-data write (the admin, the API, imports, the areas' own services) goes through
`master_data_save` or `master_data_delete`, so every change is recorded the same way. The
values before a change are read from the database, not from whoever asks for the change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import ManyToManyField, Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.audit.trail import trail_append
from tracelot.core import clock
from tracelot.core.errors import Refused

M = TypeVar("M", bound=Model)
# Field name → [before, after], each as text a reader knows ("" for no value).
Changes = dict[str, list[str]]


@dataclass(frozen=True)
class ChangedBy:
    """Who asks for a master-data change, and the client address it came from (None when it
    did not come over the network, e.g. a command)."""

    user: User
    address: str | None = None


def master_data_reason_check(*, reason: str) -> str:
    """`reason` stripped; refused when empty, since every change records why it was made."""
    reason = reason.strip()
    if not reason:
        raise Refused(
            "reason_missing", gettext("Say why: every master-data change records its reason.")
        )
    return reason


@transaction.atomic
def master_data_save(
    *,
    record: M,
    reason: str,
    by: ChangedBy,
    fields: Collection[str] | None = None,
    related: Mapping[str, Iterable[Model]] | None = None,
) -> M:
    """Validate and save `record` and record what changed; a save that changes nothing records
    nothing. `fields` limits a change to those fields (as `Model.save(update_fields=...)`);
    `related` sets many-to-many fields (e.g. a user's groups) in the same change."""
    reason = master_data_reason_check(reason=reason)
    related = dict(related or {})
    if record._state.adding:
        _validate(record)
        _write(record, None)
        _related_set(record, related)
        names = _compared(record)
        after = _values(record, names)
        changes = {n: ["", _text(record, n, after[n])] for n in names if _present(after[n])}
        _change_record(record, ChangeAction.ADDED, changes, reason, by)
        return record
    stored = _stored(record)
    _validate(record)
    names = _compared(record, fields=fields, many=related)
    before = _values(stored, names)
    # Texts of the values before, read now: a many-to-many field is read from the database,
    # which the save below changes.
    before_texts = {n: _text(stored, n, before[n]) for n in names}
    concrete = {f.name for f in record._meta.concrete_fields}
    _write(record, None if fields is None else [n for n in fields if n in concrete])
    _related_set(record, related)
    after = _values(record, names)
    changed = [n for n in names if before[n] != after[n]]
    if changed:
        changes = {n: [before_texts[n], _text(record, n, after[n])] for n in changed}
        _change_record(record, ChangeAction.CHANGED, changes, reason, by)
    return record


@transaction.atomic
def master_data_delete(*, record: Model, reason: str, by: ChangedBy) -> None:
    """Delete `record` and what goes with it (its cascade), recording each as it was."""
    reason = master_data_reason_check(reason=reason)
    stored = _stored(record)
    collector = Collector(using=router.db_for_write(type(record)), origin=stored)
    try:
        collector.collect([stored])
    except (ProtectedError, RestrictedError) as error:
        raise _in_use(stored, error) from error
    for doomed in _doomed(collector):
        names = _compared(doomed)
        values = _values(doomed, names)
        changes = {n: [_text(doomed, n, values[n]), ""] for n in names if _present(values[n])}
        _change_record(doomed, ChangeAction.DELETED, changes, reason, by)
    collector.delete()
    record.pk = None  # as Model.delete() leaves it


def _write(record: Model, update_fields: list[str] | None) -> None:
    try:
        with transaction.atomic():  # a savepoint, so a lost race leaves the caller usable
            record.save(update_fields=update_fields)
    except IntegrityError as error:
        # Validation passed, so another transaction wrote a clashing row meanwhile.
        raise Refused(
            "record_conflict",
            gettext("%(record)s was not saved: a change made meanwhile clashes with it. Try again.")
            % {"record": record},
        ) from error


def _related_set(record: Model, related: Mapping[str, Iterable[Model]]) -> None:
    for name, values in related.items():
        getattr(record, name).set(values)


def _stored(record: Model) -> Model:
    """The row of `record` as the database holds it, locked until the change commits."""
    stored = type(record)._base_manager.select_for_update().filter(pk=record.pk).first()
    if stored is None:
        raise Refused(
            "record_missing",
            gettext("%(record)s no longer exists; someone may have deleted it meanwhile.")
            % {"record": record},
        )
    return stored


def _validate(record: Model) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        raise master_data_refusal(record=record, error=error) from error


def master_data_refusal(*, record: Model, error: ValidationError) -> Refused:
    """A model's ValidationError as a refusal: each message after its field's name, in the
    active language, with the fields and messages in `detail`."""
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    parts = []
    for name, messages in errors.items():
        label = _label(record, name)
        for message in messages:
            parts.append(
                gettext("%(field)s: %(message)s") % {"field": label, "message": message}
                if label
                else message
            )
    fields = [name for name in errors if name != NON_FIELD_ERRORS]
    return Refused(
        "record_invalid", " ".join(parts), errors=errors, field=fields[0] if fields else None
    )


def _label(record: Model, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    try:
        return capfirst(str(record._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def _compared(
    record: Model, *, fields: Collection[str] | None = None, many: Collection[str] | None = None
) -> list[str]:
    """The fields a change compares: the concrete ones (or those in `fields`) and the
    many-to-many ones (or those in `many`). Never a password: not even its hash is recorded."""
    names = [
        f.name
        for f in record._meta.concrete_fields
        if not f.primary_key and (fields is None or f.name in fields or f.attname in fields)
    ]
    names += [f.name for f in record._meta.many_to_many if many is None or f.name in many]
    return [n for n in names if "password" not in n]


def _values(record: Model, names: list[str]) -> dict[str, Any]:
    """Comparable values: a column's value as stored, a many-to-many field's set of keys."""
    values: dict[str, Any] = {}
    for name in names:
        field = record._meta.get_field(name)
        if isinstance(field, ManyToManyField):
            values[name] = set(getattr(record, name).values_list("pk", flat=True))
        else:
            values[name] = field.value_from_object(record)  # type: ignore[union-attr]
    return values


def _present(value: Any) -> bool:
    return value not in (None, "") and value != set()


def _masked(value: str) -> str:
    """A secret as the trail keeps it: that there is one, never what it is (an address keeps
    its host and path, not its query)."""
    base = value.split("?", 1)[0] + "?" if "?" in value and "://" in value else ""
    return f"{base}••••••"


def _text(record: Model, name: str, value: Any) -> str:
    """`value` of the field `name` as a reader knows it: a related record by its name, not
    its key; a time in the plant's time zone."""
    field = record._meta.get_field(name)
    if name in getattr(record, "trail_masked", ()) and value:
        return _masked(str(value))
    if isinstance(field, ManyToManyField):
        others = field.related_model._default_manager.filter(pk__in=value)  # type: ignore[union-attr]
        return ", ".join(sorted(str(other) for other in others))
    if value is None or value == "":
        return ""
    if field.is_relation:
        return str(getattr(record, name))
    if isinstance(value, datetime) and timezone.is_aware(value):
        return str(timezone.localtime(value).replace(microsecond=0))
    return str(value)


def _doomed(collector: Collector) -> Iterator[Model]:
    """Every row a delete removes, the record first; many-to-many links are not rows of
    their own here, they are recorded as a field of the record."""
    for model, instances in collector.data.items():
        if not model._meta.auto_created:
            yield from sorted(instances, key=lambda instance: instance.pk)
    for rows in collector.fast_deletes:
        if not rows.model._meta.auto_created:
            yield from rows.order_by("pk")


def _in_use(record: Model, error: ProtectedError | RestrictedError) -> Refused:
    objects: Iterable[Model] = (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
    other = next(iter(objects), None)
    return Refused(
        "record_in_use",
        gettext("%(record)s cannot be deleted: %(kind)s %(other)s still refers to it.")
        % {
            "record": record,
            "kind": "" if other is None else str(other._meta.verbose_name),
            "other": other or "",
        },
    )


def _change_record(
    record: Model, action: ChangeAction, changes: Changes, reason: str, by: ChangedBy
) -> MasterDataChange:
    return trail_append(
        MasterDataChange(
            changed_at=clock.now(),
            user=by.user,
            address=by.address or None,
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=False),
            object_id=str(record.pk),
            object_repr=str(record)[:200],
            action=action,
            changes=changes,
            reason=reason[:500],
        )
    )

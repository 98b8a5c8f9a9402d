"""Electronic signatures: the password re-entered, the name, time and meaning, the hash of
what was signed, and the lockout after wrong passwords."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError

from tracelot.accounts.models import Meaning, Signature, SignatureFailure
from tracelot.accounts.signatures import (
    LOCKOUT_ATTEMPTS,
    signature_record,
    signature_verifies,
    signatures_for_events,
    signer_verify,
)
from tracelot.core import clock
from tracelot.core.errors import Refused

pytestmark = pytest.mark.django_db

RECORD = {"decision": "release", "lots": [{"code": "L1", "quantity": "10"}]}


@pytest.fixture
def zhang(django_user_model, quality_manager):
    user = django_user_model.objects.create_user(username="zhang.min", password="s3cret-Zhang")
    quality_manager.user = user
    quality_manager.save()
    return user


def test_a_signature_records_the_printed_name_meaning_time_and_the_hash_of_what_was_signed(zhang):
    signer = signer_verify(
        user=zhang, password="s3cret-Zhang", meaning=Meaning.APPROVED, subject="release"
    )
    signature = signature_record(signer=signer, subject="release of L1", record=RECORD)
    assert signature.printed_name == "张敏 Zhang Min"
    assert signature.meaning == Meaning.APPROVED
    assert abs(signature.signed_at - clock.now()) < timedelta(seconds=5)
    assert len(signature.content_hash) == 64
    assert signature_verifies(signature, RECORD)
    # A record changed after it was signed no longer matches its signature.
    assert not signature_verifies(signature, {**RECORD, "decision": "scrap"})


def test_a_wrong_password_signs_nothing_and_is_counted(zhang):
    with pytest.raises(Refused) as refused:
        signer_verify(user=zhang, password="guess", meaning=Meaning.APPROVED, subject="release")
    assert refused.value.code == "signature_password"
    assert f"{LOCKOUT_ATTEMPTS - 1} attempts left" in refused.value.message
    assert SignatureFailure.objects.filter(user=zhang).count() == 1
    assert not Signature.objects.exists()


def test_too_many_wrong_passwords_lock_signing_even_with_the_right_one_then_unlock(zhang):
    for _ in range(LOCKOUT_ATTEMPTS):
        with pytest.raises(Refused):
            signer_verify(user=zhang, password="guess", meaning=Meaning.APPROVED, subject="x")
    with pytest.raises(Refused) as refused:
        signer_verify(user=zhang, password="s3cret-Zhang", meaning=Meaning.APPROVED, subject="x")
    assert refused.value.code == "signature_locked"
    with time_machine.travel(clock.now() + timedelta(minutes=16)):
        assert signer_verify(
            user=zhang, password="s3cret-Zhang", meaning=Meaning.APPROVED, subject="x"
        )


def test_a_password_entered_long_ago_does_not_sign(zhang):
    signer = signer_verify(user=zhang, password="s3cret-Zhang", meaning="approved", subject="x")
    with (
        time_machine.travel(clock.now() + timedelta(minutes=5)),
        pytest.raises(Refused) as refused,
    ):
        signature_record(signer=signer, subject="x", record=RECORD)
    assert refused.value.code == "signature_stale"


def test_a_signature_cannot_be_edited_or_deleted_even_in_sql(zhang):
    signer = signer_verify(user=zhang, password="s3cret-Zhang", meaning="approved", subject="x")
    signature = signature_record(signer=signer, subject="x", record=RECORD)
    for sql in (
        "UPDATE accounts_signature SET printed_name = 'someone else'",
        "DELETE FROM accounts_signature",
    ):
        with (
            pytest.raises((DatabaseError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    signature.refresh_from_db()
    assert signature.printed_name == "张敏 Zhang Min"


def test_an_events_signatures_are_found_and_checked_against_the_lot_they_are_shown_on(zhang):
    signer = signer_verify(
        user=zhang, password="s3cret-Zhang", meaning=Meaning.APPROVED, subject="release"
    )
    signature = signature_record(signer=signer, subject="release of L1", record=RECORD)
    release = SimpleNamespace(pk=1, data={"decision": 7, "signatures": [signature.pk]})
    unsigned = SimpleNamespace(pk=2, data={})
    shown = signatures_for_events([release, unsigned], lot_code="L1")
    assert list(shown) == [1]
    assert shown[1][0].signature == signature
    assert shown[1][0].verifies
    # Shown on another lot's event, the signature does not vouch for it: it signed L1.
    assert not signatures_for_events([release], lot_code="L2")[1][0].verifies
    # An id that names no signature shows nothing rather than failing the page.
    assert (
        signatures_for_events([SimpleNamespace(pk=3, data={"signatures": [-5]})], lot_code="L1")
        == {}
    )

"""The GS1 identity of a lot: element string, HRI, Digital Link and the no-GTIN fallback."""

import datetime as dt

import pytest

from tests.factories import ItemFactory, LotFactory
from tests.labels.conftest import ais_of_digital_link
from tracelot.core.errors import Refused
from tracelot.labels.gs1 import lot_identity

pytestmark = pytest.mark.django_db


def test_the_element_string_carries_gtin_expiry_and_batch_with_the_batch_last(flour_lot):
    identity = lot_identity(lot=flour_lot)
    assert identity.element_string == "[01]09501101530003[17]261231[10]FL240101"
    assert identity.hri == "(01)09501101530003(17)261231(10)FL240101"


def test_the_digital_link_is_on_gs1s_resolver_by_default(flour_lot):
    uri = lot_identity(lot=flour_lot).digital_link
    assert uri == "https://id.gs1.org/01/09501101530003/10/FL240101?17=261231"
    assert ais_of_digital_link(uri) == {"01": "09501101530003", "10": "FL240101", "17": "261231"}


def test_the_digital_link_resolver_is_a_setting(flour_lot, settings):
    settings.TRACELOT_DIGITAL_LINK_BASE = "https://trace.example.cn/dl/"
    uri = lot_identity(lot=flour_lot).digital_link
    assert uri == "https://trace.example.cn/dl/01/09501101530003/10/FL240101?17=261231"


def test_a_lot_without_expiry_leaves_out_ai_17(flour_lot):
    flour_lot.expires_on = None
    identity = lot_identity(lot=flour_lot)
    assert identity.element_string == "[01]09501101530003[10]FL240101"
    assert identity.digital_link.endswith("/10/FL240101")


def test_the_gtin_comes_from_the_item_and_is_padded_to_14_digits():
    lot = LotFactory(item=ItemFactory(gtin="9501101530003"), gtin="", batch="B1")
    assert lot_identity(lot=lot).gtin == "09501101530003"


def test_batch_characters_are_escaped_in_the_digital_link():
    lot = LotFactory(item=ItemFactory(gtin="9501101530003"), batch="A/B%1")
    assert lot_identity(lot=lot).digital_link.endswith("/10/A%2FB%251")


def test_without_a_gtin_the_qr_holds_our_lot_code_only():
    lot = LotFactory(item=ItemFactory(gtin=""), code="RAW-0001", expires_on=dt.date(2026, 1, 1))
    identity = lot_identity(lot=lot)
    assert not identity.has_gs1
    assert identity.qr_data == "RAW-0001"


def test_a_gtin_with_a_wrong_check_digit_is_refused(english):
    lot = LotFactory(item=ItemFactory(gtin=""), gtin="09501101530004", code="X1")
    with pytest.raises(Refused) as refused:
        lot_identity(lot=lot)
    assert refused.value.code == "label_bad_gtin"
    assert "09501101530004" in refused.value.message


def test_a_batch_gs1_cannot_carry_is_refused(english):
    lot = LotFactory(item=ItemFactory(gtin="9501101530003"), batch="LOT 1")
    with pytest.raises(Refused) as refused:
        lot_identity(lot=lot)
    assert refused.value.code == "label_bad_batch"
    assert "LOT 1" in refused.value.message

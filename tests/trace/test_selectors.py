"""What a typed or scanned text names: lot codes, GS1 scans however the scanner is set, orders."""

import pytest

from tracelot.trace.selectors import lot_ids_matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def flour_lot(dough_made):
    lot = dough_made["flour"]
    lot.gtin = "06901234000122"
    lot.save()
    return lot


@pytest.mark.parametrize(
    "scan",
    [
        "(01)06901234000122(10){batch}",
        "0106901234000122172701313103025000" + "10{batch}",
        "]d20106901234000122\x1d10{batch}",
        "]d20106901234000122^10{batch}^17270131",
        "]C10106901234000122|10{batch}|17270131",
        "]Q30106901234000122~10{batch}~17270131",
        "https://id.gs1.org/01/06901234000122/10/{batch}",
    ],
)
def test_a_gs1_scan_names_its_lot_however_the_scanner_is_set(flour_lot, scan):
    assert lot_ids_matching(scan.format(batch=flour_lot.batch)) == [flour_lot.pk]


def test_a_gtin_with_a_wrong_check_digit_names_no_lot(flour_lot):
    # A misread or mistyped label: 2 is the right check digit.
    assert lot_ids_matching(f"(01)06901234000121(10){flour_lot.batch}") == []


def test_a_suppliers_gs1_label_names_the_lot_received_with_it(dough_made):
    flour = dough_made["flour"]
    flour.item.gtin = "6901234000122"
    flour.item.save()
    label = f"]d20106901234000122\x1d10{flour.supplier_lot}"
    assert lot_ids_matching(label) == [flour.pk]
    # Another product's label with the same batch is not this lot.
    assert lot_ids_matching(f"]d20109501101530003\x1d10{flour.supplier_lot}") == []


def test_plain_text_behind_a_symbology_identifier_is_read_as_plain_text(dough_made):
    dough = dough_made["dough"]
    assert lot_ids_matching(f"]Q1{dough.code}") == [dough.pk]
    assert lot_ids_matching(f"]d2{dough_made['flour'].supplier_lot}\r\n") == [
        dough_made["flour"].pk
    ]


@pytest.mark.parametrize("text", ["", "  ", "NOPE", "]Q1NOPE", "^^"])
def test_what_names_nothing_gives_no_lot(dough_made, text):
    assert lot_ids_matching(text) == []

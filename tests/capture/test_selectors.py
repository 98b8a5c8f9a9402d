"""Resolving the lot a station scan names: our code, GTIN + batch, the supplier's lot."""

import pytest

from tracelot.capture.selectors import scan_resolve_lot
from tracelot.core.errors import Refused
from tracelot.gs1.scan import scan_parse


@pytest.mark.django_db
def test_a_lot_resolves_by_our_code(flour, receive) -> None:
    lot = receive(flour)
    assert scan_resolve_lot(scan=scan_parse(text=lot.code)) == lot


@pytest.mark.django_db
def test_a_lot_resolves_by_gtin_and_batch(flour, receive) -> None:
    lot = receive(flour)
    lot.gtin = "09501101530003"
    lot.save()
    found = scan_resolve_lot(
        scan=scan_parse(text=f"]d20109501101530003^10{lot.batch}", gs_substitute="^")
    )
    assert found == lot


@pytest.mark.django_db
def test_a_lot_resolves_by_the_suppliers_lot_plain_or_in_a_gs1_label(flour, receive) -> None:
    lot = receive(flour)
    assert scan_resolve_lot(scan=scan_parse(text=lot.supplier_lot)) == lot
    label = f"010950110153000310{lot.supplier_lot}"
    assert scan_resolve_lot(scan=scan_parse(text=label)) == lot


@pytest.mark.django_db
def test_a_supplier_lot_in_several_lots_is_refused_naming_them(flour, receive) -> None:
    first, second = receive(flour), receive(flour)
    second.supplier_lot = first.supplier_lot
    second.save()
    with pytest.raises(Refused) as refused:
        scan_resolve_lot(scan=scan_parse(text=first.supplier_lot))
    assert refused.value.code == "lot_ambiguous"
    assert first.code in refused.value.message
    assert second.code in refused.value.message


@pytest.mark.django_db
def test_an_unknown_scan_is_refused(english) -> None:
    with pytest.raises(Refused) as refused:
        scan_resolve_lot(scan=scan_parse(text="NOPE-1"))
    assert refused.value.code == "lot_unknown"
    assert refused.value.message == "No lot matches NOPE-1."


@pytest.mark.django_db
def test_an_empty_scan_names_no_lot_even_where_lots_have_no_supplier_lot(dough_made) -> None:
    with pytest.raises(Refused) as refused:
        scan_resolve_lot(scan=scan_parse(text=" \r\n"))
    assert refused.value.code == "lot_unknown"


@pytest.mark.django_db
def test_an_unknown_scan_is_refused_in_chinese(chinese) -> None:
    with pytest.raises(Refused) as refused:
        scan_resolve_lot(scan=scan_parse(text="NOPE-1"))
    assert refused.value.message == "没有批次匹配 NOPE-1。"

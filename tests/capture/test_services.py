"""The station service: scans fill the bill of materials; a refused scan says why and writes
nothing to the ledger; a scan sent twice counts once; the output lot gets a code from the rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tracelot.capture.models import ScanLog
from tracelot.capture.services import bom_progress, station_output_record
from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot

pytestmark = pytest.mark.django_db

GTIN = "09501101530003"


def row_of(step, code):
    return next(row for row in bom_progress(step=step) if row.item_code == code)


def labelled(lot, gtin=GTIN):
    """Give `lot` our GS1 identity, as its printed label carries it."""
    lot.gtin = gtin
    lot.save()
    return lot


def test_a_scan_consumes_what_the_order_still_needs(scan, step, flour, receive):
    lot = receive(flour, "500")  # the order needs 0.8 x 100 = 80 kg
    answer = scan(lot.code)
    assert (answer.ok, answer.quantity) == (True, Decimal(80))
    assert answer.message == f"{lot.code}: 80 kg consumed."
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 420
    flour_row = next(row for row in answer.bom if row.item_code == "FLOUR")
    assert (flour_row.required, flour_row.consumed, flour_row.complete) == (80, 80, True)
    assert flour_row.lots == [lot.code]


def test_a_small_lot_is_consumed_whole_and_the_rest_stays_needed(scan, step, flour, receive):
    first, second = receive(flour, "50"), receive(flour, "500")
    assert scan(first.code).quantity == 50
    assert scan(second.code).quantity == 30
    assert row_of(step, "FLOUR").lots == sorted([first.code, second.code])


def test_the_quantity_on_the_label_is_what_goes_in(scan, step, flour, receive):
    lot = labelled(receive(flour, "500"))
    answer = scan(f"]d201{GTIN}10{lot.batch}\x1d3103025000")  # (3103) 25.000 kg
    assert (answer.ok, answer.quantity) == (True, Decimal(25)), answer.message


def test_a_count_on_a_label_of_a_lot_weighed_in_kg_is_not_taken_as_kilograms(
    scan, step, flour, receive
):
    lot = labelled(receive(flour, "500"))
    answer = scan(f"01{GTIN}10{lot.batch}\x1d3004")  # (30) 4 bags: not 4 kg
    assert answer.quantity == 80


def test_a_gs1_scan_with_the_stations_substitute_works(scan, step, flour, receive, station):
    lot = labelled(receive(flour, "50"))
    answer = scan(f"]d201{GTIN}10{lot.batch}~3101000100", station=station)
    assert (answer.ok, answer.quantity) == (True, Decimal(10)), answer.message
    assert ScanLog.objects.get().station == station


def test_a_substitute_given_by_the_page_overrides_the_stations(scan, flour, receive, station):
    lot = labelled(receive(flour, "50"))
    answer = scan(f"01{GTIN}10{lot.batch}^3101000100", station=station, gs_substitute="^")
    assert answer.ok, answer.message


def test_a_suppliers_lot_number_scans_too(scan, flour, receive):
    lot = receive(flour, "50")
    assert scan(lot.supplier_lot).lot == lot


def test_an_unknown_scan_is_refused_and_logged(scan, ledger_size, english):
    before = ledger_size()
    answer = scan("NOPE-1")
    assert (answer.ok, answer.code, answer.message) == (
        False,
        "lot_unknown",
        "No lot matches NOPE-1.",
    )
    assert ledger_size() == before
    log = ScanLog.objects.get()
    assert (log.result, log.code, log.lot) == ("refused", "lot_unknown", None)


@pytest.fixture
def refused_lot(request, step, flour, pork, cabbage, receive, operator):
    """A lot the dough step must refuse, made so for the reason the test names."""
    reason = request.param
    if reason == "held":
        lot = receive(flour)
        services.lot_hold(lot=lot, reason="metal detector", actor=operator, key="h")
    elif reason == "quarantined":
        lot = receive(flour, release=False)
    elif reason == "expired":
        # Released while fresh; the days since have passed its expiry.
        lot = receive(pork, expires_on=timezone.localdate() + timedelta(days=3))
        Lot.objects.filter(pk=lot.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    elif reason == "wrong material":
        lot = receive(cabbage)
    else:  # over-consumption: the flour is complete already
        services.lot_consume(
            step=step, lot=receive(flour, "80"), quantity=Decimal(80), actor=operator, key="c"
        )
        lot = receive(flour)
    lot.refresh_from_db()
    return lot


EXPLAINED = {
    "held": ("lot_on_hold", "Lot {code} is on hold: metal detector."),
    "quarantined": ("lot_in_quarantine", "Lot {code} is in quarantine and not released yet."),
    "expired": ("lot_expired", "Lot {code} expired on {expires_on}."),
    "wrong material": (
        "lot_not_on_bom",
        "Lot {code} (CABBAGE) is not on the bill of materials of Mixing.",
    ),
    "over consumption": ("over_consumption", "Flour is complete for this step: 80 kg consumed."),
}
EXPLAINED_IN_CHINESE = {
    "held": "批次 {code} 已暂扣：metal detector。",  # noqa: RUF001
    "quarantined": "批次 {code} 处于待检状态，尚未放行。",  # noqa: RUF001
    "expired": "批次 {code} 已于 {expires_on} 过期。",
    "wrong material": "批次 {code}（CABBAGE）不在 Mixing 的物料清单中。",  # noqa: RUF001
    "over consumption": "面粉在本工序已齐套：已消耗 80 kg。",  # noqa: RUF001
}


@pytest.mark.parametrize("refused_lot", list(EXPLAINED), indirect=True)
def test_a_refused_scan_says_why_and_writes_nothing(
    refused_lot, request, scan, ledger_size, english
):
    reason = request.node.callspec.id
    code, message = EXPLAINED[reason]
    before = ledger_size()
    answer = scan(refused_lot.code)
    assert (answer.ok, answer.code) == (False, code)
    assert answer.message == message.format(
        code=refused_lot.code, expires_on=refused_lot.expires_on
    )
    assert ledger_size() == before
    assert Lot.objects.get(pk=refused_lot.pk).quantity_on_hand == refused_lot.quantity_on_hand
    assert ScanLog.objects.get(code=code).result == "refused"


@pytest.mark.parametrize("refused_lot", list(EXPLAINED_IN_CHINESE), indirect=True)
def test_a_refused_scan_says_why_in_chinese(refused_lot, request, scan, ledger_size, chinese):
    reason = request.node.callspec.id
    before = ledger_size()
    answer = scan(refused_lot.code)
    assert answer.message == EXPLAINED_IN_CHINESE[reason].format(
        code=refused_lot.code, expires_on=refused_lot.expires_on
    )
    assert ledger_size() == before


def test_a_label_quantity_over_what_the_step_needs_is_refused(
    scan, flour, receive, ledger_size, english
):
    lot = labelled(receive(flour, "500"))
    before = ledger_size()
    answer = scan(f"01{GTIN}10{lot.batch}\x1d3102010000")  # 100 kg where 80 are needed
    assert (answer.ok, answer.code) == (False, "over_consumption")
    assert answer.message == "The label says 100 kg, but Flour needs only 80 kg more."
    assert ledger_size() == before


def test_a_label_quantity_over_what_the_step_needs_is_refused_in_chinese(
    scan, flour, receive, chinese
):
    lot = labelled(receive(flour, "500"))
    answer = scan(f"01{GTIN}10{lot.batch}\x1d3102010000")
    assert answer.message == "标签显示 100 kg，但面粉只需再投 80 kg。"  # noqa: RUF001


def test_an_expiry_date_on_the_label_in_the_past_is_refused(
    scan, pork, receive, ledger_size, english
):
    lot = labelled(receive(pork, "50"))
    lot.expires_on = None
    lot.save()
    before = ledger_size()
    answer = scan(f"01{GTIN}10{lot.batch}\x1d17200101")
    assert (answer.code, answer.message) == (
        "lot_expired",
        f"Lot {lot.code} expired on 2020-01-01.",
    )
    assert ledger_size() == before


def test_a_used_up_lot_is_refused_as_used_up(scan, step, flour, receive, operator, english):
    lot = receive(flour, "10")
    services.lot_consume(step=step, lot=lot, quantity=Decimal(10), actor=operator, key="c")
    answer = scan(lot.code)
    assert (answer.code, answer.message) == ("lot_used_up", f"Lot {lot.code} is used up.")


def test_the_same_scan_sent_twice_counts_once_and_answers_green_twice(scan, flour, receive):
    lot = receive(flour, "500")
    first = scan(lot.code, key="same")
    second = scan(lot.code, key="same")
    assert (first.ok, second.ok, second.quantity) == (True, True, Decimal(80))
    assert Event.objects.filter(kind=EventKind.CONSUME).count() == 1
    assert ScanLog.objects.count() == 2


def test_a_key_reused_for_another_lot_is_refused(scan, flour, pork, receive):
    scan(receive(flour, "500").code, key="same")
    answer = scan(receive(pork, "500").code, key="same")
    assert answer.code == "key_reused"
    assert Event.objects.filter(kind=EventKind.CONSUME).count() == 1


def test_a_supplier_lot_in_several_lots_is_refused_naming_them(scan, flour, receive, english):
    first, second = receive(flour), receive(flour)
    Lot.objects.filter(pk=second.pk).update(supplier_lot=first.supplier_lot)
    answer = scan(first.supplier_lot)
    assert answer.code == "lot_ambiguous"
    assert answer.message == (
        f"Supplier lot {first.supplier_lot} is in several lots: {first.code}, {second.code}. "
        "Scan our label."
    )


def test_bom_progress_takes_two_queries(
    step, flour, pork, receive, operator, django_assert_num_queries
):
    lots = [receive(flour, "30"), receive(flour, "30"), receive(pork, "30")]
    for n, lot in enumerate(lots):
        services.lot_consume(step=step, lot=lot, quantity=Decimal(5), actor=operator, key=f"c{n}")
    step.refresh_from_db()
    step.work_order  # noqa: B018 - the page has it loaded already
    with django_assert_num_queries(2):
        rows = bom_progress(step=step)
    assert [(row.item_code, row.required, row.consumed, len(row.lots)) for row in rows] == [
        ("FLOUR", 80, 10, 2),
        ("PORK", 20, 5, 1),
    ]


def test_a_reversed_consumption_no_longer_counts(step, flour, receive, operator):
    event = services.lot_consume(
        step=step, lot=receive(flour, "30"), quantity=Decimal(5), actor=operator, key="c"
    )
    services.event_reverse(event=event, reason="wrong lot", actor=operator, key="r")
    assert (row_of(step, "FLOUR").consumed, row_of(step, "FLOUR").lots) == (0, [])


def test_the_output_lot_gets_a_code_from_the_rules_and_is_made_of_its_inputs(
    scan, step, flour, receive, operator
):
    flour_lot = receive(flour, "500")
    scan(flour_lot.code)
    lot = station_output_record(step=step, quantity=Decimal(100), operator=operator, key="out")
    assert lot.code.startswith("DOUGH-")
    assert (lot.work_order, lot.quantity_on_hand) == (step.work_order, 100)
    again = station_output_record(step=step, quantity=Decimal(100), operator=operator, key="out")
    assert again.pk == lot.pk
    from tracelot.edges.models import Edge

    assert Edge.objects.filter(source=flour_lot, target=lot).exists()


@pytest.mark.parametrize(("state", "code"), [("held", "lot_on_hold"), ("expired", "lot_expired")])
def test_a_lots_own_refusal_comes_before_its_component_being_complete(
    scan, step, flour, receive, operator, ledger_size, english, state, code
):
    services.lot_consume(
        step=step, lot=receive(flour, "80"), quantity=Decimal(80), actor=operator, key="c"
    )
    lot = receive(flour)
    if state == "held":
        services.lot_hold(lot=lot, reason="metal detector", actor=operator, key="h")
    else:
        Lot.objects.filter(pk=lot.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    before = ledger_size()
    answer = scan(lot.code)
    assert (answer.ok, answer.code) == (False, code)
    assert lot.code in answer.message
    assert ledger_size() == before


def test_a_gs1_scan_whose_separator_the_station_does_not_know_says_how_to_set_it(
    scan, flour, receive, english
):
    lot = labelled(receive(flour, "50"))
    answer = scan(f"01{GTIN}10{lot.batch}^3102010000")
    assert answer.code == "lot_unknown"
    assert "seems to send ^ for the GS1 separator" in answer.message
    assert "Station settings" in answer.message


def test_a_refusal_quotes_at_most_80_characters_of_the_scan(scan, english):
    answer = scan("X" * 500)
    assert answer.code == "lot_unknown"
    assert "X" * 79 + "…" in answer.message
    assert "X" * 81 not in answer.message


@pytest.mark.parametrize("refused_lot", list(EXPLAINED), indirect=True)
def test_a_refused_scan_is_logged_in_every_language_and_read_in_the_readers(
    refused_lot, request, scan, ledger_size
):
    """An operator scans in Chinese; the quality manager reads the log in English."""
    from django.utils import translation

    reason = request.node.callspec.id
    before = ledger_size()
    with translation.override("zh-hans"):
        scan(refused_lot.code)
    assert ledger_size() == before  # asking again in English wrote nothing either
    log = ScanLog.objects.get(result="refused")
    values = {"code": refused_lot.code, "expires_on": refused_lot.expires_on}
    with translation.override("en"):
        assert log.message_for_reader == EXPLAINED[reason][1].format(**values)
    with translation.override("zh-hans"):
        assert log.message_for_reader == EXPLAINED_IN_CHINESE[reason].format(**values)

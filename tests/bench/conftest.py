"""A tiny dumpling plant for the benchmark tests: flour and pork → dough → dumplings."""

from decimal import Decimal
from itertools import count

import pytest

from tests.factories import (
    BomLineFactory,
    ItemFactory,
    LocationFactory,
    SupplierFactory,
    WorkOrderStepFactory,
)
from tracelot.edges.models import Edge
from tracelot.items.models import ItemKind
from tracelot.ledger import services
from tracelot.lots.models import Lot


@pytest.fixture
def plant(site, operator, quality_manager) -> dict[str, Lot]:
    """Two dough lots from shared flour, dumplings from both (a diamond), and a rework loop."""
    keys = (f"k{n}" for n in count())
    flour = ItemFactory(code="FLOUR", kind=ItemKind.RAW)
    pork = ItemFactory(code="PORK", kind=ItemKind.RAW)
    dough = ItemFactory(code="DOUGH", kind=ItemKind.INTERMEDIATE)
    dumpling = ItemFactory(code="DUMPLING", kind=ItemKind.FINISHED)
    BomLineFactory(parent=dough, component=flour)
    BomLineFactory(parent=dough, component=pork)
    BomLineFactory(parent=dumpling, component=dough)
    LocationFactory(site=site)
    LocationFactory(site=site)
    supplier = SupplierFactory()

    def receive(item: object) -> Lot:
        lot = services.lot_receive(
            site=site, item=item, quantity=Decimal("100"), supplier=supplier,
            supplier_lot=next(keys), actor=operator, key=next(keys),
        ).lot  # fmt: skip
        services.lot_release(lot=lot, reason="QC passed", actor=operator, key=next(keys))
        lot.refresh_from_db()
        return lot

    def step(item: object) -> object:
        return WorkOrderStepFactory(
            work_order__site=site, work_order__item=item, work_order__line__site=site,
            work_order__shift__site=site, output_item=item, responsible=quality_manager,
        )  # fmt: skip

    def make(item: object, inputs: list[Lot]) -> Lot:
        made = step(item)
        for lot in inputs:
            lot.refresh_from_db()
            services.lot_consume(
                step=made, lot=lot, quantity=Decimal("10"), actor=operator, key=next(keys)
            )
        return services.lot_produce(
            step=made,
            quantity=Decimal("20"),
            actor=operator,
            key=next(keys),
            over_bom_reason="a made-up plant: yields are not the point",
        ).lot

    lots = {"flour1": receive(flour), "flour2": receive(flour), "pork1": receive(pork)}
    lots["unused_pork"] = receive(pork)
    lots["dough1"] = make(dough, [lots["flour1"], lots["pork1"]])
    lots["dough2"] = make(dough, [lots["flour1"], lots["flour2"]])
    lots["dumpling1"] = make(dumpling, [lots["dough1"]])
    lots["dumpling2"] = make(dumpling, [lots["dough1"], lots["dough2"]])
    # Rework: a dumpling lot goes back into dough; the walks must still stop.
    Edge.objects.create(
        site=site, source=lots["dumpling2"], target=lots["dough1"], quantity=Decimal("1")
    )
    return lots

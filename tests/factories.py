"""factory_boy factories for master data, orders and lots."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tracelot.items.models import BomLine, Item, ItemKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import SalesOrder, SalesOrderLine, WorkOrder, WorkOrderStep
from tracelot.partners.models import Customer, Supplier
from tracelot.plants.models import Line, Location, Operator, Shift, Site


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = "S1"
    name = "Plant One"
    name_zh = "一厂"


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Line

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    name = factory.Sequence(lambda n: f"Line {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"WH{n}")
    name = factory.Sequence(lambda n: f"Warehouse {n}")


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = "Day"
    name_zh = "早班"
    starts_at = dt.time(6)
    ends_at = dt.time(14)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"OP{n}")
    name = factory.Sequence(lambda n: f"Operator {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"ITEM{n}")
    name = factory.Sequence(lambda n: f"Item {n}")
    kind = ItemKind.RAW
    unit = "kg"
    gtin = ""
    shelf_life_days = 365


class BomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BomLine

    parent = factory.SubFactory(ItemFactory, kind=ItemKind.INTERMEDIATE)
    component = factory.SubFactory(ItemFactory)
    quantity = Decimal("1")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    code = factory.Sequence(lambda n: f"SUP{n}")
    name = factory.Sequence(lambda n: f"Supplier {n}")
    gln = "4012345000009"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"CUS{n}")
    name = factory.Sequence(lambda n: f"Customer {n}")
    gln = "4098765000005"


class WorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrder

    site = factory.SubFactory(SiteFactory)
    number = factory.Sequence(lambda n: f"WO{n:05d}")
    item = factory.SubFactory(ItemFactory, kind=ItemKind.FINISHED)
    line = factory.SubFactory(LineFactory)
    shift = factory.SubFactory(ShiftFactory)
    planned_quantity = Decimal("100")
    ordered_on = factory.LazyFunction(timezone.localdate)


class WorkOrderStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrderStep

    work_order = factory.SubFactory(WorkOrderFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    operation = "mixing"
    name = "Mixing"
    name_zh = "和面"
    output_item = factory.SelfAttribute("work_order.item")
    responsible = factory.SubFactory(OperatorFactory)


class SalesOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesOrder
        skip_postgeneration_save = True  # the lines hook saves its own rows

    site = factory.SubFactory(SiteFactory)
    number = factory.Sequence(lambda n: f"SO{n:05d}")
    customer = factory.SubFactory(CustomerFactory)
    ordered_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def lines(self, create: bool, extracted: list[tuple[Item, object]] | None) -> None:
        """lines=[(item, quantity), ...]: what the order asks for."""
        for item, quantity in extracted or []:
            SalesOrderLine.objects.create(order=self, item=item, quantity=Decimal(str(quantity)))


class LotFactory(factory.django.DjangoModelFactory):
    """A lot row as the ledger would leave it; use ledger services when events matter."""

    class Meta:
        model = Lot

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"LOT{n:06d}")
    item = factory.SubFactory(ItemFactory)
    batch = factory.SelfAttribute("code")
    status = LotStatus.RELEASED
    quantity_on_hand = Decimal("100")
    unit = "kg"
    created_at = factory.LazyFunction(timezone.now)

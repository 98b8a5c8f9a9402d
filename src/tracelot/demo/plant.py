# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""The demo plant's master data: a frozen-dumpling factory in Shanghai, its people and partners.

Everything here is fictional (companies, people, GS1 numbers under China's 690-699 prefixes)
and the same on every build; only the history the builder generates depends on the seed.
"""

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from django.conf import settings

from tracelot.items.models import BomLine, Item, ItemKind, Unit
from tracelot.lots.models import LotRule, SequenceReset
from tracelot.lots.rules import gs1_check_digit, lot_rule_target_check, lot_template_check
from tracelot.orders.models import RoutingStep
from tracelot.partners.models import Customer, Supplier
from tracelot.plants.models import Line, Location, Operator, Shift, Site, Station, Team

SITE_CODE = "SH1"
COMPANY_PREFIX = "6954321"  # fictional GS1 company prefix under GS1 China (690-699)


def gtin14(indicator: str, reference: str) -> str:
    """A GTIN-14 with its check digit: indicator, company prefix, item reference."""
    body = indicator + COMPANY_PREFIX + reference
    return body + gs1_check_digit(digits=body)


def gln(prefix: str, reference: str) -> str:
    """A 13-digit GLN with its check digit."""
    body = prefix + reference
    return body + gs1_check_digit(digits=body)


# (code, name, name_zh, start, end)
SHIFTS = [
    ("A", "Early shift", "早班", time(6), time(14)),
    ("B", "Middle shift", "中班", time(14), time(22)),
    ("C", "Night shift", "夜班", time(22), time(6)),
]

# Six people per shift team, in station order: leader, mixing, filling, forming, freezing, packing.
TEAMS = {
    "A": ("Team A", "甲班", [
        ("Wang Fang", "王芳"), ("Li Qiang", "李强"), ("Zhang Wei", "张伟"),
        ("Liu Yang", "刘洋"), ("Chen Jing", "陈静"), ("Yang Lei", "杨磊"),
    ]),
    "B": ("Team B", "乙班", [
        ("Zhao Min", "赵敏"), ("Huang Yong", "黄勇"), ("Zhou Jie", "周杰"),
        ("Wu Xia", "吴霞"), ("Xu Bin", "徐斌"), ("Sun Li", "孙丽"),
    ]),
    "C": ("Team C", "丙班", [
        ("Ma Chao", "马超"), ("Zhu Hong", "朱红"), ("Hu Jun", "胡军"),
        ("Guo Tao", "郭涛"), ("He Juan", "何娟"), ("Gao Feng", "高峰"),
    ]),
}  # fmt: skip
QUALITY = [("Lin Hui", "林慧"), ("Luo Ting", "罗婷"), ("Zheng Kai", "郑凯")]
WAREHOUSE = [("Liang Gang", "梁刚"), ("Xie Bo", "谢波"), ("Song Ping", "宋平")]

# (operation, name, name_zh, station suffix)
OPERATIONS = [
    ("mixing", "Dough mixing", "和面", "MIX"),
    ("filling", "Filling preparation", "制馅", "FIL"),
    ("forming", "Dumpling forming", "包制成型", "FRM"),
    ("freezing", "Quick freezing", "速冻", "FRZ"),
    ("packing", "Packing", "包装", "PAK"),
]

# (code, name, name_zh)
LOCATIONS = [
    ("RAW", "Dry goods store", "原料库"),
    ("CHILL", "Chilled store 0-4 °C", "冷藏库"),
    ("PKG", "Packaging store", "包材库"),
    ("WIP-L1", "Workshop, line 1", "一线车间"),
    ("WIP-L2", "Workshop, line 2", "二线车间"),
    ("FRZ", "Finished goods cold store -18 °C", "成品冷冻库"),
    ("DSP", "Dispatch dock", "发货区"),
    ("QUA", "Quarantine cage", "隔离区"),
]


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    name_zh: str
    kind: str
    unit: str
    shelf_life_days: int
    reference: str
    location: str = ""


ITEMS = [
    ItemSpec("FLOUR", "Wheat flour", "面粉", ItemKind.RAW, Unit.KG, 365, "10001", "RAW"),
    ItemSpec("PORK", "Pork, chilled", "猪肉", ItemKind.RAW, Unit.KG, 7, "10002", "CHILL"),
    ItemSpec("CABBAGE", "Chinese cabbage", "白菜", ItemKind.RAW, Unit.KG, 10, "10003", "CHILL"),
    ItemSpec("SEASON", "Seasoning mix", "调味料", ItemKind.RAW, Unit.KG, 540, "10004", "RAW"),
    ItemSpec("FILM", "Printed packaging film", "包装膜", ItemKind.PACKAGING, Unit.M, 730,
             "10005", "PKG"),
    ItemSpec("CARTON", "Shipping carton", "纸箱", ItemKind.PACKAGING, Unit.PCS, 1095,
             "10006", "PKG"),
    ItemSpec("DOUGH", "Dumpling dough", "面团", ItemKind.INTERMEDIATE, Unit.KG, 1, "20001"),
    ItemSpec("FILLING", "Pork and cabbage filling", "馅料", ItemKind.INTERMEDIATE, Unit.KG, 1,
             "20002"),
    ItemSpec("FORMED", "Formed dumplings", "生饺子", ItemKind.INTERMEDIATE, Unit.KG, 1, "20003"),
    ItemSpec("FROZEN", "Frozen dumplings, bulk", "速冻水饺", ItemKind.INTERMEDIATE, Unit.KG, 30,
             "20004"),
    ItemSpec("DPC1K", "Pork & cabbage dumplings 1 kg bag, case of 10", "猪肉白菜水饺 1kg袋（10袋/箱）",
             ItemKind.FINISHED, Unit.CASE, 365, "30001", "FRZ"),
    ItemSpec("DPC500", "Pork & cabbage dumplings 500 g bag, case of 20",
             "猪肉白菜水饺 500g袋（20袋/箱）", ItemKind.FINISHED, Unit.CASE, 365, "30002", "FRZ"),
]  # fmt: skip
FINISHED = ("DPC1K", "DPC500")

# Per one unit of the parent. Film is metres of bag film per case.
BOM = {
    "DOUGH": [("FLOUR", "0.62")],
    "FILLING": [("PORK", "0.50"), ("CABBAGE", "0.47"), ("SEASON", "0.03")],
    "FORMED": [("DOUGH", "0.40"), ("FILLING", "0.60")],
    # A lot that fails its check is reworked in the step that made it (re-frozen, repacked):
    # the guards only let a lot into a step whose bill of materials lists it, so the rework
    # lines carry the small planned rework allowance.
    "FROZEN": [("FORMED", "1.005"), ("FROZEN", "0.01")],
    "DPC1K": [("FROZEN", "10"), ("FILM", "3.5"), ("CARTON", "1"), ("DPC1K", "0.01")],
    "DPC500": [("FROZEN", "10"), ("FILM", "5.0"), ("CARTON", "1"), ("DPC500", "0.01")],
}
# The output of each operation, for both finished items.
ROUTING_OUTPUT = {"mixing": "DOUGH", "filling": "FILLING", "forming": "FORMED",
                  "freezing": "FROZEN"}  # fmt: skip


@dataclass(frozen=True)
class SupplierSpec:
    code: str
    name: str
    name_zh: str
    item: str
    lot_style: str  # how the supplier numbers its own lots; see builder.supplier_lot


SUPPLIERS = [
    SupplierSpec("S-HDFM", "Huadong Flour Mills", "华东面粉厂", "FLOUR", "FL{yy}{mm}{dd}{letter}"),
    SupplierSpec("S-JSGY", "Jinsui Grain & Oil", "金穗粮油", "FLOUR", "JS-{yy}{julian}-{n2}"),
    SupplierSpec("S-SJMP", "Songjiang Meat Packers", "松江肉联厂", "PORK", "P{yy}{mm}-{n4}"),
    SupplierSpec("S-THPK", "Taihu Pork", "太湖肉业", "PORK", "TH{yy}{mm}{dd}{n2}"),
    SupplierSpec("S-CMVC", "Chongming Vegetable Co-op", "崇明蔬菜合作社", "CABBAGE",
                 "CM-{mm}{dd}-{n2}"),
    SupplierSpec("S-PDGF", "Pudong Green Farm", "浦东绿野农场", "CABBAGE", "GF{yy}{mm}{dd}{letter}"),
    SupplierSpec("S-XWSP", "Xianwei Seasonings", "鲜味调味品", "SEASON", "XW{yy}M{mm}{dd}-{n1}"),
    SupplierSpec("S-BWFD", "Baiwei Foods", "百味食品", "SEASON", "BW{yyyy}{n4}"),
    SupplierSpec("S-HSPK", "Huasu Packaging", "华塑包装", "FILM", "HS-{yy}-{n5}"),
    SupplierSpec("S-DFFM", "Dongfang Film", "东方薄膜", "FILM", "DF{yy}{mm}{n3}"),
    SupplierSpec("S-JNCT", "Jiangnan Carton Works", "江南纸箱厂", "CARTON", "JN{yy}{mm}{dd}-{n2}"),
    SupplierSpec("S-HDPP", "Hongda Paper Packaging", "宏达纸品", "CARTON", "HD{yy}{julian}{n3}"),
]  # fmt: skip

CUSTOMERS = [
    # (code, name, Chinese name, quality contact, language of their notices)
    ("C-LJSM", "Lianjia Supermarkets", "联家超市", "刘敏", "zh-hans"),
    ("C-HRHM", "Huirun Hypermarkets", "惠润大卖场", "周晓", "zh-hans"),
    ("C-XDFR", "Xiandao Fresh", "鲜到生鲜", "Anna Berg", "en"),
    ("C-DSFD", "Dongsheng Food Distribution", "东盛食品配送", "吴刚", "zh-hans"),
    ("C-JNFT", "Jiangnan Frozen Foods Trading", "江南冻品贸易", "Mark Ellis", "en"),
    ("C-BCCS", "Beichen Catering Supply", "北辰餐饮供应链", "郑丽", "zh-hans"),
]

LOT_RULES = [
    # (name, template, item kind ("" for the default rule))
    ("Default: item, day, count", "{item}-{yy}{mm}{dd}-{seq:4}", ""),
    ("Finished goods: item, day, line, shift, count", "{item}-{yy}{mm}{dd}{line}{shift}-{seq:3}",
     ItemKind.FINISHED),
]  # fmt: skip


@dataclass
class Plant:
    """The master data rows the builder refers to, looked up by code."""

    site: Site
    lines: list[Line]
    shifts: dict[str, Shift]
    teams: dict[str, Team]
    crews: dict[str, list[Operator]]  # shift code → team members in station order
    quality: list[Operator]
    warehouse: list[Operator]
    stations: dict[str, Station]
    locations: dict[str, Location]
    items: dict[str, Item]
    bom: dict[str, list[tuple[Item, Decimal]]]
    suppliers: dict[str, list[Supplier]]  # raw item code → its suppliers
    supplier_styles: dict[int, str]
    customers: list[Customer]
    routing: dict[str, list[RoutingStep]] = field(default_factory=dict)
    rules: dict[str, LotRule] = field(default_factory=dict)  # item kind ("" default) → rule


def _people(site: Site, team: Team, prefix: str, names: list[tuple[str, str]]) -> list[Operator]:
    return [
        Operator.objects.create(
            site=site, team=team, code=f"{prefix}{n:02d}", name=name, name_zh=name_zh
        )
        for n, (name, name_zh) in enumerate(names, start=1)
    ]


def _floor(site: Site) -> tuple[list[Line], dict[str, Station], dict[str, Location]]:
    lines, stations = [], {}
    for number, zh in ((1, "一"), (2, "二")):
        line = Line.objects.create(
            site=site, code=f"L{number}", name=f"Dumpling line {number}", name_zh=f"水饺{zh}线"
        )
        lines.append(line)
        for _operation, name, name_zh, suffix in OPERATIONS:
            code = f"L{number}-{suffix}"
            stations[code] = Station.objects.create(
                site=site, line=line, code=code, name=f"{name}, line {number}",
                name_zh=f"{zh}线{name_zh}",
            )  # fmt: skip
    for code, name, name_zh in (
        ("RCV", "Goods receiving", "收货台"),
        ("QC", "Quality lab", "质检室"),
        ("DSP", "Dispatch", "发货台"),
    ):
        stations[code] = Station.objects.create(site=site, code=code, name=name, name_zh=name_zh)
    locations = {
        code: Location.objects.create(
            site=site, code=code, name=name, name_zh=name_zh, quarantine=code == "QUA"
        )
        for code, name, name_zh in LOCATIONS
    }
    return lines, stations, locations


def _staff(site: Site) -> tuple[dict[str, Shift], dict[str, Team], dict[str, list[Operator]]]:
    shifts, teams, crews = {}, {}, {}
    for code, name, name_zh, starts, ends in SHIFTS:
        shift = Shift.objects.create(
            site=site, code=code, name=name, name_zh=name_zh, starts_at=starts, ends_at=ends
        )
        team_name, team_zh, members = TEAMS[code]
        team = Team.objects.create(
            site=site, shift=shift, code=f"T{code}", name=team_name, name_zh=team_zh
        )
        shifts[code], teams[code] = shift, team
        crews[code] = _people(site, team, code, members)
    return shifts, teams, crews


def _catalogue() -> tuple[dict[str, Item], dict[str, list[tuple[Item, Decimal]]]]:
    items = {}
    for spec in ITEMS:
        indicator = "1" if spec.kind == ItemKind.FINISHED else "0"  # a case, not a bag
        items[spec.code] = Item.objects.create(
            code=spec.code, name=spec.name, name_zh=spec.name_zh, kind=spec.kind,
            unit=spec.unit, shelf_life_days=spec.shelf_life_days,
            gtin=gtin14(indicator, spec.reference),
        )  # fmt: skip
    bom = {}
    for parent, components in BOM.items():
        bom[parent] = [(items[code], Decimal(quantity)) for code, quantity in components]
        BomLine.objects.bulk_create(
            BomLine(parent=items[parent], component=item, quantity=quantity)
            for item, quantity in bom[parent]
        )
    return items, bom


def _routing(items: dict[str, Item], crew: list[Operator]) -> dict[str, list[RoutingStep]]:
    routing = {}
    for code in FINISHED:
        steps = []
        for sequence, (operation, name, name_zh, _suffix) in enumerate(OPERATIONS, start=1):
            output = items[ROUTING_OUTPUT.get(operation, code)]
            steps.append(
                RoutingStep.objects.create(
                    item=items[code],
                    sequence=sequence * 10,
                    operation=operation,
                    name=name,
                    name_zh=name_zh,
                    output_item=output,
                    responsible=step_responsible(crew, sequence),
                )
            )
        routing[code] = steps
    return routing


def step_responsible(crew: list[Operator], sequence: int) -> Operator:
    """Who answers for a step: its station's operator, and the team leader for packing."""
    return crew[0] if sequence == len(OPERATIONS) else crew[sequence]


def plant_create() -> Plant:
    """Create the demo plant's master data (the caller holds the transaction)."""
    site = Site.objects.create(
        code=SITE_CODE,
        name="Shanghai Plant 1",
        name_zh="上海一厂",
        gln=gln(COMPANY_PREFIX, "00001"),
    )
    lines, stations, locations = _floor(site)
    shifts, teams, crews = _staff(site)
    quality_team = Team.objects.create(site=site, code="QA", name="Quality", name_zh="质检组")
    store_team = Team.objects.create(site=site, code="WH", name="Warehouse", name_zh="仓储组")
    items, bom = _catalogue()
    suppliers: dict[str, list[Supplier]] = {}
    styles = {}
    for number, spec in enumerate(SUPPLIERS, start=1):
        supplier = Supplier.objects.create(
            code=spec.code, name=spec.name, name_zh=spec.name_zh,
            gln=gln("69" + f"{number:02d}" + "765", "00001"),
        )  # fmt: skip
        suppliers.setdefault(spec.item, []).append(supplier)
        styles[supplier.pk] = spec.lot_style
    customers = [
        Customer.objects.create(
            code=code,
            name=name,
            name_zh=name_zh,
            gln=gln("69" + f"{n:02d}" + "888", "00001"),
            contact_name=contact,
            language=language,
            email=f"quality@{code[2:].lower()}.example.com",
        )
        for n, (code, name, name_zh, contact, language) in enumerate(CUSTOMERS, start=1)
    ]
    plant = Plant(
        site=site, lines=lines, shifts=shifts, teams=teams, crews=crews,
        quality=_people(site, quality_team, "QA", QUALITY),
        warehouse=_people(site, store_team, "WH", WAREHOUSE),
        stations=stations, locations=locations, items=items, bom=bom, suppliers=suppliers,
        supplier_styles=styles, customers=customers,
    )  # fmt: skip
    plant.routing = _routing(items, crews["A"])
    # Written as rows like the rest of the plant (a fresh database has no user to record
    # master-data changes under), after the same checks `lots.services.lot_rule_save` makes.
    for name, template, kind in LOT_RULES:
        lot_template_check(template=template, reset=SequenceReset.DAILY)
        lot_rule_target_check(has_item=False, item_kind=kind, is_default=not kind)
        plant.rules[kind] = LotRule.objects.create(
            name=name, template=template, reset=SequenceReset.DAILY, item_kind=kind,
            is_default=not kind,
        )  # fmt: skip
    return plant


def said(text: Any) -> Any:
    """What a person of the plant types, in the plant's language (TRACELOT_LANGUAGE).

    The demo's reasons and findings are written here as "English / 中文"; people write one
    language, so the ledger gets one: a page never shows a user an "A / B" string.
    """
    if not isinstance(text, str) or " / " not in text:
        return text
    english, chinese = text.split(" / ", 1)
    return chinese if settings.LANGUAGE_CODE.lower().startswith("zh") else english

"""Template parsing, validation and rendering, GS1 check digits and period keys."""

from datetime import date

import pytest

from tracelot.core.errors import Refused
from tracelot.lots.rules import (
    code_fits_gs1_batch,
    gs1_check_digit,
    lot_template_check,
    period_key,
    template_parse,
    template_render,
    template_scope,
)

VALUES = {
    "item": "FLOUR",
    "kind": "raw",
    "site": "S1",
    "line": "L2",
    "shift": "A",
    "order": "WO00042",
}

# (template, reset, the token the message must name, its position or None)
INVALID = [
    ("{lot}-{seq:4}", "never", "{lot}", 1),
    ("X-{}-{seq:4}", "never", "{}", 3),
    ("{item}-{seq:4}-{ITEM}", "never", "{ITEM}", 16),
    ("{item:3}-{seq:4}", "never", "{item:3}", 1),
    ("{item}-{seq:4", "never", "{seq:4", 8),
    ("{item{seq:4}", "never", "{item", 1),
    ("{item}}-{seq:4}", "never", "}", 7),
    ("{item}-{yy}", "never", "{seq:N}", None),
    ("{item}-{seq:4}-{seq:2}", "never", "{seq:2}", 16),
    ("{item}-{seq}", "never", "{seq}", 8),
    ("{item}-{seq:0}", "never", "{seq:0}", 8),
    ("{item}-{seq:x}", "never", "{seq:x}", 8),
    ("{item}-{seq:19}", "never", "{seq:19}", 8),
    ("{check}{item}-{seq:4}", "never", "{check}", 1),
    ("{item}-{seq:4}{check}{check}", "never", "{check}", 15),
    ("{item}-{mm}{dd}-{seq:4}", "daily", "{yyyy}/{yy}", None),
    ("{item}-{yy}{mm}-{seq:4}", "daily", "{mm}+{dd}/{julian}", None),
    ("{item}-{yy}{dd}-{seq:4}", "daily", "{mm}+{dd}/{julian}", None),
    ("{item}-{yyyy}-{seq:4}", "monthly", "{mm}/{julian}", None),
    ("{item}-{mm}-{seq:4}", "yearly", "{yyyy}/{yy}", None),
]


def _refusal(template: str, reset: str) -> Refused:
    with pytest.raises(Refused) as caught:
        lot_template_check(template=template, reset=reset)
    assert caught.value.code == "lot_rule_invalid"
    return caught.value


@pytest.mark.parametrize(("template", "reset", "token", "position"), INVALID)
def test_an_invalid_template_is_refused_naming_the_bad_token(
    english, template, reset, token, position
):
    refusal = _refusal(template, reset)
    assert refusal.detail == {"token": token, "position": position}
    assert token in refusal.message
    if position is not None:
        assert f"at position {position}" in refusal.message


@pytest.mark.parametrize(("template", "reset", "token", "position"), INVALID)
def test_an_invalid_template_is_refused_naming_the_bad_token_in_chinese(
    chinese, template, reset, token, position
):
    refusal = _refusal(template, reset)
    assert token in refusal.message
    if position is not None:
        assert f"位置 {position} 处" in refusal.message
    else:
        assert "模板" in refusal.message


def test_an_unknown_reset_period_is_refused(english):
    refusal = _refusal("{seq:4}", "weekly")
    assert refusal.message == "Unknown sequence reset weekly"


def test_an_unknown_reset_period_is_refused_in_chinese(chinese):
    assert _refusal("{seq:4}", "weekly").message == "未知的序号重置周期 weekly"


def test_the_messages_read_as_written(english):
    assert _refusal("{lot}-{seq:4}", "never").message == "Unknown token {lot} at position 1"
    assert _refusal("{item}-{mm}-{seq:4}", "yearly").message == (
        "A yearly sequence reset needs {yyyy}/{yy} in the template, "
        "or codes would repeat from one period to the next"
    )


def test_the_messages_read_as_written_in_chinese(chinese):
    assert _refusal("{lot}-{seq:4}", "never").message == "位置 1 处的标记 {lot} 无法识别"
    message = _refusal("{seq:4}-{seq:4}", "never").message
    assert message.startswith("位置 9 处出现第二个序号标记 {seq:4}")
    assert message.endswith("模板只能有一个序号标记")


@pytest.mark.parametrize(
    ("template", "reset"),
    [
        ("{seq:1}", "never"),
        ("{item}-{yy}{mm}{dd}-{seq:4}", "daily"),
        ("{item}{yyyy}{julian}{seq:4}", "daily"),
        ("{yy}{julian}-{seq:4}", "monthly"),
        ("{yyyy}{mm}-{seq:4}", "monthly"),
        ("{yy}-{seq:4}", "yearly"),
        ("{site}{line}{shift}-{order}-{kind}-{seq:4}{check}", "never"),
        ("LOT {item} / {seq:18}{check} end", "never"),
    ],
)
def test_a_valid_template_passes(template, reset):
    lot_template_check(template=template, reset=reset)


def _render(template: str, on: date, sequence: int) -> str:
    return template_render(
        parts=template_parse(template=template), values=VALUES, on=on, sequence=sequence
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{item}", "FLOUR"),
        ("{kind}", "raw"),
        ("{site}", "S1"),
        ("{line}", "L2"),
        ("{shift}", "A"),
        ("{order}", "WO00042"),
        ("{yyyy}", "2024"),
        ("{yy}", "24"),
        ("{mm}", "03"),
        ("{dd}", "07"),
        ("{julian}", "067"),
        ("{seq:1}", "42"),
        ("{seq:5}", "00042"),
        ("x{seq:3}", "x042"),
        ("literal text #", "literal text #"),
    ],
)
def test_every_token_renders(template, expected):
    assert _render(template, date(2024, 3, 7), 42) == expected


def test_julian_day_counts_the_days_of_the_year():
    assert _render("{julian}", date(2025, 1, 5), 1) == "005"
    assert _render("{julian}", date(2024, 12, 31), 1) == "366"
    assert _render("{julian}", date(2025, 12, 31), 1) == "365"


def test_a_sequence_past_its_width_grows_instead_of_wrapping():
    assert _render("{seq:2}", date(2025, 1, 1), 123) == "123"


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("400638133393", "1"),  # GTIN-13 4006381333931
        ("950110153100", "0"),  # GTIN-13 9501101531000
        ("9501234", "6"),  # GTIN-8 95012346
        ("03600029145", "2"),  # UPC-A 036000291452
        ("0061414100041", "8"),  # GTIN-14 00614141000418
        ("10614141123456789", "7"),  # SSCC 106141411234567897
        ("37610425002123456", "9"),  # SSCC 376104250021234569
    ],
)
def test_the_check_digit_is_gs1_mod_10(digits, check):
    assert gs1_check_digit(digits=digits) == check


def test_the_check_token_covers_the_digits_before_it_and_skips_letters():
    assert _render("{seq:12}{check}", date(2025, 1, 1), 400638133393) == "4006381333931"
    # Letters and separators are left out: the digits are 4006381333 93.
    assert _render("A4006-381333{seq:2}{check}", date(2025, 1, 1), 93) == "A4006-381333931"


def test_literal_text_after_the_check_token_is_kept():
    assert _render("{seq:3}{check}-X", date(2025, 1, 1), 1) == "0017-X"


@pytest.mark.parametrize(
    ("reset", "key"),
    [("never", ""), ("yearly", "2025"), ("monthly", "2025-03"), ("daily", "2025-03-04")],
)
def test_the_period_key_follows_the_reset(reset, key):
    assert period_key(reset=reset, on=date(2025, 3, 4)) == key


def test_the_scope_keeps_values_and_leaves_dates_as_tokens():
    parts = template_parse(template="{item}-{yy}{julian}-{seq:4}{check}")
    assert template_scope(parts=parts, values=VALUES) == "FLOUR-{yy}{julian}-{seq}"


@pytest.mark.parametrize(
    ("code", "fits"),
    [
        ("FLOUR-250314-0001", True),
        ("A!%&'()*+,-./:;<=>?_z", False),  # 21 characters
        ("A!%&'()*+,-./:;<=>?_", True),
        ("12345678901234567890", True),
        ("123456789012345678901", False),
        ("", False),
        ("LOT 1", False),  # space is not in set 82
        ("LOT#1", False),
        ("批次1", False),
    ],
)
def test_a_code_fits_a_gs1_batch_only_within_set_82_and_20_characters(code, fits):
    assert code_fits_gs1_batch(code=code) is fits

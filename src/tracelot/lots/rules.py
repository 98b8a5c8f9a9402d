"""Lot-number templates: parsing, validation, rendering, GS1 check digits and period keys.

Pure functions with no database access; `tracelot.lots.services` stores and counts.

Template syntax: literal text is copied; tokens are `{item}` `{kind}` `{site}` `{line}`
`{yyyy}` `{yy}` `{mm}` `{dd}` `{julian}` `{shift}` `{order}` `{seq:N}` `{check}`. Braces
are always tokens (there is no escape), so a literal brace is refused as unbalanced.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from biip.checksums import gs1_standard_check_digit
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.lots.models import SequenceReset

# The longest code a Lot row holds (Lot.code max_length).
LOT_CODE_MAX_LENGTH = 60
SEQUENCE_MAX_WIDTH = 18
# LotSequence.scope max_length; a longer scope is stored as a digest.
SCOPE_MAX_LENGTH = 120

VALUE_TOKENS = ("item", "kind", "site", "line", "shift", "order")
DATE_TOKENS = ("yyyy", "yy", "mm", "dd", "julian")
SEQ = "seq"
CHECK = "check"

_ASCII_DIGITS = frozenset("0123456789")
_SEQ_PATTERN = re.compile(r"seq:(\d+)")
# GS1 AI (10) batch/lot: up to 20 characters of GS1 AI encodable character set 82.
# biip ships the pattern from the GS1 syntax dictionary; anchor it to the data part.
_GS1_BATCH_AI = GS1ApplicationIdentifier.extract("10")


@dataclass(frozen=True)
class Part:
    """One piece of a parsed template: literal text (`token` empty) or a token."""

    text: str
    position: int  # 1-based character position in the template
    token: str = ""
    width: int = 0

    @property
    def is_literal(self) -> bool:
        return not self.token


def _invalid(message: str, token: str, position: int | None) -> Refused:
    return Refused("lot_rule_invalid", message, token=token, position=position)


def _token(text: str, position: int, seen_seq: bool) -> Part:
    name = text[1:-1]
    if name in VALUE_TOKENS or name in DATE_TOKENS or name == CHECK:
        return Part(text=text, position=position, token=name)
    if name == SEQ or name.startswith(SEQ + ":"):
        if seen_seq:
            message = gettext(
                "Second sequence token %(token)s at position %(position)s; "
                "a template has exactly one"
            )
            raise _invalid(message % {"token": text, "position": position}, text, position)
        match = _SEQ_PATTERN.fullmatch(name)
        width = int(match.group(1)) if match else 0
        if not 1 <= width <= SEQUENCE_MAX_WIDTH:
            message = gettext(
                "Bad sequence width in %(token)s at position %(position)s: "
                "write {seq:N} with N a whole number from 1 to %(maximum)s"
            )
            raise _invalid(
                message % {"token": text, "position": position, "maximum": SEQUENCE_MAX_WIDTH},
                text,
                position,
            )
        return Part(text=text, position=position, token=SEQ, width=width)
    message = gettext("Unknown token %(token)s at position %(position)s")
    raise _invalid(message % {"token": text, "position": position}, text, position)


def template_parse(*, template: str) -> list[Part]:
    """Split `template` into literal and token parts; refuse a malformed token."""
    parts: list[Part] = []
    index = 0
    seen_seq = False
    while index < len(template):
        opening = template.find("{", index)
        closing = template.find("}", index)
        if closing != -1 and (opening == -1 or closing < opening):
            message = gettext("Unmatched closing brace %(token)s at position %(position)s")
            raise _invalid(message % {"token": "}", "position": closing + 1}, "}", closing + 1)
        if opening == -1:
            parts.append(Part(text=template[index:], position=index + 1))
            break
        if opening > index:
            parts.append(Part(text=template[index:opening], position=index + 1))
        nested = template.find("{", opening + 1)
        if closing == -1 or (nested != -1 and nested < closing):
            # Name the fragment up to the next opening brace, or to the end: "{a" of "{a{seq:4}".
            end = nested if nested != -1 else len(template)
            text = template[opening:end]
            message = gettext("Unclosed brace in %(token)s at position %(position)s")
            raise _invalid(message % {"token": text, "position": opening + 1}, text, opening + 1)
        part = _token(template[opening : closing + 1], opening + 1, seen_seq)
        seen_seq = seen_seq or part.token == SEQ
        parts.append(part)
        index = closing + 1
    return parts


def _check_structure(parts: list[Part]) -> None:
    tokens = [part for part in parts if not part.is_literal]
    if not any(part.token == SEQ for part in tokens):
        message = gettext("The template needs one sequence token %(token)s")
        raise _invalid(message % {"token": "{seq:N}"}, "{seq:N}", None)
    for index, part in enumerate(tokens):
        if part.token == CHECK and index != len(tokens) - 1:
            message = gettext("Token %(token)s at position %(position)s must be the last token")
            raise _invalid(
                message % {"token": part.text, "position": part.position},
                part.text,
                part.position,
            )


def _required_date_tokens(reset: str) -> list[tuple[str, set[str]]]:
    """For each date part the reset period needs: its name and the tokens that supply it."""
    year = ("{yyyy}/{yy}", {"yyyy", "yy"})
    # A day of the year fixes the month and the day, so {julian} serves for either.
    month = ("{mm}/{julian}", {"mm", "julian"})
    day = ("{mm}+{dd}/{julian}", {"julian"})
    return {
        SequenceReset.NEVER: [],
        SequenceReset.YEARLY: [year],
        SequenceReset.MONTHLY: [year, month],
        SequenceReset.DAILY: [year, day],
    }[SequenceReset(reset)]


def _check_reset(parts: list[Part], reset: str) -> None:
    if reset not in SequenceReset.values:
        message = gettext("Unknown sequence reset %(reset)s")
        raise Refused("lot_rule_invalid", message % {"reset": reset}, token="", position=None)
    used = {part.token for part in parts}
    if {"mm", "dd"} <= used:
        used.add("julian")  # month and day together name the day as well as {julian} does
    for token, supplying in _required_date_tokens(reset):
        if not used & supplying:
            # A period that resets the count must show in the code, or day 2's first lot
            # gets the same code as day 1's.
            message = gettext(
                "A %(reset)s sequence reset needs %(token)s in the template, "
                "or codes would repeat from one period to the next"
            )
            label = SequenceReset(reset).label
            raise _invalid(message % {"reset": label, "token": token}, token, None)


def lot_template_check(*, template: str, reset: str) -> None:
    """Refuse (code "lot_rule_invalid") a template that cannot number lots under `reset`."""
    parts = template_parse(template=template)
    _check_structure(parts)
    _check_reset(parts, reset)


def lot_rule_target_check(*, has_item: bool, item_kind: str, is_default: bool) -> None:
    """Refuse a rule that does not apply to exactly one of: an item, an item kind, the default."""
    if sum((has_item, bool(item_kind), is_default)) != 1:
        message = gettext("A rule applies to exactly one of: an item, an item kind, or the default")
        raise Refused("lot_rule_invalid", message, token="", position=None)


def gs1_check_digit(*, digits: str) -> str:
    """The GS1 mod-10 check digit (GS1 General Specifications 7.9.1) over `digits`."""
    return str(gs1_standard_check_digit(digits or "0"))


def period_key(*, reset: str, on: date) -> str:
    """The reset period `on` falls in: "" (never), "2025", "2025-03" or "2025-03-14"."""
    return {
        SequenceReset.NEVER: "",
        SequenceReset.YEARLY: f"{on:%Y}",
        SequenceReset.MONTHLY: f"{on:%Y-%m}",
        SequenceReset.DAILY: on.isoformat(),
    }[SequenceReset(reset)]


def _date_values(on: date) -> dict[str, str]:
    return {
        "yyyy": f"{on:%Y}",
        "yy": f"{on:%y}",
        "mm": f"{on:%m}",
        "dd": f"{on:%d}",
        "julian": f"{on.timetuple().tm_yday:03d}",
    }


def _value(part: Part, values: dict[str, str]) -> str:
    value = values.get(part.token, "")
    if not value:
        message = gettext(
            "Token %(token)s at position %(position)s needs a value, but none was given"
        )
        raise Refused(
            "lot_rule_value_missing",
            message % {"token": part.text, "position": part.position},
            token=part.text,
            position=part.position,
        )
    return value


def template_scope(*, parts: list[Part], values: dict[str, str]) -> str:
    """The text around the sequence that keeps its own count, with date tokens left as tokens.

    Dates stay out of the scope so the rule's reset period, not the template's date parts,
    decides when the count starts again (a "never" rule with {yy} keeps counting on Jan 1).
    """
    pieces = []
    for part in parts:
        if part.is_literal or part.token in DATE_TOKENS:
            pieces.append(part.text)
        elif part.token == SEQ:
            pieces.append("{seq}")
        elif part.token != CHECK:
            pieces.append(_value(part, values))
    scope = "".join(pieces)
    if len(scope) > SCOPE_MAX_LENGTH:
        scope = "sha256:" + hashlib.sha256(scope.encode()).hexdigest()
    return scope


def template_render(*, parts: list[Part], values: dict[str, str], on: date, sequence: int) -> str:
    """Render one lot code; `values` maps value tokens (item, site, ...) to their codes."""
    dates = _date_values(on)
    rendered: list[str] = []
    for part in parts:
        if part.is_literal:
            rendered.append(part.text)
        elif part.token in DATE_TOKENS:
            rendered.append(dates[part.token])
        elif part.token == SEQ:
            rendered.append(str(sequence).zfill(part.width))
        elif part.token == CHECK:
            prefix = "".join(rendered)
            rendered.append(
                gs1_check_digit(digits="".join(c for c in prefix if c in _ASCII_DIGITS))
            )
        else:
            rendered.append(_value(part, values))
    return "".join(rendered)


def code_fits_gs1_batch(*, code: str) -> bool:
    """Whether `code` can be carried as a GS1 batch/lot (AI 10): 1-20 characters of set 82."""
    return re.fullmatch(_GS1_BATCH_AI.pattern, _GS1_BATCH_AI.ai + code) is not None

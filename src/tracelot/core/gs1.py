"""GS1 numbers that master data carries (GLN, GTIN): checked before they are saved."""

from biip.checksums import gs1_standard_check_digit
from django.utils.translation import gettext

from tracelot.core.errors import Refused

GTIN_LENGTHS = (8, 12, 13, 14)
GLN_LENGTH = 13


def _check_digit_wrong(number: str) -> str:
    """The check digit `number` should end in, or "" when it ends in it."""
    expected = str(gs1_standard_check_digit(number[:-1]))
    return "" if number[-1] == expected else expected


def gln_check(*, gln: str) -> None:
    """Refuse a GLN that is not 13 digits ending in their GS1 check digit; "" is allowed."""
    if not gln:
        return
    if len(gln) != GLN_LENGTH or not gln.isascii() or not gln.isdigit():
        raise Refused(
            "gln_invalid",
            gettext("A GLN has 13 digits; %(gln)s does not.") % {"gln": gln},
            field="gln",
        )
    expected = _check_digit_wrong(gln)
    if expected:
        raise Refused(
            "gln_check_digit",
            gettext("GLN %(gln)s has a wrong check digit: it should end in %(digit)s.")
            % {"gln": gln, "digit": expected},
            field="gln",
        )


def gtin_check(*, gtin: str) -> None:
    """Refuse a GTIN that is not 8, 12, 13 or 14 digits ending in their check digit."""
    if not gtin:
        return
    if len(gtin) not in GTIN_LENGTHS or not gtin.isascii() or not gtin.isdigit():
        raise Refused("gtin_invalid", gettext("A GTIN has 8, 12, 13 or 14 digits."), field="gtin")
    expected = _check_digit_wrong(gtin)
    if expected:
        raise Refused(
            "gtin_check_digit",
            gettext("GTIN %(gtin)s has a wrong check digit: it should end in %(digit)s.")
            % {"gtin": gtin, "digit": expected},
            field="gtin",
        )

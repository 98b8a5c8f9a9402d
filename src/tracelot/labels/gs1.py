"""The GS1 identity a lot label carries: element string, HRI text and Digital Link URI."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from biip import ParseError
from biip.gtin import Gtin
from django.conf import settings
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.lots.models import Lot
from tracelot.lots.rules import code_fits_gs1_batch


@dataclass(frozen=True)
class LotIdentity:
    """What a label encodes for one lot; `gtin` is empty when the item has none."""

    lot_code: str
    gtin: str
    batch: str
    expires_on: date | None

    @property
    def has_gs1(self) -> bool:
        return bool(self.gtin)

    def _elements(self) -> list[tuple[str, str]]:
        # Fixed-length AIs first and the variable-length batch last, so no FNC1 separator is
        # needed inside the symbol (GS1 General Specifications 5.4.7.5).
        elements = [("01", self.gtin)]
        if self.expires_on is not None:
            elements.append(("17", self.expires_on.strftime("%y%m%d")))
        elements.append(("10", self.batch))
        return elements

    @property
    def element_string(self) -> str:
        """The element string in zint's GS1 input syntax: `[01]…[17]…[10]…`."""
        return "".join(f"[{ai}]{value}" for ai, value in self._elements())

    @property
    def hri(self) -> str:
        """The human-readable interpretation printed under the symbol: `(01)…(17)…(10)…`."""
        return "".join(f"({ai}){value}" for ai, value in self._elements())

    @property
    def digital_link(self) -> str:
        """The GS1 Digital Link URI on the configured resolver."""
        base = settings.TRACELOT_DIGITAL_LINK_BASE.rstrip("/")
        uri = f"{base}/01/{self.gtin}/10/{quote(self.batch, safe='')}"
        if self.expires_on is not None:
            uri += f"?17={self.expires_on.strftime('%y%m%d')}"
        return uri

    @property
    def qr_data(self) -> str:
        """The QR code's content: the Digital Link, or our bare lot code when there is no GTIN."""
        return self.digital_link if self.has_gs1 else self.lot_code


def lot_identity(*, lot: Lot) -> LotIdentity:
    """Return the GS1 identity of `lot`; a GTIN or batch GS1 cannot carry is refused."""
    raw_gtin = lot.gtin or lot.item.gtin
    gtin = ""
    if raw_gtin:
        try:
            gtin = Gtin.parse(raw_gtin).as_gtin_14()
        except ParseError as error:
            raise Refused(
                "label_bad_gtin",
                gettext("Lot %(code)s has an invalid GTIN %(gtin)s.")
                % {"code": lot.code, "gtin": raw_gtin},
            ) from error
        if not code_fits_gs1_batch(code=lot.batch):
            raise Refused(
                "label_bad_batch",
                gettext(
                    "The batch %(batch)s of lot %(code)s cannot be put in a GS1 barcode: "
                    "it must be 1 to 20 letters, digits or GS1 punctuation, without spaces."
                )
                % {"batch": lot.batch, "code": lot.code},
            )
    return LotIdentity(lot_code=lot.code, gtin=gtin, batch=lot.batch, expires_on=lot.expires_on)

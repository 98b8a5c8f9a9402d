"""GS1 DataMatrix, GS1-128 and QR symbols drawn by zint, as PNG bytes or vector rectangles."""

from dataclasses import dataclass
from enum import StrEnum

import zint


class SymbolKind(StrEnum):
    DATAMATRIX = "datamatrix"
    GS1_128 = "gs1-128"
    QR = "qr"


@dataclass(frozen=True)
class SymbolShape:
    """A symbol as dark rectangles `(x, y, width, height)` in a `width` x `height` box."""

    width: float
    height: float
    rectangles: tuple[tuple[float, float, float, float], ...]


def _encode(*, kind: SymbolKind, data: str) -> zint.Symbol:
    symbol = zint.Symbol()
    # A warning (a bad GS1 check digit, say) would still draw a symbol: make it an error.
    symbol.warn_level = zint.WarningLevel.FAIL_ALL
    symbol.show_text = False
    if kind is SymbolKind.DATAMATRIX:
        symbol.symbology = zint.Symbology.DATAMATRIX
        symbol.input_mode = zint.InputMode.GS1  # `[01]…` input; zint adds FNC1 and separators
        symbol.option_3 = zint.DataMatrixOptions.SQUARE
    elif kind is SymbolKind.GS1_128:
        symbol.symbology = zint.Symbology.GS1_128
        symbol.input_mode = zint.InputMode.GS1
        symbol.height = 50  # in X-dimensions: 12.5 mm at X = 0.25 mm, as GS1 logistic labels
    else:
        symbol.symbology = zint.Symbology.QRCODE
        symbol.input_mode = zint.InputMode.UNICODE
        symbol.option_1 = 2  # error correction level M
        if not data.isascii():
            symbol.eci = 26  # UTF-8, so a reader does not guess Shift JIS for Chinese text
    try:
        symbol.encode(data)
    except RuntimeError as error:
        raise ValueError(f"zint cannot encode {data!r} as {kind}: {error}") from error
    if symbol.errtxt:
        raise ValueError(f"zint cannot encode {data!r} as {kind}: {symbol.errtxt}")
    return symbol


def symbol_shape(*, kind: SymbolKind, data: str) -> SymbolShape:
    """Return the symbol for `data` as vector rectangles, to draw at any size."""
    symbol = _encode(kind=kind, data=data)
    symbol.buffer_vector()
    vector = symbol.vector
    rectangles = tuple((r.x, r.y, r.width, r.height) for r in vector.rectangles)
    return SymbolShape(width=vector.width, height=vector.height, rectangles=rectangles)


def symbol_png(*, kind: SymbolKind, data: str, module_pixels: int = 8) -> bytes:
    """Return the symbol for `data` as a PNG with quiet zones, `module_pixels` per module."""
    symbol = _encode(kind=kind, data=data)
    symbol.output_options = (
        zint.OutputOptions.BARCODE_MEMORY_FILE | zint.OutputOptions.BARCODE_QUIET_ZONES
    )
    symbol.outfile = "symbol.png"  # only the extension counts with BARCODE_MEMORY_FILE
    symbol.scale = module_pixels / 2  # zint's raster scale 1 is two pixels per module
    symbol.print()
    if symbol.memfile is None:
        raise ValueError(f"zint wrote no PNG for {data!r}: {symbol.errtxt}")
    return bytes(symbol.memfile)

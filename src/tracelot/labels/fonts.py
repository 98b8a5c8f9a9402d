"""Finding a font with the Chinese glyphs every PDF of the product embeds."""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext
from fontTools.ttLib import TTCollection

from tracelot.core.errors import Refused

# Debian's fonts-noto-cjk puts the collection here; the .otf names are other distributions'
# single-font packaging of the same Noto Sans CJK SC.
CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)
FAMILY_IN_COLLECTION = "Noto Sans CJK SC"


@dataclass(frozen=True)
class CjkFont:
    """A font file and, for a .ttc collection, which font in it to use."""

    path: Path
    index: int


@functools.cache
def _collection_index(path: Path) -> int:
    # The .ttc holds the JP, KR, SC, TC and HK cuts; pick SC by name, not by position.
    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1) == FAMILY_IN_COLLECTION:
                return index
    finally:
        collection.close()
    return 0


def cjk_font() -> CjkFont:
    """Return the CJK font to embed; refuse when none is installed rather than drop glyphs."""
    configured = settings.TRACELOT_LABEL_FONT
    paths = (Path(configured),) if configured else CANDIDATES
    for path in paths:
        if path.is_file():
            index = _collection_index(path) if path.suffix.lower() == ".ttc" else 0
            return CjkFont(path=path, index=index)
    raise Refused(
        "label_font_missing",
        gettext(
            "No font with Chinese characters is installed, so no PDF can be made. "
            "Ask the administrator to install the Debian package fonts-noto-cjk."
        ),
        searched=[str(path) for path in paths],
    )

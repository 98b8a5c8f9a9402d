"""Text that comes from outside (a scanner, a form, a file): what it may hold."""

# Tabs and line breaks are typed into reasons; every other control character (NUL, the GS a
# wedge scanner sends, escape sequences) is not text a person meant to store.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def has_control_characters(text: str, *, allowed: frozenset[str] = ALLOWED_CONTROLS) -> bool:
    return any((ord(c) < 32 or 127 <= ord(c) < 160) and c not in allowed for c in text)


# Control characters shown as their Unicode pictures (GS → ␝, NUL → ␀): visible in a message,
# a log or a spreadsheet, where the character itself is invisible or cannot be stored.
_PICTURES = {code: 0x2400 + code for code in range(32) if chr(code) not in ALLOWED_CONTROLS}
_PICTURES[127] = 0x2421


def visible(text: str) -> str:
    return text.translate(_PICTURES)


def quoted(text: str, limit: int = 80) -> str:
    """At most `limit` characters of what was typed or scanned, for a message that quotes it."""
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Text that comes from outside (a scanner, a form, a file): what it may hold."""

# Tabs and line breaks are typed into reasons; every other control character (NUL, the GS a
# wedge scanner sends, escape sequences) is not text a person meant to store.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def has_control_characters(text: str, *, allowed: frozenset[str] = ALLOWED_CONTROLS) -> bool:
    return any((ord(c) < 32 or 127 <= ord(c) < 160) and c not in allowed for c in text)


def quoted(text: str, limit: int = 80) -> str:
    """At most `limit` characters of what was typed or scanned, for a message that quotes it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""The one domain error: a refusal with a stable code and a message in the user's language."""

from typing import Any


class Refused(Exception):
    """A request the domain refuses; nothing was written when this is raised."""

    def __init__(self, code: str, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message

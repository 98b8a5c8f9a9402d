"""Pages of a long list without counting it: one row more than the page says if there is a next.

Counting every matching row costs as much as reading them all (a million lots, or ten), so
list pages show "lots 51 to 100" and Previous/Next instead of "page 2 of 20,000".
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

PAGE_SIZE = 50
LAST_PAGE = 2_000  # 100,000 rows in: past that a filter finds faster than paging, and OFFSET costs


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    rows: list[Any]
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        """Position of the first row on this page, counting from 1 (0 on an empty page)."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def page_number(text: str | None) -> int:
    """The page asked for in the query string; garbage and out-of-range numbers give page 1."""
    if text is None or not text.strip().isdigit():
        return 1
    return min(max(int(text), 1), LAST_PAGE)


def page_of(
    rows: Sequence[Any] | QuerySet[Any], page_text: str | None, size: int = PAGE_SIZE
) -> Page:
    """Page `page_text` of `rows` (a sliceable queryset or list), reading one row beyond it."""
    number = page_number(page_text)
    start = (number - 1) * size
    window = list(rows[start : start + size + 1])
    return Page(number=number, size=size, rows=window[:size], has_next=len(window) > size)

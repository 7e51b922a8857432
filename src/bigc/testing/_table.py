"""An in-memory table of records keyed by integer id, kept in id order.

Sample data can be lazy: ids 1..n exist from the start, but each record is
built by a factory the first time it is touched. A store with 100,000 sample
products therefore costs one small dict until a test reads them, and paging
through it only builds the pages asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

__all__ = ["Record", "Table"]

Record = dict[str, Any]


class Table:
    """Records by id, with an optional case-insensitive unique field (a name, an email)."""

    def __init__(self, unique: str | None = None) -> None:
        self._rows: dict[int, Record | None] = {}  # None: lazy, not built yet
        self._next_id = 1
        self.unique = unique
        self._index: dict[str, int] = {}
        self._factory: Callable[[int], Record] | None = None
        self._lazy_owner: Callable[[str], int | None] | None = None

    def fill_lazily(
        self,
        count: int,
        factory: Callable[[int], Record],
        owner: Callable[[str], int | None] | None = None,
    ) -> None:
        """Reserve ``count`` ids whose records ``factory(id)`` builds on first use.

        ``owner(value)`` tells which lazy id would carry a unique value, so
        duplicates are caught without building every record.
        """
        first = self._next_id
        self._rows.update(dict.fromkeys(range(first, first + count)))
        self._next_id = first + count
        self._factory, self._lazy_owner = factory, owner

    def new_id(self) -> int:
        new_id = self._next_id
        self._next_id += 1
        return new_id

    def put(self, record: Record) -> Record:
        """Store ``record`` under ``record["id"]`` (from :meth:`new_id`)."""
        self._rows[record["id"]] = record
        self._add_to_index(record)
        return record

    def get(self, record_id: int) -> Record | None:
        if record_id not in self._rows:
            return None
        record = self._rows[record_id]
        return record if record is not None else self._build(record_id)

    def update(self, record: Record, changes: Record) -> Record:
        """Apply ``changes`` to a stored record, keeping the unique index right."""
        if self.unique is not None and self.unique in changes:
            self._index.pop(_key(record.get(self.unique)), None)
            record.update(changes)
            self._add_to_index(record)
        else:
            record.update(changes)
        return record

    def delete(self, record_id: int) -> Record | None:
        record = self.get(record_id)
        if record is not None:
            del self._rows[record_id]
            if self.unique is not None:
                self._index.pop(_key(record.get(self.unique)), None)
        return record

    def owner_of(self, value: Any) -> int | None:
        """The id of the record whose unique field equals ``value`` (case-insensitive)."""
        found = self._index.get(_key(value))
        if found is not None:
            return found
        if self._lazy_owner is not None and isinstance(value, str):
            lazy_id = self._lazy_owner(value)
            if lazy_id is not None and lazy_id in self._rows and self._rows[lazy_id] is None:
                return lazy_id
        return None

    def ids(self) -> list[int]:
        return list(self._rows)

    def window(self, start: int, stop: int) -> list[Record]:
        """Records ``start``..``stop`` in id order, building only those."""
        return [self._get_built(i) for i in islice(self._rows, start, stop)]

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._rows

    def __iter__(self) -> Iterator[Record]:
        for record_id in list(self._rows):
            yield self._get_built(record_id)

    def _get_built(self, record_id: int) -> Record:
        record = self._rows[record_id]
        return record if record is not None else self._build(record_id)

    def _build(self, record_id: int) -> Record:
        assert self._factory is not None
        record = self._factory(record_id)
        self._rows[record_id] = record
        self._add_to_index(record)
        return record

    def _add_to_index(self, record: Record) -> None:
        if self.unique is not None and record.get(self.unique) not in (None, ""):
            self._index[_key(record[self.unique])] = record["id"]


def _key(value: Any) -> str:
    return str(value).casefold()

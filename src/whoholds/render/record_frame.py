"""Plain records (dicts) as the frame the table printers expect, without pandas: :func:`whoholds.render.tables.
print_frame` draws a :class:`RecordFrame` exactly as it draws ``pandas.DataFrame(records, columns=columns)``
(same dtypes, so the same number formats and alignment), for commands answered from the store's cache."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .tables import is_missing


class RecordColumn(list):
    """One column of a :class:`RecordFrame`: its values, and the dtype a pandas frame would give them."""

    def __init__(self, values: Iterable[Any], kind: str) -> None:
        super().__init__(values)
        self.whoholds_kind = kind

    @property
    def dtype(self) -> str:
        return self.whoholds_kind

    def dropna(self) -> RecordColumn:
        return RecordColumn((v for v in self if not is_missing(v)), self.whoholds_kind)

    def tolist(self) -> list[Any]:
        return list(self)


class RecordFrame:
    """Plain records (dicts) with the few frame operations the table printers use (columns, a column, a
    subset of columns, dropping columns, rows as tuples), so :func:`print_frame` draws them exactly as it
    draws ``pandas.DataFrame(records, columns=columns)`` -- without importing pandas (fast start-up)."""

    def __init__(self, records: Sequence[Mapping[str, Any]], columns: Sequence[str],
                 kinds: Mapping[str, str] | None = None) -> None:
        from ..io.records import column_kind

        self.records, self.columns = records, list(columns)
        self._data = {c: [r.get(c) for r in records] for c in self.columns}
        self._kinds = dict(kinds) if kinds is not None else {c: column_kind(v) for c, v in self._data.items()}

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, key: str | Sequence[str]) -> Any:
        if isinstance(key, str):
            return RecordColumn(self._data[key], self._kinds[key])
        return RecordFrame(self.records, list(key), {c: self._kinds[c] for c in key})

    def drop(self, columns: Sequence[str]) -> RecordFrame:
        keep = [c for c in self.columns if c not in set(columns)]
        return RecordFrame(self.records, keep, {c: self._kinds[c] for c in keep})

    def itertuples(self, index: bool = False, name: str | None = None) -> Iterable[tuple[Any, ...]]:
        return zip(*(self._data[c] for c in self.columns), strict=True) if self.columns else iter(())

"""``whoholds store upgrade``: rewrite a store's format-1 snapshots (one GeoParquet file each) as members of the
content-addressed feature store (format 2, :mod:`whoholds.store_features`).

Not needed to read a store (both formats are read as they are, also mixed); it gives an older store the
deduplicated layout. Batch by batch, each batch atomic: its new features' chunk file is written first, then the
members rows and the catalog rows' new ``file`` go in one transaction, and only after the commit are the old
files deleted. A run killed at any point leaves every snapshot readable (in one format or the other; at worst
orphan files, which ``store check`` lists and ``Store.vacuum`` removes); running it again finishes the job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import StoreError
from .store_features import MEMBERS, FeatureIds, is_plain

#: Snapshots per transaction.
BATCH = 128


@dataclass
class UpgradeReport:
    converted: int = 0
    kept: int = 0  # marker snapshots: their frames have more columns, they keep a file of their own
    files_removed: int = 0
    database: bool = False  # a PostgreSQL store: features are in the database already, nothing to do


def upgrade_store(store: Any, progress: Any = None) -> UpgradeReport:
    """Rewrite the format-1 snapshots of ``store`` (see the module docstring)."""
    from .store_check import check_store_writable
    from .store_files import read_snapshot_file
    from .store_members import write_members

    report = UpgradeReport()
    if store.files is None:
        report.database = True
        return report
    check_store_writable(store)
    rows = store.rows("SELECT id, file FROM snapshots WHERE file <> ? ORDER BY date, id", [MEMBERS])
    ids = FeatureIds()
    for start in range(0, len(rows), BATCH):
        stored, extra, files = [], {}, []
        for sid, rel in rows[start:start + BATCH]:
            path = store.path / rel
            try:
                frame = read_snapshot_file(path)
            except Exception as exc:  # pyarrow raises several types for damaged files
                raise StoreError(path, f"snapshot file of {sid} is missing or unreadable ({type(exc).__name__}); "
                                       "see `whoholds store check`, then run the upgrade again") from None
            if not is_plain(frame):
                report.kept += 1
                continue
            mem = ids.members(frame)
            extra.update(mem.new)
            stored.append((sid, mem, None))
            files.append(path)
        if stored:
            import pandas as pd

            write_members(store, pd.DataFrame(), stored, extra, converted=[sid for sid, _, _ in stored])
        for path in files:  # after the commit: a crash before leaves the old files, still valid, unused
            path.unlink(missing_ok=True)
            report.files_removed += 1
        report.converted += len(stored)
        if progress:
            progress(len(stored))
    return report

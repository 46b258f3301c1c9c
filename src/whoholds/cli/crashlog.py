"""Internal errors: the traceback goes to a log file, the terminal gets one line saying where it is."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path


def log_path() -> Path:
    """``$WHOHOLDS_LOG``, else ``~/.cache/whoholds/error.log``, else the temp folder's ``whoholds-error.log``."""
    if os.environ.get("WHOHOLDS_LOG"):
        return Path(os.environ["WHOHOLDS_LOG"])
    return Path.home() / ".cache" / "whoholds" / "error.log"


def write_crash_log(exc: BaseException) -> Path | None:
    """Append the traceback of ``exc`` to the log; the path written, or None when nowhere is writable."""
    text = "".join(traceback.format_exception(exc))
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for path in (log_path(), Path(tempfile.gettempdir()) / "whoholds-error.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {stamp} whoholds internal error\n{text}\n")
            return path
        except OSError:
            continue
    return None


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message, with its type."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first[:300]}" if first else type(exc).__name__


def os_error_line(exc: OSError) -> str:
    """One line for an OS-level failure (disk full, read-only folder, permissions...)."""
    where = exc.filename or ""
    what = exc.strerror or one_line(exc)
    return f"{where}: {what}" if where else what


def is_store_failure(exc: BaseException) -> bool:
    """True for DuckDB's I/O, corruption and lock errors (without importing duckdb here)."""
    return type(exc).__module__.split(".")[0] in ("duckdb", "_duckdb") and type(exc).__name__ in (
        "IOException", "SerializationException", "InternalException", "FatalException", "ConnectionException")

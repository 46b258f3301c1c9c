"""Snapshot dates: from the command line, a feature property, or the file name — never guessed.

Precedence: an explicit ``date`` (CLI ``--date``) > a feature property named in ``profile.date_properties``
> the file name. File names may hold ``YYYY-MM-DD``, ``YYYY_MM_DD``, ``YYYYMMDD`` or a 10-digit unix
timestamp (seconds, 2000..2100), which also gives the snapshot's exact UTC time. Dates later than today
(UTC) and values that do not parse are errors that name the file and the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from ..errors import InputError

NO_DATE = "no snapshot date: pass --date, or add a 'date' property, or put YYYY-MM-DD in the file name"

_UNIX_MIN = int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())
_UNIX_MAX = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp())

_SEPARATED = re.compile(r"(?<!\d)((?:19|2\d)\d\d)([-_.])(\d\d)\2(\d\d)(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_UNIX = re.compile(r"(?<!\d)(\d{10})(?!\d)")
_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def check_not_future(day: dt.date, source: str, value: object) -> dt.date:
    """``day`` itself, or InputError when it lies after today (UTC)."""
    if day > today_utc():
        raise InputError(source, f"snapshot date {value!s} is in the future (today is {today_utc()} UTC)")
    return day


def _from_unix(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _valid_date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def date_from_name(name: str) -> tuple[dt.date | None, dt.datetime | None]:
    """(date, UTC timestamp) found in the base name of ``name``, or (None, None).

    ``name`` may be ``archive.tar.xz::member/path``: only the member's own file name is looked at. A calendar
    date and a unix timestamp in the same name must agree within a day; several different calendar dates
    (e.g. ``maps_2022-04-03_2025-08-03.geojson``) are an error rather than a guess.
    """
    base = PurePosixPath(name.split("::")[-1].replace("\\", "/")).name
    days: set[dt.date] = set()
    rest = base
    for rx in (_SEPARATED, _COMPACT):
        for m in rx.finditer(rest):
            groups = m.groups()
            day = _valid_date(groups[0], groups[-2], groups[-1])
            if day is not None:
                days.add(day)
        rest = rx.sub(" ", rest)
    stamps = {_from_unix(int(m.group(1))) for m in _UNIX.finditer(rest) if _UNIX_MIN <= int(m.group(1)) < _UNIX_MAX}
    if len(days) > 1:
        shown = ", ".join(str(d) for d in sorted(days))
        raise InputError(name, f"file name holds several dates ({shown}); pass --date to say which one")
    if len(stamps) > 1:
        raise InputError(name, "file name holds several unix timestamps; pass --date to say which one")
    stamp = stamps.pop() if stamps else None
    day = days.pop() if days else None
    if day is not None and stamp is not None and abs((stamp.date() - day).days) > 1:
        raise InputError(
            name,
            f"file name date {day} and unix timestamp {int(stamp.timestamp())} ({stamp:%Y-%m-%d}) disagree",
        )
    if day is None and stamp is not None:
        day = stamp.date()
    if day is not None:
        check_not_future(day, name, day)
    return day, stamp


def parse_date_value(value: object, source: str, prop: str = "date") -> tuple[dt.date, dt.datetime | None]:
    """A feature property value as (date, UTC timestamp or None); InputError if it does not parse.

    Accepts ISO dates and datetimes (``2024-07-08``, ``2024-07-08T06:00:00Z``), ``YYYYMMDD`` (string or
    int), ``DD.MM.YYYY`` (the dotted form is day-first everywhere it is used), unix seconds and
    milliseconds (Esri date fields), and date/datetime/pandas Timestamp objects. ``03/01/2024`` is
    refused: month-first and day-first are both common.
    """
    stamp: dt.datetime | None = None
    day: dt.date | None = None
    try:
        if hasattr(value, "to_pydatetime"):  # pandas Timestamp
            value = value.to_pydatetime()
        if isinstance(value, dt.datetime):
            stamp = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
            stamp = stamp.astimezone(dt.UTC)
            if stamp.time() == dt.time(0) and value.tzinfo is None:
                stamp = None  # a bare date that a reader turned into midnight
            day = (stamp or value).date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            n = int(value)
            if n == value and 19000101 <= n <= 21001231:
                day = dt.date(n // 10000, n // 100 % 100, n % 100)
            elif _UNIX_MIN <= value < _UNIX_MAX:
                stamp = _from_unix(int(value))
                day = stamp.date()
            elif _UNIX_MIN * 1000 <= value < _UNIX_MAX * 1000:  # milliseconds: Esri date fields, JavaScript
                stamp = _from_unix(int(value) // 1000)
                day = stamp.date()
        elif isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"\d{8}", text):
                day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
            elif re.fullmatch(r"\d{10}", text) and _UNIX_MIN <= int(text) < _UNIX_MAX:
                stamp = _from_unix(int(text))
                day = stamp.date()
            elif _ISO_TIME.match(text):
                parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
                stamp = (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
                day = stamp.date() if parsed.tzinfo else parsed.date()
            elif m := re.fullmatch(r"(\d\d?)\.(\d\d?)\.((?:19|20)\d\d)", text):  # 01.03.2024: day first
                day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            else:
                day = dt.date.fromisoformat(text.replace("/", "-").replace("_", "-"))
    except (ValueError, OverflowError):
        day = None
    if day is None:
        hint = ("; day and month order is ambiguous in NN/NN/YYYY: pass --date"
                if isinstance(value, str) and re.fullmatch(r"\d\d?/\d\d?/\d{4}", value.strip()) else "")
        raise InputError(source, f"cannot read the snapshot date from property {prop!r} = {value!r}{hint}")
    check_not_future(day, source, value)
    return day, stamp


def feature_date_property(columns: Iterable[str], candidates: Iterable[str]) -> str | None:
    """The first of ``candidates`` (profile.date_properties) present in ``columns``, case-insensitively."""
    lower = {c.lower(): c for c in columns}
    for name in candidates:
        if name in lower.values():
            return name
        if name.lower() in lower:
            return lower[name.lower()]
    return None


def with_case_variants(keys: tuple[str, ...], columns: Iterable[str]) -> tuple[str, ...]:
    """``keys`` (profile.date_properties) followed by the spellings of them in another case that ``columns``
    holds ("Date", "DATE", "Snapshot_Date"): a map's date property is matched in any case in every reader."""
    wanted = {k.lower() for k in keys}
    extra = tuple(c for c in columns if isinstance(c, str) and c not in keys and c.lower() in wanted)
    if not extra:
        return keys
    rank = {k.lower(): i for i, k in enumerate(keys)}
    return keys + tuple(sorted(extra, key=lambda c: rank[c.lower()]))


def explicit_date(value: dt.date | dt.datetime | str | None, source: str) -> dt.date | None:
    """The CLI ``--date`` as a date (strings are parsed), checked not to lie in the future."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        return parse_date_value(value, source, "--date")[0]
    return check_not_future(value, source, value)


Groups = dict[tuple[dt.date, dt.datetime | None], list[int]]


def group_rows(name: str, n_rows: int, values: Sequence[object], prop: str | None, date: dt.date | None) -> Groups:
    """Feature rows per (snapshot date, timestamp), by the precedence ``date`` > property > file name.

    ``values`` are the rows' raw ``prop`` values (empty when no feature has the property). In a file that
    holds several dates, ``date`` selects one of them; features without the property in a file where
    others have it are an error unless ``date`` is given.
    """
    rows = list(range(n_rows))
    if prop is not None and values:
        parsed: dict[object, tuple[dt.date, dt.datetime | None]] = {}
        per_row: list[tuple[dt.date, dt.datetime | None] | None] = []
        for value in values:
            if value is None:
                per_row.append(None)
                continue
            key = value if isinstance(value, (str, int, float, dt.date)) else str(value)
            if key not in parsed:
                parsed[key] = parse_date_value(value, name, prop)
            per_row.append(parsed[key])
        days = {d for d, _ in parsed.values()}
        if date is not None and len(days) > 1:
            if date not in days:
                raise InputError(
                    name, f"the file holds {len(days)} dates ({min(days)} .. {max(days)}); {date} is not one of them"
                )
            return {(date, None): [i for i in rows if per_row[i] is not None and per_row[i][0] == date]}
        if date is None:
            missing = sum(1 for v in per_row if v is None)
            if missing:
                raise InputError(
                    name,
                    f"{missing} of {n_rows} polygon features have no {prop!r} property; pass --date or date them all",
                )
            stamps: dict[dt.date, set[dt.datetime | None]] = defaultdict(set)
            for day, stamp in per_row:  # type: ignore[misc]
                stamps[day].add(stamp)
            groups: Groups = defaultdict(list)
            for i, (day, _) in enumerate(per_row):  # type: ignore[misc]
                only = stamps[day]
                groups[(day, next(iter(only)) if len(only) == 1 else None)].append(i)
            return dict(groups)
    if date is not None:
        try:
            name_day, name_stamp = date_from_name(name)
        except InputError:
            name_day = name_stamp = None
        return {(date, name_stamp if name_day == date else None): rows}
    day, stamp = date_from_name(name)
    if day is None:
        raise InputError(name, NO_DATE)
    return {(day, stamp): rows}

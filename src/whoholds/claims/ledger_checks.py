"""Inconsistency flags over the ledger, per speaker, with the party named in every flag.

- ``cumulative_fall``: a cumulative figure ("since the start of the year", "in total", "so far") of one source
  that falls between two of its dates within the same period — returnees, restored facilities by category;
- ``implausible_jump``: consecutive figures of one source for one indicator that move too fast — shares by at
  least 10 pp and at least 5 pp per 30 days; other figures by at least 50 % and at least 50 % per 30 days;
- ``sources_disagree``: two sources for the same indicator and party within 31 days of each other that are
  far apart — shares by more than 10 pp, other figures by a ratio above 1.5 ("claims vs claims");
- ``returnees_exceed_capacity``: one source's cumulative returnees above the reception capacity it gave within
  31 days (people received cannot outnumber the places prepared for them in its own account).

A series is one speaker's figures for one measure (`bulletin_key`: returnees, reception capacity, reception
centres, localities, ports of entry, restored facilities by category), party, unit and kind (`series_kind`: a
running total since a date, a day's figure, a level); speakers are never mixed within a series, and every flag
names both documents (bulletins) with their dates and values.

Numbers in messages are written for people: thousands separators, no exponent, no ``nan``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

from .ledger_measures import FACILITY_CATEGORIES, is_bulletin_measure

if TYPE_CHECKING:
    import pandas as pd

# Thresholds of the flags (documented in docs/claims.md).
SAME_DATE_DAYS = 31
DISAGREE_PP = 10.0
DISAGREE_RATIO = 1.5
JUMP_PP = 10.0
JUMP_PP_PER_30D = 5.0
JUMP_REL = 0.5
JUMP_REL_PER_30D = 0.5

FLAG_COLUMNS = ("flag", "indicator", "party", "source", "date1", "value1", "document1", "date2", "value2",
                "document2", "message", "figure_id1", "figure_id2")


def format_value(v: Any, unit: str | None = None) -> str:
    """A number for people: "1,497,650", "96.5%", "574 km²", "0.4 pp"; "—" for a missing value; no exponent."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    v = float(v)
    if v.is_integer():
        text = f"{v:,.0f}"
    elif abs(v) >= 100:
        text = f"{v:,.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{v:,.3f}".rstrip("0").rstrip(".")
    return text + {"percent": "%", "km2": " km²", "percentage points": " pp"}.get(unit or "", "")


def cell(v: Any) -> str:
    """A cell as text: "" for None/NaN/NaT (never "nan")."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("NaT", "nan", "<NA>"):
        return ""
    return str(v)


_text = cell


def _interval(row: Any) -> tuple[dt.date, dt.date]:
    import pandas as pd

    d = pd.Timestamp(row["as_of"]).date()
    prec = row.get("as_of_precision") if hasattr(row, "get") else None
    if prec == "month":
        from ..metrics.periods import month

        return d, month(d.year, d.month).end
    if prec == "year":
        return d, dt.date(d.year, 12, 31)
    return d, d


def _gap_days(a: Any, b: Any) -> int:
    a0, a1 = (a["_d0"], a["_d1"]) if "_d0" in a else _interval(a)
    b0, b1 = (b["_d0"], b["_d1"]) if "_d0" in b else _interval(b)
    if a1 < b0:
        return (b0 - a1).days
    if b1 < a0:
        return (a0 - b1).days
    return 0


def asserted_bounds(row: Any) -> tuple[float, float]:
    """The values a figure allows, from its qualifier as the reader maps it (`quantities.QUALIFIERS`): "over
    290,278" is [290,278, ∞), "up to 300" (-∞, 300], "about 290,000" ± half the place of its last non-zero digit
    (± 5,000), a range its ends, a plain figure itself. A running total has fallen only when the later figure's
    highest value is below the earlier one's lowest."""
    from .quantities import POST_QUALIFIERS, QUALIFIERS

    value = float(row["value"])
    get = row.get if hasattr(row, "get") else (lambda k, d=None: d)
    lo, hi = get("low"), get("high")
    if _text(lo) and _text(hi):
        return float(lo), float(hi)
    qualifier = _text(get("qualifier")).lower()
    comparator = QUALIFIERS.get(qualifier) or POST_QUALIFIERS.get(qualifier) or "exact"
    if comparator in ("floor", "near_above"):
        return value, math.inf
    if comparator in ("ceiling", "near_below"):
        return -math.inf, value
    if comparator == "approx":
        digits = re.sub(r"\D", "", _text(get("surface")).split(".")[0]) or str(int(abs(value)))
        zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
        half = 10 ** zeros / 2
        return value - half, value + half
    return value, value


def _is_share(unit: str | None) -> bool:
    return unit in ("percent", "percentage points")


def _confirmed(df: pd.DataFrame, a: Any, b: Any) -> bool:
    """Whether the same source's figures for the same party in another unit (a share beside an area) move the
    same way between the same two dates -- a real change told twice, not a typo."""
    other = df[(df["_src"] == a["_src"]) & (df["_party"] == a["_party"]) & (df["unit"] != a["unit"])]
    v1 = other.loc[other["as_of"] == a["as_of"], "value"]
    v2 = other.loc[other["as_of"] == b["as_of"], "value"]
    if not len(v1) or not len(v2):
        return False
    return (float(v2.iloc[0]) - float(v1.iloc[0])) * (b["value"] - a["value"]) > 0


def series_kind(cumulative: Any, period_start: Any, as_of: Any, per: Any = None) -> str:
    """Which series a figure belongs to: a running total restarts with its period ("cumulative since
    2018-01-01"), a day's figure ("over the past 24 hours") is a flow and never a level, a stock ("capacity
    1,450,000", "412 localities") is a "level"; another period's flow is "period <start>..<as_of>"."""
    start, day = _text(period_start)[:10], _text(as_of)[:10]
    if bool(cumulative) and not (isinstance(cumulative, float) and math.isnan(cumulative)) and start != day:
        return f"cumulative since {start}" if start else "cumulative"
    if _text(per) == "day" or (start and start == day):
        return "daily"
    if start:
        return f"period {start}..{day}"
    return "level"


def date_text(as_of: Any, precision: Any = None) -> str:
    """A ledger date as precise as it was given: "2018-08" for a month's estimate, "2018" for a year's, never
    "2018-08-01" for a figure that is about the whole month."""
    day = _text(as_of)[:10]
    prec = _text(precision)
    return day[:7] if (day and prec == "month") else day[:4] if (day and prec == "year") else day


def document_label(row: Any) -> str:
    """The bulletin a figure comes from, as a reader finds it again: an article's title, else its file or
    name; a CSV row's own URL, else the CSV's file name."""
    kind = _text(row.get("source_kind")) if hasattr(row, "get") else ""
    cols = ("url", "source_name") if kind == "csv" else ("source_title", "source_path", "source_name")
    for col in cols:
        text = _text(row.get(col)) if hasattr(row, "get") else ""
        if text:
            return text
    return ""


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that can be compared (dated, valued, not negated), with the series columns the rules group by."""
    import pandas as pd

    df = df[df["as_of"].notna() & df["value"].notna()].copy()
    if "negated" in df.columns:  # "not 96.5%" is no claim of 96.5%: never compared as one
        df = df[~df["negated"].fillna(False).astype(bool)]
    if "note" in df.columns:
        df = df[~df["note"].fillna("").astype(str).str.startswith("negated")]
    if not len(df):
        return df
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    df["_src"] = df["source_org"].map(_text)
    df["_party"] = df["party_key"].map(_text)
    df["_party_name"] = [_text(p) or _text(k) or "none named" for p, k in zip(df["party"], df["party_key"],
                                                                                    strict=True)]
    df["_ind"] = df["indicator_key"].map(_text).where(df["indicator_key"].notna(), df["indicator"].map(_text))
    df["cumulative"] = df["cumulative"].fillna(False).astype(bool)
    starts = df["period_start"] if "period_start" in df.columns else pd.Series([None] * len(df), index=df.index)
    pers = df["per"] if "per" in df.columns else pd.Series([None] * len(df), index=df.index)
    df["_kind"] = [series_kind(c, p, a, r) for c, p, a, r in zip(df["cumulative"], starts, df["as_of"], pers,
                                                                  strict=True)]
    records = df.to_dict("records")
    df["_doc"] = [document_label(r) for r in records]
    spans = [_interval(r) for r in records]  # once per figure: the flags compare dates many times
    df["_d0"] = [a for a, _ in spans]
    df["_d1"] = [b for _, b in spans]
    return df


def find_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Inconsistency flags over ledger rows (see the module doc for the rules), per speaker and party. A series
    is one speaker's figures for one measure, party, unit and kind (cumulative since a date / daily / level):
    a day's figure is never compared with a running total, returnees never with capacity or localities."""
    import pandas as pd

    out: list[dict[str, Any]] = []
    if df is None or not len(df):
        return pd.DataFrame(columns=FLAG_COLUMNS)
    df = _prepare(df)
    if not len(df):
        return pd.DataFrame(columns=FLAG_COLUMNS)

    def flag(kind: str, a: Any, b: Any, message: str) -> None:
        src = a["_src"] if a["_src"] == b["_src"] else f"{a['_src']} vs {b['_src']}"
        out.append({"flag": kind, "indicator": _text(a["indicator"]), "party": a["_party_name"], "source": src,
                    "date1": a["as_of"], "value1": a["value"], "document1": a["_doc"],
                    "date2": b["as_of"], "value2": b["value"], "document2": b["_doc"], "message": message,
                    "figure_id1": _text(a.get("figure_id")), "figure_id2": _text(b.get("figure_id"))})

    def fv(r: Any) -> str:
        doc = f", {r['_doc']}" if r["_doc"] else ""
        qualifier = _text(r.get("qualifier"))
        when = date_text(r["as_of"], r.get("as_of_precision"))
        return f"{qualifier + ' ' if qualifier else ''}{format_value(r['value'], r['unit'])} ({when}{doc})"

    # One source's own series.
    for (_s, _i, _p, _u, kind), g in df.groupby(["_src", "_ind", "_party", "unit", "_kind"], dropna=False):
        if kind == "daily" or kind.startswith("period"):
            continue  # flows of different days are not levels: they may rise and fall freely
        g = g.drop_duplicates(subset=["as_of", "value"]).sort_values("as_of")
        # two figures of one day under one measure are items of a list ("161,520 (+780) persons, tanks 3,487
        # (+4)" read as one "losses"): which of them continues the series is unknown, so that day is left out
        g = g[~g["as_of"].duplicated(keep=False)]
        rows = g.to_dict("records")
        for a, b in zip(rows, rows[1:], strict=False):
            who = f"{a['_src']} (party: {a['_party_name']})"
            days = max((b["as_of"] - a["as_of"]).days, 1)
            delta = b["value"] - a["value"]
            if a["cumulative"] and delta < 0:
                if asserted_bounds(b)[1] >= asserted_bounds(a)[0]:
                    continue  # "over 285,900" after 288,100, "about 290,000" after 288,100: not surely a fall
                flag("cumulative_fall", a, b,
                     f"{who}: '{a['indicator']}' ({kind}) falls from {fv(a)} to {fv(b)}")
                continue
            if _is_share(a["unit"]):
                jump = abs(delta) >= JUMP_PP and abs(delta) * 30 / days >= JUMP_PP_PER_30D
                size = f"{abs(delta):.1f} pp in {days} days"
            else:
                # Relative to the earlier figure, signed: a fall from 100 to 8 is -92 %, not +1,150 %.
                rel = delta / max(abs(a["value"]), 1.0)
                jump = abs(rel) >= JUMP_REL and abs(rel) * 30 / days >= JUMP_REL_PER_30D
                size = f"{rel:+,.0%} in {days} days"
            if jump and _confirmed(df, a, b):
                jump = False  # the source's own series in another unit moves the same way between the same dates
            if jump:
                flag("implausible_jump", a, b, f"{who}: '{a['indicator']}' jumps from {fv(a)} to {fv(b)}, {size}")
    _capacity_flags(df, flag, fv)
    # Different sources, same indicator, party and kind of figure, about the same date.
    seen: set[tuple[str, ...]] = set()
    for (_ind, party, _unit, _kind), g in df.groupby(["_ind", "_party", "unit", "_kind"], dropna=False):
        if not party and not is_bulletin_measure(_ind):
            continue  # a share or area with no party named is no claim about anyone
        rows = g.sort_values(["_d0", "_d1"]).to_dict("records")
        nearest = _Nearest(rows)
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if (b["_d0"] - a["_d1"]).days > SAME_DATE_DAYS:
                    break  # sorted by start: every later figure is further away
                if a["_src"] == b["_src"] or _gap_days(a, b) > SAME_DATE_DAYS:
                    continue
                if not (nearest(a, b["_src"]) is b and nearest(b, a["_src"]) is a):
                    continue  # each figure is set against the other source's figure nearest in date, once
                if _kind != "level" and not _kind.startswith("cumulative") and a["as_of"] != b["as_of"]:
                    continue  # two days' flows are two different quantities, not two claims of one
                if _is_share(a["unit"]):
                    far = abs(a["value"] - b["value"]) > DISAGREE_PP
                    size = f"{abs(a['value'] - b['value']):.1f} pp apart"
                else:
                    lo, hi = sorted([abs(a["value"]), abs(b["value"])])
                    far = (lo == 0 and hi > 0) or (lo > 0 and hi / lo > DISAGREE_RATIO)
                    size = f"ratio {hi / lo:.2f}" if lo else "one is zero"
                if far and not _apart_under_qualifiers(a, b):
                    far = False  # "at least 37,500" does not contradict 288,100
                key = tuple(sorted([_text(a.get("figure_id")), _text(b.get("figure_id"))]))
                if far and key not in seen:
                    seen.add(key)
                    flag("sources_disagree", a, b,
                         f"claims vs claims: {a['_src']} {fv(a)} vs {b['_src']} {fv(b)} for "
                         f"'{a['_ind'] if is_bulletin_measure(a['_ind']) else a['indicator']}' "
                         f"(party: {a['_party_name']}; {a['_kind']}), {size}")
    return pd.DataFrame(out, columns=FLAG_COLUMNS)


class _Nearest:
    """The figure of a source nearest in date to a figure (a tie goes to the later one), by bisection over each
    source's figures sorted by start date; the few neighbours around the insertion point are compared."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.by_source: dict[str, list[dict[str, Any]]] = {}
        for r in rows:  # rows come sorted by start date
            self.by_source.setdefault(r["_src"], []).append(r)
        self.starts = {s: [r["_d0"] for r in rs] for s, rs in self.by_source.items()}
        self.cache: dict[tuple[int, str], Any] = {}

    def __call__(self, r: dict[str, Any], source: str) -> Any:
        import bisect

        key = (id(r), source)
        if key not in self.cache:
            theirs = self.by_source.get(source, [])
            at = bisect.bisect_left(self.starts.get(source, []), r["_d0"])
            near = theirs[max(0, at - 3):at + 3]  # month-long spans may start a little before
            self.cache[key] = min(near, key=lambda o: (_gap_days(r, o), -o["_d0"].toordinal())) if near else None
        return self.cache[key]


def _apart_under_qualifiers(a: Any, b: Any) -> bool:
    """Whether two figures stay far apart for every value their qualifiers allow (`asserted_bounds`)."""
    (a_lo, a_hi), (b_lo, b_hi) = asserted_bounds(a), asserted_bounds(b)
    if _is_share(a["unit"]):
        return b_lo - a_hi > DISAGREE_PP or a_lo - b_hi > DISAGREE_PP
    return b_lo > DISAGREE_RATIO * a_hi or a_lo > DISAGREE_RATIO * b_hi


def _capacity_flags(df: pd.DataFrame, flag: Any, fv: Any) -> None:
    """One source's running total of returnees above the reception capacity it gave within `SAME_DATE_DAYS`
    days -- the one comparison across measures (people returned vs places prepared), never across sources."""
    keys = df["_ind"]
    for src, g in df[keys.isin(["returnees", "reception_capacity"])].groupby("_src"):
        ret = g[(g["_ind"] == "returnees") & g["cumulative"]].to_dict("records")
        cap = g[(g["_ind"] == "reception_capacity") & (g["_kind"] == "level")].to_dict("records")
        for r in ret:
            near = [c for c in cap if _gap_days(r, c) <= SAME_DATE_DAYS]
            if near:
                c = max(near, key=lambda c: c["value"])
                if asserted_bounds(r)[0] > asserted_bounds(c)[1]:  # surely above, whatever the qualifiers
                    flag("returnees_exceed_capacity", c, r,
                         f"{src} (party: {r['_party_name']}): returnees ({r['_kind']}) {fv(r)} exceed the "
                         f"reception capacity it gave, {fv(c)}")


def restored_table(df: pd.DataFrame) -> pd.DataFrame:
    """Restored facilities by category over time: one row per speaker, date and kind of figure (a running total
    "cumulative since 2018-01-01", a day's figure), one column per category (schools, medical, water, ...);
    empty cells where a bulletin gives no figure. Negated figures are left out."""
    import pandas as pd

    base = ["speaker", "as_of", "kind", "document"]
    if df is None or not len(df):
        return pd.DataFrame(columns=base)
    df = df[df["indicator_key"].fillna("").astype(str).str.startswith("restored:")]
    df = _prepare(df) if len(df) else df
    if not len(df):
        return pd.DataFrame(columns=base)
    df = df.assign(speaker=df["_src"], kind=df["_kind"], document=df["_doc"],
                   category=df["_ind"].str.removeprefix("restored:"))
    wide = df.pivot_table(index=["speaker", "as_of", "kind", "document"], columns="category", values="value",
                          aggfunc="max").reset_index()
    wide.columns.name = None
    cats = [c for _, c in FACILITY_CATEGORIES if c in wide.columns] + (["other"] if "other" in wide.columns else [])
    return wide[base + cats].sort_values(["speaker", "kind", "as_of"]).reset_index(drop=True)

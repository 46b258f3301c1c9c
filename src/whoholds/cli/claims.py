"""`whoholds check`, `whoholds read` and `whoholds ledger`: claims against the map data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from ..claims.article import extract_figures, infer_conflict, load_article
from ..claims.check import DEFAULT_MAX_DISTANCE_DAYS, StoreMetrics, check_claim
from ..claims.claimreview import write_claimreview
from ..claims.ledger import Ledger
from ..claims.limits import require_claim_length
from ..claims.model import ReportedFigure, Verdict, VerdictLabel
from ..claims.parse import foreign_script, no_claim_message, parse_claims, parse_figures, unresolved_claim
from ..errors import QueryError, StoreError
from ..profiles import Profile, load_profile
from .app import command, console
from .ledger import article_flag_records, print_article_flags
from .options import StoreOpt, open_store, parse_day

MaxDistOpt = Annotated[int, typer.Option("--max-distance", help="Max days between the claim's date and the "
                                                               "snapshot used for a verdict.")]
ClaimReviewOpt = Annotated[Path | None, typer.Option("--claimreview", help="Also write the verdicts as "
                                                                          "ClaimReview JSON-LD to this file.")]
AltBoundaryOpt = Annotated[list[str] | None, typer.Option(
    "--alt-boundary", help="Alternative boundary (file or natural-earth:ISO3:pov) for the sensitivity table; "
                           "repeatable.")]

_COLOURS = {
    VerdictLabel.ACCURATE: "green", VerdictLabel.ROUGHLY_ACCURATE: "green3", VerdictLabel.OVERSTATED: "yellow",
    VerdictLabel.UNDERSTATED: "yellow", VerdictLabel.FALSE: "red", VerdictLabel.UNCHECKABLE: "grey62",
    VerdictLabel.DIFFERS_BY_SOURCE: "magenta",
}


def _fmt_format(fmt: str, allowed: tuple[str, ...]) -> str:
    fmt = fmt.lower()
    if fmt not in allowed:
        raise QueryError("--format", f"unknown format {fmt!r} (use {', '.join(allowed)})")
    return fmt


def _source(store: Path | None, profile: Profile, alt: list[str] | None, create: bool = False
            ) -> tuple[StoreMetrics | None, Any, str | None]:
    """The metric source over the store, or the reason there is none (the verdicts then say so)."""
    try:
        st = open_store(store, create=create)
    except StoreError as exc:
        return None, None, exc.problem
    return StoreMetrics(st, profile, tuple(alt or ())), st, None


def _verdict(claim: Any, source: StoreMetrics | None, why: str | None, max_distance: int,
             ledger_rows: list[dict[str, Any]] | None = None) -> Verdict:
    if source is None and not claim.implausible:  # an implausible figure is refused before any store is asked
        import dataclasses

        from ..claims.check import _uncheckable
        from ..claims.neighbours import ledger_neighbours, neighbours_text
        from ..claims.verdict import rule_text, tolerance_for

        rule = rule_text(claim.comparator, claim.qualifier, claim.value, tolerance_for(claim.metric),
                         claim.low, claim.high)
        v = _uncheckable(claim, rule, f"no store to check against ({why})")
        near = ledger_neighbours(claim, ledger_rows or [], claim_profile(claim))
        if near:
            v = dataclasses.replace(v, neighbours=near, explanation=f"{v.explanation} {neighbours_text(claim, near)}")
        return v
    return check_claim(claim, source, max_distance_days=max_distance, ledger_rows=ledger_rows)


def claim_profile(claim: Any) -> Profile:
    return load_profile(claim.profile)


def _ledger_rows(st: Any, csvs: list[Path] | None) -> list[dict[str, Any]]:
    """Independent estimates for claims vs claims: the store's ledger, the given CSVs, else the data folder's."""
    from ..claims.neighbours import csv_rows, default_rows

    rows: list[dict[str, Any]] = []
    if st is not None:
        try:  # read only: a check never creates the ledger tables
            frame = Ledger(st, create=False).list() if "ledger_figures" in st.tables() else None
            if frame is None:
                raise LookupError("no ledger")
            rows += [r for r in frame.to_dict("records") if not str(r.get("note") or "").startswith("negated")]
        except Exception:  # noqa: BLE001 - a store without a ledger simply has no estimates to offer
            pass
    for path in csvs or []:
        if not path.exists():
            raise QueryError(str(path), "no such claims CSV")
        rows += csv_rows(path)
    if not csvs:
        rows += default_rows()
    return rows


def _label(v: Verdict) -> str:
    return f"[bold {_COLOURS[v.label]}]{v.label.value}[/]"


def _print_verdict(v: Verdict, profile: Profile) -> None:
    c = v.claim
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    t.add_row("claim", c.quote)
    t.add_row("speaker", c.speaker or "—")
    t.add_row("parsed", c.describe())
    t.add_row("metric", f"{c.metric} of {profile.display_name(c.subject) if c.subject else '(no actor)'}"
                        f" ({c.subject_kind or '—'})")
    t.add_row("qualifier", f"{c.qualifier or 'none'} → {c.comparator}")
    when = (f"{c.period_start} – {c.period_end}" if c.metric.endswith("change") else str(c.as_of))
    t.add_row("date", when)
    if v.figure is not None:
        near = " (nearest snapshot, not used for the verdict)" if v.label == VerdictLabel.UNCHECKABLE else ""
        unit = "km²" if v.figure.unit == "km2" else v.figure.unit
        t.add_row("computed", f"{v.figure.value:,.2f} {unit} — {v.figure.definition}{near}")
        t.add_row("snapshot", f"{v.snapshot_date} ({v.distance_days} days away); "
                              f"{', '.join(v.figure.provenance.sources)}; boundary {v.figure.provenance.boundary}")
    t.add_row("verdict", _label(v))
    if v.reason:
        t.add_row("why", v.reason)
    for key, reading in c.readings().items():
        t.add_row(f"read: {key}", reading)
    for note in v.notes:
        t.add_row("note", note)
    t.add_row("rule", v.tolerance)
    console.print(Panel(t, title="claim check", expand=False))
    console.print(v.explanation, soft_wrap=True)
    if v.neighbours:
        n = Table(title="claims vs claims: nearest independent estimates (not a verdict)", title_justify="left")
        for col in ("source", "as of", "figure", "days from claim", "claim minus estimate"):
            n.add_column(col)
        for nb in v.neighbours:
            unit = "%" if nb["unit"] == "percent" else " km²"
            n.add_row(str(nb["source"]), str(nb["as_of"]), f"{nb['value']:g}{unit}", f"{nb['days_from_claim']:+d}",
                      f"{nb['claim_minus_estimate']:+.1f}")
        console.print(n)
    if len(v.sensitivity) > 1:
        s = Table(title="sensitivity", title_justify="left")
        for col in ("definition", "figure", "verdict", "note"):
            s.add_column(col)
        for r in v.sensitivity:
            s.add_row(r.variant, "n/a" if r.value is None else f"{r.value:,.2f}", _label_row(r.label), r.note)
        console.print(s)


def _boundary(profile: Profile, store: Any) -> Any:
    """The profile's boundary as the definitions need it (names, area): from the store's catalog when it is
    kept there, which spares loading Natural Earth and importing the geometry stack."""
    from ..metrics.quick import BoundaryMeta, boundary_key

    meta = store.boundary_meta(boundary_key(profile)) if hasattr(store, "boundary_meta") else None
    if meta is not None:
        return BoundaryMeta(**meta)
    from ..geometry.boundary import load_boundary

    return load_boundary(profile)


def _define(verdicts: list[Verdict], profile: Profile, store: Any = None) -> None:
    """The denominator, boundary and method of the figures behind the verdicts, once, in plain words."""
    figures = [v.figure for v in verdicts if v.figure is not None]
    if not figures:
        return
    from ..render.definitions import figure_definitions, settlement_sentence

    lines: list[str] = []
    if any("settlement" in f.unit for f in figures):
        on_places = any("populated places" in f.definition or "gazetteer" in f.definition for f in figures)
        lines.append(settlement_sentence("geonames" if on_places else "markers"))
    areal = [v for v in verdicts if v.figure is not None and "settlement" not in v.figure.unit]
    if areal:
        kind = "markers" if any("marker" in v.figure.provenance.method for v in areal) else "polygons"
        defined = figure_definitions(profile, _boundary(profile, store), kind)
        regional = [v.claim.region for v in areal if getattr(v.claim, "region", None)]
        if regional and len(regional) == len(areal):  # every figure is a share of a region, not of the country
            names = ", ".join(dict.fromkeys(regional))
            defined = [f"Denominator: {names} (admin-1 region boundary, clipped to the country's)."] + [
                line for line in defined if not line.startswith("Denominator:")]
        lines += defined
    for line in dict.fromkeys(lines):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _label_row(label: VerdictLabel) -> str:
    return f"[{_COLOURS[label]}]{label.value}[/]"


@command("check")
def check_cmd(
    text: Annotated[str, typer.Argument(help="The claim, e.g. \"over 96.5% of the country has been retaken by "
                                             "pro-government forces\".")],
    country: Annotated[str | None, typer.Option("--country", "--profile", "-c", "-p",
                                                help="Profile: syria, ukraine, or a YAML file (default: the "
                                                     "store's only profile).")]
    = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help="Date of the claim (YYYY-MM-DD); default "
                                                                 "today.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Who made the claim.")] = None,
    store: StoreOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    claimreview: ClaimReviewOpt = None,
    max_distance: MaxDistOpt = DEFAULT_MAX_DISTANCE_DAYS,
    alt_boundary: AltBoundaryOpt = None,
    claim_url: Annotated[str | None, typer.Option("--claim-url", help="Where the claim appeared "
                                                                     "(ClaimReview appearance).")] = None,
    ledger_csv: Annotated[list[Path] | None, typer.Option(
        "--ledger-csv", help="Published-claims CSV for claims vs claims (repeatable; default: the data folder's "
                             "claims/*.csv when WHOHOLDS_DATA is set).")] = None,
) -> None:
    """Check a claim about territorial control against the stored maps: parsed claim, figure, verdict."""
    fmt = _fmt_format(fmt, ("table", "json"))
    require_claim_length(text)
    profile = load_profile(country) if country else _store_profile(store)
    day = parse_day(date) or dt.date.today()
    claims = parse_claims(text, profile, day, speaker)
    if not claims:
        figures = parse_figures(text, profile, day, speaker)
        claims = [c for f in figures if (c := unresolved_claim(f, profile)) is not None]
        if not claims:
            raise QueryError("claim", no_claim_message(figures, profile, text))
    source, st, why = _source(store, profile, alt_boundary)
    rows = _ledger_rows(st, ledger_csv)
    verdicts = [_verdict(c, source, why, max_distance, rows) for c in claims]
    if fmt == "json":
        payload = [v.as_dict() for v in verdicts]
        console.print_json(json.dumps(payload[0] if len(payload) == 1 else payload, default=str))
    else:
        for v in verdicts:
            _print_verdict(v, profile)
        _define(verdicts, profile, st)
    if claimreview is not None:
        n = write_claimreview(verdicts, claimreview, claim_url=claim_url)
        console.print(f"wrote {n} ClaimReview object(s) to {claimreview}")


def _store_profile(store: str | Path | None) -> Profile:
    """The profile of a store that holds exactly one (``check`` without --country), taken as every other
    command takes it (:func:`~whoholds.cli.options.resolve_profile`)."""
    from .options import resolve_profile, store_profiles

    try:
        st = open_store(store)
    except StoreError as exc:
        raise QueryError("--country", f"not given, and no store to take it from ({exc.problem})") from None
    with st:
        held = store_profiles(st)
        if len(held) != 1:
            what = f"holds several ({', '.join(held)})" if held else "holds none"
            raise QueryError("--country", f"not given, and the store {what}; pass --country syria|ukraine|FILE.yaml")
        return resolve_profile(None, st)


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.3f}".rstrip("0").rstrip(".")


def _figure_row(f: ReportedFigure) -> list[str]:
    figure = f"{f.qualifier} {f.surface}" if f.qualifier else f.surface
    figure = f"not {figure}" if f.negated else figure
    unit = {"percent": "%", "percentage points": " pp", "km2": " km²"}.get(f.unit, "")
    if f.comparator == "range" and f.low is not None and f.high is not None:
        value = f"{_num(f.low)}–{_num(f.high)}{unit}"
    else:
        value = f"{_num(f.value)}{unit}"
    if f.per:
        value += f" a {f.per}"
    since = f"since {f.period_start}, " if f.period_start and f.period_start != f.as_of else ""
    if f.period_start and f.period_start == f.as_of:  # "over the past 24 hours": one day, not a running total
        since = "one day: "
    who = f.speaker or ""
    if f.data_source and f.data_source != f.speaker:
        who += f" (data: {f.data_source})"
    return [f"{figure} (= {value})" if value.replace(",", "") not in figure.replace(",", "") else figure,
            f.indicator or f.counts, who, f"{since}{f.as_of or ''}"]


@command("read")
def read_cmd(
    article: Annotated[str, typer.Argument(help="Article: a text or HTML file, or an http(s) URL.")],
    country: Annotated[str | None, typer.Option("--country", "--profile", "-c", "-p",
                                                help="Profile (default: guessed from the text).")] = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help="Article date (default: from the page).")]
    = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Name of the publication.")] = None,
    store: StoreOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    claimreview: ClaimReviewOpt = None,
    max_distance: MaxDistOpt = DEFAULT_MAX_DISTANCE_DAYS,
    record: Annotated[bool, typer.Option("--record/--no-record", help="Record every figure in the ledger.")]
    = True,
) -> None:
    """Read an article: every quantitative claim with its speaker and date; checkable ones checked; all recorded
    in the ledger."""
    fmt = _fmt_format(fmt, ("table", "json"))
    art = load_article(article, date=parse_day(date))
    script = foreign_script(art.text)
    if script:
        raise QueryError(article, f"the article is written in {script} script; whoholds reads articles written in "
                                  "English (its words for holding, gaining and losing, its units and dates)")
    guess = None if country else infer_conflict(f"{art.title or ''}\n\n{art.text}")
    name = country or (guess.profile if guess else None)
    if name is None:
        raise QueryError(article, f"cannot tell which conflict the article is about ({guess.reason if guess else ''});"
                                  " pass --country")
    profile = load_profile(name)
    if art.date is None and fmt != "json":
        console.print("[yellow]No article date found (page metadata, dateline or file name): figures are not "
                      "dated; pass --date YYYY-MM-DD to date 'on Thursday', 'last month'.[/]")
    figures = extract_figures(art, profile, outlet=outlet)
    source, st, why = _source(store, profile, None, create=record)
    verdicts: dict[int, Verdict] = {}
    for i, f in enumerate(figures):
        claim = unresolved_claim(f, profile)
        if claim is not None:
            verdicts[i] = _verdict(claim, source, why, max_distance)
    added, replaced, article_flags = None, 0, None
    if record and st is not None:
        ledger = Ledger(st)
        sid = ledger.add_source("article", outlet or art.outlet, url=art.url, title=art.title,
                                published=art.date, path=None if art.url == article else article,
                                content=art.text)
        added = ledger.add_figures(figures, source_id=sid, url=art.url, verdicts=verdicts, profile=profile)
        replaced = ledger.replaced_versions(sid)
        article_flags = ledger.flags_of_source(sid)
    if fmt == "json":
        payload = {
            "article": {"source": art.source, "title": art.title, "date": str(art.date) if art.date else None,
                        "url": art.url, "outlet": outlet or art.outlet, "removed_paragraphs": len(art.removed),
                        "conflict": name, "conflict_inferred": guess is not None,
                        "conflict_evidence": guess.evidence.get(name, [])[:8] if guess else []},
            "figures": [{**f.as_dict(), "verdict": verdicts[i].as_dict() if i in verdicts else None}
                        for i, f in enumerate(figures)],
            "ledger_new": added, "ledger_replaced_versions": replaced,
            "ledger_flags": article_flag_records(article_flags),
        }
        console.print_json(json.dumps(payload, default=str))
    else:
        console.print(f"[bold]{art.title or art.source}[/] ({art.date or 'no date'}; "
                      f"{outlet or art.outlet or 'unknown outlet'}); {len(art.removed)} boilerplate paragraph(s) "
                      "removed")
        if not figures:  # one line, not an empty table
            console.print(f"no figures found in {article} (no number this tool reads as a reported figure)")
        t = Table(title=f"{len(figures)} reported figure(s)", title_justify="left")
        for col in ("#", "figure as written", "what is counted", "speaker", "as of", "status"):
            t.add_column(col, overflow="fold")
        for i, f in enumerate(figures):
            status = _label_row(verdicts[i].label) if i in verdicts else "reported"
            t.add_row(str(i + 1), *_figure_row(f), status)
        if figures:
            console.print(t)
        checkable = [v for v in verdicts.values() if v.claim.subject is not None]
        if not verdicts and figures:
            console.print("[yellow]No checkable claim in this article[/] (whoholds checks shares, areas and "
                          "settlement counts of a named actor); the figures above are kept as reported figures.")
        for i, v in verdicts.items():
            console.print(f"\n[bold]#{i + 1}[/] {_label(v)}: {v.explanation}", soft_wrap=True)
            readings = "; ".join(f"{k}: {r}" for k, r in v.claim.readings().items())
            console.print(f"   [dim]read as — {readings}[/]", soft_wrap=True, highlight=False)
        if verdicts and not checkable:
            console.print("[yellow]None of the checkable-looking figures names an actor the profile knows.[/]")
        _define(list(verdicts.values()), profile, st)
        if added is not None:
            console.print(f"\nledger: {added} new figure(s) recorded ({len(figures) - added} already there)"
                          + (f"; this text differs from the {replaced} earlier version(s) read from the same "
                             "file or URL, whose figures the ledger now hides (`whoholds ledger --history`)"
                             if replaced and added else ""))
            print_article_flags(article_flags)
    if claimreview is not None and verdicts:
        n = write_claimreview(list(verdicts.values()), claimreview, claim_url=art.url)
        console.print(f"wrote {n} ClaimReview object(s) to {claimreview}")

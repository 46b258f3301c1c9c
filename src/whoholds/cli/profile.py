"""`whoholds profile init|check|schema`: write a starter profile from a map, check one against the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .app import app, console, user_errors

profile_app = typer.Typer(
    help="Conflict profiles: write a starter profile from a map, check one against the schema.",
    no_args_is_help=True,
)
app.add_typer(profile_app, name="profile")


@profile_app.command("init")
@user_errors
def init_cmd(
    name: Annotated[str, typer.Argument(help="Profile id, e.g. iraq (letters, digits, _ and -).")],
    source: Annotated[Path, typer.Option("--from", help="A map in any format ingest reads (GeoJSON, Esri JSON, "
                                                         "KML, CSV with WKT...) or a Wikipedia map module.")],
    country: Annotated[str | None, typer.Option("--country", help="ISO3 code of the country (boundary).")]
    = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="YAML file to write (default NAME.yaml).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Scan a map's marks, labels and colours and write a starter profile (YAML) to edit."""
    from ..io.writers import write_text_atomic
    from ..profiles.scaffold import scan_map, starter_profile

    out = output or Path(f"{name}.yaml")
    if out.exists() and not force:
        raise InputError(out, "exists; pass --force to overwrite, or -o another file")
    text = starter_profile(name, source, country)
    write_text_atomic(out, text)
    scan = scan_map(source)
    what = (f"{sum(scan.marks.values())} markers of {len(scan.marks)} kinds" if scan.kind == "markers"
            else f"{sum(scan.labels.values())} labelled polygons of {len(scan.labels)} kinds")
    console.print(f"wrote {out}: {what} from {source.name}. Name the states (# TODO), then "
                  f"`whoholds profile check {out}`", highlight=False)


@profile_app.command("check")
@user_errors
def check_cmd(
    file: Annotated[Path, typer.Argument(help="The profile YAML file.")],
    map_file: Annotated[Path | None, typer.Option("--map", help="Also show how a map's marks/labels classify.")]
    = None,
) -> None:
    """Check a profile file against the schema (unknown keys, wrong types, with line numbers) and its rules."""
    from ..profiles import load_profile

    if not file.is_file():
        raise InputError(file, "no such profile file")
    prof = load_profile(str(file))
    console.print(f"{file}: valid profile {prof.id!r} ({prof.name}): {len(prof.actors)} actors, "
                  f"{len(prof.states)} states, {len(prof.coalitions)} coalitions, boundary "
                  f"{prof.boundary.country or prof.boundary.source}", highlight=False)
    if map_file is None:
        return
    from ..profiles.scaffold import scan_map

    scan = scan_map(map_file)
    rows = ([(k, n, prof.classify(mark=k)) for k, n in scan.marks.most_common()] if scan.kind == "markers"
            else [(f"{lb or '-'} / {fill or '-'}", n, prof.classify(label=lb, fill=fill))
                  for (lb, fill), n in scan.labels.most_common()])
    missed = sum(n for _k, n, state in rows if state is None)
    for key, n, state in rows:
        console.print(f"  {n:6d}  {key} → {prof.display_name(state) if state else 'NOT MAPPED'}", highlight=False)
    total = sum(n for _k, n, _s in rows)
    console.print(f"{total - missed} of {total} labelled features of {map_file.name} classified", highlight=False)
    if scan.unlabelled:
        from ..profiles.recognise import recognised_unlabelled_state

        found = recognised_unlabelled_state(prof, [map_file])
        fate = (f"count as {prof.display_name(found[0])} ({found[1]})" if found
                else "need --unlabelled-state STATE at ingest (or an unlabelled_sources entry)")
        console.print(f"{scan.unlabelled} polygons with no label or fill: {fate}", highlight=False)


@profile_app.command("schema")
@user_errors
def schema_cmd() -> None:
    """Print the JSON Schema of profile files (also in docs/profile.schema.json)."""
    import json

    from ..profiles.schema import json_schema

    print(json.dumps(json_schema(), indent=2))

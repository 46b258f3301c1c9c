"""The profile file format as a schema (pydantic), checked with line numbers before a profile is built.

- An unknown key (``stats:`` for ``states:``, ``prority:``) is an error naming the key, its line and the
  closest known key; so is a wrong type or an unknown ``kind``.
- YAML aliases are expanded lazily by PyYAML but eagerly by anything that walks the result; a file whose
  aliases expand to more than :data:`MAX_NODES` nodes (a "billion laughs" bomb) is refused before that.
- :func:`json_schema` is the published JSON Schema (docs/profile.schema.json; ``whoholds profile schema``).

pydantic is imported inside the functions: the built-in profiles, which a test validates, skip this check.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from ..errors import InputError

MAX_BYTES = 2_000_000
MAX_NODES = 200_000
STATE_KINDS = ("actor", "contested", "mixed", "excluded")


def _models() -> Any:
    """The pydantic models (built once, on first use)."""
    global _MODELS
    if _MODELS is not None:
        return _MODELS
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    Names = list[str] | str | None

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")

    class Actor(_Strict):
        """A party to the conflict."""

        id: str = Field(description="Short id used in states and coalitions (e.g. russia).")
        name: str | None = Field(None, description="Display name.")
        colour: str | None = Field(None, description="Colour for maps and charts (#rrggbb).")
        aliases: Names = Field(None, description="Other names used in claims (Russian forces, AFU...).")
        drawn_with: Names = Field(None, description="Actors whose places on the map usually stand for land this "
                                                    "one holds with them (a foreign army beside local allies): a "
                                                    "claim about this actor's area or share alone is not checked.")

    class State(_Strict):
        """A kind of area on the map (occupied, grey zone...) and how to recognise it."""

        id: str
        name: str | None = None
        kind: Literal["actor", "contested", "mixed", "excluded"] = Field(
            "actor", description="actor: held by one actor; contested/mixed: several parties; excluded: not "
                                 "counted (e.g. other countries' layers).")
        colour: str | None = None
        actor: str | None = Field(None, description="The holder (an actor id), for kind: actor.")
        parties: Names = Field(None, description="Actor ids involved, for contested/mixed states.")
        labels: Names = Field(None, description="Regular expressions matched against feature names/labels.")
        fills: Names = Field(None, description="Fill colours (#rrggbb) that mean this state.")
        marks: Names = Field(None, description="Regular expressions matched against marker icons (marker maps).")

    class Coalition(_Strict):
        id: str
        name: str | None = None
        members: Names = Field(None, description="Actor ids.")
        aliases: Names = None
        colour: str | None = None

    class Boundary(_Strict):
        """The denominator: the country whose area shares are of."""

        country: str | None = Field(None, description="ISO3 code for Natural Earth (e.g. UKR).")
        source: str | None = Field(None, description="natural-earth, or a vector file with the outline.")
        pov: str | None = Field(None, description="Natural Earth point of view (e.g. deu).")
        note: str | None = Field(None, description="What the boundary includes, in plain words (shown with "
                                                   "every figure).")

    class UnlabelledSource(_Strict):
        match: str = Field(description="Regular expression on the file name or the GeoJSON collection name.")
        state: str = Field(description="State given to polygons with no label, fill or mark.")
        name: str | None = None

    class Tracker(_Strict):
        """A publisher of control maps or figures, for source-aware verdicts."""

        id: str
        name: str | None = None
        aliases: Names = Field(None, description="How claims name it (\"ISW\", \"DeepState\").")
        convention: str | None = Field(None, description="What it counts, in plain words.")
        sources: Names = Field(None, description="Regexes on snapshot source paths/URLs made by this tracker.")

    class Era(_Strict):
        """An event boundary a claim can name (e.g. the full-scale invasion)."""

        id: str
        name: str | None = None
        start: dt.date | str = Field(description="First day of the era, YYYY-MM-DD.")
        before_states: Names = Field(None, description="States that represent holdings before the start.")

    class Profile(_Strict):
        """A whoholds conflict profile."""

        model_config = ConfigDict(extra="forbid", title="whoholds profile")

        id: str = Field(description="Short id (letters, digits, _ and -).")
        name: str | None = None
        description: str | None = None
        boundary: Boundary | None = None
        default_holder: str | None = Field(None, description="State that holds land no feature covers.")
        actors: list[Actor] = Field(default_factory=list)
        coalitions: list[Coalition] | None = None
        states: list[State] = Field(default_factory=list)
        priority: Names = Field(None, description="State ids that win where drawn areas overlap, first wins.")
        date_properties: Names = Field(None, description="Feature properties that hold the snapshot date.")
        label_properties: Names = Field(None, description="Feature properties (any case) that name the state, "
                                                          "first non-empty wins (default: name, label, status... "
                                                          "then other state-like properties).")
        aliases: Names = None
        unlabelled_sources: list[UnlabelledSource] | None = None
        trackers: list[Tracker] | None = None
        eras: list[Era] | None = None
        conflict_start: dt.date | str | None = Field(None, description="First day a map of this conflict can "
                                                                        "show (YYYY-MM-DD); earlier dates are "
                                                                        "refused at ingest.")

    _MODELS = Profile
    return Profile


_MODELS: Any = None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of profile files."""
    return _models().model_json_schema()


# ---- YAML with positions ------------------------------------------------------------------------------------
def _expanded_size(root: Any) -> int:
    """Nodes of the document once aliases are expanded, counted without expanding them (memoised), with an
    early stop past MAX_NODES."""
    import yaml

    sizes: dict[int, int] = {}

    def size(node: Any, depth: int = 0) -> int:
        if depth > 200:
            raise InputError("profile", "YAML nested more than 200 levels deep")
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = MAX_NODES + 1  # a cycle counts as too big
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(v, depth + 1) for v in node.value)
        else:
            n = 1
        sizes[key] = min(n, MAX_NODES + 1)
        return sizes[key]

    return size(root)


def _node_at(root: Any, loc: tuple[Any, ...]) -> Any:
    """The YAML node at a pydantic error location (as deep as it exists)."""
    import yaml

    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    node = k if part == loc[-1] else v
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _known_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model that holds ``loc``'s last key."""
    from typing import get_args

    current = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        inner = [a for a in (field.annotation, *get_args(field.annotation))
                 for a in (a, *get_args(a)) if hasattr(a, "model_fields")]
        if not inner:
            return []
        current = inner[0]
    return list(current.model_fields)


def _message(err: dict[str, Any], model: Any) -> str:
    loc = tuple(err.get("loc", ()))
    if err.get("type") == "extra_forbidden":
        key = str(loc[-1])
        known = _known_keys(model, loc)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else (f" (known keys: {', '.join(known)})" if known else "")
        return f"unknown key {key!r} in {_where(loc[:-1]) or 'the top level'}{hint}"
    if err.get("type") == "literal_error" and loc and loc[-1] == "kind":
        return f"{_where(loc)}: {err.get('input')!r} is not a state kind (use {', '.join(STATE_KINDS)})"
    if err.get("type") == "missing":
        return f"{_where(loc)}: required key missing"
    return f"{_where(loc)}: {err.get('msg', 'invalid')}"


def parse_profile_yaml(text: str, source: str, *, validate: bool = True) -> dict[str, Any]:
    """The profile mapping of a YAML text, refusing alias bombs and (with ``validate``) anything that does not
    follow the schema, each as one InputError line with the line number."""
    import yaml

    if len(text) > MAX_BYTES:
        raise InputError(source, f"profile is {len(text):,} bytes; profiles are small files (limit {MAX_BYTES:,})")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{source}:{mark.line + 1}" if mark is not None else source
        raise InputError(at, f"profile is not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise InputError(source, "profile must be a YAML mapping (key: value lines)")
    if _expanded_size(root) > MAX_NODES:
        raise InputError(source, f"YAML aliases expand to more than {MAX_NODES:,} values (an alias bomb?); refused")
    data = yaml.SafeLoader(text).get_single_data()
    if not validate:
        return data
    from pydantic import ValidationError

    model = _models()
    try:
        model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        parts = []
        for err in errors[:3]:
            node = _node_at(root, tuple(err.get("loc", ())))
            parts.append(f"line {node.start_mark.line + 1}: {_message(err, model)}")
        more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        raise InputError(source, "; ".join(parts) + more) from None
    return data

"""Mapbox GL / MapLibre style JSON (``{"version": 8, "sources": ..., "layers": ...}``) with inline GeoJSON.

Newsrooms and OSINT groups publish web maps whose style document carries the control areas itself: a
``geojson`` source whose ``data`` is a FeatureCollection, drawn by ``fill`` layers. Each inline feature is
read with:

- ``layer``: the id of the one fill layer that draws its source without a filter, else the source's id
  (both are usually what the author named the area: "occupied", "liberated");
- ``fill``: that fill layer's constant ``fill-color`` when the feature has no colour of its own (data-driven
  expressions are not evaluated: the feature's own properties are what they read).

A style whose sources are only links (a ``data`` URL, vector tiles) holds no map here: one line naming the
links to download instead.
"""

from __future__ import annotations

import json

from ..errors import InputError

#: Top-level keys that make a JSON document a style rather than GeoJSON.
STYLE_KEYS = ("version", "sources", "layers")


def is_style(doc: object) -> bool:
    return (isinstance(doc, dict) and all(k in doc for k in STYLE_KEYS) and isinstance(doc["sources"], dict)
            and isinstance(doc["layers"], list) and "features" not in doc and "type" not in doc)


def _fill_layers(layers: list[object], source_id: str) -> list[dict]:
    return [lay for lay in layers if isinstance(lay, dict) and lay.get("source") == source_id
            and lay.get("type") == "fill"]


def _inline_features(data: object, name: str) -> list[dict]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        return data["features"]
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    if isinstance(data, dict) and data.get("type") in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "properties": {}, "geometry": data}]
    raise InputError(name, "map style: an inline 'geojson' source whose data is not GeoJSON")


def from_style(doc: dict, name: str) -> bytes:
    """The inline GeoJSON of a style's sources as one FeatureCollection (see the module doc)."""
    features: list[dict] = []
    links: list[str] = []
    for source_id, spec in doc["sources"].items():
        if not isinstance(spec, dict):
            continue
        data = spec.get("data")
        if spec.get("type") != "geojson" or isinstance(data, str) or data is None:
            url = data if isinstance(data, str) else spec.get("url") or (spec.get("tiles") or [None])[0]
            links.append(f"{source_id} ({str(url)[:120]})" if url else str(source_id))
            continue
        fills = _fill_layers(doc["layers"], source_id)
        plain = [lay for lay in fills if "filter" not in lay]
        drawn_by = plain[0] if len(fills) == 1 and plain else None
        layer_name = str(drawn_by.get("id")) if drawn_by and drawn_by.get("id") else str(source_id)
        paint = drawn_by.get("paint") if drawn_by and isinstance(drawn_by.get("paint"), dict) else {}
        colour = paint.get("fill-color") if isinstance(paint.get("fill-color"), str) else None
        for feature in _inline_features(data, name):
            if not isinstance(feature, dict):
                raise InputError(name, "map style: a feature that is not an object")
            props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
            props = {**props}
            props.setdefault("layer", layer_name)
            if colour and not any(props.get(k) for k in ("fill", "fill-color", "fillColor", "color", "colour")):
                props["fill"] = colour
            features.append({**feature, "properties": props})
    if not features:
        shown = "; ".join(links[:3]) or "none"
        raise InputError(name, f"a map style (Mapbox/MapLibre) with no inline GeoJSON: its sources are links "
                               f"({shown}); download the GeoJSON they point at and read that")
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()

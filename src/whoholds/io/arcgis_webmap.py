"""ArcGIS Online web maps saved as JSON (an item's ``/data``: ``operationalLayers`` of feature collections).

Think tanks publish their control maps as ArcGIS web maps; "save the item's data" gives a JSON whose layers
hold Esri features (``featureCollection.layers[].featureSet.features``), each layer with a title ("Assessed
Russian Control") and a renderer. Each feature gets its layer's title as the ``layer`` property, and the fill
colour its renderer draws it with (a simple renderer's colour, or the colour and the legend label of its
unique value) as ``fill`` and ``category``; the state rules then read them like any other map.

Layers that are only links to a live service (``url``) hold no features here: a web map made only of those
is one line saying which layers to download.
"""

from __future__ import annotations

import json

from ..errors import InputError
from .dialects import _esri_crs, _esri_geometry, _load


def _colour(symbol: object) -> str | None:
    colour = symbol.get("color") if isinstance(symbol, dict) else None
    if (isinstance(colour, list) and len(colour) >= 3
            and all(isinstance(v, (int, float)) and 0 <= v <= 255 for v in colour[:3])):
        return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in colour[:3]))
    return None


def _styler(layer_def: dict) -> object:
    """``f(attributes) -> (fill, legend label)`` from a layer definition's renderer."""
    info = layer_def.get("drawingInfo") if isinstance(layer_def.get("drawingInfo"), dict) else {}
    renderer = info.get("renderer") if isinstance(info.get("renderer"), dict) else {}
    if renderer.get("type") == "uniqueValue" and isinstance(renderer.get("uniqueValueInfos"), list):
        field = renderer.get("field1")
        by_value = {str(i.get("value")): (_colour(i.get("symbol")), i.get("label"))
                    for i in renderer["uniqueValueInfos"] if isinstance(i, dict)}
        return lambda attrs: by_value.get(str(attrs.get(field)), (None, None))
    simple = (_colour(renderer.get("symbol")), renderer.get("label") or None)
    return lambda attrs: simple


def _layer_features(op: dict, default_ref: object, name: str) -> tuple[list[dict], str | None]:
    title = op.get("title")
    collection = op.get("featureCollection") if isinstance(op.get("featureCollection"), dict) else {}
    features: list[dict] = []
    crs: str | None = None
    for sub in collection.get("layers") or []:
        if not isinstance(sub, dict):
            continue
        layer_def = sub.get("layerDefinition") if isinstance(sub.get("layerDefinition"), dict) else {}
        fset = sub.get("featureSet") if isinstance(sub.get("featureSet"), dict) else {}
        style = _styler(layer_def)
        for feature in fset.get("features") or []:
            if not isinstance(feature, dict):
                raise InputError(name, "ArcGIS web map: a feature that is not an object")
            geom = feature.get("geometry")
            ref = (geom.get("spatialReference") if isinstance(geom, dict) else None) or layer_def.get(
                "spatialReference") or default_ref
            here = _esri_crs({"spatialReference": ref}, name)
            if features and here != crs:
                raise InputError(name, "ArcGIS web map: its layers use different coordinate systems")
            crs = here
            props = dict(feature["attributes"]) if isinstance(feature.get("attributes"), dict) else {}
            fill, legend = style(props)  # type: ignore[operator]
            if fill and "fill" not in props:
                props["fill"] = fill
            if legend and "category" not in props:
                props["category"] = legend
            if title and "layer" not in props:
                props["layer"] = str(title)
            features.append({"type": "Feature", "properties": props, "geometry": _esri_geometry(geom, name)})
    return features, crs


def from_webmap(data: bytes, name: str) -> bytes:
    """A GeoJSON FeatureCollection of every feature a web map holds (see the module doc)."""
    doc = _load(data, name)
    layers = doc.get("operationalLayers") if isinstance(doc, dict) else None
    if not isinstance(layers, list):
        raise InputError(name, "ArcGIS web map without an 'operationalLayers' list")
    features: list[dict] = []
    crses: set[str | None] = set()
    linked: list[str] = []
    for op in layers:
        if not isinstance(op, dict):
            continue
        got, crs = _layer_features(op, doc.get("spatialReference"), name)
        if got:
            features += got
            crses.add(crs)
        elif op.get("url"):
            linked.append(str(op.get("title") or op["url"])[:60])
    if not features:
        shown = ", ".join(repr(t) for t in linked[:3]) or "none"
        raise InputError(name, f"an ArcGIS web map whose layers are links to live services ({shown}), no features; "
                               "download each layer (its URL + /query?where=1=1&outFields=*&f=geojson) and read that")
    if len(crses) > 1:
        raise InputError(name, "ArcGIS web map: its layers use different coordinate systems")
    fc: dict = {"type": "FeatureCollection", "features": features}
    crs = crses.pop()
    if crs is not None:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(fc).encode()

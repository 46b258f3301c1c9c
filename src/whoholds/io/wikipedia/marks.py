"""The marker legend: a Python port of "Module:Middle East conflicts map marks" (mark key -> icon file).

A marker names what it draws either by a key of that module (``mark = m.gov``) or by a raw icon file name
(``mark = "Location dot red.svg"``); ``canonical_mark`` reduces both to the key, and ``base_feature_type``
tells from the key alone whether it draws a settlement dot, a facility, an annotation or a picture.
"""

from __future__ import annotations

import re

from ...profiles.model import normalise_label

#: Side keys in the order the marks module combines them.
SIDES = ("gov", "opp", "SDF", "JaN", "IS", "Trk", "lcl", "spc")
_COLOURS = {
    "gov": "red",
    "opp": "lime",
    "SDF": "yellow",
    "JaN": "grey",
    "IS": "black",
    "Trk": "green",
    "lcl": "blue",
    "spc": "orange",
}
_DIRECTIONS = {"N": "NN", "NE": "NE", "E": "EE", "SE": "SE", "S": "SS", "SW": "SW", "W": "WW", "NW": "NW"}
_SYMBOLS = {
    "siege": "Map-circle-%s.svg",
    "hill": "Map-peak-%s.svg",
    "air": "Fighter-jet-%s-icon.svg",
    "heli": "Helicopter-%s-icon.svg",
    "naval": "Anchor pictogram %s.svg",
    "base": "Abm-%s-icon.png",
    "rural3": "3x3dot-%s.svg",
    "rural4": "4x4dot-%s.svg",
    "industry": "Icon NuclearPowerPlant-%s.svg",
}
#: Suffixes that make a side-coloured marker a facility rather than a settlement dot.
FACILITY_TYPES = {
    "hill": "hill",
    "air": "air",
    "heli": "heli",
    "naval": "naval",
    "base": "base",
    "industry": "industry",
    "oil": "oil",
    "rural3": "rural",
    "rural4": "rural",
}
#: Suffixes of annotation icons drawn around a dot (not holders of their own).
_ANNOTATION_SUFFIXES = {"siege": "siege", **{d: "pressure" for d in _DIRECTIONS}}


def _build_mark_icons() -> dict[str, str]:
    p: dict[str, str] = {
        "gov": "Location dot red.svg",
        "opp": "Dot green 0d0.svg",
        "SDF": "Dot yellow ff4.svg",
        "JaN": "Map-dot-grey-68a.svg",
        "IS": "Location dot black.svg",
        "Trk": "Location dot green.svg",
        "lcl": "Location dot blue.svg",
        "spc": "Location dot orange.svg",
        "gov_oil": "Gota01.svg",
        "opp_oil": "Gota02.svg",
        "SDF_oil": "Gota04.svg",
        "JaN_oil": "Gota08.svg",
        "IS_oil": "Gota07.svg",
        "Trk_oil": "GotaAH.svg",
        "lcl_oil": "Gota03.svg",
        "truce_gov_opp": "LACMTA Circle Purple Line.svg",
    }
    for side, colour in _COLOURS.items():
        for k, v in _DIRECTIONS.items():
            p[f"{side}_{k}"] = f"Map-arc{v}-{colour}.svg"
        for k, v in _SYMBOLS.items():
            p[f"{side}_{k}"] = v % colour
    for i, a in enumerate(SIDES):
        for j in range(i + 1, len(SIDES)):
            b = SIDES[j]
            ca, cb = _COLOURS[a], _COLOURS[b]
            p[f"{a}_{b}"] = f"80x80-{ca}-{cb}-anim.gif"
            p[f"stable_{a}_{b}"] = f"Map-ctl2-{ca}+{cb}.svg"
            for k in range(j + 1, len(SIDES)):
                c = SIDES[k]
                cc = _COLOURS[c]
                p[f"{a}_{b}_{c}"] = f"80x80-{ca}-{cb}-{cc}-anim.gif"
                p[f"stable_{a}_{b}_{c}"] = f"Map-ctl3-{ca}+{cb}+{cc}.svg"
    for k in _DIRECTIONS:
        p[f"pass_{k}"] = f"Mountain pass 12x12 {k.lower()}.svg"
        p[f"dam_{k}"] = f"Arch dam 12x12 {k.lower()}.svg"
    p.update(
        {  # the module's overrides
            "SDF_base": "Abm-yellow-icon-2.png",
            "IS_naval": "Anchor pictogram.svg",
            "opp_industry": "Icon NuclearPowerPlant-green.svg",
            "IS_lcl": "80x80-blue-black-anim.gif",
            "IS_Trk": "80x80-green-black-anim.gif",
            "opp_naval": "Anchor pictogram green.svg",
        }
    )
    return p


#: mark key -> icon file name, as "Module:Middle East conflicts map marks" defines them.
MARK_ICONS: dict[str, str] = _build_mark_icons()


def _file_key(name: str) -> str:
    """MediaWiki file-name identity: no 'File:' prefix, underscores as spaces, first letter upper-case."""
    s = normalise_label(name).replace("_", " ")
    s = re.sub(r"^(?:file|image)\s*:\s*", "", s, flags=re.IGNORECASE)
    s = re.sub(r"\s+", " ", s).strip()
    return s[:1].upper() + s[1:]


def _build_icon_keys() -> dict[str, str]:
    rev: dict[str, str] = {}
    # Overrides win where an override shares its file with a generated key (opp_industry/Trk_industry
    # and opp_naval/Trk_naval both draw the green icon; the module's comment says Trk borrows opp's).
    overrides = {"SDF_base", "IS_naval", "opp_industry", "IS_lcl", "IS_Trk", "opp_naval"}
    for key, icon in MARK_ICONS.items():
        if key not in overrides:
            rev.setdefault(_file_key(icon), key)
    for key in overrides:
        rev[_file_key(MARK_ICONS[key])] = key
    return rev


_ICON_KEYS = _build_icon_keys()


def canonical_mark(value: str, is_key: bool) -> str:
    """The mark key for a marker: ``m.gov`` -> ``gov``; a raw icon file of the marks module -> its key;
    any other raw image -> ``svg:<File name.svg>``."""
    if is_key:
        return value.strip()
    key = _file_key(value)
    return _ICON_KEYS.get(key, "svg:" + key)


_SIDE_ALT = "gov|opp|SDF|JaN|HTS|IS|ISIS|Trk|lcl|spc|US|USA|CJTF"
_SIDE_KEY_RE = re.compile(rf"(?:stable_|truce_)?(?:{_SIDE_ALT})(?:_(?:{_SIDE_ALT}))*")


def base_feature_type(mark: str) -> str:
    """What a mark draws, from its key alone: settlement, hill, base, air, heli, naval, industry, oil,
    rural, border_crossing, dam, siege, pressure, image (raw picture: minimap, overlay), other."""
    if mark.startswith("svg:"):
        name = mark[4:]
        if name.startswith("BSicon"):
            return "dam"
        return "image"
    if mark.startswith("pass"):
        return "border_crossing"
    if mark.startswith("dam"):
        return "dam"
    head, _, suffix = mark.rpartition("_")
    if head and suffix in FACILITY_TYPES and _SIDE_KEY_RE.fullmatch(head):
        return FACILITY_TYPES[suffix]
    if head and suffix in _ANNOTATION_SUFFIXES and _SIDE_KEY_RE.fullmatch(head):
        return _ANNOTATION_SUFFIXES[suffix]
    if _SIDE_KEY_RE.fullmatch(mark):
        return "settlement"
    return "other"


def is_plain_dot(mark: str) -> bool:
    """A plain side-coloured dot (settlement or district), single side, mixed or contested, no facility."""
    return base_feature_type(mark) == "settlement"

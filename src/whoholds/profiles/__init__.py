"""Conflict profiles (actors, aliases, colours, coalitions, contested states) and their loader."""

from .loader import builtin_profiles, load_profile, profile_from_dict
from .model import (
    PSEUDO_STATES,
    UNASSIGNED,
    UNINHABITED,
    Actor,
    BoundarySpec,
    Coalition,
    Profile,
    StateDef,
    normalise_label,
)

__all__ = [
    "PSEUDO_STATES",
    "UNINHABITED",
    "UNASSIGNED",
    "Actor",
    "BoundarySpec",
    "Coalition",
    "Profile",
    "StateDef",
    "builtin_profiles",
    "load_profile",
    "normalise_label",
    "profile_from_dict",
]

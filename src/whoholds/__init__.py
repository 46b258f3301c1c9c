"""whoholds: who holds what in an armed conflict, from real map data, with claims checked against it."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, QueryError, StoreError, WhoholdsError
from .profiles import Profile, load_profile
from .types import Figure, Provenance, Snapshot

__all__ = [
    "Figure",
    "InputError",
    "Profile",
    "Provenance",
    "QueryError",
    "Snapshot",
    "StoreError",
    "WhoholdsError",
    "__version__",
    "load_profile",
]

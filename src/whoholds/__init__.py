"""whoholds: who holds what in an armed conflict, from real map data, with claims checked against it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import InputError, QueryError, StoreError, WhoholdsError
    from .profiles import Profile, load_profile
    from .store_base import StoreBase, open_store
    from .types import Figure, Provenance, Snapshot

# Public names resolve on first use (PEP 562), so `import whoholds` — which every command, `--version` and
# `--help` do — does not load YAML and the profile loader.
_LAZY = {
    "Figure": "types",
    "Provenance": "types",
    "Snapshot": "types",
    "InputError": "errors",
    "QueryError": "errors",
    "StoreError": "errors",
    "WhoholdsError": "errors",
    "Profile": "profiles",
    "load_profile": "profiles",
    "open_store": "store_base",
    "StoreBase": "store_base",
}

__all__ = [
    "Figure",
    "InputError",
    "Profile",
    "Provenance",
    "QueryError",
    "Snapshot",
    "StoreBase",
    "StoreError",
    "WhoholdsError",
    "__version__",
    "load_profile",
    "open_store",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

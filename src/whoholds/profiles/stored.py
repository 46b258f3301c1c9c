"""The profile a store was built with: built-in ones by name, a user's YAML file by the copy kept in the store.

``whoholds ingest --profile my-war.yaml`` keeps a copy in the store (``<store>/profiles/<id>.yaml`` in a folder,
a row in a database: ``store.keep_text``), so later commands on that store need no ``--profile`` (and still
work if the original file moved).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import StoreError
from .loader import BUILTIN, load_profile
from .model import Profile

FOLDER = "profiles"


def profile_copy_path(store_path: Path, profile_id: str) -> Path:
    return Path(store_path) / FOLDER / f"{profile_id}.yaml"


def copy_name(profile_id: str) -> str:
    return f"{FOLDER}/{profile_id}.yaml"


def keep_profile(store: Any, name_or_path: str, profile: Profile) -> None:
    """Keep a copy of a user's profile file in the store (built-in profiles need none)."""
    if name_or_path in BUILTIN:
        return
    store.keep_text(copy_name(profile.id), Path(name_or_path).read_text("utf-8"))


def stored_profile(store: Any, profile_id: str) -> Profile:
    """The profile ``profile_id`` of a store: built-in, or the copy kept at ingest."""
    if profile_id in BUILTIN:
        return load_profile(profile_id)
    text = store.kept_text(copy_name(profile_id))
    if text is not None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:  # the loader reads a file (and names it in messages)
            copy = Path(folder) / f"{profile_id}.yaml"
            copy.write_text(text, "utf-8")
            return load_profile(str(copy))
    raise StoreError(store.path, f"the store holds profile {profile_id!r} from a YAML file it has no copy of; "
                                 f"pass --profile FILE.yaml")

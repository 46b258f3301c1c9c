"""The profile a store was built with: built-in ones by name, a user's YAML file by the copy kept in the store.

``whoholds ingest --profile my-war.yaml`` keeps ``<store>/profiles/<id>.yaml``, so later commands on that store
need no ``--profile`` (and still work if the original file moved).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .loader import BUILTIN, load_profile
from .model import Profile

FOLDER = "profiles"


def profile_copy_path(store_path: Path, profile_id: str) -> Path:
    return Path(store_path) / FOLDER / f"{profile_id}.yaml"


def keep_profile(store_path: Path, name_or_path: str, profile: Profile) -> Path | None:
    """Keep a copy of a user's profile file in the store (built-in profiles need none). Returns the copy."""
    if name_or_path in BUILTIN:
        return None
    from ..io.writers import write_text_atomic

    target = profile_copy_path(store_path, profile.id)
    target.parent.mkdir(exist_ok=True)
    return write_text_atomic(target, Path(name_or_path).read_text("utf-8"))


def stored_profile(store_path: Path, profile_id: str) -> Profile:
    """The profile ``profile_id`` of a store: built-in, or the copy kept at ingest."""
    if profile_id in BUILTIN:
        return load_profile(profile_id)
    copy = profile_copy_path(store_path, profile_id)
    if copy.is_file():
        return load_profile(str(copy))
    raise StoreError(store_path, f"the store holds profile {profile_id!r} from a YAML file it has no copy of; "
                                 f"pass --profile FILE.yaml")

"""The web API (FastAPI) and its page: ``create_app(store_path)``; ``whoholds serve`` runs it with uvicorn."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

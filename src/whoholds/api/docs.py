"""API docs at ``/docs`` that work offline: Swagger UI's files come from the ``swagger-ui-bundle-v2`` package
(installed with whoholds), served under ``/docs-assets``; no CDN is contacted."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def swagger_assets() -> Path | None:
    """The folder of Swagger UI's files in the installed package, or None when it is missing."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    path = Path(str(swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def mount(app: FastAPI) -> None:
    from fastapi.openapi.docs import get_swagger_ui_html

    assets = swagger_assets()
    if assets is not None:
        app.mount(ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if assets is None:
            return HTMLResponse("<!doctype html><title>whoholds API</title><p>Swagger UI is not installed "
                                "(pip install swagger-ui-bundle-v2). The schema is at "
                                "<a href='/openapi.json'>/openapi.json</a>.</p>", status_code=200)
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title="whoholds API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

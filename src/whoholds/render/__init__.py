"""Render results: Rich tables, PNG/SVG maps and charts, one-file HTML reports.

Names are imported lazily so that ``import whoholds.render`` (and the CLI start-up) does not load matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "frame_table": "tables",
    "provenance_note": "tables",
    "control_map": "maps",
    "control_map_figure": "maps",
    "main_cities": "cities",
    "display_crs": "cartography",
    "scale_bar_length": "cartography",
    "save_figure": "figures",
    "timeline_chart": "timeline_plot",
    "share_bar_chart": "charts",
    "transfer_chart": "charts",
    "ReportSection": "report",
    "html_report": "report",
    "period_report": "period",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

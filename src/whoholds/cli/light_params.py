"""Option values without Pydantic: Typer (0.2x) coerces every option through a Pydantic TypeAdapter, and
importing Pydantic and building the adapters costs ~0.25 s of every command's start-up -- half of a command
answered from the store's cache. The plain cases (a string option given a string, a number option left at
its default, a path given as a string, a list of strings) are coerced here exactly as Typer would, by
Typer's own path checks; every other value goes to Typer's adapter as before. Installed once by
:mod:`whoholds.cli.app`; with a Typer without this layer it does nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin


def install() -> None:
    try:
        from typer import _coercion, core
        from typer._param_types import coerce_cli_path, routes_to_path
    except ImportError:  # another Typer: nothing to speed up
        return
    param_class = getattr(core, "_TyperParameter", None)
    base = getattr(_coercion, "RuntimeParam", None)
    if param_class is None or base is None or getattr(param_class, "_whoholds_light", False):
        return
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class LightParam(base):  # type: ignore[misc, valid-type]
        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            ann, info = self.annotation, self.parameter_info
            if getattr(info, "parser", None) is None:
                if ann is str and isinstance(value, str):
                    return value
                if ann in (int, float) and type(value) is ann and info.min is None and info.max is None:
                    return value  # a default: already the right type, no range to check
                if (get_origin(ann) is list and get_args(ann) == (str,) and isinstance(value, list | tuple)
                        and all(isinstance(v, str) for v in value)):
                    return list(value)
                if isinstance(value, str) and isinstance(ann, type) and issubclass(ann, Path) \
                        and routes_to_path(ann, info):
                    path_type = info.path_type or ann
                    if path_type is ann:
                        return coerce_cli_path(ann(value), info, path_type=path_type, param=param, ctx=ctx)
            return _coercion.build_runtime_param(self.descriptor)._coerce_value(value, param, ctx)

    original = param_class.get_runtime_param

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None and self.type_descriptor.file_annotation is None:
            desc = self.type_descriptor
            self._runtime_param = LightParam(parameter_info=desc.parameter_info, annotation=desc.annotation,
                                             descriptor=desc)
        return original(self)

    param_class.get_runtime_param = get_runtime_param
    param_class._whoholds_light = True

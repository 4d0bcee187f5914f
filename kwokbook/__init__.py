"""kwokbook: see what your KWOK Stages will do — exact previews, a simulator, a real-cluster layer.

The top-level names are loaded lazily (importing ``kwokbook`` stays cheap)::

    from kwokbook import connect, Simulator, load_stages, preview, render, render_json
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0.dev0"

_LAZY = {
    "connect": "kwokbook.cluster",
    "Simulator": "kwokbook.sim",
    "load_stages": "kwokbook.stage",
    "preview": "kwokbook.stage",
    "render": "kwokbook.gotpl",
    "render_json": "kwokbook.gotpl",
    "Env": "kwokbook.gotpl",
    "trigger": "kwokbook.triggers",
    "KwokbookError": "kwokbook.errors",
}

__all__ = ["Env", "KwokbookError", "Simulator", "__version__", "connect", "load_stages", "preview", "render",
           "render_json", "trigger"]


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'kwokbook' has no attribute {name!r}")
    value = getattr(import_module(mod), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


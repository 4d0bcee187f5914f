"""Go ``text/template`` + sprig v3 + KWOK's functions, reproduced exactly in Python.

Public API (stable)::

    render(text, data, funcs=None, *, profile="generic", env=None) -> str
    render_json(text, data, funcs=None, *, profile="generic", env=None) -> str
    render_value(text, data, ...) -> Any
    Renderer, TemplateError, Env

See ``docs/gotpl.md`` for the value model and how exactness is proven.
"""

from __future__ import annotations

from .env import Env
from .render import Renderer, render, render_json, render_value, to_template_data
from .tplerrors import TemplateError

__all__ = ["Env", "Renderer", "TemplateError", "render", "render_json", "render_value", "to_template_data"]

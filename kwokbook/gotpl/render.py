"""KWOK's render pipeline (``pkg/utils/gotpl/renderer.go``), byte for byte.

1. trim the template text; 2. parse once per trimmed text (cached) with sprig + KWOK's default
functions + the controller's functions + caller overrides; 3. JSON-encode the data and decode
it with ``UseNumber``; 4. execute; 5. for :meth:`Renderer.to_json`, YAML 1.1 → JSON as
``sigs.k8s.io/yaml`` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .env import Env
from .gostrconv import format_json_float
from .kwokfuncs import PROFILES
from .template import TemplateSet, as_gofunc
from .tplerrors import TemplateError
from .values import GoFunc, JsonNumber

FuncsArg = Mapping[str, "GoFunc | Callable[..., Any]"] | None



_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1

GO_SPACE = ("\t\n\v\f\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B))
            + "\u2028\u2029\u202f\u205f\u3000")
"""What Go's ``strings.TrimSpace`` trims (unicode.IsSpace), unlike Python's ``str.strip()``."""


def to_template_data(obj: Any) -> Any:
    """KWOK's data step: ``json.Marshal`` then ``Decoder.UseNumber`` — numbers become JsonNumber.

    Python ints print as integers (outside int64 they are float64, as Kubernetes' unstructured
    decoding would have made them); floats use Go's encoder format (``1000000``, ``1e-7``).
    """
    t = type(obj)
    if t is str:
        return obj if obj.isascii() else _valid_utf8(obj)
    if obj is None or t is bool or t is JsonNumber:
        return obj
    if t is dict:
        return {k if type(k) is str else str(k): to_template_data(v) for k, v in obj.items()}
    if t is list or t is tuple:
        return [to_template_data(v) for v in obj]
    if t is int:
        if _INT64_MIN <= obj <= _INT64_MAX:
            return JsonNumber(str(obj))
        return JsonNumber(format_json_float(float(obj)))
    if t is float:
        if math.isnan(obj) or math.isinf(obj):
            raise TemplateError(f"json: unsupported value: {obj!r}", kind="data",
                                kwok_message=f"json encoding: json: unsupported value: {obj!r}")
        return JsonNumber(format_json_float(obj))
    if isinstance(obj, bool):
        return bool(obj)
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, int):
        return to_template_data(int(obj))
    if isinstance(obj, float):
        return to_template_data(float(obj))
    if isinstance(obj, Mapping):
        return {str(k): to_template_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_template_data(v) for v in obj]
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return to_template_data(to_dict())
    raise TemplateError(f"json: unsupported type: {type(obj).__name__}", kind="data",
                        kwok_message=f"json encoding: json: unsupported type: {type(obj).__name__}")


def template_space(text: str) -> int:
    """How many characters KWOK's TrimSpace removes from the start of ``text``."""
    return len(text) - len(text.lstrip(GO_SPACE))


def _valid_utf8(s: str) -> str:
    """Go's JSON encoder replaces invalid UTF-8 (here: lone surrogates) with U+FFFD."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


class Renderer:
    """A renderer with a fixed function map and a parse cache keyed by trimmed text, like KWOK's."""

    def __init__(self, funcs: FuncsArg = None, *, profile: str = "generic", env: Env | None = None,
                 kwok_options: Mapping[str, Any] | None = None) -> None:
        from .kwokfuncs import kwok_funcs
        from .sprig import FUNCS as SPRIG

        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        self.profile = profile
        self.env = env or Env()
        merged: dict[str, GoFunc] = dict(SPRIG)
        self._kwok = kwok_funcs(profile, **dict(kwok_options or {}))
        merged.update(self._kwok)
        for name, fn in (funcs or {}).items():
            merged[name] = as_gofunc(name, fn)
        self.funcs = merged
        self._cache: dict[str, TemplateSet] = {}

    def reset_state(self) -> None:
        """Restart per-render function state (the oracle-fake IP counter), as a fresh KWOK renderer."""
        self._kwok.reset_state()

    def compile(self, text: str) -> TemplateSet:
        """The parsed template for ``text`` (trimmed), from the cache when possible."""
        text = text.strip(GO_SPACE)
        ts = self._cache.get(text)
        if ts is None:
            ts = TemplateSet(text, self.funcs)
            self._cache[text] = ts
        return ts

    def to_text(self, text: str, data: Any, *, env: Env | None = None) -> str:
        ts = self.compile(text)
        return ts.execute(to_template_data(data), env or self.env)

    def to_json_value(self, text: str, data: Any, *, env: Env | None = None) -> Any:
        from ..errors import YAMLError
        from .yamljson import yaml_to_json_value

        out = self.to_text(text, data, env=env)
        try:
            return yaml_to_json_value(out)
        except YAMLError as e:
            raise TemplateError(e.message, kind="yaml", text=out, kwok_message=f"{e.message}: {out}") from None

    def to_json(self, text: str, data: Any, *, env: Env | None = None) -> str:
        from .gojson import go_json_text

        return go_json_text(self.to_json_value(text, data, env=env))


_DEFAULT: dict[str, Renderer] = {}


def _renderer(funcs: FuncsArg, profile: str, env: Env | None) -> Renderer:
    if funcs:
        return Renderer(funcs, profile=profile, env=env)
    r = _DEFAULT.get(profile)
    if r is None:
        r = _DEFAULT[profile] = Renderer(profile=profile)
    return r


def render(text: str, data: Any, funcs: FuncsArg = None, *, profile: str = "generic",
           env: Env | None = None) -> str:
    """Render ``text`` over ``data`` like KWOK's ``ToText``; raises :class:`TemplateError`."""
    return _renderer(funcs, profile, env).to_text(text, data, env=env)


def render_json(text: str, data: Any, funcs: FuncsArg = None, *, profile: str = "generic",
                env: Env | None = None) -> str:
    """Render then convert YAML → JSON like KWOK's ``ToJSON``; returns Go's exact JSON text."""
    return _renderer(funcs, profile, env).to_json(text, data, env=env)


def render_value(text: str, data: Any, funcs: FuncsArg = None, *, profile: str = "generic",
                 env: Env | None = None) -> Any:
    """Like :func:`render_json`, but the decoded Python value."""
    return _renderer(funcs, profile, env).to_json_value(text, data, env=env)

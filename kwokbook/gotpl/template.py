"""Parse a template text into an executable set, as Go's ``template.New(name).Funcs(m).Parse(text)``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from .builtins import BUILTINS
from .env import Env
from .exec import Common, ExecError, Template
from .parse import ParseError, parse
from .tplerrors import TemplateError
from .values import GoFunc, Signature, T_INTERFACE


def as_gofunc(name: str, fn: GoFunc | Callable[..., Any]) -> GoFunc:
    """Wrap a plain Python callable as a Go function taking and returning ``interface {}``."""
    if isinstance(fn, GoFunc):
        return fn if fn.name == name else GoFunc(name, fn.sig, fn.fn, fn.builtin, fn.doc, fn.tags, fn.needs_env)
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    fixed = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    variadic = T_INTERFACE if any(p.kind == p.VAR_POSITIONAL for p in params) else None
    sig = Signature(tuple(T_INTERFACE for _ in fixed), variadic, T_INTERFACE)
    return GoFunc(name, sig, fn)


class TemplateSet:
    """A parsed template text: the main template (``name``) plus its ``define``/``block`` templates."""

    def __init__(self, text: str, funcs: Mapping[str, GoFunc], name: str = "_") -> None:
        self.text = text
        self.name = name
        self.funcs = dict(funcs)

        def has_function(n: str) -> bool:
            return n in self.funcs or n in BUILTINS

        try:
            trees = parse(name, text, has_function)
        except ParseError as e:
            raise TemplateError.from_parse(e, text, name) from None
        self.common = Common(trees, self.funcs)

    def execute(self, data: Any, env: Env | None = None, template: str | None = None) -> str:
        tmpl: Template | None = self.common.lookup(template or self.name)
        if tmpl is None:
            tmpl = Template(template or self.name, self.common)
        try:
            return tmpl.execute(data, env)
        except ExecError as e:
            raise TemplateError.from_exec(e, self.text, getattr(e, "partial", "")) from None
        except RecursionError:
            raise TemplateError("template: too deeply nested to execute in Python", kind="exec",
                                text=self.text) from None

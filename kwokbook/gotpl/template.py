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
from .values import T_INTERFACE, GoFunc, Signature


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
            try:
                trees = parse(name, text, has_function)
            except RecursionError:
                trees = _run_deep(lambda: parse(name, text, has_function))
        except ParseError as e:
            raise TemplateError.from_parse(e, text, name) from None
        except RecursionError:
            raise TemplateError("template: too deeply nested to parse in Python", kind="parse", text=text) from None
        self.common = Common(trees, self.funcs)

    def execute(self, data: Any, env: Env | None = None, template: str | None = None) -> str:
        tmpl: Template | None = self.common.lookup(template or self.name)
        if tmpl is None:
            tmpl = Template(template or self.name, self.common)
        try:
            return tmpl.execute(data, env)
        except ExecError as e:
            if not getattr(e, "from_recursion", False):
                raise TemplateError.from_exec(e, self.text, getattr(e, "partial", "")) from None
        except RecursionError:
            pass
        # Deep recursion (templates calling templates, deeply nested data): Python's default stack
        # is far shallower than Go's, so run again on a thread with a large stack and limit.
        try:
            return str(_run_deep(lambda: tmpl.execute(data, env)))
        except ExecError as e:
            raise TemplateError.from_exec(e, self.text, getattr(e, "partial", "")) from None
        except RecursionError:
            raise TemplateError("template: too deeply nested to execute in Python", kind="exec",
                                text=self.text) from None


_DEEP_STACK_BYTES = 512 * 1024 * 1024
_DEEP_RECURSION_LIMIT = 400_000


def _run_deep(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` on a thread with a 512 MiB stack and a high recursion limit; re-raise its error."""
    import sys
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["out"] = fn()
        except BaseException as e:  # handed back to the caller's thread
            box["err"] = e

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    with _DEEP_LOCK:
        try:
            threading.stack_size(_DEEP_STACK_BYTES)
            sys.setrecursionlimit(max(old_limit, _DEEP_RECURSION_LIMIT))
            t = threading.Thread(target=target, name="kwokbook-deep-render")
            t.start()
            t.join()
        finally:
            threading.stack_size(old_stack)
            sys.setrecursionlimit(old_limit)
    if "err" in box:
        raise box["err"]
    return box["out"]


_DEEP_LOCK = __import__("threading").Lock()

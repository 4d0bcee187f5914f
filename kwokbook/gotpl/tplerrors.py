"""Template errors: Go's exact message first, then the source line and a caret for people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Location
from ..errors import TemplateError as _BaseTemplateError

if TYPE_CHECKING:
    from .exec import ExecError
    from .parse import ParseError


class TemplateError(_BaseTemplateError):
    """A Go template failed to parse (``kind="parse"``), execute (``"exec"``) or convert (``"yaml"``).

    ``go_message`` is exactly Go's ``err.Error()`` from text/template; ``kwok_message`` is the
    error string KWOK's renderer returns (with its ``build template:``/``gotpl execute:`` wrapping
    and the partial output). ``str()`` starts with ``go_message``.
    """

    def __init__(self, go_message: str, *, kind: str, text: str = "", pos: int | None = None,
                 partial: str = "", kwok_message: str | None = None, source: str | None = None,
                 field_path: str | None = None) -> None:
        line, col = _line_col(text, pos) if pos is not None else (None, None)
        super().__init__(go_message, Location(source, line, col, field_path))
        self.go_message = go_message
        self.kind = kind
        self.text = text
        self.pos = pos
        self.partial = partial
        if kwok_message is None:
            if kind == "parse":
                kwok_message = f"build template: {go_message}"
            elif kind == "exec":
                kwok_message = f"gotpl execute: {go_message}: {partial}"
            else:
                kwok_message = go_message
        self.kwok_message = kwok_message

    @classmethod
    def from_parse(cls, e: ParseError, text: str, name: str = "_") -> TemplateError:
        return cls(e.message, kind="parse", text=text, pos=e.pos)

    @classmethod
    def from_exec(cls, e: ExecError, text: str, partial: str) -> TemplateError:
        pos = e.node.pos if e.node is not None else None
        return cls(e.message, kind="exec", text=text, pos=pos, partial=partial)

    def snippet(self) -> str:
        """The offending source line with a caret under the column (1-based, in characters)."""
        if self.pos is None or not self.text:
            return ""
        start = self.text.rfind("\n", 0, self.pos) + 1
        end = self.text.find("\n", self.pos)
        line_text = self.text[start : end if end >= 0 else len(self.text)]
        caret = " " * (self.pos - start) + "^"
        return f"    {line_text}\n    {caret}"

    def __str__(self) -> str:
        snip = self.snippet()
        where = ""
        if self.location.source or self.location.path:
            where = f"\n  in {self.location}"
        return self.go_message + where + ("\n" + snip if snip else "")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    before = text[:pos]
    line = before.count("\n") + 1
    col = pos - (before.rfind("\n") + 1) + 1
    return line, col

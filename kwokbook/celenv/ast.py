"""CEL expression tree, shaped like cel-go's ``common/ast`` after parsing and macro expansion.

Every node carries ``off``: the code-point offset cel-go attaches to its expression id (the
operator token for calls, the ``.`` for selections, the ``(`` for function calls and macros). The
checker stores the inferred type in ``t``.
"""

from __future__ import annotations

from typing import Any


class Expr:
    __slots__ = ("off", "t")

    def __init__(self, off: int) -> None:
        self.off = off
        self.t: Any = None


class Lit(Expr):
    """A literal; ``kind`` is int, uint, double, string, bytes, bool or null."""

    __slots__ = ("kind", "value")

    def __init__(self, off: int, kind: str, value: Any) -> None:
        super().__init__(off)
        self.kind = kind
        self.value = value


class Ident(Expr):
    __slots__ = ("name",)

    def __init__(self, off: int, name: str) -> None:
        super().__init__(off)
        self.name = name


class Select(Expr):
    __slots__ = ("field", "operand", "resolved", "test_only")

    def __init__(self, off: int, operand: Expr, field: str, test_only: bool = False) -> None:
        super().__init__(off)
        self.operand = operand
        self.field = field
        self.test_only = test_only
        self.resolved: str | None = None  # checker: a qualified identifier such as google.protobuf.Timestamp


class Call(Expr):
    """A function call; ``target`` is set for receiver-style calls (``x.f(y)``)."""

    __slots__ = ("args", "fn", "overloads", "target")

    def __init__(self, off: int, fn: str, args: list[Expr], target: Expr | None = None) -> None:
        super().__init__(off)
        self.fn = fn
        self.args = args
        self.target = target
        self.overloads: list[str] = []  # checker: overload ids that matched


class ListE(Expr):
    __slots__ = ("elems",)

    def __init__(self, off: int, elems: list[Expr]) -> None:
        super().__init__(off)
        self.elems = elems


class MapE(Expr):
    __slots__ = ("entries",)

    def __init__(self, off: int, entries: list[tuple[int, Expr, Expr]]) -> None:
        super().__init__(off)
        self.entries = entries  # (offset of ':', key, value)


class StructE(Expr):
    __slots__ = ("fields", "name")

    def __init__(self, off: int, name: str, fields: list[tuple[int, str, Expr]]) -> None:
        super().__init__(off)
        self.name = name
        self.fields = fields


class Comp(Expr):
    """A comprehension (the expansion of all/exists/exists_one/map/filter)."""

    __slots__ = ("accu_init", "accu_var", "cond", "iter_range", "iter_var", "result", "step")

    def __init__(
        self,
        off: int,
        iter_range: Expr,
        iter_var: str,
        accu_var: str,
        accu_init: Expr,
        cond: Expr,
        step: Expr,
        result: Expr,
    ) -> None:
        super().__init__(off)
        self.iter_range = iter_range
        self.iter_var = iter_var
        self.accu_var = accu_var
        self.accu_init = accu_init
        self.cond = cond
        self.step = step
        self.result = result


class Bad(Expr):
    """Placeholder where the parser reported an error."""

    __slots__ = ()

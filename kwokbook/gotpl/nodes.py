"""Parse-tree nodes, named and printed as Go's ``text/template/parse/node.go`` does.

``str(node)`` must equal Go's ``node.String()``: execution errors quote it (``at <.a.b>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .parse import Tree


class Node:
    """Base: every node knows its position (string index) and its tree (for error context)."""

    __slots__ = ("pos", "tree")
    pos: int
    tree: Tree | None

    def write_to(self, out: list[str]) -> None:
        raise NotImplementedError

    def __str__(self) -> str:
        out: list[str] = []
        self.write_to(out)
        return "".join(out)


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, tree: Tree | None, pos: int) -> None:
        self.tree = tree
        self.pos = pos
        self.nodes: list[Node] = []

    def write_to(self, out: list[str]) -> None:
        for n in self.nodes:
            n.write_to(out)


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, tree: Tree | None, pos: int, text: str) -> None:
        self.tree = tree
        self.pos = pos
        self.text = text

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


class CommentNode(Node):
    __slots__ = ("text",)

    def __init__(self, tree: Tree | None, pos: int, text: str) -> None:
        self.tree = tree
        self.pos = pos
        self.text = text

    def write_to(self, out: list[str]) -> None:
        out.append("{{" + self.text + "}}")


class PipeNode(Node):
    __slots__ = ("cmds", "decl", "is_assign", "line")

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def write_to(self, out: list[str]) -> None:
        if self.decl:
            for i, v in enumerate(self.decl):
                if i:
                    out.append(", ")
                v.write_to(out)
            out.append(" = " if self.is_assign else " := ")
        for i, c in enumerate(self.cmds):
            if i:
                out.append(" | ")
            c.write_to(out)


class ActionNode(Node):
    __slots__ = ("line", "pipe")

    def __init__(self, tree: Tree | None, pos: int, line: int, pipe: PipeNode) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line
        self.pipe = pipe

    def write_to(self, out: list[str]) -> None:
        out.append("{{")
        self.pipe.write_to(out)
        out.append("}}")


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, tree: Tree | None, pos: int) -> None:
        self.tree = tree
        self.pos = pos
        self.args: list[Node] = []

    def write_to(self, out: list[str]) -> None:
        for i, a in enumerate(self.args):
            if i:
                out.append(" ")
            if isinstance(a, PipeNode):
                out.append("(")
                a.write_to(out)
                out.append(")")
                continue
            a.write_to(out)


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, tree: Tree | None, pos: int, ident: str) -> None:
        self.tree = tree
        self.pos = pos
        self.ident = ident

    def write_to(self, out: list[str]) -> None:
        out.append(self.ident)


class VariableNode(Node):
    __slots__ = ("ident",)

    def __init__(self, tree: Tree | None, pos: int, ident: str) -> None:
        self.tree = tree
        self.pos = pos
        self.ident = ident.split(".")

    def write_to(self, out: list[str]) -> None:
        out.append(".".join(self.ident))


class DotNode(Node):
    __slots__ = ()

    def __init__(self, tree: Tree | None, pos: int) -> None:
        self.tree = tree
        self.pos = pos

    def write_to(self, out: list[str]) -> None:
        out.append(".")


class NilNode(Node):
    __slots__ = ()

    def __init__(self, tree: Tree | None, pos: int) -> None:
        self.tree = tree
        self.pos = pos

    def write_to(self, out: list[str]) -> None:
        out.append("nil")


class FieldNode(Node):
    __slots__ = ("ident",)

    def __init__(self, tree: Tree | None, pos: int, ident: str) -> None:
        self.tree = tree
        self.pos = pos
        self.ident = ident[1:].split(".")

    def write_to(self, out: list[str]) -> None:
        for i in self.ident:
            out.append("." + i)


class ChainNode(Node):
    __slots__ = ("field", "node")

    def __init__(self, tree: Tree | None, pos: int, node: Node) -> None:
        self.tree = tree
        self.pos = pos
        self.node = node
        self.field: list[str] = []

    def add(self, f: str) -> None:
        if not f or f[0] != ".":
            raise ValueError("no dot in field")
        f = f[1:]
        if not f:
            raise ValueError("empty field")
        self.field.append(f)

    def write_to(self, out: list[str]) -> None:
        if isinstance(self.node, PipeNode):
            out.append("(")
            self.node.write_to(out)
            out.append(")")
        else:
            self.node.write_to(out)
        for f in self.field:
            out.append("." + f)


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, tree: Tree | None, pos: int, true: bool) -> None:
        self.tree = tree
        self.pos = pos
        self.true = true

    def write_to(self, out: list[str]) -> None:
        out.append("true" if self.true else "false")


class NumberNode(Node):
    """A numeric constant with every interpretation Go computes (int, uint, float, complex)."""

    __slots__ = ("complex128", "float64", "int64", "is_complex", "is_float", "is_int", "is_uint", "text", "uint64")

    def __init__(self, tree: Tree | None, pos: int, text: str) -> None:
        self.tree = tree
        self.pos = pos
        self.text = text
        self.is_int = False
        self.is_uint = False
        self.is_float = False
        self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, tree: Tree | None, pos: int, quoted: str, text: str) -> None:
        self.tree = tree
        self.pos = pos
        self.quoted = quoted
        self.text = text

    def write_to(self, out: list[str]) -> None:
        out.append(self.quoted)


class EndNode(Node):
    __slots__ = ()

    def __init__(self, tree: Tree | None, pos: int) -> None:
        self.tree = tree
        self.pos = pos

    def write_to(self, out: list[str]) -> None:
        out.append("{{end}}")


class ElseNode(Node):
    __slots__ = ("line",)

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line

    def write_to(self, out: list[str]) -> None:
        out.append("{{else}}")


class BranchNode(Node):
    """``if``/``range``/``with``; ``else_list`` is None when absent."""

    __slots__ = ("else_list", "line", "list", "pipe")
    keyword = ""

    def __init__(self, tree: Tree | None, pos: int, line: int, pipe: PipeNode, lst: ListNode,
                 else_list: ListNode | None) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line
        self.pipe = pipe
        self.list = lst
        self.else_list = else_list

    def write_to(self, out: list[str]) -> None:
        out.append("{{" + self.keyword + " ")
        self.pipe.write_to(out)
        out.append("}}")
        self.list.write_to(out)
        if self.else_list is not None:
            out.append("{{else}}")
            self.else_list.write_to(out)
        out.append("{{end}}")


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ("line",)

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line

    def write_to(self, out: list[str]) -> None:
        out.append("{{break}}")


class ContinueNode(Node):
    __slots__ = ("line",)

    def __init__(self, tree: Tree | None, pos: int, line: int) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line

    def write_to(self, out: list[str]) -> None:
        out.append("{{continue}}")


class TemplateNode(Node):
    __slots__ = ("line", "name", "pipe")

    def __init__(self, tree: Tree | None, pos: int, line: int, name: str, pipe: PipeNode | None) -> None:
        self.tree = tree
        self.pos = pos
        self.line = line
        self.name = name
        self.pipe = pipe

    def write_to(self, out: list[str]) -> None:
        from .gostrconv import quote

        out.append("{{template " + quote(self.name))
        if self.pipe is not None:
            out.append(" ")
            self.pipe.write_to(out)
        out.append("}}")

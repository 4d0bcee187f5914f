"""Parser for Go text/template, a close port of Go's ``text/template/parse/parse.go``.

Errors are raised as :class:`ParseError` carrying Go's exact message (``template: _:3: …``);
function names are checked at parse time against the function map, as Go does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .lex import Item, ItemType, Lexer
from .nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)

MAX_STACK_DEPTH = 10000


class ParseError(Exception):
    """Go's parse error; ``str()`` is Go's message. ``pos`` is the offending token's index."""

    def __init__(self, message: str, line: int, pos: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.pos = pos


class Tree:
    """One parsed template (the main one, or a ``define``/``block``)."""

    def __init__(self, name: str, has_function: Callable[[str], bool] | None = None) -> None:
        self.name = name
        self.parse_name = name
        self.root: ListNode | None = None
        self.text = ""
        self.has_function: Callable[[str], bool] = has_function or (lambda _n: False)
        self.lex: Lexer | None = None
        self.token: list[Item] = [Item(ItemType.EOF, 0, "", 0)] * 3
        self.peek_count = 0
        self.vars: list[str] = []
        self.tree_set: dict[str, Tree] = {}
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    # -- token handling -----------------------------------------------------------------

    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            assert self.lex is not None
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        assert self.lex is not None
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def next_non_space(self) -> Item:
        while True:
            token = self.next()
            if token.typ != ItemType.SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors ----------------------------------------------------------------------------

    def errorf(self, msg: str) -> None:
        self.root = None
        tok = self.token[0]
        raise ParseError(f"template: {self.parse_name}:{tok.line}: {msg}", tok.line, tok.pos)

    def expect(self, expected: ItemType, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, e1: ItemType, e2: ItemType, context: str) -> Item:
        token = self.next_non_space()
        if token.typ not in (e1, e2):
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> None:
        if token.typ == ItemType.ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at {self.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # -- parsing ---------------------------------------------------------------------------

    def start_parse(self, lex: Lexer, tree_set: dict[str, Tree]) -> None:
        self.root = None
        self.lex = lex
        self.vars = ["$"]
        self.tree_set = tree_set
        self.stack_depth = 0
        lex.emit_comment = False
        lex.break_ok = not self.has_function("break")
        lex.continue_ok = not self.has_function("continue")

    def stop_parse(self) -> None:
        self.lex = None
        self.vars = []
        self.tree_set = {}

    def parse(self, text: str, tree_set: dict[str, Tree]) -> Tree:
        self.parse_name = self.name
        lexer = Lexer(self.name, text)
        self.start_parse(lexer, tree_set)
        self.text = text
        self._parse()
        self.add()
        self.stop_parse()
        return self

    def add(self) -> None:
        tree = self.tree_set.get(self.name)
        if tree is None or is_empty_tree(tree.root):
            self.tree_set[self.name] = self
            return
        if not is_empty_tree(self.root):
            self.errorf(f"template: multiple definition of template {_quote(self.name)}")

    def _parse(self) -> None:
        self.root = ListNode(self, self.peek().pos)
        while self.peek().typ != ItemType.EOF:
            if self.peek().typ == ItemType.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == ItemType.DEFINE:
                    new_t = Tree("definition", self.has_function)
                    new_t.text = self.text
                    new_t.parse_name = self.parse_name
                    assert self.lex is not None
                    new_t.start_parse(self.lex, self.tree_set)
                    new_t.parse_definition()
                    continue
                self.backup2(delim)
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self.errorf(f"unexpected {n}")
            else:
                self.root.nodes.append(n)

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(ItemType.STRING, ItemType.RAW_STRING, context)
        try:
            self.name = _unquote(name.val)
        except ValueError as e:
            self.errorf(str(e))
        self.expect(ItemType.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()
        self.stop_parse()

    def item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self, self.peek_non_space().pos)
        while self.peek_non_space().typ != ItemType.EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")
        raise AssertionError  # unreachable

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == ItemType.TEXT:
            return TextNode(self, token.pos, token.val)
        if token.typ == ItemType.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.typ == ItemType.COMMENT:
            return CommentNode(self, token.pos, token.val)
        self.unexpected(token, "input")
        raise AssertionError

    def action(self) -> Node:
        token = self.next_non_space()
        t = token.typ
        if t == ItemType.BLOCK:
            return self.block_control()
        if t == ItemType.BREAK:
            return self.break_control(token.pos, token.line)
        if t == ItemType.CONTINUE:
            return self.continue_control(token.pos, token.line)
        if t == ItemType.ELSE:
            return self.else_control()
        if t == ItemType.END:
            return self.end_control()
        if t == ItemType.IF:
            return self.if_control()
        if t == ItemType.RANGE:
            return self.range_control()
        if t == ItemType.TEMPLATE:
            return self.template_control()
        if t == ItemType.WITH:
            return self.with_control()
        self.backup()
        token = self.peek()
        return ActionNode(self, token.pos, token.line, self.pipeline("command", ItemType.RIGHT_DELIM))

    def break_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != ItemType.RIGHT_DELIM:
            self.unexpected(token, "{{break}}")
        if self.range_depth == 0:
            self.errorf("{{break}} outside {{range}}")
        return BreakNode(self, pos, line)

    def continue_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != ItemType.RIGHT_DELIM:
            self.unexpected(token, "{{continue}}")
        if self.range_depth == 0:
            self.errorf("{{continue}} outside {{range}}")
        return ContinueNode(self, pos, line)

    def pipeline(self, context: str, end: ItemType) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(self, token.pos, token.line)
        while True:  # the `decls:` label of Go's parser
            v = self.peek_non_space()
            if v.typ != ItemType.VARIABLE:
                break
            self.next()
            token_after_variable = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (ItemType.ASSIGN, ItemType.DECLARE):
                pipe.is_assign = nxt.typ == ItemType.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(self, v.pos, v.val))
                self.vars.append(v.val)
                break
            if nxt.typ == ItemType.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(self, v.pos, v.val))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (
                        ItemType.VARIABLE, ItemType.RIGHT_DELIM, ItemType.RIGHT_PAREN,
                    ):
                        continue  # goto decls
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif token_after_variable.typ == ItemType.SPACE:
                self.backup3(v, token_after_variable)
            else:
                self.backup2(v)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in (
                ItemType.BOOL, ItemType.CHAR_CONSTANT, ItemType.COMPLEX, ItemType.DOT, ItemType.FIELD,
                ItemType.IDENTIFIER, ItemType.NUMBER, ItemType.NIL, ItemType.RAW_STRING, ItemType.STRING,
                ItemType.VARIABLE, ItemType.LEFT_PAREN,
            ):
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def parse_control(self, context: str) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            lst, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(nxt, ElseNode):
                if context == "if" and self.peek().typ == ItemType.IF:
                    self.next()
                    else_list = ListNode(self, nxt.pos)
                    else_list.nodes.append(self.if_control())
                elif context == "with" and self.peek().typ == ItemType.WITH:
                    self.next()
                    else_list = ListNode(self, nxt.pos)
                    else_list.nodes.append(self.with_control())
                else:
                    else_list, nxt = self.item_list()
                    if not isinstance(nxt, EndNode):
                        self.errorf(f"expected end; found {nxt}")
            return pipe.pos, pipe.line, pipe, lst, else_list
        finally:
            del self.vars[mark:]

    def if_control(self) -> Node:
        return IfNode(self, *self.parse_control("if"))

    def range_control(self) -> Node:
        return RangeNode(self, *self.parse_control("range"))

    def with_control(self) -> Node:
        return WithNode(self, *self.parse_control("with"))

    def end_control(self) -> Node:
        return EndNode(self, self.expect(ItemType.RIGHT_DELIM, "end").pos)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ in (ItemType.IF, ItemType.WITH):
            return ElseNode(self, peek.pos, peek.line)
        token = self.expect(ItemType.RIGHT_DELIM, "else")
        return ElseNode(self, token.pos, token.line)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
        block = Tree(name, self.has_function)
        block.text = self.text
        block.parse_name = self.parse_name
        assert self.lex is not None
        block.start_parse(self.lex, self.tree_set)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        block.stop_parse()
        return TemplateNode(self, token.pos, token.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != ItemType.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
        return TemplateNode(self, token.pos, token.line, name, pipe)

    def parse_template_name(self, token: Item, context: str) -> str:
        if token.typ in (ItemType.STRING, ItemType.RAW_STRING):
            try:
                return _unquote(token.val)
            except ValueError as e:
                self.errorf(str(e))
        self.unexpected(token, context)
        raise AssertionError

    def command(self) -> CommandNode:
        cmd = CommandNode(self, self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == ItemType.SPACE:
                continue
            if token.typ in (ItemType.RIGHT_DELIM, ItemType.RIGHT_PAREN):
                self.backup()
            elif token.typ == ItemType.PIPE:
                pass
            else:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == ItemType.FIELD:
            chain = ChainNode(self, self.peek().pos, node)
            while self.peek().typ == ItemType.FIELD:
                chain.add(self.next().val)
            if isinstance(node, FieldNode):
                node = FieldNode(self, chain.pos, str(chain))
            elif isinstance(node, VariableNode):
                node = VariableNode(self, chain.pos, str(chain))
            elif isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {_quote(str(node))}")
            else:
                node = chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        t = token.typ
        if t == ItemType.IDENTIFIER:
            if not self.has_function(token.val):
                self.errorf(f"function {_quote(token.val)} not defined")
            return IdentifierNode(self, token.pos, token.val)
        if t == ItemType.DOT:
            return DotNode(self, token.pos)
        if t == ItemType.NIL:
            return NilNode(self, token.pos)
        if t == ItemType.VARIABLE:
            return self.use_var(token.pos, token.val)
        if t == ItemType.FIELD:
            return FieldNode(self, token.pos, token.val)
        if t == ItemType.BOOL:
            return BoolNode(self, token.pos, token.val == "true")
        if t in (ItemType.CHAR_CONSTANT, ItemType.COMPLEX, ItemType.NUMBER):
            try:
                return new_number(self, token.pos, token.val, t)
            except ValueError as e:
                self.errorf(str(e))
        if t == ItemType.LEFT_PAREN:
            if self.stack_depth >= MAX_STACK_DEPTH:
                self.errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self.pipeline("parenthesized pipeline", ItemType.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if t in (ItemType.STRING, ItemType.RAW_STRING):
            try:
                s = _unquote(token.val)
            except ValueError as e:
                self.errorf(str(e))
            return StringNode(self, token.pos, token.val, s)
        self.backup()
        return None

    def use_var(self, pos: int, name: str) -> Node:
        v = VariableNode(self, pos, name)
        if v.ident[0] in self.vars:
            return v
        self.errorf(f"undefined variable {_quote(v.ident[0])}")
        raise AssertionError


def is_empty_tree(n: Node | None) -> bool:
    if n is None:
        return True
    if isinstance(n, CommentNode):
        return True
    if isinstance(n, ListNode):
        return all(is_empty_tree(x) for x in n.nodes)
    if isinstance(n, TextNode):
        from .render import GO_SPACE

        return not n.text.strip(GO_SPACE)
    if isinstance(n, (ActionNode, BranchNode, TemplateNode)):
        return False
    raise ValueError(f"unknown node: {n}")


def parse(name: str, text: str, has_function: Callable[[str], bool]) -> dict[str, Tree]:
    """Parse ``text`` into the set of trees it defines (the main one under ``name``)."""
    tree_set: dict[str, Tree] = {}
    t = Tree(name, has_function)
    t.text = text
    t.parse(text, tree_set)
    return tree_set


# -- numbers and strings ------------------------------------------------------------------


def _quote(s: str) -> str:
    from .gostrconv import quote

    return quote(s)


def _unquote(s: str) -> str:
    from .gostrconv import unquote

    return unquote(s)


def new_number(tree: Tree | None, pos: int, text: str, typ: ItemType) -> NumberNode:
    """Go's ``newNumber``: every interpretation of a numeric literal, or ValueError."""
    from .gostrconv import StrconvError, parse_float, parse_int, parse_uint

    n = NumberNode(tree, pos, text)
    if typ == ItemType.CHAR_CONSTANT:
        r, tail = _unquote_char(text[1:], text[0])
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        n.int64 = r
        n.is_int = True
        n.uint64 = r
        n.is_uint = True
        n.float64 = float(r)
        n.is_float = True
        return n
    if typ == ItemType.COMPLEX:
        n.complex128 = _scan_complex(text)
        n.is_complex = True
        _simplify_complex(n)
        return n
    if text and text[-1] == "i":
        try:
            f = parse_float(text[:-1], 64)
        except StrconvError:
            pass
        else:
            n.is_complex = True
            n.complex128 = complex(0, f)
            _simplify_complex(n)
            return n
    u = 0
    try:
        u = parse_uint(text, 0, 64)
        n.is_uint = True
        n.uint64 = u
    except StrconvError:
        pass
    try:
        i = parse_int(text, 0, 64)
        n.is_int = True
        n.int64 = i
        if i == 0:
            n.is_uint = True
            n.uint64 = u
    except StrconvError:
        pass
    if n.is_int:
        n.is_float = True
        n.float64 = float(n.int64)
    elif n.is_uint:
        n.is_float = True
        n.float64 = float(n.uint64)
    else:
        try:
            f = parse_float(text, 64)
        except StrconvError:
            pass
        else:
            if not any(c in text for c in ".eEpP"):
                raise ValueError(f"integer overflow: {_quote(text)}")
            n.is_float = True
            n.float64 = f
            if not n.is_int and _int64_exact(f):
                n.is_int = True
                n.int64 = int(f)
            if not n.is_uint and _uint64_exact(f):
                n.is_uint = True
                n.uint64 = int(f)
    if not n.is_int and not n.is_uint and not n.is_float:
        raise ValueError(f"illegal number syntax: {_quote(text)}")
    return n


def _int64_exact(f: float) -> bool:
    """Go's ``float64(int64(f)) == f`` on amd64 (out-of-range converts to MinInt64)."""
    if math.isnan(f) or math.isinf(f):
        return False
    if -(2.0**63) <= f < 2.0**63:
        return float(int(f)) == f
    return float(-(1 << 63)) == f


def _uint64_exact(f: float) -> bool:
    """Go's ``float64(uint64(f)) == f`` on amd64."""
    if math.isnan(f) or math.isinf(f):
        return False
    if 0 <= f < 2.0**64:
        return float(int(f)) == f
    if -(2.0**63) <= f < 0:
        return float((int(f)) & ((1 << 64) - 1)) == f
    return float(1 << 63) == f


def _simplify_complex(n: NumberNode) -> None:
    n.is_float = n.complex128.imag == 0
    if n.is_float:
        n.float64 = n.complex128.real
        n.is_int = _int64_exact(n.float64)
        if n.is_int:
            n.int64 = int(n.float64)
        n.is_uint = _uint64_exact(n.float64)
        if n.is_uint:
            n.uint64 = int(n.float64) & ((1 << 64) - 1)


def _scan_complex(text: str) -> complex:
    """fmt.Sscan of a complex literal like ``1+2i`` (what the lexer accepts as itemComplex)."""
    from .gostrconv import StrconvError, parse_float

    body = text[:-1] if text.endswith("i") else text
    split = -1
    for i in range(len(body) - 1, 0, -1):
        if body[i] in "+-" and body[i - 1] not in "eEpP":
            split = i
            break
    if split < 0:
        raise ValueError(f"bad complex literal {text}")
    try:
        re_part = parse_float(body[:split], 64)
        im_part = parse_float(body[split:], 64)
    except StrconvError as e:
        raise ValueError(str(e)) from None
    return complex(re_part, im_part)


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}


def _unquote_char(s: str, quote: str) -> tuple[int, str]:
    """Go's ``strconv.UnquoteChar`` for one rune; returns (rune, tail). ValueError on bad syntax."""
    if not s:
        raise ValueError("invalid syntax")
    c = s[0]
    if c == quote and quote in ("'", '"'):
        raise ValueError("invalid syntax")
    if c != "\\":
        return ord(c), s[1:]
    if len(s) <= 1:
        raise ValueError("invalid syntax")
    c = s[1]
    s = s[2:]
    if c in _SIMPLE_ESCAPES:
        if (c == "'" and quote != "'") or (c == '"' and quote != '"'):
            raise ValueError("invalid syntax")
        return _SIMPLE_ESCAPES[c], s
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        if len(s) < n or any(ch not in "0123456789abcdefABCDEF" for ch in s[:n]):
            raise ValueError("invalid syntax")
        v = int(s[:n], 16)
        s = s[n:]
        if c == "x":
            return v, s
        if v > 0x10FFFF or 0xD800 <= v < 0xE000:
            raise ValueError("invalid syntax")
        return v, s
    if "0" <= c <= "7":
        if len(s) < 2 or any(ch not in "01234567" for ch in s[:2]):
            raise ValueError("invalid syntax")
        v = int(c + s[:2], 8)
        if v > 255:
            raise ValueError("invalid syntax")
        return v, s[2:]
    raise ValueError("invalid syntax")

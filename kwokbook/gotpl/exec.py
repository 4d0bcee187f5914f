"""Executor for Go text/template: the parse tree compiled once into Python closures.

The structure mirrors Go's ``exec.go`` function by function (walk, evalPipeline, evalCommand,
evalField, evalCall, validateType, evalArg …) so that output *and* error messages match Go's,
including which node an error names: ``State.node`` is updated exactly where Go calls
``s.at(node)``. Compiling to closures removes the per-render dispatch on node types.

Value conventions (see :mod:`kwokbook.gotpl.values`): ``MISSING`` is Go's invalid value, ``None``
a nil interface, ``NOFINAL`` Go's ``missingVal`` (no value piped in).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import gofmt
from .builtins import BUILTINS, call_function
from .env import Env
from .fmtsort import sorted_items
from .gostrconv import to_go_bytes
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
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
from .parse import Tree
from .values import (
    COMPLEX_KINDS,
    FLOAT_KINDS,
    INT_KINDS,
    MISSING,
    T_INTERFACE,
    T_JSON_NUMBER,
    T_REFLECT_VALUE,
    UINT_KINDS,
    Float32,
    GoError,
    GoFunc,
    GoMap,
    GoSlice,
    GoStruct,
    GoType,
    JsonNumber,
    Method,
    assignable,
    is_true,
    make_int,
    type_name,
    type_of,
    zero_value,
)

MAX_EXEC_DEPTH = 100000


class _NoFinal:
    def __repr__(self) -> str:
        return "NOFINAL"


NOFINAL: Any = _NoFinal()


class ExecError(Exception):
    """Go's ``ExecError``: ``str()`` is Go's full message; ``node`` is where it happened."""

    def __init__(self, message: str, node: Node | None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


_BREAK = _Break()
_CONTINUE = _Continue()

Walk = Callable[["State", Any], None]
Eval = Callable[["State", Any], Any]
Cmd = Callable[["State", Any, Any], Any]


class State:
    """One execution: output buffer, current node (for errors), the variable stack."""

    __slots__ = ("depth", "dot_iface", "env", "node", "out", "tmpl", "vals", "vifaces", "vnames")

    def __init__(self, tmpl: Template, out: list[str], env: Env) -> None:
        self.tmpl = tmpl
        self.out = out
        self.env = env
        self.node: Node | None = None
        self.vnames: list[str] = []
        self.vals: list[Any] = []
        self.vifaces: list[bool] = []
        self.depth = 0
        self.dot_iface = False

    def mark(self) -> int:
        return len(self.vnames)

    def pop(self, mark: int) -> None:
        del self.vnames[mark:]
        del self.vals[mark:]
        del self.vifaces[mark:]

    def push(self, name: str, value: Any, iface: bool = False) -> None:
        self.vnames.append(name)
        self.vals.append(value)
        self.vifaces.append(iface)

    def set_var(self, name: str, value: Any, iface: bool = False) -> None:
        names = self.vnames
        for i in range(len(names) - 1, -1, -1):
            if names[i] == name:
                self.vals[i] = value
                self.vifaces[i] = iface
                return
        self.errorf(f"undefined variable: {name}")

    def set_top_var(self, n: int, value: Any, iface: bool = False) -> None:
        self.vals[len(self.vals) - n] = value
        self.vifaces[len(self.vals) - n] = iface

    def var_value(self, name: str) -> tuple[Any, bool]:
        names = self.vnames
        for i in range(len(names) - 1, -1, -1):
            if names[i] == name:
                return self.vals[i], self.vifaces[i]
        self.errorf(f"undefined variable: {name}")
        raise AssertionError

    def errorf(self, msg: str) -> None:
        name = self.tmpl.name
        node = self.node
        if node is None:
            raise ExecError(f"template: {name}: {msg}", None)
        location, context = error_context(node)
        raise ExecError(f"template: {location}: executing {gofmt_quote(name)} at <{context}>: {msg}", node)


def gofmt_quote(s: str) -> str:
    from .gostrconv import quote

    return quote(s)


def error_context(node: Node) -> tuple[str, str]:
    """Go's ``Tree.ErrorContext``: ``name:line:byteColumn`` and the node's ``String()``."""
    tree = node.tree
    text = tree.text[: node.pos] if tree is not None else ""
    nl = text.rfind("\n")
    col = len(to_go_bytes(text)) if nl < 0 else len(to_go_bytes(text[nl + 1 :]))
    line = 1 + text.count("\n")
    name = tree.parse_name if tree is not None else ""
    return f"{name}:{line}:{col}", str(node)


class Template:
    """A named template of a parsed set; all templates of a set share ``common``."""

    def __init__(self, name: str, common: Common) -> None:
        self.name = name
        self.common = common

    @property
    def tree(self) -> Tree | None:
        return self.common.trees.get(self.name)

    def execute(self, data: Any, env: Env | None = None) -> str:
        """Render with ``data`` as dot; raises :class:`ExecError` (partial output on ``.partial``)."""
        out: list[str] = []
        st = State(self, out, env or Env())
        if data is None:
            data = MISSING  # reflect.ValueOf(nil) is the invalid value
        st.push("$", data)
        walk = self.common.walker(self.name)
        try:
            if walk is None:
                st.errorf(f"{gofmt_quote(self.name)} is an incomplete or empty template")
            else:
                walk(st, data)
        except ExecError as e:
            e.partial = "".join(out)  # type: ignore[attr-defined]
            raise
        return "".join(out)


class Common:
    """The templates of one parse plus the function map, compiled lazily per template."""

    def __init__(self, trees: dict[str, Tree], funcs: dict[str, GoFunc]) -> None:
        self.trees = trees
        self.funcs = funcs
        self._compiled: dict[str, Walk | None] = {}
        self.templates = {name: Template(name, self) for name in trees}

    def walker(self, name: str) -> Walk | None:
        if name in self._compiled:
            return self._compiled[name]
        tree = self.trees.get(name)
        walk = None if tree is None or tree.root is None else Compiler(self).walk_list(tree.root)
        self._compiled[name] = walk
        return walk

    def lookup(self, name: str) -> Template | None:
        return self.templates.get(name)


# ---------------------------------------------------------------------------------------------
# Helpers shared by compiled closures


def _unwrap_iface(v: Any) -> Any:
    """evalPipeline's "dig down one level": a nil interface becomes the invalid value."""
    return MISSING if v is None else v


def _can_be_nil(t: GoType | None) -> bool:
    return t is not None and t.can_be_nil


def validate_type(st: State, value: Any, t: GoType | None) -> Any:
    """Go's ``validateType``: check assignability, converting invalid values to zero values."""
    if value is MISSING:
        if t is None or t is T_REFLECT_VALUE:
            return MISSING
        if t.can_be_nil:
            return zero_value(t)
        st.errorf(f"invalid value; expected {t.name}")
    if t is None or t is T_REFLECT_VALUE or t is T_INTERFACE:
        return value
    if value is None:
        st.errorf(f"wrong type for value; expected {t.name}; got interface {{}}")
    if not assignable(value, t):
        st.errorf(f"wrong type for value; expected {t.name}; got {type_name(value)}")
    return value


def _static_type_name(value: Any, iface: bool) -> str:
    return "interface {}" if iface else type_name(value)


def find_method(receiver: Any, name: str) -> Method | None:
    if isinstance(receiver, GoStruct):
        return receiver.go_methods.get(name)
    methods = _VALUE_METHODS.get(type(receiver))
    if methods is not None:
        return methods.get(name)
    gt = getattr(receiver, "gotype", None)
    if gt is not None:
        methods = _TYPE_METHODS.get(gt.name)
        if methods is not None:
            return methods.get(name)
    return None


_VALUE_METHODS: dict[type, dict[str, Method]] = {}
_TYPE_METHODS: dict[str, dict[str, Method]] = {}


def register_methods(py_type: type | None, go_type: str | None, methods: dict[str, Method]) -> None:
    """Make Go methods callable on values of a Python type (or of a Go type name)."""
    if py_type is not None:
        _VALUE_METHODS.setdefault(py_type, {}).update(methods)
    if go_type is not None:
        _TYPE_METHODS.setdefault(go_type, {}).update(methods)


def _result_coercer(t: GoType) -> Callable[[Any], Any] | None:
    """None when a function's Python result needs no conversion to its declared Go type."""
    k = t.kind
    if k == "interface" or t is T_REFLECT_VALUE or (k in ("string", "bool") and t is not T_JSON_NUMBER):
        return None
    return lambda v: _coerce_result(v, t)


def _coerce_result(v: Any, t: GoType) -> Any:
    """Give a Python function's result the Go type its signature declares."""
    k = t.kind
    if k == "interface" or t is T_REFLECT_VALUE:
        return v
    if k in INT_KINDS or k in UINT_KINDS:
        if type(v) is int or (isinstance(v, int) and not isinstance(v, bool) and type_of(v) != t):
            return make_int(t, v)
        return v
    if k == "slice":
        if v is None:
            return GoSlice((), t, is_nil=True)
        if type(v) is list and t.name != "[]interface {}":
            return GoSlice(v, t)
        return v
    if k == "map":
        if v is None:
            return GoMap((), t, is_nil=True)
        if type(v) is dict and t.name != "map[string]interface {}":
            return GoMap(v, t)
        return v
    if k in FLOAT_KINDS:
        if t.name == "float32" and not isinstance(v, Float32):
            return Float32(v)
        if type(v) is int:
            return float(v)
        return v
    if t is T_JSON_NUMBER and type(v) is str:
        return JsonNumber(v)
    return v


# ---------------------------------------------------------------------------------------------
# The compiler


class Compiler:
    """Turns nodes into closures. One instance per compiled template tree."""

    def __init__(self, common: Common) -> None:
        self.common = common

    def lookup_func(self, name: str) -> tuple[GoFunc | None, bool]:
        fn = self.common.funcs.get(name)
        if fn is not None:
            return fn, False
        fn = BUILTINS.get(name)
        if fn is not None:
            return fn, True
        return None, False

    # -- walk -------------------------------------------------------------------------------

    def walk_list(self, lst: ListNode) -> Walk:
        parts = [self.walk(n) for n in lst.nodes if not isinstance(n, CommentNode)]
        texts_only = all(isinstance(n, TextNode) for n in lst.nodes)
        if texts_only:
            text = "".join(n.text for n in lst.nodes if isinstance(n, TextNode))

            def walk_text(st: State, dot: Any) -> None:
                st.node = lst
                if text:
                    st.out.append(text)

            return walk_text
        if len(parts) == 1:
            only = parts[0]

            def walk_one(st: State, dot: Any) -> None:
                st.node = lst
                only(st, dot)

            return walk_one

        def walk_all(st: State, dot: Any) -> None:
            st.node = lst
            for p in parts:
                p(st, dot)

        return walk_all

    def walk(self, node: Node) -> Walk:
        if isinstance(node, TextNode):
            text = node.text

            def walk_text(st: State, dot: Any) -> None:
                st.node = node
                st.out.append(text)

            return walk_text
        if isinstance(node, ActionNode):
            return self.walk_action(node)
        if isinstance(node, IfNode):
            return self.walk_if_or_with(node, False)
        if isinstance(node, WithNode):
            return self.walk_if_or_with(node, True)
        if isinstance(node, RangeNode):
            return self.walk_range(node)
        if isinstance(node, TemplateNode):
            return self.walk_template(node)
        if isinstance(node, ListNode):
            return self.walk_list(node)
        if isinstance(node, BreakNode):

            def walk_break(st: State, dot: Any) -> None:
                st.node = node
                raise _BREAK

            return walk_break
        if isinstance(node, ContinueNode):

            def walk_continue(st: State, dot: Any) -> None:
                st.node = node
                raise _CONTINUE

            return walk_continue
        if isinstance(node, CommentNode):
            return lambda st, dot: None

        def walk_unknown(st: State, dot: Any) -> None:
            st.node = node
            st.errorf(f"unknown node: {node}")

        return walk_unknown

    def walk_action(self, node: ActionNode) -> Walk:
        pipe = self.pipeline(node.pipe)
        if node.pipe.decl:

            def walk_decl(st: State, dot: Any) -> None:
                st.node = node
                pipe(st, dot)

            return walk_decl

        def walk_print(st: State, dot: Any) -> None:
            st.node = node
            val = pipe(st, dot)
            st.node = node
            t = type(val)
            if t is str or t is JsonNumber:
                st.out.append(val)
            elif val is MISSING:
                st.out.append("<no value>")
            elif t is bool:
                st.out.append("true" if val else "false")
            elif t is int:
                st.out.append(str(val))
            elif isinstance(val, GoFunc):
                st.errorf(f"can't print {node} of type {type_name(val)}")
            else:
                st.out.append(gofmt.sprint(val))

        return walk_print

    def walk_if_or_with(self, node: IfNode | WithNode, is_with: bool) -> Walk:
        pipe = self.pipeline(node.pipe)
        body = self.walk_list(node.list)
        else_body = self.walk_list(node.else_list) if node.else_list is not None else None

        def walk_branch(st: State, dot: Any) -> None:
            st.node = node
            mark = len(st.vnames)
            try:
                val = pipe(st, dot)
                if is_true(val):
                    if is_with:
                        saved = st.dot_iface
                        st.dot_iface = False
                        try:
                            body(st, val)
                        finally:
                            st.dot_iface = saved
                    else:
                        body(st, dot)
                elif else_body is not None:
                    else_body(st, dot)
            finally:
                if len(st.vnames) > mark:
                    st.pop(mark)

        return walk_branch

    def walk_range(self, node: RangeNode) -> Walk:
        pipe = self.pipeline(node.pipe)
        body = self.walk_list(node.list)
        else_body = self.walk_list(node.else_list) if node.else_list is not None else None
        decl = [v.ident[0] for v in node.pipe.decl]
        is_assign = node.pipe.is_assign
        ndecl = len(decl)

        def one_iteration(st: State, mark: int, index: Any, elem: Any, iface: bool) -> None:
            if ndecl > 0:
                if is_assign:
                    if ndecl > 1:
                        st.set_var(decl[0], index)
                    else:
                        st.set_var(decl[0], elem, iface)
                else:
                    st.set_top_var(1, elem, iface)
            if ndecl > 1:
                if is_assign:
                    st.set_var(decl[1], elem, iface)
                else:
                    st.set_top_var(2, index)
            saved = st.dot_iface
            st.dot_iface = iface
            try:
                body(st, elem)
            except _Continue:
                pass
            finally:
                st.dot_iface = saved
                if len(st.vnames) > mark:
                    st.pop(mark)

        def walk_range(st: State, dot: Any) -> None:
            st.node = node
            outer = len(st.vnames)
            try:
                val = pipe(st, dot)
                mark = len(st.vnames)
                ran = False
                if isinstance(val, list):
                    if val:
                        iface = not isinstance(val, GoSlice) or val.gotype.elem is None or \
                            val.gotype.elem.kind == "interface"
                        for i, elem in enumerate(val):
                            one_iteration(st, mark, i, elem, iface)
                        ran = True
                elif isinstance(val, dict):
                    if val:
                        iface = not isinstance(val, GoMap) or val.gotype.elem is None or \
                            val.gotype.elem.kind == "interface"
                        for k, v in sorted_items(val):
                            one_iteration(st, mark, k, v, iface)
                        ran = True
                elif val is MISSING:
                    pass
                elif isinstance(val, int) and not isinstance(val, bool):
                    if ndecl > 1:
                        st.errorf(f"can't use {gofmt.sprint(val)} to iterate over more than one variable")
                    n = int(val)
                    t = type_of(val)
                    for i in range(n):
                        one_iteration(st, mark, MISSING, i if t is None or type(val) is int else make_int(t, i),
                                      False)
                    ran = n > 0
                else:
                    st.errorf(f"range can't iterate over {gofmt.sprint(val)}")
                if not ran and else_body is not None:
                    else_body(st, dot)
            except _Break:
                pass
            finally:
                if len(st.vnames) > outer:
                    st.pop(outer)

        return walk_range

    def walk_template(self, node: TemplateNode) -> Walk:
        pipe = self.pipeline(node.pipe) if node.pipe is not None else None
        name = node.name
        common = self.common

        def walk_template(st: State, dot: Any) -> None:
            st.node = node
            tmpl = common.lookup(name)
            if tmpl is None:
                st.errorf(f"template {gofmt_quote(name)} not defined")
                return
            if st.depth == MAX_EXEC_DEPTH:
                st.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
            new_dot = pipe(st, dot) if pipe is not None else MISSING
            walk = common.walker(name)
            new = State(tmpl, st.out, st.env)
            new.depth = st.depth + 1
            new.push("$", new_dot)
            if walk is None:
                new.errorf(f"{gofmt_quote(name)} is an incomplete or empty template")
                return
            try:
                walk(new, new_dot)
            except RecursionError:
                # Python's stack ends long before Go's 100000 nested templates; report Go's error
                # at the innermost call (the caller re-runs in a deep thread before trusting this).
                st.node = node
                try:
                    st.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
                except ExecError as e:
                    e.from_recursion = True  # type: ignore[attr-defined]
                    raise

        return walk_template

    # -- pipelines and commands -----------------------------------------------------------

    def pipeline(self, pipe: PipeNode) -> Eval:
        cmds = [self.command(c, i > 0) for i, c in enumerate(pipe.cmds)]
        decl = [v.ident[0] for v in pipe.decl]
        is_assign = pipe.is_assign
        if len(cmds) == 1 and not decl:
            only = cmds[0]

            def eval_pipe1(st: State, dot: Any) -> Any:
                st.node = pipe
                v = only(st, dot, NOFINAL)
                return MISSING if v is None else v

            return eval_pipe1

        if len(cmds) == 2 and not decl:
            first, second = cmds

            def eval_pipe2(st: State, dot: Any) -> Any:
                st.node = pipe
                v = first(st, dot, NOFINAL)
                v = second(st, dot, MISSING if v is None else v)
                return MISSING if v is None else v

            return eval_pipe2

        def eval_pipe(st: State, dot: Any) -> Any:
            st.node = pipe
            value = NOFINAL
            for cmd in cmds:
                value = cmd(st, dot, value)
                if value is None:
                    value = MISSING
            for name in decl:
                if is_assign:
                    st.set_var(name, value)
                else:
                    st.push(name, value)
            return value

        return eval_pipe

    def not_a_function(self, st: State, args: list[Node], final: Any) -> None:
        if len(args) > 1 or final is not NOFINAL:
            st.errorf(f"can't give argument to non-function {args[0]}")

    def command(self, cmd: CommandNode, has_final: bool | None = None) -> Cmd:
        first = cmd.args[0]
        args = cmd.args
        if isinstance(first, FieldNode):
            return self.field_node(first, args)
        if isinstance(first, ChainNode):
            return self.chain_node(first, args)
        if isinstance(first, IdentifierNode):
            return self.function(first, cmd, args, has_final)
        if isinstance(first, PipeNode):
            inner = self.pipeline(first)

            def eval_paren(st: State, dot: Any, final: Any) -> Any:
                self.not_a_function(st, args, final)
                return inner(st, dot)

            return eval_paren
        if isinstance(first, VariableNode):
            return self.variable_node(first, args)
        if isinstance(first, BoolNode):
            b = first.true

            def eval_bool(st: State, dot: Any, final: Any) -> Any:
                st.node = first
                self.not_a_function(st, args, final)
                return b

            return eval_bool
        if isinstance(first, DotNode):

            def eval_dot(st: State, dot: Any, final: Any) -> Any:
                st.node = first
                if len(args) > 1 or final is not NOFINAL:
                    self.not_a_function(st, args, final)
                return dot

            return eval_dot
        if isinstance(first, NilNode):

            def eval_nil(st: State, dot: Any, final: Any) -> Any:
                st.node = first
                self.not_a_function(st, args, final)
                st.errorf("nil is not a command")

            return eval_nil
        if isinstance(first, NumberNode):

            def eval_number(st: State, dot: Any, final: Any) -> Any:
                st.node = first
                self.not_a_function(st, args, final)
                return ideal_constant(st, first)

            return eval_number
        if isinstance(first, StringNode):
            text = first.text

            def eval_string(st: State, dot: Any, final: Any) -> Any:
                st.node = first
                self.not_a_function(st, args, final)
                return text

            return eval_string

        def eval_bad(st: State, dot: Any, final: Any) -> Any:
            st.node = first
            self.not_a_function(st, args, final)
            st.errorf(f"can't evaluate command {gofmt_quote(str(first))}")

        return eval_bad

    # -- fields ---------------------------------------------------------------------------

    def field_node(self, field: FieldNode, args: list[Node] | None) -> Cmd:
        chain = self.field_chain(field, field.ident, args)
        idents = field.ident
        simple = args is None or len(args) <= 1
        if len(idents) == 1 and simple:
            key = idents[0]

            def eval_field1(st: State, dot: Any, final: Any) -> Any:
                st.node = field
                if type(dot) is dict and final is NOFINAL:
                    return dot.get(key, MISSING)
                return chain(st, dot, dot, st.dot_iface, final)

            return eval_field1
        if simple:
            n = len(idents)

            def eval_field(st: State, dot: Any, final: Any) -> Any:
                st.node = field
                if final is NOFINAL:
                    v = dot
                    i = 0
                    while i < n and type(v) is dict:
                        v = v.get(idents[i], MISSING)
                        i += 1
                    if i == n:
                        return v
                return chain(st, dot, dot, st.dot_iface, final)

            return eval_field

        def eval_field_args(st: State, dot: Any, final: Any) -> Any:
            st.node = field
            return chain(st, dot, dot, st.dot_iface, final)

        return eval_field_args

    def chain_node(self, chain: ChainNode, args: list[Node] | None) -> Cmd:
        if isinstance(chain.node, NilNode):

            def eval_nil_chain(st: State, dot: Any, final: Any) -> Any:
                st.node = chain
                st.errorf(f"indirection through explicit nil in {chain}")

            return eval_nil_chain
        inner = self.arg(chain.node, None)
        fields = self.field_chain(chain, chain.field, args)

        def eval_chain(st: State, dot: Any, final: Any) -> Any:
            st.node = chain
            if not chain.field:
                st.errorf("internal error: no fields in evalChainNode")
            pipe = inner(st, dot)
            return fields(st, dot, pipe, False, final)

        return eval_chain

    def variable_node(self, var: VariableNode, args: list[Node] | None) -> Cmd:
        name = var.ident[0]
        if len(var.ident) == 1:

            def eval_var(st: State, dot: Any, final: Any) -> Any:
                st.node = var
                value, _ = st.var_value(name)
                if args is not None and (len(args) > 1 or final is not NOFINAL):
                    self.not_a_function(st, args, final)
                return value

            return eval_var
        fields = self.field_chain(var, var.ident[1:], args)

        def eval_var_chain(st: State, dot: Any, final: Any) -> Any:
            st.node = var
            value, iface = st.var_value(name)
            return fields(st, dot, value, iface, final)

        return eval_var_chain

    def field_chain(self, node: Node, ident: list[str], args: list[Node] | None
                    ) -> Callable[[State, Any, Any, bool, Any], Any]:
        """evalFieldChain: walk ``.X.Y.Z``; only the last field gets the arguments."""
        n = len(ident)
        last = ident[-1]
        head = ident[:-1]
        arg_nodes = args

        simple_last = arg_nodes is None or len(arg_nodes) <= 1

        def eval_chain(st: State, dot: Any, receiver: Any, iface: bool, final: Any) -> Any:
            for name in head:
                if type(receiver) is dict:  # map[string]interface {}: no methods, plain lookup
                    receiver, iface = receiver.get(name, MISSING), True
                else:
                    receiver, iface = self.eval_field(st, dot, name, node, None, NOFINAL, receiver, iface)
            if simple_last and final is NOFINAL and type(receiver) is dict:
                return receiver.get(last, MISSING)
            return self.eval_field(st, dot, last, node, arg_nodes, final, receiver, iface)[0]

        _ = n
        return eval_chain

    def eval_field(self, st: State, dot: Any, name: str, node: Node, args: list[Node] | None, final: Any,
                   receiver: Any, iface: bool) -> tuple[Any, bool]:
        """evalField; returns the value and whether its static type is ``interface {}``."""
        if receiver is MISSING:
            return MISSING, False
        typ = _static_type_name(receiver, iface)
        if receiver is None:
            st.errorf(f"nil pointer evaluating {typ}.{name}")
        method = find_method(receiver, name)
        if method is not None:
            res = self.eval_call(st, dot, method.fn, method.sig, False, node, name, args, final, receiver)
            return res, method.sig.result.kind == "interface"
        bad = getattr(receiver, "go_bad_methods", None)
        if bad and name in bad:
            # A method Go finds but cannot call (3 results, or a non-error second result):
            # evalCall checks the argument count, then goodFunc rejects the signature.
            nparams, message = bad[name]
            num_in = (len(args) - 1 if args is not None else 0) + (0 if final is NOFINAL else 1)
            if num_in != nparams:
                st.errorf(f"wrong number of args for {name}: want {nparams} got {num_in}")
            st.errorf(message)
        has_args = (args is not None and len(args) > 1) or final is not NOFINAL
        if isinstance(receiver, dict):
            key_t = receiver.gotype.key if isinstance(receiver, GoMap) else None
            if key_t is None or key_t.name == "string" or key_t.kind == "interface":
                if has_args:
                    st.errorf(f"{name} is not a method but has arguments")
                elem_iface = not isinstance(receiver, GoMap) or (
                    receiver.gotype.elem is not None and receiver.gotype.elem.kind == "interface")
                return receiver.get(name, MISSING), elem_iface
        elif isinstance(receiver, GoStruct):
            if name in getattr(receiver, "go_unexported_fields", ()):
                st.errorf(f"{name} is an unexported field of struct type {typ}")
            if name in receiver.go_fields:
                if has_args:
                    st.errorf(f"{name} has arguments but cannot be invoked as function")
                return receiver.go_field(name), False
            if getattr(receiver, "go_is_nil", False):
                st.errorf(f"nil pointer evaluating {typ}.{name}")
        st.errorf(f"can't evaluate field {name} in type {typ}")
        raise AssertionError

    # -- functions and calls --------------------------------------------------------------

    def function(self, ident: IdentifierNode, cmd: Node, args: list[Node] | None,
                 has_final: bool | None = None) -> Cmd:
        name = ident.ident
        fn, is_builtin = self.lookup_func(name)
        if fn is None:

            def eval_undefined(st: State, dot: Any, final: Any) -> Any:
                st.node = ident
                st.errorf(f"{gofmt_quote(name)} is not a defined function")

            return eval_undefined
        arg_evals = self.arg_evals(fn.sig, args[1:] if args is not None else [], is_builtin and name in ("and", "or"))
        if has_final is not None and not (is_builtin and name in ("and", "or", "call")):
            return self._specialised_call(ident, cmd, fn, args[1:] if args is not None else [], has_final, arg_evals)

        def eval_function(st: State, dot: Any, final: Any) -> Any:
            st.node = ident
            return self.eval_call(st, dot, fn.fn, fn.sig, is_builtin, cmd, name, args, final, None,
                                  needs_env=fn.needs_env, arg_evals=arg_evals)

        return eval_function

    def _specialised_call(self, ident: IdentifierNode, cmd: Node, fn: GoFunc, arg_nodes: list[Node],
                          has_final: bool, arg_evals: list[Eval]) -> Cmd:
        """evalFunction + evalCall for one call site whose pipeline position is known.

        Everything that does not depend on run-time values (arity, parameter types, how to
        convert the result) is decided here once; the closure only evaluates and calls.
        """
        sig = fn.sig
        name = ident.ident
        num_params = sig.num_in
        num_in = len(arg_nodes) + (1 if has_final else 0)
        variadic = sig.variadic is not None
        arity_error: str | None = None
        if variadic:
            if num_in < num_params - 1:
                arity_error = f"wrong number of args for {name}: want at least {num_params - 1} got {len(arg_nodes)}"
        elif num_in != num_params:
            arity_error = f"wrong number of args for {name}: want {num_params} got {num_in}"
        final_type: GoType | None = None
        if has_final and arity_error is None:
            if variadic:
                final_type = sig.params[num_in - 1] if num_in - 1 < num_params - 1 else sig.variadic
            else:
                final_type = sig.params[num_params - 1]
        fun = fn.fn
        needs_env = fn.needs_env
        coerce = _result_coercer(sig.result)

        def call(st: State, dot: Any, final: Any) -> Any:
            st.node = ident
            if arity_error is not None:
                st.errorf(arity_error)
            argv = [ev(st, dot) for ev in arg_evals]
            if has_final:
                argv.append(validate_type(st, final, final_type))
            try:
                result = fun(st.env, *argv) if needs_env else fun(*argv)
            except GoError as e:
                st.node = cmd
                st.errorf(f"error calling {name}: {e}")
            except (ExecError, RecursionError):
                raise
            except Exception as e:  # a bug in a Python port of a Go function: still one clear message
                st.node = cmd
                st.errorf(f"error calling {name}: internal error in kwokbook's port: {type(e).__name__}: {e}")
            return result if coerce is None else coerce(result)

        return call

    def arg_evals(self, sig: Any, arg_nodes: list[Node], raw: bool) -> list[Eval]:
        """Compile each argument node against the parameter type it will meet."""
        out: list[Eval] = []
        for i, a in enumerate(arg_nodes):
            if raw:
                t: GoType | None = T_REFLECT_VALUE
            elif sig.variadic is not None and i >= len(sig.params):
                t = sig.variadic
            elif i < len(sig.params):
                t = sig.params[i]
            else:
                break  # arity error at run time
            out.append(self.arg(a, t))
        return out

    def eval_call(self, st: State, dot: Any, fun: Callable[..., Any], sig: Any, is_builtin: bool, node: Node,
                  name: str, args: list[Node] | None, final: Any, receiver: Any,
                  needs_env: bool = False, arg_evals: list[Eval] | None = None) -> Any:
        """evalCall: arity checks, argument evaluation and conversion, the call, error wrapping."""
        arg_nodes = args[1:] if args is not None else []
        num_params = sig.num_in
        num_in = len(arg_nodes) + (0 if final is NOFINAL else 1)
        num_fixed = len(arg_nodes)
        variadic = sig.variadic is not None
        if variadic:
            num_fixed = num_params - 1
            if num_in < num_fixed:
                st.errorf(f"wrong number of args for {name}: want at least {num_params - 1} got {len(arg_nodes)}")
        elif num_in != num_params:
            st.errorf(f"wrong number of args for {name}: want {num_params} got {num_in}")

        if arg_evals is None:
            arg_evals = self.arg_evals(sig, arg_nodes, is_builtin and name in ("and", "or"))
        if is_builtin and name in ("and", "or"):
            want = name == "or"
            v: Any = MISSING
            for ev in arg_evals:
                v = ev(st, dot)
                if is_true(v) == want:
                    return v
            if final is not NOFINAL:
                v = validate_type(st, final, T_REFLECT_VALUE)
            return v

        params = sig.params
        argv: list[Any] = [ev(st, dot) for ev in arg_evals]
        if final is not NOFINAL:
            if variadic:
                t = params[num_in - 1] if num_in - 1 < num_fixed else sig.variadic
            else:
                t = params[num_params - 1]
            argv.append(validate_type(st, final, t))

        if is_builtin and name == "call":
            callee = str(arg_nodes[0]) if arg_nodes else _reflect_value_string(final)
            fun = call_function
            argv.insert(0, callee)
        if receiver is not None:
            argv.insert(0, receiver)
        if needs_env:
            argv.insert(0, st.env)
        try:
            result = fun(*argv)
        except GoError as e:
            st.node = node
            st.errorf(f"error calling {name}: {e}")
        except ExecError:
            raise
        except RecursionError:
            raise
        except Exception as e:  # a bug in a Python port of a Go function: still one clear message
            st.node = node
            st.errorf(f"error calling {name}: internal error in kwokbook's port: {type(e).__name__}: {e}")
        return _coerce_result(result, sig.result)

    def eval_arg(self, st: State, dot: Any, typ: GoType | None, n: Node) -> Any:
        return self.arg(n, typ)(st, dot)

    def arg(self, n: Node, typ: GoType | None) -> Eval:
        """evalArg compiled: an argument node evaluated and converted to parameter type ``typ``."""
        cache = self.__dict__.setdefault("_arg_cache", {})
        key = (id(n), typ.name if typ is not None else None)
        hit = cache.get(key)
        if hit is not None:
            return hit
        ev = self._arg(n, typ)
        cache[key] = ev
        return ev

    def _arg(self, n: Node, typ: GoType | None) -> Eval:
        if isinstance(n, DotNode):

            def arg_dot(st: State, dot: Any) -> Any:
                st.node = n
                return validate_type(st, dot, typ)

            return arg_dot
        if isinstance(n, NilNode):

            def arg_nil(st: State, dot: Any) -> Any:
                st.node = n
                if _can_be_nil(typ):
                    assert typ is not None
                    return MISSING if typ is T_REFLECT_VALUE else zero_value(typ)
                st.errorf(f"cannot assign nil to {typ}")
                return None  # unreachable: errorf raises

            return arg_nil
        if isinstance(n, FieldNode):
            fcmd = self.field_node(n, [n])

            def arg_field(st: State, dot: Any) -> Any:
                st.node = n
                return validate_type(st, fcmd(st, dot, NOFINAL), typ)

            return arg_field
        if isinstance(n, VariableNode):
            vcmd = self.variable_node(n, None)

            def arg_var(st: State, dot: Any) -> Any:
                st.node = n
                return validate_type(st, vcmd(st, dot, NOFINAL), typ)

            return arg_var
        if isinstance(n, PipeNode):
            pipe = self.pipeline(n)

            def arg_pipe(st: State, dot: Any) -> Any:
                st.node = n
                return validate_type(st, pipe(st, dot), typ)

            return arg_pipe
        if isinstance(n, IdentifierNode):
            fcall = self.function(n, n, None)

            def arg_ident(st: State, dot: Any) -> Any:
                st.node = n
                return validate_type(st, fcall(st, dot, NOFINAL), typ)

            return arg_ident
        if isinstance(n, ChainNode):
            ccmd = self.chain_node(n, None)

            def arg_chain(st: State, dot: Any) -> Any:
                st.node = n
                return validate_type(st, ccmd(st, dot, NOFINAL), typ)

            return arg_chain
        return self._constant_arg(n, typ)

    def _constant_arg(self, n: Node, typ: GoType | None) -> Eval:
        k = typ.kind if typ is not None else "invalid"

        def fail(msg: str) -> Eval:
            def arg_fail(st: State, dot: Any) -> Any:
                st.node = n
                st.errorf(msg)

            return arg_fail

        def const(v: Any) -> Eval:
            def arg_const(st: State, dot: Any) -> Any:
                st.node = n
                return v

            return arg_const

        if typ is None:
            return fail(f"can't handle {n} for arg of type <nil>")
        if k == "bool":
            return const(n.true) if isinstance(n, BoolNode) else fail(f"expected bool; found {n}")
        if k in COMPLEX_KINDS:
            if isinstance(n, NumberNode) and n.is_complex:
                return const(n.complex128)
            return fail(f"expected complex; found {n}")
        if k in FLOAT_KINDS:
            if isinstance(n, NumberNode) and n.is_float:
                return const(Float32(n.float64) if k == "float32" else n.float64)
            return fail(f"expected float; found {n}")
        if k in INT_KINDS:
            if isinstance(n, NumberNode) and n.is_int:
                return const(make_int(typ, n.int64))
            return fail(f"expected integer; found {n}")
        if (k == "interface" and not typ.methods) or typ is T_REFLECT_VALUE:
            return self._empty_interface(n)
        if k == "string":
            if isinstance(n, StringNode):
                return const(JsonNumber(n.text) if typ is T_JSON_NUMBER else n.text)
            return fail(f"expected string; found {n}")
        if k in UINT_KINDS:
            if isinstance(n, NumberNode) and n.is_uint:
                return const(make_int(typ, n.uint64))
            return fail(f"expected unsigned integer; found {n}")
        return fail(f"can't handle {n} for arg of type {typ}")

    def _empty_interface(self, n: Node) -> Eval:
        if isinstance(n, BoolNode):
            b = n.true

            def ei_bool(st: State, dot: Any) -> Any:
                st.node = n
                return b

            return ei_bool
        if isinstance(n, NumberNode):

            def ei_number(st: State, dot: Any) -> Any:
                st.node = n
                return ideal_constant(st, n)

            return ei_number
        if isinstance(n, StringNode):
            text = n.text

            def ei_string(st: State, dot: Any) -> Any:
                st.node = n
                return text

            return ei_string

        def ei_bad(st: State, dot: Any) -> Any:
            st.node = n
            st.errorf(f"can't handle assignment of {n} to empty interface argument")

        return ei_bad


def _reflect_value_string(v: Any) -> str:
    """``reflect.Value.String()``: the string itself, else ``<T Value>``."""
    if v is MISSING:
        return "<invalid Value>"
    if isinstance(v, str):
        return str(v)
    return f"<{type_name(v)} Value>"


def ideal_constant(st: State, c: NumberNode) -> Any:
    """A numeric constant with no type context: complex, float64 or int by its syntax."""
    st.node = c
    text = c.text
    if c.is_complex:
        return c.complex128
    if c.is_float and not _is_hex_int(text) and text[:1] != "'" and any(ch in text for ch in ".eEpP"):
        return c.float64
    if c.is_int:
        return c.int64
    if c.is_uint:
        st.errorf(f"{text} overflows int")
    return MISSING


def _is_hex_int(s: str) -> bool:
    return len(s) > 2 and s[0] == "0" and s[1] in "xX" and not any(ch in s for ch in "pP")


def _register_json_number_methods() -> None:
    """json.Number's methods are callable from templates: ``{{ .replicas.Int64 }}``."""
    from .gostrconv import parse_float, parse_int
    from .values import Int64, sig

    def int64(n: JsonNumber) -> Any:
        return Int64(parse_int(str(n), 10, 64))

    def float64(n: JsonNumber) -> Any:
        return parse_float(str(n), 64)

    def string(n: JsonNumber) -> Any:
        return str(n)

    register_methods(JsonNumber, "json.Number", {
        "Int64": Method("Int64", sig(" -> (int64, error)"), int64),
        "Float64": Method("Float64", sig(" -> (float64, error)"), float64),
        "String": Method("String", sig(" -> string"), string),
    })


_register_json_number_methods()


def _register_time_methods() -> None:
    """Methods of Go's named time types (``(.Sub x).Hours``, ``now.Month.String``)."""
    from .gotime import METHODS_BY_TYPE

    for go_type, methods in METHODS_BY_TYPE.items():
        register_methods(None, go_type, dict(methods))


_register_time_methods()

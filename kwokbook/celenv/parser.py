"""cel-go's parser: CEL.g4 as recursive descent with ANTLR's error strategy, plus the visitor.

Syntax errors must read exactly as KWOK prints them, so the parser mirrors what the generated
ANTLR parser does when input is wrong: ``sync`` before decisions (single-token deletion →
"extraneous input", else "mismatched input … expecting {…}"), ``recoverInline`` on token matches
(deletion, then single-token insertion → "missing X at Y"), "no viable alternative" where
prediction fails, error-recovery mode (no new reports until a token is matched) and resync to the
union of the follow sets of the rules on the stack. The visitor part (macro expansion, reserved
identifiers, literal parsing, balanced ``&&``/``||`` trees) follows ``parser/parser.go``.

Known gaps (documented in kwokbook.cel): ANTLR's recovery limits (30 attempts / 256 look-ahead
tokens / 100 reports) and the 250-level recursion limit are not modelled.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from . import lexer as L
from .ast import Bad, Call, Comp, Expr, Ident, ListE, Lit, MapE, Select, StructE
from .lexer import Token

UNARY_START = frozenset(
    {
        L.LBRACKET,
        L.LBRACE,
        L.LPAREN,
        L.DOT,
        L.MINUS,
        L.EXCLAM,
        L.CEL_TRUE,
        L.CEL_FALSE,
        L.NUL,
        L.NUM_FLOAT,
        L.NUM_INT,
        L.NUM_UINT,
        L.STRING,
        L.BYTES,
        L.IDENTIFIER,
    }
)
MEMBER_START = UNARY_START - {L.EXCLAM}
OPT_EXPR_START = UNARY_START | {L.QUESTIONMARK}
REL_OPS = frozenset({L.LESS, L.LESS_EQUALS, L.GREATER_EQUALS, L.GREATER, L.EQUALS, L.NOT_EQUALS, L.IN})
MUL_OPS = frozenset({L.STAR, L.SLASH, L.PERCENT})
ADD_OPS = frozenset({L.PLUS, L.MINUS})
CALC_OPS = MUL_OPS | ADD_OPS
MEMBER_SUFFIX = frozenset({L.DOT, L.LBRACKET})
EMPTY: frozenset[int] = frozenset()

OPERATORS = {
    L.EQUALS: "_==_",
    L.NOT_EQUALS: "_!=_",
    L.IN: "@in",
    L.LESS: "_<_",
    L.LESS_EQUALS: "_<=_",
    L.GREATER_EQUALS: "_>=_",
    L.GREATER: "_>_",
    L.STAR: "_*_",
    L.SLASH: "_/_",
    L.PERCENT: "_%_",
    L.PLUS: "_+_",
    L.MINUS: "_-_",
}
RESERVED = frozenset(
    {
        "as",
        "break",
        "const",
        "continue",
        "else",
        "false",
        "for",
        "function",
        "if",
        "import",
        "in",
        "let",
        "loop",
        "package",
        "namespace",
        "null",
        "return",
        "true",
        "var",
        "void",
        "while",
    }
)
ACCU = "@result"
_RESERVED_NVA = re.compile(r"no viable alternative at input '.(true|false|null)'")


class _Recognition(Exception):
    """An ANTLR RecognitionException (input mismatch or no viable alternative)."""

    def __init__(
        self, kind: str, offending: Token, expected: frozenset[int] | None = None, start: Token | None = None
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.offending = offending
        self.expected = expected
        self.start = start


def set_display(s: frozenset[int] | set[int]) -> str:
    """ANTLR's IntervalSet.StringVerbose: one name, or ``{a, b}`` in token-type order."""
    names = [L.token_display(t) for t in sorted(s)]
    if len(names) == 1:
        return names[0]
    return "{" + ", ".join(names) + "}"


def _tok_display(t: Token) -> str:
    return "'" + t.display() + "'"


class ParseResult:
    def __init__(self, expr: Expr, errors: list[tuple[int, str, int, int]]) -> None:
        self.expr = expr
        self.errors = errors  # (offset, message, phase, seq)


class Parser:
    """One parse of one source text."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.toks, lex_errs = L.tokenize(src)
        self.p = 0
        self.errors: list[tuple[int, str, int, int]] = []
        self.recovering = False
        self.last_error_index = -1
        self.last_error_states: set[str] = set()
        self.frames: list[tuple[frozenset[int], bool]] = []
        for le in lex_errs:
            self._syntax(le.offset, "token recognition error at: '" + L.error_display(le.text) + "'")

    # -- error plumbing -------------------------------------------------------------------

    def _syntax(self, off: int, msg: str) -> None:
        if "no viable alternative" in msg:
            msg = _RESERVED_NVA.sub(r"mismatched input '\1' expecting IDENTIFIER", msg)
        self.errors.append((off, "Syntax error: " + msg, 0, len(self.errors)))

    def visit_error(self, off: int, msg: str) -> Bad:
        self.errors.append((off, msg, 1, len(self.errors)))
        return Bad(off)

    def la(self, k: int = 1) -> int:
        i = self.p + k - 1
        return self.toks[i].type if i < len(self.toks) else L.EOF

    def lt(self, k: int = 1) -> Token:
        i = self.p + k - 1
        return self.toks[i] if i < len(self.toks) else self.toks[-1]

    def _consume(self) -> Token:
        t = self.toks[self.p]
        if t.type != L.EOF:
            self.p += 1
        return t

    def _full(self, local: frozenset[int], eps: bool) -> frozenset[int]:
        """Expected tokens from a state: its own set, then the callers' while rules can end."""
        out = set(local)
        if eps:
            for follow, feps in reversed(self.frames):
                out |= follow
                if not feps:
                    break
            else:
                out.add(L.EOF)
        return frozenset(out)

    def _recovery_set(self) -> frozenset[int]:
        out: set[int] = set()
        for follow, _ in self.frames:
            out |= follow
        return frozenset(out)

    def _begin_error(self) -> bool:
        if self.recovering:
            return False
        self.recovering = True
        return True

    def _report_unwanted(self, expected: frozenset[int]) -> None:
        if self._begin_error():
            t = self.lt()
            self._syntax(t.start, f"extraneous input {_tok_display(t)} expecting {set_display(expected)}")

    def _report_error(self, e: _Recognition) -> None:
        if not self._begin_error():
            return
        t = e.offending
        if e.kind == "mismatch":
            assert e.expected is not None
            self._syntax(t.start, f"mismatched input {_tok_display(t)} expecting {set_display(e.expected)}")
        else:
            start = e.start or t
            if start.type == L.EOF:
                text = "<EOF>"
            else:
                parts = []
                for tok in self.toks[start.index : t.index + 1]:
                    if tok.type == L.EOF:
                        break
                    parts.append(tok.text)
                text = L.error_display("".join(parts))
            self._syntax(t.start, f"no viable alternative at input '{text}'")

    def _recover(self, state: str) -> None:
        if self.last_error_index == self.p and state in self.last_error_states:
            self._consume()
        self.last_error_index = self.p
        self.last_error_states.add(state)
        stop = self._recovery_set()
        while self.la() != L.EOF and self.la() not in stop:
            self._consume()

    def match(self, ttype: int, after: frozenset[int] = EMPTY, after_eps: bool = True) -> Token | None:
        """Match one token with ANTLR's recoverInline; None means a conjured (missing) token."""
        if self.la() == ttype:
            self.recovering = False
            return self._consume()
        expected = frozenset({ttype})
        if self.la(2) in expected:  # single-token deletion
            self._report_unwanted(expected)
            self._consume()
            self.recovering = False
            return self._consume()
        if self.la() in self._full(after, after_eps):  # single-token insertion
            if self._begin_error():
                t = self.lt()
                self._syntax(t.start, f"missing {set_display(expected)} at {_tok_display(t)}")
            return None
        raise _Recognition("mismatch", self.lt(), expected)

    def take(self) -> Token:
        """Consume a token the grammar already predicted (a successful match)."""
        self.recovering = False
        return self._consume()

    def sync(self, local: frozenset[int], eps: bool = False, loopback: bool = False) -> None:
        if self.recovering:
            return
        if eps or self.la() in local:
            return
        expected = self._full(local, eps)
        if loopback:
            self._report_unwanted(expected)
            stop = expected | self._recovery_set()
            while self.la() != L.EOF and self.la() not in stop:
                self._consume()
            return
        if self.la(2) in expected:
            self._report_unwanted(expected)
            self._consume()
            self.recovering = False
            return
        raise _Recognition("mismatch", self.lt(), expected)

    def no_viable(self, start: Token, offending: Token) -> NoReturn:
        raise _Recognition("noviable", offending, start=start)

    def rule(self, name: str, follow: frozenset[int], eps: bool, fn: Any, *args: Any) -> Expr:
        """Invoke a grammar rule: push its follow frame and turn its errors into a Bad node."""
        self.frames.append((follow, eps))
        start = self.lt().start
        try:
            return fn(*args)
        except _Recognition as e:
            self._report_error(e)
            self._recover(name)
            return Bad(start)
        finally:
            self.frames.pop()

    # -- grammar ----------------------------------------------------------------------------

    def parse(self) -> ParseResult:
        e = self.rule("expr", frozenset({L.EOF}), False, self.expr)
        try:
            self.match(L.EOF, EMPTY, False)
        except _Recognition as err:
            self._report_error(err)
            self._recover("start")
        return ParseResult(e, self.errors)

    def expr(self) -> Expr:
        e = self.rule("conditionalOr", frozenset({L.QUESTIONMARK}), True, self.cond_or)
        if self.la() == L.QUESTIONMARK:
            op = self.take()
            e1 = self.rule("conditionalOr", frozenset({L.COLON}), False, self.cond_or)
            self.match(L.COLON, UNARY_START, False)
            e2 = self.rule("expr", EMPTY, True, self.expr)
            return self.global_call(op.start, "_?_:_", [e, e1, e2])
        return e

    def _logic(self, op_type: int, fn: str, sub: str, subfn: Any) -> Expr:
        first = self.rule(sub, frozenset({op_type}), True, subfn)
        terms = [first]
        ops: list[int] = []
        while self.la() == op_type:
            ops.append(self.take().start)
            terms.append(self.rule(sub, frozenset({op_type}), True, subfn))
        if not ops:
            return first

        def balanced(lo: int, hi: int) -> Expr:
            mid = (lo + hi + 1) // 2
            left = terms[mid] if mid == lo else balanced(lo, mid - 1)
            right = terms[mid + 1] if mid == hi else balanced(mid + 1, hi)
            return Call(ops[mid], fn, [left, right])

        return balanced(0, len(ops) - 1)

    def cond_or(self) -> Expr:
        return self._logic(L.LOGICAL_OR, "_||_", "conditionalAnd", self.cond_and)

    def cond_and(self) -> Expr:
        return self._logic(L.LOGICAL_AND, "_&&_", "relation", self.relation)

    def relation(self) -> Expr:
        e = self.rule("calc", REL_OPS, True, self.calc, 0)
        while self.la() in REL_OPS:
            op = self.take()
            rhs = self.rule("relation", REL_OPS, True, self.rule, "calc", REL_OPS, True, self.calc, 0)
            e = self.global_call(op.start, OPERATORS[op.type], [e, rhs])
        return e

    def calc(self, prec: int) -> Expr:
        e = self.rule("unary", CALC_OPS, True, self.unary)
        while True:
            t = self.la()
            if t in MUL_OPS and prec <= 2:
                nxt = 3
            elif t in ADD_OPS and prec <= 1:
                nxt = 2
            else:
                return e
            op = self.take()
            rhs = self.rule("calc", CALC_OPS, True, self.calc, nxt)
            e = self.global_call(op.start, OPERATORS[op.type], [e, rhs])

    def unary(self) -> Expr:
        self.sync(UNARY_START)
        t = self.la()
        if t == L.EXCLAM:
            return self._prefix_ops(L.EXCLAM, "!_")
        if t == L.MINUS:
            t2 = self.la(2)
            if t2 in (L.NUM_INT, L.NUM_FLOAT):
                return self.rule("member", EMPTY, True, self.member)
            if t2 in MEMBER_START:
                return self._prefix_ops(L.MINUS, "-_")
            self.no_viable(self.lt(), self.lt(2))
        return self.rule("member", EMPTY, True, self.member)

    def _prefix_ops(self, ttype: int, fn: str) -> Expr:
        ops = [self.take().start]
        local = MEMBER_START | {ttype}
        self.sync(local, loopback=True)
        while self.la() == ttype:
            ops.append(self.take().start)
            self.sync(local, loopback=True)
        target = self.rule("member", EMPTY, True, self.member)
        if len(ops) % 2 == 0:
            return target
        return self.global_call(ops[0], fn, [target])

    def member(self) -> Expr:
        e = self.rule("primary", MEMBER_SUFFIX, True, self.primary)
        while True:
            t = self.la()
            if t == L.DOT:
                t2 = self.la(2)
                if t2 == L.IDENTIFIER and self.la(3) == L.LPAREN:
                    self.take()
                    name = self.take()
                    open_ = self.take()
                    self.sync(UNARY_START | {L.RPAREN})
                    args: list[Expr] = []
                    if self.la() in UNARY_START:
                        args = self.expr_list()
                    self.match(L.RPAREN, EMPTY, True)
                    e = self.receiver_call(open_.start, name.text, e, args)
                elif t2 in (L.IDENTIFIER, L.QUESTIONMARK, L.ESC_IDENTIFIER):
                    dot = self.take()
                    opt = self.take() if t2 == L.QUESTIONMARK else None
                    if opt is not None:
                        self.sync(frozenset({L.IDENTIFIER, L.ESC_IDENTIFIER}))
                        if self.la() not in (L.IDENTIFIER, L.ESC_IDENTIFIER):
                            self.no_viable(self.lt(), self.lt())
                    ident = self.take()
                    if ident.type == L.ESC_IDENTIFIER:
                        self.visit_error(ident.start, "unsupported syntax: '`'")
                    if opt is not None:
                        e = self.visit_error(dot.start, "unsupported syntax '.?'")
                    else:
                        e = Select(dot.start, e, ident.text)
                else:
                    self.no_viable(self.lt(), self.lt(2))
            elif t == L.LBRACKET:
                op = self.take()
                opt = None
                self.sync(OPT_EXPR_START)
                if self.la() == L.QUESTIONMARK:
                    opt = self.take()
                index = self.rule("expr", frozenset({L.RPRACKET}), False, self.expr)
                self.match(L.RPRACKET, EMPTY, True)
                if opt is not None:
                    e = self.visit_error(op.start, "unsupported syntax '[?'")
                else:
                    e = self.global_call(op.start, "_[_]", [e, index])
            else:
                return e

    def expr_list(self) -> list[Expr]:
        def body() -> Expr:
            out = [self.rule("expr", frozenset({L.COMMA}), True, self.expr)]
            while self.la() == L.COMMA:
                self.take()
                out.append(self.rule("expr", frozenset({L.COMMA}), True, self.expr))
            holder.extend(out)
            return Bad(0)

        holder: list[Expr] = []
        self.rule("exprList", frozenset({L.RPAREN}), False, body)
        return holder

    def primary(self) -> Expr:
        self.sync(MEMBER_START)
        t = self.la()
        if t in (L.DOT, L.IDENTIFIER):
            return self._ident_like()
        if t == L.LPAREN:
            self.take()
            e = self.rule("expr", frozenset({L.RPAREN}), False, self.expr)
            self.match(L.RPAREN, EMPTY, True)
            return e
        if t == L.LBRACKET:
            op = self.take()
            self.sync(OPT_EXPR_START | {L.COMMA, L.RPRACKET})
            elems: list[Expr] = []
            if self.la() in OPT_EXPR_START:
                elems = self._list_init()
            self.sync(frozenset({L.COMMA, L.RPRACKET}))
            if self.la() == L.COMMA:
                self.take()
            self.match(L.RPRACKET, EMPTY, True)
            return ListE(op.start, elems)
        if t == L.LBRACE:
            op = self.take()
            self.sync(OPT_EXPR_START | {L.COMMA, L.RBRACE})
            entries: list[tuple[int, Expr, Expr]] = []
            if self.la() in OPT_EXPR_START:
                entries = self._map_init()
            self.sync(frozenset({L.COMMA, L.RBRACE}))
            if self.la() == L.COMMA:
                self.take()
            self.match(L.RBRACE, EMPTY, True)
            return MapE(op.start, entries)
        if t in (
            L.MINUS,
            L.NUM_INT,
            L.NUM_UINT,
            L.NUM_FLOAT,
            L.STRING,
            L.BYTES,
            L.CEL_TRUE,
            L.CEL_FALSE,
            L.NUL,
        ):
            return self.rule("literal", EMPTY, True, self.literal)
        self.no_viable(self.lt(), self.lt())
        return None

    def _ident_like(self) -> Expr:
        start = self.lt()
        lead = None
        if self.la() == L.DOT:
            lead = self.take()
            if self.la() != L.IDENTIFIER:
                self.no_viable(start, self.lt())
        # CreateMessage: .? IDENT ('.' IDENT)* '{'
        k = 1
        while self.la(k + 1) == L.DOT and self.la(k + 2) == L.IDENTIFIER:
            k += 2
        if self.la(k + 1) == L.LBRACE:
            ids = [self.take().text]
            while self.la() == L.DOT:
                self.take()
                ids.append(self.take().text)
            op = self.take()
            fields = (
                self._field_init() if self.la() in (L.QUESTIONMARK, L.IDENTIFIER, L.ESC_IDENTIFIER) else []
            )
            self.sync(frozenset({L.COMMA, L.RBRACE}))
            if self.la() == L.COMMA:
                self.take()
            self.match(L.RBRACE, EMPTY, True)
            name = ".".join(ids)
            if lead is not None:
                name = "." + name
            return StructE(op.start, name, fields)
        ident = self.take()
        name = ident.text
        if self.la() == L.LPAREN:
            open_ = self.take()
            self.sync(UNARY_START | {L.RPAREN})
            args: list[Expr] = []
            if self.la() in UNARY_START:
                args = self.expr_list()
            self.match(L.RPAREN, EMPTY, True)
            if name in RESERVED:
                return self.visit_error(start.start, f"reserved identifier: {name}")
            return self.global_call(open_.start, ("." if lead else "") + name, args)
        if name in RESERVED:
            return self.visit_error(start.start, f"reserved identifier: {name}")
        return Ident(ident.start, ("." if lead else "") + name)

    def _list_init(self) -> list[Expr]:
        out: list[Expr] = []

        def body() -> Expr:
            out.append(self.rule("optExpr", frozenset({L.COMMA}), True, self._opt_expr))
            while self.la() == L.COMMA and self.la(2) in OPT_EXPR_START:
                self.take()
                out.append(self.rule("optExpr", frozenset({L.COMMA}), True, self._opt_expr))
            return Bad(0)

        self.rule("listInit", frozenset({L.COMMA, L.RPRACKET}), False, body)
        return out

    def _opt_expr(self) -> Expr:
        self.sync(OPT_EXPR_START)
        if self.la() == L.QUESTIONMARK:
            q = self.take()
            self.rule("expr", EMPTY, True, self.expr)
            return self.visit_error(q.start, "unsupported syntax '?'")
        return self.rule("expr", EMPTY, True, self.expr)

    def _map_init(self) -> list[tuple[int, Expr, Expr]]:
        out: list[tuple[int, Expr, Expr]] = []

        def entry() -> None:
            start = self.lt()
            key = self.rule("optExpr", frozenset({L.COLON}), False, self._opt_expr)
            col = self.match(L.COLON, UNARY_START, False)
            val = self.rule("expr", frozenset({L.COMMA}), True, self.expr)
            if start.type == L.QUESTIONMARK:
                return
            out.append((col.start if col is not None else self.lt().start, key, val))

        def body() -> Expr:
            entry()
            while self.la() == L.COMMA and self.la(2) in OPT_EXPR_START:
                self.take()
                entry()
            return Bad(0)

        self.rule("mapInitializerList", frozenset({L.COMMA, L.RBRACE}), False, body)
        return out

    def _field_init(self) -> list[tuple[int, str, Expr]]:
        out: list[tuple[int, str, Expr]] = []

        def entry() -> None:
            opt = self.take() if self.la() == L.QUESTIONMARK else None
            self.sync(frozenset({L.IDENTIFIER, L.ESC_IDENTIFIER}))
            ident = self.take()
            col = self.match(L.COLON, UNARY_START, False)
            val = self.rule("expr", frozenset({L.COMMA}), True, self.expr)
            if opt is not None:
                self.visit_error(opt.start, "unsupported syntax '?'")
                return
            if ident.type == L.ESC_IDENTIFIER:
                self.visit_error(ident.start, "unsupported syntax: '`'")
                return
            out.append((col.start if col is not None else self.lt().start, ident.text, val))

        def body() -> Expr:
            entry()
            while self.la() == L.COMMA and self.la(2) in (L.QUESTIONMARK, L.IDENTIFIER, L.ESC_IDENTIFIER):
                self.take()
                entry()
            return Bad(0)

        self.rule("fieldInitializerList", frozenset({L.COMMA, L.RBRACE}), False, body)
        return out

    def literal(self) -> Expr:
        start = self.lt()
        sign = None
        if self.la() == L.MINUS:
            sign = self.take()
            if self.la() not in (L.NUM_INT, L.NUM_FLOAT):
                self.no_viable(start, self.lt())
        tok = self.take()
        off = start.start
        if tok.type == L.NUM_INT:
            text = tok.text
            base = 10
            if text.startswith("0x"):
                base, text = 16, text[2:]
            v = int(text, base)
            if sign is not None:
                v = -v
            if not -(1 << 63) <= v < (1 << 63):
                return self.visit_error(off, "invalid int literal")
            return Lit(off, "int", v)
        if tok.type == L.NUM_UINT:
            text = tok.text[:-1]
            base = 10
            if text.startswith("0x"):
                base, text = 16, text[2:]
            v = int(text, base)
            if v >= 1 << 64:
                return self.visit_error(off, "invalid uint literal")
            return Lit(off, "uint", v)
        if tok.type == L.NUM_FLOAT:
            f = float(("-" if sign is not None else "") + tok.text)
            if f in (float("inf"), float("-inf")):
                return self.visit_error(off, "invalid double literal")
            return Lit(off, "double", f)
        if tok.type == L.STRING:
            s = unescape(tok.text, False)
            if isinstance(s, Exception):
                self.visit_error(off, str(s))
                return Lit(off, "string", tok.text)
            return Lit(off, "string", s)
        if tok.type == L.BYTES:
            b = unescape(tok.text[1:], True)
            if isinstance(b, Exception):
                self.visit_error(off, str(b))
                return Lit(off, "bytes", tok.text[1:].encode())
            return Lit(off, "bytes", b)
        if tok.type == L.CEL_TRUE:
            return Lit(off, "bool", True)
        if tok.type == L.CEL_FALSE:
            return Lit(off, "bool", False)
        return Lit(off, "null", None)

    # -- visitor helpers: calls and macros --------------------------------------------------

    def global_call(self, off: int, fn: str, args: list[Expr]) -> Expr:
        if fn == "has" and len(args) == 1:
            arg = args[0]
            if isinstance(arg, Select):
                return Select(off, arg.operand, arg.field, test_only=True)
            return self.visit_error(arg.off, "invalid argument to has() macro")
        return Call(off, fn, args)

    def receiver_call(self, off: int, fn: str, target: Expr, args: list[Expr]) -> Expr:
        n = len(args)
        if fn in ("all", "exists", "exists_one") and n == 2:
            return self._quantifier(off, fn, target, args)
        if (fn == "map" and n in (2, 3)) or (fn == "filter" and n == 2):
            return self._map_filter(off, fn, target, args)
        return Call(off, fn, args, target)

    def _iter_var(self, arg: Expr, msg: str) -> str | Bad:
        if not isinstance(arg, Ident):
            return self.visit_error(arg.off, msg)
        if arg.name in (ACCU, "__result__"):
            return self.visit_error(arg.off, "iteration variable overwrites accumulator variable")
        return arg.name

    def _quantifier(self, off: int, fn: str, target: Expr, args: list[Expr]) -> Expr:
        v = self._iter_var(args[0], "argument must be a simple name")
        if isinstance(v, Bad):
            return v
        accu = Ident(off, ACCU)
        if fn == "all":
            return Comp(
                off,
                target,
                v,
                ACCU,
                Lit(off, "bool", True),
                Call(off, "@not_strictly_false", [accu]),
                Call(off, "_&&_", [Ident(off, ACCU), args[1]]),
                Ident(off, ACCU),
            )
        if fn == "exists":
            return Comp(
                off,
                target,
                v,
                ACCU,
                Lit(off, "bool", False),
                Call(off, "@not_strictly_false", [Call(off, "!_", [accu])]),
                Call(off, "_||_", [Ident(off, ACCU), args[1]]),
                Ident(off, ACCU),
            )
        step = Call(
            off,
            "_?_:_",
            [args[1], Call(off, "_+_", [Ident(off, ACCU), Lit(off, "int", 1)]), Ident(off, ACCU)],
        )
        return Comp(
            off,
            target,
            v,
            ACCU,
            Lit(off, "int", 0),
            Lit(off, "bool", True),
            step,
            Call(off, "_==_", [Ident(off, ACCU), Lit(off, "int", 1)]),
        )

    def _map_filter(self, off: int, fn: str, target: Expr, args: list[Expr]) -> Expr:
        v = self._iter_var(args[0], "argument is not an identifier")
        if isinstance(v, Bad):
            return v
        if fn == "filter":
            step: Expr = Call(off, "_+_", [Ident(off, ACCU), ListE(off, [args[0]])])
            step = Call(off, "_?_:_", [args[1], step, Ident(off, ACCU)])
        else:
            fn_expr = args[2] if len(args) == 3 else args[1]
            step = Call(off, "_+_", [Ident(off, ACCU), ListE(off, [fn_expr])])
            if len(args) == 3:
                step = Call(off, "_?_:_", [args[1], step, Ident(off, ACCU)])
        return Comp(off, target, v, ACCU, ListE(off, []), Lit(off, "bool", True), step, Ident(off, ACCU))


def unescape(value: str, is_bytes: bool) -> str | bytes | Exception:
    """cel-go's ``unescape`` (parser/unescape.go); an Exception carries its error text."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    n = len(value)
    if n < 2:
        return ValueError("unable to unescape string")
    raw = False
    if value[0] in "rR":
        value = value[1:]
        n = len(value)
        raw = True
    if value[0] != value[n - 1] or value[0] not in "\"'":
        return ValueError("unable to unescape string")
    if n >= 6:
        if value.startswith("'''"):
            if not value.endswith("'''"):
                return ValueError("unable to unescape string")
            value = '"' + value[3 : n - 3] + '"'
        elif value.startswith('"""'):
            if not value.endswith('"""'):
                return ValueError("unable to unescape string")
            value = '"' + value[3 : n - 3] + '"'
        n = len(value)
    value = value[1 : n - 1]
    if raw or "\\" not in value:
        return value.encode() if is_bytes else value
    out_s: list[str] = []
    out_b = bytearray()
    i = 0
    simple = {
        "a": 7,
        "b": 8,
        "f": 12,
        "n": 10,
        "r": 13,
        "t": 9,
        "v": 11,
        "\\": 92,
        "'": 39,
        '"': 34,
        "`": 96,
        "?": 63,
    }
    while i < len(value):
        c = value[i]
        if c != "\\":
            if is_bytes:
                out_b += c.encode()
            else:
                out_s.append(c)
            i += 1
            continue
        if i + 1 >= len(value):
            return ValueError("unable to unescape string, found '\\' as last character")
        c = value[i + 1]
        i += 2
        if c in simple:
            code = simple[c]
            raw_byte = True
        elif c in "xXuU":
            count = {"x": 2, "X": 2, "u": 4, "U": 8}[c]
            if c in "uU" and is_bytes:
                return ValueError("unable to unescape string")
            digits = value[i : i + count]
            if len(digits) < count or any(d not in "0123456789abcdefABCDEF" for d in digits):
                return ValueError("unable to unescape string")
            code = int(digits, 16)
            i += count
            if not is_bytes and (code > 0x10FFFF or 0xD800 <= code <= 0xDFFF):
                return ValueError("invalid unicode code point")
            raw_byte = c in "xX" and is_bytes
        elif c in "0123":
            digits = value[i : i + 2]
            if len(digits) < 2 or any(d not in "01234567" for d in digits):
                return ValueError("unable to unescape octal sequence in string")
            code = int(c + digits, 8)
            i += 2
            raw_byte = is_bytes
        else:
            return ValueError("unable to unescape string")
        if is_bytes:
            if raw_byte or code < 0x80:
                out_b.append(code)
            else:
                out_b += chr(code).encode()
        else:
            out_s.append(chr(code))
    return bytes(out_b) if is_bytes else "".join(out_s)


def parse(src: str) -> ParseResult:
    return Parser(src).parse()

"""Lexer for Go text/template, a close port of Go's ``text/template/parse/lex.go``.

The parser pulls items one at a time (``next_item``), exactly as Go's parser does, so that the
first error reported for a broken template is the same one Go reports. Positions are indexes into
the Python string; :mod:`kwokbook.gotpl.errors` converts them to Go's byte columns when needed.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, NamedTuple


class ItemType(IntEnum):
    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6
    DECLARE = 7
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22  # delimits keywords
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


KEYWORDS: dict[str, ItemType] = {
    ".": ItemType.DOT,
    "block": ItemType.BLOCK,
    "break": ItemType.BREAK,
    "continue": ItemType.CONTINUE,
    "define": ItemType.DEFINE,
    "else": ItemType.ELSE,
    "end": ItemType.END,
    "if": ItemType.IF,
    "range": ItemType.RANGE,
    "nil": ItemType.NIL,
    "template": ItemType.TEMPLATE,
    "with": ItemType.WITH,
}

SPACE_CHARS = " \t\r\n"
LEFT_DELIM = "{{"
RIGHT_DELIM = "}}"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"


class Item(NamedTuple):
    typ: ItemType
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        from .gostrconv import quote

        if self.typ == ItemType.EOF:
            return "EOF"
        if self.typ == ItemType.ERROR:
            return self.val
        if self.typ > ItemType.KEYWORD:
            return f"<{self.val}>"
        if len(self.val.encode("utf-8")) > 10:
            return quote(_first_runes(self.val, 10)) + "..."
        return quote(self.val)


def _first_runes(s: str, n: int) -> str:
    return s[:n]


def is_space(ch: str) -> bool:
    return ch in (" ", "\t", "\r", "\n") and ch != ""


def is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def has_left_trim_marker(s: str, i: int) -> bool:
    return len(s) - i >= 2 and s[i] == "-" and s[i + 1] in SPACE_CHARS


def has_right_trim_marker(s: str, i: int) -> bool:
    return len(s) - i >= 2 and s[i] in SPACE_CHARS and s[i + 1] == "-"


def _format_U(ch: str) -> str:
    """Go's ``%#U``: ``U+0078 'x'`` (the quoted char only when printable)."""
    from .gostrconv import is_print

    code = ord(ch)
    s = f"U+{code:04X}"
    if is_print(code):
        s += f" '{ch}'"
    return s


class Lexer:
    """Go's lexer: a state machine producing one item per :meth:`next_item` call."""

    def __init__(self, name: str, text: str, left: str = LEFT_DELIM, right: str = RIGHT_DELIM) -> None:
        self.name = name
        self.input = text
        self.left_delim = left or LEFT_DELIM
        self.right_delim = right or RIGHT_DELIM
        self.pos = 0
        self.start = 0
        self.at_eof = False
        self.paren_depth = 0
        self.line = 1
        self.start_line = 1
        self.item = Item(ItemType.EOF, 0, "EOF", 1)
        self.inside_action = False
        self.emit_comment = False
        self.break_ok = True
        self.continue_ok = True

    # -- character handling -------------------------------------------------------------

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.at_eof = True
            return ""
        ch = self.input[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def peek(self) -> str:
        ch = self.next()
        self.backup()
        return ch

    def backup(self) -> None:
        if not self.at_eof and self.pos > 0:
            self.pos -= 1
            if self.input[self.pos] == "\n":
                self.line -= 1

    def this_item(self, t: ItemType) -> Item:
        i = Item(t, self.start, self.input[self.start : self.pos], self.start_line)
        self.start = self.pos
        self.start_line = self.line
        return i

    def emit(self, t: ItemType) -> None:
        self.item = self.this_item(t)

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def accept(self, valid: str) -> bool:
        ch = self.next()
        if ch != "" and ch in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            ch = self.next()
            if ch == "" or ch not in valid:
                break
        self.backup()

    def errorf(self, msg: str) -> None:
        self.item = Item(ItemType.ERROR, self.start, msg, self.start_line)
        self.start = 0
        self.pos = 0
        self.input = ""

    def next_item(self) -> Item:
        self.item = Item(ItemType.EOF, self.pos, "EOF", self.start_line)
        state: Callable[[], Any] | None = self.lex_inside_action if self.inside_action else self.lex_text
        while state is not None:
            state = state()
        return self.item

    # -- states (each returns the next state, or None once an item is ready) -------------

    def lex_text(self):  # type: ignore[no-untyped-def]
        s = self.input
        x = s.find(self.left_delim, self.pos)
        if x >= 0:
            if x > self.pos:
                self.pos = x
                trim_length = 0
                delim_end = self.pos + len(self.left_delim)
                if has_left_trim_marker(s, delim_end):
                    seg = s[self.start : self.pos]
                    trim_length = len(seg) - len(seg.rstrip(SPACE_CHARS))
                self.pos -= trim_length
                self.line += s.count("\n", self.start, self.pos)
                i = self.this_item(ItemType.TEXT)
                self.pos += trim_length
                self.ignore()
                if i.val:
                    self.item = i
                    return None
            return self.lex_left_delim
        self.pos = len(s)
        if self.pos > self.start:
            self.line += s.count("\n", self.start, self.pos)
            self.emit(ItemType.TEXT)
            return None
        self.emit(ItemType.EOF)
        return None

    def at_right_delim(self) -> tuple[bool, bool]:
        s = self.input
        if has_right_trim_marker(s, self.pos) and s.startswith(self.right_delim, self.pos + 2):
            return True, True
        if s.startswith(self.right_delim, self.pos):
            return True, False
        return False, False

    def lex_left_delim(self):  # type: ignore[no-untyped-def]
        self.pos += len(self.left_delim)
        trim_space = has_left_trim_marker(self.input, self.pos)
        after_marker = 2 if trim_space else 0
        if self.input.startswith(LEFT_COMMENT, self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment
        i = self.this_item(ItemType.LEFT_DELIM)
        self.inside_action = True
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        self.item = i
        return None

    def lex_comment(self):  # type: ignore[no-untyped-def]
        self.pos += len(LEFT_COMMENT)
        x = self.input.find(RIGHT_COMMENT, self.pos)
        if x < 0:
            self.errorf("unclosed comment")
            return None
        self.pos = x + len(RIGHT_COMMENT)
        delim, trim_space = self.at_right_delim()
        if not delim:
            self.errorf("comment ends before closing delimiter")
            return None
        self.line += self.input.count("\n", self.start, self.pos)
        i = self.this_item(ItemType.COMMENT)
        if trim_space:
            self.pos += 2
        self.pos += len(self.right_delim)
        if trim_space:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACE_CHARS))
        self.ignore()
        if self.emit_comment:
            self.item = i
            return None
        return self.lex_text

    def lex_right_delim(self):  # type: ignore[no-untyped-def]
        _, trim_space = self.at_right_delim()
        if trim_space:
            self.pos += 2
            self.ignore()
        self.pos += len(self.right_delim)
        i = self.this_item(ItemType.RIGHT_DELIM)
        if trim_space:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACE_CHARS))
            self.ignore()
        self.inside_action = False
        self.item = i

    def lex_inside_action(self):  # type: ignore[no-untyped-def]
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.errorf("unclosed left paren")
            return None
        r = self.next()
        if r == "":
            self.errorf("unclosed action")
            return None
        if r in SPACE_CHARS:
            self.backup()
            return self.lex_space
        if r == "=":
            self.emit(ItemType.ASSIGN)
            return None
        if r == ":":
            if self.next() != "=":
                self.errorf("expected :=")
                return None
            self.emit(ItemType.DECLARE)
            return None
        if r == "|":
            self.emit(ItemType.PIPE)
            return None
        if r == '"':
            return self.lex_quote
        if r == "`":
            return self.lex_raw_quote
        if r == "$":
            return self.lex_variable
        if r == "'":
            return self.lex_char
        if r == ".":
            if self.pos < len(self.input):
                c = self.input[self.pos]
                if c < "0" or c > "9":
                    return self.lex_field
            self.backup()
            return self.lex_number
        if r in "+-" or "0" <= r <= "9":
            self.backup()
            return self.lex_number
        if is_alnum(r):
            self.backup()
            return self.lex_identifier
        if r == "(":
            self.paren_depth += 1
            self.emit(ItemType.LEFT_PAREN)
            return None
        if r == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self.errorf("unexpected right paren")
                return None
            self.emit(ItemType.RIGHT_PAREN)
            return None
        if ord(r) <= 0x7F and 0x20 <= ord(r) < 0x7F:
            self.emit(ItemType.CHAR)
            return None
        self.errorf(f"unrecognized character in action: {_format_U(r)}")
        return None

    def lex_space(self):  # type: ignore[no-untyped-def]
        num_spaces = 0
        while True:
            r = self.peek()
            if r == "" or r not in SPACE_CHARS:
                break
            self.next()
            num_spaces += 1
        if has_right_trim_marker(self.input, self.pos - 1) and self.input.startswith(
            self.right_delim, self.pos - 1 + 2
        ):
            self.backup()
            if num_spaces == 1:
                return self.lex_right_delim
        self.emit(ItemType.SPACE)
        return None

    def lex_identifier(self):  # type: ignore[no-untyped-def]
        while True:
            r = self.next()
            if r != "" and is_alnum(r):
                continue
            self.backup()
            word = self.input[self.start : self.pos]
            if not self.at_terminator():
                self.errorf(f"bad character {_format_U(r) if r else 'U+FFFFFFFFFFFFFFFF'}")
                return
            kw = KEYWORDS.get(word)
            if kw is not None and kw > ItemType.KEYWORD:
                if (kw == ItemType.BREAK and not self.break_ok) or (
                    kw == ItemType.CONTINUE and not self.continue_ok
                ):
                    self.emit(ItemType.IDENTIFIER)
                else:
                    self.emit(kw)
            elif word[0] == ".":
                self.emit(ItemType.FIELD)
            elif word in ("true", "false"):
                self.emit(ItemType.BOOL)
            else:
                self.emit(ItemType.IDENTIFIER)
            return

    def lex_field(self):  # type: ignore[no-untyped-def]
        return self._lex_field_or_variable(ItemType.FIELD)

    def lex_variable(self):  # type: ignore[no-untyped-def]
        if self.at_terminator():
            self.emit(ItemType.VARIABLE)
            return None
        return self._lex_field_or_variable(ItemType.VARIABLE)

    def _lex_field_or_variable(self, typ: ItemType):  # type: ignore[no-untyped-def]
        if self.at_terminator():
            self.emit(ItemType.VARIABLE if typ == ItemType.VARIABLE else ItemType.DOT)
            return
        r = ""
        while True:
            r = self.next()
            if r == "" or not is_alnum(r):
                self.backup()
                break
        if not self.at_terminator():
            self.errorf(f"bad character {_format_U(r)}")
            return
        self.emit(typ)
        return

    def at_terminator(self) -> bool:
        r = self.peek()
        if r != "" and r in SPACE_CHARS:
            return True
        if r in ("", ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(self.right_delim, self.pos)

    def lex_char(self):  # type: ignore[no-untyped-def]
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 not in ("", "\n"):
                    continue
                self.errorf("unterminated character constant")
                return
            if r in ("", "\n"):
                self.errorf("unterminated character constant")
                return
            if r == "'":
                break
        self.emit(ItemType.CHAR_CONSTANT)
        return

    def lex_number(self):  # type: ignore[no-untyped-def]
        if not self.scan_number():
            self.errorf(f"bad number syntax: {_q(self.input[self.start : self.pos])}")
            return
        sign = self.peek()
        if sign in ("+", "-") and sign != "":
            if not self.scan_number() or self.input[self.pos - 1] != "i":
                self.errorf(f"bad number syntax: {_q(self.input[self.start : self.pos])}")
                return
            self.emit(ItemType.COMPLEX)
            return
        self.emit(ItemType.NUMBER)
        return

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        p = self.peek()
        if p != "" and is_alnum(p):
            self.next()
            return False
        return True

    def lex_quote(self):  # type: ignore[no-untyped-def]
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 not in ("", "\n"):
                    continue
                self.errorf("unterminated quoted string")
                return
            if r in ("", "\n"):
                self.errorf("unterminated quoted string")
                return
            if r == '"':
                break
        self.emit(ItemType.STRING)
        return

    def lex_raw_quote(self):  # type: ignore[no-untyped-def]
        while True:
            r = self.next()
            if r == "":
                self.errorf("unterminated raw quoted string")
                return
            if r == "`":
                break
        self.emit(ItemType.RAW_STRING)
        return


def _q(s: str) -> str:
    from .gostrconv import quote

    return quote(s)

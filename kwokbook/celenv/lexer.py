"""CEL's ANTLR lexer (cel-go v0.26.0 ``parser/gen/CEL.g4``) re-done by hand.

Token numbering and display names follow the generated lexer, because ANTLR error messages list
expected tokens by number ("expecting {'[', '{', …, IDENTIFIER}"). The scanner mimics ANTLR's
DFA: longest match with fallback to the last accepting position (``1e`` lexes as ``1`` then
``e``); when no token matches at all, ANTLR reports ``token recognition error at: '<text>'`` where
text runs from the token start through the offending character, then skips that character.
"""

from __future__ import annotations

from dataclasses import dataclass

EOF = -1
EQUALS, NOT_EQUALS, IN, LESS, LESS_EQUALS, GREATER_EQUALS, GREATER = 1, 2, 3, 4, 5, 6, 7
LOGICAL_AND, LOGICAL_OR, LBRACKET, RPRACKET, LBRACE, RBRACE, LPAREN, RPAREN = 8, 9, 10, 11, 12, 13, 14, 15
DOT, COMMA, MINUS, EXCLAM, QUESTIONMARK, COLON, PLUS, STAR, SLASH, PERCENT = (
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
)
CEL_TRUE, CEL_FALSE, NUL, WHITESPACE, COMMENT = 26, 27, 28, 29, 30
NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER, ESC_IDENTIFIER = 31, 32, 33, 34, 35, 36, 37

_LITERAL_NAMES = {
    EQUALS: "'=='",
    NOT_EQUALS: "'!='",
    IN: "'in'",
    LESS: "'<'",
    LESS_EQUALS: "'<='",
    GREATER_EQUALS: "'>='",
    GREATER: "'>'",
    LOGICAL_AND: "'&&'",
    LOGICAL_OR: "'||'",
    LBRACKET: "'['",
    RPRACKET: "']'",
    LBRACE: "'{'",
    RBRACE: "'}'",
    LPAREN: "'('",
    RPAREN: "')'",
    DOT: "'.'",
    COMMA: "','",
    MINUS: "'-'",
    EXCLAM: "'!'",
    QUESTIONMARK: "'?'",
    COLON: "':'",
    PLUS: "'+'",
    STAR: "'*'",
    SLASH: "'/'",
    PERCENT: "'%'",
    CEL_TRUE: "'true'",
    CEL_FALSE: "'false'",
    NUL: "'null'",
}
_SYMBOLIC_NAMES = {
    WHITESPACE: "WHITESPACE",
    COMMENT: "COMMENT",
    NUM_FLOAT: "NUM_FLOAT",
    NUM_INT: "NUM_INT",
    NUM_UINT: "NUM_UINT",
    STRING: "STRING",
    BYTES: "BYTES",
    IDENTIFIER: "IDENTIFIER",
    ESC_IDENTIFIER: "ESC_IDENTIFIER",
}

_SINGLE = {
    "[": LBRACKET,
    "]": RPRACKET,
    "{": LBRACE,
    "}": RBRACE,
    "(": LPAREN,
    ")": RPAREN,
    ",": COMMA,
    "-": MINUS,
    "?": QUESTIONMARK,
    ":": COLON,
    "+": PLUS,
    "*": STAR,
    "%": PERCENT,
}
_KEYWORDS = {"in": IN, "true": CEL_TRUE, "false": CEL_FALSE, "null": NUL}
_SIMPLE_ESC = set("abfnrtv\"'\\?`")
_HEX = set("0123456789abcdefABCDEF")
_DIGITS = set("0123456789")
_LETTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_IDENT_START = _LETTERS | {"_"}
_IDENT_PART = _IDENT_START | _DIGITS
_ESC_IDENT_PART = _IDENT_PART | set(".-/ ")


def token_display(ttype: int) -> str:
    """ANTLR's vocabulary display name of a token type."""
    if ttype == EOF:
        return "<EOF>"
    return _LITERAL_NAMES.get(ttype) or _SYMBOLIC_NAMES.get(ttype) or str(ttype)


def error_display(text: str) -> str:
    """ANTLR's ``GetErrorDisplay``: control characters shown escaped."""
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


@dataclass(slots=True)
class Token:
    type: int
    text: str
    start: int  # code-point offset into the source
    index: int = 0  # position in the token stream (set by tokenize)

    def display(self) -> str:
        if self.type == EOF:
            return "<EOF>"
        return error_display(self.text)


@dataclass(slots=True)
class LexError:
    offset: int
    text: str


def _scan_escape(s: str, i: int) -> int:
    """Match ESC_SEQ at s[i] (a backslash); return the end index, or -(failing index)-1."""
    n = len(s)
    j = i + 1
    if j >= n:
        return -j - 1
    c = s[j]
    if c in _SIMPLE_ESC:
        return j + 1
    if c in "0123":
        for k in (1, 2):
            if j + k >= n or s[j + k] not in "01234567":
                return -(j + k) - 1
        return j + 3
    if c in "xXuU":
        count = 2 if c in "xX" else (4 if c == "u" else 8)
        for k in range(1, count + 1):
            if j + k >= n or s[j + k] not in _HEX:
                return -(j + k) - 1
        return j + count + 1
    return -j - 1


def _scan_string(s: str, i: int) -> int:
    """Match the STRING rule at s[i] (quote or raw prefix); end index or -(failing index)-1."""
    n = len(s)
    raw = False
    if s[i] in "rR":
        raw = True
        i += 1
    q = s[i]
    triple = s.startswith(q * 3, i)
    if triple:
        # On failure ANTLR falls back to the empty string it accepted after two quotes.
        j = i + 3
        while j < n:
            if s.startswith(q * 3, j):
                return j + 3
            if s[j] == "\\" and not raw:
                e = _scan_escape(s, j)
                if e < 0:
                    return i + 2
                j = e
                continue
            j += 1
        return i + 2
    j = i + 1
    while j < n:
        c = s[j]
        if c == q:
            return j + 1
        if c in "\n\r":
            return -j - 1
        if c == "\\" and not raw:
            e = _scan_escape(s, j)
            if e < 0:
                return e
            j = e
            continue
        j += 1
    return -n - 1


def _scan_number(s: str, i: int) -> tuple[int, int]:
    """Longest NUM_INT/NUM_UINT/NUM_FLOAT at s[i] (a digit or '.'), with DFA fallback."""
    n = len(s)
    if s[i] == ".":
        j = i + 1
        while j < n and s[j] in _DIGITS:
            j += 1
        return NUM_FLOAT, _scan_exponent(s, j)
    if s.startswith("0x", i) and i + 2 < n and s[i + 2] in _HEX:
        j = i + 2
        while j < n and s[j] in _HEX:
            j += 1
        if j < n and s[j] in "uU":
            return NUM_UINT, j + 1
        return NUM_INT, j
    j = i
    while j < n and s[j] in _DIGITS:
        j += 1
    if j < n and s[j] in "uU":
        return NUM_UINT, j + 1
    if j + 1 < n and s[j] == "." and s[j + 1] in _DIGITS:
        k = j + 1
        while k < n and s[k] in _DIGITS:
            k += 1
        return NUM_FLOAT, _scan_exponent(s, k)
    e = _scan_exponent(s, j)
    if e != j:
        return NUM_FLOAT, e
    return NUM_INT, j


def _scan_exponent(s: str, j: int) -> int:
    n = len(s)
    if j < n and s[j] in "eE":
        k = j + 1
        if k < n and s[k] in "+-":
            k += 1
        if k < n and s[k] in _DIGITS:
            while k < n and s[k] in _DIGITS:
                k += 1
            return k
    return j


def tokenize(s: str) -> tuple[list[Token], list[LexError]]:
    """All default-channel tokens (ending with EOF) and the lexer errors, in source order."""
    toks: list[Token] = []
    errs: list[LexError] = []
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c in " \t\r\n\f":
            i += 1
            continue
        start = i
        fail = -1  # index of the character the DFA could not take
        ttype = 0
        end = i
        if c == "/" and s.startswith("//", i):
            j = s.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in _SINGLE:
            ttype, end = _SINGLE[c], i + 1
        elif c == "/":
            ttype, end = SLASH, i + 1
        elif c == "=":
            if s.startswith("==", i):
                ttype, end = EQUALS, i + 2
            else:
                fail = i + 1
        elif c == "!":
            if s.startswith("!=", i):
                ttype, end = NOT_EQUALS, i + 2
            else:
                ttype, end = EXCLAM, i + 1
        elif c == "<":
            ttype, end = (LESS_EQUALS, i + 2) if s.startswith("<=", i) else (LESS, i + 1)
        elif c == ">":
            ttype, end = (GREATER_EQUALS, i + 2) if s.startswith(">=", i) else (GREATER, i + 1)
        elif c == "&":
            if s.startswith("&&", i):
                ttype, end = LOGICAL_AND, i + 2
            else:
                fail = i + 1
        elif c == "|":
            if s.startswith("||", i):
                ttype, end = LOGICAL_OR, i + 2
            else:
                fail = i + 1
        elif c == ".":
            if i + 1 < n and s[i + 1] in _DIGITS:
                ttype, end = _scan_number(s, i)
            else:
                ttype, end = DOT, i + 1
        elif c in _DIGITS:
            ttype, end = _scan_number(s, i)
        elif c in "\"'":
            e = _scan_string(s, i)
            if e < 0:
                fail = -e - 1
            else:
                ttype, end = STRING, e
        elif c in _IDENT_START:
            j = i + 1
            while j < n and s[j] in _IDENT_PART:
                j += 1
            ttype, end = IDENTIFIER, j
            word = s[i:j]
            if word in _KEYWORDS:
                ttype = _KEYWORDS[word]
            # String/bytes prefixes (r, b, br …): the literal wins when it is longer; when its DFA
            # path dies, ANTLR falls back to the identifier it accepted on the way.
            k = -1
            if c in "rR" and i + 1 < n and s[i + 1] in "\"'":
                k, lit = i, STRING
            elif c in "bB" and i + 1 < n:
                if s[i + 1] in "\"'":
                    k, lit = i + 1, BYTES
                elif s[i + 1] in "rR" and i + 2 < n and s[i + 2] in "\"'":
                    k, lit = i + 1, BYTES
            if k >= 0:
                e = _scan_string(s, k)
                if e > j:
                    ttype, end = lit, e
        elif c == "`":
            j = i + 1
            while j < n and s[j] in _ESC_IDENT_PART:
                j += 1
            if j > i + 1 and j < n and s[j] == "`":
                ttype, end = ESC_IDENTIFIER, j + 1
            else:
                fail = j
        else:
            fail = i
        if fail >= 0:
            errs.append(LexError(start, s[start : fail + 1]))
            i = fail + 1 if fail < n else n
            continue
        toks.append(Token(ttype, s[start:end], start, len(toks)))
        i = end
    toks.append(Token(EOF, "<EOF>", n, len(toks)))
    return toks, errs

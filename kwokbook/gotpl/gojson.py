"""Go's ``encoding/json`` (go1.26, v1 API) over kwokbook's value model.

Marshal: ``json.Marshal``/``MarshalIndent``/``Encoder.Encode`` byte for byte — sorted map keys,
HTML escaping of ``< > &``, ``\\u2028``/``\\u2029`` escapes, invalid UTF-8 as ``\\ufffd``, ES6 float
text, ``json.Number`` verbatim, ``[]byte`` as base64, nil slices and maps as ``null``, and Go's error
texts. Unmarshal: ``json.Unmarshal`` into ``interface{}`` with the scanner's exact syntax error
messages. Python's C ``json`` module does the heavy lifting where its result is provably the same;
everything else goes through a port of Go's scanner and decoder.
"""

from __future__ import annotations

import base64
import json as _pyjson
import math
import re
from typing import Any

from kwokbook.gotpl.gostrconv import format_json_float, from_go_bytes, quote, to_go_bytes
from kwokbook.gotpl.values import (
    FLOAT_KINDS,
    INT_KINDS,
    MISSING,
    STRING,
    UINT8,
    UINT_KINDS,
    Float32,
    GoError,
    GoMap,
    GoSlice,
    GoStruct,
    JsonNumber,
    type_name,
    type_of,
)

__all__ = [
    "GoJSONError",
    "encode",
    "go_json_text",
    "is_valid_number",
    "marshal",
    "marshal_indent",
    "marshal_raw",
    "unmarshal",
    "valid",
]


class GoJSONError(GoError):
    """An error from ``encoding/json``; ``str()`` is Go's ``err.Error()``.

    ``value`` is what ``Unmarshal`` stored despite the error (Go keeps decoding after a number
    that does not fit a float64 and reports the first such error); ``None`` otherwise.
    """

    def __init__(self, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.value = value


# ---------------------------------------------------------------------------------------------
# Encoding


_ESCAPE_HTML = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029\ud800-\udfff]')
_ESCAPE_NOHTML = re.compile('[\x00-\x1f"\\\\\u2028\u2029\ud800-\udfff]')
_ESCAPES = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
}
for _c in range(0x20):
    _ESCAPES.setdefault(chr(_c), f"\\u{_c:04x}")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    esc = _ESCAPES.get(c)
    if esc is not None:
        return esc
    return "\\ufffd"  # a byte that is not valid UTF-8


def quote_json(s: str, escape_html: bool = True) -> str:
    """Go's ``appendString``: a JSON string literal for ``s``."""
    pat = _ESCAPE_HTML if escape_html else _ESCAPE_NOHTML
    if pat.search(s) is None:
        return '"' + s + '"'
    if not s.isascii():
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            s = from_go_bytes(to_go_bytes(s))  # what Go's bytes decode to; stray bytes → \ufffd
    return '"' + pat.sub(_escape_char, s) + '"'


def is_valid_number(s: str) -> bool:
    """``encoding/json.isValidNumber``: whether ``s`` is a JSON number literal."""
    n = len(s)
    i = 0
    if n == 0:
        return False
    if s[0] == "-":
        i = 1
        if i == n:
            return False
    c = s[i]
    if c == "0":
        i += 1
    elif "1" <= c <= "9":
        i += 1
        while i < n and "0" <= s[i] <= "9":
            i += 1
    else:
        return False
    if i + 1 < n and s[i] == "." and "0" <= s[i + 1] <= "9":
        i += 2
        while i < n and "0" <= s[i] <= "9":
            i += 1
    if i + 1 < n and s[i] in "eE":
        i += 1
        if s[i] in "+-":
            i += 1
            if i == n:
                return False
        while i < n and "0" <= s[i] <= "9":
            i += 1
    return i == n


class _Encoder:
    """``encodeState``: writes one value into ``out``; indentation is applied while writing."""

    __slots__ = ("escape_html", "indent", "out", "path", "prefix")

    def __init__(self, escape_html: bool, prefix: str | None = None, indent: str | None = None) -> None:
        self.out: list[str] = []
        self.escape_html = escape_html
        self.prefix = prefix
        self.indent = indent
        self.path: set[int] = set()

    def newline(self, depth: int) -> str:
        assert self.indent is not None and self.prefix is not None
        return "\n" + self.prefix + self.indent * depth

    def enc(self, v: Any, depth: int) -> None:
        out = self.out
        cls = type(v)
        if cls is str:
            out.append(quote_json(v, self.escape_html))
        elif cls is bool:
            out.append("true" if v else "false")
        elif cls is int:
            out.append(str(v))
        elif cls is float:
            out.append(self.float_text(v, 64))
        elif cls is dict:
            self.enc_map(v, list(v), depth, type_name(v))
        elif cls is list:
            self.enc_list(v, depth, "[]interface {}")
        elif v is None or v is MISSING:
            out.append("null")
        elif cls is JsonNumber:
            num = str.__str__(v) or "0"
            if not is_valid_number(num):
                raise GoJSONError(f"json: invalid number literal {quote(num)}")
            out.append(num)
        else:
            self.enc_other(v, depth)

    def float_text(self, f: float, bits: int) -> str:
        try:
            return format_json_float(f, bits)
        except ValueError as e:
            raise GoJSONError(str(e)) from None

    def enc_other(self, v: Any, depth: int) -> None:
        t = type_of(v)
        if t is None:
            self.out.append("null")
            return
        if isinstance(v, GoStruct):
            if getattr(v, "go_is_nil", False):
                self.out.append("null")
                return
            j = v.go_json()
            if type(j) is dict:  # a struct's own fields: declaration order, not sorted
                self.enc_map(j, list(j), depth, t.name, ordered=True)
            else:
                self.enc(j, depth)
            return
        k = t.kind
        if isinstance(v, GoMap):
            kt = t.key
            kk = kt.kind if kt is not None else STRING
            if kk != STRING and kk not in INT_KINDS and kk not in UINT_KINDS:
                raise GoJSONError(f"json: unsupported type: {t.name}")
            if v.is_nil:
                self.out.append("null")
                return
            keys = [str.__str__(key) if kk == STRING else str(int(key)) for key in v]
            self.enc_map(v, keys, depth, t.name, raw_keys=list(v))
            return
        if isinstance(v, GoSlice):
            if v.is_nil:
                self.out.append("null")
                return
            if t.elem is not None and t.elem.kind == UINT8:
                self.out.append('"' + base64.b64encode(bytes(int(b) & 0xFF for b in v)).decode("ascii") + '"')
                return
            self.enc_list(v, depth, t.name)
            return
        if k == STRING:
            self.out.append(quote_json(str.__str__(v), self.escape_html))
        elif k in INT_KINDS or k in UINT_KINDS:
            self.out.append(str(int(v)))
        elif k in FLOAT_KINDS:
            self.out.append(self.float_text(float(v), 32 if isinstance(v, Float32) or k == "float32" else 64))
        elif k == "bool":
            self.out.append("true" if v else "false")
        elif isinstance(v, dict):
            self.enc_map(v, [str(key) for key in v], depth, t.name, raw_keys=list(v))
        elif isinstance(v, list):
            self.enc_list(v, depth, t.name)
        else:
            raise GoJSONError(f"json: unsupported type: {t.name}")

    def enter(self, v: Any, tname: str) -> None:
        i = id(v)
        if i in self.path:
            raise GoJSONError(f"json: unsupported value: encountered a cycle via {tname}")
        self.path.add(i)

    def enc_map(self, m: Any, keys: list[str], depth: int, tname: str, *, raw_keys: list[Any] | None = None,
                ordered: bool = False) -> None:
        out = self.out
        if not keys:
            out.append("{}")
            return
        self.enter(m, tname)
        pairs = list(zip(keys, raw_keys if raw_keys is not None else keys))
        if ordered:
            pass
        elif all(k.isascii() for k in keys):
            pairs.sort(key=lambda p: p[0])
        else:
            pairs.sort(key=lambda p: to_go_bytes(p[0]))
        ind = self.indent is not None
        sep = self.newline(depth + 1) if ind else ""
        colon = ": " if ind else ":"
        out.append("{")
        for i, (k, raw) in enumerate(pairs):
            out.append(("," + sep) if i else sep)
            out.append(quote_json(k, self.escape_html))
            out.append(colon)
            self.enc(m[raw], depth + 1)
        if ind:
            out.append(self.newline(depth))
        out.append("}")
        self.path.discard(id(m))

    def enc_list(self, v: Any, depth: int, tname: str) -> None:
        out = self.out
        if not v:
            out.append("[]")
            return
        self.enter(v, tname)
        ind = self.indent is not None
        sep = self.newline(depth + 1) if ind else ""
        out.append("[")
        for i, e in enumerate(v):
            out.append(("," + sep) if i else sep)
            self.enc(e, depth + 1)
        if ind:
            out.append(self.newline(depth))
        out.append("]")
        self.path.discard(id(v))


def marshal(v: Any, *, escape_html: bool = True) -> str:
    """``json.Marshal`` (``escape_html=False``: an Encoder with ``SetEscapeHTML(false)``, no newline)."""
    if escape_html and type(v) in (dict, list):
        fast = _fast_text(v)
        if fast is not None:
            return fast
    e = _Encoder(escape_html)
    e.enc(v, 0)
    return "".join(e.out)


def marshal_indent(v: Any, prefix: str, indent: str, *, escape_html: bool = True) -> str:
    """``json.MarshalIndent``: like Go, ``prefix`` starts every line but the first."""
    e = _Encoder(escape_html, prefix, indent)
    e.enc(v, 0)
    return "".join(e.out)


def encode(v: Any, *, escape_html: bool = True, prefix: str = "", indent: str = "") -> str:
    """``json.NewEncoder(w).Encode(v)`` with ``SetEscapeHTML``/``SetIndent``: ends with a newline."""
    if prefix or indent:
        return marshal_indent(v, prefix, indent, escape_html=escape_html) + "\n"
    return marshal(v, escape_html=escape_html) + "\n"


def marshal_raw(v: Any) -> str:
    """sprig's ``toRawJson``: an Encoder without HTML escaping, trailing newline trimmed."""
    return marshal(v, escape_html=False)


# -- fast path for plain data -------------------------------------------------------------------

_PLAIN_SCALARS = (str, int, bool, type(None))


class _NotPlain(Exception):
    pass


def _reject(o: Any) -> Any:
    raise _NotPlain


def _fast_text(v: Any) -> str | None:
    """Python's C encoder plus HTML fix-ups, when that provably gives Go's bytes; else None.

    It does for trees of exact dict/list/str/int/bool/None with valid Unicode: same escapes
    (``\\uXXXX`` lower-case for control characters, DEL kept), same sorted keys (code point order
    is UTF-8 byte order). Floats (``repr`` differs from Go's ES6 text) take the general encoder.
    """
    if not _plain(v):
        return None
    try:
        text = _pyjson.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_reject)
    except (ValueError, TypeError, _NotPlain, RecursionError):
        return None
    # <, >, &, U+2028 and U+2029 can only occur inside strings: escape them as Go does.
    if "<" in text:
        text = text.replace("<", "\\u003c")
    if ">" in text:
        text = text.replace(">", "\\u003e")
    if "&" in text:
        text = text.replace("&", "\\u0026")
    if not text.isascii():
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


def _plain(v: Any) -> bool:
    """Whether ``v`` holds only exact dict/list/str/int/bool/None (no floats, no Go-typed values)."""
    stack = [v]
    seen: set[int] = set()
    while stack:
        x = stack.pop()
        cls = type(x)
        if cls is dict or cls is list:
            if id(x) in seen:
                continue  # shared (or cyclic: json.dumps then refuses and the general encoder reports it)
            seen.add(id(x))
        if cls is dict:
            for k, e in x.items():
                if type(k) is not str or (not k.isascii() and _has_surrogate(k)):
                    return False
                stack.append(e)
        elif cls is list:
            stack.extend(x)
        elif cls is str:
            if not x.isascii() and _has_surrogate(x):
                return False
        elif cls not in _PLAIN_SCALARS:
            return False
    return True


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def go_json_text(v: Any) -> str:
    """``json.Marshal(v)`` as text, fast for plain dict/list/str/int/float/bool/None trees.

    KWOK normalises objects by marshalling them; this is that step. Any other value (json.Number,
    typed slices, structs) is still encoded exactly, through the general encoder.
    """
    fast = _fast_text(v) if type(v) in (dict, list) else None
    if fast is not None:
        return fast
    return marshal(v)


# ---------------------------------------------------------------------------------------------
# Scanner (scanner.go): validation with Go's syntax error messages

_MAX_NESTING_DEPTH = 10000


def _quote_char(c: int) -> str:
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    q = quote(chr(c))
    return "'" + q[1:-1] + "'"


def _syntax_error(c: int, context: str) -> GoJSONError:
    return GoJSONError(f"invalid character {_quote_char(c)} {context}")


_HEX = frozenset(b"0123456789abcdefABCDEF")
_SPACE = frozenset(b" \t\r\n")
_DIGITS = frozenset(b"0123456789")

# parse states
_P_OBJ_KEY, _P_OBJ_VALUE, _P_ARRAY = 0, 1, 2


def _check_valid(data: bytes) -> None:
    """Go's ``checkValid``: raise the scanner's first syntax error, if any."""
    stack: list[int] = []
    data += b" "  # Go's eof() feeds one space: "1." fails on it, "[1" needs more input
    n = len(data)
    i = 0
    end_top = False

    def end_value(c: int) -> int:
        """stateEndValue for byte ``c`` at ``i``; returns the next index or raises."""
        nonlocal end_top
        if not stack:
            end_top = True
            return -1
        ps = stack[-1]
        if ps == _P_OBJ_KEY:
            if c == 0x3A:
                stack[-1] = _P_OBJ_VALUE
                return 1
            raise _syntax_error(c, "after object key")
        if ps == _P_OBJ_VALUE:
            if c == 0x2C:
                stack[-1] = _P_OBJ_KEY
                return 2
            if c == 0x7D:
                stack.pop()
                if not stack:
                    end_top = True
                return 0
            raise _syntax_error(c, "after object key:value pair")
        if c == 0x2C:
            return 1
        if c == 0x5D:
            stack.pop()
            if not stack:
                end_top = True
            return 0
        raise _syntax_error(c, "after array element")

    # state: 'value' (begin value), 'value_or_empty', 'key_or_empty', 'key', 'end' (after value)
    state = "value"
    while i < n:
        c = data[i]
        if end_top:
            if c not in _SPACE:
                raise _syntax_error(c, "after top-level value")
            i += 1
            continue
        if state == "end":
            if c in _SPACE:
                i += 1
                continue
            r = end_value(c)
            if r == -1:
                continue  # re-examine c as after top-level value
            i += 1
            state = ("end", "value", "key")[r]
            continue
        if c in _SPACE:
            i += 1
            continue
        if state == "value_or_empty" and c == 0x5D:
            state = "end"
            continue
        if state == "key_or_empty" and c == 0x7D:
            stack[-1] = _P_OBJ_VALUE
            state = "end"
            continue
        if state in ("key", "key_or_empty"):
            if c != 0x22:
                raise _syntax_error(c, "looking for beginning of object key string")
            i = _scan_string(data, i + 1)
            state = "end"
            continue
        # begin value
        if c == 0x7B:
            stack.append(_P_OBJ_KEY)
            if len(stack) > _MAX_NESTING_DEPTH:
                raise _syntax_error(c, "exceeded max depth")
            state = "key_or_empty"
            i += 1
        elif c == 0x5B:
            stack.append(_P_ARRAY)
            if len(stack) > _MAX_NESTING_DEPTH:
                raise _syntax_error(c, "exceeded max depth")
            state = "value_or_empty"
            i += 1
        elif c == 0x22:
            i = _scan_string(data, i + 1)
            state = "end"
        elif c == 0x2D or c in _DIGITS:
            i = _scan_number(data, i)
            state = "end"
        elif c in (0x74, 0x66, 0x6E):  # t f n
            word = {0x74: b"true", 0x66: b"false", 0x6E: b"null"}[c]
            name = word.decode()
            for j in range(1, len(word)):
                if i + j >= n:
                    raise GoJSONError("unexpected end of JSON input")
                if data[i + j] != word[j]:
                    raise _syntax_error(data[i + j], f"in literal {name} (expecting {_quote_char(word[j])})")
            i += len(word)
            state = "end"
        else:
            raise _syntax_error(c, "looking for beginning of value")
    if end_top:
        return
    if state == "end" and not stack:
        return
    raise GoJSONError("unexpected end of JSON input")


def _scan_string(data: bytes, i: int) -> int:
    """Scan a string body after the opening quote; index after the closing quote."""
    n = len(data)
    while i < n:
        c = data[i]
        if c == 0x22:
            return i + 1
        if c == 0x5C:
            i += 1
            if i >= n:
                break
            e = data[i]
            if e == 0x75:  # u
                for _ in range(4):
                    i += 1
                    if i >= n:
                        raise GoJSONError("unexpected end of JSON input")
                    if data[i] not in _HEX:
                        raise _syntax_error(data[i], "in \\u hexadecimal character escape")
            elif e not in b'bfnrt\\/"':
                raise _syntax_error(e, "in string escape code")
        elif c < 0x20:
            raise _syntax_error(c, "in string literal")
        i += 1
    raise GoJSONError("unexpected end of JSON input")


def _scan_number(data: bytes, i: int) -> int:
    """Scan a number; the index of the first byte after it (which the caller checks)."""
    n = len(data)
    if data[i] == 0x2D:
        i += 1
        if i >= n:
            raise GoJSONError("unexpected end of JSON input")
        if data[i] not in _DIGITS:
            raise _syntax_error(data[i], "in numeric literal")
    if data[i] == 0x30:
        i += 1
    else:
        while i < n and data[i] in _DIGITS:
            i += 1
    if i < n and data[i] == 0x2E:
        i += 1
        if i >= n:
            raise GoJSONError("unexpected end of JSON input")
        if data[i] not in _DIGITS:
            raise _syntax_error(data[i], "after decimal point in numeric literal")
        while i < n and data[i] in _DIGITS:
            i += 1
    if i < n and data[i] in b"eE":
        i += 1
        if i < n and data[i] in b"+-":
            i += 1
        if i >= n:
            raise GoJSONError("unexpected end of JSON input")
        if data[i] not in _DIGITS:
            raise _syntax_error(data[i], "in exponent of numeric literal")
        while i < n and data[i] in _DIGITS:
            i += 1
    return i


def valid(text: str | bytes) -> bool:
    """``json.Valid``."""
    try:
        _check_valid(text if isinstance(text, bytes) else to_go_bytes(text))
        return True
    except GoJSONError:
        return False


# ---------------------------------------------------------------------------------------------
# Decoding into interface{}


_BAD_BYTE = re.compile("[\udc80-\udcff]")


def _decode_utf8(b: bytes) -> str:
    """Bytes to text the way Go coerces strings: each byte that is not valid UTF-8 → U+FFFD."""
    if b.isascii():
        return b.decode("ascii")
    s = b.decode("utf-8", "surrogateescape")
    return _BAD_BYTE.sub("\ufffd", s)


def _unquote_json(b: bytes) -> str:
    """Go's ``unquoteBytes`` on a validated string body: bad UTF-8 and lone surrogates → U+FFFD."""
    if 0x5C not in b:
        return _decode_utf8(b)
    out: list[str] = []
    i = 0
    n = len(b)
    start = 0
    while i < n:
        c = b[i]
        if c != 0x5C:
            i += 1
            continue
        if start < i:
            out.append(_decode_utf8(b[start:i]))
        e = b[i + 1]
        if e == 0x75:
            r = int(b[i + 2 : i + 6], 16)
            i += 6
            if 0xD800 <= r < 0xE000:
                r2 = -1
                if i + 6 <= n and b[i] == 0x5C and b[i + 1] == 0x75:
                    try:
                        r2 = int(b[i + 2 : i + 6], 16)
                    except ValueError:
                        r2 = -1
                if 0xD800 <= r < 0xDC00 and 0xDC00 <= r2 < 0xE000:
                    out.append(chr(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00)))
                    i += 6
                else:
                    out.append("\ufffd")
            else:
                out.append(chr(r))
        else:
            out.append({0x62: "\b", 0x66: "\f", 0x6E: "\n", 0x72: "\r", 0x74: "\t"}.get(e, chr(e)))
            i += 2
        start = i
    if start < n:
        out.append(_decode_utf8(b[start:n]))
    return "".join(out)


_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WS = re.compile(rb"[ \t\r\n]*")


def _decode(data: bytes, use_number: bool) -> tuple[Any, GoJSONError | None]:
    """Decode validated JSON without recursion; also Go's first saved error (number out of range)."""
    saved: GoJSONError | None = None
    ws = _WS.match
    pos = ws(data, 0).end()  # type: ignore[union-attr]
    stack: list[list[Any]] = []  # [container, pending key]
    while True:
        c = data[pos]
        value: Any
        if c == 0x7B:  # {
            pos = ws(data, pos + 1).end()  # type: ignore[union-attr]
            if data[pos] == 0x7D:
                value, pos = {}, pos + 1
            else:
                key, pos = _read_key(data, pos)
                stack.append([{}, key])
                continue
        elif c == 0x5B:  # [
            pos = ws(data, pos + 1).end()  # type: ignore[union-attr]
            if data[pos] == 0x5D:
                value, pos = [], pos + 1
            else:
                stack.append([[], None])
                continue
        elif c == 0x22:
            end = _string_end(data, pos + 1)
            value = _unquote_json(data[pos + 1 : end - 1])
            pos = end
        elif c == 0x74:
            value, pos = True, pos + 4
        elif c == 0x66:
            value, pos = False, pos + 5
        elif c == 0x6E:
            value, pos = None, pos + 4
        else:
            m = _NUMBER.match(data, pos)
            assert m is not None
            text = m.group().decode("ascii")
            pos = m.end()
            if use_number:
                value = JsonNumber(text)
            else:
                f = float(text)
                if math.isinf(f):
                    if saved is None:
                        saved = GoJSONError(f"json: cannot unmarshal number {text} into Go value of type "
                                            "float64")
                    value = None
                else:
                    value = f
        # a value is complete: store it, then close containers as long as they end
        while True:
            if not stack:
                return value, saved
            top = stack[-1]
            container = top[0]
            if type(container) is dict:
                container[top[1]] = value
            else:
                container.append(value)
            pos = ws(data, pos).end()  # type: ignore[union-attr]
            sep = data[pos]
            pos = ws(data, pos + 1).end()  # type: ignore[union-attr]
            if sep == 0x2C:  # ,
                if type(container) is dict:
                    top[1], pos = _read_key(data, pos)
                break
            stack.pop()
            value = container


def _read_key(data: bytes, pos: int) -> tuple[str, int]:
    """An object key at ``pos`` (validated): the key and the position of its value."""
    end = _string_end(data, pos + 1)
    key = _unquote_json(data[pos + 1 : end - 1])
    pos = _WS.match(data, end).end()  # type: ignore[union-attr]
    return key, _WS.match(data, pos + 1).end()  # type: ignore[union-attr]


def _string_end(data: bytes, i: int) -> int:
    """Index after the closing quote of a validated string whose body starts at ``i``."""
    while True:
        j = data.index(b'"', i)
        k = j - 1
        bs = 0
        while data[k] == 0x5C:
            bs += 1
            k -= 1
        if bs % 2 == 0:
            return j + 1
        i = j + 1


class _Slow(Exception):
    pass


def _float_or_slow(s: str) -> float:
    f = float(s)
    if math.isinf(f):
        raise _Slow
    return f


def _constant(s: str) -> Any:
    raise _Slow


def unmarshal(text: str | bytes, *, use_number: bool = False) -> Any:
    """``json.Unmarshal(data, &v)`` with ``v interface{}``: float64 numbers (or json.Number).

    Raises :class:`GoJSONError` with Go's message (``invalid character 'x' looking for beginning
    of value``, ``unexpected end of JSON input`` …).
    """
    s: str | None
    if isinstance(text, bytes):
        data = text
        try:
            s = text.decode("utf-8")
        except UnicodeDecodeError:
            s = None
    else:
        s = text
        data = b""
        if not s.isascii() and _has_surrogate(s):
            s = None
            data = to_go_bytes(text)
    if s is not None and "\\ud" not in s and "\\uD" not in s:
        try:
            if use_number:
                return _pyjson.loads(s, parse_float=JsonNumber, parse_int=JsonNumber,
                                     parse_constant=_constant)
            return _pyjson.loads(s, parse_float=_float_or_slow, parse_int=_float_or_slow,
                                 parse_constant=_constant)
        except (ValueError, _Slow, RecursionError):
            pass
    if not data:
        data = text if isinstance(text, bytes) else to_go_bytes(text)
    _check_valid(data)
    value, err = _decode(data, use_number)
    if err is not None:
        err.value = value
        raise err
    return value

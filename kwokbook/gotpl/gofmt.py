"""Go's ``fmt`` printing (``Sprint``, ``Sprintln``, ``Sprintf``) over kwokbook's value model.

A port of ``fmt/print.go`` and ``fmt/format.go`` (go1.26): the same verbs, flags, width and
precision rules, argument indexes, error forms (``%!d(string=x)``, ``%!d(MISSING)``,
``%!(EXTRA …)``), Stringer/error handling and map ordering (``internal/fmtsort``). Templates call
``print``/``printf`` constantly, so plain operands take fast paths that skip the general printer.

Where Go's output depends on memory addresses (``%p``, pointers nested inside containers), there
is no exact answer; a fixed fake address is printed instead.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

from kwokbook.gotpl import gostrconv
from kwokbook.gotpl.gostrconv import format_float, quote, to_go_bytes
from kwokbook.gotpl.values import (
    BOOL,
    COMPLEX64,
    COMPLEX128,
    FLOAT32,
    FLOAT64,
    FUNC,
    INT_KINDS,
    INTERFACE,
    MAP,
    MISSING,
    PTR,
    SLICE,
    STRING,
    STRUCT,
    T_INTERFACE,
    T_STRING,
    UINT8,
    UINT_KINDS,
    Float32,
    GoError,
    GoFunc,
    GoInt,
    GoMap,
    GoSlice,
    GoStruct,
    GoType,
    JsonNumber,
    make_int,
    type_of,
)

__all__ = ["FAKE_POINTER", "sprint", "sprintf", "sprintln"]

FAKE_POINTER = 0xC000012000
"""What ``%p`` and nested pointers print: Go prints a real (run-dependent) address there."""

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_MAX_RUNE = 0x10FFFF
_MASK64 = (1 << 64) - 1

# Order of dynamic types among interface-typed map keys. Go orders them by the address of the
# type descriptor in the binary (internal/fmtsort); this is the order go1.26 lays them out.
_IFACE_TYPE_RANK = {
    name: i
    for i, name in enumerate(
        (
            "string", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
            "int", "uint", "uintptr", "complex64", "complex128", "float32", "float64", "bool",
            "time.Month", "time.Weekday", "json.Number", "time.Duration",
        )
    )
}


def _bool_text(b: bool) -> str:
    return "true" if b else "false"


class _Printer:
    """Go's ``pp`` plus its ``fmt``: flags for the current verb and the output buffer."""

    __slots__ = (
        "bad_type",
        "bad_value",
        "buf",
        "erroring",
        "good_arg_num",
        "minus",
        "plus",
        "plus_v",
        "prec",
        "prec_present",
        "reordered",
        "sharp",
        "sharp_v",
        "space",
        "wid",
        "wid_present",
        "zero",
    )

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.erroring = False
        self.reordered = False
        self.good_arg_num = True
        self.bad_type: GoType | None = None
        self.bad_value: Any = None
        self.clearflags()

    def clearflags(self) -> None:
        self.wid_present = False
        self.prec_present = False
        self.minus = False
        self.plus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False
        self.wid = 0
        self.prec = 0

    # -- padding (format.go) -------------------------------------------------------------

    def write_padding(self, n: int) -> None:
        if n <= 0:
            return
        self.buf.append(("0" if self.zero and not self.minus else " ") * n)

    def pad(self, s: str) -> None:
        """``pad``/``padString``: width counts runes."""
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if not self.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    # -- basic formatters ----------------------------------------------------------------

    def fmt_boolean(self, v: bool) -> None:
        self.pad("true" if v else "false")

    def fmt_unicode(self, u: int) -> None:
        prec = 4
        if self.prec_present and self.prec > 4:
            prec = self.prec
        tail = ""
        if self.sharp and u <= _MAX_RUNE and gostrconv.is_print(u):
            tail = " '" + chr(u) + "'"
        digits = format(u, "X")
        if len(digits) < prec:
            digits = "0" * (prec - len(digits)) + digits
        old_zero = self.zero
        self.zero = False
        self.pad("U+" + digits + tail)
        self.zero = old_zero

    def fmt_integer(self, v: int, base: int, is_signed: bool, verb: str, digits: str) -> None:
        """``fmt.fmtInteger``: ``v`` is the Go value (negative only when signed)."""
        negative = is_signed and v < 0
        u = -v if negative else v
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old_zero = self.zero
                self.zero = False
                self.write_padding(self.wid)
                self.zero = old_zero
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        if base == 10:
            s = str(u)
        elif base == 16:
            s = format(u, "x" if digits is _LDIGITS else "X")
        elif base == 8:
            s = format(u, "o")
        else:
            s = format(u, "b")
        if len(s) < prec:
            s = "0" * (prec - len(s)) + s
        if self.sharp:
            if base == 2:
                s = "0b" + s
            elif base == 8:
                if s[0] != "0":
                    s = "0" + s
            elif base == 16:
                s = "0" + digits[16] + s
        if verb == "O":
            s = "0o" + s
        if negative:
            s = "-" + s
        elif self.plus:
            s = "+" + s
        elif self.space:
            s = " " + s
        old_zero = self.zero
        self.zero = False
        self.pad(s)
        self.zero = old_zero

    def truncate(self, s: str) -> str:
        if self.prec_present and self.prec < len(s):
            return s[: self.prec]
        return s

    def fmt_s(self, s: str) -> None:
        if self.prec_present:
            s = self.truncate(s)
        self.pad(s)

    def fmt_sbx(self, b: bytes, digits: str) -> None:
        length = len(b)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        out: list[str] = []
        prefix = "0" + digits[16]
        if self.sharp:
            out.append(prefix)
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append(prefix)
            c = b[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(out))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_q(self, s: str) -> None:
        s = self.truncate(s)
        if self.sharp and gostrconv.can_backquote(s):
            self.pad("`" + s + "`")
            return
        self.pad(gostrconv.quote_to_ascii(s) if self.plus else quote(s))

    def fmt_c(self, c: int) -> None:
        r = c if c <= _MAX_RUNE and gostrconv.valid_rune(c) else 0xFFFD
        self.pad(chr(r))

    def fmt_qc(self, c: int) -> None:
        r = c if c <= _MAX_RUNE else 0xFFFD
        self.pad(gostrconv.quote_rune_to_ascii(r) if self.plus else gostrconv.quote_rune(r))

    def fmt_float_raw(self, v: float, size: int, verb: str, prec: int) -> None:
        """``fmt.fmtFloat``."""
        if self.prec_present:
            prec = self.prec
        num = format_float(v, verb, prec, size)
        if num[0] not in "+-":
            num = "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            old_zero = self.zero
            self.zero = False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num)
            self.zero = old_zero
            return
        if self.sharp and verb != "b":
            digits = 0
            if verb in "vgGx":
                digits = prec
                if digits == -1:
                    digits = 6
            tail = ""
            body = num
            has_dot = False
            saw_nonzero = False
            i = 1
            while i < len(body):
                ch = body[i]
                if ch == ".":
                    has_dot = True
                elif ch in "pP":
                    tail = body[i:]
                    body = body[:i]
                    break
                elif ch in "eE" and verb not in "xX":
                    tail = body[i:]
                    body = body[:i]
                    break
                else:
                    if ch != "0":
                        saw_nonzero = True
                    if saw_nonzero:
                        digits -= 1
                i += 1
            if not has_dot:
                if len(body) == 2 and body[1] == "0":
                    digits -= 1
                body += "."
            if digits > 0:
                body += "0" * digits
            num = body + tail
        if self.plus or num[0] != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(num):
                self.buf.append(num[0])
                self.write_padding(self.wid - len(num))
                self.buf.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])


class _State(_Printer):
    """The printing logic of ``pp`` (print.go)."""

    __slots__ = ()

    # -- errors ----------------------------------------------------------------------------

    def bad_verb(self, verb: str) -> None:
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        t = self.bad_type
        if t is not None:
            self.buf.append(t.name + "=")
            self.print_value(self.bad_value, t, "v", 0)
        else:
            self.buf.append("<nil>")
        self.buf.append(")")
        self.erroring = False

    # -- per-kind printers -----------------------------------------------------------------

    def fmt_bool(self, v: bool, verb: str) -> None:
        if verb in "tv":
            self.fmt_boolean(v)
        else:
            self.bad_verb(verb)

    def fmt0x64(self, v: int, leading0x: bool) -> None:
        sharp = self.sharp
        self.sharp = leading0x
        self.fmt_integer(v, 16, False, "v", _LDIGITS)
        self.sharp = sharp

    def fmt_int(self, v: int, is_signed: bool, verb: str) -> None:
        """``pp.fmtInteger``."""
        if verb == "v":
            if self.sharp_v and not is_signed:
                self.fmt0x64(v, True)
            else:
                self.fmt_integer(v, 10, is_signed, verb, _LDIGITS)
        elif verb == "d":
            self.fmt_integer(v, 10, is_signed, verb, _LDIGITS)
        elif verb == "b":
            self.fmt_integer(v, 2, is_signed, verb, _LDIGITS)
        elif verb in "oO":
            self.fmt_integer(v, 8, is_signed, verb, _LDIGITS)
        elif verb == "x":
            self.fmt_integer(v, 16, is_signed, verb, _LDIGITS)
        elif verb == "X":
            self.fmt_integer(v, 16, is_signed, verb, _UDIGITS)
        elif verb == "c":
            self.fmt_c(v & _MASK64)
        elif verb == "q":
            self.fmt_qc(v & _MASK64)
        elif verb == "U":
            self.fmt_unicode(v & _MASK64)
        else:
            self.bad_verb(verb)

    def fmt_float(self, v: float, size: int, verb: str) -> None:
        if verb == "v":
            self.fmt_float_raw(v, size, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float_raw(v, size, verb, -1)
        elif verb in "feE":
            self.fmt_float_raw(v, size, verb, 6)
        elif verb == "F":
            self.fmt_float_raw(v, size, "f", 6)
        else:
            self.bad_verb(verb)

    def fmt_complex(self, v: complex, size: int, verb: str) -> None:
        if verb in "vbgGxXfFeE":
            old_plus = self.plus
            self.buf.append("(")
            self.fmt_float(v.real, size // 2, verb)
            self.plus = True
            self.fmt_float(v.imag, size // 2, verb)
            self.buf.append("i)")
            self.plus = old_plus
        else:
            self.bad_verb(verb)

    def fmt_string(self, v: str, verb: str) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(v)
            else:
                self.fmt_s(v)
        elif verb == "s":
            self.fmt_s(v)
        elif verb == "x":
            self.fmt_sbx(to_go_bytes(v), _LDIGITS)
        elif verb == "X":
            self.fmt_sbx(to_go_bytes(v), _UDIGITS)
        elif verb == "q":
            self.fmt_q(v)
        else:
            self.bad_verb(verb)

    def fmt_bytes(self, v: Any, verb: str, type_string: str) -> None:
        """``pp.fmtBytes`` for a byte slice ``v`` (a list of ints, maybe a nil GoSlice)."""
        if verb in "vd":
            if self.sharp_v:
                self.buf.append(type_string)
                if getattr(v, "is_nil", False):
                    self.buf.append("(nil)")
                    return
                self.buf.append("{")
                for i, c in enumerate(v):
                    if i > 0:
                        self.buf.append(", ")
                    self.fmt0x64(int(c), True)
                self.buf.append("}")
            else:
                self.buf.append("[")
                for i, c in enumerate(v):
                    if i > 0:
                        self.buf.append(" ")
                    self.fmt_integer(int(c), 10, False, verb, _LDIGITS)
                self.buf.append("]")
            return
        raw = bytes(int(c) & 0xFF for c in v)
        if verb == "s":
            self.fmt_s(gostrconv.from_go_bytes(raw))
        elif verb == "x":
            self.fmt_sbx(raw, _LDIGITS)
        elif verb == "X":
            self.fmt_sbx(raw, _UDIGITS)
        elif verb == "q":
            self.fmt_q(gostrconv.from_go_bytes(raw))
        else:
            self.print_value(v, type_of(v), verb, 0)

    def fmt_pointer(self, v: Any, t: GoType, verb: str) -> None:
        if t.kind not in (MAP, SLICE, PTR, FUNC):
            self.bad_verb(verb)
            return
        u = 0 if _is_nil(v) else FAKE_POINTER
        if verb == "v":
            if self.sharp_v:
                self.buf.append("(" + t.name + ")(")
                if u == 0:
                    self.buf.append("nil")
                else:
                    self.fmt0x64(u, True)
                self.buf.append(")")
            elif u == 0:
                self.pad("<nil>")
            else:
                self.fmt0x64(u, not self.sharp)
        elif verb == "p":
            self.fmt0x64(u, not self.sharp)
        elif verb in "bodxX":
            self.fmt_int(u, False, verb)
        else:
            self.bad_verb(verb)

    # -- methods -----------------------------------------------------------------------------

    def handle_methods(self, v: Any, t: GoType, verb: str) -> bool:
        """Error(), String() and GoString() take over the printing, as in ``pp.handleMethods``."""
        if self.erroring:
            return False
        if not t.methods and not isinstance(v, GoStruct):
            return False
        if self.sharp_v:
            if isinstance(v, GoStruct) and "GoString" in v.go_methods:
                self._call_method(v, verb, "GoString", lambda: str(v.go_methods["GoString"].fn(v)), True)
                return True
            return False
        if verb not in "vsxXq":
            return False
        if isinstance(v, GoStruct):
            m = v.go_methods.get("Error")
            if m is not None and not m.sig.params:
                self._call_method(v, verb, "Error", lambda: str(m.fn(v)), False)
                return True
            if "String" in v.go_methods:
                text = self._call_method(v, verb, "String", v.go_string, False)
                return text is not None
            return False
        if "String" in t.methods:
            if isinstance(v, JsonNumber) or (t.kind == STRING and isinstance(v, str)):
                self.fmt_string(str.__str__(v), verb)
                return True
            if isinstance(v, int) and not isinstance(v, GoInt):
                v = make_int(t, v)
            self.fmt_string(str(v), verb)
            return True
        return False

    def _call_method(self, v: Any, verb: str, name: str, call: Any, go_string: bool) -> str | None:
        try:
            text = call()
        except GoError as e:  # a panicking method: Go's catchPanic
            if getattr(v, "go_is_nil", False):
                self.buf.append("<nil>")
                return ""
            saved = (self.wid, self.prec, self.wid_present, self.prec_present, self.minus, self.plus,
                     self.sharp, self.space, self.zero, self.plus_v, self.sharp_v)
            self.clearflags()
            self.buf.append(f"%!{verb}(PANIC={name} method: {e})")
            (self.wid, self.prec, self.wid_present, self.prec_present, self.minus, self.plus,
             self.sharp, self.space, self.zero, self.plus_v, self.sharp_v) = saved
            return ""
        if text is None:
            return None
        if go_string:
            self.fmt_s(text)
        else:
            self.fmt_string(text, verb)
        return text

    # -- printArg / printValue -------------------------------------------------------------

    def print_arg(self, arg: Any, verb: str) -> None:
        """``pp.printArg``: a top-level operand (an ``interface{}``)."""
        if arg is None or arg is MISSING:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_type = None
                self.bad_verb(verb)
            return
        t = type_of(arg)
        assert t is not None
        if verb == "T":
            self.fmt_s(t.name)
            return
        if verb == "p":
            self.bad_type, self.bad_value = t, arg
            self.fmt_pointer(arg, t, "p")
            return
        cls = type(arg)
        self.bad_type, self.bad_value = t, arg
        if cls is str:
            self.fmt_string(arg, verb)
        elif cls is int:
            self.fmt_int(arg, True, verb)
        elif cls is bool:
            self.fmt_bool(arg, verb)
        elif cls is float:
            self.fmt_float(arg, 64, verb)
        elif cls is Float32:
            self.fmt_float(arg, 32, verb)
        elif cls is complex:
            self.fmt_complex(arg, 64 if t.kind == COMPLEX64 else 128, verb)
        elif t.kind == SLICE and t.elem is not None and t.elem.name == "uint8" and t.name == "[]uint8":
            self.fmt_bytes(arg, verb, "[]byte")
        elif not self.handle_methods(arg, t, verb):
            self.print_value(arg, t, verb, 0)

    def print_value(self, v: Any, t: GoType | None, verb: str, depth: int) -> None:
        """``pp.printValue``: ``v`` seen with static type ``t`` (None: its dynamic type)."""
        if t is None:
            t = type_of(v) if v is not None and v is not MISSING else T_INTERFACE
            assert t is not None
        k = t.kind
        if k == INTERFACE:
            if v is None or v is MISSING:
                if self.sharp_v:
                    self.buf.append(t.name + "(nil)")
                else:
                    self.buf.append("<nil>")
                return
            dt = type_of(v)
            assert dt is not None
            self.print_value(v, dt, verb, depth + 1)
            return
        if depth > 0 and self.handle_methods(v, t, verb):
            return
        self.bad_type, self.bad_value = t, v
        if k == STRING:
            self.fmt_string(str.__str__(v), verb)
        elif k in INT_KINDS:
            self.fmt_int(int(v), True, verb)
        elif k in UINT_KINDS:
            self.fmt_int(int(v), False, verb)
        elif k == BOOL:
            self.fmt_bool(bool(v), verb)
        elif k == FLOAT64:
            self.fmt_float(float(v), 64, verb)
        elif k == FLOAT32:
            self.fmt_float(float(v), 32, verb)
        elif k == COMPLEX128:
            self.fmt_complex(complex(v), 128, verb)
        elif k == COMPLEX64:
            self.fmt_complex(complex(v), 64, verb)
        elif k == MAP:
            self.print_map(v, t, verb, depth)
        elif k == SLICE:
            self.print_slice(v, t, verb, depth)
        elif k == STRUCT or (k == PTR and isinstance(v, GoStruct)):
            self.print_struct(v, t, verb, depth)
        elif k in (PTR, FUNC) or isinstance(v, GoFunc):
            self.fmt_pointer(v, t, verb)
        else:
            self.buf.append("?" + t.name + "?")

    def print_map(self, v: Any, t: GoType, verb: str, depth: int) -> None:
        if self.sharp_v:
            self.buf.append(t.name)
            if getattr(v, "is_nil", False):
                self.buf.append("(nil)")
                return
            self.buf.append("{")
        else:
            self.buf.append("map[")
        kt = t.key or T_STRING
        et = t.elem or T_INTERFACE
        for i, key in enumerate(sorted_keys(v, kt)):
            if i > 0:
                self.buf.append(", " if self.sharp_v else " ")
            self.print_value(key, kt, verb, depth + 1)
            self.buf.append(":")
            self.print_value(v[key], et, verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def print_slice(self, v: Any, t: GoType, verb: str, depth: int) -> None:
        et = t.elem or T_INTERFACE
        if verb in "sqxX" and et.kind == UINT8:
            self.fmt_bytes(v, verb, t.name)
            return
        if self.sharp_v:
            self.buf.append(t.name)
            if getattr(v, "is_nil", False):
                self.buf.append("(nil)")
                return
            self.buf.append("{")
            for i, e in enumerate(v):
                if i > 0:
                    self.buf.append(", ")
                self.print_value(e, et, verb, depth + 1)
            self.buf.append("}")
        else:
            self.buf.append("[")
            for i, e in enumerate(v):
                if i > 0:
                    self.buf.append(" ")
                self.print_value(e, et, verb, depth + 1)
            self.buf.append("]")

    def print_struct(self, v: GoStruct, t: GoType, verb: str, depth: int) -> None:
        if t.kind == PTR:
            if depth == 0 and not getattr(v, "go_is_nil", False):
                self.buf.append("&")
                et = t.elem or GoType(t.name.lstrip("*"), STRUCT)
                self.print_struct(v, et, verb, depth + 1)
                return
            self.fmt_pointer(v, t, verb)
            return
        if self.sharp_v:
            self.buf.append(t.name)
        self.buf.append("{")
        for i, name in enumerate(v.go_fields):
            if i > 0:
                self.buf.append(", " if self.sharp_v else " ")
            if self.plus_v or self.sharp_v:
                self.buf.append(name + ":")
            fv = v.go_field(name)
            self.print_value(fv, T_INTERFACE if fv is None else None, verb, depth + 1)
        self.buf.append("}")

    # -- Printf ----------------------------------------------------------------------------

    def do_printf(self, fmt: str, a: tuple[Any, ...]) -> None:
        end = len(fmt)
        nargs = len(a)
        arg_num = 0
        after_index = False
        self.reordered = False
        i = 0
        buf = self.buf
        while i < end:
            self.good_arg_num = True
            j = fmt.find("%", i)
            if j < 0:
                buf.append(fmt[i:])
                break
            if j > i:
                buf.append(fmt[i:j])
            i = j + 1
            self.clearflags()
            simple = False
            while i < end:
                c = fmt[i]
                if c == "#":
                    self.sharp = True
                elif c == "0":
                    self.zero = True
                elif c == "+":
                    self.plus = True
                elif c == "-":
                    self.minus = True
                elif c == " ":
                    self.space = True
                else:
                    if "a" <= c <= "z" and arg_num < nargs:
                        if c in "vw":
                            self.sharp_v = self.sharp
                            self.sharp = False
                            self.plus_v = self.plus
                            self.plus = False
                        if c == "w":
                            self._print_w(a[arg_num])
                        else:
                            self.print_arg(a[arg_num], c)
                        arg_num += 1
                        i += 1
                        simple = True
                    break
                i += 1
            if simple:
                continue

            arg_num, i, after_index = self.arg_number(arg_num, fmt, i, nargs)

            if i < end and fmt[i] == "*":
                i += 1
                self.wid, self.wid_present, arg_num = _int_from_arg(a, arg_num)
                if not self.wid_present:
                    buf.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                    self.zero = False
                after_index = False
            else:
                self.wid, self.wid_present, i = _parsenum(fmt, i, end)
                if after_index and self.wid_present:
                    self.good_arg_num = False

            if i + 1 < end and fmt[i] == ".":
                i += 1
                if after_index:
                    self.good_arg_num = False
                arg_num, i, after_index = self.arg_number(arg_num, fmt, i, nargs)
                if i < end and fmt[i] == "*":
                    i += 1
                    self.prec, self.prec_present, arg_num = _int_from_arg(a, arg_num)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parsenum(fmt, i, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True

            if not after_index:
                arg_num, i, after_index = self.arg_number(arg_num, fmt, i, nargs)

            if i >= end:
                buf.append("%!(NOVERB)")
                break

            verb = fmt[i]
            i += 1
            if 0xD800 <= ord(verb) <= 0xDFFF:
                verb = "\ufffd"  # an invalid UTF-8 byte decodes to RuneError

            if verb == "%":
                buf.append("%")
            elif not self.good_arg_num:
                buf.append("%!" + verb + "(BADINDEX)")
            elif arg_num >= nargs:
                buf.append("%!" + verb + "(MISSING)")
            elif verb == "w":
                self.sharp_v = self.sharp
                self.sharp = False
                self.plus_v = self.plus
                self.plus = False
                self._print_w(a[arg_num])
                arg_num += 1
            else:
                if verb == "v":
                    self.sharp_v = self.sharp
                    self.sharp = False
                    self.plus_v = self.plus
                    self.plus = False
                self.print_arg(a[arg_num], verb)
                arg_num += 1

        if not self.reordered and arg_num < nargs:
            self.clearflags()
            buf.append("%!(EXTRA ")
            for k, arg in enumerate(a[arg_num:]):
                if k > 0:
                    buf.append(", ")
                if arg is None or arg is MISSING:
                    buf.append("<nil>")
                else:
                    buf.append(_type_name(arg) + "=")
                    self.print_arg(arg, "v")
            buf.append(")")

    def _print_w(self, arg: Any) -> None:
        """``%w`` outside Errorf: always a bad verb (Sprintf never wraps errors)."""
        t = type_of(arg) if arg is not None and arg is not MISSING else None
        self.bad_type, self.bad_value = t, arg
        self.bad_verb("w")

    def arg_number(self, arg_num: int, fmt: str, i: int, nargs: int) -> tuple[int, int, bool]:
        if len(fmt) <= i or fmt[i] != "[":
            return arg_num, i, False
        self.reordered = True
        index, wid, ok = _parse_arg_number(fmt[i:])
        if ok and 0 <= index < nargs:
            return index, i + wid, True
        self.good_arg_num = False
        return arg_num, i + wid, ok


def _type_name(v: Any) -> str:
    t = type_of(v)
    return "<nil>" if t is None else t.name


def _is_nil(v: Any) -> bool:
    if v is None or v is MISSING:
        return True
    if isinstance(v, (GoSlice, GoMap)):
        return v.is_nil
    return bool(getattr(v, "go_is_nil", False))


def _too_large(x: int) -> bool:
    return x > 1_000_000 or x < -1_000_000


def _parsenum(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if _too_large(num):
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _parse_arg_number(fmt: str) -> tuple[int, int, bool]:
    if len(fmt) < 3:
        return 0, 1, False
    for i in range(1, len(fmt)):
        if fmt[i] == "]":
            width, ok, newi = _parsenum(fmt, 1, i)
            if not ok or newi != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _int_from_arg(a: tuple[Any, ...], arg_num: int) -> tuple[int, bool, int]:
    """``intFromArg``: a ``*`` width or precision must be an integer operand."""
    num = 0
    is_int = False
    new_arg_num = arg_num
    if arg_num < len(a):
        v = a[arg_num]
        if isinstance(v, int) and not isinstance(v, bool):
            t = type_of(v)
            if t is not None and (t.kind in INT_KINDS or t.kind in UINT_KINDS):
                n = int(v)
                if -(1 << 63) <= n < (1 << 63):
                    num, is_int = n, True
        new_arg_num = arg_num + 1
        if _too_large(num):
            num, is_int = 0, False
    return num, is_int, new_arg_num


# ---------------------------------------------------------------------------------------------
# Map ordering (internal/fmtsort)


def _float_key(f: float) -> tuple[int, float]:
    return (0, 0.0) if math.isnan(f) else (1, f)


def _value_key(v: Any, t: GoType) -> Any:
    """A sort key for a map key of static type ``t`` (fmtsort.compare)."""
    k = t.kind
    if k == STRING:
        return _str_key(v)
    if k in INT_KINDS or k in UINT_KINDS:
        return int(v)
    if k in (FLOAT32, FLOAT64):
        return _float_key(float(v))
    if k in (COMPLEX64, COMPLEX128):
        c = complex(v)
        return (_float_key(c.real), _float_key(c.imag))
    if k == BOOL:
        return bool(v)
    if k == INTERFACE:
        if v is None:
            return (0, 0, 0)
        dt = type_of(v)
        assert dt is not None
        rank = _IFACE_TYPE_RANK.get(dt.name, len(_IFACE_TYPE_RANK))
        return (1, rank, dt.name, _value_key(v, dt))
    return 0  # structs, pointers: keep iteration order


def _str_key(s: str) -> bytes:
    return to_go_bytes(str.__str__(s))


def sorted_keys(m: Any, kt: GoType) -> list[Any]:
    """Map keys in ``internal/fmtsort`` order (also used by text/template's ``range``)."""
    keys = list(m)
    if kt.kind == STRING:
        if all(type(k) is str and k.isascii() for k in keys):
            keys.sort()
        else:
            keys.sort(key=_str_key)
        return keys
    with contextlib.suppress(TypeError):  # incomparable keys inside one rank: keep iteration order
        keys.sort(key=lambda k: _value_key(k, kt))
    return keys


# ---------------------------------------------------------------------------------------------
# Public API


def _simple(v: Any) -> str | None:
    """The ``%v`` text of a plain operand without building a printer, or None."""
    cls = type(v)
    if cls is str:
        return v
    if cls is JsonNumber:
        return str.__str__(v)
    if cls is int:
        return str(v)
    if cls is bool:
        return "true" if v else "false"
    if cls is float:
        return format_float(v, "g", -1, 64)
    if v is None or v is MISSING:
        return "<nil>"
    return None


def _is_string_kind(v: Any) -> bool:
    if isinstance(v, str):
        return True
    if v is None or v is MISSING or isinstance(v, (int, float, list, dict)):
        return False
    t = type_of(v)
    return t is not None and t.kind == STRING


def sprint(*args: Any) -> str:
    """``fmt.Sprint``: operands in ``%v``, a space between two operands when neither is a string."""
    if len(args) == 1:
        v = args[0]
        cls = type(v)
        if cls is str:
            return v
        if cls is JsonNumber:
            return str.__str__(v)
        s = _simple(v)
        if s is not None:
            return s
    out: list[str] = []
    p: _State | None = None
    prev_string = False
    for n, arg in enumerate(args):
        is_string = _is_string_kind(arg)
        if n > 0 and not is_string and not prev_string:
            out.append(" ")
        s = _simple(arg)
        if s is None:
            if p is None:
                p = _State()
            p.buf = out
            p.clearflags()
            p.print_arg(arg, "v")
        else:
            out.append(s)
        prev_string = is_string
    return "".join(out)


def sprintln(*args: Any) -> str:
    """``fmt.Sprintln``: operands in ``%v`` separated by spaces, then a newline."""
    out: list[str] = []
    p: _State | None = None
    for n, arg in enumerate(args):
        if n > 0:
            out.append(" ")
        s = _simple(arg)
        if s is None:
            if p is None:
                p = _State()
            p.buf = out
            p.clearflags()
            p.print_arg(arg, "v")
        else:
            out.append(s)
    out.append("\n")
    return "".join(out)


def sprintf(fmt: str, *args: Any) -> str:
    """``fmt.Sprintf``."""
    if len(args) == 1 and len(fmt) == 2 and fmt[0] == "%":
        v = args[0]
        verb = fmt[1]
        cls = type(v)
        if verb in "sv":
            if cls is str:
                return v
            if cls is JsonNumber:
                return str.__str__(v)
            if verb == "v":
                s = _simple(v)
                if s is not None:
                    return s
        elif verb == "d" and cls is int:
            return str(v)
    if "%" not in fmt and not args:
        return fmt
    p = _State()
    p.do_printf(fmt, args)
    return "".join(p.buf)

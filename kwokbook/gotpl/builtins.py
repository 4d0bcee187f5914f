"""Go text/template's builtin functions (``funcs.go``) over kwokbook's value model.

Builtins that take ``reflect.Value`` in Go receive raw values here (MISSING and None intact).
``and``/``or``/``call`` are special-cased by the executor, as in Go.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from . import gofmt
from .gostrconv import from_go_bytes, to_go_bytes
from .values import (
    COMPLEX_KINDS,
    FLOAT_KINDS,
    INT_KINDS,
    MISSING,
    T_BOOL,
    T_INT,
    T_INTERFACE,
    T_REFLECT_VALUE,
    T_STRING,
    UINT_KINDS,
    GoError,
    GoFunc,
    GoMap,
    GoSlice,
    GoStruct,
    Signature,
    is_nil_value,
    is_true,
    type_name,
    type_of,
)

BUILTINS: dict[str, GoFunc] = {}

_RV = T_REFLECT_VALUE


def _register(name: str, sig: Signature, fn: Any) -> None:
    BUILTINS[name] = GoFunc(name, sig, fn, builtin=True)


def _indirect_iface(v: Any) -> Any:
    """``indirectInterface``: nil interface becomes the invalid value."""
    return MISSING if v is None else v


# -- comparisons --------------------------------------------------------------------------

_BOOL, _COMPLEX, _INT, _FLOAT, _STRING, _UINT, _INVALID = range(7)


def _basic_kind(v: Any) -> int:
    if v is MISSING:
        return _INVALID
    if isinstance(v, bool):
        return _BOOL
    if isinstance(v, str):
        return _STRING
    t = type_of(v)
    k = t.kind if t is not None else "invalid"
    if k in INT_KINDS:
        return _INT
    if k in UINT_KINDS:
        return _UINT
    if k in FLOAT_KINDS:
        return _FLOAT
    if k in COMPLEX_KINDS:
        return _COMPLEX
    if k == "string":
        return _STRING
    if k == "bool":
        return _BOOL
    return _INVALID


class _BadComparisonType(GoError):
    pass


def _basic_kind_checked(v: Any) -> int:
    k = _basic_kind(v)
    if k == _INVALID:
        raise GoError("invalid type for comparison")
    return k


def _tname(v: Any) -> str:
    return type_name(v)


def _is_nil(v: Any) -> bool:
    return is_nil_value(v)


def _can_compare(a: Any, b: Any) -> bool:
    ka = "invalid" if a is MISSING else (type_of(a).kind if type_of(a) else "invalid")  # type: ignore[union-attr]
    kb = "invalid" if b is MISSING else (type_of(b).kind if type_of(b) else "invalid")  # type: ignore[union-attr]
    return ka in (kb, "invalid") or kb == "invalid"


def _comparable(v: Any) -> bool:
    t = type_of(v)
    if t is None:
        return True
    return t.kind not in ("slice", "map", "func")


def _eq(arg1: Any, *arg2: Any) -> bool:
    arg1 = _indirect_iface(arg1)
    if not arg2:
        raise GoError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for arg in arg2:
        arg = _indirect_iface(arg)
        k2 = _basic_kind(arg)
        truth = False
        if k1 != k2:
            if k1 == _INT and k2 == _UINT:
                truth = int(arg1) >= 0 and int(arg1) == int(arg)
            elif k1 == _UINT and k2 == _INT:
                truth = int(arg) >= 0 and int(arg1) == int(arg)
            elif arg1 is not MISSING and arg is not MISSING:
                raise GoError(f"incompatible types for comparison: {_tname(arg1)} and {_tname(arg)}")
        elif k1 == _BOOL:
            truth = bool(arg1) == bool(arg)
        elif k1 in (_INT, _UINT, _FLOAT, _COMPLEX):
            truth = arg1 == arg
        elif k1 == _STRING:
            truth = arg1 == arg
        else:
            if not _can_compare(arg1, arg):
                raise GoError(
                    f"non-comparable types {gofmt.sprint(arg1)}: {_tname(arg1)}, {_tname(arg)}: {gofmt.sprint(arg)}"
                )
            if _is_nil(arg1) or _is_nil(arg):
                truth = _is_nil(arg) == _is_nil(arg1)
            else:
                if not _comparable(arg):
                    raise GoError(f"non-comparable type {gofmt.sprint(arg)}: {_tname(arg)}")
                truth = _struct_equal(arg1, arg)
        if truth:
            return True
    return False


def _struct_equal(a: Any, b: Any) -> bool:
    t = type_of(a)
    if t != type_of(b):
        return False
    if t is not None and t.kind == "ptr":
        return a is b  # pointers compare by identity
    if isinstance(a, GoStruct):
        from .values import deep_equal

        return deep_equal(a, b)
    return bool(a == b)


def _ne(a: Any, b: Any) -> bool:
    return not _eq(a, b)


def _lt(arg1: Any, arg2: Any) -> bool:
    arg1 = _indirect_iface(arg1)
    k1 = _basic_kind_checked(arg1)
    arg2 = _indirect_iface(arg2)
    k2 = _basic_kind_checked(arg2)
    if k1 != k2:
        if k1 == _INT and k2 == _UINT:
            return int(arg1) < 0 or int(arg1) < int(arg2)
        if k1 == _UINT and k2 == _INT:
            return int(arg2) >= 0 and int(arg1) < int(arg2)
        raise GoError(f"incompatible types for comparison: {_tname(arg1)} and {_tname(arg2)}")
    if k1 in (_BOOL, _COMPLEX):
        raise GoError("invalid type for comparison")
    if k1 == _STRING:
        return to_go_bytes(arg1) < to_go_bytes(arg2)  # Go compares bytes
    return bool(arg1 < arg2)


def _le(a: Any, b: Any) -> bool:
    if _lt(a, b):
        return True
    return _eq(a, b)


def _gt(a: Any, b: Any) -> bool:
    return not _le(a, b)


def _ge(a: Any, b: Any) -> bool:
    return not _lt(a, b)


# -- index / slice / len --------------------------------------------------------------------


def _index_arg(index: Any, cap_: int) -> int:
    if index is MISSING:
        raise GoError("cannot index slice/array with nil")
    k = _basic_kind(index)
    if k in (_INT, _UINT) and not isinstance(index, bool):
        x = int(index)
    else:
        raise GoError(f"cannot index slice/array with type {_tname(index)}")
    if x < 0 or x > cap_:
        raise GoError(f"index out of range: {x}")
    return x


def _go_len(v: Any) -> int:
    if isinstance(v, str):
        return len(to_go_bytes(v))
    return len(v)


def _index(item: Any, *indexes: Any) -> Any:
    item = _indirect_iface(item)
    if item is MISSING:
        raise GoError("index of untyped nil")
    for index in indexes:
        index = _indirect_iface(index)
        if item is None or item is MISSING:
            raise GoError("index of nil pointer")
        if isinstance(item, (list, str)):
            n = _go_len(item)
            x = _index_arg(index, n)
            if x >= n:
                raise GoError("reflect: string index out of range" if isinstance(item, str)
                              else "reflect: slice index out of range")
            if isinstance(item, str):
                from .values import Uint8

                item = Uint8(to_go_bytes(item)[x])
            else:
                item = item[x]
        elif isinstance(item, dict):
            key_t = item.gotype.key if isinstance(item, GoMap) else T_STRING
            assert key_t is not None
            key = _prepare_arg(index, key_t)
            if key in item:
                item = item[key]
            else:
                elem_t = item.gotype.elem if isinstance(item, GoMap) else T_INTERFACE
                from .values import zero_value

                assert elem_t is not None
                item = zero_value(elem_t)
        else:
            raise GoError(f"can't index item of type {_tname(item)}")
    return item


def _prepare_arg(value: Any, arg_type: Any) -> Any:
    from .values import assignable, make_int, zero_value

    if value is MISSING:
        if not arg_type.can_be_nil:
            raise GoError(f"value is nil; should be of type {arg_type}")
        return zero_value(arg_type)
    if assignable(value, arg_type):
        return value
    vt = type_of(value)
    if vt is not None and (vt.kind in INT_KINDS or vt.kind in UINT_KINDS) and (
        arg_type.kind in INT_KINDS or arg_type.kind in UINT_KINDS
    ) and not isinstance(value, bool):
        return make_int(arg_type, int(value))
    raise GoError(f"value has type {_tname(value)}; should be {arg_type}")


def _slice(item: Any, *indexes: Any) -> Any:
    item = _indirect_iface(item)
    if item is MISSING:
        raise GoError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise GoError("cannot 3-index slice a string")
        cap_ = _go_len(item)
    elif isinstance(item, list):
        cap_ = len(item)
    else:
        raise GoError(f"can't slice item of type {_tname(item)}")
    idx = [0, _go_len(item), 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(_indirect_iface(index), cap_)
    if idx[0] > idx[1]:
        raise GoError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise GoError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if isinstance(item, str):
        return from_go_bytes(to_go_bytes(item)[idx[0] : idx[1]])
    if isinstance(item, GoSlice):
        return GoSlice(item[idx[0] : idx[1]], item.gotype)
    return list(item[idx[0] : idx[1]])


def _length(item: Any) -> int:
    if item is MISSING:  # Go panics calling Type() on the zero reflect.Value
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    if item is None:
        raise GoError("len of nil pointer")
    if isinstance(item, (str, list, dict)):
        return _go_len(item)
    raise GoError(f"len of type {_tname(item)}")


# -- logic, printing, escaping ---------------------------------------------------------------


def _not(arg: Any) -> bool:
    return not is_true(_indirect_iface(arg))


def _unreachable(*_a: Any) -> Any:
    raise AssertionError("and/or/call are special-cased by the executor")


def _eval_args(args: tuple[Any, ...]) -> str:
    """Go's ``evalArgs``: Sprint, except that nil arguments print as ``<no value>``."""
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    return gofmt.sprint(*("<no value>" if a is None else a for a in args))


def html_escape_string(s: str) -> str:
    if not any(c in s for c in "'\"&<>\x00"):
        return s
    out = []
    for c in s:
        if c == "\x00":
            out.append("\ufffd")
        elif c == '"':
            out.append("&#34;")
        elif c == "'":
            out.append("&#39;")
        elif c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        else:
            out.append(c)
    return "".join(out)


def _html(*args: Any) -> str:
    return html_escape_string(_eval_args(args))


def js_escape_string(s: str) -> str:
    from .gostrconv import is_print

    out = []
    for c in s:
        o = ord(c)
        if c == "\\":
            out.append("\\\\")
        elif c == "'":
            out.append("\\'")
        elif c == '"':
            out.append('\\"')
        elif c == "<":
            out.append("\\u003C")
        elif c == ">":
            out.append("\\u003E")
        elif c == "&":
            out.append("\\u0026")
        elif c == "=":
            out.append("\\u003D")
        elif o < 0x20:
            out.append(f"\\u00{o:02X}")
        elif o < 0x80:
            out.append(c)
        elif 0xDC80 <= o <= 0xDCFF:
            out.append(c)  # an invalid byte decodes as RuneError, which is printable: the byte is kept
        elif is_print(o):
            out.append(c)
        else:
            out.append(f"\\u{o:04X}")
    return "".join(out)


def _js(*args: Any) -> str:
    return js_escape_string(_eval_args(args))


def _urlquery(*args: Any) -> str:
    return quote_plus(_eval_args(args), safe="", encoding="utf-8", errors="surrogateescape")


def _print(*args: Any) -> str:
    return gofmt.sprint(*args)


def _printf(fmt: str, *args: Any) -> str:
    return gofmt.sprintf(fmt, *args)


def _println(*args: Any) -> str:
    return gofmt.sprintln(*args)


def call_function(name: str, fn: Any, *args: Any) -> Any:
    """Go's ``call`` builtin body (after the executor inserted the callee's name)."""
    fn = _indirect_iface(fn)
    if fn is MISSING:
        raise GoError("call of nil")
    if not isinstance(fn, GoFunc):
        raise GoError(f"non-function {name} of type {_tname(fn)}")
    sig = fn.sig
    num_in = sig.num_in
    if sig.variadic is not None:
        if len(args) < num_in - 1:
            raise GoError(f"wrong number of args for {name}: got {len(args)} want at least {num_in - 1}")
    elif len(args) != num_in:
        raise GoError(f"wrong number of args for {name}: got {len(args)} want {num_in}")
    argv = []
    for i, arg in enumerate(args):
        arg = _indirect_iface(arg)
        t = sig.params[i] if i < len(sig.params) else sig.variadic
        try:
            argv.append(_prepare_arg(arg, t))
        except GoError as e:
            raise GoError(f"arg {i}: {e}") from None
    return fn.fn(*argv)


_register("and", Signature((_RV,), _RV, _RV), _unreachable)
_register("or", Signature((_RV,), _RV, _RV), _unreachable)
_register("call", Signature((_RV,), _RV, _RV, True), _unreachable)
_register("html", Signature((), T_INTERFACE, T_STRING), _html)
_register("index", Signature((_RV,), _RV, _RV, True), _index)
_register("slice", Signature((_RV,), _RV, _RV, True), _slice)
_register("js", Signature((), T_INTERFACE, T_STRING), _js)
_register("len", Signature((_RV,), None, T_INT, True), _length)
_register("not", Signature((_RV,), None, T_BOOL), _not)
_register("print", Signature((), T_INTERFACE, T_STRING), _print)
_register("printf", Signature((T_STRING,), T_INTERFACE, T_STRING), _printf)
_register("println", Signature((), T_INTERFACE, T_STRING), _println)
_register("urlquery", Signature((), T_INTERFACE, T_STRING), _urlquery)
_register("eq", Signature((_RV,), _RV, T_BOOL, True), _eq)
_register("ge", Signature((_RV, _RV), None, T_BOOL, True), _ge)
_register("gt", Signature((_RV, _RV), None, T_BOOL, True), _gt)
_register("le", Signature((_RV, _RV), None, T_BOOL, True), _le)
_register("lt", Signature((_RV, _RV), None, T_BOOL, True), _lt)
_register("ne", Signature((_RV, _RV), None, T_BOOL, True), _ne)

__all__ = ["BUILTINS", "call_function", "html_escape_string", "js_escape_string"]

"""The typed view of Pods and Nodes: an object after a round trip through the Go struct.

KWOK's Pod and Node controllers hold ``*corev1.Pod``/``*corev1.Node``. Everything they do with an
object — the jq selectors (``expression.ToJSONStandard``), the templates, the local no-op check
before a patch (``checkNeedPatchWithTyped``) — sees ``json.Marshal`` of that struct, not the JSON
the API server sent. :func:`typed_view` reproduces ``json.Unmarshal`` into the struct followed by
``json.Marshal`` (encoding/json of go1.26, k8s.io/api v0.36.1):

- fields unknown to the struct vanish; field names match case-insensitively (Go's fold);
- ``omitempty`` fields disappear when zero, other fields appear as zero values (``""``, ``0``,
  ``false``, ``null`` for nil slices/maps/pointers, ``{}`` for empty nested structs);
  ``metadata.creationTimestamp`` is ``omitzero``;
- ``resource.Quantity`` is canonicalised (``"1000m"`` → ``"1"``, a bare number is accepted),
  ``metav1.Time`` is re-formatted to RFC 3339 seconds in UTC (the zero time becomes ``null``),
  ``IntOrString`` keeps its type, ``managedFields[].fieldsV1`` is kept verbatim;
- struct fields come out in Go declaration order, map keys sorted — :func:`typed_json` gives
  Go's exact bytes;
- type errors are Go's: ``json: cannot unmarshal number into Go struct field
  PodSpec.spec.nodeName of type string`` (the first such error, unless a custom unmarshaler —
  Quantity, Time, IntOrString — failed, which aborts at once).

The struct layout comes from :mod:`kwokbook.k8s._schema_core_v1`, generated from the Go types by
``tools/k8s-schema``. Two implementations give the same answer: a fast path generated per struct
type (well-typed input, the common case) and a reference decoder with Go's full error semantics,
used whenever the fast path meets anything unusual.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..celenv.quantity import Quantity, QuantityError, parse_quantity
from ..errors import KwokbookError
from ..gotpl import gotime
from ..gotpl.gojson import quote_json
from ..gotpl.gostrconv import format_json_float
from ..gotpl.values import GoError
from ._schema_core_v1 import ROOTS, TYPES

__all__ = [
    "KINDS",
    "TypedCache",
    "TypedError",
    "check_need_patch",
    "copy_on_patch_path",
    "typed_json",
    "typed_view",
    "typed_view_reference",
]

KINDS = frozenset(ROOTS)


class TypedError(KwokbookError):
    """``json.Unmarshal`` into the Go struct failed; ``message`` is Go's ``err.Error()``."""


# ---------------------------------------------------------------------------------------------
# Schema access

_I_RANGE = {8: (-(1 << 7), (1 << 7) - 1), 16: (-(1 << 15), (1 << 15) - 1),
            32: (-(1 << 31), (1 << 31) - 1), 64: (-(1 << 63), (1 << 63) - 1)}
_U_RANGE = {8: (1 << 8) - 1, 16: (1 << 16) - 1, 32: (1 << 32) - 1, 64: (1 << 64) - 1}


def fold_name(key: str) -> str | None:
    """encoding/json's ``foldName`` for matching against ASCII field names.

    ASCII letters fold to upper case; the Kelvin sign and the long s fold into ASCII (their
    SimpleFold orbits hold ``K``/``S``); any other non-ASCII rune cannot match an ASCII name,
    so ``None`` is returned for such keys.
    """
    if not key.isascii():
        key = key.replace("\u212a", "K").replace("\u017f", "S")
        if not key.isascii():
            return None
    return key.upper()


class _Struct:
    """A struct type: its fields in encoding order and the two name indexes."""

    __slots__ = ("by_fold", "by_name", "fields", "gostr", "key", "name")

    def __init__(self, key: str, gostr: str, name: str, fields: tuple[tuple[Any, ...], ...]) -> None:
        self.key = key
        self.gostr = gostr
        self.name = name
        # (json name, type key, omitempty, omitzero, embedded Go path, strategy, merge key)
        self.fields = [(f[0], f[1], bool(f[2] & 1), bool(f[2] & 2), f[3], f[4], f[5]) for f in fields]
        self.by_name = {f[0]: f for f in self.fields}
        self.by_fold: dict[str, tuple[Any, ...]] = {}
        for f in self.fields:
            self.by_fold.setdefault(f[0].upper(), f)


STRUCTS: dict[str, _Struct] = {k: _Struct(k, d[1], d[2], d[3]) for k, d in TYPES.items() if d[0] == "struct"}


# ---------------------------------------------------------------------------------------------
# Special types


RFC3339 = gotime.RFC3339


class _GoTypeError(Exception):
    """An ``*UnmarshalTypeError`` raised by a nested ``json.Unmarshal`` (context added later)."""

    def __init__(self, value: str, gotype: str) -> None:
        super().__init__(value)
        self.value = value
        self.gotype = gotype


class _Abort(Exception):
    """An error returned by a custom unmarshaler: decoding stops at once."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _json_kind(v: Any) -> str:
    """The ``Value`` word of an ``UnmarshalTypeError`` for a JSON value."""
    c = v.__class__
    if c is str:
        return "string"
    if c is bool:
        return "bool"
    if c is int or c is float:
        return "number"
    if c is list:
        return "array"
    if c is dict:
        return "object"
    return "null"


def number_text(v: int | float) -> str:
    """The JSON text of a number the decoder reads, for a number held as a Python int/float.

    A Python float stands for the text Python's ``json`` writes (``1.0``, ``1e+22``): the
    patch functions keep number texts as jsonpatch does, and give back an int where Go would
    have written an integer (a float64 re-encoded by a strategic merge).
    """
    if v.__class__ is int:
        return str(v)
    return repr(float(v))


def raw_text(v: Any) -> str:
    """The raw JSON bytes an ``UnmarshalJSON`` method receives for ``v`` (Go escaping)."""
    c = v.__class__
    if c is str:
        return quote_json(v)
    if c is bool:
        return "true" if v else "false"
    if c is int or c is float:
        return number_text(v)
    if v is None:
        return "null"
    return typed_json(v)


_GO_SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                      "\u200a\u2028\u2029\u202f\u205f\u3000")


def _trim_space(s: str) -> str:
    """strings.TrimSpace (Unicode White_Space)."""
    i, j = 0, len(s)
    while i < j and s[i] in _GO_SPACE:
        i += 1
    while j > i and s[j - 1] in _GO_SPACE:
        j -= 1
    return s[i:j]


def quantity_unmarshal(v: Any) -> Quantity | None:
    """``(*resource.Quantity).UnmarshalJSON``: ``None`` is the zero Quantity (``null``)."""
    if v is None:
        return None
    text = raw_text(v)
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1]
    try:
        return parse_quantity(_trim_space(text))
    except QuantityError as e:
        raise _Abort(str(e)) from None


def quantity_marshal(q: Quantity | None) -> str:
    """``Quantity.MarshalJSON`` as a string value (the cached original text when Go keeps one)."""
    if q is None:
        return "0"
    if q.s:
        return q.s
    return q.copy().string()


_QCACHE: dict[str, str] = {}


def quantity_canonical(s: str) -> str:
    """The typed form of a quantity given as a JSON string (cached; raises ``_Abort``)."""
    r = _QCACHE.get(s)
    if r is None:
        r = quantity_marshal(quantity_unmarshal(s))
        if len(_QCACHE) > 4096:
            _QCACHE.clear()
        _QCACHE[s] = r
    return r


def time_unmarshal(v: Any) -> gotime.GoTime | None:
    """``(*metav1.Time).UnmarshalJSON``; ``None`` is the zero time."""
    if v is None:
        return None
    if v.__class__ is not str:
        raise _GoTypeError(_json_kind(v), "string")
    try:
        t = gotime.parse(RFC3339, v)
    except GoError as e:
        raise _Abort(str(e)) from None
    return t


def time_marshal(t: gotime.GoTime | None) -> str | None:
    """``metav1.Time.MarshalJSON``: ``null`` for the zero time, else RFC 3339 seconds in UTC."""
    if t is None or t.is_zero():
        return None
    return t.utc().format(RFC3339)


_TCACHE: dict[str, str | None] = {}
_CANON_TIME = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ\Z")


def time_canonical(s: str) -> str | None:
    """The typed form of a timestamp string (cached; raises ``_Abort``)."""
    r = _TCACHE.get(s, _TCACHE)
    if r is _TCACHE:
        r = time_marshal(time_unmarshal(s))
        if len(_TCACHE) > 4096:
            _TCACHE.clear()
        _TCACHE[s] = r
    return r  # type: ignore[return-value]


def intorstr_unmarshal(v: Any) -> tuple[bool, Any]:
    """``(*intstr.IntOrString).UnmarshalJSON`` → (is string, value)."""
    if v.__class__ is str:
        return True, v
    if v is None:
        return False, 0
    if v.__class__ is int or v.__class__ is float:
        text = number_text(v)
        try:
            n = int(text, 10) if re.fullmatch(r"-?\d+", text) else None
        except ValueError:
            n = None
        lo, hi = _I_RANGE[32]
        if n is None or not lo <= n <= hi:
            raise _GoTypeError("number " + text, "int32")
        return False, n
    raise _GoTypeError(_json_kind(v), "int32")


def json_copy(v: Any) -> Any:
    """A deep copy of a plain JSON tree."""
    c = v.__class__
    if c is dict:
        return {k: json_copy(x) for k, x in v.items()}
    if c is list:
        return [json_copy(x) for x in v]
    return v


# ---------------------------------------------------------------------------------------------
# Reference decoder: json.Unmarshal into the Go value model, with Go's error semantics.
#
# Go value model: struct → dict of the fields set (json name → value); pointer, slice, map →
# None when nil; Quantity → Quantity|None; Time → GoTime|None; IntOrString → (is_str, value);
# FieldsV1 → the raw JSON value.


class _Decoder:
    """One ``json.Unmarshal`` call: error context and the first saved error.

    ``fold``: match field names case-insensitively (encoding/json); the API server's decoder
    (sigs.k8s.io/json) matches them exactly.
    """

    def __init__(self, fold: bool = True) -> None:
        self.fold = fold
        self.struct: str | None = None  # errorContext.Struct.Name()
        self.stack: list[str] = []  # errorContext.FieldStack
        self.saved: str | None = None

    def type_error(self, value: str, gotype: str, field: str = "") -> str:
        """``UnmarshalTypeError.Error()`` after ``addErrorContext``."""
        if self.struct is not None or self.stack:
            stack = [*self.stack, field] if field else self.stack
            return (f"json: cannot unmarshal {value} into Go struct field {self.struct or ''}."
                    f"{'.'.join(stack)} of type {gotype}")
        return f"json: cannot unmarshal {value} into Go value of type {gotype}"

    def save(self, value: str, gotype: str) -> None:
        if self.saved is None:
            self.saved = self.type_error(value, gotype)

    def decode(self, v: Any, key: str, cur: Any) -> Any:
        """Decode JSON value ``v`` into a Go value of type ``key`` currently holding ``cur``."""
        d = TYPES[key]
        kind = d[0]
        if kind == "ptr":
            if v is None:
                return None
            if cur is None:
                cur = self.zero(d[2])
            return self.decode(v, d[2], cur)  # into the existing pointee, as indirect() does
        if kind == "special":
            return self.decode_special(v, d[2], cur)
        if v is None:
            if kind in ("slice", "map", "bytes", "interface"):
                return None
            return cur  # null into a primitive or struct: ignored
        if kind == "struct":
            if v.__class__ is not dict:
                self.save(_json_kind(v), d[1])
                return cur
            return self.decode_struct(v, STRUCTS[key], cur)
        if kind == "slice":
            if v.__class__ is not list:
                self.save(_json_kind(v), d[1])
                return cur
            old = cur if cur is not None else []
            items = []
            for i, x in enumerate(v):
                prev = old[i] if i < len(old) else self.zero(d[2])  # Go decodes into the old element
                items.append(self.decode(x, d[2], prev))
            return items
        if kind == "map":
            if v.__class__ is not dict:
                self.save(_json_kind(v), d[1])
                return cur
            out = dict(cur) if cur is not None else {}
            for k, x in v.items():
                out[k] = self.decode(x, d[3], self.zero(d[3]))
            return out
        if kind == "string":
            if v.__class__ is str:
                return v
            self.save(_json_kind(v), d[1])
            return cur
        if kind == "bool":
            if v.__class__ is bool:
                return v
            self.save(_json_kind(v), d[1])
            return cur
        if kind in ("int", "uint"):
            if v.__class__ is int or v.__class__ is float:
                text = number_text(v)
                n: int | None = None
                if re.fullmatch(r"-?\d+" if kind == "int" else r"\d+", text):
                    n = int(text)
                    if kind == "int":
                        lo, hi = _I_RANGE[d[2]]
                    else:
                        lo, hi = 0, _U_RANGE[d[2]]
                    if not lo <= n <= hi:
                        n = None
                if n is None:
                    self.save("number " + text, d[1])
                    return cur
                return n
            self.save(_json_kind(v), d[1])
            return cur
        if kind == "float":
            if v.__class__ is int or v.__class__ is float:
                return float(v)
            self.save(_json_kind(v), d[1])
            return cur
        raise AssertionError(f"type kind {kind}")  # pragma: no cover - not in the schema

    def decode_special(self, v: Any, which: str, cur: Any) -> Any:
        try:
            if which == "Quantity":
                return quantity_unmarshal(v)
            if which == "Time":
                return time_unmarshal(v)
            if which == "IntOrString":
                return intorstr_unmarshal(v)
            if which == "FieldsV1":
                return json_copy(v) if v is not None else cur
        except _GoTypeError as e:
            raise _Abort(self.type_error(e.value, e.gotype)) from None
        raise AssertionError(f"special type {which}")  # pragma: no cover

    def decode_struct(self, v: dict[str, Any], st: _Struct, cur: Any) -> dict[str, Any]:
        out = dict(cur) if cur is not None else {}
        orig_struct, orig_len = self.struct, len(self.stack)
        for k, x in v.items():
            f = st.by_name.get(k)
            if f is None:
                fk = fold_name(k) if self.fold else None
                f = st.by_fold.get(fk) if fk is not None else None
                if f is None:
                    continue
            self.stack.extend(f[4])
            self.struct = st.name
            self.stack.append(f[0])
            out[f[0]] = self.decode(x, f[1], out[f[0]] if f[0] in out else self.zero(f[1]))
            del self.stack[orig_len:]
            self.struct = orig_struct
        return out

    @staticmethod
    def zero(key: str) -> Any:
        """The Go zero value of ``key`` in the value model."""
        d = TYPES[key]
        kind = d[0]
        if kind == "struct":
            return {}
        if kind == "string":
            return ""
        if kind == "bool":
            return False
        if kind in ("int", "uint"):
            return 0
        if kind == "float":
            return 0.0
        if kind == "special":
            return {"IntOrString": (False, 0)}.get(d[2])
        return None


_UNSET = object()


# ---------------------------------------------------------------------------------------------
# Encoder: json.Marshal of the Go value model.


def _is_empty(key: str, v: Any) -> bool:
    d = TYPES[key]
    kind = d[0]
    if kind in ("struct", "special"):
        return False
    if kind in ("ptr", "interface"):
        return v is None
    if kind in ("slice", "map", "bytes"):
        return v is None or len(v) == 0
    return not v  # "", 0, False


def _is_zero(key: str, v: Any) -> bool:
    """``omitzero``: the type's ``IsZero`` method (metav1.Time, Quantity) or reflect's IsZero."""
    d = TYPES[key]
    if d[0] == "special":
        if d[2] == "Time":
            return v is None or v.is_zero()
        if d[2] == "Quantity":
            return v is None or v.is_zero()
        if d[2] == "IntOrString":
            return v == (False, 0)
        return v is None
    if d[0] == "struct":  # pragma: no cover - no omitzero struct without IsZero in the schema
        raise AssertionError(key)
    return _is_empty(key, v)


def encode(key: str, v: Any) -> Any:
    """The JSON value ``json.Marshal`` writes for Go value ``v`` of type ``key``."""
    d = TYPES[key]
    kind = d[0]
    if kind == "struct":
        st = STRUCTS[key]
        out: dict[str, Any] = {}
        for name, fkey, omitempty, omitzero, _emb, _s, _m in st.fields:
            x = v.get(name, _UNSET) if v else _UNSET
            if x is _UNSET:
                x = _Decoder.zero(fkey)
            if omitempty and _is_empty(fkey, x):
                continue
            if omitzero and _is_zero(fkey, x):
                continue
            out[name] = encode(fkey, x)
        return out
    if kind == "ptr":
        return None if v is None else encode(d[2], v)
    if kind == "slice":
        return None if v is None else [encode(d[2], x) for x in v]
    if kind == "map":
        return None if v is None else {k: encode(d[3], v[k]) for k in sorted(v)}
    if kind == "special":
        which = d[2]
        if which == "Quantity":
            return quantity_marshal(v)
        if which == "Time":
            return time_marshal(v)
        if which == "IntOrString":
            return v[1]
        if which == "FieldsV1":
            return json_copy(v)
        raise AssertionError(which)  # pragma: no cover
    return v


DECODERS = ("encoding/json", "k8s")


def typed_view_reference(obj: Any, kind: str, *, decoder: str = "encoding/json") -> dict[str, Any]:
    """:func:`typed_view` by the reference decoder (always exact, slower)."""
    key = ROOTS.get(kind)
    if key is None:
        raise KwokbookError(f"typed_view: kind must be one of {sorted(ROOTS)}, got {kind!r}")
    if decoder not in DECODERS:
        raise KwokbookError(f"typed_view: decoder must be one of {DECODERS}, got {decoder!r}")
    dec = _Decoder(fold=decoder == "encoding/json")
    try:
        val = dec.decode(obj, key, {})
    except _Abort as e:
        raise TypedError(e.message) from None
    if dec.saved is not None:
        raise TypedError(dec.saved)
    out = encode(key, val)
    assert isinstance(out, dict)
    return out


# ---------------------------------------------------------------------------------------------
# Fast path: one generated function per struct type, for well-typed input.


class _Slow(Exception):
    """The fast path met something it does not handle; the reference decoder takes over."""


def _zero_builder(key: str) -> Callable[[], Any]:
    """A function returning a fresh encoding of the zero value of ``key``."""
    enc = encode(key, _Decoder.zero(key))
    if enc.__class__ is dict:
        return lambda: json_copy(enc)
    return lambda: enc


class _Gen:
    """Generates the fast-path source for every struct type."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.ns: dict[str, Any] = {
            "_Slow": _Slow, "quantity_canonical": quantity_canonical, "time_canonical": time_canonical,
            "json_copy": json_copy, "fold_name": fold_name, "_Abort": _Abort, "_QC": _QCACHE, "_TC": _TCACHE,
        }
        self.ids: dict[str, str] = {}

    def ident(self, key: str) -> str:
        i = self.ids.get(key)
        if i is None:
            i = f"_t{len(self.ids)}"
            self.ids[key] = i
        return i

    def const(self, value: Any) -> str:
        name = f"_c{len(self.ns)}"
        self.ns[name] = value
        return name

    def conv(self, key: str, x: str, depth: int) -> str | None:
        """An expression converting JSON value ``x`` (not None) of type ``key``; None: use a call."""
        d = TYPES[key]
        kind = d[0]
        if kind == "string":
            return f"({x} if {x}.__class__ is str else _slow())"
        if kind == "bool":
            return f"({x} if {x}.__class__ is bool else _slow())"
        if kind in ("int", "uint"):
            lo, hi = _I_RANGE[d[2]] if kind == "int" else (0, _U_RANGE[d[2]])
            return f"({x} if {x}.__class__ is int and {lo} <= {x} <= {hi} else _slow())"
        if kind == "struct":
            return f"{self.ident(key)}({x})"
        if kind == "special":
            which = d[2]
            if which == "Quantity":
                return (f"((_QC[{x}] if {x} in _QC else quantity_canonical({x})) if {x}.__class__ is str "
                        "else _slow())")
            if which == "Time":
                return (f"((_TC[{x}] if {x} in _TC else time_canonical({x})) if {x}.__class__ is str "
                        "else _slow())")
            if which == "IntOrString":
                return (f"({x} if {x}.__class__ is str or ({x}.__class__ is int and "
                        f"-2147483648 <= {x} <= 2147483647) else _slow())")
            if which == "FieldsV1":
                return f"json_copy({x})"
        return None

    def zero_expr(self, key: str) -> str:
        """An expression for a fresh encoding of the zero value of ``key``."""
        zero = encode(key, _Decoder.zero(key))
        if zero.__class__ is dict:
            return "{}" if not zero else f"{self.const(_zero_builder(key))}()"
        return repr(zero)

    def conv_nullable(self, key: str, x: str, depth: int) -> str:
        """Expression for a JSON value ``x`` that may be None (null → the Go zero's encoding)."""
        d = TYPES[key]
        kind = d[0]
        if kind == "ptr":
            inner = self.conv_nullable(d[2], x, depth)
            return f"(None if {x} is None else {inner})"
        if kind == "slice":
            e = f"_e{depth}"
            inner = self.conv_nullable(d[2], e, depth + 1)
            return (f"(None if {x} is None else ([{inner} for {e} in {x}] if {x}.__class__ is list "
                    f"else _slow()))")
        if kind == "map":
            e = f"_k{depth}"
            inner = self.conv_nullable(d[3], f"{x}[{e}]", depth + 1)
            return (f"(None if {x} is None else ({{{e}: {inner} for {e} in sorted({x})}} "
                    f"if {x}.__class__ is dict else _slow()))")
        conv = self.conv(key, x, depth)
        if conv is None:  # pragma: no cover - every schema kind is handled above
            raise AssertionError(key)
        return f"({self.zero_expr(key)} if {x} is None else {conv})"

    def struct(self, key: str) -> None:
        st = STRUCTS[key]
        fn = self.ident(key)
        names = self.const(frozenset(st.by_name))
        folds = self.const(frozenset(st.by_fold))
        L = self.lines
        L.append(f"def {fn}(v):")
        L.append("    if v.__class__ is not dict:")
        L.append("        if v is None:")
        L.append(f"            return {self.zero_expr(key)}")
        L.append("        raise _Slow")
        L.append(f"    if not {names}.issuperset(v):")
        L.append("        for k in v:")
        L.append(f"            if k not in {names} and fold_name(k) in {folds}:")
        L.append("                raise _Slow")
        L.append("    o = {}")
        for name, fkey, omitempty, omitzero, _emb, _s, _m in st.fields:
            d = TYPES[fkey]
            kind = d[0]
            nm = repr(name)
            expr = self.conv_nullable(fkey, "x", 0)
            if omitzero:
                # only metav1.Time has omitzero in the schema: zero time → omitted
                if not (kind == "special" and d[2] == "Time"):  # pragma: no cover
                    raise AssertionError(f"omitzero on {fkey}")
                L.append(f"    if {nm} in v:")
                L.append(f"        x = v[{nm}]")
                L.append("        if x is not None:")
                L.append(f"            y = {expr}")
                L.append("            if y is not None:")
                L.append(f"                o[{nm}] = y")
                continue
            if omitempty and kind not in ("struct", "special"):
                L.append(f"    if {nm} in v:")
                L.append(f"        x = v[{nm}]")
                if kind == "string":
                    L.append("        if x.__class__ is str:")
                    L.append("            if x:")
                    L.append(f"                o[{nm}] = x")
                    L.append("        elif x is not None:")
                    L.append("            raise _Slow")
                elif kind in ("bool", "int", "uint", "float"):
                    L.append("        if x is not None:")
                    L.append(f"            y = {self.conv(fkey, 'x', 0)}")
                    L.append("            if y:")
                    L.append(f"                o[{nm}] = y")
                elif kind == "ptr":
                    L.append("        if x is not None:")
                    L.append(f"            o[{nm}] = {self.conv_nullable(d[2], 'x', 0)}")
                else:  # slice, map: empty → omitted
                    L.append("        if x:")
                    L.append(f"            o[{nm}] = {expr}")
                    cls = "list" if kind == "slice" else "dict"
                    L.append(f"        elif x is not None and x.__class__ is not {cls}:")
                    L.append("            raise _Slow")
                continue
            if kind == "string":
                L.append(f"    x = v.get({nm})")
                L.append(f"    o[{nm}] = x if x.__class__ is str else ('' if x is None else _slow())")
                continue
            L.append(f"    x = v.get({nm})")
            L.append(f"    o[{nm}] = {expr}")
        L.append("    return o")
        L.append("")

    def build(self) -> dict[str, Callable[[Any], dict[str, Any]]]:
        for key in STRUCTS:
            self.ident(key)
        for key in STRUCTS:
            self.struct(key)
        src = "def _slow():\n    raise _Slow\n\n" + "\n".join(self.lines)
        exec(compile(src, "<kwokbook.k8s.typed fast path>", "exec"), self.ns)
        return {key: self.ns[self.ident(key)] for key in STRUCTS}


_FAST = _Gen().build()


def typed_view(obj: Any, kind: str, *, decoder: str = "encoding/json") -> dict[str, Any]:
    """``json.Marshal`` of ``obj`` after ``json.Unmarshal`` into ``corev1.<kind>`` (Pod or Node).

    Returns a fresh tree (nothing shared with ``obj``) whose dicts are in Go's key order.
    Raises :class:`TypedError` with Go's message when the object does not decode.
    ``decoder="k8s"``: the API server's decoder (sigs.k8s.io/json), which matches field names
    case-sensitively; the default is encoding/json, what KWOK's controllers use.
    """
    key = ROOTS.get(kind)
    if key is None:
        raise KwokbookError(f"typed_view: kind must be one of {sorted(ROOTS)}, got {kind!r}")
    if obj.__class__ is dict:
        try:
            return _FAST[key](obj)  # a key that only folds to a field name leaves the fast path
        except (_Slow, _Abort):
            pass
    return typed_view_reference(obj, kind, decoder=decoder)


# ---------------------------------------------------------------------------------------------
# Go's bytes


def typed_json(v: Any) -> str:
    """``json.Marshal`` text of a JSON tree, keeping dict order (a typed view's order is Go's)."""
    out: list[str] = []
    _text(v, out)
    return "".join(out)


def _text(v: Any, out: list[str]) -> None:
    c = v.__class__
    if c is str:
        out.append(quote_json(v))
    elif c is dict:
        out.append("{")
        first = True
        for k, x in v.items():
            if not first:
                out.append(",")
            first = False
            out.append(quote_json(k))
            out.append(":")
            _text(x, out)
        out.append("}")
    elif c is list:
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            _text(x, out)
        out.append("]")
    elif v is None:
        out.append("null")
    elif c is bool:
        out.append("true" if v else "false")
    elif c is int:
        out.append(str(v))
    elif c is float:
        out.append(format_json_float(v))
    else:
        raise TypeError(f"typed_json: not a JSON value: {v!r}")


# ---------------------------------------------------------------------------------------------
# KWOK's no-op check


def check_need_patch(snapshot: Any, patch: Any, patch_type: str, kind: str, *, typed: bool = False) -> bool:
    """KWOK's ``checkNeedPatchWithTyped``: would this patch change the typed snapshot?

    ``snapshot`` is the object the controller holds: any JSON of a Pod/Node, whose typed view is
    taken first (as the informer's ``*corev1.Pod`` is), or, with ``typed=True``, an existing
    typed view (not modified). JSON patches are applied to Go's bytes and compared byte for
    byte, so a field unknown to the struct counts as a change (and so does moving a key to the
    end); merge and strategic results go through the struct again first, so they do not.
    Raises :class:`~kwokbook.k8s.patch.PatchError` or :class:`TypedError` with the text KWOK
    wraps in ``failed to check need patch for pod <name>: …``.
    """
    from .patch import json_patch, merge_patch, normalize_patch_type, strategic_merge_patch

    original = snapshot if typed else typed_view(snapshot, kind)
    t = normalize_patch_type(patch_type)
    if t == "json":
        work = json_copy(original)  # private: the patch is applied in place
        return not _same_json(json_patch(work, patch, impl="kwok", copy=False), original)
    work = copy_on_patch_path(original, patch)
    if t == "merge":
        patched = merge_patch(work, patch, impl="kwok", copy=False)
    elif t == "strategic":
        patched = strategic_merge_patch(work, patch, kind, impl="kwok", copy=False)
    else:
        raise KwokbookError(f"unknown patch type {patch_type}")
    # both sides are typed views (Go's field order, sorted maps, schema-typed scalars): == is
    # byte equality of their encodings
    return typed_view(patched, kind) != original


def copy_on_patch_path(orig: Any, patch: Any) -> Any:
    """A copy of ``orig`` that a merge or strategic merge of ``patch`` may edit in place.

    Both only edit the maps on the patch's own paths and the lists those name (strategic merge
    rewrites list elements in place; ``$setElementOrder``/``$deleteFromPrimitiveList`` name a
    list too). Those are copied; every other subtree is shared with ``orig``.
    """
    if orig.__class__ is not dict or patch.__class__ is not dict:
        return json_copy(orig)
    out = dict(orig)
    for k, pv in patch.items():
        if k.startswith("$"):
            name = k.split("/", 1)[1] if "/" in k else None
            if name is not None and name in out:
                out[name] = json_copy(out[name])
            continue
        ov = out.get(k)
        if ov.__class__ is dict and pv.__class__ is dict:
            out[k] = copy_on_patch_path(ov, pv)
        elif ov.__class__ is list:
            out[k] = json_copy(ov)
    return out


def _same_json(a: Any, b: Any) -> bool:
    """Whether two JSON trees encode to the same bytes (key order and number types count)."""
    ca = a.__class__
    if ca is not b.__class__:
        return False
    if ca is dict:
        if len(a) != len(b) or list(a) != list(b):
            return False
        return all(_same_json(x, b[k]) for k, x in a.items())
    if ca is list:
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class TypedCache:
    """Typed views of objects that are only ever replaced, never edited, keyed by version.

    The simulator's store gives every committed object a new ``resourceVersion``; views are
    kept per (kind, namespace, name, uid, resourceVersion), so an event for a stored object costs
    one dict lookup. Returned views are shared: treat them as read-only (copy before editing).
    Objects without a resourceVersion are converted every time.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._views: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
        self.hits = 0
        self.misses = 0

    def view(self, obj: Any, kind: str) -> dict[str, Any]:
        meta = obj.get("metadata") if obj.__class__ is dict else None
        if meta.__class__ is not dict:
            return typed_view(obj, kind)
        assert isinstance(meta, dict)
        rv = meta.get("resourceVersion")
        if rv.__class__ is not str or not rv:
            return typed_view(obj, kind)
        key = (kind, str(meta.get("namespace") or ""), str(meta.get("name") or ""),
               str(meta.get("uid") or ""), rv)
        v = self._views.get(key)
        if v is not None:
            self.hits += 1
            return v
        self.misses += 1
        v = typed_view(obj, kind)
        if len(self._views) >= self.size:
            self._views.pop(next(iter(self._views)))
        self._views[key] = v
        return v

    def clear(self) -> None:
        self._views.clear()

"""Check-time CEL types (cel-go ``common/types.Type``) and the checker's unification rules.

Ported from cel-go v0.26.0 ``common/types/types.go`` and ``checker/types.go`` so that overload
resolution, ``dyn`` propagation and the type names in error messages ("found no matching overload
for '_==_' applied to '(int, double)'") come out as in KWOK.
"""

from __future__ import annotations

from collections.abc import Callable

# Kinds (names only matter internally).
DYN, ANY, ERROR, BOOL, BYTES, DOUBLE, DURATION, INT, LIST, MAP, NULL, OPAQUE, STRING, STRUCT = (
    "dyn",
    "any",
    "error",
    "bool",
    "bytes",
    "double",
    "duration",
    "int",
    "list",
    "map",
    "null",
    "opaque",
    "string",
    "struct",
)
TIMESTAMP, TYPE, TYPEPARAM, UINT, UNSPECIFIED = "timestamp", "type", "typeparam", "uint", "unspecified"


class CelType:
    """A CEL type: kind, runtime type name, parameters, optional custom assignability."""

    __slots__ = ("kind", "name", "nullable", "params")

    def __init__(
        self, kind: str, name: str, params: tuple[CelType, ...] = (), nullable: bool = False
    ) -> None:
        self.kind = kind
        self.name = name  # runtimeTypeName
        self.params = params
        self.nullable = nullable  # cel.NullableType(...) wrapper

    def __repr__(self) -> str:
        return f"CelType({self.string()})"

    def is_dyn(self) -> bool:
        return self.kind in (DYN, ANY, TYPEPARAM)

    def is_exact(self, other: CelType) -> bool:
        if self is other:
            return True
        if self.kind != other.kind or self.name != other.name or len(self.params) != len(other.params):
            return False
        return all(a.is_exact(b) for a, b in zip(self.params, other.params))

    def is_assignable_type(self, from_t: CelType) -> bool:
        if self.nullable and (from_t.kind == NULL or from_t is NULL_T):
            return True
        if self is from_t or self.is_dyn():
            return True
        if self.kind != from_t.kind or self.name != from_t.name or len(self.params) != len(from_t.params):
            return False
        return all(tp.is_assignable_type(fp) for tp, fp in zip(self.params, from_t.params))

    def declared_name(self) -> str:
        if self.kind != NULL and not self.is_dyn() and self.is_assignable_type(NULL_T):
            return f"wrapper({self.name})"
        return self.name

    def string(self) -> str:
        if self.kind == TYPEPARAM:
            return f"<{self.declared_name()}>"
        if not self.params:
            return self.declared_name()
        return f"{self.declared_name()}({', '.join(p.string() for p in self.params)})"


DYN_T = CelType(DYN, "dyn")
ERROR_T = CelType(ERROR, "error")
BOOL_T = CelType(BOOL, "bool")
BYTES_T = CelType(BYTES, "bytes")
DOUBLE_T = CelType(DOUBLE, "double")
DURATION_T = CelType(DURATION, "google.protobuf.Duration")
INT_T = CelType(INT, "int")
NULL_T = CelType(NULL, "null_type")
STRING_T = CelType(STRING, "string")
TIMESTAMP_T = CelType(TIMESTAMP, "google.protobuf.Timestamp")
TYPE_T = CelType(TYPE, "type")
UINT_T = CelType(UINT, "uint")


def list_of(elem: CelType) -> CelType:
    return CelType(LIST, "list", (elem,))


def map_of(k: CelType, v: CelType) -> CelType:
    return CelType(MAP, "map", (k, v))


def type_of(param: CelType | None = None) -> CelType:
    return CelType(TYPE, "type", (param,) if param is not None else ())


def type_param(name: str) -> CelType:
    return CelType(TYPEPARAM, name)


def struct(name: str, nullable: bool = False) -> CelType:
    return CelType(STRUCT, name, nullable=nullable)


def opaque(name: str, *params: CelType) -> CelType:
    return CelType(OPAQUE, name, tuple(params))


def function_type(result: CelType, *args: CelType) -> CelType:
    return opaque("function", result, *args)


def format_type(t: CelType | None) -> str:
    """checker.FormatCELType."""
    if t is None:
        return ""
    k = t.kind
    if k == ANY:
        return "any"
    if k == DURATION:
        return "duration"
    if k == ERROR:
        return "!error!"
    if k == NULL:
        return "null"
    if k == TIMESTAMP:
        return "timestamp"
    if k == TYPEPARAM:
        return t.name
    if k == OPAQUE and t.name == "function":
        return format_function(t.params[0], list(t.params[1:]), False)
    if not t.params:
        return t.declared_name()
    return f"{t.name}({', '.join(format_type(p) for p in t.params)})"


def format_function(result: CelType | None, args: list[CelType], instance: bool) -> str:
    out = ""
    if instance:
        out += format_type(args[0]) + "."
        args = args[1:]
    out += "(" + ", ".join(format_type(a) for a in args) + ")"
    rt = format_type(result)
    if rt:
        out += " -> " + rt
    return out


# -- unification (checker/types.go) -----------------------------------------------------------


class Mapping:
    """Type-parameter substitutions, copied on every tentative assignment like cel-go's mapping."""

    __slots__ = ("subs",)

    def __init__(self, subs: dict[str, CelType] | None = None) -> None:
        self.subs: dict[str, CelType] = subs if subs is not None else {}

    def copy(self) -> Mapping:
        return Mapping(dict(self.subs))

    def find(self, t: CelType) -> CelType | None:
        return self.subs.get(t.string())

    def add(self, t: CelType, sub: CelType) -> None:
        self.subs[t.string()] = sub


def is_dyn(t: CelType) -> bool:
    return t.kind in (DYN, ANY)


def is_dyn_or_error(t: CelType) -> bool:
    return t.kind == ERROR or is_dyn(t)


def is_equal_or_less_specific(t1: CelType, t2: CelType) -> bool:
    k1, k2 = t1.kind, t2.kind
    if is_dyn(t1) or k1 == TYPEPARAM:
        return True
    if is_dyn(t2) or k2 == TYPEPARAM:
        return False
    if k1 != k2:
        return False
    if k1 == OPAQUE:
        if t1.name != t2.name or len(t1.params) != len(t2.params):
            return False
        return all(is_equal_or_less_specific(a, b) for a, b in zip(t1.params, t2.params))
    if k1 == LIST:
        return is_equal_or_less_specific(t1.params[0], t2.params[0])
    if k1 == MAP:
        return is_equal_or_less_specific(t1.params[0], t2.params[0]) and is_equal_or_less_specific(
            t1.params[1], t2.params[1]
        )
    if k1 == TYPE:
        return True
    return t1.is_exact(t2)


def _is_legacy_nullable(t: CelType) -> bool:
    return t.kind in (OPAQUE, STRUCT, ANY, DURATION, TIMESTAMP)


def _is_assignable_null(t: CelType) -> bool:
    return _is_legacy_nullable(t) or t.is_assignable_type(NULL_T)


def internal_is_assignable(m: Mapping, t1: CelType, t2: CelType) -> bool:
    k1, k2 = t1.kind, t2.kind
    if k2 == TYPEPARAM:
        valid, has_sub = _is_valid_substitution(m, t1, t2)
        if valid:
            return True
        if not valid and has_sub:
            return False
    if k1 == TYPEPARAM:
        valid, _ = _is_valid_substitution(m, t2, t1)
        return valid
    if is_dyn_or_error(t1) or is_dyn_or_error(t2):
        return True
    if k1 == NULL:
        return _is_assignable_null(t2)
    if k2 == NULL:
        return _is_assignable_null(t1)
    if k1 in (BOOL, BYTES, DOUBLE, INT, STRING, UINT, ANY, DURATION, TIMESTAMP, STRUCT):
        return t2.is_assignable_type(t1)
    if k1 == TYPE:
        return k2 == TYPE
    if k1 in (OPAQUE, LIST, MAP):
        return k1 == k2 and t1.name == t2.name and internal_is_assignable_list(m, t1.params, t2.params)
    return False


def _is_valid_substitution(m: Mapping, t1: CelType, t2: CelType) -> tuple[bool, bool]:
    if t1.kind == t2.kind and t1.is_exact(t2):
        return True, True
    t2sub = m.find(t2)
    if t2sub is not None:
        if t1.kind == t2sub.kind and t1.is_exact(t2sub):
            return True, True
        if internal_is_assignable(m, t1, t2sub):
            t2new = most_general(t1, t2sub)
            if not_referenced_in(m, t2, t2new):
                m.add(t2, t2new)
            return True, True
        return False, True
    if not_referenced_in(m, t2, t1):
        m.add(t2, t1)
        return True, False
    return False, False


def internal_is_assignable_list(
    m: Mapping, l1: tuple[CelType, ...] | list[CelType], l2: tuple[CelType, ...] | list[CelType]
) -> bool:
    if len(l1) != len(l2):
        return False
    return all(internal_is_assignable(m, a, b) for a, b in zip(l1, l2))


def most_general(t1: CelType, t2: CelType) -> CelType:
    return t1 if is_equal_or_less_specific(t1, t2) else t2


def not_referenced_in(m: Mapping, t: CelType, within: CelType) -> bool:
    if t.is_exact(within):
        return False
    k = within.kind
    if k == TYPEPARAM:
        sub = m.find(within)
        if sub is None:
            return True
        return not_referenced_in(m, t, sub)
    if k in (OPAQUE, LIST, MAP, TYPE):
        return all(not_referenced_in(m, t, p) for p in within.params)
    return True


def substitute(m: Mapping, t: CelType, to_dyn: bool) -> CelType:
    sub = m.find(t)
    if sub is not None:
        return substitute(m, sub, to_dyn)
    k = t.kind
    if to_dyn and k == TYPEPARAM:
        return DYN_T
    if k == OPAQUE:
        return CelType(OPAQUE, t.name, tuple(substitute(m, p, to_dyn) for p in t.params))
    if k == LIST:
        return list_of(substitute(m, t.params[0], to_dyn))
    if k == MAP:
        return map_of(substitute(m, t.params[0], to_dyn), substitute(m, t.params[1], to_dyn))
    if k == TYPE and t.params:
        return type_of(substitute(m, t.params[0], to_dyn))
    return t


def is_assignable(m: Mapping, t1: CelType, t2: CelType) -> Mapping | None:
    mc = m.copy()
    if internal_is_assignable(mc, t1, t2):
        return mc
    return None


def is_assignable_list(m: Mapping, l1: list[CelType], l2: list[CelType]) -> Mapping | None:
    mc = m.copy()
    if internal_is_assignable_list(mc, l1, l2):
        return mc
    return None


# -- function declarations ----------------------------------------------------------------------


class Overload:
    """One overload declaration; ``params`` names the type parameters it uses."""

    __slots__ = ("args", "id", "member", "result", "type_params")

    def __init__(self, oid: str, args: list[CelType], result: CelType, member: bool = False) -> None:
        self.id = oid
        self.args = args
        self.result = result
        self.member = member
        tps: list[str] = []

        def collect(t: CelType) -> None:
            if t.kind == TYPEPARAM and t.name not in tps:
                tps.append(t.name)
            for p in t.params:
                collect(p)

        for a in [*args, result]:
            collect(a)
        self.type_params = tps


FunctionTable = dict[str, list[Overload]]
TypeFactory = Callable[[], CelType]

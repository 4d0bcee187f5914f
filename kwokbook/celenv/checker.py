"""cel-go's type checker (checker/checker.go) over KWOK's declarations.

KWOK compiles with easycel, which always type-checks: ``1 == 1.0`` or ``SinceSecond(self)`` (self
is ``map(string, dyn)``) are compile errors, ``self.a == 1.0`` is not. Declarations are cel-go's
standard library plus what ``pkg/utils/cel`` registers through easycel (``Now``, ``Rand``,
``SinceSecond``, ``UnixSecond``, ``Quantity`` and the Quantity/ResourceList operator overloads).
"""

from __future__ import annotations

from . import types as T
from .ast import Bad, Call, Comp, Expr, Ident, ListE, Lit, MapE, Select, StructE
from .types import CelType, Mapping, Overload

A = T.type_param("A")
B = T.type_param("B")
LIST_A = T.list_of(A)
MAP_AB = T.map_of(A, B)
QUANTITY = T.struct("cel.Quantity")
RESOURCE_LIST = T.struct("cel.ResourceList")
NODE_PTR = T.struct("v1.Node", nullable=True)
POD_PTR = T.struct("v1.Pod", nullable=True)

_NUM = {"int": T.INT_T, "uint": T.UINT_T, "double": T.DOUBLE_T}


def _o(oid: str, args: list[CelType], result: CelType, member: bool = False) -> Overload:
    return Overload(oid, args, result, member)


def _std_functions() -> dict[str, list[Overload]]:
    b, i, u, d, s, by = T.BOOL_T, T.INT_T, T.UINT_T, T.DOUBLE_T, T.STRING_T, T.BYTES_T
    ts, du, dyn = T.TIMESTAMP_T, T.DURATION_T, T.DYN_T
    f: dict[str, list[Overload]] = {}
    f["_?_:_"] = [_o("conditional", [b, A, A], A)]
    f["_&&_"] = [_o("logical_and", [b, b], b)]
    f["_||_"] = [_o("logical_or", [b, b], b)]
    f["!_"] = [_o("logical_not", [b], b)]
    f["@not_strictly_false"] = [_o("not_strictly_false", [b], b)]
    f["_==_"] = [_o("equals", [A, A], b)]
    f["_!=_"] = [_o("not_equals", [A, A], b)]
    f["_+_"] = [
        _o("add_bytes", [by, by], by),
        _o("add_double", [d, d], d),
        _o("add_duration_duration", [du, du], du),
        _o("add_duration_timestamp", [du, ts], ts),
        _o("add_timestamp_duration", [ts, du], ts),
        _o("add_int64", [i, i], i),
        _o("add_list", [LIST_A, LIST_A], LIST_A),
        _o("add_string", [s, s], s),
        _o("add_uint64", [u, u], u),
    ]
    f["_/_"] = [_o("divide_double", [d, d], d), _o("divide_int64", [i, i], i), _o("divide_uint64", [u, u], u)]
    f["_%_"] = [_o("modulo_int64", [i, i], i), _o("modulo_uint64", [u, u], u)]
    f["_*_"] = [
        _o("multiply_double", [d, d], d),
        _o("multiply_int64", [i, i], i),
        _o("multiply_uint64", [u, u], u),
    ]
    f["-_"] = [_o("negate_double", [d], d), _o("negate_int64", [i], i)]
    f["_-_"] = [
        _o("subtract_double", [d, d], d),
        _o("subtract_duration_duration", [du, du], du),
        _o("subtract_int64", [i, i], i),
        _o("subtract_timestamp_duration", [ts, du], ts),
        _o("subtract_timestamp_timestamp", [ts, ts], du),
        _o("subtract_uint64", [u, u], u),
    ]
    for op, name in (
        ("_<_", "less"),
        ("_<=_", "less_equals"),
        ("_>_", "greater"),
        ("_>=_", "greater_equals"),
    ):
        f[op] = [
            _o(f"{name}_bool", [b, b], b),
            _o(f"{name}_int64", [i, i], b),
            _o(f"{name}_uint64", [u, u], b),
            _o(f"{name}_double", [d, d], b),
            _o(f"{name}_string", [s, s], b),
            _o(f"{name}_bytes", [by, by], b),
            _o(f"{name}_timestamp", [ts, ts], b),
            _o(f"{name}_duration", [du, du], b),
        ]
    f["_[_]"] = [_o("index_list", [LIST_A, i], A), _o("index_map", [MAP_AB, A], B)]
    f["@in"] = [_o("in_list", [A, LIST_A], b), _o("in_map", [A, MAP_AB], b)]
    f["size"] = [
        _o("size_bytes", [by], i),
        _o("bytes_size", [by], i, True),
        _o("size_list", [LIST_A], i),
        _o("list_size", [LIST_A], i, True),
        _o("size_map", [MAP_AB], i),
        _o("map_size", [MAP_AB], i, True),
        _o("size_string", [s], i),
        _o("string_size", [s], i, True),
    ]
    f["type"] = [_o("type", [A], T.type_of(A))]
    f["bool"] = [_o("bool_to_bool", [b], b), _o("string_to_bool", [s], b)]
    f["bytes"] = [_o("bytes_to_bytes", [by], by), _o("string_to_bytes", [s], by)]
    f["double"] = [
        _o("double_to_double", [d], d),
        _o("int64_to_double", [i], d),
        _o("string_to_double", [s], d),
        _o("uint64_to_double", [u], d),
    ]
    f["duration"] = [
        _o("duration_to_duration", [du], du),
        _o("int64_to_duration", [i], du),
        _o("string_to_duration", [s], du),
    ]
    f["dyn"] = [_o("to_dyn", [A], dyn)]
    f["int"] = [
        _o("int64_to_int64", [i], i),
        _o("double_to_int64", [d], i),
        _o("duration_to_int64", [du], i),
        _o("string_to_int64", [s], i),
        _o("timestamp_to_int64", [ts], i),
        _o("uint64_to_int64", [u], i),
    ]
    f["string"] = [
        _o("string_to_string", [s], s),
        _o("bool_to_string", [b], s),
        _o("bytes_to_string", [by], s),
        _o("double_to_string", [d], s),
        _o("duration_to_string", [du], s),
        _o("int64_to_string", [i], s),
        _o("timestamp_to_string", [ts], s),
        _o("uint64_to_string", [u], s),
    ]
    f["timestamp"] = [
        _o("timestamp_to_timestamp", [ts], ts),
        _o("int64_to_timestamp", [i], ts),
        _o("string_to_timestamp", [s], ts),
    ]
    f["uint"] = [
        _o("uint64_to_uint64", [u], u),
        _o("double_to_uint64", [d], u),
        _o("int64_to_uint64", [i], u),
        _o("string_to_uint64", [s], u),
    ]
    f["contains"] = [_o("contains_string", [s, s], b, True)]
    f["endsWith"] = [_o("ends_with_string", [s, s], b, True)]
    f["startsWith"] = [_o("starts_with_string", [s, s], b, True)]
    f["matches"] = [_o("matches", [s, s], b), _o("matches_string", [s, s], b, True)]
    for fn, oid in (
        ("getFullYear", "timestamp_to_year"),
        ("getMonth", "timestamp_to_month"),
        ("getDayOfYear", "timestamp_to_day_of_year"),
        ("getDayOfMonth", "timestamp_to_day_of_month"),
        ("getDate", "timestamp_to_day_of_month_1_based"),
        ("getDayOfWeek", "timestamp_to_day_of_week"),
    ):
        f[fn] = [_o(oid, [ts], i, True), _o(oid + "_with_tz", [ts, s], i, True)]
    for fn, oid, doid in (
        ("getHours", "timestamp_to_hours", "duration_to_hours"),
        ("getMinutes", "timestamp_to_minutes", "duration_to_minutes"),
        ("getSeconds", "timestamp_to_seconds", "duration_to_seconds"),
        ("getMilliseconds", "timestamp_to_milliseconds", "duration_to_milliseconds"),
    ):
        f[fn] = [_o(oid, [ts], i, True), _o(oid + "_with_tz", [ts, s], i, True), _o(doid, [du], i, True)]
    return f


def _kwok_functions(f: dict[str, list[Overload]]) -> None:
    """What KWOK registers via easycel (DefaultFuncs, FuncsToMethods, Quantity/ResourceList traits)."""
    d = T.DOUBLE_T
    f["Now"] = [_o("Now|@||google.protobuf.Timestamp", [], T.TIMESTAMP_T)]
    f["Rand"] = [_o("Rand|@||double", [], d)]
    f["SinceSecond"] = [
        _o("SinceSecond|@|v1.Node|double", [NODE_PTR], d),
        _o("SinceSecond|@|v1.Pod|double", [POD_PTR], d),
        _o("SinceSecond|member@|v1.Node|double", [NODE_PTR], d, True),
        _o("SinceSecond|member@|v1.Pod|double", [POD_PTR], d, True),
    ]
    f["UnixSecond"] = [
        _o("UnixSecond|@|google.protobuf.Timestamp|double", [T.TIMESTAMP_T], d),
        _o("UnixSecond|member@|google.protobuf.Timestamp|double", [T.TIMESTAMP_T], d, True),
    ]
    f["Quantity"] = [
        _o("Quantity|@|string|cel.Quantity", [T.STRING_T], QUANTITY),
        _o("Quantity|member@|string|cel.Quantity", [T.STRING_T], QUANTITY, True),
    ]
    q, dyn = QUANTITY, T.DYN_T
    for op in ("_+_", "_-_", "_*_", "_/_"):
        f[op].append(_o(f"{op}|@|cel.Quantity,dyn|cel.Quantity", [q, dyn], q))
    f["-_"].append(_o("-_|@|cel.Quantity|cel.Quantity", [q], q))
    for op in ("_>_", "_>=_", "_<_", "_<=_"):
        f[op].append(_o(f"{op}|@|cel.Quantity,dyn|int", [q, dyn], T.INT_T))
    f["_[_]"].append(_o("_[_]|@|cel.ResourceList,dyn|dyn", [RESOURCE_LIST, dyn], dyn))
    f["size"].append(_o("size|@|cel.ResourceList|int", [RESOURCE_LIST], T.INT_T))
    f["@in"].append(_o("@in|@|dyn,cel.ResourceList|bool", [dyn, RESOURCE_LIST], T.BOOL_T))


FUNCTIONS = _std_functions()
_kwok_functions(FUNCTIONS)

TYPE_IDENTS: dict[str, CelType] = {
    t.name: T.type_of(t)
    for t in (
        T.BOOL_T,
        T.BYTES_T,
        T.DOUBLE_T,
        T.DURATION_T,
        T.INT_T,
        T.list_of(A),
        T.map_of(A, B),
        T.NULL_T,
        T.STRING_T,
        T.TIMESTAMP_T,
        T.TYPE_T,
        T.UINT_T,
    )
}


class CheckError(Exception):
    pass


class Env:
    """Variables visible to the checker (``self`` plus comprehension scopes)."""

    def __init__(
        self, variables: dict[str, CelType], structs: dict[str, dict[str, CelType]] | None = None
    ) -> None:
        self.variables = variables
        self.structs = structs or {}


class Checker:
    def __init__(self, env: Env) -> None:
        self.env = env
        self.scopes: list[dict[str, CelType]] = [dict(env.variables)]
        self.m = Mapping()
        self.counter = 0
        self.errors: list[tuple[int, str]] = []
        self.nodes: list[Expr] = []

    def error(self, off: int, msg: str) -> None:
        self.errors.append((off, msg))

    def set_type(self, e: Expr, t: CelType) -> None:
        e.t = t
        self.nodes.append(e)

    def lookup(self, name: str) -> CelType | None:
        if name.startswith("."):  # root-qualified: only declarations, not comprehension variables
            name = name[1:]
            if name in self.scopes[0]:
                return self.scopes[0][name]
            return TYPE_IDENTS.get(name)
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return TYPE_IDENTS.get(name)

    def new_var(self) -> CelType:
        t = T.type_param(f"_var{self.counter}")
        self.counter += 1
        return t

    def is_assignable(self, t1: CelType, t2: CelType) -> bool:
        m = T.is_assignable(self.m, t1, t2)
        if m is not None:
            self.m = m
            return True
        return False

    def check(self, e: Expr) -> None:
        if isinstance(e, Lit):
            self.set_type(
                e,
                {
                    "int": T.INT_T,
                    "uint": T.UINT_T,
                    "double": T.DOUBLE_T,
                    "string": T.STRING_T,
                    "bytes": T.BYTES_T,
                    "bool": T.BOOL_T,
                    "null": T.NULL_T,
                }[e.kind],
            )
        elif isinstance(e, Ident):
            t = self.lookup(e.name)
            if t is None:
                self.set_type(e, T.ERROR_T)
                self.error(e.off, f"undeclared reference to '{e.name}' (in container '')")
            else:
                if e.name.startswith("."):
                    e.name = e.name[1:]
                self.set_type(e, t)
        elif isinstance(e, Select):
            self.check_select(e)
        elif isinstance(e, Call):
            self.check_call(e)
        elif isinstance(e, ListE):
            elem: CelType | None = None
            for x in e.elems:
                self.check(x)
                elem = self.join(x, elem, x.t)
            self.set_type(e, T.list_of(elem if elem is not None else self.new_var()))
        elif isinstance(e, MapE):
            kt: CelType | None = None
            vt: CelType | None = None
            for _, k, v in e.entries:
                self.check(k)
                kt = self.join(k, kt, k.t)
                self.check(v)
                vt = self.join(v, vt, v.t)
            if kt is None or vt is None:
                kt, vt = self.new_var(), self.new_var()
            self.set_type(e, T.map_of(kt, vt))
        elif isinstance(e, StructE):
            for _, _, v in e.fields:
                self.check(v)
            self.error(e.off, f"undeclared reference to '{e.name}' (in container '')")
            self.set_type(e, T.ERROR_T)
        elif isinstance(e, Comp):
            self.check_comp(e)
        elif isinstance(e, Bad):
            self.set_type(e, T.ERROR_T)

    def join(self, e: Expr, prev: CelType | None, cur: CelType) -> CelType:
        if prev is None:
            return cur
        if self.is_assignable(prev, cur):
            return T.most_general(prev, cur)
        return T.DYN_T

    def check_select(self, e: Select) -> None:
        if not e.test_only:
            qname = _qualified_name(e)
            if qname is not None:
                t = self.lookup(qname)
                if t is not None:
                    e.resolved = qname[1:] if qname.startswith(".") else qname
                    self.set_type(e, t)
                    return
        self.check(e.operand)
        ot = T.substitute(self.m, e.operand.t, False)
        k = ot.kind
        if k == T.MAP:
            rt = ot.params[1]
        elif k == T.STRUCT:
            rt = self.field_type(e, ot, e.field)
        elif k == T.TYPEPARAM:
            self.is_assignable(T.DYN_T, ot)
            rt = T.DYN_T
        else:
            if not T.is_dyn_or_error(ot):
                self.error(e.off, f"type '{T.format_type(ot)}' does not support field selection")
            rt = T.DYN_T
        if e.test_only:
            rt = T.BOOL_T
        self.set_type(e, T.substitute(self.m, rt, False))

    def field_type(self, e: Expr, st: CelType, field: str) -> CelType:
        fields = self.env.structs.get(st.name)
        if fields is None:
            self.error(e.off, f"unexpected failed resolution of '{st.name}'")
            return T.ERROR_T
        ft = fields.get(field)
        if ft is None:
            self.error(e.off, f"undefined field '{field}'")
            return T.ERROR_T
        return ft

    def check_call(self, e: Call) -> None:
        for a in e.args:
            self.check(a)
        if e.target is None:
            fn = FUNCTIONS.get(e.fn[1:] if e.fn.startswith(".") else e.fn)
            if fn is None:
                self.error(e.off, f"undeclared reference to '{e.fn}' (in container '')")
                self.set_type(e, T.ERROR_T)
                return
            if e.fn.startswith("."):
                e.fn = e.fn[1:]
            self.resolve(e, fn, None)
            return
        self.check(e.target)
        fn = FUNCTIONS.get(e.fn)
        if fn is not None:
            self.resolve(e, fn, e.target)
            return
        self.set_type(e, T.ERROR_T)
        self.error(e.off, f"undeclared reference to '{e.fn}' (in container '')")

    def resolve(self, e: Call, overloads: list[Overload], target: Expr | None) -> None:
        arg_types = ([target.t] if target is not None else []) + [a.t for a in e.args]
        result: CelType | None = None
        matched: list[str] = []
        for o in overloads:
            if (target is None and o.member) or (target is not None and not o.member):
                continue
            if e.fn in ("_&&_", "_||_"):
                bad = False
                for idx, at in enumerate(arg_types):
                    if not self.is_assignable(at, T.BOOL_T):
                        self.error(
                            e.args[idx].off,
                            f"expected type '{T.format_type(T.BOOL_T)}' but found '{T.format_type(at)}'",
                        )
                        bad = True
                if bad:
                    self.set_type(e, T.ERROR_T)
                    return
                e.overloads = [o.id]
                self.set_type(e, T.BOOL_T)
                return
            ft = T.function_type(o.result, *o.args)
            if o.type_params:
                subs = Mapping()
                for tp in o.type_params:
                    subs.add(T.type_param(tp), self.new_var())
                ft = T.substitute(subs, ft, False)
            cand = list(ft.params[1:])
            if len(cand) != len(arg_types):
                continue
            m = T.is_assignable_list(self.m, arg_types, cand)
            if m is None:
                continue
            self.m = m
            matched.append(o.id)
            frt = T.substitute(self.m, ft.params[0], False)
            if result is None:
                result = frt
            elif not T.is_dyn(result) and not frt.is_exact(result):
                result = T.DYN_T
        if result is None:
            shown = [T.substitute(self.m, t, True) for t in arg_types]
            sig = T.format_function(None, shown, target is not None)
            self.error(e.off, f"found no matching overload for '{e.fn}' applied to '{sig}'")
            self.set_type(e, T.ERROR_T)
            return
        e.overloads = matched
        self.set_type(e, result)

    def check_comp(self, e: Comp) -> None:
        self.check(e.iter_range)
        self.check(e.accu_init)
        rt = T.substitute(self.m, e.iter_range.t, False)
        accu_t = e.accu_init.t
        self.scopes.append({e.accu_var: accu_t})
        if rt.kind in (T.LIST, T.MAP):
            var_t = rt.params[0]
        elif rt.kind in (T.DYN, T.ANY, T.ERROR, T.TYPEPARAM):
            self.is_assignable(T.DYN_T, rt)
            var_t = T.DYN_T
        else:
            self.error(
                e.iter_range.off,
                f"expression of type '{T.format_type(rt)}' cannot be range of a "
                "comprehension (must be list, map, or dynamic)",
            )
            var_t = T.ERROR_T
        self.scopes.append({e.iter_var: var_t})
        self.check(e.cond)
        self.assert_type(e.cond, T.BOOL_T)
        self.check(e.step)
        self.assert_type(e.step, accu_t)
        self.scopes.pop()
        self.check(e.result)
        self.scopes.pop()
        self.set_type(e, T.substitute(self.m, e.result.t, False))

    def assert_type(self, e: Expr, t: CelType) -> None:
        if not self.is_assignable(t, e.t):
            self.error(e.off, f"expected type '{T.format_type(t)}' but found '{T.format_type(e.t)}'")

    def finish(self) -> None:
        for n in self.nodes:
            n.t = T.substitute(self.m, n.t, True)


def _qualified_name(e: Expr) -> str | None:
    if isinstance(e, Ident):
        return e.name
    if isinstance(e, Select) and not e.test_only:
        prefix = _qualified_name(e.operand)
        return None if prefix is None else prefix + "." + e.field
    return None


def check(e: Expr, env: Env) -> list[tuple[int, str]]:
    c = Checker(env)
    c.check(e)
    c.finish()
    return c.errors

"""Sprig's ``semver`` and ``semverCompare``: ``github.com/Masterminds/semver/v3`` v3.4.0.

sprig v3.3.0 asks for semver v3.3.0, but KWOK v0.8.0's module graph selects v3.4.0 (lower-case
error texts, empty identifiers rejected, prerelease inclusion decided per ``&&`` group), and
the oracle confirms that is what runs.

``semver`` returns a ``*semver.Version`` whose methods templates call (``.Major``,
``.LessThan (semver "2.0.0")``, ``.IncMinor`` …); ``IncX``/``SetX`` return a ``semver.Version``
*value*, whose method set lacks the pointer-receiver methods (``Original``, ``LessThan``,
``Compare`` …), as in Go. ``semverCompare`` parses a constraint string (``||`` groups of
comma/space separated ``op version`` items, hyphen ranges, ``~``/``^``, ``x``/``*`` wildcards)
and checks a version with the library's prerelease rules.

The library parses with Go regexps; they run through :mod:`kwokbook.gotpl.goregex`, so e.g. a
trailing newline is rejected as Go's ``$`` rejects it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from .. import goregex
from ..gostrconv import StrconvError, parse_uint, to_go_bytes
from ..values import (
    PTR,
    STRUCT,
    T_SLICE_BYTE,
    GoError,
    GoSlice,
    GoStruct,
    GoType,
    Method,
    Uint8,
    Uint64,
    register_type,
    sig,
)
from ..values import gofunc as _gofunc
from ._registry import FUNCS

ERR_INVALID_SEMVER = "invalid semantic version"
ERR_EMPTY_STRING = "version string empty"
ERR_INVALID_CHARACTERS = "invalid characters in version"
ERR_SEGMENT_STARTS_ZERO = "version segment starts with 0"
ERR_INVALID_METADATA = "invalid metadata string"
ERR_INVALID_PRERELEASE = "invalid prerelease string"

_SEMVER_RE = (
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_CV_RE = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"

_VALUE_METHOD_NAMES = (
    "IncMajor", "IncMinor", "IncPatch", "MarshalJSON", "MarshalText", "Major", "Metadata", "Minor", "Patch",
    "Prerelease", "SetMetadata", "SetPrerelease", "String", "Value",
)
_PTR_METHOD_NAMES = (
    *_VALUE_METHOD_NAMES, "Compare", "Equal", "GreaterThan", "GreaterThanEqual", "LessThan", "LessThanEqual",
    "Original", "Scan", "UnmarshalJSON", "UnmarshalText",
)
T_VERSION_PTR = register_type(GoType("*semver.Version", PTR, methods=tuple(sorted(_PTR_METHOD_NAMES))))
T_VERSION = register_type(GoType("semver.Version", STRUCT, methods=tuple(sorted(_VALUE_METHOD_NAMES))))

_NUM = "0123456789"
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-" + _NUM)


def _re(expr: str) -> goregex.Regexp:
    return goregex.compile(expr)


def _version_re() -> goregex.Regexp:
    return _re("^" + _SEMVER_RE + "$")


def _contains_only(s: str, comp: frozenset[str] | str) -> bool:
    return all(ch in comp for ch in s)


def _validate_prerelease(p: str) -> None:
    for part in p.split("."):
        if part == "":
            raise GoError(ERR_INVALID_PRERELEASE)
        if _contains_only(part, _NUM):
            if len(part) > 1 and part[0] == "0":
                raise GoError(ERR_SEGMENT_STARTS_ZERO)
        elif not _contains_only(part, _ALLOWED):
            raise GoError(ERR_INVALID_PRERELEASE)


def _validate_metadata(m: str) -> None:
    for part in m.split("."):
        if part == "" or not _contains_only(part, _ALLOWED):
            raise GoError(ERR_INVALID_METADATA)


def _parse_segment(s: str) -> int:
    try:
        return parse_uint(s, 10, 64)
    except StrconvError as e:
        raise GoError(f"error parsing version segment: {e}") from None


@dataclass(eq=False)
class _VersionData:
    major: int
    minor: int
    patch: int
    pre: str
    metadata: str
    original: str


class Version(GoStruct):
    """``semver.Version`` (a value) — see :class:`VersionPtr` for what ``semver`` returns."""

    gotype: ClassVar[GoType]
    go_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self, major: int, minor: int, patch: int, pre: str, metadata: str, original: str
    ) -> None:
        self.d = _VersionData(major, minor, patch, pre, metadata, original)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.string()!r}, original={self.d.original!r})"

    def string(self) -> str:
        d = self.d
        s = f"{d.major}.{d.minor}.{d.patch}"
        if d.pre:
            s += "-" + d.pre
        if d.metadata:
            s += "+" + d.metadata
        return s

    def go_string(self) -> str | None:
        return self.string()

    def go_json(self) -> Any:
        return self.string()  # MarshalJSON: json.Marshal(v.String())

    def go_deep_equal(self, other: Any) -> bool:
        return type(other) is type(self) and vars(self.d) == vars(other.d)

    def _value(self, **changes: Any) -> Version:
        d = dict(vars(self.d))
        d.update(changes)
        v = Version(d["major"], d["minor"], d["patch"], d["pre"], d["metadata"], d["original"])
        v.d.original = self._v_prefix() + v.string()
        return v

    def _v_prefix(self) -> str:
        return "v" if self.d.original[:1] == "v" else ""

    def inc_patch(self) -> Version:
        if self.d.pre:
            return self._value(metadata="", pre="")
        return self._value(metadata="", pre="", patch=self.d.patch + 1 & 0xFFFFFFFFFFFFFFFF)

    def inc_minor(self) -> Version:
        return self._value(metadata="", pre="", patch=0, minor=self.d.minor + 1 & 0xFFFFFFFFFFFFFFFF)

    def inc_major(self) -> Version:
        return self._value(metadata="", pre="", patch=0, minor=0, major=self.d.major + 1 & 0xFFFFFFFFFFFFFFFF)

    def set_prerelease(self, p: str) -> Version:
        if p:
            _validate_prerelease(p)
        return self._value(pre=p)

    def set_metadata(self, m: str) -> Version:
        if m:
            _validate_metadata(m)
        return self._value(metadata=m)

    def compare(self, o: Version | None) -> int:
        if o is None:
            raise GoError("runtime error: invalid memory address or nil pointer dereference")
        a, b = self.d, o.d
        for x, y in ((a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)):
            if x != y:
                return -1 if x < y else 1
        if a.pre == "" and b.pre == "":
            return 0
        if a.pre == "":
            return 1
        if b.pre == "":
            return -1
        return _compare_prerelease(a.pre, b.pre)


class VersionPtr(Version):
    """``*semver.Version``: what ``semver`` returns; prints as ``String()``."""

    def equal(self, o: Version | None) -> bool:
        if o is self:
            return True
        if o is None:
            return False
        return self.compare(o) == 0


def _compare_prerelease(v: str, o: str) -> int:
    sparts = v.split(".")
    oparts = o.split(".")
    for i in range(max(len(sparts), len(oparts))):
        s = sparts[i] if i < len(sparts) else ""
        t = oparts[i] if i < len(oparts) else ""
        d = _compare_pre_part(s, t)
        if d != 0:
            return d
    return 0


def _uint_or_none(s: str) -> int | None:
    try:
        return parse_uint(s, 10, 64)
    except StrconvError:
        return None


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1 if o != "" else 1
    if o == "":
        return 1 if s != "" else -1
    oi = _uint_or_none(o)
    si = _uint_or_none(s)
    if oi is None and si is None:
        return 1 if to_go_bytes(s) > to_go_bytes(o) else -1
    if oi is None:
        return -1
    if si is None:
        return 1
    return 1 if si > oi else -1


def new_version(v: str) -> VersionPtr:
    """``semver.NewVersion`` in its default CoerceNewVersion mode: accepts ``1``, ``1.2``, ``v1.2.3``,
    leading zeros; raises GoError with the library's text."""
    m = _version_re().find_string_submatch(v)
    if m is None:
        raise GoError(ERR_INVALID_SEMVER)
    major = _parse_segment(m[1])
    minor = _parse_segment(m[2][1:]) if m[2] else 0
    patch = _parse_segment(m[3][1:]) if m[3] else 0
    sv = VersionPtr(major, minor, patch, m[5], m[8], v)
    if sv.d.pre:
        _validate_prerelease(sv.d.pre)
    if sv.d.metadata:
        _validate_metadata(sv.d.metadata)
    return sv


# ---------------------------------------------------------------------------------------------
# Constraints


@dataclass
class _Constraint:
    con: VersionPtr
    orig: str
    origfunc: str
    minor_dirty: bool
    dirty: bool
    patch_dirty: bool


def _is_x(x: str) -> bool:
    return x in ("x", "*", "X")


def _parse_constraint(c: str) -> _Constraint:
    if c:
        m = _re(rf"^\s*({_OPS})\s*({_CV_RE})\s*$").find_string_submatch(c)
        if m is None:
            raise GoError(f"improper constraint: {c}")
        ver = m[2]
        minor_dirty = patch_dirty = dirty = False
        if _is_x(m[3]) or m[3] == "":
            ver = f"0.0.0{m[6]}"
            dirty = True
        elif _is_x(m[4][1:] if m[4].startswith(".") else m[4]) or m[4] == "":
            minor_dirty = dirty = True
            ver = f"{m[3]}.0.0{m[6]}"
        elif _is_x(m[5][1:] if m[5].startswith(".") else m[5]) or m[5] == "":
            dirty = patch_dirty = True
            ver = f"{m[3]}{m[4]}.0{m[6]}"
        try:
            con = new_version(ver)
        except GoError:
            raise GoError("constraint parser error") from None
        return _Constraint(con, m[2], m[1], minor_dirty, dirty, patch_dirty)
    return _Constraint(VersionPtr(0, 0, 0, "", "", "0.0.0"), c, "", False, True, False)


def _rewrite_range(i: str) -> str:
    ms = _re(rf"\s*({_CV_RE})\s+-\s+({_CV_RE})\s*").find_all_string_submatch(i, -1)
    if not ms:
        return i
    o = i
    for v in ms:
        o = o.replace(v[0], f">= {v[1]}, <= {v[11]} ", 1)
    return o


def new_constraint(c: str) -> list[list[_Constraint]]:
    """``semver.NewConstraint``: OR groups of AND constraints."""
    c = _rewrite_range(c)
    valid = _re(rf"^(\s*({_OPS})\s*({_CV_RE})\s*)((?:\s+|,\s*)({_OPS})\s*({_CV_RE})\s*)*$")
    find = _re(rf"({_OPS})\s*({_CV_RE})")
    out: list[list[_Constraint]] = []
    for v in c.split("||"):
        if not valid.match_string(v):
            raise GoError(f"improper constraint: {v}")
        cs = find.find_all_string(v, -1) or [v]
        out.append([_parse_constraint(s) for s in cs])
    return out


def _check_tilde(v: Version, c: _Constraint) -> bool:
    if v.compare(c.con) < 0:
        return False
    cd = c.con.d
    if cd.major == 0 and cd.minor == 0 and cd.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.d.major != cd.major:
        return False
    return not (v.d.minor != cd.minor and not c.minor_dirty)


def _check(v: Version, c: _Constraint, include_pre: bool) -> bool:
    """One constraint function of v3.4.0; prereleases pass only when the AND group allows them."""
    if v.d.pre != "" and not include_pre:
        return False
    op = c.origfunc
    vd, cd = v.d, c.con.d
    if op in ("", "="):
        if c.dirty:
            return _check_tilde(v, c)
        return v.compare(c.con) == 0
    if op == "!=":
        if c.dirty:
            if cd.major != vd.major:
                return True
            if cd.minor != vd.minor and not c.minor_dirty:
                return True
            if c.minor_dirty:
                return False
            if cd.patch != vd.patch and not c.patch_dirty:
                return True
            if c.patch_dirty:
                if vd.pre != "" or cd.pre != "":
                    return _compare_prerelease(vd.pre, cd.pre) != 0
                return False
        return v.compare(c.con) != 0
    if op == ">":
        if not c.dirty:
            return v.compare(c.con) == 1
        if vd.major > cd.major:
            return True
        if vd.major < cd.major or c.minor_dirty:
            return False
        if c.patch_dirty:
            return vd.minor > cd.minor
        return v.compare(c.con) == 1
    if op == "<":
        return v.compare(c.con) < 0
    if op in (">=", "=>"):
        return v.compare(c.con) >= 0
    if op in ("<=", "=<"):
        if not c.dirty:
            return v.compare(c.con) <= 0
        if vd.major > cd.major:
            return False
        return not (vd.major == cd.major and vd.minor > cd.minor and not c.minor_dirty)
    if op in ("~", "~>"):
        return _check_tilde(v, c)
    if op == "^":
        if v.compare(c.con) < 0:
            return False
        if cd.major > 0 or c.minor_dirty:
            return vd.major == cd.major
        if cd.major == 0 and vd.major > 0:
            return False
        if cd.minor > 0 or c.patch_dirty:
            return vd.minor == cd.minor
        if cd.minor == 0 and vd.minor > 0:
            return False
        return cd.patch == vd.patch
    raise AssertionError(op)


def check(constraints: list[list[_Constraint]], v: Version) -> bool:
    """``Constraints.Check``."""
    for group in constraints:
        include_pre = any(c.con.d.pre != "" for c in group)
        if all(_check(v, c, include_pre) for c in group):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Template functions and methods


@_gofunc(FUNCS, "semverCompare", "string, string -> (bool, error)")
def _semver_compare(constraint: str, version: str) -> bool:
    c = new_constraint(constraint)
    v = new_version(version)
    return check(c, v)


@_gofunc(FUNCS, "semver", "string -> (*semver.Version, error)")
def _semver(version: str) -> VersionPtr:
    return new_version(version)


def _m(name: str, spec: str, fn: Callable[..., Any]) -> Method:
    return Method(name, sig(spec), fn)


def _bytes(s: str) -> GoSlice:
    return GoSlice([Uint8(b) for b in to_go_bytes(s)], T_SLICE_BYTE)


def _value_methods() -> dict[str, Method]:
    ms = (
        _m("String", "-> string", lambda v: v.string()),
        _m("Major", "-> uint64", lambda v: Uint64(v.d.major)),
        _m("Minor", "-> uint64", lambda v: Uint64(v.d.minor)),
        _m("Patch", "-> uint64", lambda v: Uint64(v.d.patch)),
        _m("Prerelease", "-> string", lambda v: v.d.pre),
        _m("Metadata", "-> string", lambda v: v.d.metadata),
        _m("IncPatch", "-> semver.Version", lambda v: v.inc_patch()),
        _m("IncMinor", "-> semver.Version", lambda v: v.inc_minor()),
        _m("IncMajor", "-> semver.Version", lambda v: v.inc_major()),
        _m("SetPrerelease", "string -> (semver.Version, error)", lambda v, p: v.set_prerelease(p)),
        _m("SetMetadata", "string -> (semver.Version, error)", lambda v, m: v.set_metadata(m)),
        _m("MarshalJSON", "-> ([]uint8, error)", lambda v: _bytes('"' + v.string() + '"')),
        _m("MarshalText", "-> ([]uint8, error)", lambda v: _bytes(v.string())),
        _m("Value", "-> (interface {}, error)", lambda v: v.string()),
    )
    return {m.name: m for m in ms}


def _ptr_methods() -> dict[str, Method]:
    ms = (
        _m("Original", "-> string", lambda v: v.d.original),
        _m("LessThan", "*semver.Version -> bool", lambda v, o: v.compare(o) < 0),
        _m("LessThanEqual", "*semver.Version -> bool", lambda v, o: v.compare(o) <= 0),
        _m("GreaterThan", "*semver.Version -> bool", lambda v, o: v.compare(o) > 0),
        _m("GreaterThanEqual", "*semver.Version -> bool", lambda v, o: v.compare(o) >= 0),
        _m("Equal", "*semver.Version -> bool", lambda v, o: v.equal(o)),
        _m("Compare", "*semver.Version -> int", lambda v, o: v.compare(o)),
    )
    return {m.name: m for m in ms}


Version.gotype = T_VERSION
Version.go_methods = _value_methods()
VersionPtr.gotype = T_VERSION_PTR
VersionPtr.go_methods = {**Version.go_methods, **_ptr_methods()}

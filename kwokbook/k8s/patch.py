"""Applying Kubernetes patches exactly as Go does: JSON patch, JSON merge patch, strategic merge.

Two implementations exist in a cluster and both matter to a simulator:

- ``impl="kwok"``: what KWOK's controllers run locally before sending a patch (the no-op check,
  ``pkg/kwok/controllers/utils.go``): ``github.com/evanphx/json-patch/v5`` for JSON and merge
  patches, ``strategicpatch.StrategicMergePatch`` with the typed struct for strategic ones.
- ``impl="apiserver"`` (default): the API server's patch handler
  (``k8s.io/apiserver/pkg/endpoints/handlers/patch.go``): ``gopkg.in/evanphx/json-patch.v4``
  (a ``replace`` of a missing key adds it; ``remove`` errors start with ``Unable``), and
  ``StrategicMergeMapPatch`` with the typed struct; a strategic patch of any other kind is
  refused with HTTP 415, as for custom resources.

The strategic merge patch is a port of ``k8s.io/apimachinery`` v0.36.1 ``strategicpatch``
(``mergeMap`` and friends) over the schema generated from the Go types
(:mod:`kwokbook.k8s._schema_core_v1`): ``patchStrategy`` merge/replace/retainKeys,
``patchMergeKey``, ``$patch: replace|delete|merge``, ``$setElementOrder``,
``$deleteFromPrimitiveList``, ``$retainKeys``, null deletes; Go's unusual orderings are kept
(new items of a merged primitive list come *first*; duplicates are removed by Go's swap-with-last
loop; lists are ordered with ``sort.SliceStable``'s own algorithm). Go iterates patch maps in
random order; where that changes the answer (two errors in one patch, a list and its
``$deleteFromPrimitiveList`` naming the same item), this port follows the patch's key order,
which is one of Go's possible answers.

Values are JSON trees: ``dict``/``list``/``str``/``bool``/``None``, ``int`` for int64 and
``float`` for float64 (an integer beyond int64 counts as float64, as Kubernetes' JSON decoder
makes it). Errors raise :class:`PatchError` with Go's ``err.Error()`` text.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from ..errors import KwokbookError
from ..gotpl.gofmt import sprint, sprintf
from ..gotpl.gojson import marshal as go_marshal
from ..gotpl.gostrconv import format_json_float
from ..gotpl.gostrconv import quote as go_quote
from ..gotpl.values import Int64
from ._schema_core_v1 import KIND_NAMES, ROOTS, TYPES

__all__ = [
    "PatchError",
    "apply_patch",
    "json_patch",
    "merge_patch",
    "normalize_patch_type",
    "strategic_merge_patch",
]

IMPLS = ("apiserver", "kwok")


class PatchError(KwokbookError):
    """The patch cannot be applied; ``message`` is Go's error text.

    ``code`` is the HTTP status the API server answers with (400, 415, 422, 500) for
    ``impl="apiserver"``; ``None`` for KWOK's local application.
    """

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


def _check_impl(impl: str) -> bool:
    """True for the API server's libraries, False for KWOK's."""
    if impl not in IMPLS:
        raise KwokbookError(f"patch impl must be one of {IMPLS}, got {impl!r}")
    return impl == "apiserver"


# ---------------------------------------------------------------------------------------------
# Shared helpers


_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
_PANIC_NIL = "panic: runtime error: invalid memory address or nil pointer dereference"
_MISSING_ERR = "missing value"
_INVALID_INDEX = "invalid index referenced"


def _norm_copy(v: Any, floats: list[bool]) -> Any:
    """Deep copy; integers beyond int64 become float64 (Kubernetes' JSON number rule).

    ``floats[0]`` is set when a float is met (the result then needs :func:`_go_floats`).
    """
    c = v.__class__
    if c is dict:
        return {k: _norm_copy(x, floats) for k, x in v.items()}
    if c is list:
        return [_norm_copy(x, floats) for x in v]
    if c is int and not _I64_MIN <= v <= _I64_MAX:
        floats[0] = True
        return float(v)
    if c is float:
        floats[0] = True
    return v


def _go_floats(v: Any) -> Any:
    """What reading Go's ``json.Marshal`` text gives: a float64 Go writes as an integer is an int."""
    c = v.__class__
    if c is dict:
        for k, x in v.items():
            if x.__class__ is float or x.__class__ is dict or x.__class__ is list:
                v[k] = _go_floats(x)
        return v
    if c is list:
        for i, x in enumerate(v):
            if x.__class__ is float or x.__class__ is dict or x.__class__ is list:
                v[i] = _go_floats(x)
        return v
    if c is float:
        text = format_json_float(v)
        if re.fullmatch(r"-?[0-9]+", text):
            return int(text)
    return v


def _copy(v: Any) -> Any:
    """Deep copy of a JSON tree (jsonpatch keeps number texts, so nothing is converted)."""
    c = v.__class__
    if c is dict:
        return {k: _copy(x) for k, x in v.items()}
    if c is list:
        return [_copy(x) for x in v]
    return v


def _atoi(s: str) -> int:
    """``strconv.Atoi`` (64-bit int); raises ``_GoErr`` with Go's ``*NumError`` text."""
    if re.fullmatch(r"[+-]?[0-9]+", s, flags=re.ASCII) is None:
        raise _GoErr(f"strconv.Atoi: parsing {go_quote(s)}: invalid syntax")
    n = int(s, 10)
    if not _I64_MIN <= n <= _I64_MAX:
        raise _GoErr(f"strconv.Atoi: parsing {go_quote(s)}: value out of range")
    return n


class _GoErr(Exception):
    """A Go error value inside the ports; ``str()`` is its text. ``missing``: wraps ErrMissing."""

    def __init__(self, text: str, missing: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.missing = missing


class _RawNull:
    """A JSON-patch value ``null`` (a non-nil node holding ``null``), unlike a document null.

    jsonpatch keeps a document's nulls as nil nodes but an operation's ``"value": null`` as a
    node; ``test`` tells them apart. The marker never leaves :func:`json_patch`.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "RAW_NULL"

    def __deepcopy__(self, memo: Any) -> _RawNull:
        return self


_RAW_NULL = _RawNull()


class _NilDoc(dict[str, Any]):
    """v5's root after ``add ""`` of ``null``: a document without a map."""
_NO_VALUE = object()  # the operation has no "value" member


def _strip_raw_null(v: Any) -> Any:
    c = v.__class__
    if c is dict:
        for k, x in v.items():
            if x is _RAW_NULL:
                v[k] = None
            elif x.__class__ is dict or x.__class__ is list:
                _strip_raw_null(x)
    elif c is list:
        for i, x in enumerate(v):
            if x is _RAW_NULL:
                v[i] = None
            elif x.__class__ is dict or x.__class__ is list:
                _strip_raw_null(x)
    return v


def _go_text(v: Any) -> str:
    """``json.Marshal`` text (map keys sorted, HTML escaped)."""
    return str(go_marshal(v))


def _json_type_word(v: Any) -> str:
    c = v.__class__
    if c is dict:
        return "object"
    if c is list:
        return "array"
    if c is str:
        return "string"
    if c is bool:
        return "bool"
    return "number"


# ---------------------------------------------------------------------------------------------
# JSON patch (RFC 6902) as evanphx/json-patch v5 (KWOK) and v4 (API server) apply it


def _decode_key(k: str) -> str:
    """``strings.NewReplacer("~1", "/", "~0", "~")``: one left-to-right pass."""
    if "~" not in k:
        return k
    return re.sub(r"~[01]", lambda m: "/" if m.group() == "~1" else "~", k)


class _JSONPatch:
    """One ``Patch.Apply`` call."""

    def __init__(self, doc: Any, v4: bool, *, copy: bool = True) -> None:
        self.v4 = v4
        self.orig = doc  # the document as given: what v5's root ``self`` node still holds
        self.doc = _copy(doc) if copy else doc
        self.root_self: Any = _NO_VALUE

    # -- containers -------------------------------------------------------------------------

    def _self(self, con: Any) -> Any:
        """v5 ``get("")``: the root's ``self`` node (the original document), nil elsewhere."""
        if con is self.doc:
            if self.root_self is _NO_VALUE:
                self.root_self = _copy(self.orig)
            return self.root_self
        return None

    def get(self, con: Any, key: str) -> Any:
        """``container.get``; raises ``_GoErr``; returns None for a nil node."""
        if con.__class__ is dict:
            if self.v4:
                return con.get(key)
            if key == "":
                return self._self(con)
            if key not in con:
                raise _GoErr(f"unable to get nonexistent key: {key}: {_MISSING_ERR}", missing=True)
            return con[key]
        if not self.v4 and key == "":
            return self._self(con)
        idx = _atoi(key)
        n = len(con)
        if idx < 0:
            if idx < -n:
                raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
            idx += n
        if idx >= n:
            raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
        return con[idx]

    def add(self, con: Any, key: str, val: Any) -> None:
        if con.__class__ is _NilDoc:
            raise _GoErr("invalid value, expected object")
        if con.__class__ is dict:
            con[key] = val
            return
        if key == "-":
            con.append(val)
            return
        try:
            idx = _atoi(key)
        except _GoErr as e:
            raise _GoErr(f"value was not a proper array index: '{key}': {e.text}") from None
        size = len(con) + 1
        if idx >= size:
            raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
        if idx < 0:
            if idx < -size:
                raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
            idx += size
        con.insert(idx, val)

    def remove(self, con: Any, key: str) -> None:
        if con.__class__ is dict:
            if key not in con:
                word = "Unable" if self.v4 else "unable"
                raise _GoErr(f"{word} to remove nonexistent key: {key}: {_MISSING_ERR}", missing=True)
            del con[key]
            return
        idx = _atoi(key)
        n = len(con)
        if idx >= n:
            raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
        if idx < 0:
            if idx < -n:
                raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
            idx += n
        del con[idx]

    def set(self, con: Any, key: str, val: Any) -> None:
        if con.__class__ is dict:
            con[key] = val
            return
        idx = _atoi(key)
        if idx < 0:
            if idx < -len(con):
                raise _GoErr(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
            idx += len(con)
        con[idx] = val

    def find(self, path: str) -> tuple[Any, str]:
        """``findObject``: the container of ``path`` and the last key (None: not found)."""
        split = path.split("/")
        if len(split) < 2:
            if not self.v4 and path == "":
                return self.doc, ""
            return None, ""
        con = self.doc
        for part in split[1:-1]:
            try:
                nxt = self.get(con, _decode_key(part))
            except _GoErr:
                return None, ""
            if nxt.__class__ is not dict and nxt.__class__ is not list:
                return None, ""  # nil node, null, or a scalar (intoDoc fails)
            con = nxt
        return con, _decode_key(split[-1])

    # -- operations ----------------------------------------------------------------------------

    def op_add(self, path: str, val: Any) -> None:
        if path == "" and not self.v4:
            if val.__class__ is list or val.__class__ is dict:
                self.doc = val
                return
            if val is _RAW_NULL or val is None:
                self.doc = _NilDoc()  # a partialDoc without a map: fails when written out
                return
            raise _GoErr(f"json: cannot unmarshal {_json_type_word(val)} into Go value of type "
                         "map[string]*jsonpatch.lazyNode")
        con, key = self.find(path)
        if con is None:
            raise _GoErr(f'add operation does not apply: doc is missing path: "{path}": {_MISSING_ERR}')
        try:
            self.add(con, key, val)
        except _GoErr as e:
            raise _GoErr(f"error in add for path: '{path}': {e.text}") from None

    def op_remove(self, path: str) -> None:
        con, key = self.find(path)
        if con is None:
            raise _GoErr(f'remove operation does not apply: doc is missing path: "{path}": {_MISSING_ERR}')
        try:
            self.remove(con, key)
        except _GoErr as e:
            raise _GoErr(f"error in remove for path: '{path}': {e.text}") from None

    def op_replace(self, path: str, val: Any) -> None:
        if path == "":
            if val.__class__ is dict or val.__class__ is list:
                self.doc = val
                return
            raise _GoErr("replace operation value must be object or array: %!w(<nil>)")
        con, key = self.find(path)
        if con is None:
            raise _GoErr(f"replace operation does not apply: doc is missing path: {path}: {_MISSING_ERR}")
        try:
            self.get(con, key)
        except _GoErr:
            raise _GoErr(f"replace operation does not apply: doc is missing key: {path}: "
                         f"{_MISSING_ERR}") from None
        try:
            self.set(con, key, val)
        except _GoErr as e:  # pragma: no cover - get() has checked the index
            raise _GoErr(f"error in remove for path: '{path}': {e.text}") from None

    def op_move(self, from_: str, path: str | None, path_err: str | None) -> None:
        """``move``; ``path_err``: the path did not decode (v4 notices only after the source)."""
        if from_ == "" and not self.v4:
            raise _GoErr("unable to move entire document to another path: invalid state detected")
        con, key = self.find(from_)
        if con is None:
            raise _GoErr(f"move operation does not apply: doc is missing from path: {from_}: {_MISSING_ERR}")
        try:
            val = self.get(con, key)
            self.remove(con, key)
        except _GoErr as e:
            raise _GoErr(f"error in move for path: '{key}': {e.text}") from None
        if path is None:
            raise _GoErr(f"move operation failed to decode path: {path_err}")
        con, key = self.find(path)
        if con is None:
            raise _GoErr(f"move operation does not apply: doc is missing destination path: {path}: "
                         f"{_MISSING_ERR}")
        try:
            self.add(con, key, val)
        except _GoErr as e:
            raise _GoErr(f"error in move for path: '{path}': {e.text}") from None

    def op_copy(self, from_: str, path: str | None) -> None:
        """``copy``; ``path`` None: the path did not decode (noticed after the source)."""
        con, key = self.find(from_)
        if con is None:
            q = from_ if self.v4 else f'"{from_}"'
            raise _GoErr(f"copy operation does not apply: doc is missing from path: {q}: {_MISSING_ERR}")
        try:
            val = self.get(con, key)
        except _GoErr as e:
            raise _GoErr(f"error in copy for from: '{from_}': {e.text}") from None
        if path is None:
            raise _GoErr(f"copy operation failed to decode path: {_MISSING_ERR}")
        con, key = self.find(path)
        if con is None:
            raise _GoErr(f"copy operation does not apply: doc is missing destination path: {path}: "
                         f"{_MISSING_ERR}")
        try:
            self.add(con, key, copy.deepcopy(val))
        except _GoErr as e:
            raise _GoErr(f"error while adding value during copy: {e.text}") from None

    def op_test(self, path: str, val: Any) -> None:
        failed = _GoErr(f"testing value {path} failed: test failed")
        if path == "":
            if val is _NO_VALUE:
                raise _GoErr(_PANIC_NIL)
            if not self.equal(self.doc, val):
                raise failed
            return
        con, key = self.find(path)
        if con is None:
            raise _GoErr(f"test operation does not apply: is missing path: {path}: {_MISSING_ERR}")
        try:
            cur = self.get(con, key)
        except _GoErr as e:
            if not e.missing:
                raise _GoErr(f"error in test for path: '{path}': {e.text}") from None
            cur = None
        op_null = val is _NO_VALUE or val is _RAW_NULL
        if cur is None:
            if op_null:
                return
            raise failed
        if (val is _NO_VALUE) if self.v4 else op_null:
            raise failed
        if not self.equal(cur, val):
            raise failed

    def equal(self, a: Any, b: Any) -> bool:
        """``lazyNode.equal`` of a document node ``a`` and an operation value ``b`` (both non-nil)."""
        ca = a.__class__
        if a is _RAW_NULL:
            if self.v4:  # raw nil: compared as the empty text
                return b is _RAW_NULL
            if b.__class__ is list or b is _RAW_NULL:
                raise _GoErr(_PANIC_NIL)
            return False
        if ca is dict:
            if b.__class__ is not dict or len(a) != len(b):
                return False
            for k, x in a.items():
                if k not in b:
                    return False
                y = b[k]
                if (x is None) != (y is None):
                    return False
                if x is not None and not self.equal(x, y):
                    return False
            return True
        if ca is list:
            if b is _RAW_NULL and not self.v4:
                raise _GoErr(_PANIC_NIL)
            if b.__class__ is not list or len(a) != len(b):
                return False
            for x, y in zip(a, b, strict=True):
                if x is None or y is None:
                    raise _GoErr(_PANIC_NIL)
                if not self.equal(x, y):
                    return False
            return True
        if b is _RAW_NULL or b.__class__ is dict or b.__class__ is list:
            return False
        return b.__class__ is ca and a == b


def _op_str(op: dict[str, Any], name: str) -> tuple[str | None, str | None]:
    """(value, error) of a string member, as ``Operation.Path``/``From`` decode it."""
    if name not in op or op[name] is None:
        what = "operation missing path field" if name == "path" else "operation, missing from field"
        return None, f"{what}: {_MISSING_ERR}"
    v = op[name]
    if v.__class__ is not str:
        return None, f"json: cannot unmarshal {_json_type_word(v)} into Go value of type string"
    return v, None


def _op_kind(op: Any) -> str:
    if op.__class__ is not dict:
        return "unknown"
    k = op.get("op")
    return k if k.__class__ is str else "unknown"


def _op_value(op: dict[str, Any]) -> Any:
    if "value" not in op:
        return _NO_VALUE
    v = op["value"]
    return _RAW_NULL if v is None else _copy(v)


def _decode_ops(ops: Any, v4: bool) -> list[Any]:
    """``DecodePatch``: the operations, or a ``_GoErr`` (v5 also validates each one)."""
    if ops is None:
        return []
    if ops.__class__ is not list:
        raise _GoErr(f"json: cannot unmarshal {_json_type_word(ops)} into Go value of type jsonpatch.Patch")
    for o in ops:
        if o is not None and o.__class__ is not dict:
            raise _GoErr(f"json: cannot unmarshal {_json_type_word(o)} into Go value of type "
                         "jsonpatch.Operation")
    if v4:
        return ops
    for o in ops:
        err = _validate_op(o)
        if err is not None:
            raise _GoErr(f"invalid operation {_go_text(o)}: {err}")
    return ops


def _validate_op(op: Any) -> str | None:
    kind = _op_kind(op)
    if kind in ("add", "replace"):
        if "value" not in op:
            return f"failed to decode 'value': operation, missing value field: {_MISSING_ERR}"
    elif kind in ("move", "copy"):
        _, err = _op_str(op, "from")
        if err is not None:
            return f"failed to decode 'from': {err}"
    elif kind not in ("remove", "test"):
        return "unsupported operation"
    _, err = _op_str(op, "path")
    if err is not None:
        return f"failed to decode 'path': {err}"
    return None


def _uses_root_self(ops: list[Any]) -> bool:
    """Whether v5 may read the root's ``self`` node (an empty first path segment)."""
    for op in ops:
        if op.__class__ is dict:
            for name in ("path", "from"):
                v = op.get(name)
                if v.__class__ is str and (v == "" or v.startswith("//") or v == "/"):
                    return True
    return False


def json_patch(target: Any, ops: Any, *, impl: str = "apiserver", copy: bool = True) -> Any:
    """Apply a JSON patch (a list of operations) to ``target``.

    API server codes: a patch that does not decode is 400, one that does not apply 422.
    ``copy=False``: ``target`` is patched in place (for a caller that owns it).
    """
    v4 = _check_impl(impl)
    try:
        decoded = _decode_ops(ops, v4)
    except _GoErr as e:
        raise PatchError(e.text, code=400 if v4 else None) from None
    p = _JSONPatch(target, v4, copy=copy or (not v4 and _uses_root_self(decoded)))
    try:
        for op in decoded:
            _apply_op(p, op)
    except _GoErr as e:
        code = (500 if e.text.startswith("panic: ") else 422) if v4 else None  # the handler recovers panics
        raise PatchError(e.text, code=code) from None
    if p.doc.__class__ is _NilDoc:
        raise PatchError("json: error calling MarshalJSON for type *jsonpatch.partialDoc: invalid value, "
                         "expected object")
    return _strip_raw_null(p.doc)


def _apply_op(p: _JSONPatch, op: Any) -> None:
    kind = _op_kind(op)
    if kind not in ("add", "remove", "replace", "move", "copy", "test"):
        raise _GoErr(f"Unexpected kind: {kind}")
    path, perr = _op_str(op, "path")
    if kind == "add":
        if path is None:
            raise _GoErr(f"add operation failed to decode path: {_MISSING_ERR}")
        val = _op_value(op)
        p.op_add(path, None if val is _NO_VALUE else val)
    elif kind == "remove":
        if path is None:
            raise _GoErr(f"remove operation failed to decode path: {_MISSING_ERR}")
        p.op_remove(path)
    elif kind == "replace":
        if path is None:
            raise _GoErr(f"replace operation failed to decode path: {perr}")
        val = _op_value(op)
        if val is _NO_VALUE:
            if path == "":
                raise _GoErr(_PANIC_NIL)
            val = None
        p.op_replace(path, val)
    elif kind in ("move", "copy"):
        from_, ferr = _op_str(op, "from")
        if from_ is None:
            raise _GoErr(f"{kind} operation failed to decode from: {ferr}")
        if kind == "move":
            p.op_move(from_, path, perr)
        else:
            p.op_copy(from_, path)
    else:
        if path is None:
            raise _GoErr(f"test operation failed to decode path: {perr}")
        p.op_test(path, _op_value(op))


# ---------------------------------------------------------------------------------------------
# JSON merge patch (RFC 7386) as evanphx/json-patch v5 (KWOK) and v4 (API server) apply it


def _prune_nulls(v: Any) -> Any:
    """``pruneNulls`` (merge patch) and strategic merge's ``discardNullValuesFromPatch``: drop null
    members of objects, recursively, in place (array elements are kept)."""
    c = v.__class__
    if c is dict:
        for k in [k for k, x in v.items() if x is None]:
            del v[k]
        for x in v.values():
            _prune_nulls(x)
    elif c is list:
        for x in v:
            if x is not None:
                _prune_nulls(x)
    return v


def _merge_docs(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    for k, v in patch.items():
        if v is None:
            doc.pop(k, None)
            continue
        cur = doc.get(k)
        if cur is None:
            doc[k] = _prune_nulls(v)
        elif cur.__class__ is not dict:
            doc[k] = _prune_nulls(v)
        elif v.__class__ is not dict:
            doc[k] = v  # not pruned: jsonpatch returns a non-object patch value as it is
        else:
            _merge_docs(cur, v)


def merge_patch(target: Any, patch: Any, *, impl: str = "apiserver", copy: bool = True) -> Any:
    """Apply a JSON merge patch to ``target`` (``copy=False``: in place, for a caller that owns it)."""
    v4 = _check_impl(impl)
    doc = _copy(target) if copy else target
    patch = _copy(patch)
    if doc is None:
        raise PatchError("Invalid JSON Document", code=500 if v4 else None)
    if patch is None:
        if v4:
            raise PatchError("Invalid JSON Patch", code=400)
        return None
    if doc.__class__ is not dict or patch.__class__ is not dict:
        if patch.__class__ is dict:
            return _prune_nulls(patch)
        if patch.__class__ is list:
            return _prune_nulls(patch)
        if v4:
            raise PatchError("Invalid JSON Patch", code=400)
        return patch
    _merge_docs(doc, patch)
    return doc


# ---------------------------------------------------------------------------------------------
# Strategic merge patch (k8s.io/apimachinery v0.36.1 pkg/util/strategicpatch)

_DIRECTIVE = "$patch"
_DELETE, _REPLACE, _MERGE = "delete", "replace", "merge"
_RETAIN_KEYS = "$retainKeys"
_DELETE_PREFIX = "$deleteFromPrimitiveList"
_ORDER_PREFIX = "$setElementOrder"

ERR_BAD_JSON_DOC = "invalid JSON document"
ERR_NO_LIST_OF_LISTS = "lists of lists are not supported"
ERR_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
ERR_BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
ERR_BAD_ORDER_LIST = "invalid patch format of setElementOrder list"
ERR_UNSUPPORTED_SMP = "strategic merge patch format is not supported"
_CODE_400 = frozenset({ERR_BAD_JSON_DOC, ERR_BAD_PRIMITIVE_LIST, ERR_BAD_RETAIN_KEYS, ERR_BAD_ORDER_LIST,
                       ERR_UNSUPPORTED_SMP})
_CODE_422 = frozenset({ERR_NO_LIST_OF_LISTS, "patch content doesn't match retainKeys list"})

UNSUPPORTED_MEDIA_TYPE = ("the body of the request was in an unknown format - accepted media types include: "
                          "application/json-patch+json, application/merge-patch+json, "
                          "application/apply-patch+yaml")



class _SMPError(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _go_type_name(v: Any) -> str:
    """``reflect.TypeOf(v).String()`` for a decoded JSON value."""
    c = v.__class__
    if c is dict:
        return "map[string]interface {}"
    if c is list:
        return "[]interface {}"
    if c is str:
        return "string"
    if c is bool:
        return "bool"
    if c is int:
        return "int64"
    if c is float:
        return "float64"
    return "%!s(<nil>)"


def _bad_arg_type(expected: str, actual: Any) -> _SMPError:
    """``mergepatch.ErrBadArgType``."""
    return _SMPError(f"expected a {expected}, but received a {_go_type_name(actual)}")


_MAP_T, _SLICE_T = "map[string]interface {}", "[]interface {}"


def _no_merge_key(m: dict[str, Any], key: str) -> _SMPError:
    return _SMPError(f"map: {sprint(m)} does not contain declared merge key: {key}")


def _as_go(v: Any) -> Any:
    """A decoded JSON value with Go's dynamic types for fmt (integers are int64)."""
    c = v.__class__
    if c is int:
        return Int64(v)
    if c is dict:
        return {k: _as_go(x) for k, x in v.items()}
    if c is list:
        return [_as_go(x) for x in v]
    return v


def _bad_patch_type(t: Any, m: dict[str, Any]) -> _SMPError:
    """``mergepatch.ErrBadPatchType``."""
    return _SMPError(sprintf("unknown patch type: %s in map: %v", _as_go(t), _as_go(m)))


def _go_eq(a: Any, b: Any) -> bool:
    """Go's ``==`` on two ``interface{}`` values from a JSON decode."""
    ca, cb = a.__class__, b.__class__
    if ca is not cb:
        return False
    if ca is dict or ca is list:
        raise _SMPError(f"panic: runtime error: comparing uncomparable type {_go_type_name(a)}")
    return bool(a == b)


def _hkey(v: Any) -> Any:
    """A dict key standing for a Go ``interface{}`` map key."""
    c = v.__class__
    if c is dict or c is list:
        raise _SMPError(f"panic: runtime error: hash of unhashable type {_go_type_name(v)}")
    return (c, v)


class _Schema:
    """``PatchMetaFromStruct`` over a type of the generated schema."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def name(self) -> str:
        return KIND_NAMES[self.key]

    def lookup_struct(self, field: str) -> tuple[_Schema, list[str], str]:
        key = self.key
        d = TYPES[key]
        if d[0] == "ptr":
            key = d[2]
            d = TYPES[key]
        if d[0] not in ("struct", "special"):
            raise _SMPError("merging an object in json but data type is not struct, instead is: "
                            f"{KIND_NAMES[key]}")
        fields = d[3]
        found = None
        fold = _fold(field)
        for f in fields:
            if f[0] == field:
                found = f
                break
            if found is None and fold is not None and f[0].upper() == fold:
                found = f
        if found is None:
            name = d[2] if d[0] == "struct" else d[1].rsplit(".", 1)[-1]
            raise _SMPError(f"unable to find api field in struct {name} for the json field {go_quote(field)}")
        return _Schema(found[1]), found[4].split(","), found[5]

    def lookup_slice(self, field: str) -> tuple[_Schema, list[str], str]:
        sub, strategies, merge_key = self.lookup_struct(field)
        d = TYPES[sub.key]
        if d[0] == "slice":
            elem = d[2]
            if TYPES[elem][0] in ("slice", "bytes"):
                raise _SMPError("unexpected slice of slice")
        elif d[0] == "bytes":
            elem = "uint8"
        elif d[0] == "ptr":
            elem = d[2]
            if TYPES[elem][0] == "slice":
                elem = TYPES[elem][2]
        else:
            raise _SMPError(f"expected slice or array type, but got: {KIND_NAMES[self.key]}")
        return _Schema(elem), strategies, merge_key


def _fold(key: str) -> str | None:
    if not key.isascii():
        key = key.replace("\u212a", "K").replace("\u017f", "S")
        if not key.isascii():
            return None
    return key.upper()


def _extract_retain_keys_strategy(strategies: list[str]) -> str:
    """``extractRetainKeysPatchStrategy``: the strategy other than retainKeys."""
    if len(strategies) == 0:
        return ""
    if len(strategies) == 1:
        return "" if strategies[0] == "retainKeys" else strategies[0]
    if len(strategies) == 2:
        if strategies[0] == "retainKeys":
            return strategies[1]
        if strategies[1] == "retainKeys":
            return strategies[0]
    raise _SMPError(f"unexpected patch strategy: {sprint(strategies)}")


def _slice_stable(items: list[Any], less: Callable[[Any, Any], bool]) -> None:
    """Go's ``sort.SliceStable`` algorithm (insertion sort blocks + SymMerge), in place.

    Kept exactly because strategic merge's comparator is not a strict weak order.
    """
    n = len(items)

    def lt(i: int, j: int) -> bool:
        return less(items[i], items[j])

    def swap(i: int, j: int) -> None:
        items[i], items[j] = items[j], items[i]

    def insertion(a: int, b: int) -> None:
        for i in range(a + 1, b):
            j = i
            while j > a and lt(j, j - 1):
                swap(j, j - 1)
                j -= 1

    def swap_range(a: int, b: int, k: int) -> None:
        for i in range(k):
            swap(a + i, b + i)

    def rotate(a: int, m: int, b: int) -> None:
        i, j = m - a, b - m
        while i != j:
            if i > j:
                swap_range(m - i, m, j)
                i -= j
            else:
                swap_range(m - i, m + j - i, i)
                j -= i
        swap_range(m - i, m, i)

    def sym_merge(a: int, m: int, b: int) -> None:
        if m - a == 1:
            i, j = m, b
            while i < j:
                h = (i + j) >> 1
                if lt(h, a):
                    i = h + 1
                else:
                    j = h
            for k in range(a, i - 1):
                swap(k, k + 1)
            return
        if b - m == 1:
            i, j = a, m
            while i < j:
                h = (i + j) >> 1
                if not lt(m, h):
                    i = h + 1
                else:
                    j = h
            for k in range(m, i, -1):
                swap(k, k - 1)
            return
        mid = (a + b) >> 1
        nn = mid + m
        if m > mid:
            start, r = nn - b, mid
        else:
            start, r = a, m
        p = nn - 1
        while start < r:
            c = (start + r) >> 1
            if not lt(p - c, c):
                start = c + 1
            else:
                r = c
        end = nn - start
        if start < m < end:
            rotate(start, m, end)
        if a < start < mid:
            sym_merge(a, start, mid)
        if mid < end < b:
            sym_merge(mid, end, b)

    block = 20
    a, b = 0, block
    while b <= n:
        insertion(a, b)
        a = b
        b += block
    insertion(a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            sym_merge(a, a + block, b)
            a = b
            b += 2 * block
        m = a + block
        if m < n:
            sym_merge(a, m, n)
        block *= 2


def _go_slice_cap(n: int) -> int:
    """The capacity encoding/json leaves on a decoded ``[]interface{}`` of length n (append growth)."""
    cap = 0
    for length in range(1, n + 1):
        if length > cap:
            new = 1 if cap == 0 else cap * 2 if cap < 256 else cap + (cap + 3 * 256) // 4
            size = new * 16
            cap = _roundup_size(size) // 16
    return cap


_SIZE_CLASSES = (
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
)  # Go's malloc size classes (runtime/sizeclasses.go), up to 32 KiB


def _roundup_size(size: int) -> int:
    """runtime.roundupsize for a pointer-holding allocation (a malloc header above 512 bytes)."""
    req = size
    if req <= 32768 - 8:
        if req > 512:
            req += 8
        for c in _SIZE_CLASSES:
            if c >= req:
                return c - (req - size)
    return (req + 8191) // 8192 * 8192


class _SMP:
    """One strategic merge (MergeParallelList and IgnoreUnmatchedNulls on, as the API uses)."""

    def __init__(self, *, decoded_caps: bool) -> None:
        # decoded_caps: the original's slices come from a JSON decode (KWOK's StrategicMergePatch)
        # and keep append's spare capacity; the API server's come from ToUnstructured (cap == len).
        self.decoded_caps = decoded_caps
        self.fresh: dict[int, list[Any]] = {}  # lists the merge built itself (cap == len)

    def _mark_fresh(self, v: Any) -> Any:
        """Remember lists built here (and those inside ``v``): Go made them with cap == len."""
        c = v.__class__
        if c is list:
            self.fresh[id(v)] = v
            for x in v:
                if x.__class__ is list or x.__class__ is dict:
                    self._mark_fresh(x)
        elif c is dict:
            for x in v.values():
                if x.__class__ is list or x.__class__ is dict:
                    self._mark_fresh(x)
        return v

    # -- mergeMap -------------------------------------------------------------------------------

    def merge_map(self, original: dict[str, Any] | None, patch: dict[str, Any],
                  schema: _Schema) -> dict[str, Any]:
        if _DIRECTIVE in patch:
            v = patch[_DIRECTIVE]
            if v == _REPLACE and v.__class__ is str:
                del patch[_DIRECTIVE]
                return patch
            if v == _DELETE and v.__class__ is str:
                return {}
            raise _bad_patch_type(v, patch)
        if original is None:
            original = {}
        self.apply_retain_keys(original, patch)
        self.merge_patch_into_original(original, patch, schema)
        for k in list(patch):
            if k not in patch:
                continue
            patch_v = patch[k]
            is_delete_list = False
            if k.startswith(_DELETE_PREFIX):
                k = self.extract_key(k, _DELETE_PREFIX)
                is_delete_list = True
            if patch_v is None:
                original.pop(k, None)
                continue
            if k not in original:
                if not is_delete_list:
                    _prune_nulls(patch_v)  # discardNullValuesFromPatch: the same walk
                    val, keep = _remove_directives(patch_v)
                    if keep:
                        original[k] = self._mark_fresh(val)
            elif original[k].__class__ is not patch_v.__class__ or original[k] is None:
                if not is_delete_list:
                    _prune_nulls(patch_v)  # discardNullValuesFromPatch: the same walk
                    val, keep = _remove_directives(patch_v)
                    if keep:
                        original[k] = self._mark_fresh(val)
                    else:
                        del original[k]
            elif patch_v.__class__ is dict:
                sub, strategies, _mk = schema.lookup_struct(k)
                strategy = _extract_retain_keys_strategy(strategies)
                if strategy != _REPLACE:
                    original[k] = self.merge_map(original[k], patch_v, sub)
                else:
                    original[k] = patch_v
            elif patch_v.__class__ is list:
                sub, strategies, merge_key = schema.lookup_slice(k)
                strategy = _extract_retain_keys_strategy(strategies)
                original[k] = self.merge_slice_handler(original[k], patch_v, sub, strategy, merge_key,
                                                       is_delete_list=is_delete_list)
            else:
                val, keep = _remove_directives(patch_v)
                if keep:
                    original[k] = val
                else:  # pragma: no cover - only maps carry directives
                    del original[k]
        return original

    @staticmethod
    def extract_key(s: str, prefix: str) -> str:
        parts = s.split("/", 1)
        if len(parts) <= 1 or parts[0] != prefix:
            if prefix == _DELETE_PREFIX:
                raise _SMPError(ERR_BAD_PRIMITIVE_LIST)
            raise _SMPError(ERR_BAD_ORDER_LIST)
        return parts[1]

    @staticmethod
    def apply_retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
        if _RETAIN_KEYS not in patch:
            return
        retain = patch.pop(_RETAIN_KEYS)
        if retain.__class__ is not list:
            raise _SMPError(ERR_BAD_RETAIN_KEYS)
        keep = {_hkey(v) for v in retain}
        for k, v in patch.items():
            if v is None or k.startswith((_DELETE_PREFIX, _ORDER_PREFIX)):
                continue
            if (str, k) not in keep:
                raise _SMPError(ERR_BAD_RETAIN_KEYS)
        for k in list(original):
            if (str, k) not in keep:
                del original[k]

    def merge_patch_into_original(self, original: dict[str, Any], patch: dict[str, Any],
                                  schema: _Schema) -> None:
        for key in list(patch):
            if not key.startswith(_ORDER_PREFIX) or key not in patch:
                continue
            order = patch.pop(key)
            if order.__class__ is not list:
                raise _bad_arg_type(_SLICE_T, order)
            orig_key = self.extract_key(key, _ORDER_PREFIX)
            found_orig = orig_key in original
            found_patch = orig_key in patch
            orig_list: list[Any] = []
            patch_list: list[Any] = []
            if found_orig:
                if original[orig_key].__class__ is not list:
                    raise _bad_arg_type(_SLICE_T, original[orig_key])
                orig_list = original[orig_key]
            if found_patch:
                if patch[orig_key].__class__ is not list:
                    raise _bad_arg_type(_SLICE_T, patch[orig_key])
                patch_list = patch[orig_key]
            sub, strategies, merge_key = schema.lookup_slice(orig_key)
            strategy = _extract_retain_keys_strategy(strategies)
            self.validate_with_order(patch_list, order, merge_key)
            if found_orig and not found_patch:
                merged = orig_list
            elif not found_orig and found_patch:
                merged, _keep = _remove_directives(patch_list)
                self._mark_fresh(merged)
            elif found_orig and found_patch:
                merged = self.merge_slice_handler(original[orig_key], patch[orig_key], sub, strategy,
                                                  merge_key, is_delete_list=False)
            else:
                continue
            if merge_key == "":
                patch_items, server_only = _partition_primitives(merged, order)
            else:
                patch_items, server_only = _partition_maps(merged, order, merge_key)
            kind = _element_kind(orig_list, patch_list)
            original[orig_key] = self._mark_fresh(_normalize_element_order(
                patch_items, server_only, order, orig_list, merge_key, kind))
            patch.pop(orig_key, None)

    @staticmethod
    def validate_with_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
        if len(order) == 0 or len(patch_list) == 0:
            return
        non_delete = _extract_to_delete(patch_list)[0] if merge_key else patch_list
        pi = si = 0
        while pi < len(non_delete) and si < len(order):
            item = non_delete[pi]
            if item.__class__ is dict and _DIRECTIVE in item:
                pi += 1
                continue
            if _merge_key_equal(item, order[si], merge_key):
                pi += 1
            si += 1
        if pi < len(non_delete) and si >= len(order):
            raise _SMPError(f"The order in patch list:\n{sprint(patch_list)}\n doesn't match {_ORDER_PREFIX} "
                            f"list:\n{sprint(order)}\n")

    # -- slices -----------------------------------------------------------------------------------

    def merge_slice_handler(self, original: Any, patch: Any, schema: _Schema, strategy: str,
                            merge_key: str, *, is_delete_list: bool) -> list[Any]:
        if original.__class__ is not list:
            raise _bad_arg_type(_SLICE_T, original)
        if patch.__class__ is not list:
            raise _bad_arg_type(_SLICE_T, patch)
        if strategy == _MERGE or is_delete_list:
            return self.merge_slice(original, patch, schema, merge_key, is_delete_list=is_delete_list)
        return patch

    def merge_slice(self, original: list[Any], patch: list[Any], schema: _Schema, merge_key: str, *,
                    is_delete_list: bool) -> list[Any]:
        if len(original) == 0 and len(patch) == 0:
            return original
        kind = _element_kind(original, patch)
        if kind != "map":
            if is_delete_list:
                drop = {_hkey(v) for v in patch}
                return self._mark_fresh([v for v in original if _hkey(v) not in drop])
            merged = self.dedup_appended(original, patch)
        else:
            if merge_key == "":
                raise _SMPError(f"cannot merge lists without merge key for {schema.name()}")
            original, patch = _merge_special_elements(original, patch, merge_key)
            merged = self.merge_without_special(original, patch, merge_key, schema)
        if merge_key == "":
            patch_items, server_only = _partition_primitives(merged, patch)
        else:
            patch_items, server_only = _partition_maps(merged, patch, merge_key)
        out = _normalize_element_order(patch_items, server_only, patch, original, merge_key, kind)
        self.fresh[id(out)] = out
        return out

    def dedup_appended(self, original: list[Any], patch: list[Any]) -> list[Any]:
        """``deduplicateScalars(append(original, patch...))`` including the shared backing array.

        When ``original`` (a decoded slice) has room for the patch items, Go's append writes into
        its array and the de-duplication's swaps rewrite ``original``'s own elements too.
        """
        arr = original + patch
        length = len(arr) - 1
        i = 0
        while i < length:
            j = i + 1
            while j <= length:
                if _go_eq(arr[i], arr[j]):
                    arr[j] = arr[length]
                    length -= 1
                    j -= 1
                j += 1
            i += 1
        if self.decoded_caps and id(original) not in self.fresh:
            cap = _go_slice_cap(len(original))
        else:
            cap = len(original)
        if cap >= len(original) + len(patch):
            original[:] = arr[:len(original)]
        return arr[:length + 1]

    def merge_without_special(self, original: list[Any], patch: list[Any], merge_key: str,
                              schema: _Schema) -> list[Any]:
        appended: list[Any] = []
        for v in patch:
            if merge_key not in v:
                raise _no_merge_key(v, merge_key)
            mv = v[merge_key]
            found = _find_map(original + appended, merge_key, mv)
            if found is not None:
                idx, om = found
                merged_map = self.merge_map(om, v, schema)
                if idx < len(original):
                    original[idx] = merged_map
                else:
                    appended[idx - len(original)] = merged_map
            else:
                appended.append(v)
        return original + appended


def _remove_directives(obj: Any) -> tuple[Any, bool]:
    c = obj.__class__
    if c is dict:
        if _DIRECTIVE in obj:
            return None, False
        for k in list(obj):
            val, keep = _remove_directives(obj[k])
            if keep:
                obj[k] = val
            else:
                del obj[k]
        return obj, True
    if c is list:
        res = []
        for v in obj:
            val, keep = _remove_directives(v)
            if keep:
                res.append(val)
        return res, True
    return obj, True


def _element_kind(*slices: list[Any]) -> str:
    """``sliceElementType(...).Kind()``: "map", "slice" is an error, other kinds by class."""
    prev: Any = _NO_VALUE
    for s in slices:
        for v in s:
            c = v.__class__
            if prev is _NO_VALUE:
                if v is None:
                    raise _SMPError(_PANIC_NIL)
                prev = c
                if c is list:
                    raise _SMPError(ERR_NO_LIST_OF_LISTS)
            elif prev is not c:
                raise _SMPError(f"list element types are not identical: {sprint(list(slices))}")
    if prev is _NO_VALUE:
        raise _SMPError("no elements in any of the given slices")
    return "map" if prev is dict else "scalar"


def _extract_to_delete(items: list[Any]) -> tuple[list[Any], list[Any]]:
    keep: list[Any] = []
    delete: list[Any] = []
    for v in items:
        if v.__class__ is not dict:
            raise _SMPError(f"expected a map[string]interface {{}}, but received a {_go_type_name(v)}")
        d = v.get(_DIRECTIVE, _NO_VALUE)
        if d is not _NO_VALUE and d.__class__ is str and d == _DELETE:
            delete.append(v)
        else:
            keep.append(v)
    return keep, delete


def _merge_key_equal(left: Any, right: Any, merge_key: str) -> bool:
    if merge_key == "":
        return _go_eq(left, right)
    if left.__class__ is not dict:
        raise _bad_arg_type(_MAP_T, left)
    if right.__class__ is not dict:
        raise _bad_arg_type(_MAP_T, right)
    if merge_key not in left:
        raise _no_merge_key(left, merge_key)
    if merge_key not in right:
        raise _no_merge_key(right, merge_key)
    return _go_eq(left[merge_key], right[merge_key])


def _find_map(items: list[Any], key: str, value: Any) -> tuple[int, dict[str, Any]] | None:
    """``findMapInSliceBasedOnKeyValue``."""
    for i, v in enumerate(items):
        if v.__class__ is not dict:
            raise _SMPError(f"value for key {i} is not a map")
        if key in v and _go_eq(v[key], value):
            return i, v
    return None


def _merge_special_elements(original: list[Any], patch: list[Any],
                            merge_key: str) -> tuple[list[Any], list[Any]]:
    without: list[Any] = []
    replace = False
    for v in patch:
        if _DIRECTIVE not in v:
            without.append(v)
            continue
        t = v[_DIRECTIVE]
        if t.__class__ is str and t == _DELETE:
            if merge_key not in v:
                raise _no_merge_key(v, merge_key)
            mv = v[merge_key]
            while True:
                found = _find_map(original, merge_key, mv)
                if found is None:
                    break
                original = original[:found[0]] + original[found[0] + 1:]
        elif t.__class__ is str and t == _REPLACE:
            replace = True
        elif t.__class__ is str and t == _MERGE:
            raise _SMPError("merging lists cannot yet be specified in the patch")
        else:
            raise _bad_patch_type(t, v)
    if replace:
        return without, []
    return original, without


def _partition_primitives(items: list[Any], by: list[Any]) -> tuple[list[Any], list[Any]]:
    in_patch = {_hkey(v) for v in by}
    patch: list[Any] = []
    server: list[Any] = []
    for v in items:
        (patch if _hkey(v) in in_patch else server).append(v)
    return patch, server


def _partition_maps(items: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    patch: list[Any] = []
    server: list[Any] = []
    for v in items:
        if v.__class__ is not dict:
            raise _bad_arg_type(_MAP_T, v)
        if merge_key not in v:
            raise _no_merge_key(v, merge_key)
        found = _find_map(by, merge_key, v[merge_key])
        (patch if found is not None else server).append(v)
    return patch, server


class _Positions:
    """``index`` over one list, answered from a table (Go scans; the first match wins either way)."""

    __slots__ = ("first", "items", "kind", "merge_key", "none_at", "slow")

    def __init__(self, items: list[Any], merge_key: str, kind: str) -> None:
        self.kind = kind
        self.merge_key = merge_key
        self.items = items
        self.first: dict[Any, int] = {}
        self.none_at = -1
        self.slow: list[Any] | None = None
        for i, v in enumerate(items):
            got = self._get(v)
            if got is None:
                if self.none_at < 0:
                    self.none_at = i
            elif got.__class__ is dict or got.__class__ is list:
                self.slow = items  # uncomparable: keep Go's scan (and its panic)
                return
            else:
                self.first.setdefault((got.__class__, got), i)

    def _get(self, v: Any) -> Any:
        if self.kind == "map":
            return v.get(self.merge_key) if v.__class__ is dict else None
        return v

    def index(self, val: Any) -> int:
        want = self._get(val)
        if self.slow is not None or want.__class__ is dict or want.__class__ is list:
            for i, v in enumerate(self.items):
                got = self._get(v)
                if want is None and got is None:
                    return i
                if want is not None and got is not None and _go_eq(want, got):
                    return i
            return -1
        if want is None:
            return self.none_at
        return self.first.get((want.__class__, want), -1)


def _normalize_slice_order(to_sort: list[Any], order: list[Any], merge_key: str, kind: str) -> list[Any]:
    """``normalizeSliceOrder``: ``to_sort`` in the order of ``order`` (deletions last)."""
    to_delete: list[Any] = []
    if kind == "map":
        for lst in (to_sort, order):
            for item in lst:
                if item.__class__ is not dict:
                    raise _bad_arg_type(_MAP_T, item)
                if merge_key not in item:
                    raise _no_merge_key(item, merge_key)
        to_sort, to_delete = _extract_to_delete(to_sort)
    else:
        to_sort = list(to_sort)
    pos = _Positions(order, merge_key, kind)

    def less(a: Any, b: Any) -> bool:
        ia = pos.index(a)
        if ia >= 0:
            ib = pos.index(b)
            if ib >= 0:
                return ia < ib
        return True

    _slice_stable(to_sort, less)
    return to_sort + to_delete


def _normalize_element_order(patch: list[Any], server_only: list[Any],
                             patch_order: list[Any], server_order: list[Any], merge_key: str,
                             kind: str) -> list[Any]:
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted(server_only, patch, server_order, merge_key, kind)


def _merge_sorted(left: list[Any], right: list[Any], server_order: list[Any], merge_key: str,
                  kind: str) -> list[Any]:
    out: list[Any] = []
    pos = _Positions(server_order, merge_key, kind)
    i = j = 0
    for _ in range(len(left) + len(right)):
        if i >= len(left) and j < len(right):
            out.append(right[j])
            j += 1
        elif j >= len(right) and i < len(left):
            out.append(left[i])
            i += 1
        else:
            li = pos.index(left[i])
            ri = pos.index(right[j])
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def strategic_merge_patch(target: Any, patch: Any, kind: str, *, impl: str = "apiserver",
                          copy: bool = True) -> Any:
    """Apply a strategic merge patch to ``target`` (a Pod or a Node).

    ``copy=False``: ``target`` is patched in place and may share parts with the result (for a
    caller that owns it, such as a fresh typed view); integers beyond int64 in it are then not
    normalised. Other kinds: the API server refuses (HTTP 415, as for a custom resource); KWOK's
    local check would need the cluster's OpenAPI schema, which is not modelled.
    """
    v4 = _check_impl(impl)
    root = ROOTS.get(kind)
    if root is None:
        if v4:
            raise PatchError(UNSUPPORTED_MEDIA_TYPE, code=415)
        raise PatchError(f"strategic merge patch of kind {kind!r} needs an OpenAPI schema (not supported)")
    if target is not None and target.__class__ is not dict:
        raise PatchError(ERR_BAD_JSON_DOC, code=400 if v4 else None)
    if patch is not None and patch.__class__ is not dict:
        if v4:
            raise PatchError(f"json: cannot unmarshal {_json_type_word(patch)} into Go value of type "
                             f"map[string]interface {{}}", code=400)
        raise PatchError(ERR_BAD_JSON_DOC)
    floats = [False]
    if target is None:
        original: dict[str, Any] = {}
    else:
        original = _norm_copy(target, floats) if copy else target
    p = _norm_copy(patch, floats) if patch is not None else {}
    try:
        out = _SMP(decoded_caps=not v4).merge_map(original, p, _Schema(root))
        return _go_floats(out) if floats[0] else out
    except _SMPError as e:
        code = None
        if v4:
            code = 400 if e.text in _CODE_400 else 422 if e.text in _CODE_422 else 500
        raise PatchError(e.text, code=code) from None


# ---------------------------------------------------------------------------------------------
# Dispatch

_TYPES = {
    "json": "json", "application/json-patch+json": "json",
    "merge": "merge", "application/merge-patch+json": "merge",
    "strategic": "strategic", "application/strategic-merge-patch+json": "strategic",
    "apply": "apply", "application/apply-patch+yaml": "apply",
}


def normalize_patch_type(patch_type: str) -> str:
    """``json``, ``merge``, ``strategic`` or ``apply`` for a short name or a MIME type."""
    t = _TYPES.get(patch_type.split(";", 1)[0].strip())
    if t is None:
        raise PatchError(f"unsupported patch type {patch_type!r}", code=415)
    return t


def apply_patch(target: Any, patch: Any, patch_type: str, kind: str, *, impl: str = "apiserver",
                copy: bool = True) -> Any:
    """Dispatch on a patch type name (``json``, ``merge``, ``strategic``) or its MIME type.

    ``apply`` (server-side apply) is approximated by a merge patch.
    """
    t = normalize_patch_type(patch_type)
    if t == "json":
        return json_patch(target, patch, impl=impl, copy=copy)
    if t == "strategic":
        return strategic_merge_patch(target, patch, kind, impl=impl, copy=copy)
    return merge_patch(target, patch, impl=impl, copy=copy)

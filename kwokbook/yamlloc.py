"""YAML documents with positions: every value remembers its line and column.

Stage validation must say *where* a problem is (``stages/restart.yaml:14:12
spec.selector.matchExpressions[1].key``), so documents are composed with PyYAML (which keeps
marks) and converted to plain Python values with a side table of positions keyed by field path.
Scalars are resolved the way go-yaml v2 (KWOK's YAML library) resolves them when
:mod:`kwokbook.gotpl.yamljson` provides a resolver; otherwise by YAML 1.1 rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import KwokbookError, Location, YAMLError

PathT = tuple[str | int, ...]


def format_path(path: PathT) -> str:
    """``("spec", "steps", 0, "patch")`` → ``spec.steps[0].patch``."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif out:
            out += "." + p if _plain_key(p) else f"[{p!r}]"
        else:
            out = p if _plain_key(p) else f"[{p!r}]"
    return out


def _plain_key(k: str) -> bool:
    return k.replace("_", "a").replace("-", "a").isalnum()


@dataclass
class LocatedDocument:
    """One YAML document: its value, where it came from, and where each field is."""

    value: Any
    source: str | None
    index: int = 0  # document number in its file (0-based)
    positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)  # 1-based line, column
    key_positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)  # where the key itself is
    text: str = ""  # the whole source text (to map positions inside block scalars)

    def scalar_position(self, path: PathT, line: int, column: int) -> tuple[int, int] | None:
        """File position of (1-based line, 1-based column) *inside* the string value at ``path``.

        Handles block scalars (``|``/``>``, content from the next line at its indentation) and
        one-line plain or quoted scalars; ``None`` when the value is not found.
        """
        pos = self.positions.get(path)
        if pos is None or not self.text:
            return None
        lines = self.text.split("\n")
        vline, vcol = pos
        head = lines[vline - 1][vcol - 1 :] if vline - 1 < len(lines) else ""
        if head[:1] in ("|", ">"):
            first = vline  # 0-based index of the first content line
            while first < len(lines) and not lines[first].strip():
                first += 1
            if first >= len(lines):
                return None
            indent = len(lines[first]) - len(lines[first].lstrip(" "))
            return first + line, indent + column
        quote = 1 if head[:1] in ("'", '"') else 0
        if line == 1:
            return vline, vcol + quote + column - 1
        return vline + line - 1, column
    def location(self, path: PathT = (), *, at_key: bool = False) -> Location:
        """The location of ``path`` (or of the closest parent that has one)."""
        p = path
        table = self.key_positions if at_key else self.positions
        while True:
            pos = table.get(p) or self.positions.get(p)
            if pos is not None:
                return Location(self.source, pos[0], pos[1], format_path(path) or None)
            if not p:
                return Location(self.source, None, None, format_path(path) or None)
            p = p[:-1]


def _resolver() -> Any:
    try:
        from .gotpl import yamljson

        return getattr(yamljson, "resolve_plain_scalar", None)
    except ImportError:  # pragma: no cover - during bootstrap
        return None


class _Builder:
    def __init__(self, doc: LocatedDocument) -> None:
        self.doc = doc
        self.resolve = _resolver()
        self.anchors: dict[int, Any] = {}

    def build(self, node: yaml.Node, path: PathT) -> Any:
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    merged = self.build(vnode, path)
                    for m in merged if isinstance(merged, list) else [merged]:
                        if isinstance(m, dict):
                            for k, v in m.items():
                                out.setdefault(k, v)
                    continue
                key = self.scalar(knode) if isinstance(knode, yaml.ScalarNode) else str(self.build(knode, path))
                skey = key if isinstance(key, str) else _key_text(key)
                child: PathT = (*path, skey)
                self.doc.key_positions[child] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                out[skey] = self.build(vnode, child)
            return out
        raise YAMLError(f"unsupported YAML node {type(node).__name__}",
                        Location(self.doc.source, node.start_mark.line + 1))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.style in ("'", '"', "|", ">"):
            if node.tag in ("tag:yaml.org,2002:str", "!"):
                return node.value
        if self.resolve is not None and node.style is None and node.tag.startswith("tag:yaml.org,2002:"):
            return self.resolve(node.value)
        constructor = yaml.SafeLoader.yaml_constructors.get(node.tag)
        if constructor is None:
            return node.value
        loader = yaml.SafeLoader("")
        try:
            value = constructor(loader, node)
        except yaml.constructor.ConstructorError:
            return node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # timestamps stay strings (as after go-yaml → JSON)
        return value


def _key_text(k: Any) -> str:
    if k is None:
        return "null"
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)


def load_documents(text: str, source: str | None = None) -> list[LocatedDocument]:
    """All documents of ``text`` (empty ones skipped), with positions. Raises :class:`YAMLError`."""
    docs: list[LocatedDocument] = []
    try:
        for i, node in enumerate(_compose_all(text)):
            if node is None:
                continue
            doc = LocatedDocument(None, source, i, text=text)
            doc.value = _Builder(doc).build(node, ())
            if doc.value is not None:
                docs.append(doc)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        loc = Location(source, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
        err = YAMLError(f"invalid YAML: {e.problem or e.context}", loc)
        err.go_message = _go_yaml_message(text)  # type: ignore[attr-defined]
        raise err from None
    except yaml.YAMLError as e:
        err = YAMLError(f"invalid YAML: {e}", Location(source))
        err.go_message = _go_yaml_message(text)  # type: ignore[attr-defined]
        raise err from None
    return docs


def _go_yaml_message(text: str) -> str | None:
    """go-yaml's own message for the first broken document (KWOK's loaders report that text)."""
    import re

    from .gotpl.yamljson import yaml_to_json

    for chunk in re.split(r"(?m)^---[ \t]*(?:#.*)?$", text):
        try:
            yaml_to_json(chunk)
        except YAMLError as e:
            return e.message
    return None


def _compose_all(text: str) -> Iterator[yaml.Node | None]:
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            yield loader.get_node()
    finally:
        loader.dispose()


def load_file(path: str) -> list[LocatedDocument]:
    from .io import read_text

    return load_documents(read_text(path), path)


__all__ = ["KwokbookError", "LocatedDocument", "format_path", "load_documents", "load_file"]


def parse_path(path: str) -> PathT:
    """Inverse of :func:`format_path` for the simple forms it produces."""
    out: list[str | int] = []
    i = 0
    cur = ""
    while i < len(path):
        ch = path[i]
        if ch == ".":
            if cur:
                out.append(cur)
            cur = ""
        elif ch == "[":
            if cur:
                out.append(cur)
                cur = ""
            j = path.index("]", i)
            inner = path[i + 1 : j]
            if inner.isdigit():
                out.append(int(inner))
            else:
                out.append(inner.strip("'\""))
            i = j
        else:
            cur += ch
        i += 1
    if cur:
        out.append(cur)
    return tuple(out)

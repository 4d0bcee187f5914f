"""Sprig's path functions: Go's ``path`` (``base dir clean ext isAbs``) and ``path/filepath`` on
Linux (``osBase osDir osClean osExt osIsAbs``), which behave identically there.

KWOK runs on Linux, so ``filepath`` uses ``/`` and has no volume names; these are pure string
functions (no file system access).
"""

from __future__ import annotations

from ..values import gofunc
from ._registry import FUNCS


def clean(path: str) -> str:
    """``path.Clean``: lexical ``.``/``..``/``//`` elimination."""
    if path == "":
        return "."
    rooted = path[0] == "/"
    n = len(path)
    out: list[str] = []
    r = dotdot = 0
    if rooted:
        out.append("/")
        r = dotdot = 1
    while r < n:
        if path[r] == "/":
            r += 1
        elif path[r] == "." and (r + 1 == n or path[r + 1] == "/"):
            r += 1
        elif path[r] == "." and path[r + 1] == "." and (r + 2 == n or path[r + 2] == "/"):
            r += 2
            if len(out) > dotdot:
                w = len(out) - 1
                while w > dotdot and out[w] != "/":
                    w -= 1
                del out[w:]
            elif not rooted:
                if out:
                    out.append("/")
                out.extend("..")
                dotdot = len(out)
        else:
            if (rooted and len(out) != 1) or (not rooted and len(out) != 0):
                out.append("/")
            while r < n and path[r] != "/":
                out.append(path[r])
                r += 1
    if not out:
        return "."
    return "".join(out)


def base(path: str) -> str:
    """``path.Base``: the last element; ``"."`` for empty, ``"/"`` for all slashes."""
    if path == "":
        return "."
    path = path.rstrip("/")
    i = path.rfind("/")
    if i >= 0:
        path = path[i + 1 :]
    return path or "/"


def dir_(path: str) -> str:
    """``path.Dir``: everything but the last element, cleaned."""
    i = path.rfind("/")
    return clean(path[: i + 1])


def ext(path: str) -> str:
    """``path.Ext``: the suffix from the final dot of the last element."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] == "/":
            break
        if path[i] == ".":
            return path[i:]
    return ""


def is_abs(path: str) -> bool:
    return path.startswith("/")


for _prefix in ("", "os"):

    def _name(n: str, prefix: str = _prefix) -> str:
        return prefix + n[0].upper() + n[1:] if prefix else n

    gofunc(FUNCS, _name("base"), "string -> string")(base)
    gofunc(FUNCS, _name("dir"), "string -> string")(dir_)
    gofunc(FUNCS, _name("clean"), "string -> string")(clean)
    gofunc(FUNCS, _name("ext"), "string -> string")(ext)
    gofunc(FUNCS, _name("isAbs"), "string -> bool")(is_abs)

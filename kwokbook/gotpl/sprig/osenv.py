"""sprig's environment and DNS functions: ``env``, ``expandenv``, ``getHostByName``.

In KWOK they read the *controller's* process environment and resolver. A preview must not leak
the notebook's environment, so unless the caller opts in (``Env(environ=…)``,
``Env(hosts=…)``) they render a placeholder such as ``<env HOME: controller-side>``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..env import Env, placeholder
from ..gostrconv import from_go_bytes, to_go_bytes
from ..values import GoError, gofunc
from ._registry import FUNCS

_SPECIAL = frozenset(b"*#$@!?-0123456789")


def _is_alnum(c: int) -> bool:
    return c == 0x5F or 0x30 <= c <= 0x39 or 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A


def _shell_name(s: bytes) -> tuple[bytes, int]:
    """Go's ``os.getShellName``: the variable name after ``$`` and how many bytes it used."""
    if s[0] == 0x7B:  # {
        if len(s) > 2 and s[1] in _SPECIAL and s[2] == 0x7D:
            return s[1:2], 3
        for i in range(1, len(s)):
            if s[i] == 0x7D:
                if i == 1:
                    return b"", 2  # bad syntax; eat "${}"
                return s[1:i], i + 1
        return b"", 1  # bad syntax; eat "${"
    if s[0] in _SPECIAL:
        return s[0:1], 1
    i = 0
    while i < len(s) and _is_alnum(s[i]):
        i += 1
    return s[:i], i


def expand(s: str, mapping: Callable[[str], str]) -> str:
    """Go's ``os.Expand``, byte for byte."""
    b = to_go_bytes(s)
    buf: bytearray | None = None
    i = 0
    j = 0
    while j < len(b):
        if b[j] == 0x24 and j + 1 < len(b):  # $
            if buf is None:
                buf = bytearray()
            buf += b[i:j]
            name, w = _shell_name(b[j + 1 :])
            if not name and w > 0:
                pass  # invalid syntax: the characters are eaten
            elif not name:
                buf.append(b[j])  # "$" not followed by a name stays
            else:
                buf += to_go_bytes(mapping(from_go_bytes(name)))
            j += w
            i = j + 1
        j += 1
    if buf is None:
        return s
    return from_go_bytes(bytes(buf) + b[i:])


@gofunc(FUNCS, "env", "string -> string", tags={"env"}, needs_env=True)
def _env(env: Env, name: str) -> str:
    """os.Getenv in the KWOK controller's process."""
    if env.environ is None:
        return placeholder("env", name)
    return env.environ.get(name, "")


@gofunc(FUNCS, "expandenv", "string -> string", tags={"env"}, needs_env=True)
def _expandenv(env: Env, s: str) -> str:
    """os.ExpandEnv in the KWOK controller's process."""
    if env.environ is None:
        return expand(s, lambda name: placeholder("env", name))
    environ = env.environ
    return expand(s, lambda name: environ.get(name, ""))


@gofunc(FUNCS, "getHostByName", "string -> string", tags={"network"}, needs_env=True)
def _get_host_by_name(env: Env, name: str) -> str:
    """A random address of ``name`` from the KWOK controller's resolver (panics with none)."""
    if env.hosts is None:
        return placeholder("getHostByName", name)
    addrs = list(env.hosts.get(name) or [])
    if not addrs:
        raise GoError("invalid argument to Intn")
    return str(addrs[env.rng.randrange(len(addrs))])

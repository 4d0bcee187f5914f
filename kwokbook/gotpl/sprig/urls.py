"""Sprig's ``urlParse`` and ``urlJoin``: Go's ``net/url`` (go1.26) ``Parse`` and ``URL.String``.

``urlParse`` returns the ``map[string]interface {}`` sprig builds (scheme, host, hostname, path,
query, opaque, fragment, userinfo) and panics with ``unable to parse url: parse "…": …`` on bad
input. ``urlJoin`` rebuilds a URL from such a map. Bytes are handled as Go does (escapes are
per byte, ``%xx`` may produce invalid UTF-8).

Known gap: the reason text of ``invalid host: ParseAddr(…): …`` for a malformed bracketed IPv6
host is approximated (Go's ``netip`` parser has a message per failure point).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from ..gostrconv import from_go_bytes, quote, to_go_bytes
from ..values import STRING, GoError, gofunc, kind_of
from ._registry import FUNCS

ENCODE_PATH = 1
ENCODE_PATH_SEGMENT = 2
ENCODE_HOST = 3
ENCODE_ZONE = 4
ENCODE_USER_PASSWORD = 5
ENCODE_QUERY_COMPONENT = 6
ENCODE_FRAGMENT = 7

_HEX = b"0123456789abcdefABCDEF"
_UPPERHEX = "0123456789ABCDEF"


class URLError(Exception):
    """An error of net/url; ``str()`` is Go's ``err.Error()``."""


def _should_escape(c: int, mode: int) -> bool:
    """net/url ``shouldEscape`` (the reference implementation behind its table)."""
    if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39:
        return False
    ch = chr(c) if c < 0x80 else ""
    if mode in (ENCODE_HOST, ENCODE_ZONE) and ch and ch in "!$&'()*+,;=:[]<>\"":
        return False
    if ch and ch in "-_.~":
        return False
    if ch and ch in "$&+,/:;=?@":
        if mode == ENCODE_PATH:
            return ch == "?"
        if mode == ENCODE_PATH_SEGMENT:
            return ch in "/;,?"
        if mode == ENCODE_USER_PASSWORD:
            return ch in "@/?:"
        if mode == ENCODE_QUERY_COMPONENT:
            return True
        if mode == ENCODE_FRAGMENT:
            return False
    return not (mode == ENCODE_FRAGMENT and ch and ch in "!()*")


def _unhex(c: int) -> int:
    return int(chr(c), 16)


def _unescape(s: bytes, mode: int) -> bytes:
    n = 0
    has_plus = False
    i = 0
    while i < len(s):
        c = s[i]
        if c == 0x25:  # %
            n += 1
            if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                bad = s[i:][:3]
                raise URLError("invalid URL escape " + quote(from_go_bytes(bad)))
            if mode == ENCODE_HOST and _unhex(s[i + 1]) < 8 and s[i : i + 3] != b"%25":
                raise URLError("invalid URL escape " + quote(from_go_bytes(s[i : i + 3])))
            if mode == ENCODE_ZONE:
                v = _unhex(s[i + 1]) << 4 | _unhex(s[i + 2])
                if s[i : i + 3] != b"%25" and v != 0x20 and _should_escape(v, ENCODE_HOST):
                    raise URLError("invalid URL escape " + quote(from_go_bytes(s[i : i + 3])))
            i += 3
        elif c == 0x2B:  # +
            has_plus = mode == ENCODE_QUERY_COMPONENT
            i += 1
        else:
            if mode in (ENCODE_HOST, ENCODE_ZONE) and c < 0x80 and _should_escape(c, mode):
                raise URLError("invalid character " + quote(chr(c)) + " in host name")
            i += 1
    if n == 0 and not has_plus:
        return s
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == 0x25:
            out.append(_unhex(s[i + 1]) << 4 | _unhex(s[i + 2]))
            i += 3
            continue
        if c == 0x2B:
            out.append(0x20 if mode == ENCODE_QUERY_COMPONENT else 0x2B)
        else:
            out.append(c)
        i += 1
    return bytes(out)


def _escape(s: bytes, mode: int) -> bytes:
    out = bytearray()
    for c in s:
        if c == 0x20 and mode == ENCODE_QUERY_COMPONENT:
            out.append(0x2B)
        elif _should_escape(c, mode):
            out += f"%{_UPPERHEX[c >> 4]}{_UPPERHEX[c & 15]}".encode()
        else:
            out.append(c)
    return bytes(out)


@dataclass
class _Userinfo:
    username: bytes
    password: bytes = b""
    password_set: bool = False

    def string(self) -> bytes:
        s = _escape(self.username, ENCODE_USER_PASSWORD)
        if self.password_set:
            s += b":" + _escape(self.password, ENCODE_USER_PASSWORD)
        return s


@dataclass
class URL:
    """The fields of Go's ``url.URL`` that Parse and String use (as bytes)."""

    scheme: bytes = b""
    opaque: bytes = b""
    user: _Userinfo | None = None
    host: bytes = b""
    path: bytes = b""
    raw_path: bytes = b""
    omit_host: bool = False
    force_query: bool = False
    raw_query: bytes = b""
    fragment: bytes = b""
    raw_fragment: bytes = b""

    def set_path(self, p: bytes) -> None:
        path = _unescape(p, ENCODE_PATH)
        self.path = path
        self.raw_path = b"" if _escape(path, ENCODE_PATH) == p else p

    def set_fragment(self, f: bytes) -> None:
        frag = _unescape(f, ENCODE_FRAGMENT)
        self.fragment = frag
        self.raw_fragment = b"" if _escape(frag, ENCODE_FRAGMENT) == f else f

    def escaped_path(self) -> bytes:
        if self.raw_path and _valid_encoded(self.raw_path, ENCODE_PATH):
            try:
                p = _unescape(self.raw_path, ENCODE_PATH)
            except URLError:
                p = None
            if p == self.path:
                return self.raw_path
        if self.path == b"*":
            return b"*"
        return _escape(self.path, ENCODE_PATH)

    def escaped_fragment(self) -> bytes:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, ENCODE_FRAGMENT):
            try:
                f = _unescape(self.raw_fragment, ENCODE_FRAGMENT)
            except URLError:
                f = None
            if f == self.fragment:
                return self.raw_fragment
        return _escape(self.fragment, ENCODE_FRAGMENT)

    def hostname(self) -> bytes:
        host = self.host
        colon = host.rfind(b":")
        if colon != -1 and _valid_optional_port(host[colon:]):
            host = host[:colon]
        if host.startswith(b"[") and host.endswith(b"]"):
            host = host[1:-1]
        return host

    def string(self) -> bytes:
        buf = bytearray()
        if self.scheme:
            buf += self.scheme + b":"
        if self.opaque:
            buf += self.opaque
        else:
            if self.scheme or self.host or self.user is not None:
                if not (self.omit_host and not self.host and self.user is None):
                    if self.host or self.path or self.user is not None:
                        buf += b"//"
                    if self.user is not None:
                        buf += self.user.string() + b"@"
                    if self.host:
                        buf += _escape(self.host, ENCODE_HOST)
            path = self.escaped_path()
            if path and path[:1] != b"/" and self.host:
                buf += b"/"
            if not buf:
                segment = path.split(b"/", 1)[0]
                if b":" in segment:
                    buf += b"./"
            buf += path
        if self.force_query or self.raw_query:
            buf += b"?" + self.raw_query
        if self.fragment:
            buf += b"#" + self.escaped_fragment()
        return bytes(buf)


def _valid_encoded(s: bytes, mode: int) -> bool:
    for c in s:
        if chr(c) in "!$&'()*+,;=:@[]%":
            continue
        if _should_escape(c, mode):
            return False
    return True


def _valid_optional_port(port: bytes) -> bool:
    if port == b"":
        return True
    if port[:1] != b":":
        return False
    return all(0x30 <= b <= 0x39 for b in port[1:])


def _get_scheme(raw: bytes) -> tuple[bytes, bytes]:
    for i, c in enumerate(raw):
        if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A:
            continue
        if 0x30 <= c <= 0x39 or c in b"+-.":
            if i == 0:
                return b"", raw
            continue
        if c == 0x3A:
            if i == 0:
                raise URLError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return b"", raw
    return b"", raw


def _valid_userinfo(s: bytes) -> bool:
    for ch in from_go_bytes(s):
        if ch.isascii() and (ch.isalnum() or ch in "-._:~!$&'()*+,;=%@"):
            continue
        return False
    return True


def _parse_addr(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """Enough of ``netip.ParseAddr`` to accept/reject bracketed hosts (messages approximate)."""
    addr, _, zone = host.partition("%")
    try:
        if ":" in addr:
            return ipaddress.IPv6Address(addr)
        if zone:
            raise ValueError
        return ipaddress.IPv4Address(addr)
    except ValueError:
        raise URLError(f"invalid host: ParseAddr({quote(host)}): unable to parse IP") from None


def _parse_host(scheme: bytes, host: bytes) -> bytes:
    open_idx = host.rfind(b"[")
    if open_idx > 0:
        raise URLError("invalid IP-literal")
    if open_idx == 0:
        close_idx = host.rfind(b"]")
        if close_idx < 0:
            raise URLError("missing ']' in host")
        colon_port = host[close_idx + 1 :]
        if not _valid_optional_port(colon_port):
            raise URLError(f"invalid port {quote(from_go_bytes(colon_port))} after host")
        unescaped_port = _unescape(colon_port, ENCODE_HOST)
        hostname = host[1:close_idx]
        zone_idx = hostname.find(b"%25")
        if zone_idx >= 0:
            unescaped = _unescape(hostname[:zone_idx], ENCODE_HOST)
            unescaped += _unescape(hostname[zone_idx:], ENCODE_ZONE)
        else:
            unescaped = _unescape(hostname, ENCODE_HOST)
        addr = _parse_addr(from_go_bytes(unescaped))
        if isinstance(addr, ipaddress.IPv4Address):
            raise URLError("invalid IP-literal")
        return b"[" + unescaped + b"]" + unescaped_port
    i = host.find(b":")
    if i != -1:
        last = host.rfind(b":")
        if last != i and scheme not in (b"http", b"https"):
            i = last  # GODEBUG urlstrictcolons=1 (go 1.26 default): strict only for http(s)
        colon_port = host[i:]
        if not _valid_optional_port(colon_port):
            raise URLError(f"invalid port {quote(from_go_bytes(colon_port))} after host")
    return _unescape(host, ENCODE_HOST)


def _parse_authority(scheme: bytes, authority: bytes) -> tuple[_Userinfo | None, bytes]:
    i = authority.rfind(b"@")
    host = _parse_host(scheme, authority if i < 0 else authority[i + 1 :])
    if i < 0:
        return None, host
    userinfo = authority[:i]
    if not _valid_userinfo(userinfo):
        raise URLError("net/url: invalid userinfo")
    if b":" not in userinfo:
        return _Userinfo(_unescape(userinfo, ENCODE_USER_PASSWORD)), host
    username, _, password = userinfo.partition(b":")
    name = _unescape(username, ENCODE_USER_PASSWORD)
    user = _Userinfo(name, _unescape(password, ENCODE_USER_PASSWORD), True)
    return user, host


def _parse(raw: bytes) -> URL:
    if any(b < 0x20 or b == 0x7F for b in raw):
        raise URLError("net/url: invalid control character in URL")
    u = URL()
    if raw == b"*":
        u.path = b"*"
        return u
    scheme, rest = _get_scheme(raw)
    u.scheme = scheme.lower()
    if rest.endswith(b"?") and rest.count(b"?") == 1:
        u.force_query = True
        rest = rest[:-1]
    else:
        rest, _, u.raw_query = rest.partition(b"?")
    if not rest.startswith(b"/"):
        if u.scheme:
            u.opaque = rest
            return u
        segment = rest.split(b"/", 1)[0]
        if b":" in segment:
            raise URLError("first path segment in URL cannot contain colon")
    if (u.scheme or not rest.startswith(b"///")) and rest.startswith(b"//"):
        authority, rest = rest[2:], b""
        i = authority.find(b"/")
        if i >= 0:
            authority, rest = authority[:i], authority[i:]
        u.user, u.host = _parse_authority(u.scheme, authority)
    elif u.scheme and rest.startswith(b"/"):
        u.omit_host = True
    u.set_path(rest)
    return u


def parse(raw_url: str) -> URL:
    """``url.Parse``; raises :class:`URLError` with Go's ``*url.Error`` text."""
    raw = to_go_bytes(raw_url)
    u_part, _, frag = raw.partition(b"#")
    try:
        url = _parse(u_part)
    except URLError as e:
        raise URLError(f"parse {quote(from_go_bytes(u_part))}: {e}") from None
    if frag == b"":
        return url
    try:
        url.set_fragment(frag)
    except URLError as e:
        raise URLError(f"parse {quote(raw_url)}: {e}") from None
    return url


@gofunc(FUNCS, "urlParse", "string -> map[string]interface {}")
def _url_parse(v: str) -> dict[str, Any]:
    try:
        u = parse(v)
    except URLError as e:
        raise GoError(f"unable to parse url: {e}") from None
    s = from_go_bytes
    return {
        "scheme": s(u.scheme),
        "host": s(u.host),
        "hostname": s(u.hostname()),
        "path": s(u.path),
        "query": s(u.raw_query),
        "opaque": s(u.opaque),
        "fragment": s(u.fragment),
        "userinfo": s(u.user.string()) if u.user is not None else "",
    }


def _dict_get_or_empty(d: dict[str, Any], key: str) -> str:
    if key not in d:
        return ""
    value = d[key]
    if value is None:
        raise GoError("runtime error: invalid memory address or nil pointer dereference")
    kind = kind_of(value)
    if kind != STRING:
        raise GoError(f"unable to parse {key} key, must be of type string, but {kind} found")
    return str.__str__(value)


@gofunc(FUNCS, "urlJoin", "map[string]interface {} -> string")
def _url_join(d: dict[str, Any]) -> str:
    b = to_go_bytes
    u = URL(
        scheme=b(_dict_get_or_empty(d, "scheme")),
        host=b(_dict_get_or_empty(d, "host")),
        path=b(_dict_get_or_empty(d, "path")),
        raw_query=b(_dict_get_or_empty(d, "query")),
        opaque=b(_dict_get_or_empty(d, "opaque")),
        fragment=b(_dict_get_or_empty(d, "fragment")),
    )
    userinfo = _dict_get_or_empty(d, "userinfo")
    if userinfo != "":
        try:
            temp = parse(f"proto://{userinfo}@host")
        except URLError as e:
            raise GoError(f"unable to parse userinfo in dict: {e}") from None
        u.user = temp.user
    return from_go_bytes(u.string())

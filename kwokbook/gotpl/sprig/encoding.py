"""Sprig's ``b64enc``/``b64dec``/``b32enc``/``b32dec``: Go's ``encoding/base64`` and ``base32``.

The decoders return Go's error *text* as the result on bad input (sprig does that), so the
offsets in ``illegal base64 data at input byte N`` must be Go's: this ports the standard
encodings' decode loops (padding required, ``\\r``/``\\n`` skipped) instead of using Python's
``base64`` module, whose acceptance rules and errors differ.
"""

from __future__ import annotations

import base64

from ..gostrconv import from_go_bytes, to_go_bytes
from ..values import gofunc
from ._registry import FUNCS

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_MAP = {ord(c): i for i, c in enumerate(_B64)}
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_MAP = {ord(c): i for i, c in enumerate(_B32)}
_PAD = ord("=")
_NL = (0x0A, 0x0D)


class _Corrupt(Exception):
    def __init__(self, kind: str, at: int) -> None:
        super().__init__(f"illegal {kind} data at input byte {at}")


def _b64_quantum(src: bytes, si: int, out: bytearray) -> tuple[int, bool]:
    """``decodeQuantum`` of base64.StdEncoding; returns (next si, done)."""
    dbuf = [0, 0, 0, 0]
    dlen = 4
    err_at = -1
    j = 0
    while j < 4:
        if len(src) == si:
            if j == 0:
                return si, True
            raise _Corrupt("base64", si - j)
        c = src[si]
        si += 1
        v = _B64_MAP.get(c)
        if v is not None:
            dbuf[j] = v
            j += 1
            continue
        if c in _NL:
            continue
        if c != _PAD:
            raise _Corrupt("base64", si - 1)
        if j in (0, 1):
            raise _Corrupt("base64", si - 1)
        if j == 2:
            while si < len(src) and src[si] in _NL:
                si += 1
            if si == len(src):
                raise _Corrupt("base64", len(src))
            if src[si] != _PAD:
                raise _Corrupt("base64", si - 1)
            si += 1
        while si < len(src) and src[si] in _NL:
            si += 1
        if si < len(src):
            err_at = si
        dlen = j
        break
    val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
    b = [(val >> 16) & 0xFF, (val >> 8) & 0xFF, val & 0xFF]
    out.extend(b[: dlen - 1])
    if err_at >= 0:
        raise _Corrupt("base64", err_at)
    return si, False


def b64_decode(s: str) -> bytes:
    """``base64.StdEncoding.DecodeString``; raises with Go's error text."""
    src = to_go_bytes(s)
    out = bytearray()
    si = 0
    while si < len(src):
        si, done = _b64_quantum(src, si, out)
        if done:
            break
    return bytes(out)


def b32_decode(s: str) -> bytes:
    """``base32.StdEncoding.DecodeString`` (newlines are stripped before decoding)."""
    src = bytes(c for c in to_go_bytes(s) if c not in _NL)
    olen = len(src)
    out = bytearray()
    pos = 0
    end = False
    while pos < olen and not end:
        dbuf = [0] * 8
        dlen = 8
        j = 0
        while j < 8:
            rest = olen - pos
            if rest == 0:
                raise _Corrupt("base32", olen - rest - j)
            c = src[pos]
            pos += 1
            rest -= 1
            if c == _PAD and j >= 2 and rest < 8:
                if rest + j < 7:
                    raise _Corrupt("base32", olen)
                for k in range(7 - j):
                    if rest > k and src[pos + k] != _PAD:
                        raise _Corrupt("base32", olen - rest + k - 1)
                dlen, end = j, True
                if dlen in (1, 3, 6):
                    raise _Corrupt("base32", olen - rest - 1)
                break
            v = _B32_MAP.get(c)
            if v is None:
                raise _Corrupt("base32", olen - rest - 1)
            dbuf[j] = v
            j += 1
        q = [
            (dbuf[0] << 3 | dbuf[1] >> 2) & 0xFF,
            (dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4) & 0xFF,
            (dbuf[3] << 4 | dbuf[4] >> 1) & 0xFF,
            (dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3) & 0xFF,
            (dbuf[6] << 5 | dbuf[7]) & 0xFF,
        ]
        nbytes = {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}.get(dlen, 0)
        out.extend(q[:nbytes])
    return bytes(out)


@gofunc(FUNCS, "b64enc", "string -> string")
def _b64enc(v: str) -> str:
    return base64.b64encode(to_go_bytes(v)).decode("ascii")


@gofunc(FUNCS, "b64dec", "string -> string")
def _b64dec(v: str) -> str:
    """Decoded text, or Go's error message as the result (sprig's behaviour)."""
    try:
        return from_go_bytes(b64_decode(v))
    except _Corrupt as e:
        return str(e)


@gofunc(FUNCS, "b32enc", "string -> string")
def _b32enc(v: str) -> str:
    return base64.b32encode(to_go_bytes(v)).decode("ascii")


@gofunc(FUNCS, "b32dec", "string -> string")
def _b32dec(v: str) -> str:
    try:
        return from_go_bytes(b32_decode(v))
    except _Corrupt as e:
        return str(e)

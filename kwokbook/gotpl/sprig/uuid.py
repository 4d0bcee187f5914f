"""Sprig's ``uuidv4``: ``github.com/google/uuid`` ``New().String()``, randomness from the render's rng."""

from __future__ import annotations

from ..env import Env
from ..values import gofunc
from ._registry import FUNCS


@gofunc(FUNCS, "uuidv4", "-> string", tags={"random"}, needs_env=True)
def _uuidv4(env: Env) -> str:
    """16 random bytes with the version (4) and RFC 4122 variant bits set, in 8-4-4-4-12 hex."""
    b = bytearray(env.rng.getrandbits(128).to_bytes(16, "big"))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

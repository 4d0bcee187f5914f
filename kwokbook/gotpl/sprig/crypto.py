"""Sprig v3.3.0's crypto functions (``crypto.go``): keys, certificates, bcrypt, AES, passwords.

Randomness comes from the render's ``env.rng`` (so a preview is reproducible) where Go reads
``crypto/rand``: RSA/DSA primes, EC and Ed25519 keys, certificate serials, AES IVs, bcrypt salts.
The deterministic functions (``derivePassword``, ``decryptAES``) are byte-exact, including their
panics. Certificates are built the way ``x509.CreateCertificate`` lays them out (same fields,
extensions and encodings), so only the random parts differ from what KWOK would produce.

Go's errors are reproduced for what templates can reach: PEM/base64 decoding, key-type
mismatches, bad IPs/DNS names, unsupported keys. Detailed ASN.1 parse errors of malformed
DER (Go's ``asn1: structure error: …`` texts) are approximated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import math
import struct
from dataclasses import dataclass
from itertools import takewhile
from typing import Any, ClassVar

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, x25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..env import Env
from ..gostrconv import from_go_bytes, quote, to_go_bytes
from ..gotime import _civil_from_days
from ..values import STRUCT, T_STRING, GoError, GoStruct, GoType, gofunc, register_type, type_of, wrap_int64
from ._registry import FUNCS

_TAGS = ("crypto", "random")

# ---------------------------------------------------------------------------------------------
# The certificate struct sprig returns


T_CERTIFICATE = register_type(GoType("sprig.certificate", STRUCT))


class Certificate(GoStruct):
    """sprig's ``certificate{Cert, Key string}``: ``.Cert``/``.Key`` work, ``%v`` is ``{cert key}``."""

    gotype: ClassVar[GoType] = T_CERTIFICATE
    go_fields: ClassVar[tuple[str, ...]] = ("Cert", "Key")

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.Cert = cert
        self.Key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and (self.Cert, self.Key) == (other.Cert, other.Key)

    def __hash__(self) -> int:
        return hash((self.Cert, self.Key))

    def __repr__(self) -> str:
        return f"Certificate(Cert={self.Cert[:30]!r}…, Key={self.Key[:30]!r}…)"


# ---------------------------------------------------------------------------------------------
# encoding/base64 StdEncoding.DecodeString, with Go's CorruptInputError offsets

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_DECODE = {c: i for i, c in enumerate(_B64_ALPHABET)}


def b64_std_decode(src: bytes) -> tuple[bytes, int | None]:
    """Decoded bytes and the offset of Go's ``illegal base64 data at input byte N`` (or None)."""
    out = bytearray()
    si, n = 0, len(src)
    while si < n:
        dbuf = [0, 0, 0, 0]
        dlen = 4
        err: int | None = None
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return bytes(out), None
                return bytes(out), si - j
            c = src[si]
            si += 1
            v = _B64_DECODE.get(c)
            if v is not None:
                dbuf[j] = v
                j += 1
                continue
            if c in (0x0A, 0x0D):
                continue
            if c != 0x3D:  # '='
                return bytes(out), si - 1
            if j in (0, 1):
                return bytes(out), si - 1
            if j == 2:
                while si < n and src[si] in (0x0A, 0x0D):
                    si += 1
                if si == n:
                    return bytes(out), n
                if src[si] != 0x3D:
                    return bytes(out), si - 1
                si += 1
            while si < n and src[si] in (0x0A, 0x0D):
                si += 1
            if si < n:
                err = si
            dlen = j
            break
        val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
        out += bytes(((val >> 16) & 0xFF, (val >> 8) & 0xFF, val & 0xFF))[: dlen - 1]
        if err is not None:
            return bytes(out), err
    return bytes(out), None


# ---------------------------------------------------------------------------------------------
# encoding/pem


@dataclass
class PemBlock:
    type: bytes
    headers: dict[bytes, bytes]
    data: bytes


_PEM_START = b"\n-----BEGIN "
_PEM_END = b"\n-----END "
_PEM_EOL = b"-----"


def _get_line(data: bytes) -> tuple[bytes, bytes, int]:
    i = data.find(b"\n")
    if i < 0:
        i = j = len(data)
    else:
        j = i + 1
        if i > 0 and data[i - 1] == 0x0D:
            i -= 1
    return data[:i].rstrip(b" \t"), data[j:], j


def pem_decode(data: bytes) -> PemBlock | None:
    """``pem.Decode``: the first well-formed block (Go's search rules), or None."""
    rest = data
    end_trailer_index = 0
    while True:
        if end_trailer_index < 0 or end_trailer_index > len(rest):
            return None
        rest = rest[end_trailer_index:]
        end_index = rest.find(_PEM_END)
        if end_index < 0:
            return None
        end_trailer_index = end_index + len(_PEM_END)
        begin_index = rest[:end_index].rfind(_PEM_START[1:])
        if begin_index < 0 or (begin_index > 0 and rest[begin_index - 1] != 0x0A):
            continue
        skip = begin_index + len(_PEM_START) - 1
        rest = rest[skip:]
        end_index -= skip
        end_trailer_index -= skip
        type_line, rest, consumed = _get_line(rest)
        end_index -= consumed
        end_trailer_index -= consumed
        if not type_line.endswith(_PEM_EOL):
            continue
        type_line = type_line[: -len(_PEM_EOL)]
        headers: dict[bytes, bytes] = {}
        while True:
            if not rest:
                return None
            line, nxt, consumed = _get_line(rest)
            key, sep, val = line.partition(b":")
            if not sep:
                break
            headers[key.strip()] = val.strip()
            rest = nxt
            end_index -= consumed
            end_trailer_index -= consumed
        if headers and end_index < 0:
            continue
        end_trailer = rest[end_trailer_index:]
        end_trailer_len = len(type_line) + len(_PEM_EOL)
        if len(end_trailer) < end_trailer_len:
            continue
        rest_of_end_line = end_trailer[end_trailer_len:]
        end_trailer = end_trailer[:end_trailer_len]
        if not end_trailer.startswith(type_line) or not end_trailer.endswith(_PEM_EOL):
            continue
        if _get_line(rest_of_end_line)[0]:
            continue
        body = b""
        if end_index > 0:
            body, err = b64_std_decode(rest[:end_index].replace(b" ", b"").replace(b"\t", b""))
            if err is not None:
                continue
        return PemBlock(type_line, headers, body)


def pem_encode(typ: str, der: bytes) -> str:
    """``pem.EncodeToMemory`` of a block without headers."""
    b64 = base64.b64encode(der).decode("ascii")
    lines = "".join(b64[i : i + 64] + "\n" for i in range(0, len(b64), 64))
    return f"-----BEGIN {typ}-----\n{lines}-----END {typ}-----\n"


# ---------------------------------------------------------------------------------------------
# Minimal DER


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(b),)) + b


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes((tag,)) + _der_len(len(content)) + content


def _der_int(n: int) -> bytes:
    size = (n.bit_length() // 8 + 1) if n >= 0 else ((-n - 1).bit_length() // 8 + 1)
    return _tlv(0x02, n.to_bytes(size, "big", signed=True))


def _seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, bytes(body))


def _oid_str(content: bytes) -> str:
    arcs: list[int] = []
    val = 0
    for b in content:
        val = (val << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(val)
            val = 0
    if not arcs:
        return ""
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(a) for a in head + arcs[1:])


class _DerError(Exception):
    pass


def _der_read(data: bytes, pos: int = 0) -> tuple[int, bytes, int]:
    """One TLV at ``pos``: (tag, content, end); raises _DerError on malformed input."""
    if pos + 2 > len(data):
        raise _DerError("truncated")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise _DerError("high tag")
    ln = data[pos + 1]
    pos += 2
    if ln & 0x80:
        k = ln & 0x7F
        if k == 0 or k > 4 or pos + k > len(data):
            raise _DerError("bad length")
        ln = int.from_bytes(data[pos : pos + k], "big")
        pos += k
    if pos + ln > len(data):
        raise _DerError("truncated")
    return tag, data[pos : pos + ln], pos + ln


def _der_children(content: bytes) -> list[tuple[int, bytes, bytes]]:
    """(tag, content, full element) of every element in a constructed value."""
    out = []
    pos = 0
    while pos < len(content):
        tag, body, end = _der_read(content, pos)
        out.append((tag, body, content[pos:end]))
        pos = end
    return out


def _der_shape(der: bytes) -> list[tuple[int, bytes, bytes]] | None:
    """The children of a lone top-level SEQUENCE, or None."""
    try:
        tag, body, end = _der_read(der)
        if tag != 0x30 or end != len(der):
            return None
        return _der_children(body)
    except _DerError:
        return None


def _looks_pkcs1(kids: list[tuple[int, bytes, bytes]] | None) -> bool:
    return kids is not None and len(kids) >= 6 and all(k[0] == 0x02 for k in kids[:6])


def _looks_sec1(kids: list[tuple[int, bytes, bytes]] | None) -> bool:
    return kids is not None and len(kids) >= 2 and kids[0][0] == 0x02 and kids[1][0] == 0x04


def _looks_pkcs8(kids: list[tuple[int, bytes, bytes]] | None) -> bool:
    return (kids is not None and len(kids) >= 3 and kids[0][0] == 0x02 and kids[1][0] == 0x30
            and kids[2][0] == 0x04)


# ---------------------------------------------------------------------------------------------
# Key generation from env.rng (Go's algorithms: fresh random candidates, top bits set)

def _odd_primes_below(limit: int) -> list[int]:
    sieve = bytearray([1]) * limit
    sieve[0:2] = b"\0\0"
    for i in range(2, math.isqrt(limit) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return [i for i in range(3, limit, 2) if sieve[i]]


_SIEVE_LIMIT = 1 << 18
_sieve_primes: list[int] = []
_MR_BASES = (2, 3, 5, 7, 11, 13)  # random candidates: after base 2 only primes remain, the rest confirm


def _primes() -> list[int]:
    if not _sieve_primes:
        _sieve_primes.extend(_odd_primes_below(_SIEVE_LIMIT))
    return _sieve_primes


def _miller_rabin(n: int) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


_SMALL_PRIMORIAL = math.prod(p for p in _odd_primes_below(1 << 12))


def is_probable_prime(n: int) -> bool:
    """Small-prime gcd, then Miller-Rabin (our candidates are random, not adversarial)."""
    if n < _SIEVE_LIMIT:
        small = takewhile(lambda p: p * p <= n, _primes())
        return n == 2 or (n > 2 and n % 2 == 1 and all(n % p for p in small))
    if n % 2 == 0 or math.gcd(n, _SMALL_PRIMORIAL) != 1:
        return False
    return _miller_rabin(n)


_WINDOW = 4096  # candidates sieved at once


def _sieved_search(start: int, step: int) -> int | None:
    """The first probable prime among start, start+step, … (start odd, step even, both large)."""
    marks = bytearray(_WINDOW)
    for p in _primes():
        inv = pow(step % p, -1, p) if step % p else 0
        if not inv:
            continue  # p divides step: start + k·step ≡ start (mod p) for every k
        k0 = (-(start % p) * inv) % p
        if k0 < _WINDOW:
            marks[k0::p] = b"\1" * len(range(k0, _WINDOW, p))
    for k in range(_WINDOW):
        if not marks[k] and _miller_rabin(start + step * k):
            return start + step * k
    return None


def _random_prime(env: Env, bits: int) -> int:
    """A random prime of exactly ``bits`` bits with the top two bits set, as Go's randomPrime.

    Go draws fresh random bytes per candidate; this draws a random start the same way and sieves
    a window above it (pure-Python Miller-Rabin is the cost, sieving cuts how often it runs).
    """
    size = (bits + 7) // 8
    excess = size * 8 - bits
    top = 0b11 << (bits - 2)
    while True:
        b = bytearray(env.rng.randbytes(size))
        b[0] &= 0xFF >> excess
        if excess < 7:
            b[0] |= 0xC0 >> excess
        else:
            b[0] |= 0x01
            b[1] |= 0x80
        b[-1] |= 1
        p = _sieved_search(int.from_bytes(b, "big"), 2)
        if p is not None and p.bit_length() == bits and p & top == top:
            return p


def generate_rsa(env: Env, bits: int) -> rsa.RSAPrivateKey:
    """``rsa.GenerateKey``: e = 65537, d = e⁻¹ mod λ(N)."""
    while True:
        p = _random_prime(env, (bits + 1) // 2)
        q = _random_prime(env, bits // 2)
        if p == q:
            continue
        lam = math.lcm(p - 1, q - 1)
        if math.gcd(65537, lam) != 1:
            continue
        d = pow(65537, -1, lam)
        pub = rsa.RSAPublicNumbers(65537, p * q)
        return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), pub).private_key()


@dataclass
class DSAKey:
    """A DSA private key (Go's ``*dsa.PrivateKey``): x509 cannot sign with it."""

    p: int
    q: int
    g: int
    y: int
    x: int


def generate_dsa(env: Env) -> DSAKey:
    """``dsa.GenerateParameters(L2048N256)`` then ``dsa.GenerateKey``, as Go does them."""
    big_l, n_bits = 2048, 256
    while True:
        qb = bytearray(env.rng.randbytes(n_bits // 8))
        qb[-1] |= 1
        qb[0] |= 0x80
        q = int.from_bytes(qb, "big")
        if not is_probable_prime(q):
            continue
        # Go draws up to 4L fresh candidates p ≡ 1 (mod q); this sieves p, p+2q, … above one
        pb = bytearray(env.rng.randbytes(big_l // 8))
        pb[-1] |= 1
        pb[0] |= 0x80
        p = int.from_bytes(pb, "big")
        p -= p % q - 1
        if p % 2 == 0:
            p += q
        found = _sieved_search(p, 2 * q)
        if found is not None and found.bit_length() == big_l:
            p = found
            break
    e = (p - 1) // q
    h = 2
    while True:
        g = pow(h, e, p)
        if g != 1:
            break
        h += 1
    while True:
        x = int.from_bytes(env.rng.randbytes(q.bit_length() // 8), "big")
        if 0 < x < q:
            break
    return DSAKey(p, q, g, pow(g, x, p), x)


def generate_ecdsa_p256(env: Env) -> ec.EllipticCurvePrivateKey:
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(env.rng.randrange(1, n), ec.SECP256R1())


def generate_ed25519(env: Env) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(env.rng.randbytes(32))


PrivateKey = Any  # cryptography key objects, or DSAKey


def pem_block_for_key(key: PrivateKey) -> tuple[str, bytes]:
    """sprig's ``pemBlockForKey``: PKCS#1 for RSA, SEC 1 for EC, its own DSA form, else PKCS#8."""
    nothing = serialization.NoEncryption()
    der = serialization.Encoding.DER
    traditional = serialization.PrivateFormat.TraditionalOpenSSL
    if isinstance(key, rsa.RSAPrivateKey):
        return "RSA PRIVATE KEY", key.private_bytes(der, traditional, nothing)
    if isinstance(key, DSAKey):
        return "DSA PRIVATE KEY", _seq(*(_der_int(v) for v in (0, key.p, key.q, key.g, key.y, key.x)))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "EC PRIVATE KEY", key.private_bytes(der, traditional, nothing)
    return "PRIVATE KEY", key.private_bytes(der, serialization.PrivateFormat.PKCS8, nothing)


@gofunc(FUNCS, "genPrivateKey", "string -> string", tags=_TAGS, needs_env=True)
def _gen_private_key(env: Env, typ: str) -> str:
    """PEM private key: ``rsa`` (4096 bits, the default), ``dsa``, ``ecdsa`` (P-256) or ``ed25519``."""
    key: PrivateKey
    if typ in ("", "rsa"):
        key = generate_rsa(env, 4096)
    elif typ == "dsa":
        key = generate_dsa(env)
    elif typ == "ecdsa":
        key = generate_ecdsa_p256(env)
    elif typ == "ed25519":
        key = generate_ed25519(env)
    else:
        return "Unknown type " + typ
    return pem_encode(*pem_block_for_key(key))


# ---------------------------------------------------------------------------------------------
# Parsing private keys (sprig's parsePrivateKeyPEM over Go's x509 parsers)

_OID_RSA = "1.2.840.113549.1.1.1"
_OID_EC = "1.2.840.10045.2.1"
_OID_ED25519 = "1.3.101.112"
_OID_X25519 = "1.3.101.110"
_GO_CURVES = ("secp224r1", "secp256r1", "secp384r1", "secp521r1")
_USE_PKCS1 = "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)"
_USE_EC = "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
_USE_PKCS8 = "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
_ASN1_MISMATCH = "asn1: structure error: tags don't match"  # approximation of Go's longer text


class _KeyError(Exception):
    pass


def _load_der(der: bytes) -> Any:
    try:
        return serialization.load_der_private_key(der, None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise _KeyError(str(e).split("\n")[0] or "x509: malformed private key") from None


def _parse_pkcs1(der: bytes) -> rsa.RSAPrivateKey:
    kids = _der_shape(der)
    if not _looks_pkcs1(kids):
        if _looks_sec1(kids):
            raise _KeyError(_USE_EC)
        if _looks_pkcs8(kids):
            raise _KeyError(_USE_PKCS8)
        raise _KeyError(_ASN1_MISMATCH)
    assert kids is not None
    ints = [int.from_bytes(k[1], "big", signed=True) for k in kids if k[0] == 0x02]
    if ints[0] > 1:
        raise _KeyError("x509: unsupported private key version")
    if any(v <= 0 for v in (ints[1], ints[3], ints[4], ints[5])) or any(v <= 0 for v in ints[6:9]):
        raise _KeyError("x509: private key contains zero or negative value")
    key = _load_der(der)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _KeyError(_ASN1_MISMATCH)
    return key


def _parse_ec(der: bytes) -> ec.EllipticCurvePrivateKey:
    kids = _der_shape(der)
    if not _looks_sec1(kids):
        if _looks_pkcs8(kids):
            raise _KeyError(_USE_PKCS8)
        if _looks_pkcs1(kids):
            raise _KeyError(_USE_PKCS1)
        raise _KeyError("x509: failed to parse EC private key: " + _ASN1_MISMATCH)
    assert kids is not None
    version = int.from_bytes(kids[0][1], "big", signed=True)
    if version != 1:
        raise _KeyError(f"x509: unknown EC private key version {version}")
    try:
        key = _load_der(der)
    except _KeyError:
        raise _KeyError("x509: unknown elliptic curve") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name not in _GO_CURVES:
        raise _KeyError("x509: unknown elliptic curve")
    return key


def _parse_pkcs8(der: bytes) -> Any:
    kids = _der_shape(der)
    if not _looks_pkcs8(kids):
        if _looks_sec1(kids):
            raise _KeyError(_USE_EC)
        if _looks_pkcs1(kids):
            raise _KeyError(_USE_PKCS1)
        raise _KeyError(_ASN1_MISMATCH)
    assert kids is not None
    try:
        algo = _der_children(kids[1][1])
    except _DerError:
        raise _KeyError(_ASN1_MISMATCH) from None
    if not algo or algo[0][0] != 0x06:
        raise _KeyError(_ASN1_MISMATCH)
    oid = _oid_str(algo[0][1])
    inner = kids[2][1]
    if oid == _OID_RSA:
        try:
            return _parse_pkcs1(inner)
        except _KeyError as e:
            raise _KeyError(f"x509: failed to parse RSA private key embedded in PKCS#8: {e}") from None
    if oid == _OID_EC:
        try:
            key = _load_der(der)
        except _KeyError as e:
            raise _KeyError(f"x509: failed to parse EC private key embedded in PKCS#8: {e}") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name not in _GO_CURVES:
            raise _KeyError("x509: failed to parse EC private key embedded in PKCS#8: "
                            "x509: unknown elliptic curve")
        return key
    if oid in (_OID_ED25519, _OID_X25519):
        if len(algo) > 1:
            if oid == _OID_ED25519:
                raise _KeyError("x509: invalid Ed25519 private key parameters")
            raise _KeyError("x509: invalid X25519 private key parameters")
        try:
            tag, seed, end = _der_read(inner)
            if tag != 0x04 or end != len(inner):
                raise _DerError("not an octet string")
        except _DerError:
            name = "Ed25519" if oid == _OID_ED25519 else "X25519"
            raise _KeyError(f"x509: invalid {name} private key: {_ASN1_MISMATCH}") from None
        if oid == _OID_ED25519:
            if len(seed) != 32:
                raise _KeyError(f"x509: invalid Ed25519 private key length: {len(seed)}")
            return ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        if len(seed) != 32:
            raise _KeyError("crypto/ecdh: invalid private key size")
        return x25519.X25519PrivateKey.from_private_bytes(seed)
    raise _KeyError(f"x509: PKCS#8 wrapping contained private key with unknown algorithm: {oid}")


def parse_private_key_pem(text: str) -> PrivateKey:
    """sprig's ``parsePrivateKeyPEM``; raises GoError-ready ``_KeyError`` texts."""
    block = pem_decode(to_go_bytes(text))
    if block is None:
        raise _KeyError("no PEM data in input")
    btype = from_go_bytes(block.type)
    if btype == "PRIVATE KEY":
        try:
            return _parse_pkcs8(block.data)
        except _KeyError as e:
            raise _KeyError(f"decoding PEM as PKCS#8: {e}") from None
    if not btype.endswith(" PRIVATE KEY"):
        raise _KeyError(f"no private key data in PEM block of type {btype}")
    kind = btype[: -len(" PRIVATE KEY")]
    if kind == "RSA":
        try:
            return _parse_pkcs1(block.data)
        except _KeyError as e:
            raise _KeyError(f"parsing RSA private key from PEM: {e}") from None
    if kind == "EC":
        try:
            return _parse_ec(block.data)
        except _KeyError as e:
            raise _KeyError(f"parsing EC private key from PEM: {e}") from None
    if kind == "DSA":
        try:
            tag, body, _end = _der_read(block.data)  # asn1.Unmarshal ignores trailing data
            kids = _der_children(body) if tag == 0x30 else None
        except _DerError:
            kids = None
        if kids is None or len(kids) < 6 or not all(k[0] == 0x02 for k in kids[:6]):
            raise _KeyError(f"parsing DSA private key from PEM: {_ASN1_MISMATCH}")
        v = [int.from_bytes(k[1], "big", signed=True) for k in kids[:6]]
        return DSAKey(v[1], v[2], v[3], v[4], v[5])
    raise _KeyError(f"invalid private key type {btype}")


# ---------------------------------------------------------------------------------------------
# x509.CreateCertificate, for the templates sprig builds


_KU_DIGITAL_SIGNATURE = 1 << 0
_KU_KEY_ENCIPHERMENT = 1 << 2
_KU_CERT_SIGN = 1 << 5


@dataclass
class CertTemplate:
    """The fields of sprig's ``getBaseCertTemplate`` (and the CA overrides)."""

    serial: int
    common_name: str
    ips: list[bytes]
    dns_names: list[str]
    not_before_ns: int
    not_after_ns: int
    key_usage: int = _KU_KEY_ENCIPHERMENT | _KU_DIGITAL_SIGNATURE
    is_ca: bool = False


@dataclass
class ParsedCA:
    """What CreateCertificate uses of a parsed parent certificate."""

    raw_subject: bytes
    subject_key_id: bytes
    spki: bytes


class _CertError(Exception):
    pass


def _is_printable(b: int) -> bool:
    return (0x61 <= b <= 0x7A or 0x41 <= b <= 0x5A or 0x30 <= b <= 0x39 or 0x27 <= b <= 0x29
            or 0x2B <= b <= 0x2F or b in (0x20, 0x3A, 0x3D, 0x3F))


def _subject_bytes(cn: str) -> bytes:
    """``asn1.Marshal(pkix.Name{CommonName: cn}.ToRDNSequence())``."""
    if cn == "":
        return _seq()
    raw = to_go_bytes(cn)
    if all(b < 0x80 and _is_printable(b) for b in raw):
        value = _tlv(0x13, raw)  # PrintableString
    else:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _CertError("asn1: string not valid UTF-8") from None
        value = _tlv(0x0C, raw)  # UTF8String
    return _seq(_tlv(0x31, _seq(_oid("2.5.4.3"), value)))


def _asn1_time(ns: int) -> bytes:
    """UTCTime for 1950–2049, GeneralizedTime otherwise (seconds, UTC)."""
    secs = ns // 1_000_000_000
    days, rem = divmod(secs, 86400)
    y, mo, d = _civil_from_days(days)
    hh, mm, ss = rem // 3600, rem // 60 % 60, rem % 60
    tail = f"{mo:02d}{d:02d}{hh:02d}{mm:02d}{ss:02d}Z"
    if 1950 <= y < 2050:
        return _tlv(0x17, (f"{y % 100:02d}" + tail).encode())
    if y < 0 or y > 9999:
        raise _CertError("asn1: structure error: cannot represent time as GeneralizedTime")
    return _tlv(0x18, (f"{y:04d}" + tail).encode())


def _ext(oid: str, value: bytes, critical: bool = False) -> bytes:
    return _seq(_oid(oid), _tlv(0x01, b"\xff") if critical else b"", _tlv(0x04, value))


def _key_usage_ext(ku: int) -> bytes:
    a = [int(f"{ku & 0xFF:08b}"[::-1], 2), int(f"{(ku >> 8) & 0xFF:08b}"[::-1], 2)]
    bits = bytes(a[:2] if a[1] else a[:1])
    trailing = 0
    for b in reversed(bits):
        if b == 0:
            trailing += 8
            continue
        trailing += (b & -b).bit_length() - 1
        break
    unused = trailing % 8 if trailing < len(bits) * 8 else 0
    return _ext("2.5.29.15", _tlv(0x03, bytes((unused,)) + bits), critical=True)


def _public_key_info(key: PrivateKey) -> bytes:
    """The SubjectPublicKeyInfo of the signee; DSA keys are refused as Go's marshalPublicKey does."""
    if isinstance(key, DSAKey):
        raise _CertError("x509: unsupported public key type: *dsa.PublicKey")
    if isinstance(key, x25519.X25519PrivateKey):  # marshals, but is no x509 public key algorithm
        raise _CertError("x509: unsupported public key type: *ecdh.PublicKey")
    pub = key.public_key()
    return pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _spki_key_bytes(spki: bytes) -> bytes:
    kids = _der_shape(spki)
    assert kids is not None and kids[1][0] == 0x03
    return kids[1][1][1:]


def _signing_params(key: PrivateKey) -> tuple[bytes, Any]:
    """AlgorithmIdentifier and hash for ``signingParamsForKey``."""
    if isinstance(key, rsa.RSAPrivateKey):
        return _seq(_oid("1.2.840.113549.1.1.11"), b"\x05\x00"), hashes.SHA256()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        name = key.curve.name
        if name in ("secp224r1", "secp256r1"):
            return _seq(_oid("1.2.840.10045.4.3.2")), hashes.SHA256()
        if name == "secp384r1":
            return _seq(_oid("1.2.840.10045.4.3.3")), hashes.SHA384()
        if name == "secp521r1":
            return _seq(_oid("1.2.840.10045.4.3.4")), hashes.SHA512()
        raise _CertError("x509: unsupported elliptic curve")
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return _seq(_oid(_OID_ED25519)), None
    raise _CertError("x509: only RSA, ECDSA and Ed25519 keys supported")


def _sign(key: PrivateKey, data: bytes, hash_alg: Any) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hash_alg)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hash_alg, deterministic_signing=True))
    return bytes(key.sign(data))


def create_certificate(tmpl: CertTemplate, pub_key: PrivateKey, parent: ParsedCA | None,
                       signer: PrivateKey) -> bytes:
    """``x509.CreateCertificate(rand, template, parent, pub, priv)``; ``parent=None`` is self-signed."""
    if isinstance(signer, (DSAKey, x25519.X25519PrivateKey)):
        raise _CertError("x509: certificate private key does not implement crypto.Signer")
    alg_id, hash_alg = _signing_params(signer)
    spki = _public_key_info(pub_key)
    subject = _subject_bytes(tmpl.common_name)
    issuer = subject if parent is None else parent.raw_subject
    authority_key_id = b""
    if parent is not None and issuer != subject and parent.subject_key_id:
        authority_key_id = parent.subject_key_id
    subject_key_id = hashlib.sha256(_spki_key_bytes(spki)).digest()[:20] if tmpl.is_ca else b""
    if parent is not None:
        signer_spki = signer.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if signer_spki != parent.spki:
            raise _CertError("x509: provided PrivateKey doesn't match parent's PublicKey")

    exts = [
        _key_usage_ext(tmpl.key_usage),
        _ext("2.5.29.37", _seq(_oid("1.3.6.1.5.5.7.3.1"), _oid("1.3.6.1.5.5.7.3.2"))),
        _ext("2.5.29.19", _seq(_tlv(0x01, b"\xff") if tmpl.is_ca else b""), critical=True),
    ]
    if subject_key_id:
        exts.append(_ext("2.5.29.14", _tlv(0x04, subject_key_id)))
    if authority_key_id:
        exts.append(_ext("2.5.29.35", _seq(_tlv(0x80, authority_key_id))))
    if tmpl.dns_names or tmpl.ips:
        names = []
        for name in tmpl.dns_names:
            raw = to_go_bytes(name)
            if any(b >= 0x80 for b in raw):
                raise _CertError(f"x509: {quote(name)} cannot be encoded as an IA5String")
            names.append(_tlv(0x82, raw))
        names += [_tlv(0x87, ip) for ip in tmpl.ips]
        exts.append(_ext("2.5.29.17", _seq(*names), critical=subject == _seq()))

    tbs = _seq(
        _tlv(0xA0, _der_int(2)),
        _der_int(tmpl.serial),
        alg_id,
        issuer,
        _seq(_asn1_time(tmpl.not_before_ns), _asn1_time(tmpl.not_after_ns)),
        subject,
        spki,
        _tlv(0xA3, _seq(*exts)),
    )
    signature = _sign(signer, tbs, hash_alg)
    return _seq(tbs, alg_id, _tlv(0x03, b"\x00" + signature))


def _sprint(v: Any) -> str:
    from ..gofmt import sprint

    return sprint(v)


def _net_ips(ips: list[Any]) -> list[bytes]:
    """sprig's ``getNetIPs`` + ``net.ParseIP`` (IPv4 as 4 bytes in the SAN, as ``To4`` gives)."""
    out = []
    for ip in ips:
        if type_of(ip) is not T_STRING:
            raise _CertError(f"error parsing ip: {_sprint(ip)} is not a string")
        try:
            if "%" in ip:
                raise ValueError(ip)
            addr = ipaddress.ip_address(ip)
        except ValueError:
            raise _CertError(f"error parsing ip: {ip}") from None
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        out.append(addr.packed)
    return out


def _dns_names(names: list[Any]) -> list[str]:
    out = []
    for name in names:
        if type_of(name) is not T_STRING:
            raise _CertError(f"error processing alternate dns name: {_sprint(name)} is not a string")
        out.append(name)
    return out


def _base_template(env: Env, cn: str, ips: list[Any], dns: list[Any], days_valid: int) -> CertTemplate:
    """sprig's ``getBaseCertTemplate``: validates IPs and names, serial < 2¹²⁸, now … now+days."""
    net_ips = _net_ips(ips)
    names = _dns_names(dns)
    serial = int.from_bytes(env.rng.randbytes(16), "big")
    now = env.now_ns()
    return CertTemplate(serial, cn, net_ips, names, now, now + wrap_int64(86_400_000_000_000 * days_valid))


def _cert_and_key(tmpl: CertTemplate, signee: PrivateKey, parent: ParsedCA | None,
                  signer: PrivateKey) -> Certificate:
    """sprig's ``getCertAndKey``."""
    try:
        der = create_certificate(tmpl, signee, parent, signer)
    except _CertError as e:
        raise GoError(f"error creating certificate: {e}") from None
    return Certificate(pem_encode("CERTIFICATE", der), pem_encode(*pem_block_for_key(signee)))


def _parse_key_arg(pem: str) -> PrivateKey:
    try:
        return parse_private_key_pem(pem)
    except _KeyError as e:
        raise GoError(f"parsing private key: {e}") from None


def _template_or_error(env: Env, cn: str, ips: list[Any], dns: list[Any], days: int) -> CertTemplate:
    try:
        return _base_template(env, cn, ips, dns, days)
    except _CertError as e:
        raise GoError(str(e)) from None


# --- CA and self-signed --------------------------------------------------------------------


def _ca(env: Env, cn: str, days: int, key: PrivateKey) -> Certificate:
    tmpl = _template_or_error(env, cn, [], [], days)
    tmpl.key_usage = _KU_KEY_ENCIPHERMENT | _KU_DIGITAL_SIGNATURE | _KU_CERT_SIGN
    tmpl.is_ca = True
    return _cert_and_key(tmpl, key, None, key)


@gofunc(FUNCS, "genCA", "string, int -> (sprig.certificate, error)", tags=_TAGS, needs_env=True)
def _gen_ca(env: Env, cn: str, days: int) -> Certificate:
    """A self-signed CA with a new 2048-bit RSA key."""
    return _ca(env, cn, days, generate_rsa(env, 2048))


@gofunc(FUNCS, "genCAWithKey", "string, int, string -> (sprig.certificate, error)", tags=_TAGS,
        needs_env=True)
def _gen_ca_with_key(env: Env, cn: str, days: int, key_pem: str) -> Certificate:
    return _ca(env, cn, days, _parse_key_arg(key_pem))


def _self_signed(env: Env, cn: str, ips: list[Any], dns: list[Any], days: int, *,
                 key: PrivateKey) -> Certificate:
    tmpl = _template_or_error(env, cn, ips, dns, days)
    return _cert_and_key(tmpl, key, None, key)


@gofunc(FUNCS, "genSelfSignedCert",
        "string, []interface {}, []interface {}, int -> (sprig.certificate, error)",
        tags=_TAGS, needs_env=True)
def _gen_self_signed(env: Env, cn: str, ips: list[Any], dns: list[Any], days: int) -> Certificate:
    return _self_signed(env, cn, ips, dns, days, key=generate_rsa(env, 2048))


@gofunc(FUNCS, "genSelfSignedCertWithKey",
        "string, []interface {}, []interface {}, int, string -> (sprig.certificate, error)",
        tags=_TAGS, needs_env=True)
def _gen_self_signed_with_key(
        env: Env, cn: str, ips: list[Any], dns: list[Any], days: int, key_pem: str) -> Certificate:
    return _self_signed(env, cn, ips, dns, days, key=_parse_key_arg(key_pem))


# --- signed by a CA ---------------------------------------------------------------------------


class _BadCert(Exception):
    pass


def parse_certificate(der: bytes) -> ParsedCA:
    """What we need of ``x509.ParseCertificate`` (structure checks first, for Go's messages)."""
    from cryptography import x509

    try:
        tag, body, end = _der_read(der)
    except _DerError:
        raise _BadCert("x509: malformed certificate") from None
    if tag != 0x30:
        raise _BadCert("x509: malformed certificate")
    try:
        kids = _der_children(body)
    except _DerError:
        raise _BadCert("x509: malformed certificate") from None
    if not kids or kids[0][0] != 0x30:
        raise _BadCert("x509: malformed tbs certificate")
    try:
        cert = x509.load_der_x509_certificate(der[:end])
        tbs = _der_children(kids[0][1])
    except (ValueError, _DerError):
        raise _BadCert("x509: malformed certificate") from None
    if end != len(der):
        raise _BadCert("x509: trailing data")
    idx = 1 if tbs and tbs[0][0] == 0xA0 else 0
    raw_subject = tbs[idx + 4][2]
    spki = tbs[idx + 5][2]
    try:
        ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):
        ski = b""
    return ParsedCA(raw_subject, ski, spki)


def _signed(env: Env, cn: str, ips: list[Any], dns: list[Any], days: int, *, ca: Certificate,
            key: PrivateKey) -> Certificate:
    block = pem_decode(to_go_bytes(ca.Cert))
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        parent = parse_certificate(block.data)
    except _BadCert as e:
        raise GoError(f"error parsing certificate: decodedSignerCert.Bytes: {e}") from None
    try:
        signer = parse_private_key_pem(ca.Key)
    except _KeyError as e:
        raise GoError(f"error parsing private key: {e}") from None
    tmpl = _template_or_error(env, cn, ips, dns, days)
    return _cert_and_key(tmpl, key, parent, signer)


@gofunc(FUNCS, "genSignedCert",
        "string, []interface {}, []interface {}, int, sprig.certificate -> (sprig.certificate, error)",
        tags=_TAGS, needs_env=True)
def _gen_signed(
        env: Env, cn: str, ips: list[Any], dns: list[Any], days: int, ca: Certificate) -> Certificate:
    return _signed(env, cn, ips, dns, days, ca=ca, key=generate_rsa(env, 2048))


@gofunc(FUNCS, "genSignedCertWithKey",
        "string, []interface {}, []interface {}, int, sprig.certificate, string"
        " -> (sprig.certificate, error)", tags=_TAGS, needs_env=True)
def _gen_signed_with_key(
        env: Env, cn: str, ips: list[Any], dns: list[Any], days: int, ca: Certificate,
        key_pem: str) -> Certificate:
    return _signed(env, cn, ips, dns, days, ca=ca, key=_parse_key_arg(key_pem))


@gofunc(FUNCS, "buildCustomCert", "string, string -> (sprig.certificate, error)", tags=("crypto",))
def _build_custom_cert(b64cert: str, b64key: str) -> Certificate:
    """A certificate struct from base64 PEM texts, after checking both parse."""
    cert, err = b64_std_decode(to_go_bytes(b64cert))
    if err is not None:
        raise GoError("unable to decode base64 certificate")
    key, err = b64_std_decode(to_go_bytes(b64key))
    if err is not None:
        raise GoError("unable to decode base64 private key")
    block = pem_decode(cert)
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        parse_certificate(block.data)
    except _BadCert as e:
        raise GoError(f"error parsing certificate: decodedCert.Bytes: {e}") from None
    try:
        parse_private_key_pem(from_go_bytes(key))
    except _KeyError as e:
        raise GoError(f"error parsing private key: {e}") from None
    return Certificate(from_go_bytes(cert), from_go_bytes(key))


# ---------------------------------------------------------------------------------------------
# bcrypt / htpasswd

_BCRYPT_ALPHABET = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_BCRYPT_TABLE = bytes.maketrans(_B64_ALPHABET, _BCRYPT_ALPHABET)


def _bcrypt_b64(raw: bytes) -> bytes:
    return base64.b64encode(raw).translate(_BCRYPT_TABLE).rstrip(b"=")


def bcrypt_hash(env: Env, password: str) -> str:
    import bcrypt as _bcrypt

    pw = to_go_bytes(password)
    if len(pw) > 72:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    salt = b"$2a$10$" + _bcrypt_b64(env.rng.randbytes(16))
    return _bcrypt.hashpw(pw, salt).decode("ascii")


@gofunc(FUNCS, "bcrypt", "string -> string", tags=_TAGS, needs_env=True)
def _bcrypt_fn(env: Env, s: str) -> str:
    """``$2a$10$…`` (cost 10); passwords over 72 bytes give sprig's error text instead."""
    return bcrypt_hash(env, s)


@gofunc(FUNCS, "htpasswd", "string, string -> string", tags=_TAGS, needs_env=True)
def _htpasswd(env: Env, username: str, password: str) -> str:
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{bcrypt_hash(env, password)}"


# ---------------------------------------------------------------------------------------------
# derivePassword (Master Password algorithm: deterministic)

_PASSWORD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": (
        "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
        "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ),
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}

_TEMPLATE_CHARACTERS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}

_MASTER_PASSWORD_SEED = b"com.lyndir.masterpassword"


@gofunc(FUNCS, "derivePassword", "uint32, string, string, string, string -> string", tags=("crypto",))
def _derive_password(counter: int, password_type: str, password: str, user: str, site: str) -> str:
    """scrypt(password, seed+user) keys an HMAC-SHA256 of seed+site+counter; the digest picks characters."""
    templates = _PASSWORD_TEMPLATES.get(password_type)
    if templates is None:
        return f"cannot find password template {password_type}"
    user_b, site_b = to_go_bytes(user), to_go_bytes(site)
    salt = _MASTER_PASSWORD_SEED + struct.pack(">I", len(user_b) & 0xFFFFFFFF) + user_b
    key = hashlib.scrypt(to_go_bytes(password), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=64 << 20)
    msg = _MASTER_PASSWORD_SEED + struct.pack(">I", len(site_b) & 0xFFFFFFFF) + site_b
    msg += struct.pack(">I", int(counter) & 0xFFFFFFFF)
    seed = hmac.new(key, msg, hashlib.sha256).digest()
    temp = templates[seed[0] % len(templates)]
    out = []
    for i, element in enumerate(temp):
        chars = _TEMPLATE_CHARACTERS[element]
        out.append(chars[seed[i + 1] % len(chars)])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# AES-256-CBC with PKCS#7 padding and a random IV prepended (base64)


def _aes_key(password: str) -> bytes:
    return (to_go_bytes(password) + bytes(32))[:32]


@gofunc(FUNCS, "encryptAES", "string, string -> (string, error)", tags=_TAGS, needs_env=True)
def _encrypt_aes(env: Env, password: str, plaintext: str) -> str:
    if plaintext == "":
        return ""
    content = to_go_bytes(plaintext)
    pad = 16 - len(content) % 16
    content += bytes((pad,)) * pad
    iv = env.rng.randbytes(16)
    enc = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + enc.update(content) + enc.finalize()).decode("ascii")


@gofunc(FUNCS, "decryptAES", "string, string -> (string, error)", tags=("crypto",))
def _decrypt_aes(password: str, crypt64: str) -> str:
    """The inverse of encryptAES, with Go's panics for short or misaligned input."""
    if crypt64 == "":
        return ""
    src = to_go_bytes(crypt64)
    crypt, err = b64_std_decode(src)
    if err is not None:
        raise GoError(f"illegal base64 data at input byte {err}")
    cap = len(src) // 4 * 3
    if len(crypt) < 16:
        if cap < 16:
            raise GoError(f"runtime error: slice bounds out of range [:16] with capacity {cap}")
        raise GoError(f"runtime error: slice bounds out of range [16:{len(crypt)}]")
    iv, body = crypt[:16], crypt[16:]
    if len(body) % 16:
        raise GoError("crypto/cipher: input not full blocks")
    dec = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    plain = dec.update(body) + dec.finalize()
    if not plain:
        raise GoError("runtime error: index out of range [-1]")
    end = len(plain) - plain[-1]
    if end < 0:
        raise GoError(f"runtime error: slice bounds out of range [:{end}]")
    return from_go_bytes(plain[:end])


# ---------------------------------------------------------------------------------------------
# randBytes


@gofunc(FUNCS, "randBytes", "int -> (string, error)", tags=_TAGS, needs_env=True)
def _rand_bytes(env: Env, count: int) -> str:
    """``count`` random bytes, base64 (StdEncoding)."""
    if count < 0:
        raise GoError("runtime error: makeslice: len out of range")
    return base64.b64encode(env.rng.randbytes(count)).decode("ascii")

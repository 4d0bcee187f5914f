"""sprig crypto functions: replay of the Go-recorded ``sprig_crypto`` suite, plus what it cannot show.

The recorded suite checks Go-exact errors, deterministic outputs and shapes; Go itself parsed
kwokbook-made keys and certificates there. Here: reproducibility from ``env.rng``, certificate
contents and signatures (verified with the ``cryptography`` package), key parameters, and
round-trip properties of the PEM/base64 ports.
"""

from __future__ import annotations

import base64
import random
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st

from kwokbook.gotpl import values as V
from kwokbook.gotpl.env import Env, fixed_clock
from kwokbook.gotpl.sprig import FUNCS
from kwokbook.gotpl.sprig import crypto as C
from tests.sprig_replay import check_case, load_suite

CASES = load_suite("sprig_crypto")
SLOW = {"genPrivateKey-rsa", "genPrivateKey-dsa"}


@pytest.mark.parametrize(
    ("case_id", "case"),
    [pytest.param(i, c, marks=[pytest.mark.slow] if i in SLOW else []) for i, c in CASES],
    ids=[c[0] for c in CASES],
)
def test_recorded(case_id: str, case: dict[str, Any]) -> None:
    check_case(case)


# Go's %T of each function in sprig.TxtFuncMap() (printed by a Go program against sprig v3.3.0).
GO_SIGNATURES = {
    "bcrypt": "func(string) string",
    "htpasswd": "func(string, string) string",
    "genPrivateKey": "func(string) string",
    "derivePassword": "func(uint32, string, string, string, string) string",
    "buildCustomCert": "func(string, string) (sprig.certificate, error)",
    "genCA": "func(string, int) (sprig.certificate, error)",
    "genCAWithKey": "func(string, int, string) (sprig.certificate, error)",
    "genSelfSignedCert": "func(string, []interface {}, []interface {}, int) (sprig.certificate, error)",
    "genSelfSignedCertWithKey":
        "func(string, []interface {}, []interface {}, int, string) (sprig.certificate, error)",
    "genSignedCert":
        "func(string, []interface {}, []interface {}, int, sprig.certificate) (sprig.certificate, error)",
    "genSignedCertWithKey":
        "func(string, []interface {}, []interface {}, int, sprig.certificate, string) (sprig.certificate, error)",
    "encryptAES": "func(string, string) (string, error)",
    "decryptAES": "func(string, string) (string, error)",
    "randBytes": "func(int) (string, error)",
}
RANDOM = {"bcrypt", "htpasswd", "genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert",
          "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "encryptAES", "randBytes"}


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_signature_and_tags(name: str) -> None:
    f = FUNCS[name]
    assert str(f.sig) == GO_SIGNATURES[name]
    assert "crypto" in f.tags
    assert f.needs_env == (name in RANDOM) == ("random" in f.tags)


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_every_function_is_in_the_recorded_suite(name: str) -> None:
    n = sum(1 for _, c in CASES if re.search(rf"(?<![\w.$]){name}\b", c["request"]["template"]))
    assert n >= 3, (name, n)


NOW = datetime(2030, 6, 1, 12, 30, 45, tzinfo=timezone.utc)


def env(seed: int = 0) -> Env:
    return Env(clock=fixed_clock(NOW), rng=random.Random(seed))


def call(name: str, *args: Any, seed: int = 0) -> Any:
    f = FUNCS[name]
    return f.fn(env(seed), *args) if f.needs_env else f.fn(*args)


def ed_key(seed: int = 1) -> str:
    return str(call("genPrivateKey", "ed25519", seed=seed))


def load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def test_random_functions_are_reproducible_from_env_rng() -> None:
    for name, args in [("genPrivateKey", ("ecdsa",)), ("encryptAES", ("k", "v")), ("randBytes", (9,)),
                       ("bcrypt", ("pw",)), ("genCAWithKey", ("x", 1, ed_key()))]:
        assert call(name, *args, seed=3) == call(name, *args, seed=3), name
        assert call(name, *args, seed=3) != call(name, *args, seed=4), name


def test_certificate_struct() -> None:
    ca = call("genCAWithKey", "x", 1, ed_key())
    assert isinstance(ca, C.Certificate) and V.type_name(ca) == "sprig.certificate"
    assert ca.go_field("Cert").startswith("-----BEGIN CERTIFICATE-----\n")
    assert ca.go_json() == {"Cert": ca.Cert, "Key": ca.Key}
    assert V.deep_equal(ca, C.Certificate(ca.Cert, ca.Key))


def test_ca_contents() -> None:
    ca = call("genCA", "my CA", 10)
    cert = load(ca.Cert)
    assert cert.subject.rfc4514_string() == "CN=my CA" and cert.issuer == cert.subject
    assert cert.not_valid_before_utc == NOW.replace(microsecond=0)
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 10
    assert 0 <= cert.serial_number < 1 << 128
    bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length is None
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.key_cert_sign and ku.digital_signature and ku.key_encipherment and not ku.crl_sign
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert len(ski) == 20
    key = serialization.load_pem_private_key(ca.Key.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()  # type: ignore[union-attr]
    cert.verify_directly_issued_by(cert)


def test_signed_chain_with_sans() -> None:
    ca = call("genCAWithKey", "root", 30, call("genPrivateKey", "ecdsa"))
    leaf = call("genSignedCertWithKey", "", ["10.0.0.1", "::ffff:1.2.3.4", "fe80::1"], ["svc.local"], 5, ca,
                ed_key())
    c, issuer = load(leaf.Cert), load(ca.Cert)
    c.verify_directly_issued_by(issuer)
    assert c.subject.rfc4514_string() == "" and c.issuer == issuer.subject
    san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.critical  # the subject is empty
    assert san.value.get_values_for_type(x509.DNSName) == ["svc.local"]
    assert [str(ip) for ip in san.value.get_values_for_type(x509.IPAddress)] == ["10.0.0.1", "1.2.3.4", "fe80::1"]
    aki = c.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert aki == ski
    assert not c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    with pytest.raises(x509.ExtensionNotFound):
        c.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert leaf.Key == ed_key()


def test_negative_days_and_far_dates() -> None:
    cert = load(call("genCAWithKey", "x", -40000, ed_key()).Cert)
    assert cert.not_valid_after_utc.year == 1920  # GeneralizedTime before 1950
    cert = load(call("genCAWithKey", "x", 40000, ed_key()).Cert)
    assert cert.not_valid_after_utc.year == 2139


def test_generated_keys() -> None:
    e = serialization.load_pem_private_key(call("genPrivateKey", "ecdsa").encode(), None)
    assert isinstance(e, ec.EllipticCurvePrivateKey) and e.curve.name == "secp256r1"
    d = serialization.load_pem_private_key(ed_key().encode(), None)
    assert isinstance(d, ed25519.Ed25519PrivateKey)
    r = C.generate_rsa(env(5), 1024)
    nums = r.private_numbers()
    assert r.key_size == 1024 and nums.public_numbers.e == 65537
    assert nums.p.bit_length() == nums.q.bit_length() == 512 and nums.p >> 510 == 0b11
    assert call("genPrivateKey", "nope") == "Unknown type nope"


@pytest.mark.slow
def test_dsa_parameters() -> None:
    k = C.generate_dsa(env(2))
    assert k.p.bit_length() == 2048 and k.q.bit_length() == 256 and (k.p - 1) % k.q == 0
    assert pow(k.g, k.q, k.p) == 1 and k.g != 1 and pow(k.g, k.x, k.p) == k.y and 0 < k.x < k.q
    pem = C.pem_encode(*C.pem_block_for_key(k))
    assert isinstance(C.parse_private_key_pem(pem), C.DSAKey)
    nums = dsa.DSAPrivateNumbers(k.x, dsa.DSAPublicNumbers(k.y, dsa.DSAParameterNumbers(k.p, k.q, k.g)))
    nums.private_key()  # OpenSSL accepts the parameters


def test_primality_helper() -> None:
    assert [n for n in range(60) if C.is_probable_prime(n)] == [
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59]
    assert C.is_probable_prime((1 << 127) - 1) and not C.is_probable_prime((1 << 128) + 1)
    assert not C.is_probable_prime(3215031751)  # strong pseudoprime to bases 2, 3, 5, 7


def test_bcrypt_verifies() -> None:
    import bcrypt

    h = call("bcrypt", "pässwörd")
    assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{53}", h)
    assert bcrypt.checkpw("pässwörd".encode(), h.encode()) and not bcrypt.checkpw(b"x", h.encode())
    user, _, h2 = call("htpasswd", "me", "pw").partition(":")
    assert user == "me" and bcrypt.checkpw(b"pw", h2.encode())


@given(st.text(max_size=40), st.text(min_size=0, max_size=40))
def test_aes_round_trip(password: str, plaintext: str) -> None:
    ct = FUNCS["encryptAES"].fn(env(), password, plaintext)
    assert FUNCS["decryptAES"].fn(password, ct) == plaintext
    if plaintext:
        raw = base64.b64decode(ct)
        assert len(raw) == 16 + (len(plaintext.encode()) // 16 + 1) * 16


@given(st.binary(max_size=200))
def test_base64_port_round_trip(raw: bytes) -> None:
    enc = base64.b64encode(raw)
    assert C.b64_std_decode(enc) == (raw, None)
    wrapped = b"\r\n".join(enc[i : i + 7] for i in range(0, len(enc), 7))
    assert C.b64_std_decode(wrapped) == (raw, None)


@given(st.binary(max_size=300), st.sampled_from(["CERTIFICATE", "RSA PRIVATE KEY", "X"]))
def test_pem_port_round_trip(raw: bytes, typ: str) -> None:
    text = C.pem_encode(typ, raw)
    block = C.pem_decode(b"junk\n" + text.encode() + b"tail")
    assert block is not None and block.type == typ.encode() and block.data == raw


def test_parse_private_key_errors() -> None:
    for text, want in [
        ("", "no PEM data in input"),
        (C.pem_encode("CERTIFICATE", b"\x30\x00"), "no private key data in PEM block of type CERTIFICATE"),
        (C.pem_encode("OPENSSH PRIVATE KEY", b"x"), "invalid private key type OPENSSH PRIVATE KEY"),
    ]:
        with pytest.raises(C._KeyError) as e:
            C.parse_private_key_pem(text)
        assert str(e.value) == want

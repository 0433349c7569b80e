"""Key types, and a pool of private keys so that a run pays for each RSA key once.

RSA key generation is the whole cost of making certificates (≈35 ms per 2048-bit key here,
signing is ≈1 ms), and CERT-7 compares certificates, not keys, so certificates may share keys.
The pool holds one key per (``KeyType``, label): the label ("" by default) asks for another key
of the same type (the catalogue's fixture CA and its second client each have their own).

Keys cannot be seeded with ``cryptography``: key material differs between processes, everything
else a catalogue holds is reproducible from its seed and reference time.
"""

from __future__ import annotations

import enum
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

_CURVES: dict[str, type[ec.EllipticCurve]] = {"p256": ec.SECP256R1, "p384": ec.SECP384R1, "p521": ec.SECP521R1}


class KeyType(enum.StrEnum):
    """The kinds of key a certificate can be made with (CERT-5 accepts RSA of 2048 bits or more)."""

    RSA_2048 = "rsa-2048"
    RSA_3072 = "rsa-3072"
    RSA_4096 = "rsa-4096"
    RSA_2047 = "rsa-2047"  # one bit short of CERT-5's minimum
    RSA_1024 = "rsa-1024"
    EC_P256 = "ec-p256"
    EC_P384 = "ec-p384"
    EC_P521 = "ec-p521"
    ED25519 = "ed25519"

    def generate(self) -> PrivateKey:
        """A freshly generated key of this type."""
        algorithm, _, size = self.value.partition("-")
        if algorithm == "rsa":
            return rsa.generate_private_key(public_exponent=65537, key_size=int(size))
        if algorithm == "ec":
            return ec.generate_private_key(_CURVES[size]())
        return ed25519.Ed25519PrivateKey.generate()


class KeyPool:
    """Keys by (type, label), each generated once; ``prefetch`` makes several at once on all cores.

    OpenSSL releases the GIL while it searches for primes, so threads do run in parallel.
    """

    def __init__(self) -> None:
        self._keys: dict[tuple[KeyType, str], PrivateKey] = {}
        self._lock = threading.Lock()

    def get(self, key_type: KeyType, label: str = "") -> PrivateKey:
        """The pool's key of ``key_type`` named ``label``, generated on first use."""
        wanted = (KeyType(key_type), label)
        with self._lock:
            key = self._keys.get(wanted)
        if key is None:
            key = wanted[0].generate()
            with self._lock:  # two threads may race: the first one stored wins
                key = self._keys.setdefault(wanted, key)
        return key

    def prefetch(self, wanted: Iterable[tuple[KeyType, str]], workers: int = 4) -> None:
        """Generate the missing keys of ``wanted`` ((type, label) pairs) in parallel."""
        missing = [w for w in dict.fromkeys(wanted) if w not in self._keys]
        if len(missing) <= 1:
            for key_type, label in missing:
                self.get(key_type, label)
            return
        with ThreadPoolExecutor(max_workers=min(workers, len(missing))) as executor:
            list(executor.map(lambda w: self.get(*w), missing))

    def __contains__(self, wanted: object) -> bool:
        return wanted in self._keys

    def __len__(self) -> int:
        return len(self._keys)


# One pool per process: repeated generate() calls (tests, fresh certificates) reuse its keys.
DEFAULT_POOL = KeyPool()


def load_key(path: str | Path, password: bytes | None = None) -> PrivateKey:
    """A PEM private key (PKCS#8 or traditional, encrypted when ``password`` is given).

    ValueError when the file holds no key or another kind of key; TypeError when the key is
    encrypted and no password was given (or the reverse), as ``cryptography`` says.
    """
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=password)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        raise ValueError(f"a {type(key).__name__} is not an RSA, EC or Ed25519 key")
    return key


def load_own_key(path: str | Path) -> PrivateKey:
    """A key this package wrote (unencrypted PKCS#8 PEM).

    RSA consistency checks cost ≈25 ms a key; keys we generated ourselves need none.
    """
    key = serialization.load_pem_private_key(
        Path(path).read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        raise ValueError(f"{path}: a {type(key).__name__} is not an RSA, EC or Ed25519 key")
    return key


def write_secret(path: str | Path, data: bytes) -> Path:
    """Write ``data`` readable by its owner only (mode 0600), even when the file existed before."""
    path = Path(path)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # O_CREAT's mode applies to new files only
        file.write(data)
    return path


def public_key_der(key: PrivateKey | CertificatePublicKeyTypes) -> bytes:
    """The SubjectPublicKeyInfo of a key (of a private key: of its public half), DER."""
    public = (
        key.public_key()
        if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey))
        else key
    )
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def describe_key(key: PrivateKey | CertificatePublicKeyTypes) -> str:
    """Short human form of a key's type: ``RSA 2048``, ``EC secp256r1``, ``Ed25519``."""
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return f"RSA {key.key_size}"
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        return f"EC {key.curve.name}"
    if isinstance(key, (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey)):
        return "Ed25519"
    return type(key).__name__.removeprefix("_").removesuffix("PublicKey")  # DSA, Ed448, X25519…


def key_summary(key: PrivateKey | CertificatePublicKeyTypes) -> str:
    """The key's type and size: ``RSA, 2048 bits``, ``EC secp256r1, 256 bits``, ``Ed25519, 256 bits``."""
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey, dsa.DSAPublicKey)):
        bits = key.key_size
    elif isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        bits = key.curve.key_size
    else:  # Edwards and Montgomery keys have their size in their name
        bits = {"Ed25519": 256, "X25519": 256, "Ed448": 456, "X448": 448}.get(describe_key(key), 0)
    kind = describe_key(key)
    if kind.startswith(("RSA ", "DSA ")):
        kind = kind.split()[0]
    return f"{kind}, {bits} bits"

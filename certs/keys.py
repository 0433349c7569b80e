"""A pool of private keys, so a run pays for each RSA key once.

RSA key generation is the whole cost of making certificates (≈35 ms per 2048-bit key here,
signing is ≈1 ms), and CERT-7 compares certificates, not keys, so certificates may share keys.
A key is named by a spec string: ``"rsa-2048"``, ``"rsa-1024"``, ``"ec-p256"``, ``"ed25519"``,
with an optional ``/label`` for another key of the same kind (``"rsa-2048/second"``).

Keys cannot be seeded with ``cryptography``: key material differs between processes, everything
else a catalogue holds is reproducible from its seed and reference time.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, Union

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

PrivateKey = Union[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey]

_CURVES = {"p256": ec.SECP256R1, "p384": ec.SECP384R1, "p521": ec.SECP521R1}


def new_key(spec: str) -> PrivateKey:
    """A freshly generated key for ``spec`` (the ``/label`` part is ignored)."""
    kind, _, _label = spec.partition("/")
    algorithm, _, size = kind.partition("-")
    if algorithm == "rsa" and size.isdigit():
        return rsa.generate_private_key(public_exponent=65537, key_size=int(size))
    if algorithm == "ec" and size in _CURVES:
        return ec.generate_private_key(_CURVES[size]())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(f"unknown key spec {spec!r} (rsa-<bits>, ec-p256|p384|p521, ed25519, optional /label)")


class KeyPool:
    """Keys by spec, each generated once; ``prefetch`` makes several at once on all cores.

    OpenSSL releases the GIL while it searches for primes, so threads do run in parallel.
    """

    def __init__(self) -> None:
        self._keys: dict[str, PrivateKey] = {}
        self._lock = threading.Lock()

    def get(self, spec: str) -> PrivateKey:
        """The pool's key for ``spec``, generated on first use."""
        with self._lock:
            key = self._keys.get(spec)
        if key is None:
            key = new_key(spec)
            with self._lock:  # two threads may race: the first one stored wins
                key = self._keys.setdefault(spec, key)
        return key

    def prefetch(self, specs: Iterable[str], workers: int = 4) -> None:
        """Generate the missing keys of ``specs`` in parallel."""
        missing = [s for s in dict.fromkeys(specs) if s not in self._keys]
        if len(missing) <= 1:
            for spec in missing:
                self.get(spec)
            return
        with ThreadPoolExecutor(max_workers=min(workers, len(missing))) as executor:
            list(executor.map(self.get, missing))

    def __contains__(self, spec: str) -> bool:
        return spec in self._keys

    def __len__(self) -> int:
        return len(self._keys)


# One pool per process: repeated generate() calls (tests, fresh certificates) reuse its keys.
DEFAULT_POOL = KeyPool()


def load_own_key(path: str | Path) -> PrivateKey:
    """A key this package wrote (unencrypted PKCS#8 PEM).

    RSA consistency checks cost ≈25 ms a key; keys we generated ourselves need none.
    """
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None,  # type: ignore[return-value]
                                              unsafe_skip_rsa_key_validation=True)


def describe_key(key: PrivateKey) -> str:
    """Short human form of a key's type: ``RSA 2048``, ``EC secp256r1``, ``Ed25519``."""
    if isinstance(key, rsa.RSAPrivateKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"EC {key.curve.name}"
    return "Ed25519"

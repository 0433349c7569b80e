"""File encodings of certificates and keys: the accepted ones and the ones CERT-2/3 refuse."""

from __future__ import annotations

import base64
import enum
import textwrap
from collections.abc import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from certs.keys import PrivateKey

_PEM = serialization.Encoding.PEM


def der(certificate: x509.Certificate) -> bytes:
    """DER, what integrators upload as ``.cer``."""
    return certificate.public_bytes(serialization.Encoding.DER)


def pem(certificate: x509.Certificate) -> bytes:
    """One ``BEGIN CERTIFICATE`` block."""
    return certificate.public_bytes(_PEM)


class Encoding(enum.StrEnum):
    """The two encodings CERT-1 accepts for one certificate."""

    DER = "der"
    PEM = "pem"

    def of(self, certificate: x509.Certificate) -> bytes:
        """``certificate`` in this encoding."""
        return der(certificate) if self is Encoding.DER else pem(certificate)


def pem_bundle(certificates: Iterable[x509.Certificate]) -> bytes:
    """Several certificates in one PEM file (a chain, as CAs deliver them)."""
    return b"".join(pem(c) for c in certificates)


def pem_block(label: str, data: bytes) -> bytes:
    """``data`` as one PEM block labelled ``label`` (RFC 7468: Base64 in lines of 64)."""
    body = "\n".join(textwrap.wrap(base64.b64encode(data).decode(), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n".encode()


# OpenSSL's trust settings (X509_CERT_AUX) for "trusted for TLS client authentication".
_TRUSTED_FOR_CLIENT_AUTH = bytes.fromhex("300c300a06082b06010505070302")


def trusted_pem(certificate: x509.Certificate) -> bytes:
    """A ``BEGIN TRUSTED CERTIFICATE`` block, byte for byte what ``openssl x509 -addtrust
    clientAuth -trustout`` writes: the DER certificate followed by its trust settings."""
    return pem_block("TRUSTED CERTIFICATE", der(certificate) + _TRUSTED_FOR_CLIENT_AUTH)


def pkcs7_pem(certificates: Iterable[x509.Certificate]) -> bytes:
    """A ``BEGIN PKCS7`` block: a degenerate SignedData holding ``certificates`` (a .p7b)."""
    return pkcs7.serialize_certificates(list(certificates), _PEM)


def ber_indefinite(data: bytes) -> bytes:
    """DER re-encoded in BER with every constructed element of indefinite length (closed by an
    end-of-contents, two zero bytes), as some tools write PKCS#12 files. Primitive values are
    kept as they are, so a PKCS#12's MAC, computed over its authSafe's octets, still verifies."""
    out, pos = bytearray(), 0
    while pos < len(data):
        tag, length = data[pos], data[pos + 1]
        header = 2
        if length & 0x80:
            count = length & 0x7F
            length, header = int.from_bytes(data[pos + 2 : pos + 2 + count], "big"), 2 + count
        content = data[pos + header : pos + header + length]
        if tag & 0x20:  # constructed: its elements, each re-encoded the same way
            out += bytes([tag, 0x80]) + ber_indefinite(content) + b"\x00\x00"
        else:
            out += data[pos : pos + header + length]
        pos += header + length
    return bytes(out)


def key_pkcs8(key: PrivateKey) -> bytes:
    """``BEGIN PRIVATE KEY``: unencrypted PKCS#8."""
    return key.private_bytes(_PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def key_traditional(key: PrivateKey) -> bytes:
    """``BEGIN RSA PRIVATE KEY`` / ``BEGIN EC PRIVATE KEY``: the traditional OpenSSL form."""
    return key.private_bytes(_PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())


def key_encrypted_pkcs8(key: PrivateKey, password: bytes) -> bytes:
    """``BEGIN ENCRYPTED PRIVATE KEY``: PKCS#8 encrypted with ``password``."""
    return key.private_bytes(_PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(password))


def key_openssh(key: PrivateKey) -> bytes:
    """``BEGIN OPENSSH PRIVATE KEY``: OpenSSH's own format, what ssh-keygen writes (id_ed25519)."""
    return key.private_bytes(_PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())


def pkcs12_bundle(
    certificate: x509.Certificate,
    key: PrivateKey,
    chain: Iterable[x509.Certificate] = (),
    *,
    password: bytes | None = None,
    friendly_name: bytes = b"fixture",
) -> bytes:
    """A PKCS#12 (``.p12``/``.pfx``) holding the key, the certificate and its chain."""
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(friendly_name, key, certificate, list(chain) or None, encryption)


def padded_pem(certificate: x509.Certificate, total_size: int) -> bytes:
    """A PEM file of exactly ``total_size`` bytes: explanatory text lines, then the certificate.

    Text outside a PEM block is allowed (``openssl x509 -text`` writes some), so the only thing
    wrong with a large padded file is its size: the right test for CERT-2's 64 KiB limit.
    """
    block = pem(certificate)
    room = total_size - len(block)
    if room < 0:
        raise ValueError(f"a {len(block)}-byte certificate does not fit in {total_size} bytes")
    line = b"Fixture padding: text before the certificate, to reach the size under test.\n"
    text = line * (room // len(line))
    rest = room - len(text)
    if rest:  # one last, shorter line (its newline included) makes the size exact
        text += (b"." * (rest - 1) + b"\n") if rest > 1 else b"\n"
    return text + block

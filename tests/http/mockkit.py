"""Helpers for the mock portal's own tests: certificates made here with ``cryptography``
(never from ``certs/``: the mock's tests stay independent of the suite's fixtures), and a small
HTTP client without a browser (``http.client``, cookies, CSRF tokens, multipart bodies).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.client
import json
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

UTC = dt.UTC


# -- certificates ----------------------------------------------------------------------------------
@functools.cache
def rsa_key(bits: int = 2048, index: int = 0) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make: a few cached ones, told apart by ``index``."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def name(cn: str | None = None, o: str | None = None, c: str | None = None, **others: str) -> x509.Name:
    """A Name in the usual encoded order C, O, CN (RFC 4514 writes it back as CN, O, C)."""
    attributes = []
    if c:
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, c))
    if o:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    for oid_name, value in others.items():
        attributes.append(x509.NameAttribute(getattr(NameOID, oid_name), value))
    if cn:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attributes)


def certificate(
    subject: x509.Name,
    *,
    key=None,
    issuer: x509.Name | None = None,
    issuer_key=None,
    serial: int | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    ca: bool = False,
) -> x509.Certificate:
    """A certificate; self-signed unless ``issuer`` and ``issuer_key`` are given."""
    key = key or rsa_key()
    now = dt.datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
    )
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    signer = issuer_key or key
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(signer, algorithm)


def self_signed(company: str, cn: str = "Jan Peeters", **options) -> x509.Certificate:
    """Self-signed in the company's name (CERT-6)."""
    return certificate(name(cn=cn, o=company, c="BE"), **options)


@dataclass
class Authority:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    def issue(self, subject: x509.Name, **options) -> x509.Certificate:
        return certificate(
            subject,
            key=options.pop("key", rsa_key(2048, 1)),
            issuer=self.certificate.subject,
            issuer_key=self.key,
            **options,
        )

    def pem(self) -> bytes:
        return pem(self.certificate)


def authority(cn: str = "Mock Test CA", index: int = 2) -> Authority:
    key = rsa_key(2048, index)
    return Authority(certificate(name(cn=cn, o="Mock Test Trust", c="BE"), key=key, ca=True), key)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def resigned(cert: x509.Certificate, key: rsa.RSAPrivateKey, hash_name: str) -> bytes:
    """DER of ``cert`` signed again with MD5 or SHA-1 (cryptography no longer signs with them)."""
    sha256_rsa = bytes.fromhex("300d06092a864886f70d01010b0500")
    last = {"sha1": 0x05, "md5": 0x04}[hash_name]
    algorithm_id = sha256_rsa[:-3] + bytes([last]) + sha256_rsa[-2:]
    tbs = cert.tbs_certificate_bytes.replace(sha256_rsa, algorithm_id, 1)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1() if hash_name == "sha1" else hashes.MD5())
    bit_string = b"\x03" + _der_length(len(signature) + 1) + b"\x00" + signature
    content = tbs + algorithm_id + bit_string
    return b"\x30" + _der_length(len(content)) + content


def private_key_pem(kind: str = "pkcs8", key=None) -> bytes:
    """A private key as PEM: pkcs8, encrypted, rsa (traditional), ec, openssh."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    key = key or rsa_key()
    formats = {
        "pkcs8": (serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        "encrypted": (serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"secret")),
        "rsa": (serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()),
        "openssh": (serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()),
    }
    private_format, encryption = formats[kind]
    return key.private_bytes(serialization.Encoding.PEM, private_format, encryption)


def pkcs12(cert: x509.Certificate, key=None, password: bytes | None = b"secret") -> bytes:
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return p12.serialize_key_and_certificates(b"test", key or rsa_key(), cert, None, encryption)


def ssh_public_key(kind: str = "ed25519", bits: int = 2048) -> str:
    key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
    if kind == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate().public_key()
    elif kind == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
    else:
        key = rsa_key(bits, 3).public_key()
    line = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return f"{line} sftp@example.be"


# -- HTTP ------------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    def json(self):
        return json.loads(self.body)

    def csrf(self) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.text)
        assert found, "no CSRF token on the page"
        return found.group(1)


def multipart(fields: dict[str, object], files: dict[str, tuple[str, bytes]] | None = None) -> tuple[bytes, str]:
    """(body, content type) of a multipart/form-data form. Field values may be lists."""
    boundary = "----mockkit" + secrets.token_hex(8)
    chunks = []
    for key, value in fields.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
                + str(item).encode()
                + b"\r\n"
            )
    for key, (filename, data) in (files or {}).items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


@dataclass
class Client:
    """One browser-like user: keeps its cookies, never follows redirects by itself."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    employer: dict[str, Any] = field(default_factory=dict)  # the test API's employer it acts for, if any
    test_api_token: str | None = None  # sent with test-API calls (a portal listening beyond loopback)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        url = urllib.parse.urlsplit(self.base_url)
        assert url.hostname is not None, self.base_url
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
        all_headers = dict(headers or {})
        if self.test_api_token is not None and path.startswith("/__test__/"):
            all_headers.setdefault("X-Test-Api-Token", self.test_api_token)
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or ():
            cookie_name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header:
                self.cookies.pop(cookie_name, None)
            else:
                self.cookies[cookie_name] = value
        return reply

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def follow(self, reply: Reply, limit: int = 5) -> Reply:
        """GET the redirects' targets until a page."""
        while reply.status in (301, 302, 303, 307) and limit:
            assert reply.location is not None, f"a {reply.status} without Location"
            reply, limit = self.get(reply.location), limit - 1
        return reply

    def post(
        self,
        path: str,
        fields: dict[str, object] | None = None,
        *,
        files=None,
        csrf: str | bool = True,
        encoding: str = "multipart",
    ) -> Reply:
        """POST a form; ``csrf=True`` fetches the page's token first (GET ``path``)."""
        fields = dict(fields or {})
        if csrf is True:
            fields["csrf_token"] = self.follow(self.get(path)).csrf()  # the token is per session
        elif csrf:
            fields["csrf_token"] = csrf
        if encoding == "multipart" or files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": content_type})

    def api(self, method: str, path: str, data: object | None = None) -> Reply:
        body = json.dumps(data).encode() if data is not None else b""
        return self.request(method, path, body, {"Content-Type": "application/json"})

    # -- the portal's flow ---------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Reply:
        self.get("/login")
        return self.post("/login", {"username": username, "password": password}, encoding="urlencoded")

    def sign_in(self, username: str, language: str | None = None) -> None:
        """A session through the provisioning API (what the suite's harness does)."""
        body = {"username": username} if language is None else {"username": username, "language": language}
        api = Client(self.base_url, test_api_token=self.test_api_token)
        cookie = api.api("POST", "/__test__/sessions", body).json()["cookie"]
        self.cookies[cookie["name"]] = cookie["value"]

    def quit(self) -> Reply:
        """Quit as a user does: the header's link, which carries the session's CSRF token."""
        found = re.search(r'href="(/quit\?[^"]+)"', self.get("/").text)
        assert found, "no Quit link carrying a token on Home"
        return self.get(html.unescape(found.group(1)))

    def new_employer(self, **body) -> dict:
        reply = self.api("POST", "/__test__/employers", body)
        assert reply.status == 201, reply.text
        return reply.json()


GOOD_CONTACT = {
    "last_name": "Peeters",
    "first_name": "Jan",
    "title": "mr",
    "function": "Responsable IT",
    "language_regime": "fr",
    "phone": "+32 2 123 45 67",
    "fax": "",
    "mobile": "",
    "email_1": "jan.peeters@example.be",
    "email_2": "",
    "email_3": "",
}


def run_wizard(
    client: Client,
    certificate_der: bytes,
    *,
    contact: dict | None = None,
    channel: str = "ws",
    confirm: bool = True,
    extra: dict | None = None,
) -> Reply:
    """Walk the wizard through to Confirmer (or stop at the confirmation)."""
    reply = client.post("/wizard/information", {"action": "next"})
    assert reply.status == 303 and reply.location == "/wizard/contact", (reply.status, reply.location)
    reply = client.post("/wizard/contact", {**GOOD_CONTACT, **(contact or {}), "action": "next"})
    assert reply.status == 303 and reply.location == "/wizard/channel", (reply.status, text_of(reply))
    reply = client.post(
        "/wizard/channel",
        {"channel": channel, "action": "next", **(extra or {})},
        files={"certificate": ("client.cer", certificate_der)},
    )
    assert reply.status == 303 and reply.location == "/wizard/confirmation", (reply.status, text_of(reply))
    if not confirm:
        return reply
    return client.post("/wizard/confirmation", {"action": "confirm"})


def text_of(reply: Reply) -> str:
    """The visible text of a page, roughly (for assertion messages and simple checks)."""
    without_tags = re.sub(r"<[^>]+>", " ", reply.text)
    return re.sub(r"\s+", " ", html.unescape(without_tags)).strip()


def dd_values(page: str) -> dict[str, str]:
    """``<dt>label</dt><dd>value</dd>`` pairs of a page (the last one wins for a repeated label)."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S)
    return {html.unescape(k).strip(): html.unescape(v).strip() for k, v in pairs}


# -- the test API's employer of a client ------------------------------------------------------------
def company_certificate(client: Client, **options) -> bytes:
    """DER of a certificate self-signed in the client's employer's name (accepted by CERT-6)."""
    return der(self_signed(client.employer["employer"]["name"], **options))


def stored(client: Client) -> dict[str, Any]:
    number = client.employer["employer"]["enterprise_number"]
    api = Client(client.base_url, test_api_token=client.test_api_token)
    return api.get(f"/__test__/employers/{number}/configuration").json()

"""Make the odd certificate files of this corpus (the CA roots are copied, see README.md).

    .venv/bin/python tests/http/corpus/make_corpus.py

Writes the files beside this script and records each one's expected outcome in
``manifest.json`` (merged with the entries already there: the copied roots). Keys are made anew
on each run, so the bytes change; the committed files are the corpus. Where ``cryptography``
refuses to build something (X.509 v1, a negative serial, year 0, a GOST key, an RSA-PSS key),
the to-be-signed part is edited by hand and signed again.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID, ObjectIdentifier

HERE = Path(__file__).parent
SYSTEM_ROOTS = Path("/usr/share/ca-certificates/mozilla")  # Debian's ca-certificates (Mozilla's NSS store)
# root file -> (name in the corpus, expected outcome); O and values are read by the test itself.
ROOTS: dict[str, tuple[str, str | dict[str, str]]] = {
    "ISRG_Root_X1.crt": ("root-isrg-x1.crt", "accept"),
    "Certum_Trusted_Network_CA_2.crt": ("root-certum-trusted-network-2.crt", "accept"),
    "NetLock_Arany_=Class_Gold=_Főtanúsítvány.crt": ("root-netlock-arany.crt", "accept"),
    "Microsec_e-Szigno_Root_CA_2009.crt": ("root-microsec-e-szigno-2009.crt", "accept"),
    "Security_Communication_RootCA2.crt": ("root-secom-rootca2.crt", "accept"),
    "AC_RAIZ_FNMT-RCM.crt": ("root-fnmt-rcm.crt", "accept"),
    "DigiCert_TLS_RSA4096_Root_G5.crt": ("root-digicert-tls-rsa4096-g5.crt", "accept"),
    "TUBITAK_Kamu_SM_SSL_Kok_Sertifikasi_-_Surum_1.crt": ("root-tubitak-kamu-sm.crt", "accept"),
    "Actalis_Authentication_Root_CA.crt": ("root-actalis.crt", "accept"),
    "Starfield_Root_Certificate_Authority_-_G2.crt": ("root-starfield-g2-serial-0.crt", "accept"),
    "Hellenic_Academic_and_Research_Institutions_RootCA_2015.crt": ("root-harica-2015.crt", "accept"),
    "ISRG_Root_X2.crt": ("root-isrg-x2-ecdsa.crt", {"refuse": "CERT-5", "message": "cert_key_type"}),
    "GlobalSign_Root_CA.crt": ("root-globalsign-sha1.crt", {"refuse": "CERT-5", "message": "cert_weak_signature"}),
    "Entrust.net_Premium_2048_Secure_Server_CA.crt": ("root-entrust-2048-t61.crt",
                                                      {"refuse": "CERT-5", "message": "cert_weak_signature"}),
    "TeliaSonera_Root_CA_v1.crt": ("root-teliasonera-v1.crt", {"refuse": "CERT-5", "message": "cert_weak_signature"}),
    "Baltimore_CyberTrust_Root.crt": ("root-baltimore-expired.crt", {"refuse": "CERT-4", "message": "cert_expired"}),
    "E-Tugra_Certification_Authority.crt": ("root-e-tugra-expired.crt", {"refuse": "CERT-4", "message": "cert_expired"}),
}
COMPANY = "Corpus Testing SRL"
NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
NOT_AFTER = dt.datetime(2045, 6, 30, 22, 30, tzinfo=dt.timezone.utc)  # 01/07/2045 in Brussels
SHA256_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")


# -- DER, by hand ------------------------------------------------------------------------------------
def tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + content


def children(element: bytes) -> list[bytes]:
    """The elements inside a constructed DER element, each whole."""
    head = 2 + (element[1] & 0x7F if element[1] & 0x80 else 0)
    content, out, pos = element[head:], [], 0
    while pos < len(content):
        size, start = content[pos + 1], pos + 2
        if size & 0x80:
            count = size & 0x7F
            size, start = int.from_bytes(content[pos + 2:pos + 2 + count], "big"), pos + 2 + count
        out.append(content[pos:start + size])
        pos = start + size
    return out


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = bytes([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


def resigned(tbs: bytes, key: rsa.RSAPrivateKey, algorithm: bytes = SHA256_RSA, *, pss: bool = False) -> bytes:
    """A certificate of ``tbs`` signed again (its inner algorithm must equal ``algorithm``)."""
    scheme = (padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32) if pss else padding.PKCS1v15())
    signature = key.sign(tbs, scheme, hashes.SHA256())
    return tlv(0x30, tbs + algorithm + tlv(0x03, b"\x00" + signature))


def tbs_parts(certificate: x509.Certificate) -> list[bytes]:
    """[version, serial, signature, issuer, validity, subject, spki, extensions] (v3)."""
    return children(certificate.tbs_certificate_bytes)


# -- building ---------------------------------------------------------------------------------------
def subject(cn: str, o: str = COMPANY) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def build(name: x509.Name, key, *, signer=None, issuer: x509.Name | None = None, serial: int = 0x1234ABCD,
          not_before: dt.datetime = NOT_BEFORE, not_after: dt.datetime = NOT_AFTER, extensions=(),
          algorithm: hashes.SHA256 | hashes.SHA384 | None = hashes.SHA256(), rsa_padding=None) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
               .public_key(key.public_key()).serial_number(serial)
               .not_valid_before(not_before).not_valid_after(not_after))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    if rsa_padding is not None:
        return builder.sign(signer or key, algorithm, rsa_padding=rsa_padding)
    return builder.sign(signer or key, algorithm)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def armour(data: bytes, label: str = "CERTIFICATE", newline: bytes = b"\n") -> bytes:
    text = base64.b64encode(data)
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return newline.join([f"-----BEGIN {label}-----".encode(), *lines, f"-----END {label}-----".encode(), b""])


def main() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files: dict[str, tuple[bytes, dict]] = {}

    def add(name: str, data: bytes, expected: str | dict, source: str, **extra: str) -> None:
        files[name] = (data, {"expected": expected, "source": source, **extra})

    def refuse(rule: str, message: str) -> dict:
        return {"refuse": rule, "message": message}

    # keys CERT-5 refuses
    for name, key, algorithm in (("dsa-2048.cer", dsa.generate_private_key(2048), hashes.SHA256()),
                                 ("ec-p384.cer", ec.generate_private_key(ec.SECP384R1()), hashes.SHA384()),
                                 ("ed25519.pem", ed25519.Ed25519PrivateKey.generate(), None),
                                 ("ed448.cer", ed448.Ed448PrivateKey.generate(), None)):
        certificate = build(subject(f"Corpus {name}"), key, algorithm=algorithm)
        add(name, pem(certificate) if name.endswith(".pem") else der(certificate), refuse("CERT-5", "cert_key_type"),
            f"made with cryptography: a self-signed {name.split('.')[0]} certificate")
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    add("rsa-1024.cer", der(build(subject("Corpus RSA 1024"), small)), refuse("CERT-5", "cert_key_size"),
        "made with cryptography: RSA 1024 bits")

    # GOST R 34.10-2012 (256 bits): cryptography knows neither the key nor the signature; by hand
    gost_algorithm = tlv(0x30, oid("1.2.643.7.1.1.3.2"))
    gost_key = tlv(0x30, tlv(0x30, oid("1.2.643.7.1.1.1.1") + tlv(0x30, oid("1.2.643.7.1.2.1.1.1")))
                   + tlv(0x03, b"\x00" + tlv(0x04, os.urandom(64))))
    template = tbs_parts(build(subject("Corpus GOST 2012"), rsa_key))
    gost_tbs = tlv(0x30, template[0] + template[1] + gost_algorithm + template[3] + template[4] + template[5]
                   + gost_key)
    add("gost-2012-256.cer", tlv(0x30, gost_tbs + gost_algorithm + tlv(0x03, b"\x00" + os.urandom(64))),
        refuse("CERT-5", "cert_key_type"), "hand-built DER: a GOST R 34.10-2012 key and signature (OIDs of TC 26)")

    # RSA-PSS: a PSS signature, and a key restricted to PSS (id-RSASSA-PSS in the key info)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    pss_signed = build(subject("Corpus RSA-PSS signature"), rsa_key, rsa_padding=pss)
    add("rsa-pss-signature.cer", der(pss_signed), "accept", "made with cryptography: signed RSASSA-PSS (SHA-256)")
    parts = tbs_parts(build(subject("Corpus RSA-PSS key"), rsa_key, rsa_padding=pss))
    spki = children(parts[6])
    pss_spki = tlv(0x30, tlv(0x30, oid("1.2.840.113549.1.1.10")) + spki[1])
    pss_tbs = tlv(0x30, b"".join(parts[:6]) + pss_spki + b"".join(parts[7:]))
    add("rsa-pss-key.cer", resigned(pss_tbs, rsa_key, parts[2], pss=True), "accept",
        "cryptography's PSS certificate, its key info re-labelled id-RSASSA-PSS by hand and signed again")

    # X.509 v1: no version field, no extensions
    parts = tbs_parts(build(subject("Corpus X.509 v1"), rsa_key))
    add("x509-v1.cer", resigned(tlv(0x30, b"".join(parts[1:7])), rsa_key), "accept",
        "cryptography's certificate without its version and extensions (v1), signed again")

    # serial numbers
    parts = tbs_parts(build(subject("Corpus negative serial"), rsa_key))
    negative = tlv(0x30, parts[0] + tlv(0x02, (-1234567).to_bytes(3, "big", signed=True)) + b"".join(parts[2:]))
    add("serial-negative.cer", resigned(negative, rsa_key), refuse("CERT-2", "cert_serial"),
        "serial -1234567 put in by hand and signed again")
    add("serial-20-bytes.cer", der(build(subject("Corpus 20-byte serial"), rsa_key, serial=(1 << 159) - 12345)),
        "accept", "made with cryptography: the largest serial RFC 5280 allows (20 octets)")
    parts = tbs_parts(build(subject("Corpus 21-octet serial"), rsa_key))
    long_serial = tlv(0x30, parts[0] + tlv(0x02, b"\x00" + b"\xa5" * 20) + b"".join(parts[2:]))
    add("serial-21-octets.cer", resigned(long_serial, rsa_key), "accept",
        "a 20-byte serial with its top bit set (21 octets, over RFC 5280's limit, seen in the wild)")

    # dates
    parts = tbs_parts(build(subject("Corpus year 0"), rsa_key))
    year_zero = tlv(0x30, tlv(0x18, b"00000101000000Z") + tlv(0x18, b"20450101000000Z"))
    add("notbefore-year-0.cer", resigned(tlv(0x30, b"".join(parts[:4]) + year_zero + b"".join(parts[5:])), rsa_key),
        refuse("CERT-4", "cert_dates_unreadable"), "notBefore 0000-01-01 put in by hand and signed again")
    add("notafter-9999-no-expiry.cer",
        der(build(subject("Corpus no expiry"), rsa_key, not_after=dt.datetime(9999, 12, 31, 23, 59, 59,
                                                                                 tzinfo=dt.timezone.utc))),
        "accept", "made with cryptography: RFC 5280's 'no expiry' notAfter 99991231235959Z")
    add("notafter-9999-june.cer",
        der(build(subject("Corpus year 9999"), rsa_key, not_after=dt.datetime(9999, 6, 15, 12, tzinfo=dt.timezone.utc))),
        "accept", "made with cryptography: notAfter 9999-06-15")
    add("not-yet-valid.cer", der(build(subject("Corpus future"), rsa_key, not_before=dt.datetime(2090, 1, 1,
                                                                                                 tzinfo=dt.timezone.utc),
                                       not_after=dt.datetime(2095, 1, 1, tzinfo=dt.timezone.utc))),
        refuse("CERT-4", "cert_not_yet_valid"), "made with cryptography: valid from 2090")

    # extensions
    big = x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1.1"), tlv(0x04, b"\x5a" * 60000))
    huge = build(subject("Corpus huge extension"), rsa_key, extensions=[(big, False)])
    add("huge-extension-60k.cer", der(huge), "accept", "made with cryptography: a 60,000-byte private extension")
    add("huge-extension-60k.pem", pem(huge), refuse("CERT-2", "cert_too_large"),
        "the same certificate as PEM: over 64 KiB")
    many = [(x509.UnrecognizedExtension(ObjectIdentifier(f"1.3.6.1.4.1.55555.2.{i}"), tlv(0x0C, b"x" * 20)), False)
            for i in range(400)]
    add("400-extensions.cer", der(build(subject("Corpus many extensions"), rsa_key, extensions=many)), "accept",
        "made with cryptography: 400 private extensions")

    # names
    unicode_o = "Société Générale d'Électricité Ærøskøbing Łódź 東京 Ελλάδα SRL"
    add("non-ascii-names.cer", der(build(subject("Zoë Ñúñez 👩‍💻 Ωμέγα", unicode_o), rsa_key)), "accept",
        "made with cryptography: UTF8String names in many scripts")
    encoded = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Entreprise Bmp Liège SRL", _type=_ASN1Type.BMPString),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Liège", _type=_ASN1Type.T61String),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Unité universelle", _type=_ASN1Type.UniversalString),
        x509.NameAttribute(NameOID.COMMON_NAME, "Visible Ascii CN", _type=_ASN1Type.VisibleString),
    ])
    add("string-types.cer", der(build(encoded, rsa_key)), "accept",
        "made with cryptography: BMPString, TeletexString, UniversalString and VisibleString values")
    escaped_o = '"Dupont, Fils & Cie" <SRL>; a+b\\c #1 '
    escaped = x509.Name([
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "be")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "example")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATION_NAME, escaped_o)]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Sales"),
                                        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "North=East")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.SERIAL_NUMBER, "0123456749")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.EMAIL_ADDRESS, "pki@example.be")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(ObjectIdentifier("2.5.4.97"), "VATBE-0123456749")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.STREET_ADDRESS, "Rue de la Loi 16")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.USER_ID, "uid-42")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, " #Leading space and hash")]),
    ])
    add("escaped-names.cer", der(build(escaped, rsa_key)), "accept",
        "made with cryptography: every RFC 4514 special character, a multi-valued RDN, dotted-OID types")

    # a CA with an odd name, trusted by the test portal, and a certificate it issued
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Odd CA, \"Trust\" & Co"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "nul\x00inside"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Trailing space "),
        x509.NameAttribute(ObjectIdentifier("1.3.6.1.4.1.55555.9"), "private=type"),
        x509.NameAttribute(NameOID.COMMON_NAME, "#Odd Corpus Root CA"),
    ])
    ca = build(ca_name, ca_key, extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)])
    (HERE / "odd-ca.pem").write_bytes(pem(ca))
    leaf = build(subject("Corpus Client of the odd CA", "Corpus Client SRL"), rsa_key, signer=ca_key,
                 issuer=ca_name, serial=499)
    add("issued-by-odd-ca.cer", der(leaf), "accept",
        "made with cryptography: issued by odd-ca.pem (NUL, quotes, comma, leading #, trailing space)",
        trusted="odd-ca.pem")
    bad = build(subject("XXXXBADXNAME"), rsa_key)
    parts = tbs_parts(bad)
    bad_subject = parts[5].replace(b"XXXXBADXNAME", b"\xff\xfeXXBADXNAME")
    add("invalid-utf8-name.cer", resigned(tlv(0x30, b"".join(parts[:5]) + bad_subject + b"".join(parts[6:])), rsa_key),
        refuse("CERT-2", "cert_not_certificate"), "a UTF8String CN holding bytes that are not UTF-8, signed again")

    parts = tbs_parts(build(x509.Name([x509.NameAttribute(NameOID.LOCALITY_NAME, "LiXge", _type=_ASN1Type.T61String),
                                       x509.NameAttribute(NameOID.ORGANIZATION_NAME, COMPANY),
                                       x509.NameAttribute(NameOID.COMMON_NAME, "Corpus Latin-1 T61")]), rsa_key))
    latin1 = tlv(0x30, b"".join(parts).replace(b"LiXge", b"Li\xe8ge"))
    add("t61-latin1-name.cer", resigned(latin1, rsa_key), refuse("CERT-2", "cert_not_certificate"),
        "a TeletexString 'Liège' in Latin-1, as old European CAs wrote it (cryptography cannot read it)")

    # encodings of an ordinary certificate
    plain = build(subject("Corpus encodings"), rsa_key)
    add("pem-with-text.pem", b"Certificate:\n    Data:\n        Version: 3 (0x2)\n        Subject: C=BE, O="
        + COMPANY.encode() + b", CN=Corpus encodings\n" + pem(plain), "accept",
        "PEM after the text dump openssl x509 -text writes before it")
    add("pem-crlf.crt", armour(der(plain), newline=b"\r\n"), "accept", "PEM with CRLF line ends")
    add("x509-certificate-label.pem", armour(der(plain), "X509 CERTIFICATE"), "accept",
        "PEM with the old 'X509 CERTIFICATE' label")
    add("bare-base64.txt", base64.b64encode(der(plain)) + b"\n", "accept", "the DER in Base64 without PEM lines")

    for original, (name, expected) in ROOTS.items():
        if (SYSTEM_ROOTS / original).exists():
            add(name, (SYSTEM_ROOTS / original).read_bytes(), expected, f"CA root, copied from {SYSTEM_ROOTS / original}")

    manifest_path = HERE / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for name, (data, entry) in files.items():
        (HERE / name).write_bytes(data)
        manifest[name] = entry
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), indent=2, ensure_ascii=False) + "\n")
    print(f"{len(files)} files written to {HERE}")


if __name__ == "__main__":
    main()

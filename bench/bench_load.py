"""Load on the mock portal: concurrent sessions running wizard flows over HTTP.

    .venv/bin/python bench/bench_load.py [--sessions 20] [--flows 200] [--url http://host:port]

Without ``--url`` it starts ``python -m mockportal --port 0 --quiet`` in a process of its own
(the server is what is measured; this client runs apart from it) and stops it at the end.

Each session is one thread with its own cookie jar and its own kept-alive connection (the
standard library's ``http.client``), signed in as the gestionnaire local of an employer of its
own (made through the test API before the clock starts). A flow: sign in (login page, POST),
Home, the wizard's four steps up to Confirmation (each step shown, then sent; the channel step
uploads a Web Service certificate self-signed in the employer's name), Annuler, Quit. Every
flow types a contact name of its own and checks that the confirmation shows its own name and
nobody else's: a flow that sees another flow's data counts as "mixed".

Prints requests/s, latency p50/p95/p99, errors (a 5xx, an unexpected status, a failed
connection) and mixed flows, against the project's goal: at least 600 requests/s, p99 at most
100 ms, 0 errors and 0 mixed at 20 sessions x 200 flows. Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[1]
GOAL_RPS = 600.0
GOAL_P99_MS = 100.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_WIZARD = re.compile(r'name="wizard" value="([^"]+)"')
_QUIT = re.compile(r'href="(/quit\?csrf=[^"]+)"')  # Quit carries the session's CSRF token


class FlowError(Exception):
    """An unexpected answer: the flow stops and counts as an error."""


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mixed: int = 0
    flows: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Session:
    """One user agent: a cookie jar and one kept-alive connection."""

    def __init__(self, base_url: str, figures: Figures):
        url = urllib.parse.urlsplit(base_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.figures = figures
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None, expect: int = 200
    ) -> str:
        headers = {"Accept": "text/html"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise FlowError(f"{method} {path}: {type(error).__name__}: {error}") from None
        elapsed = time.perf_counter() - started
        with self.figures.lock:
            self.figures.latencies.append(elapsed)
        if response.will_close:
            self.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            if "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = rest.split(";", 1)[0]
        if response.status != expect:
            raise FlowError(f"{method} {path}: {response.status}, expected {expect}")
        return data.decode("utf-8", "replace")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None) -> tuple[bytes, str]:
    boundary = "----bench" + secrets.token_hex(8)
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    for key, (filename, data) in (files or {}).items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
            f"Content-Type: application/x-x509-ca-cert\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def csrf(page: str) -> str:
    found = _CSRF.search(page)
    if not found:
        raise FlowError("no CSRF token on the page")
    return found.group(1)


def company_certificate(company: str, key: rsa.RSAPrivateKey) -> bytes:
    """DER of a certificate self-signed in the company's name (accepted by CERT-6)."""
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, company),
            x509.NameAttribute(NameOID.COMMON_NAME, "Bench Client"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def new_employer(base_url: str) -> dict:
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"}
        if token := os.environ.get("MOCKPORTAL_TEST_API_TOKEN"):  # a mock started with a test-API token
            headers["X-Test-Api-Token"] = token
        connection.request("POST", "/__test__/employers", body=b"{}", headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 201:
            raise SystemExit(f"bench_load: the test API answered {response.status} (is --no-test-api on?)")
    finally:
        connection.close()
    return json.loads(body)


def flow(session: Session, username: str, password: str, certificate: bytes, contact_name: str) -> bool:
    """One wizard flow; True when the confirmation shows this flow's data and nobody else's."""
    page = session.request("GET", "/login")
    body = urllib.parse.urlencode({"csrf_token": csrf(page), "username": username, "password": password}).encode()
    session.request("POST", "/login", body, "application/x-www-form-urlencoded", expect=303)
    session.request("GET", "/")
    session.request("GET", "/wizard", expect=303)
    page = session.request("GET", "/wizard/information")
    wizard = _WIZARD.search(page)
    base = {"csrf_token": csrf(page), "wizard": wizard.group(1) if wizard else ""}
    session.request("POST", "/wizard/information", *multipart({**base, "action": "next"}), expect=303)
    session.request("GET", "/wizard/contact")
    contact = {
        "last_name": contact_name,
        "first_name": "Bench",
        "title": "mr",
        "function": "Load test",
        "language_regime": "fr",
        "phone": "+32 2 123 45 67",
        "fax": "",
        "mobile": "",
        "email_1": f"{contact_name.lower()}@example.be",
        "email_2": "",
        "email_3": "",
    }
    session.request("POST", "/wizard/contact", *multipart({**base, **contact, "action": "next"}), expect=303)
    session.request("GET", "/wizard/channel")
    body, content_type = multipart(
        {**base, "channel": "ws", "action": "next"}, {"certificate": ("client.cer", certificate)}
    )
    session.request("POST", "/wizard/channel", body, content_type, expect=303)
    page = session.request("GET", "/wizard/confirmation")
    names = set(re.findall(r"Bench[0-9a-f]{12}", page))
    session.request("POST", "/wizard/confirmation", *multipart({**base, "action": "cancel"}), expect=303)
    link = _QUIT.search(session.request("GET", "/"))
    session.request("GET", html.unescape(link.group(1)) if link else "/quit", expect=303)
    return names == {contact_name}


def worker(
    base_url: str, figures: Figures, remaining: list[int], employer: dict, certificate: bytes, ready: threading.Barrier
) -> None:
    gl = employer["users"]["gl"]
    session = Session(base_url, figures)
    ready.wait()
    while True:
        with figures.lock:
            if remaining[0] <= 0:
                break
            remaining[0] -= 1
        name = "Bench" + secrets.token_hex(6)
        try:
            own = flow(session, gl["username"], gl["password"], certificate, name)
        except FlowError as error:
            with figures.lock:
                figures.errors.append(str(error))
            session.cookies.clear()
            continue
        with figures.lock:
            figures.flows += 1
            figures.mixed += not own
    session.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockportal", "--port", "0", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"running at (\S+)", line)
    if not found:
        process.kill()
        raise SystemExit(f"bench_load: the mock did not start: {line!r}")
    return process, found.group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--flows", type=int, default=200, help="wizard flows in all (default 200)")
    parser.add_argument("--url", help="an already running portal (default: start the mock apart)")
    args = parser.parse_args(argv)
    process = None
    base_url = args.url
    if base_url is None:
        process, base_url = start_server()
    try:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # Employers and their certificates are made one by one before the clock starts.
        employers = [new_employer(base_url) for _ in range(args.sessions)]
        certificates = [company_certificate(e["employer"]["name"], key) for e in employers]
        figures = Figures()
        remaining = [args.flows]
        ready = threading.Barrier(args.sessions + 1)
        threads = [
            threading.Thread(
                target=worker, args=(base_url, figures, remaining, employer, certificate, ready), daemon=True
            )
            for employer, certificate in zip(employers, certificates, strict=True)
        ]
        for thread in threads:
            thread.start()
        ready.wait()  # every session has its employer and certificate: the clock starts now
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    requests = len(figures.latencies)
    rps = requests / wall if wall else 0.0
    p50, p95, p99 = (percentile(figures.latencies, f) * 1000 for f in (0.50, 0.95, 0.99)) if requests else (0, 0, 0)
    print(
        f"bench_load: {args.sessions} sessions, {figures.flows}/{args.flows} flows, {requests} requests "
        f"in {wall:.2f} s against {base_url}"
    )
    print(f"  requests/s  {rps:8.1f}   (goal >= {GOAL_RPS:.0f})")
    print(
        f"  latency ms  p50 {p50:.1f}   p95 {p95:.1f}   p99 {p99:.1f}   (goal p99 <= {GOAL_P99_MS:.0f})"
        f"   mean {statistics.fmean(figures.latencies) * 1000 if requests else 0:.1f}"
    )
    print(f"  errors      {len(figures.errors)}   (goal 0)")
    print(f"  mixed flows {figures.mixed}   (goal 0)")
    for error in figures.errors[:10]:
        print(f"    error: {error}")
    met = rps >= GOAL_RPS and p99 <= GOAL_P99_MS and not figures.errors and not figures.mixed
    print("  goal met" if met else "  goal missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

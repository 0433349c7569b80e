"""A slow staging server, made on purpose: a reverse proxy in front of a portal that delays every
answer, and now and then one much more, as a loaded acceptance server does.

``SlowProxy(upstream, delay=(0.2, 1.0), stall=5.0, stall_every=30, seed=1)`` serves on a free
loopback port; each answer (pages, style sheets, scripts alike) waits a random time in ``delay``
seconds, and one in ``stall_every`` (by the seeded draw) ``stall`` seconds more. The delays are the
proxy's behaviour, not a test waiting: the suite must pass through them without waiting a fixed
time itself.
"""

from __future__ import annotations

import http.client
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that belong to one connection, not to the message (RFC 9110 §7.6.1).
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


class SlowProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        upstream: str,
        *,
        delay: tuple[float, float] = (0.2, 1.0),
        stall: float = 5.0,
        stall_every: int = 30,
        seed: int = 1,
    ):
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.delay, self.stall, self.stall_every = delay, stall, stall_every
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.answers = 0
        self.stalls = 0
        self.stopping = threading.Event()  # set when the proxy stops: no answer waits any longer
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def next_delay(self) -> float:
        with self._lock:
            self.answers += 1
            wait = self._random.uniform(*self.delay)
            if self._random.randrange(self.stall_every) == 0:
                self.stalls += 1
                wait += self.stall
            return wait

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that gave up on a slow answer closes its connection: no error of the proxy's.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def __enter__(self) -> SlowProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SlowProxy

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            # The slow server: the proxy's own behaviour, cut short when the proxy stops.
            self.server.stopping.wait(self.server.next_delay())
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        finally:
            upstream.close()

    do_GET = do_POST = do_HEAD = _forward

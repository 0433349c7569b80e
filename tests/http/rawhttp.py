"""Raw HTTP/1.1 over a socket, for requests no ordinary client would send (hostile clients):
malformed lines, two lengths, half bodies, resets. Answers are read whole and split."""

from __future__ import annotations

import re
import socket
import struct
import urllib.parse
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    head: bytes
    body: bytes

    def header(self, name: str) -> str | None:
        found = re.search(rb"\r\n" + re.escape(name.encode()) + rb": ([^\r\n]*)", self.head, re.IGNORECASE)
        return found.group(1).decode("latin-1") if found else None


def address(base_url: str) -> tuple[str, int]:
    url = urllib.parse.urlsplit(base_url)
    return url.hostname or "127.0.0.1", url.port or 80


def read_answers(sock: socket.socket) -> list[Answer]:
    """Every answer the server sends until it closes the connection (or 10 s of silence)."""
    sock.settimeout(10)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    answers = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        found = re.match(rb"HTTP/1\.1 (\d{3}) ", head)
        if not separator or not found:
            raise AssertionError(f"not an HTTP/1.1 answer: {data[:200]!r}")
        length = re.search(rb"\r\nContent-Length: (\d+)", head, re.IGNORECASE)
        size = int(length.group(1)) if length else 0
        if re.match(rb"HTTP/1\.1 \d{3} ", rest):  # the answer to a HEAD: its length, not its body
            size = 0
        answers.append(Answer(int(found.group(1)), head, rest[:size]))
        data = rest[size:]
    return answers


def exchange(base_url: str, raw: bytes, *, half_close: bool = False) -> list[Answer]:
    """Send ``raw`` on a fresh connection (then half-close it, if asked); all answers."""
    with socket.create_connection(address(base_url), timeout=10) as sock:
        sock.sendall(raw)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return read_answers(sock)


def reset(sock: socket.socket) -> None:
    """Close with a TCP reset rather than a FIN (SO_LINGER with a zero timeout)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()

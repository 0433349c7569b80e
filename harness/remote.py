"""Remote browsers: drive a browser elsewhere through Playwright's ``connect``.

``--connect-ws ws://host:port/path`` (or the environment variable ``PW_CONNECT_WS``) points the
suite at a Playwright browser server (``playwright run-server``, ``playwright launch-server``,
or a browser grid speaking Playwright's protocol). Every worker connects once; tests still get
a fresh context each. The client's loopback network is exposed to the remote browser, so it
reaches the bundled mock each worker starts on 127.0.0.1.
"""
from __future__ import annotations

import os

import pytest

ENV_WS = "PW_CONNECT_WS"
# Which of this machine's hosts the remote browser may reach through the connection.
ENV_EXPOSE = "PW_CONNECT_EXPOSE_NETWORK"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("channel-conformance")
    group.addoption("--connect-ws", metavar="URL", default=os.environ.get(ENV_WS) or None,
                    help=f"connect to a remote Playwright browser server at this WebSocket URL "
                         f"(default: ${ENV_WS}) instead of launching a browser")


def connect_endpoint(config: pytest.Config) -> str | None:
    return config.getoption("--connect-ws", default=None) or None


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict | None:
    """pytest-playwright's hook for ``browser_type.connect``: None launches a local browser."""
    endpoint = connect_endpoint(pytestconfig)
    if not endpoint:
        return None
    return {"endpoint": endpoint, "expose_network": os.environ.get(ENV_EXPOSE, "<loopback>")}

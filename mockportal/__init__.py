"""The bundled mock portal: the whole "Web Service channel" flow in FR, NL and DE.

``start(port=0)`` serves one in a daemon thread and returns a ``RunningPortal`` (``url``,
``stop()``, context manager); ``python -m mockportal`` serves one in the foreground.
"""

from .server import RunningPortal, start

__all__ = ["RunningPortal", "start"]

"""``python -m certs``: the certificate tool (``certs.cli``), also installed as ``channel-certs``."""

import sys

from certs.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m certs"))

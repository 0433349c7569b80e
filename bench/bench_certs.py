"""How long the certificate catalogue takes, next to trustme issuing as many leaf certificates.

    python bench/bench_certs.py [--repeat N]

Ours: ``certs.generate`` (every file, keys, manifest) from an empty key pool (cold: a new
process), with the pool already filled (warm: a second catalogue in the same run), and into a
directory that already holds a fixture CA (kept, as ``certs generate`` does the second time);
then ``certs.judge`` (what ``certs check`` runs) on every file of the catalogue.
trustme: one CA and as many leaves as the catalogue holds certificates, with its default key
type (ECDSA) and with RSA (a fresh 2048-bit key per leaf, as trustme does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from cryptography import x509  # noqa: E402

from certs import Catalogue, generate, judge  # noqa: E402
from certs.keys import KeyPool  # noqa: E402
from certs.variants import VARIANTS, CertVariant  # noqa: E402


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per row (default 5)")
    args = parser.parse_args()
    leaves = sum(isinstance(v, CertVariant) for v in VARIANTS)
    rows: list[tuple[str, list[float]]] = []

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def ours(pool_factory: Callable[[], KeyPool]) -> Callable[[], object]:
            return lambda: generate(Path(tmp) / str(next(counter)), seed=1, pool=pool_factory())

        warm_pool = KeyPool()
        ours(lambda: warm_pool)()  # fill it once
        rows.append(
            (
                f"certs.generate, cold key pool ({len(VARIANTS)} files, {leaves} certificates)",
                timed(ours(KeyPool), args.repeat),
            )
        )
        rows.append(("certs.generate, warm key pool (same run)", timed(ours(lambda: warm_pool), args.repeat)))
        kept = Path(tmp) / "kept"
        catalogue = generate(kept, seed=1, pool=warm_pool)
        rows.append(
            (
                "certs.generate, warm, CA kept from the directory",
                timed(lambda: generate(kept, seed=1, pool=warm_pool), args.repeat),
            )
        )

        def judge_all(catalogue: Catalogue = catalogue) -> None:
            trusted = [x509.load_pem_x509_certificate(catalogue.fixture_ca_path.read_bytes())]
            for entry in catalogue:
                judge(entry.read_bytes(), trusted=trusted, company=catalogue.company)

        rows.append((f"certs.judge on every file ({len(VARIANTS)} files)", timed(judge_all, args.repeat)))

    try:
        import trustme
    except ImportError:
        print("trustme is not installed (pip install -e '.[bench]'): only our rows", file=sys.stderr)
    else:

        def trustme_run(key_type) -> Callable[[], object]:
            def run() -> None:
                ca = trustme.CA(key_type=key_type)
                for i in range(leaves):
                    ca.issue_cert(f"client{i}.example", key_type=key_type).private_key_and_cert_chain_pem.bytes()

            return run

        rows.append(
            (f"trustme CA + {leaves} leaves, ECDSA (default)", timed(trustme_run(trustme.KeyType.ECDSA), args.repeat))
        )
        rows.append((f"trustme CA + {leaves} leaves, RSA 2048", timed(trustme_run(trustme.KeyType.RSA), args.repeat)))

    width = max(len(label) for label, _ in rows)
    print(f"{os.cpu_count()} CPUs, {args.repeat} runs each")
    print(f"{'':{width}}  {'median':>8}  {'min':>8}  {'max':>8}")
    for label, times in rows:
        print(f"{label:{width}}  {statistics.median(times):7.3f}s  {min(times):7.3f}s  {max(times):7.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

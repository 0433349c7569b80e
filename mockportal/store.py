"""The portal's state in sqlite: employers, users, configurations, channels, the sender counter.

One connection shared by all request threads, guarded by a lock (sqlite objects must not be
used by two threads at once). In memory by default; in a file with ``--state`` so that sender
numbers stay retired across restarts (SENDER-1). Sessions and wizard drafts are not here: they
live in memory (``sessions.py``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import random
import secrets
import sqlite3
import string
import threading
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
ROLES = ("gl", "cogl", "user")  # gestionnaire local, co-gestionnaire local, plain user
MANAGER_ROLES = ("gl", "cogl")
FIRST_SENDER = 100001  # six digits from the start; the counter only grows
LAST_SENDER = 999999
CLIENT_ID_PREFIX = "self_service_expeditor_"  # RESULT-3 [public]

DEMO_EMPLOYER = {
    "name": "Boulangerie Démo SRL",
    "enterprise_number": "0123.456.749",
    "onss_number": "1234567-49",
    "creation_date": "15/03/2004",
    "language": "fr",
}
DEMO_PASSWORD = "demo"
DEMO_USERS = {"gl": "gl-demo", "cogl": "cogl-demo", "user": "user-demo"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS employers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    enterprise_number TEXT NOT NULL UNIQUE,
    onss_number TEXT NOT NULL UNIQUE,
    creation_date TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'fr'
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    username TEXT NOT NULL UNIQUE,
    password_salt BLOB NOT NULL,
    password_hash BLOB NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('gl', 'cogl', 'user'))
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS configurations (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL UNIQUE REFERENCES employers(id),  -- WIZ-6: one per employer
    sender INTEGER NOT NULL UNIQUE,
    registration_date TEXT NOT NULL,
    technical_username TEXT NOT NULL UNIQUE,
    contact TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS channels (
    id INTEGER PRIMARY KEY,
    configuration_id INTEGER NOT NULL REFERENCES configurations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('ftp', 'sftp', 'ws')),
    certificate_der BLOB NOT NULL,
    certificate_sha256 TEXT NOT NULL,
    applications TEXT NOT NULL DEFAULT '[]',
    ssh_key TEXT,
    connection_type TEXT,
    UNIQUE (configuration_id, kind)
);
CREATE INDEX IF NOT EXISTS channels_by_certificate ON channels(certificate_sha256);
CREATE TABLE IF NOT EXISTS seen_assertions (  -- OAUTH-4: a jti used once, until its assertion expires
    client_id TEXT NOT NULL,
    jti_sha256 BLOB NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (client_id, jti_sha256)
);
CREATE INDEX IF NOT EXISTS seen_assertions_by_expiry ON seen_assertions(expires_at);
"""
# jti values remembered at once per client (each for at most 10.5 minutes): a client that sends
# more than this in ten minutes is refused until some expire; no other client is.
MAX_SEEN_ASSERTIONS = 10_000
EMPLOYER_CACHE = 10_000  # employers kept in memory after their first read


@dataclass(frozen=True)
class Employer:
    id: int
    name: str
    enterprise_number: str
    onss_number: str
    creation_date: str
    language: str


@dataclass(frozen=True)
class User:
    id: int
    employer_id: int
    username: str
    role: str

    @property
    def is_manager(self) -> bool:
        """ACCESS-1: only the (co-)gestionnaire local handles structured messages."""
        return self.role in MANAGER_ROLES


@dataclass(frozen=True)
class Channel:
    """One configured channel. Never holds key material: a certificate is public."""

    kind: str  # "ftp", "sftp" or "ws"
    certificate_der: bytes
    certificate_sha256: str
    applications: tuple[str, ...] = ()
    ssh_key: str | None = None
    connection_type: str | None = None


@dataclass(frozen=True)
class Configuration:
    employer_id: int
    sender: int
    registration_date: str
    technical_username: str
    contact: dict
    channels: dict[str, Channel] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        return client_id(self.sender)


def client_id(sender: int) -> str:
    """RESULT-3 [public]: the OAuth client id of a sender."""
    return f"{CLIENT_ID_PREFIX}{sender}"


def brussels_today() -> str:
    """Today in Brussels, ``dd/mm/yyyy`` (RESULT-2)."""
    return datetime.datetime.now(BRUSSELS).strftime("%d/%m/%Y")


def enterprise_number(first_eight: int) -> str:
    """``0xxx.xxx.xxx`` whose last two digits are 97 - (first eight digits mod 97) (HOME-1)."""
    digits = f"{first_eight:08d}{97 - first_eight % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1_000)  # a mock: cheap on purpose


class Store:
    """All persistent state; every method is one short transaction under the lock."""

    def __init__(self, path: str | None = None):
        self.path = path  # None: in memory
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA foreign_keys = ON")
        self._employers: dict[int, Employer] = {}
        with self._lock:
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('sender', ?)", (FIRST_SENDER - 1,))
            self._ensure_demo()

    # -- plumbing -------------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        """``with store.transaction() as db:`` one transaction under the store's lock (public:
        a named defect changes stored rows through it)."""
        return _Transaction(self._db, self._lock)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- employers and users --------------------------------------------------------------
    def _ensure_demo(self) -> None:
        """The demo employer and its three accounts exist from start-up (contract §1)."""
        if self.user_by_username(DEMO_USERS["gl"]):
            return
        with self.transaction() as db:
            employer_id = self._insert_employer(db, **DEMO_EMPLOYER)
            for role, username in DEMO_USERS.items():
                self._insert_user(db, employer_id, username, DEMO_PASSWORD, role)

    def ensure_demo_employers(self, count: int) -> list[tuple[str, dict[str, str]]]:
        """Demo employers 2 to ``count`` next to the contract's demo employer (a stand-in for a
        staging portal names several in its target file): "Démo n SRL", accounts ``gl-demo<n>``,
        ``cogl-demo<n>``, ``user-demo<n>``, password ``demo``. Their name and accounts by number."""
        made = [(DEMO_EMPLOYER["name"], dict(DEMO_USERS))]
        for n in range(2, count + 1):
            users = {role: f"{username}{n}" for role, username in DEMO_USERS.items()}
            if self.user_by_username(users["gl"]) is None:
                with self.transaction() as db:
                    employer_id = self._insert_employer(
                        db,
                        name=f"Démo {n} SRL",
                        enterprise_number=enterprise_number(1_000_000 + n),
                        onss_number=f"{1_000_000 + n:07d}-{97 - (1_000_000 + n) % 97:02d}",
                        creation_date="01/02/2003",
                        language="fr",
                    )
                    for role, username in users.items():
                        self._insert_user(db, employer_id, username, DEMO_PASSWORD, role)
            made.append((f"Démo {n} SRL", users))
        return made

    @staticmethod
    def _insert_employer(db, *, name, enterprise_number, onss_number, creation_date, language) -> int:
        cursor = db.execute(
            "INSERT INTO employers (name, enterprise_number, onss_number, creation_date, language)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, enterprise_number, onss_number, creation_date, language),
        )
        return cursor.lastrowid

    @staticmethod
    def _insert_user(db, employer_id: int, username: str, password: str, role: str) -> None:
        salt = secrets.token_bytes(16)
        db.execute(
            "INSERT INTO users (employer_id, username, password_salt, password_hash, role) VALUES (?, ?, ?, ?, ?)",
            (employer_id, username, salt, _hash_password(password, salt), role),
        )

    def create_employer(self, *, name: str | None, language: str) -> tuple[Employer, dict[str, dict]]:
        """A new employer with fresh unique numbers and one account per role (test API)."""
        rng = random.SystemRandom()
        with self.transaction() as db:
            while True:
                number = enterprise_number(rng.randrange(2_000_000, 9_999_999))
                onss = rng.randrange(1_000_000, 9_999_999)
                onss_number = f"{onss:07d}-{97 - onss % 97:02d}"
                taken = db.execute(
                    "SELECT 1 FROM employers WHERE enterprise_number = ? OR onss_number = ?", (number, onss_number)
                ).fetchone()
                if not taken:
                    break
            company = name or _company_name(rng, db)
            created = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(30 * 365))
            employer_id = self._insert_employer(
                db,
                name=company,
                enterprise_number=number,
                onss_number=onss_number,
                creation_date=created.strftime("%d/%m/%Y"),
                language=language,
            )
            users = {}
            tag = number.replace(".", "")
            for role in ROLES:
                username, password = f"{role}-{tag}", secrets.token_urlsafe(12)
                self._insert_user(db, employer_id, username, password, role)
                users[role] = {"username": username, "password": password, "role": role}
        employer = self.employer(employer_id)
        assert employer is not None
        return employer, users

    def employer(self, employer_id: int) -> Employer | None:
        """An employer (every page's banner shows one). Employers never change once made, so
        they are kept after the first read, at most ``EMPLOYER_CACHE`` of them."""
        cached = self._employers.get(employer_id)
        if cached is not None:
            return cached
        with self._lock:
            row = self._db.execute("SELECT * FROM employers WHERE id = ?", (employer_id,)).fetchone()
        if row is None:
            return None
        employer = Employer(**dict(row))
        if len(self._employers) >= EMPLOYER_CACHE:
            self._employers.clear()
        self._employers[employer_id] = employer
        return employer

    def employer_by_number(self, number: str) -> Employer | None:
        """By enterprise number, with or without its dots."""
        digits = "".join(ch for ch in number if ch.isdigit())
        if len(digits) != 10:
            return None
        formatted = f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
        with self._lock:
            row = self._db.execute("SELECT * FROM employers WHERE enterprise_number = ?", (formatted,)).fetchone()
        return Employer(**dict(row)) if row else None

    def user_by_username(self, username: str) -> User | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, employer_id, username, role FROM users WHERE username = ?", (username,)
            ).fetchone()
        return User(**dict(row)) if row else None

    def user(self, user_id: int) -> User | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, employer_id, username, role FROM users WHERE id = ?", (user_id,)
            ).fetchone()
        return User(**dict(row)) if row else None

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right; the same answer for a wrong name or password."""
        with self._lock:
            row = self._db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            _hash_password(password, b"0" * 16)  # same work either way: no timing hint
            return None
        if not hmac.compare_digest(_hash_password(password, row["password_salt"]), row["password_hash"]):
            return None
        return User(row["id"], row["employer_id"], row["username"], row["role"])

    # -- configurations ---------------------------------------------------------------------
    def configuration(self, employer_id: int) -> Configuration | None:
        """The employer's configuration with its channels, or None (ACCESS-3: keyed by employer)."""
        with self._lock:
            row = self._db.execute("SELECT * FROM configurations WHERE employer_id = ?", (employer_id,)).fetchone()
            if row is None:
                return None
            channels = self._db.execute("SELECT * FROM channels WHERE configuration_id = ?", (row["id"],)).fetchall()
        return Configuration(
            employer_id=row["employer_id"],
            sender=row["sender"],
            registration_date=row["registration_date"],
            technical_username=row["technical_username"],
            contact=json.loads(row["contact"]),
            channels={c["kind"]: _channel(c) for c in channels},
        )

    def certificate_holder(self, sha256: str) -> int | None:
        """The employer whose configured channel uses this certificate, if any (CERT-7)."""
        with self._lock:
            return self.certificate_holder_in(self._db, sha256)

    @staticmethod
    def certificate_holder_in(db, sha256: str) -> int | None:
        """``certificate_holder`` inside a transaction (CERT-7 is checked again on every write)."""
        row = db.execute(
            "SELECT configurations.employer_id FROM channels JOIN configurations"
            " ON configurations.id = channels.configuration_id"
            " WHERE channels.certificate_sha256 = ?",
            (sha256,),
        ).fetchone()
        return row[0] if row else None

    def create_configuration(self, employer_id: int, contact: dict, channel: Channel) -> str:
        """WIZ-6 and SENDER-1: create the configuration with its first channel in one transaction.

        Returns "created", "exists" (the employer already has one: a second send of the same
        wizard) or "certificate_in_use" (CERT-7, checked again inside the transaction).
        """
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM configurations WHERE employer_id = ?", (employer_id,)).fetchone():
                return "exists"
            holder = self.certificate_holder_in(db, channel.certificate_sha256)
            if holder is not None and holder != employer_id:
                return "certificate_in_use"
            sender = self.next_sender(db)
            cursor = db.execute(
                "INSERT INTO configurations (employer_id, sender, registration_date, technical_username,"
                " contact) VALUES (?, ?, ?, ?, ?)",
                (
                    employer_id,
                    sender,
                    brussels_today(),
                    self._technical_username(db, sender),
                    json.dumps(contact, ensure_ascii=False),
                ),
            )
            assert cursor.lastrowid is not None  # set by the INSERT just made
            self._insert_channel(db, cursor.lastrowid, channel)
        return "created"

    def add_channel(self, employer_id: int, channel: Channel) -> str:
        """CHANNEL-6: add a channel to an existing configuration; the sender number is kept.

        Returns "created", "missing" (no configuration), "exists" (that channel is already
        configured) or "certificate_in_use" (CERT-7).
        """
        with self.transaction() as db:
            row = db.execute("SELECT id FROM configurations WHERE employer_id = ?", (employer_id,)).fetchone()
            if row is None:
                return "missing"
            if db.execute(
                "SELECT 1 FROM channels WHERE configuration_id = ? AND kind = ?", (row["id"], channel.kind)
            ).fetchone():
                return "exists"
            holder = self.certificate_holder_in(db, channel.certificate_sha256)
            if holder is not None and holder != employer_id:
                return "certificate_in_use"
            self._insert_channel(db, row["id"], channel)
        return "created"

    def delete_configuration(self, employer_id: int) -> bool:
        """DELETE-1: remove the configuration and its channels. The sender number stays retired
        (the counter never goes back) and the certificates are free again (CERT-7)."""
        with self.transaction() as db:
            row = db.execute("SELECT id FROM configurations WHERE employer_id = ?", (employer_id,)).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM channels WHERE configuration_id = ?", (row["id"],))
            db.execute("DELETE FROM configurations WHERE id = ?", (row["id"],))
        return True

    def active_client_certificate(self, client_id_: str) -> bytes | None:
        """DER of the Web Service certificate of the configuration with this OAuth client id.

        None for an unknown or deleted client: the OAuth endpoint (a later module) relies on it.
        """
        if not client_id_.startswith(CLIENT_ID_PREFIX):
            return None
        number = client_id_[len(CLIENT_ID_PREFIX) :]
        # SENDER-1: at most 6 digits; a longer number is nobody (and would not fit sqlite's integers)
        if not (number.isascii() and number.isdigit()) or number.startswith("0") or len(number) > 6:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT channels.certificate_der FROM channels JOIN configurations"
                " ON configurations.id = channels.configuration_id"
                " WHERE configurations.sender = ? AND channels.kind = 'ws'",
                (int(number),),
            ).fetchone()
        return bytes(row[0]) if row else None

    # -- OAuth assertions already used (OAUTH-4) -----------------------------------------------
    def first_use_of_jti(self, client_id_: str, jti: str, until: float, now: float) -> bool | None:
        """Record ``jti`` for the client until ``until``: True the first time, False for a
        replay, None when ``MAX_SEEN_ASSERTIONS`` unexpired ones of this client are kept already.
        In the state file with ``--state``, so a replay is caught across a restart too; the jti
        is kept as its SHA-256 (a fixed size, whatever the client sends)."""
        key = hashlib.sha256(jti.encode("utf-8", "surrogatepass")).digest()
        with self.transaction() as db:
            db.execute("DELETE FROM seen_assertions WHERE expires_at < ?", (now,))
            if db.execute(
                "SELECT 1 FROM seen_assertions WHERE client_id = ? AND jti_sha256 = ?", (client_id_, key)
            ).fetchone():
                return False
            kept = db.execute("SELECT COUNT(*) FROM seen_assertions WHERE client_id = ?", (client_id_,))
            if kept.fetchone()[0] >= MAX_SEEN_ASSERTIONS:
                return None
            db.execute(
                "INSERT INTO seen_assertions (client_id, jti_sha256, expires_at) VALUES (?, ?, ?)",
                (client_id_, key, until),
            )
        return True

    def seen_assertions(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM seen_assertions").fetchone()[0]

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def next_sender(db) -> int:
        """SENDER-1: the counter only grows, so no number is handed out twice."""
        value = db.execute("SELECT value FROM counters WHERE name = 'sender'").fetchone()[0] + 1
        if value > LAST_SENDER:
            raise RuntimeError("sender numbers exhausted")
        db.execute("UPDATE counters SET value = ? WHERE name = 'sender'", (value,))
        return value

    @staticmethod
    def _technical_username(db, sender: int) -> str:
        """RESULT-2: the portal's own format, unique: TU + sender + four random characters."""
        alphabet = string.ascii_uppercase + string.digits
        while True:
            name = f"TU{sender}{''.join(secrets.choice(alphabet) for _ in range(4))}"
            if not db.execute("SELECT 1 FROM configurations WHERE technical_username = ?", (name,)).fetchone():
                return name

    @staticmethod
    def _insert_channel(db, configuration_id: int, channel: Channel) -> None:
        db.execute(
            "INSERT INTO channels (configuration_id, kind, certificate_der, certificate_sha256,"
            " applications, ssh_key, connection_type) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                configuration_id,
                channel.kind,
                channel.certificate_der,
                channel.certificate_sha256,
                json.dumps(list(channel.applications), ensure_ascii=False),
                channel.ssh_key,
                channel.connection_type,
            ),
        )


def _channel(row) -> Channel:
    return Channel(
        kind=row["kind"],
        certificate_der=bytes(row["certificate_der"]),
        certificate_sha256=row["certificate_sha256"],
        applications=tuple(json.loads(row["applications"])),
        ssh_key=row["ssh_key"],
        connection_type=row["connection_type"],
    )


class _Transaction:
    """``with store.transaction() as db:`` — BEGIN IMMEDIATE ... COMMIT under the store lock."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock):
        self._db, self._lock = db, lock

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        return self._db

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self._lock.release()


_SURNAMES = (
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leclercq",
    "Renard",
    "Schmitz",
    "Lejeune",
    "Hermans",
    "Michiels",
    "Pauwels",
    "Lemmens",
)
_TRADES = (
    "Boulangerie",
    "Menuiserie",
    "Transports",
    "Bureau d'études",
    "Garage",
    "Imprimerie",
    "Brasserie",
    "Consultance",
    "Toiture",
    "Jardins",
    "Informatique",
    "Nettoyage",
)
_LEGAL_FORMS = ("SRL", "SA", "SC", "SNC", "ASBL", "BV", "NV", "CV", "VZW")


def _company_name(rng: random.Random, db) -> str:
    """A Belgian-looking company name with a legal form, not used by another employer."""
    for attempt in range(50):
        name = f"{rng.choice(_TRADES)} {rng.choice(_SURNAMES)} {rng.choice(_LEGAL_FORMS)}"
        if attempt > 20:
            name = f"{rng.choice(_TRADES)} {rng.choice(_SURNAMES)} {rng.randrange(2, 999)} {rng.choice(_LEGAL_FORMS)}"
        if not db.execute("SELECT 1 FROM employers WHERE name = ?", (name,)).fetchone():
            return name
    return f"{rng.choice(_TRADES)} {secrets.token_hex(3).upper()} {rng.choice(_LEGAL_FORMS)}"

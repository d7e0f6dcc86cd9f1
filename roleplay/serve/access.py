"""Who may open the trainer in a browser: a room password and/or assessment codes, then a signed cookie."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "roleplay_room"
COOKIE_MAX_AGE_S = 12 * 3600  # a training day; then the trainee logs in again
FAILED_LOGINS_PER_MINUTE = 10  # per client address: guessing a password or a 6-letter code takes years


@dataclass(frozen=True)
class Pass:
    """What a valid cookie says: one browser's random id and, when it came in by an assessment code, the code."""

    browser_id: str
    session_code: str | None = None


def load_secret(folder: Path) -> bytes:
    """The key that signs cookies, kept in `folder` so a server restart does not log every browser out."""
    path = folder / "serve-secret"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


class RoomAccess:
    """Checks what a trainee types on the login page and signs the cookie that lets the browser in.

    `password`: the room password (None: no password login). `check_code`: returns the canonical session code
    for a typed assessment code, or None (None as a whole: no code login)."""

    def __init__(self, secret: bytes, password: str | None,
                 check_code: Callable[[str], str | None] | None = None) -> None:
        if not password and check_code is None:
            raise ValueError("a room needs a password or assessment codes")
        self.password = password
        self.check_code = check_code
        # Changing the password (or the login mode) makes every earlier cookie invalid.
        epoch = hashlib.sha256(f"{password or ''}|{check_code is not None}".encode()).hexdigest()[:16]
        self.serializer = URLSafeTimedSerializer(secret, salt=f"roleplay-room-{epoch}")
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def throttled(self, client: str) -> bool:
        """True when this address failed too often in the last minute."""
        recent = self.failures[client]
        now = time.monotonic()
        while recent and now - recent[0] > 60:
            recent.popleft()
        return len(recent) >= FAILED_LOGINS_PER_MINUTE

    def login(self, typed: str, client: str) -> Pass | None:
        """A pass for a correct password or an open session's code; None (and one failure counted) otherwise."""
        typed = typed.strip()
        if typed and self.password and hmac.compare_digest(typed.encode(), self.password.encode()):
            return Pass(secrets.token_urlsafe(12))
        if typed and self.check_code is not None:
            code = self.check_code(typed)
            if code:
                return Pass(secrets.token_urlsafe(12), code)
        self.failures[client].append(time.monotonic())
        return None

    def cookie_value(self, grant: Pass) -> str:
        return self.serializer.dumps([grant.browser_id, grant.session_code])

    def read_cookie(self, value: str | None) -> Pass | None:
        """The pass inside a cookie, or None when it is missing, forged, expired or from an old password."""
        if not value:
            return None
        try:
            browser_id, code = self.serializer.loads(value, max_age=COOKIE_MAX_AGE_S)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(browser_id, str) or not browser_id.replace("-", "").replace("_", "").isalnum():
            return None
        return Pass(browser_id, code if isinstance(code, str) else None)

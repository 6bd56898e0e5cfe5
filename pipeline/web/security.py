"""Login sessions and CSRF tokens: HMAC-signed values, no server-side state.

* A session cookie ``congvan_session`` holds ``expiry.signature``; it is only issued after the password (or
  the token of ``--token-file``) was given. HttpOnly, SameSite=Strict.
* Every form carries a CSRF token: a random ``congvan_csrf`` cookie, echoed in a hidden field and compared in
  constant time on every POST (double-submit). A cross-site page can neither read the cookie nor set it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

SESSION_COOKIE = "congvan_session"
CSRF_COOKIE = "congvan_csrf"
CSRF_FIELD = "csrf_token"
SESSION_SECONDS = 12 * 3600


@dataclass
class Security:
    password: str | None = None  # None: no login (loopback only)
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @property
    def login_required(self) -> bool:
        return bool(self.password)

    def _sign(self, value: str) -> str:
        return hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()

    def check_password(self, given: str | None) -> bool:
        if not self.password or given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8", "surrogateescape"),
                                   self.password.encode("utf-8", "surrogateescape"))

    def new_session(self, now: float | None = None) -> str:
        expiry = str(int((now or time.time()) + SESSION_SECONDS))
        return f"{expiry}.{self._sign('session:' + expiry)}"

    def valid_session(self, cookie: str | None, now: float | None = None) -> bool:
        if not cookie or "." not in cookie:
            return False
        expiry, sig = cookie.split(".", 1)
        if not expiry.isdigit() or int(expiry) < (now or time.time()):
            return False
        return hmac.compare_digest(sig, self._sign("session:" + expiry))

    @staticmethod
    def new_csrf() -> str:
        return secrets.token_urlsafe(24)

    @staticmethod
    def valid_csrf(cookie: str | None, submitted: str | None) -> bool:
        if not cookie or not submitted:
            return False
        return hmac.compare_digest(cookie.encode(), submitted.encode())


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: the only binds that may run without a password."""
    import ipaddress

    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

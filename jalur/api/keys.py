"""How a token reads (`jalur_<prefix>_<secret>`), and how its secret is kept and checked.

The secret is 32 random bytes, so a plain SHA-256 is enough to keep it (nothing to guess, unlike a
password: a slow hash would only slow every API call). The prefix finds the row; the hashes are
compared in constant time.
"""

import hashlib
import hmac
import secrets

SCHEME = "jalur"
PREFIX_LENGTH = 8


def new_key() -> tuple[str, str]:
    """A fresh (prefix, secret)."""
    return secrets.token_hex(PREFIX_LENGTH // 2), secrets.token_urlsafe(32)


def key_text(prefix: str, secret: str) -> str:
    """The whole token as the caller sends it."""
    return f"{SCHEME}_{prefix}_{secret}"


def split_key(text: str) -> tuple[str, str] | None:
    """(prefix, secret) of a token as sent; None when it is not shaped like one."""
    scheme, _sep, rest = (text or "").strip().partition("_")
    prefix, sep, secret = rest.partition("_")
    if scheme != SCHEME or not sep or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix, secret


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)

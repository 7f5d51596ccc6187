"""Who is on the other end of a request: the client's address, behind the city's proxies too."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (JALUR_TRUSTED_PROXIES; nginx and a load
    balancer each append the address they saw to X-Forwarded-For) it is the N-th entry from the
    right; entries further left were written by the client and may be anything. With no proxy,
    the connection's own address."""
    hops = settings.JALUR_TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-hops] if len(forwarded) >= hops else (forwarded[0] if forwarded else remote)

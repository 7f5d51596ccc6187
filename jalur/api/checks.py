"""What an endpoint asks of the token before it reads or writes: the same capabilities as the web
page that does the same thing (`jalur.accounts.roles`)."""

from django.core.exceptions import PermissionDenied

from jalur.accounts.roles import can


def require(request, *capabilities: str) -> None:
    """403 unless the token's role has one of `capabilities`."""
    if not any(can(request.user, capability) for capability in capabilities):
        raise PermissionDenied

"""View guards built on the capability table in roles.py.

Every view carries an `access` attribute set by one of these decorators ("public", "login" or
"capability"); the access-matrix test walks the URL configuration and fails on a view without one.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from jalur.core.access import public  # noqa: F401 - views import every guard from here

from .roles import can


def capability_required(*capabilities: str):
    """Anonymous users go to the log-in page; users without any of the capabilities get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(can(request.user, cap) for cap in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access = "capability"
        wrapped.required_capabilities = capabilities
        return wrapped

    return decorator


def login_only(view):
    """Any logged-in user (the view itself scopes what they see); anonymous users go to log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.access = "login"
    return wrapped

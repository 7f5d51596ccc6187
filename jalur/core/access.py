"""The access marker every view carries, read by the access-matrix test.

`accounts.decorators` adds the guards that need roles (`capability_required`, `login_only`); a view
open to everyone only needs the marker, so it lives here where the site's own pages can use it too.
"""


def public(view):
    """Open to everyone, logged in or not. Such a view must show no personal data."""
    view.access = "public"
    return view

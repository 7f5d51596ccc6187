"""Values every page needs: programme name, the user's menu, unread notifications, and whether the
page loads htmx."""

from django.conf import settings

from .navigation import menu_for


def jalur(request):
    user = getattr(request, "user", None)
    context = {
        "programme_name": settings.JALUR_PROGRAMME_NAME,
        "menu": [],
        "unread_count": 0,
        "load_htmx": False,
    }
    if user is not None and user.is_authenticated:
        from jalur.notifications.selectors import unread_count

        from .roles import Role

        context["menu"] = menu_for(user)
        context["unread_count"] = unread_count(user=user)
        # Only staff pages use hx- attributes (attendance register, document review, import
        # progress); job seekers on mobile data and the public are spared the 17 KB download.
        context["load_htmx"] = user.role != Role.CANDIDATE
    return context

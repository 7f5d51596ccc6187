"""Values every page needs: programme name, the user's menu, unread notifications."""

from django.conf import settings

from .navigation import menu_for


def jalur(request):
    user = getattr(request, "user", None)
    context = {
        "programme_name": settings.JALUR_PROGRAMME_NAME,
        "menu": [],
        "unread_count": 0,
    }
    if user is not None and user.is_authenticated:
        from jalur.notifications.selectors import unread_count

        context["menu"] = menu_for(user)
        context["unread_count"] = unread_count(user=user)
    return context

"""Values every page needs: the names of the programme, its office and its city, the user's menu,
unread notifications, and whether the page loads htmx."""

from django.utils.functional import SimpleLazyObject

from jalur.regions import naming

from .navigation import menu_for


def jalur(request):
    user = getattr(request, "user", None)
    context = {
        # Lazy: a page that names none of them (an HTMX fragment) costs no query.
        "programme_name": SimpleLazyObject(naming.programme_name),
        "office_name": SimpleLazyObject(naming.office_name),
        "region_name": SimpleLazyObject(naming.home_region_name),
        "government_name": SimpleLazyObject(naming.government_name),
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

"""The menu: each app lists its entries in its AppConfig as `nav = [(label, url_name, capability)]`.

The menu shows an entry when the user has its capability and the URL exists, so a new app adds its
menu entries without touching a shared file.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .roles import can


def menu_for(user) -> list[dict]:
    items = []
    for config in apps.get_app_configs():
        for label, url_name, capability in getattr(config, "nav", ()):
            if not can(user, capability):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "name": url_name})
    return items

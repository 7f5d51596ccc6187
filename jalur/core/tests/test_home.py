"""The staff home page: every tile opens its list, or is plain text when there is no list to open."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _tiles(body: str) -> list[tuple[str, str | None]]:
    """(text, href) of every figure tile; href None for a tile that is not a link."""
    tiles = []
    for _tag, attrs, inner in re.findall(
        r'<(a|div) class="stat"([^>]*)>(.*?)</\1>', body, flags=re.S
    ):
        href = re.search(r'href="([^"]*)"', attrs)
        text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        tiles.append((text, href.group(1) if href else None))
    return tiles


def test_no_tile_on_the_managers_home_links_nowhere(client_for, manager):
    body = client_for(manager).get(reverse("core:home")).content.decode()
    tiles = _tiles(body)
    assert tiles, "the manager's home shows figure tiles"
    assert 'href="#"' not in body
    assert all(href is None or href.startswith("/") for _text, href in tiles)


def test_a_tile_without_a_list_is_plain_text(client_for, manager):
    body = client_for(manager).get(reverse("core:home")).content.decode()
    offers = [href for text, href in _tiles(body) if "menerima tawaran" in text]
    assert offers == [None]

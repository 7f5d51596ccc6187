"""Keyset pages: every row once and in order, whatever is added between clicks, at a fixed cost."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jalur.accounts.models import User
from jalur.accounts.tests.factories import UserFactory
from jalur.core.pagination import keyset_page

ORDER = ("-date_joined", "username", "pk")
START = timezone.now().replace(microsecond=123456)


def _page(url: str = "?", size: int = 3):
    request = RequestFactory().get("/daftar/" + url)
    return keyset_page(request, User.objects.all(), order=ORDER, size=size)


def _users(n: int, *, prefix: str = "u", ties: int = 3) -> list[User]:
    # `ties` people joined at each instant, so pages must break ties by name and pk
    return [
        UserFactory(
            username=f"{prefix}{i:03}",
            date_joined=START - datetime.timedelta(microseconds=i // ties),
        )
        for i in range(n)
    ]


def _walk(first_url: str = "?", size: int = 3) -> tuple[list[str], list]:
    names, pages, url = [], [], first_url
    while True:
        page = _page(url, size)
        pages.append(page)
        names += [u.username for u in page]
        if not page.has_next:
            return names, pages
        url = page.next_url


def _expected() -> list[str]:
    return list(User.objects.order_by(*ORDER).values_list("username", flat=True))


@pytest.mark.django_db
def test_walking_forward_shows_every_row_once_in_the_list_order():
    _users(11)
    names, pages = _walk()
    assert names == _expected()
    assert [p.number for p in pages] == [1, 2, 3, 4]
    assert not pages[0].has_previous and pages[1].has_previous and not pages[-1].has_next


@pytest.mark.django_db
def test_previous_goes_back_to_the_same_rows():
    _users(11)
    names, pages = _walk()
    back = _page(pages[2].previous_url)
    assert [u.username for u in back] == [u.username for u in pages[1]]
    assert back.number == 2
    first = _page(back.previous_url)
    assert [u.username for u in first] == [u.username for u in pages[0]]
    assert first.number == 1 and not first.has_previous


@pytest.mark.django_db
def test_rows_added_between_pages_neither_repeat_nor_hide_the_rest():
    _users(9)
    before = _expected()
    page1 = _page()
    # people who join on the first page's place and after it, and one tying the cursor's instant
    UserFactory(username="a-new-first", date_joined=START + datetime.timedelta(seconds=1))
    UserFactory(username="zz-new-tie", date_joined=page1[-1].date_joined)
    UserFactory(username="a-new-last", date_joined=START - datetime.timedelta(days=1))
    rest, _ = _walk(page1.next_url)
    seen = [u.username for u in page1] + rest
    assert len(seen) == len(set(seen)), "a row was shown twice"
    assert set(before) <= set(seen), "a row that was there from the start was skipped"
    assert "a-new-last" in rest and "a-new-first" not in seen


@pytest.mark.django_db
def test_a_tampered_cursor_shows_the_first_page():
    _users(5)
    first = [u.username for u in _page()]
    for cursor in ("not-base64!", "WyJuIiwyLFsieCIsInkiLDFdXQ", "W10", "WyJuIiwyLFsxLDIsM11d"):
        assert [u.username for u in _page(f"?page={cursor}")] == first


@pytest.mark.django_db
def test_links_keep_the_filters():
    _users(5)
    page = _page("?status=aktif&page=", size=2)
    query = parse_qs(urlsplit(page.next_url).query)
    assert query["status"] == ["aktif"] and query["page"]


@pytest.mark.django_db
def test_a_deep_page_costs_one_query_like_the_first(django_assert_num_queries):
    _users(30)
    _, pages = _walk(size=5)
    with django_assert_num_queries(1):
        deep = _page(pages[-2].next_url, size=5)
    assert [u.username for u in deep] == [u.username for u in pages[-1]]


def test_an_order_without_a_unique_last_key_is_refused():
    with pytest.raises(ValueError, match="primary key"):
        keyset_page(RequestFactory().get("/"), User.objects.all(), order=["username"], size=3)
